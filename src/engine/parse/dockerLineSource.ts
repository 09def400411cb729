// A line-read Dockerfile's instructions, kept as numbers and made into objects when read.
import type { Dockerfile, Instruction } from 'dockerfile-ast';
import type { Range } from '../model';
import type { LineIndex } from '../text';
import { smallAt, type SmallNumbers } from './smallNumbers';
import { instructionWords, keywordAt, type LineWord } from './dockerfileLines';
import type { DockerProperty } from './dockerInstructionArgs';
import type { DockerInstruction } from './dockerfileTypes';
import type { LineFrom } from './dockerLineModel';
import { safeAst } from './dockerfileAst';

/**
 * Per instruction of a line-read file, six numbers in its source's `packed` list (see SmallNumbers): an open
 * file keeps these rather than an object per instruction (each object kept is one more for every garbage
 * collection).
 */
export const P_STRIDE = 6;
export const P_START = 0;
export const P_END = 1;
export const P_KEYWORD_END = 2;
/** -1 when the instruction has no arguments. */
export const P_ARGS_START = 3;
export const P_ARGS_END = 4;
/** The flag count times 4, plus 2 when a word holds a backslash escape, plus 1 for an inner comment. */
export const P_BITS = 5;
/** Per stage, after the instructions: its FROM's image word end, and its name, tag and digest offsets (-1: none). */
export const F_STRIDE = 6;
export const F_IMAGE_END = 0;
export const F_NAME_START = 1;
export const F_NAME_END = 2;
export const F_TAG_START = 3;
export const F_TAG_END = 4;
export const F_DIGEST_START = 5;

/**
 * A line-read file's instructions as numbers (`packed`), its line index, and its dockerfile-ast tree parsed
 * on first use (nodes found by their start offset). Instruction objects are made from the numbers when read:
 * while the engine runs the file's checks they are held for the run and dropped after it (see
 * Model.holdReads); read at any other time (fixes, the editor), they are kept, so that an instruction read
 * twice is the same object.
 */
export class LineSource {
  private tree?: Dockerfile;
  private byStart?: Map<number, Instruction>;
  /** What the checks read of the instructions while the engine runs them; undefined otherwise. */
  reads: InstructionReads | undefined = undefined;
  /** The instruction objects made outside a run of the checks, once any is. */
  private kept: InstructionReads | undefined = undefined;
  /** The instructions' numbers, then the stages' FROM details (set once the file is read). */
  packed: SmallNumbers = '';
  constructor(
    readonly index: LineIndex,
    /** How many instructions `packed` holds (the stages' FROM details follow them). */
    readonly count: number,
  ) {}
  get ast(): Dockerfile {
    return (this.tree ??= safeAst(this.index.text));
  }
  node(start: number, ordinal: number): Instruction {
    if (!this.byStart) {
      this.byStart = new Map();
      for (const i of this.ast.getInstructions()) this.byStart.set(this.index.offsetAt(i.getRange().start), i);
    }
    return this.byStart.get(start) ?? this.ast.getInstructions()[ordinal];
  }
  /** Where instruction objects are kept: those made earlier outside a run, else the run's, else from now on. */
  private made(): InstructionReads {
    return this.kept ?? this.reads ?? (this.kept = new InstructionReads());
  }
  instruction(ordinal: number): LineInstruction {
    const made = this.made().instructions;
    return (made[ordinal] ??= this.make(ordinal));
  }
  /** Instructions `first` to `first + count - 1` as a list, the same list while kept; `key`: the stage index, or -1 for the preamble. */
  list(key: number, first: number, count: number): DockerInstruction[] {
    const lists = this.made().lists;
    let list = lists[key + 1];
    if (!list) {
      list = new Array<DockerInstruction>(count);
      for (let k = 0; k < count; k++) list[k] = this.instruction(first + k);
      lists[key + 1] = list;
    }
    return list;
  }
  /** A new instruction object, kept by no one (the model builder's reads). */
  make(ordinal: number): LineInstruction {
    const p = this.packed;
    const at = ordinal * P_STRIDE;
    const start = smallAt(p, at + P_START);
    const keywordEnd = smallAt(p, at + P_KEYWORD_END);
    return new LineInstruction(keywordAt(this.index.text, start, keywordEnd), this, start, smallAt(p, at + P_END), keywordEnd, smallAt(p, at + P_ARGS_START), smallAt(p, at + P_ARGS_END), ordinal, smallAt(p, at + P_BITS));
  }
}

