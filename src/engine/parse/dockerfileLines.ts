/**
 * A line-level Dockerfile reader for the audit's hot path.
 *
 * Why not only dockerfile-ast: building its tree costs about as much per file as the whole of the npm
 * Dockerfile linters (it computes positions for every argument, flag and JSON string of every instruction
 * eagerly), and most checks only need keywords, argument text and ranges. So plain files are read here,
 * in one pass over the text, and dockerfile-ast stays the parser of record: it parses a file on first use
 * of an instruction's `node` (fixes and a few rare shapes), and it parses every file this reader declines.
 *
 * The reader only accepts files whose meaning is unambiguous at line level (`readLines` returns undefined
 * otherwise): no heredocs (`<<`), no byte-order mark, the default escape character, and every backslash a
 * line continuation preceded by whitespace (so no escaped characters and no words joined across lines).
 * On those files it reproduces dockerfile-ast's instruction extents, keyword and argument ranges, words,
 * flags and properties; `test/unit/dockerfileLines.test.ts` compares both on every Dockerfile fixture and
 * the shared corpus.
 */
import type { Range } from '../model';
import { LineIndex, whitespaceCode } from '../text';

/** A whitespace-separated word of an instruction, as offsets in the file. */
export interface LineWord {
  start: number;
  end: number;
  value: string;
}

/** Per instruction in {@link LineRead.marks}: how many numbers, and which is which. */
export const MARK_STRIDE = 6;
export const MARK_START = 0;
/** The end of its last line (before the line break). */
export const MARK_END = 1;
export const MARK_KEYWORD_END = 2;
/** Its words in {@link LineRead.spans}: from this index (even) to the next mark's. */
export const MARK_SPANS_FROM = 3;
export const MARK_SPANS_TO = 4;
/** 1 when a comment line sits inside the instruction's continuation lines. */
export const MARK_INNER_COMMENT = 5;

export interface LineDirective {
  name: string;
  value: string;
  range: Range;
}

/**
 * What the reader found, as flat lists of offsets rather than an object per instruction (the model is
 * built from these at once, so per-instruction objects here would only be garbage). `marks` and `spans`
 * are the reader's own buffers, reused by its next read: read them before reading another text.
 */
export interface LineRead {
  index: LineIndex;
  directives: LineDirective[];
  /** Upper-cased keywords, one per instruction. */
  keywords: string[];
  /** {@link MARK_STRIDE} numbers per instruction (see the `MARK_` constants). */
  marks: ArrayLike<number>;
  /** The words after the keywords (flags included), as start and end offsets, of all instructions in turn. */
  spans: ArrayLike<number>;
  /** Some backslash escapes a character (`\$`); without one, no word needs checking for escapes. */
  escapes: boolean;
}

/**
 * A growable list of offsets kept between reads: a read fills it from the start, so reading a file makes no
 * lists to throw away (the model keeps what it needs as numbers of its own).
 */
class Offsets {
  data = new Int32Array(256);
  length = 0;
  push(a: number, b: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }
}

/** The buffers of {@link readLines} (marks and words) and of {@link instructionWords}. */
const MARKS = new Offsets();
const SPANS = new Offsets();
const WORDS = new Offsets();

// character codes (NaN past the end of the text is none of them)
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const HASH = 35;
const DASH = 45;
const spaceAt = (c: number): boolean => c === SPACE || c === TAB;
const breakAt = (c: number): boolean => c === LF || c === CR;
const blankAt = (c: number): boolean => c === SPACE || c === TAB || c === LF || c === CR;

/**
 * Every backslash is either a line continuation preceded by whitespace (words are never joined across
 * lines) or escapes the one visible character after it (`\$`, `\"`); no lone CR; no heredoc; no BOM.
 * Undefined when the text is not plain, else whether some backslash escapes a character.
 */
function plain(text: string): boolean | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('<<')) return undefined;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== LF) return undefined;
  let escapes = false;
  for (let i = text.indexOf('\\'); i !== -1; i = text.indexOf('\\', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (i + 1 < text.length && next !== BACKSLASH && !blankAt(next)) {
      escapes = true;
      i++; // an escaped character: `\$`
      continue;
    }
    const before = text.charCodeAt(i - 1);
    if (i > 0 && before !== SPACE && before !== TAB && before !== LF) return undefined;
    let j = i + 1;
    while (spaceAt(text.charCodeAt(j))) j++;
    if (!breakAt(text.charCodeAt(j))) return undefined;
  }
  return escapes;
}

