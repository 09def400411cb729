import { DockerfileParser, type Arg, type Copy, type Dockerfile, type From, type Instruction, type JSONInstruction, type Property } from 'dockerfile-ast';
import type { Problem, Range } from '../model';
import { LineIndex } from '../text';
import { smallAt, SmallNumbersWriter, type SmallNumbers } from './smallNumbers';
import { backslashIn, flagCountOf, flagWords, instructionWords, lineDirectives, MARK_END, MARK_INNER_COMMENT, MARK_KEYWORD_END, MARK_SPANS_FROM, MARK_SPANS_TO, MARK_START, MARK_STRIDE, keywordAt, readLines, splitFlag, type LineRead, type LineWord } from './dockerfileLines';

export interface DockerInstruction {
  /** Upper-cased keyword (RUN, COPY…), whatever case the file uses. */
  keyword: string;
  /** Arguments as written (continuations joined, heredoc bodies included). */
  args: string;
  range: Range;
  keywordRange: Range;
  argsRange?: Range;
  /**
   * The dockerfile-ast node, for what the model does not carry (heredocs, fixes). For files the line
   * reader read, dockerfile-ast parses the file on first use of a `node`; prefer the helpers below.
   */
  readonly node: Instruction;
  /** Words after the keyword (flags included), for instructions the line reader read. */
  words?: readonly LineWord[];
  /** A comment line inside the continuation lines (line-read instructions only). */
  innerComment?: boolean;
}

export interface DockerStage {
  index: number;
  /** `AS name`, lower-cased, when given. */
  name?: string;
  from: DockerFrom;
  instructions: DockerInstruction[];
  range: Range;
  /** Index of the earlier stage this one builds on (`FROM build`), when it does. */
  parent?: number;
}

/** A stage's FROM. */
export interface DockerFrom {
  /** The image reference as written (`node:20-alpine`, `$BASE`, `build`). */
  image: string;
  imageName?: string;
  tag?: string;
  digest?: string;
  range: Range;
  imageRange?: Range;
  /** The FROM names an earlier stage rather than an image. */
  isStage: boolean;
  /** The FROM arguments as written (flags excluded). */
  args: string;
  tagRange?: Range;
  readonly node: From;
}

/** A parser directive (`# syntax=…`, `# escape=…`) at the top of the file. */
export interface DockerDirective {
  name: string;
  value: string;
  range: Range;
}

export interface DockerfileModel {
  stages: DockerStage[];
  /** Instructions before the first FROM (ARG, parser directives aside). */
  preamble: DockerInstruction[];
  final?: DockerStage;
  /** The dockerfile-ast tree (parsed on first use for files the line reader read). */
  readonly ast: Dockerfile;
  /** Line offsets of the text, shared by the checks. */
  lines?: LineIndex;
  eol: '\n' | '\r\n';
  /** The escape character (`\\` unless an `# escape=` directive says otherwise). */
  escapeChar: string;
  directives: DockerDirective[];
  /** Defaults of the ARGs declared before the first FROM (`undefined` when an ARG has no default). */
  globalArgs: Record<string, string | undefined>;
  /**
   * The file is a template for generating Dockerfiles (`%%VAR%%` or `{{ … }}` placeholders, or a
   * `.template` / `.tmpl` / `.tpl` / `.j2` name): values holding placeholders are not judged.
   */
  templated: boolean;
  /** What the service facts (services.ts) derive from the model, kept with it once computed. */
  serviceFacts?: unknown;
}

const PERCENT_PLACEHOLDER_RE = /%%[A-Za-z0-9_.-]+%%/;

/**
 * `%%VAR%%`, or `{{ … }}` / `${{ … }}` on one line. A scan rather than `/\{\{[^}\n]*\}\}/`, which
 * backtracks quadratically on a long run of `{` (20,000 of them took seconds).
 */
function placeholderIn(text: string): boolean {
  if (PERCENT_PLACEHOLDER_RE.test(text)) return true;
  let newline = -2;
  for (let i = text.indexOf('{{'); i !== -1; ) {
    const close = text.indexOf('}', i + 2);
    if (close === -1) return false;
    if (newline !== -1 && newline < i + 2) newline = text.indexOf('\n', i + 2);
    if (newline === -1 || close < newline) {
      if (text[close + 1] === '}') return true;
      i = text.indexOf('{{', close);
    } else i = text.indexOf('{{', newline);
  }
  return false;
}
const TEMPLATE_NAME_RE = /\.(template|tmpl|tpl|j2|jinja2?|hbs|mustache|erb)$/i;