/**
 * What is read of a line-read file's instructions, by ordinal: while the engine runs the file's checks, what
 * they ask again and again (arguments, words) and the instruction objects, shared by them and dropped after
 * the run (an open file keeps its numbers rather than these; they are made again, the same, when asked for).
 */
export class InstructionReads {
  args: (string | undefined)[] = [];
  words: (readonly LineWord[] | undefined)[] = [];
  instructions: LineInstruction[] = [];
  /** The preamble's list, then each stage's. */
  lists: DockerInstruction[][] = [];
  /** Each stage's FROM, by stage index. */
  froms: LineFrom[] = [];
  /** ENV, ARG and LABEL properties (null: the line reader leaves them to dockerfile-ast). */
  properties: (DockerProperty[] | null | undefined)[] = [];
}

/**
 * An instruction read by the line reader, made from its file's numbers when read: ranges and words are
 * computed when asked for (most are asked once or never).
 */
export class LineInstruction implements DockerInstruction {
  constructor(
    readonly keyword: string,
    /** The file's line index and its dockerfile-ast tree on demand. */
    private readonly source: LineSource,
    /** Offsets of the instruction. */
    readonly start: number,
    readonly end: number,
    private readonly keywordEnd: number,
    /** -1 when the instruction has no arguments. */
    readonly argsStart: number,
    readonly argsEnd: number,
    private readonly ordinal: number,
    /** See P_BITS. */
    private readonly bits: number,
  ) {}
  /** How many leading words are flags. */
  get flagCount(): number {
    return this.bits >>> 2;
  }
  /** A word holds a backslash escape (`\$`): dockerfile-ast reads those. */
  get escaped(): boolean {
    return (this.bits & 2) !== 0;
  }
  get innerComment(): boolean {
    return (this.bits & 1) !== 0;
  }
  get args(): string {
    if (this.argsStart < 0) return '';
    const reads = this.source.reads;
    if (reads === undefined) return this.lines.text.slice(this.argsStart, this.argsEnd);
    return (reads.args[this.ordinal] ??= this.lines.text.slice(this.argsStart, this.argsEnd));
  }
  get range(): Range {
    return this.lines.range(this.start, this.end);
  }
  get keywordRange(): Range {
    return this.lines.range(this.start, this.keywordEnd);
  }
  get argsRange(): Range | undefined {
    return this.argsStart < 0 ? undefined : this.lines.range(this.argsStart, this.argsEnd);
  }
  get lines(): LineIndex {
    return this.source.index;
  }
  get node(): Instruction {
    return this.source.node(this.start, this.ordinal);
  }
  get words(): readonly LineWord[] {
    const reads = this.source.reads;
    if (reads === undefined) return instructionWords(this.lines.text, this.keywordEnd, this.end);
    return (reads.words[this.ordinal] ??= instructionWords(this.lines.text, this.keywordEnd, this.end));
  }
  /**
   * Its properties as `read` makes them (ENV, ARG and LABEL: dockerInstructionArgs.ts), held for the run like its
   * words: several checks read the same ENV (undefined: the line reader leaves them to dockerfile-ast).
   */
  heldProperties(read: (ins: LineInstruction) => DockerProperty[] | undefined): DockerProperty[] | undefined {
    const reads = this.source.reads;
    if (reads === undefined) return read(this);
    const known = reads.properties[this.ordinal];
    if (known !== undefined) return known ?? undefined;
    const made = read(this);
    reads.properties[this.ordinal] = made ?? null;
    return made;
  }
  get spansLines(): boolean {
    const nl = this.lines.text.indexOf('\n', this.start);
    return nl !== -1 && nl < this.end;
  }
}