const DIRECTIVE_RE = /^[ \t]*#[ \t]*([^ \t=]+)[ \t]*=[ \t]*([^ \t]+)([ \t]*)$/;

/** The parser directives of a text this reader read (the model makes them on request: few callers ask). */
export function lineDirectives(index: LineIndex): LineDirective[] {
  return readDirectives(index.text, index)?.directives ?? [];
}

/** Parser directives at the top; undefined when one has a shape this reader does not follow. */
function readDirectives(text: string, index: LineIndex): { directives: LineDirective[]; offset: number } | undefined {
  const directives: LineDirective[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.starts[line];
    const end = index.lineEnd(line);
    // the first non-blank character is `#` and a `=` follows, told before the line is sliced
    let at = start;
    while (at < end && whitespaceCode(text.charCodeAt(at))) at++;
    if (at === end || text.charCodeAt(at) !== HASH) break;
    const eq = text.indexOf('=', at);
    if (eq === -1 || eq >= end) break;
    const hash = at - start;
    const body = text.slice(start, end);
    const m = DIRECTIVE_RE.exec(body);
    if (!m) return undefined;
    const name = m[1].toLowerCase();
    if (name === 'escape') return undefined;
    directives.push({ name, value: m[2], range: { start: { line, character: hash }, end: { line, character: end - start } } });
    if (m[3] !== '') break; // trailing blanks end the directives (as dockerfile-ast reads them)
  }
  return { directives, offset: directives.length < index.lineCount ? index.starts[directives.length] : text.length };
}

/**
 * The words of an instruction's arguments from `from`, as start and end offsets pushed to `spans`:
 * whitespace-separated, continuation backslashes and comment lines inside the continuation skipped.
 * Reads up to `to`, or with `stopAtBreak` up to the first line break no continuation escapes. Returns
 * where it stopped, as `-(offset + 1)` when a comment line sat inside the continuation.
 */
function scanWords(text: string, from: number, to: number, spans: Offsets, stopAtBreak = false): number {
  let innerComment = false;
  let afterContinuation = false;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === LF || c === CR) {
      if (stopAtBreak && !afterContinuation) break;
      i++;
      continue;
    }
    if (c === BACKSLASH && blankAt(text.charCodeAt(i + 1))) {
      afterContinuation = true;
      i++;
      continue;
    }
    if (c === HASH && afterContinuation) {
      innerComment = true;
      while (i < to && !breakAt(text.charCodeAt(i))) i++;
      continue;
    }
    afterContinuation = false;
    const start = i;
    while (i < to) {
      const d = text.charCodeAt(i);
      if (blankAt(d)) break;
      i += d === BACKSLASH ? 2 : 1;
    }
    spans.push(start, i);
  }
  return innerComment ? -(i + 1) : i;
}

/** An instruction's words, read again from its offsets (a model keeps the offsets, not the words). */
export function instructionWords(text: string, keywordEnd: number, end: number): LineWord[] {
  WORDS.length = 0;
  scanWords(text, keywordEnd, end, WORDS);
  const spans = WORDS.data;
  const words: LineWord[] = new Array<LineWord>(WORDS.length / 2);
  for (let w = 0; w < words.length; w++) words[w] = { start: spans[2 * w], end: spans[2 * w + 1], value: text.slice(spans[2 * w], spans[2 * w + 1]) };
  return words;
}

/** Does the text between two offsets hold a backslash (in a word: an escaped character)? */
export function backslashIn(text: string, start: number, end: number): boolean {
  // a bounded scan: `indexOf` would search on past the word, for every word
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === BACKSLASH) return true;
  return false;
}

/** The instructions of the Dockerfile reference. */
export const DOCKERFILE_INSTRUCTIONS: readonly string[] = ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

/** The instruction keywords by length: a word is compared with the few of its length. */
const KEYWORDS: string[][] = [];
for (const k of DOCKERFILE_INSTRUCTIONS) (KEYWORDS[k.length] ??= []).push(k);

/**
 * The upper-cased keyword between two offsets. A known keyword is the shared constant, compared in place
 * (case-insensitively) rather than sliced and upper-cased: a model keeps one per instruction.
 */