/**
 * Does a value hold (part of) a template placeholder (`%%VAR%%`, `{{ … }}`)? A placeholder with spaces
 * is split across arguments (`FROM img/{{ env.variant }}:{{ env.tag }}`), so half of one counts too.
 */
export function hasPlaceholder(value: string): boolean {
  // `{{`, `}}` or `%%` and a letter, found with plain searches (most values hold none of them)
  if (value.includes('{{') || value.includes('}}')) return true;
  let percent = value.indexOf('%%');
  if (percent === -1) return false;
  for (; percent !== -1; percent = value.indexOf('%%', percent + 1)) {
    const c = value.charCodeAt(percent + 2);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  }
  // without `{{` only a `%%…%%` placeholder can be in it (what placeholderIn looks for)
  return PERCENT_PLACEHOLDER_RE.test(value);
}

/**
 * Longest instruction (lines joined by a trailing escape character) the parser is given. dockerfile-ast
 * is quadratic in the words of one instruction: a 100,000-character RUN line took over a second, a
 * 1 MB one minutes. Real instructions are a few kilobytes.
 */
export const MAX_INSTRUCTION_CHARS = 65536;

/** The first line and length of an instruction longer than the limit, if any. Linear, no regex. */
function overlongInstruction(text: string): { line: number; length: number } | undefined {
  let start = 0;
  let line = 0;
  let runStart = 0;
  let runLine = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let last = end - 1;
    while (last >= start && (text[last] === ' ' || text[last] === '\t' || text[last] === '\r')) last--;
    const continues = last >= start && (text[last] === '\\' || text[last] === '`');
    if (end - runStart > MAX_INSTRUCTION_CHARS) return { line: runLine, length: end - runStart };
    if (!continues) {
      runStart = end + 1;
      runLine = line + 1;
    }
    start = end + 1;
    line++;
  }
  return undefined;
}

function safeAst(text: string, problems?: Problem[], file = ''): Dockerfile {
  try {
    return DockerfileParser.parse(text);
  } catch (e) {
    problems?.push({ file, message: `Cannot parse Dockerfile: ${(e as Error).message}`, severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, unaudited: 'file' });
    return DockerfileParser.parse('');
  }
}

/**
 * Per instruction of a line-read file, six numbers in its source's `packed` list (see SmallNumbers): an open
 * file keeps these rather than an object per instruction (each object kept is one more for every garbage
 * collection).
 */
const P_STRIDE = 6;
const P_START = 0;
const P_END = 1;
const P_KEYWORD_END = 2;
/** -1 when the instruction has no arguments. */
const P_ARGS_START = 3;
const P_ARGS_END = 4;
/** The flag count times 4, plus 2 when a word holds a backslash escape, plus 1 for an inner comment. */
const P_BITS = 5;
/** Per stage, after the instructions: its FROM's image word end, and its name, tag and digest offsets (-1: none). */
const F_STRIDE = 6;
const F_IMAGE_END = 0;
const F_NAME_START = 1;
const F_NAME_END = 2;
const F_TAG_START = 3;
const F_TAG_END = 4;
const F_DIGEST_START = 5;

/**
 * A line-read file's instructions as numbers (`packed`), its line index, and its dockerfile-ast tree parsed
 * on first use (nodes found by their start offset). Instruction objects are made from the numbers when read:
 * while the engine runs the file's checks they are held for the run and dropped after it (see
 * Model.holdReads); read at any other time (fixes, the editor), they are kept, so that an instruction read
 * twice is the same object.
 */
