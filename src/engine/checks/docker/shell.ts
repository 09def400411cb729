import { dockerJson, type DockerInstruction } from '../../parse/dockerfile';
import type { LineIndex } from '../../text';

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

const SEPARATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')'];
const SEPARATOR_CHARS = new Set(['&', '|', ';', '(', ')']);
/** Shell keywords that may precede a command on the same line (`if x; then apt-get …`). */
const LEADING_KEYWORDS = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', 'time', '{', '}', 'exec']);
const CONTINUATION_RE = /^[ \t]*\r?\n/;
/** Characters that end or change a word; everything else is copied as is. */
const SPECIAL_IN_WORD = new Set([' ', '\t', '\n', '\r', "'", '"', '$', '\\', ...SEPARATOR_CHARS]);
const ASSIGNMENT_RE = /^[A-Za-z_][A-Za-z0-9_]*=/;
const HEREDOC_RE = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/;

/**
 * Splits the command part of a RUN (shell form, JSON form or heredoc) into simple commands, keeping the
 * offsets of every word so findings can point at `npm install` or `sudo` exactly. Heuristic but total:
 * it never throws, whatever the text.
 */
export function runCommands(ins: DockerInstruction, text: string, index: LineIndex, escapeChar: string): ShellCommand[] {
  if (!ins.argsRange) return [];
  const json = dockerJson(ins, index);
  if (json && json.length > 0) {
    const words = json.map((j) => ({ value: jsonString(text.slice(j.start, j.end)), start: j.start, end: j.end }));
    // `["sh", "-c", "apt-get update && …"]`: tokenise the script string (inside its quotes).
    const sh = words[0] && /(^|\/)(ba|da|a)?sh$/.test(words[0].value) && words[1]?.value === '-c' ? words[2] : undefined;
    if (sh) return tokenize(sh.value, sh.start + 1, '\\');
    return [{ assignments: [], words }];
  }
  const start = index.offsetAt(ins.argsRange.start);
  const end = index.offsetAt(ins.argsRange.end);
  const raw = text.slice(start, end);
  const firstLineEnd = raw.indexOf('\n') === -1 ? raw.length : raw.indexOf('\n');
  const heredoc = HEREDOC_RE.exec(raw.slice(0, firstLineEnd));
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
  const commands: ShellCommand[] = [];
  let current: Word[] = [];
  const flush = () => {
    if (current.length) commands.push(toCommand(current));
    current = [];
  };
  let i = 0;
  let atLineStart = true;
  while (i < src.length) {
    const ch = src[i];
    // Line continuation: escape char + optional spaces + newline.
    if (ch === escapeChar) {
      const m = CONTINUATION_RE.exec(src.slice(i + 1, i + 1 + 64));
      if (m) {
        i += 1 + m[0].length;
        atLineStart = true;
        continue;
      }
    }
    if (ch === '\n') {
      flush();
      i++;
      atLineStart = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#' && (atLineStart || current.length === 0 || /\s/.test(src[i - 1] ?? ' '))) {
      // Comment to the end of the line (a comment line inside a continued RUN is dropped by Docker too).
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    atLineStart = false;
    const sep = SEPARATOR_CHARS.has(ch) ? SEPARATORS.find((s) => src.startsWith(s, i)) : undefined;
    if (sep) {
      flush();
      i += sep.length;
      continue;
    }
    // A word: runs until unquoted whitespace or a separator.
    const startOffset = i;
    let value = '';
    while (i < src.length) {
      const c = src[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') break;
      if (c === escapeChar && CONTINUATION_RE.test(src.slice(i + 1, i + 1 + 64))) break;
      if (SEPARATOR_CHARS.has(c)) break;
      if (c === "'") {
        const close = src.indexOf("'", i + 1);
        const endQ = close === -1 ? src.length : close;
        value += src.slice(i + 1, endQ);
        i = endQ + 1;
        continue;
      }
      if (c === '"') {
        let j = i + 1;
        while (j < src.length && src[j] !== '"') {
          if (src[j] === '\\' && j + 1 < src.length) {
            value += src[j + 1];
            j += 2;
            continue;
          }
          value += src[j];
          j++;
        }
        i = j + 1;
        continue;
      }
      if (c === '$' && src[i + 1] === '(') {
        // Command substitution: keep it inside the word, balanced.
        let depth = 0;
        let j = i + 1;
        for (; j < src.length; j++) {
          if (src[j] === '(') depth++;
          else if (src[j] === ')' && --depth === 0) break;
        }
        value += src.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      if (c === '\\' && i + 1 < src.length) {
        value += src[i + 1];
        i += 2;
        continue;
      }
      // a run of ordinary characters in one slice
      let j = i + 1;
      while (j < src.length && !SPECIAL_IN_WORD.has(src[j]) && src[j] !== escapeChar) j++;
      value += src.slice(i, j);
      i = j;
    }
    current.push({ value, start: base + startOffset, end: base + Math.min(i, src.length) });
  }
  flush();
  return commands;
}

function toCommand(words: Word[]): ShellCommand {
  let k = 0;
  const assignments: Word[] = [];
  while (k < words.length) {
    const w = words[k];
    if (LEADING_KEYWORDS.has(w.value)) k++;
    else if (ASSIGNMENT_RE.test(w.value)) {
      assignments.push(w);
      k++;
    } else break;
  }
  return { assignments, words: words.slice(k) };
}

const PROGRAM = Symbol('program');

/** The program name of a command (`/usr/bin/apt-get` → `apt-get`), skipping wrappers (`sudo`, `env`, `npx`…); computed once per command. */
export function program(cmd: ShellCommand): { name: string; at: number } | undefined {
  const slot = cmd as ShellCommand & { [PROGRAM]?: { name: string; at: number } | null };
  let p = slot[PROGRAM];
  if (p === undefined) slot[PROGRAM] = p = findProgram(cmd) ?? null;
  return p ?? undefined;
}

function findProgram(cmd: ShellCommand): { name: string; at: number } | undefined {
  let k = 0;
  while (k < cmd.words.length) {
    const v = cmd.words[k].value;
    const base = v.slice(v.lastIndexOf('/') + 1).replace(/^(.+?)@.*$/, '$1'); // `npx npm@10 ci` runs npm
    if (base === 'sudo' || base === 'env' || base === 'nice' || base === 'nohup' || base === 'npx' || base === 'pnpx' || base === 'bunx') {
      k++;
      while (k < cmd.words.length && (cmd.words[k].value.startsWith('-') || ASSIGNMENT_RE.test(cmd.words[k].value))) k++;
      continue;
    }
    return { name: base, at: k };
  }
  return undefined;
}

/** Options that take a separate value (`--prefix /app`), so the value is not mistaken for a sub-command or package. */
const VALUE_OPTIONS = new Set(['--prefix', '--registry', '--loglevel', '--cache', '--userconfig', '--omit', '--only', '--include', '-C', '--dir', '--filter', '--workspace', '-w', '--cwd', '--network-timeout', '--mutex', '--modules-folder', '-o', '--option']);

/** The sub-command of a program (`npm ci` → `ci`) and the remaining arguments (options and operands). */
export function subcommand(cmd: ShellCommand, at: number): { name?: Word; args: Word[] } {
  let k = at + 1;
  while (k < cmd.words.length && cmd.words[k].value.startsWith('-')) {
    const v = cmd.words[k].value;
    k += VALUE_OPTIONS.has(v) ? 2 : 1;
  }
  return { name: cmd.words[k], args: [...cmd.words.slice(at + 1, k), ...cmd.words.slice(k + 1)] };
}

/** Operands (non-option words) among arguments, skipping option values. */
export function operands(args: Word[]): Word[] {
  const out: Word[] = [];
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v.startsWith('-')) {
      if (VALUE_OPTIONS.has(v)) k++;
      continue;
    }
    out.push(args[k]);
  }
  return out;
}

export function hasOption(args: Word[], ...names: string[]): boolean {
  return args.some((a) => names.some((n) => a.value === n || (n.startsWith('--') && a.value.startsWith(`${n}=`)) || (n.endsWith('=') && a.value.startsWith(n))));
}