export function keywordAt(text: string, start: number, end: number): string {
  const length = end - start;
  const candidates = length < KEYWORDS.length ? KEYWORDS[length] : undefined;
  if (candidates) next: for (const k of candidates) {
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(start + i);
      // ASCII letters only: c or its upper-case form
      if (c !== k.charCodeAt(i) && c !== k.charCodeAt(i) + 32) continue next;
    }
    return k;
  }
  return text.slice(start, end).toUpperCase();
}

/** Reads a plain Dockerfile (see the module comment); undefined when dockerfile-ast must read it. */
export function readLines(text: string): LineRead | undefined {
  const escapes = plain(text);
  if (escapes === undefined) return undefined;
  const index = new LineIndex(text);
  const head = readDirectives(text, index);
  if (!head) return undefined;
  const keywords: string[] = [];
  const marks = MARKS;
  const spans = SPANS;
  marks.length = 0;
  spans.length = 0;
  const n = text.length;
  let i = head.offset;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (blankAt(c)) {
      i++;
      continue;
    }
    if (c === HASH) {
      while (i < n && !breakAt(text.charCodeAt(i))) i++;
      continue;
    }
    const start = i;
    while (i < n && !blankAt(text.charCodeAt(i))) i++;
    const keywordEnd = i;
    const spansFrom = spans.length;
    let innerComment = 0;
    if (i < n && spaceAt(text.charCodeAt(i))) {
      // the words, up to the first line break that no continuation escapes: the instruction's extent
      const stop = scanWords(text, keywordEnd, n, spans, true);
      innerComment = stop < 0 ? 1 : 0;
      i = stop < 0 ? -stop - 1 : stop;
    }
    keywords.push(keywordAt(text, start, keywordEnd));
    marks.push(start, i);
    marks.push(keywordEnd, spansFrom);
    marks.push(spans.length, innerComment);
  }
  return { index, directives: head.directives, keywords, marks: marks.data, spans: spans.data, escapes };
}

/** Does `--` occur between two offsets? (A bounded scan: `indexOf` would search on past the word.) */
function dashesIn(text: string, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) if (text.charCodeAt(i) === DASH && text.charCodeAt(i + 1) === DASH) return true;
  return false;
}

const noDashes = (text: string, start: number, end: number): boolean => !dashesIn(text, start, end);

/** Keywords whose leading words may be flags, and the word (by its offsets) at which the flag search stops. */
const FLAG_STOP: Record<string, (text: string, start: number, end: number) => boolean> = {
  ADD: noDashes,
  COPY: noDashes,
  RUN: noDashes,
  FROM: noDashes,
  HEALTHCHECK: (text, start, end) => {
    const w = text.slice(start, end).toUpperCase();
    return w === 'CMD' || w === 'NONE';
  },
};

/** Is the word between two offsets a flag (`--name…`)? */
const flagAt = (text: string, start: number, end: number): boolean => end - start >= 2 && text.charCodeAt(start) === DASH && text.charCodeAt(start + 1) === DASH;

/** The flag words of an instruction (dockerfile-ast's rules: the search stops at the first word that cannot be one). */
export function flagWords(text: string, keyword: string, words: readonly LineWord[]): LineWord[] {
  const stop = FLAG_STOP[keyword];
  if (!stop) return [];
  const flags: LineWord[] = [];
  for (const w of words) {
    if (stop(text, w.start, w.end)) break;
    if (flagAt(text, w.start, w.end)) flags.push(w);
  }
  return flags;
}

/** How many of the leading words are flags, by {@link flagWords}' rules, from word offsets (`spans` from `from` to `to`). */
export function flagCountOf(text: string, keyword: string, spans: ArrayLike<number>, from = 0, to = spans.length): number {
  const stop = FLAG_STOP[keyword];
  if (!stop) return 0;
  let count = 0;
  for (let w = from; w < to; w += 2) {
    if (stop(text, spans[w], spans[w + 1])) break;
    if (flagAt(text, spans[w], spans[w + 1])) count++;
  }
  return count;
}

/** A flag word as name and value (`--mount=type=cache` → mount, type=cache; `--no-cache` → value null). */
export function splitFlag(word: string): { name: string; value: string | null } {
  const eq = word.indexOf('=');
  return eq === -1 ? { name: word.slice(2), value: null } : { name: word.slice(2, eq), value: word.slice(eq + 1) };
}
