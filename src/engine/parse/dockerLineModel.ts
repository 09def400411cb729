// The model of a Dockerfile from the line reader (dockerfileLines.ts): stages over the packed instructions.
import type { From } from 'dockerfile-ast';
import type { Range } from '../model';
import { smallAt, SmallNumbersWriter } from './smallNumbers';
import { backslashIn, flagCountOf, MARK_END, MARK_INNER_COMMENT, MARK_KEYWORD_END, MARK_SPANS_FROM, MARK_SPANS_TO, MARK_START, MARK_STRIDE, type LineRead } from './dockerfileLines';
import type { DockerFrom, DockerInstruction, DockerStage } from './dockerfileTypes';
import { parentOf, type Built } from './dockerfileBuilt';
import { F_DIGEST_START, F_IMAGE_END, F_NAME_END, F_NAME_START, F_STRIDE, F_TAG_END, F_TAG_START, LineSource, P_ARGS_END, P_ARGS_START, P_BITS, P_END, P_KEYWORD_END, P_START, P_STRIDE } from './dockerLineSource';

/** The numbers of the file {@link fromLines} reads, reused from one file to the next. */
const PACKED = new SmallNumbersWriter();

/** The model from the line reader; undefined when a FROM uses variables (dockerfile-ast resolves those). */
export function fromLines(text: string, read: LineRead): Built | undefined {
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

/**
 * A line-read stage: its FROM and instructions are made from the file's numbers when read (see LineSource),
 * and its range (from the FROM to the end of its last instruction) on request.
 */
export class LineStage implements DockerStage {
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

/**
 * The FROM of a line-read stage, made when read from its stage's numbers: the image, its parts and their
 * ranges are made on request (most are never asked for).
 */
export class LineFrom implements DockerFrom {
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
export function imageParts(content: string): { tag?: [number, number]; digest?: [number, number]; name: [number, number] } {
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
