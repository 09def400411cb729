// Parses a Dockerfile into the model the checks read (dockerfileTypes.ts): plain files by the line reader, the others by
// dockerfile-ast. The instruction helpers the checks use are exported from here too.
import type { Dockerfile } from 'dockerfile-ast';
import type { Problem } from '../model';
import type { LineIndex } from '../text';
import { lineDirectives, readLines } from './dockerfileLines';
import type { DockerDirective, DockerfileModel, DockerInstruction, DockerStage } from './dockerfileTypes';
import { fromAst, MAX_INSTRUCTION_CHARS, overlongInstruction, safeAst } from './dockerfileAst';
import { InstructionReads, LineSource } from './dockerLineSource';
import { placeholderIn, TEMPLATE_NAME_RE } from './dockerPlaceholders';
import { fromLines } from './dockerLineModel';
import { argProperty } from './dockerInstructionArgs';

export type { DockerDirective, DockerfileModel, DockerFrom, DockerInstruction, DockerStage } from './dockerfileTypes';
export { hasPlaceholder } from './dockerPlaceholders';
export { DOCKERFILE_INSTRUCTIONS } from './dockerfileLines';
export { MAX_INSTRUCTION_CHARS } from './dockerfileAst';
export { copyFromFlag, dockerArgsOffsets, dockerArgValues, dockerFlags, dockerFromHead, dockerJoinedArgs, dockerJson, dockerLines, dockerProperties, spansLines, type DockerProperty } from './dockerInstructionArgs';

/**
 * Parses a Dockerfile (stages, final stage, heredocs, CRLF, any keyword case). Never throws. Plain files
 * are read line by line (see dockerfileLines.ts); the others, and `node` on demand, by dockerfile-ast.
 */
export function parseDockerfile(text: string, file: string): { model: DockerfileModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const overlong = overlongInstruction(text);
  if (overlong) {
    const at = { line: overlong.line, character: 0 };
    problems.push({ file, message: `An instruction of ${overlong.length} characters is longer than the ${MAX_INSTRUCTION_CHARS}-character limit; the file is not parsed.`, range: { start: at, end: at }, severity: 'warning', unaudited: 'file' });
    text = '';
  }
  const read = readLines(text);
  const lineBuilt = read && fromLines(text, read);
  const built = lineBuilt ?? fromAst(safeAst(text, problems, file));
  const { stages } = built;
  if (stages.length === 0 && text.trim() && !/^\s*(#.*)?$/s.test(text)) {
    problems.push({ file, message: 'Dockerfile has no FROM instruction', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'warning' });
  }
  let globalArgs: Record<string, string | undefined> = NO_ARGS;
  const source = built.astSource instanceof LineSource ? built.astSource : undefined;
  for (let n = 0; n < built.preambleCount; n++) {
    // a line-read file's preamble read once here, its instructions made for this alone
    const p = source ? source.make(n) : built.preamble![n];
    if (p.keyword !== 'ARG') continue;
    const prop = argProperty(p);
    const name = prop?.getName();
    if (!name) continue;
    if (globalArgs === NO_ARGS) globalArgs = {};
    globalArgs[name] = prop?.getValue() ?? undefined;
  }
  const templated = TEMPLATE_NAME_RE.test(file) || placeholderIn(text);
  const model = new Model(stages, built.preambleCount > 0 ? built.preamble : NO_INSTRUCTIONS, built.preambleCount, built.astSource, lineBuilt ? read.index : undefined, eol, built.escapeChar, built.directives, globalArgs, templated);
  // most files have none: one shared empty list rather than one kept per open file
  return { model, problems: problems.length > 0 ? problems : NO_PROBLEMS };
}

/** The problems of a file without any: one shared list, never written. */
const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

/** The preamble of a line-read file without one (most files): one shared list, never written. */
const NO_INSTRUCTIONS: DockerInstruction[] = Object.freeze([]) as unknown as DockerInstruction[];

/** The global ARGs of a file without any (most files): one shared value, never written. */
const NO_ARGS: Record<string, string | undefined> = Object.freeze({});

/** The model as a class: an object literal with an `ast` getter would be a dictionary, several times the size. */
class Model implements DockerfileModel {
  readonly final: DockerStage | undefined;
  serviceFacts: unknown = undefined;
  constructor(
    readonly stages: DockerStage[],
    /** Undefined for a line-read file with a preamble: made from its numbers when read. */
    private readonly preambleList: DockerInstruction[] | undefined,
    private readonly preambleCount: number,
    private readonly astSource: { readonly ast: Dockerfile },
    readonly lines: LineIndex | undefined,
    readonly eol: '\n' | '\r\n',
    readonly escapeChar: string,
    private directiveList: DockerDirective[] | undefined,
    readonly globalArgs: Record<string, string | undefined>,
    readonly templated: boolean,
  ) {
    this.final = stages[stages.length - 1];
  }
  get preamble(): DockerInstruction[] {
    return this.preambleList ?? (this.astSource as LineSource).list(-1, 0, this.preambleCount);
  }
  get ast(): Dockerfile {
    return this.astSource.ast;
  }
  /** While held (the engine running the file's checks), instruction objects, arguments and words are read once, shared, and dropped after. */
  holdReads(held: boolean): void {
    if (this.astSource instanceof LineSource) this.astSource.reads = held ? new InstructionReads() : undefined;
  }
  /** Read again from the text for a line-read file (no check asks; an open file keeps none until then). */
  get directives(): DockerDirective[] {
    return (this.directiveList ??= lineDirectives(this.lines!));
  }
}
