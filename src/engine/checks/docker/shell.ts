import { dockerArgsOffsets, dockerJson, type DockerInstruction } from '../../parse/dockerfile';
import { whitespaceCode, type LineIndex } from '../../text';
import type { Subcommand } from './shellProgram';

/** A shell word with its unquoted value and its offsets in the Dockerfile text. */
export interface Word {
  value: string;
  start: number;
  end: number;
}

/** One simple command of a RUN: leading `NAME=value` assignments, then the words. */
export interface ShellCommand {
  assignments: Word[];
  words: Word[];
}

/** Shell keywords that may precede a command on the same line (`if x; then apt-get …`). */
const LEADING_KEYWORDS = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', 'time', '{', '}', 'exec']);

// character codes
const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const SQUOTE = 39;
const DQUOTE = 34;
const DOLLAR = 36;
const BACKSLASH = 92;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const AMP = 38;
const PIPE = 124;
const SEMI = 59;

/** Separator characters (`&&`, `||`, `;;`, `;`, `|`, `&`, `(`, `)`) by code. */
const SEPARATOR = new Uint8Array(128);
for (const c of '&|;()') SEPARATOR[c.charCodeAt(0)] = 1;
/** Characters that end or change a word, by code; everything else is copied as is. */
const SPECIAL_IN_WORD = new Uint8Array(128);
for (const c of ' \t\n\r\'"$\\&|;()') SPECIAL_IN_WORD[c.charCodeAt(0)] = 1;

/**
 * A line continuation at `i` (the escape character, blanks, a line break, within 65 characters): the
 * offset after it, else -1.
 */
function continuationEnd(src: string, i: number): number {
  const limit = Math.min(src.length, i + 65);
  let j = i + 1;
  while (j < limit && (src.charCodeAt(j) === SPACE || src.charCodeAt(j) === TAB)) j++;
  if (j < limit && src.charCodeAt(j) === CR) j++;
  return j < limit && src.charCodeAt(j) === LF ? j + 1 : -1;
}

export const ASSIGNMENT_RE = /^[A-Za-z_][A-Za-z0-9_]*=/;
const HEREDOC_RE = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/;

/**
 * Splits the command part of a RUN (shell form, JSON form or heredoc) into simple commands, keeping the
 * offsets of every word so findings can point at `npm install` or `sudo` exactly. Heuristic but total:
 * it never throws, whatever the text.
 */
export function runCommands(ins: DockerInstruction, text: string, index: LineIndex, escapeChar: string): ShellCommand[] {
  const args = dockerArgsOffsets(ins, index);
  if (!args) return [];
  const json = dockerJson(ins, index);
  if (json && json.length > 0) {
    const words = json.map((j) => ({ value: jsonString(text.slice(j.start, j.end)), start: j.start, end: j.end }));
    // `["sh", "-c", "apt-get update && …"]`: tokenise the script string (inside its quotes).
    const sh = words[0] && /(^|\/)(ba|da|a)?sh$/.test(words[0].value) && words[1]?.value === '-c' ? words[2] : undefined;
    if (sh) return tokenize(sh.value, sh.start + 1, '\\');
    return [new Command(NO_WORDS, words)];
  }
  const { start, end } = args;
  const raw = text.slice(start, end);
  const firstLineEnd = raw.indexOf('\n') === -1 ? raw.length : raw.indexOf('\n');
  // a heredoc starts with `<<` on the first line: most RUNs have none, and no regular expression runs for them
  const lt = raw.indexOf('<<');
  const heredoc = lt !== -1 && lt < firstLineEnd ? HEREDOC_RE.exec(raw.slice(0, firstLineEnd)) : null;
  if (heredoc) {
    const commands = tokenize(raw.slice(0, firstLineEnd), start, escapeChar);
    const head = raw.slice(0, heredoc.index).trim();
    // `RUN <<EOF` or `RUN bash <<EOF` / `RUN sh -ex <<EOF`: the body is a shell script.
    if (head === '' || /^(\S*\/)?(ba|da|a)?sh(\s+-\w+)*$/.test(head)) {
      const bodyStart = firstLineEnd + 1;
      const delimiter = new RegExp(`^\\s*${heredoc[3]}\\s*$`, 'm');
      const rest = raw.slice(bodyStart);
      const m = delimiter.exec(rest);
      const body = m ? rest.slice(0, m.index) : rest;
      commands.push(...tokenize(body, start + bodyStart, '\\'));
    }
    return commands.filter((c) => !(c.words.length === 1 && /^<</.test(c.words[0].value)));
  }
  return tokenize(raw, start, escapeChar);
}

/** The value of a JSON string token; offsets inside it are approximate when it holds escapes. */
function jsonString(token: string): string {
  try {
    const v: unknown = JSON.parse(token);
    return typeof v === 'string' ? v : token;
  } catch {
    return token.replace(/^"|"$/g, '');
  }
}

