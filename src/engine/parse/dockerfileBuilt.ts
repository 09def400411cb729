// What a reader of a Dockerfile builds (the line reader or dockerfile-ast), before the model is made from it.
import type { Dockerfile } from 'dockerfile-ast';
import type { Range } from '../model';
import type { DockerDirective, DockerInstruction, DockerStage } from './dockerfileTypes';

export interface Built {
  stages: DockerStage[];
  /** Undefined for a line-read file: made from its numbers when read (see LineSource). */
  preamble: DockerInstruction[] | undefined;
  /** How many instructions come before the first FROM. */
  preambleCount: number;
  /** Undefined for a line-read file: the model reads them again on request (kept per open file otherwise). */
  directives: DockerDirective[] | undefined;
  escapeChar: string;
  /** The tree, or a holder that parses it on first use (an object rather than a closure: one less kept per file). */
  astSource: { readonly ast: Dockerfile };
}

/** The earlier stage an image names (`FROM build`), or -1. */
export function parentOf(stages: readonly DockerStage[], image: string): number {
  // a file has a few stages: a search rather than a set of names
  const lower = image.toLowerCase();
  for (let k = 0; k < stages.length; k++) if (stages[k].name === lower) return k;
  return -1;
}

/** Opens a stage at a FROM; `isStage` tells whether the image names an earlier stage (then `parent` is that stage). */
export function addStage(stages: DockerStage[], image: string, name: string | undefined, range: Range, from: (isStage: boolean) => DockerStage['from']): void {
  const parent = parentOf(stages, image);
  const isStage = parent >= 0;
  stages.push({ index: stages.length, name, from: from(isStage), instructions: [], range, parent: parent >= 0 ? parent : undefined });
}