class LineSource {
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
class InstructionReads {
  args: (string | undefined)[] = [];
  words: (readonly LineWord[] | undefined)[] = [];
  instructions: LineInstruction[] = [];
  /** The preamble's list, then each stage's. */
  lists: DockerInstruction[][] = [];
  /** Each stage's FROM, by stage index. */
  froms: LineFrom[] = [];
}

/**
 * An instruction read by the line reader, made from its file's numbers when read: ranges and words are
 * computed when asked for (most are asked once or never).
 */
class LineInstruction implements DockerInstruction {
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
  get spansLines(): boolean {
    const nl = this.lines.text.indexOf('\n', this.start);
    return nl !== -1 && nl < this.end;
  }
}

/**
 * The FROM of a line-read stage, made when read from its stage's numbers: the image, its parts and their
 * ranges are made on request (most are never asked for).
 */
class LineFrom implements DockerFrom {
  /** The image as written, once read (most checks read it). */
  private imageText: string | undefined = undefined;
  constructor(private readonly stage: LineStage) {}
  private num(field: number): number {
    return smallAt(this.stage.source.packed, this.stage.source.count * P_STRIDE + this.stage.index * F_STRIDE + field);
  }
  private get ins(): number {
    return this.stage.fromOrdinal * P_STRIDE;
  }
  private get text(): string {
    return this.stage.source.index.text;
  }
  private slice(start: number, end: number): string | undefined {
    return start < 0 ? undefined : this.text.slice(start, end);
  }
  private get imageStart(): number {
    return smallAt(this.stage.source.packed, this.ins + P_ARGS_START);
  }
  get image(): string {
    return (this.imageText ??= this.slice(this.imageStart, this.num(F_IMAGE_END)) ?? '');
  }
  get isStage(): boolean {
    return this.stage.parent !== undefined;
  }
  get imageName(): string | undefined {
    return this.slice(this.num(F_NAME_START), this.num(F_NAME_END));
  }
  get tag(): string | undefined {
    return this.slice(this.num(F_TAG_START), this.num(F_TAG_END));
  }
  get digest(): string | undefined {
    return this.slice(this.num(F_DIGEST_START), this.num(F_IMAGE_END));
  }
  get range(): Range {
    const p = this.stage.source.packed;
    return this.stage.source.index.range(smallAt(p, this.ins + P_START), smallAt(p, this.ins + P_END));
  }
  get imageRange(): Range | undefined {
    const start = this.imageStart;
    return start < 0 ? undefined : this.stage.source.index.range(start, this.num(F_IMAGE_END));
  }
  get tagRange(): Range | undefined {
    const start = this.num(F_TAG_START);
    return start < 0 ? undefined : this.stage.source.index.range(start, this.num(F_TAG_END));
  }
  get args(): string {
    const p = this.stage.source.packed;
    return this.slice(smallAt(p, this.ins + P_ARGS_START), smallAt(p, this.ins + P_ARGS_END)) ?? '';
  }
  /** From the FROM keyword to the end of the image (the whole FROM without an image), as one range. */
  get headRange(): Range {
    const p = this.stage.source.packed;
    return this.stage.source.index.range(smallAt(p, this.ins + P_START), this.imageStart < 0 ? smallAt(p, this.ins + P_END) : this.num(F_IMAGE_END));
  }
  get node(): From {
    return this.stage.source.node(smallAt(this.stage.source.packed, this.ins + P_START), this.stage.fromOrdinal) as From;
  }
}

/** Splits an image reference as dockerfile-ast's FROM does: tag, digest and name (without the registry) as offsets. */
function imageParts(content: string): { tag?: [number, number]; digest?: [number, number]; name: [number, number] } {
  const at = content.indexOf('@');
  const slash = content.indexOf('/');
  let tag: [number, number] | undefined;
  if (at === -1) {
    const colon = content.lastIndexOf(':');
    if (colon > slash) tag = [colon + 1, content.length];
  } else {
    const colon = content.slice(0, at).indexOf(':');
    if (colon !== -1 && (slash === -1 || colon >= slash)) tag = [colon + 1, at];
  }
  const d = content.lastIndexOf('@');
  const digest: [number, number] | undefined = d === -1 ? undefined : [d + 1, content.length];
  const nameEnd = tag ? tag[0] - 1 : digest ? digest[0] - 1 : content.length;
  const head = content.slice(0, nameEnd);
  const s = head.indexOf('/');
  const registry = s !== -1 && (head.includes(':') || head.includes('.') || head.slice(0, s) === 'localhost');
  return { tag, digest, name: [registry ? s + 1 : 0, nameEnd] };
}

interface Built {
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

/** The numbers of the file {@link fromLines} reads, reused from one file to the next. */
const PACKED = new SmallNumbersWriter();

/** The model from the line reader; undefined when a FROM uses variables (dockerfile-ast resolves those). */
function fromLines(text: string, read: LineRead): Built | undefined {
  const { index, keywords, marks, spans: sp } = read;
  const count = keywords.length;
  let fromCount = 0;
  for (let n = 0; n < count; n++) if (keywords[n] === 'FROM') fromCount++;
  // the instructions' numbers, then each stage's FROM details (kept as SmallNumbers while the file is open)
  const packed = PACKED;
  packed.reset(count * P_STRIDE + fromCount * F_STRIDE);
  const source = new LineSource(index, count);
  const stages: LineStage[] = [];
  let preambleCount = count;
  for (let n = 0; n < count; n++) {
    const keyword = keywords[n];
    const m = n * MARK_STRIDE;
    const first = marks[m + MARK_SPANS_FROM];
    const last = marks[m + MARK_SPANS_TO];
    const wordCount = (last - first) / 2;
    const flagCount = flagCountOf(text, keyword, sp, first, last);
    let escaped = false;
    // without an escaped character in the text (most files), no word needs a look
    if (read.escapes) {
      // an escaped character in a flag (or the word that ends them) changes what dockerfile-ast sees there
      for (let w = 0; w <= flagCount && w < wordCount; w++) if (backslashIn(text, sp[first + 2 * w], sp[first + 2 * w + 1])) return undefined;
      for (let w = flagCount + 1; !escaped && w < wordCount; w++) escaped = backslashIn(text, sp[first + 2 * w], sp[first + 2 * w + 1]);
    }
    // the arguments: from the first word after the flags to the end of the last word
    const hasArgs = flagCount < wordCount;
    const argsStart = hasArgs ? sp[first + 2 * flagCount] : -1;
    const at = n * P_STRIDE;
    packed.set(at + P_START, marks[m + MARK_START]);
    packed.set(at + P_END, marks[m + MARK_END]);
    packed.set(at + P_KEYWORD_END, marks[m + MARK_KEYWORD_END]);
    packed.set(at + P_ARGS_START, argsStart);
    packed.set(at + P_ARGS_END, hasArgs ? sp[last - 1] : -1);
    packed.set(at + P_BITS, flagCount * 4 + (escaped ? 2 : 0) + (marks[m + MARK_INNER_COMMENT] === 1 ? 1 : 0));
    if (keyword === 'FROM') {
      // the words after the flags: image, then `AS name`
      const image = wordAt(text, sp, first, wordCount, flagCount) ?? '';
      const second = wordAt(text, sp, first, wordCount, flagCount + 1);
      const third = wordAt(text, sp, first, wordCount, flagCount + 2);
      if (image.includes('$') || image.includes('\\') || second?.includes('\\') || third?.includes('\\')) return undefined;
      // the image word starts the arguments; -1 offsets when there is none
      const parts = imageParts(image);
      const tagAt = hasArgs ? parts.tag : undefined;
      const name = third !== undefined && second!.toUpperCase() === 'AS' ? third.toLowerCase() : undefined;
      const details = count * P_STRIDE + stages.length * F_STRIDE;
      packed.set(details + F_IMAGE_END, hasArgs ? sp[first + 2 * flagCount + 1] : -1);
      packed.set(details + F_NAME_START, hasArgs ? argsStart + parts.name[0] : -1);
      packed.set(details + F_NAME_END, hasArgs ? argsStart + parts.name[1] : -1);
      packed.set(details + F_TAG_START, tagAt ? argsStart + tagAt[0] : -1);
      packed.set(details + F_TAG_END, tagAt ? argsStart + tagAt[1] : -1);
      packed.set(details + F_DIGEST_START, parts.digest && hasArgs ? argsStart + parts.digest[0] : -1);
      const parent = parentOf(stages, image);
      if (stages.length === 0) preambleCount = n;
      const previous = stages[stages.length - 1];
      if (previous) previous.count = n - previous.fromOrdinal - 1;
      stages.push(new LineStage(stages.length, name, parent >= 0 ? parent : undefined, source, n, marks[m + MARK_END]));
    }
  }
  const lastStage = stages[stages.length - 1];
  if (lastStage) lastStage.count = count - lastStage.fromOrdinal - 1;
  // the stage ends with its last instruction
  for (const stage of stages) if (stage.count > 0) stage.end = packed.get((stage.fromOrdinal + stage.count) * P_STRIDE + P_END);
  source.packed = packed.keep();
  return { stages: stages.slice(), preamble: undefined, preambleCount, directives: undefined, escapeChar: '\\', astSource: source };
}

/** Word `k` of an instruction whose words are `spans` from `first` (`count` of them), or undefined past its last. */
function wordAt(text: string, spans: ArrayLike<number>, first: number, count: number, k: number): string | undefined {
  return k < count ? text.slice(spans[first + 2 * k], spans[first + 2 * k + 1]) : undefined;
}

/** The earlier stage an image names (`FROM build`), or -1. */
function parentOf(stages: readonly DockerStage[], image: string): number {
  // a file has a few stages: a search rather than a set of names
  const lower = image.toLowerCase();
  for (let k = 0; k < stages.length; k++) if (stages[k].name === lower) return k;
  return -1;
}

/** Opens a stage at a FROM; `isStage` tells whether the image names an earlier stage (then `parent` is that stage). */
function addStage(stages: DockerStage[], image: string, name: string | undefined, range: Range, from: (isStage: boolean) => DockerStage['from']): void {
  const parent = parentOf(stages, image);
  const isStage = parent >= 0;
  stages.push({ index: stages.length, name, from: from(isStage), instructions: [], range, parent: parent >= 0 ? parent : undefined });
}

/**
 * A line-read stage: its FROM and instructions are made from the file's numbers when read (see LineSource),
 * and its range (from the FROM to the end of its last instruction) on request.
 */
class LineStage implements DockerStage {
  constructor(
    readonly index: number,
    readonly name: string | undefined,
    readonly parent: number | undefined,
    readonly source: LineSource,
    /** The FROM's ordinal; the stage's instructions follow it. */
    readonly fromOrdinal: number,
    /** The end of the FROM, then of the last instruction once the stage is read. */
    public end: number,
  ) {}
  /** How many instructions follow the FROM in this stage (set once the stage is read). */
  count = 0;
  get instructions(): DockerInstruction[] {
    return this.source.list(this.index, this.fromOrdinal + 1, this.count);
  }
  /** Shared by the checks of a run (most read it several times); read at any other time, made afresh and kept by no one. */
  get from(): DockerFrom {
    const reads = this.source.reads;
    return reads === undefined ? new LineFrom(this) : (reads.froms[this.index] ??= new LineFrom(this));
  }
  get range(): Range {
    return this.source.index.range(smallAt(this.source.packed, this.fromOrdinal * P_STRIDE + P_START), this.end);
  }
}

function astInstruction(i: Instruction): DockerInstruction {
  return {
    keyword: i.getKeyword().toUpperCase(),
    args: i.getRawArgumentsContent() ?? '',
    range: i.getRange(),
    keywordRange: i.getInstructionRange(),
    argsRange: i.getArgumentsRange() ?? undefined,
    node: i,
  };
}

/** The model from dockerfile-ast (files the line reader declines). */
function fromAst(ast: Dockerfile): Built {
  const stages: DockerStage[] = [];
  const preamble: DockerInstruction[] = [];
  for (const ins of ast.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const from = ins as From;
      const name = from.getBuildStage()?.toLowerCase() ?? undefined;
      const image = from.getImage() ?? '';
      const range = ins.getRange();
      addStage(stages, image, name, range, (isStage) => ({
        image,
        imageName: from.getImageName() ?? undefined,
        tag: from.getImageTag() ?? undefined,
        digest: from.getImageDigest() ?? undefined,
        range,
        imageRange: from.getImageRange() ?? undefined,
        isStage,
        args: from.getRawArgumentsContent() ?? '',
        tagRange: from.getImageTagRange() ?? undefined,
        node: from,
      }));
      continue;
    }
    const di = astInstruction(ins);
    const stage = stages[stages.length - 1];
    if (!stage) preamble.push(di);
    else {
      stage.instructions.push(di);
      stage.range = { start: stage.range.start, end: di.range.end };
    }
  }
  const directives = ast.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), range: d.getRange() }));
  return { stages, preamble, preambleCount: preamble.length, directives, escapeChar: ast.getEscapeCharacter(), astSource: { ast } };
}

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