/** Tokenises shell text; `base` is the offset of `src` in the file. */
export function tokenize(src: string, base: number, escapeChar: string): ShellCommand[] {
  // character codes rather than one-character strings, and plain runs sliced whole: this reads every RUN
  const esc = escapeChar.length === 1 ? escapeChar.charCodeAt(0) : -1;
  const n = src.length;
  const commands: ShellCommand[] = [];
  let current: Word[] = [];
  const flush = () => {
    if (current.length) commands.push(toCommand(current));
    current = [];
  };
  let i = 0;
  let atLineStart = true;
  while (i < n) {
    const ch = src.charCodeAt(i);
    // Line continuation: escape char + optional spaces + newline.
    if (ch === esc) {
      const after = continuationEnd(src, i);
      if (after !== -1) {
        i = after;
        atLineStart = true;
        continue;
      }
    }
    if (ch === LF) {
      flush();
      i++;
      atLineStart = true;
      continue;
    }
    if (ch === SPACE || ch === TAB || ch === CR) {
      i++;
      continue;
    }
    if (ch === HASH && (atLineStart || current.length === 0 || i === 0 || whitespaceCode(src.charCodeAt(i - 1)))) {
      // Comment to the end of the line (a comment line inside a continued RUN is dropped by Docker too).
      while (i < n && src.charCodeAt(i) !== LF) i++;
      continue;
    }
    atLineStart = false;
    if (ch < 128 && SEPARATOR[ch]) {
      // `&&`, `||`, `;;` or a single separator character
      const next = src.charCodeAt(i + 1);
      flush();
      i += (ch === AMP || ch === PIPE || ch === SEMI) && next === ch ? 2 : 1;
      continue;
    }
    // A word: runs until unquoted whitespace or a separator.
    const startOffset = i;
    let value = '';
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === SPACE || c === TAB || c === LF || c === CR) break;
      if (c === esc && continuationEnd(src, i) !== -1) break;
      if (c < 128 && SEPARATOR[c]) break;
      if (c === SQUOTE) {
        const close = src.indexOf("'", i + 1);
        const endQ = close === -1 ? n : close;
        value += src.slice(i + 1, endQ);
        i = endQ + 1;
        continue;
      }
      if (c === DQUOTE) {
        let j = i + 1;
        while (j < n && src.charCodeAt(j) !== DQUOTE) {
          if (src.charCodeAt(j) === BACKSLASH && j + 1 < n) {
            value += src[j + 1];
            j += 2;
            continue;
          }
          // a run up to the closing quote or a backslash in one slice
          let k = j + 1;
          while (k < n && src.charCodeAt(k) !== DQUOTE && src.charCodeAt(k) !== BACKSLASH) k++;
          value += src.slice(j, k);
          j = k;
        }
        i = j + 1;
        continue;
      }
      if (c === DOLLAR && src.charCodeAt(i + 1) === OPEN_PAREN) {
        // Command substitution: keep it inside the word, balanced.
        let depth = 0;
        let j = i + 1;
        for (; j < n; j++) {
          const d = src.charCodeAt(j);
          if (d === OPEN_PAREN) depth++;
          else if (d === CLOSE_PAREN && --depth === 0) break;
        }
        value += src.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (c === BACKSLASH && i + 1 < n) {
        value += src[i + 1];
        i += 2;
        continue;
      }
      // a run of ordinary characters in one slice
      let j = i + 1;
      for (; j < n; j++) {
        const d = src.charCodeAt(j);
        if ((d < 128 && SPECIAL_IN_WORD[d]) || d === esc) break;
      }
      value += src.slice(i, j);
      i = j;
    }
    current.push({ value, start: base + startOffset, end: base + Math.min(i, n) });
  }
  flush();
  return commands;
}

/** The assignments of a command without any (most): shared, never written. */
const NO_WORDS: Word[] = Object.freeze([]) as unknown as Word[];

/**
 * A command with slots for what `program` and `subcommand` (shellProgram.ts) and `nodeInstall` compute once per
 * command (slots declared up front: a property added later would need a separate store per command).
 */
class Command implements ShellCommand {
  /** undefined until computed; null when the command has no program. */
  programSlot: { name: string; at: number } | null | undefined = undefined;
  /** For packageManager.ts's nodeInstall: undefined until computed. */
  installSlot: unknown = undefined;
  /** What `subcommand` and `argumentsAfter` found, for the word index they were given. */
  subSlot: Subcommand | undefined = undefined;
  argsSlot: { at: number; args: Word[] } | undefined = undefined;
  /** What `argumentsText` joined, for the word index it was given. */
  argsTextSlot: { at: number; text: string } | undefined = undefined;
  constructor(
    readonly assignments: Word[],
    readonly words: Word[],
  ) {}
}

function toCommand(words: Word[]): ShellCommand {
  let k = 0;
  let assignments = NO_WORDS;
  while (k < words.length) {
    const w = words[k];
    if (LEADING_KEYWORDS.has(w.value)) k++;
    else if (ASSIGNMENT_RE.test(w.value)) {
      if (assignments === NO_WORDS) assignments = [];
      assignments.push(w);
      k++;
    } else break;
  }
  return new Command(assignments, k === 0 ? words : words.slice(k));
}
