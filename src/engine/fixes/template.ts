import type { z } from 'zod';
import type { FileEdit, FileKind, Finding } from '../model';
import type { YamlEditor } from './yamlEdit';

export interface FixInput<P> {
  /** Current text of the finding's file. */
  text: string;
  finding: Finding;
  params: P;
  /** The finding file's kind, when the host knows it. */
  kind?: FileKind;
  /** Reads another file's current text (undefined when it does not exist), e.g. a .dockerignore beside a Dockerfile. */
  readFile?: (path: string) => string | undefined;
  /** The run's reading of a YAML text, when a run of fixes shares one per text (a rendered output); else each fix parses it. */
  yaml?: (text: string) => YamlEditor;
}

/** `changesBehaviour`: why applying the fix changes how the workload runs (from the checklist's fix declaration). */
/**
 * `predicted`: for a fix made in the source of a rendered chart or kustomization, the edit of the rendered
 * output that rendering again gives; kept in the engine while fixing (to re-audit), never written.
 */
export type FixOutput = { title: string; edits: FileEdit[]; changesBehaviour?: string; predicted?: FileEdit[] } | { declined: string };

/** A fix: pure function from the current text to minimal edits. */
export interface FixTemplate<P = unknown> {
  id: string;
  description: string;
  params: z.ZodType<P>;
  /**
   * When set, the fixes of this template that one object or container needs are one decision: an editor offers
   * them as a single action under this title (e.g. every missing resource request and limit), applied together.
   */
  groupTitle?: string;
  compute(input: FixInput<P>): FixOutput;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFix = FixTemplate<any>;

/** Helper so a fix module keeps its params type without casts at the definition site. */
export function defineFix<P>(t: FixTemplate<P>): FixTemplate<P> {
  return t;
}

export function declined(reason: string): FixOutput {
  return { declined: reason };
}