/** Whether an instruction spans more than one line (cheap for line-read ones: no range computed). */
export function spansLines(ins: DockerInstruction): boolean {
  if (ins instanceof LineInstruction) return ins.spansLines;
  return ins.range.start.line !== ins.range.end.line;
}

// ---- Instruction details: from the line reader's words when it read the instruction, else from dockerfile-ast.

/** A `NAME=value` of ENV, ARG or LABEL; dockerfile-ast's Property has the same shape. */
export interface DockerProperty {
  getName(): string;
  getValue(): string | null;
  getUnescapedValue(): string | null;
  getRange(): Range;
  getNameRange(): Range;
  getValueRange(): Range | null;
}

/** A property of a line-read instruction, kept as offsets: its ranges are made when asked for (most never are). */
class LineProperty implements DockerProperty {
  constructor(
    private readonly name: string,
    private readonly value: string | null,
    private readonly index: LineIndex,
    /** The property from its name to the end of its value. */
    private readonly start: number,
    private readonly end: number,
    private readonly nameEnd: number,
    /** -1 without a value. */
    private readonly valueStart: number,
  ) {}
  getName(): string {
    return this.name;
  }
  getValue(): string | null {
    return this.value;
  }
  getUnescapedValue(): string | null {
    return this.value;
  }
  getRange(): Range {
    return this.index.range(this.start, this.end);
  }
  getNameRange(): Range {
    return this.index.range(this.start, this.nameEnd);
  }
  getValueRange(): Range | null {
    return this.valueStart < 0 ? null : this.index.range(this.valueStart, this.end);
  }
}

/** Properties from words (no quotes, no escapes, one-line values), as dockerfile-ast reads them; undefined when it must. */
function lineProperties(ins: DockerInstruction): DockerProperty[] | undefined {
  if (!(ins instanceof LineInstruction) || ins.innerComment || ins.escaped || /["']/.test(ins.args)) return undefined;
  const { words, lines: index } = ins;
  const single = (w: LineWord): DockerProperty => {
    const eq = w.value.indexOf('=');
    if (eq === -1) return new LineProperty(w.value, null, index, w.start, w.end, w.end, -1);
    // a word is on one line: name and value ranges are its range split at the `=`
    return new LineProperty(w.value.slice(0, eq), w.value.slice(eq + 1), index, w.start, w.end, w.start + eq, w.start + eq + 1);
  };
  if (words.length === 0) return [];
  if (words.length === 1) return [single(words[0])];
  if (words[0].value.includes('=')) return words.map(single);
  const last = words[words.length - 1];
  const value = index.text.slice(words[1].start, last.end);
  if (/[\r\n]/.test(value)) return undefined;
  return [new LineProperty(words[0].value, value, index, words[0].start, last.end, words[0].end, words[1].start)];
}

/** `NAME=value` pairs of an ENV, ARG or LABEL instruction, with ranges; legacy `ENV NAME value` included. */
export function dockerProperties(ins: DockerInstruction): DockerProperty[] {
  if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG' && ins.keyword !== 'LABEL') return [];
  const light = lineProperties(ins);
  if (light) return light;
  const node = ins.node as unknown as { getProperties?: () => Property[] };
  return typeof node.getProperties === 'function' ? node.getProperties() : [];
}

/** The one property of an ARG (none when it declares several or none), as dockerfile-ast's `Arg.getProperty`. */
function argProperty(ins: DockerInstruction): DockerProperty | null {
  const light = lineProperties(ins);
  if (light) return light.length === 1 && ins.words?.length === 1 ? light[0] : null;
  return (ins.node as Arg).getProperty?.() ?? null;
}

/** The flags of ADD, COPY, RUN, FROM and HEALTHCHECK (`--mount=…`), names as written. */
export function dockerFlags(ins: DockerInstruction): { name: string; value: string | null }[] {
  if (ins instanceof LineInstruction) return ins.flagCount === 0 ? [] : flagWords(ins.lines.text, ins.keyword, ins.words).map((w) => splitFlag(w.value));
  const node = ins.node as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  if (typeof node.getFlags !== 'function') return [];
  return node.getFlags().map((f) => ({ name: f.getName(), value: f.getValue() }));
}

/** `COPY --from=<stage>`: the value when it is the only flag (as dockerfile-ast's `getFromFlag`). */
export function copyFromFlag(ins: DockerInstruction): string | null | undefined {
  if (ins instanceof LineInstruction) {
    if (ins.flagCount !== 1) return undefined;
    const flags = dockerFlags(ins);
    return flags.length === 1 && flags[0].name === 'from' ? flags[0].value : undefined;
  }
  return (ins.node as Copy).getFromFlag?.()?.getValue();
}

/** The argument values after the flags (COPY sources and destination…). */
export function dockerArgValues(ins: DockerInstruction): string[] {
  if (ins instanceof LineInstruction && !ins.escaped) return ins.words.slice(ins.flagCount).map((w) => w.value);
  return ins.node.getArguments().map((a) => a.getValue());
}

/**
 * The strings of a JSON-form instruction (`["node", "main.js"]`) with offsets including the quotes, when
 * it has both brackets; undefined for the shell form.
 */
export function dockerJson(ins: DockerInstruction, index: LineIndex): { value: string; start: number; end: number }[] | undefined {
  if (ins instanceof LineInstruction && !/^\s*\[/.test(ins.args)) return undefined; // the shell form
  if (ins instanceof LineInstruction && !ins.args.includes('\\') && ins.argsRange) {
    const rest = ins.words.slice(ins.flagCount);
    if (rest.length === 1 && rest[0].value === '[]') return [];
    if (rest.length === 2 && rest[0].value === '[' && rest[1].value === ']') return [];
    const base = index.offsetAt(ins.argsRange.start);
    const src = ins.args;
    const strings: { value: string; start: number; end: number }[] = [];
    let last = '';
    let quoted = false;
    let start = -1;
    let open = false;
    let close = false;
    scan: for (let i = 0; i < src.length; i++) {
      const c = src[i];
      switch (c) {
        case '[':
          if (last === '') {
            open = true;
            last = '[';
          } else if (!quoted) break scan;
          break;
        case '"':
          if (last === '[' || last === ',') {
            start = i;
            quoted = true;
            last = '"';
          } else if (last === '"' && quoted) {
            quoted = false;
            strings.push({ value: src.slice(start, i + 1).replace(/[ \t]/g, ''), start: base + start, end: base + i + 1 }); // dockerfile-ast drops blanks from the value
          } else break scan;
          break;
        case ',':
          if (!quoted) {
            if (last === '"') last = ',';
            else break scan;
          }
          break;
        case ']':
          if (!quoted && last !== '') {
            close = true;
            break scan;
          }
          break;
        case ' ':
        case '\t':
          break;
        default:
          if (!quoted) break scan;
      }
    }
    return open && close ? strings : undefined;
  }
  const node = ins.node as JSONInstruction;
  if (typeof node.getJSONStrings !== 'function' || !node.getOpeningBracket?.() || !node.getClosingBracket?.()) return undefined;
  return node.getJSONStrings().map((j) => {
    const r = j.getRange();
    return { value: j.getValue(), start: index.offsetAt(r.start), end: index.offsetAt(r.end) };
  });
}

/** The FROM keyword plus image (the whole FROM when it names none), without intermediate ranges for a line-read FROM. */
export function dockerFromHead(from: DockerFrom): Range {
  if (from instanceof LineFrom) return from.headRange;
  const image = from.imageRange;
  return image ? { start: from.range.start, end: image.end } : from.range;
}

/** The first and last line of an instruction; for one the line reader read, without making its range. */
export function dockerLines(ins: DockerInstruction, index: LineIndex): { first: number; last: number } {
  if (ins instanceof LineInstruction) return { first: index.lineAt(ins.start), last: index.lineAt(ins.end) };
  const { start, end } = ins.range;
  return { first: start.line, last: end.line };
}

/** Offsets of the arguments (`argsRange`), without making the range for an instruction the line reader read. */
export function dockerArgsOffsets(ins: DockerInstruction, index: LineIndex): { start: number; end: number } | undefined {
  if (ins instanceof LineInstruction) return ins.argsStart < 0 ? undefined : { start: ins.argsStart, end: ins.argsEnd };
  const r = ins.argsRange;
  return r ? { start: index.offsetAt(r.start), end: index.offsetAt(r.end) } : undefined;
}

/** The arguments with continuation lines joined (dockerfile-ast's `getArgumentsContent`). */
export function dockerJoinedArgs(ins: DockerInstruction): string {
  if (ins instanceof LineInstruction && !ins.innerComment) {
    const args = ins.args;
    return args.includes('\\') ? args.replace(/\\[ \t]*\r?\n/g, '') : args;
  }
  return (ins.node as JSONInstruction).getArgumentsContent?.() ?? ins.args;
}
