import type { Problem, Range } from '../model';
import { baseName } from '../text';

export interface EnvEntry {
  key: string;
  /** The value with quotes removed and escapes resolved for double quotes. */
  value: string;
  /** Range of the key on its line. */
  keyRange: Range;
  /** Range of the raw value (quotes included); empty range right after `=` when there is no value. */
  valueRange: Range;
  line: number;
  exported: boolean;
  quoted: '"' | "'" | '`' | '';
}

export interface EnvComment {
  line: number;
  /** The comment text after `#`, trimmed. */
  text: string;
  /** A comment at the end of a KEY=VALUE line rather than on its own line. */
  inline: boolean;
}

export interface EnvModel {
  entries: EnvEntry[];
  /** Last entry per key (later wins, as in dotenv). */
  byKey: Map<string, EnvEntry>;
  /** Entries whose key was already defined earlier in the file (the later definitions). */
  duplicates: EnvEntry[];
  comments: EnvComment[];
  eol: '\n' | '\r\n';
  endsWithNewline: boolean;
}

const LINE_RE = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Parses a .env-style file keeping positions. Lines that are neither comments nor KEY=VALUE become problems. */
export function parseDotenv(text: string, file: string): { model: EnvModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const entries: EnvEntry[] = [];
  const byKey = new Map<string, EnvEntry>();
  const duplicates: EnvEntry[] = [];
  const comments: EnvComment[] = [];
  const lines = text.split('\n');
  const eol = lines.length > 1 && lines[0].endsWith('\r') ? '\r\n' : '\n';
  const lineAt = (i: number): string => {
    let raw = lines[i];
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (i === 0 && raw.charCodeAt(0) === 0xfeff) raw = ' ' + raw.slice(1);
    return raw;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lineAt(i);
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      comments.push({ line: i, text: trimmed.slice(1).trim(), inline: false });
      continue;
    }
    const m = LINE_RE.exec(raw);
    if (!m) {
      problems.push({ file, message: 'Not a KEY=VALUE line; ignored', range: { start: { line: i, character: 0 }, end: { line: i, character: raw.length } }, severity: 'warning' });
      continue;
    }
    const [, indent, exp, key, rest] = m;
    const startLine = i;
    const keyStart = indent.length + (exp?.length ?? 0);
    const valueStart = raw.length - rest.length;
    let value: string;
    let quoted: EnvEntry['quoted'] = '';
    let valueEnd: Range['end'];
    const q = rest[0];
    if (q === '"' || q === "'" || q === '`') {
      quoted = q;
      const close = rest.indexOf(q, 1);
      if (close !== -1) {
        value = rest.slice(1, close);
        valueEnd = { line: i, character: valueStart + close + 1 };
        const after = rest.slice(close + 1);
        const hash = after.indexOf('#');
        if (hash !== -1) comments.push({ line: i, text: after.slice(hash + 1).trim(), inline: true });
      } else {
        // A multi-line quoted value (dotenv allows them): read on to the closing quote, or keep the line.
        let j = i + 1;
        let closeAt = -1;
        for (; j < lines.length; j++) {
          closeAt = lineAt(j).indexOf(q);
          if (closeAt !== -1) break;
        }
        if (closeAt === -1) {
          value = rest.slice(1);
          valueEnd = { line: i, character: raw.length };
          problems.push({ file, message: `${key}: the quoted value is never closed`, range: { start: { line: i, character: valueStart }, end: valueEnd }, severity: 'warning' });
        } else {
          const middle = lines.slice(i + 1, j).map((_, n) => lineAt(i + 1 + n));
          value = [rest.slice(1), ...middle, lineAt(j).slice(0, closeAt)].join('\n');
          valueEnd = { line: j, character: closeAt + 1 };
          i = j;
        }
      }
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const hash = rest.search(/(^|\s)#/);
      if (hash !== -1) comments.push({ line: i, text: rest.slice(rest.indexOf('#', hash) + 1).trim(), inline: true });
      value = (hash === -1 ? rest : rest.slice(0, hash)).trim();
      valueEnd = { line: i, character: valueStart + value.length };
    }
    const entry: EnvEntry = {
      key,
      value,
      keyRange: { start: { line: startLine, character: keyStart }, end: { line: startLine, character: keyStart + key.length } },
      valueRange: { start: { line: startLine, character: valueStart }, end: valueEnd },
      line: startLine,
      exported: !!exp,
      quoted,
    };
    if (byKey.has(key)) duplicates.push(entry);
    byKey.set(key, entry);
    entries.push(entry);
  }
  return { model: { entries, byKey, duplicates, comments, eol, endsWithNewline: text.endsWith('\n') }, problems };
}

/** What an env file is for, from its name: an example to copy, production configuration, or neither. */
export interface EnvFileRole {
  /** `.env.example`, `.env.sample`, `.env.template`, `.env.production.example`…: values are examples. */
  template: boolean;
  /** `.env.production`, `.env.prod.example`, `production.env`, or a file under a `production/` folder. */
  production: boolean;
  /** Local, development, test, staging or CI configuration. */
  nonProduction: boolean;
}

// Each list is matched as whole words of a file name (split at `.`, `-`, `_`) or as whole folder names,
// case-insensitively; one pattern per list rather than splitting every path into lowercased pieces.
const TEMPLATE_WORDS = 'example|examples|sample|template|tpl|dist|defaults|default';
const PRODUCTION_WORDS = 'production|prod';
const NON_PRODUCTION_WORDS = 'development|dev|local|test|testing|staging|stage|ci|e2e|qa';

const nameWord = (words: string) => new RegExp(`(?:^|[.\\-_])(?:${words})(?:[.\\-_]|$)`, 'i');
const TEMPLATE_NAME = nameWord(TEMPLATE_WORDS);
const PRODUCTION_NAME = nameWord(PRODUCTION_WORDS);
const NON_PRODUCTION_NAME = nameWord(NON_PRODUCTION_WORDS);
/** A folder (a segment followed by `/`) named so. */
const PRODUCTION_DIR = new RegExp(`(?:^|/)(?:${PRODUCTION_WORDS})/`, 'i');
const NON_PRODUCTION_DIR = new RegExp(`(?:^|/)(?:${NON_PRODUCTION_WORDS}|tests|fixtures)/`, 'i');

/** Path segments that mark production or non-production configuration (`k8s/overlays/production/…`). */
export function pathRole(path: string): { production: boolean; nonProduction: boolean } {
  return { production: PRODUCTION_DIR.test(path), nonProduction: NON_PRODUCTION_DIR.test(path) };
}

/** A file name with `prod` or `production` as one of its words (`.env.prod`, `docker-compose.production.yml`). */
export function productionName(name: string): boolean {
  return PRODUCTION_NAME.test(name);
}

export function envFileRole(path: string): EnvFileRole {
  const name = baseName(path);
  const dir = pathRole(path);
  const template = TEMPLATE_NAME.test(name);
  const nonProduction = NON_PRODUCTION_NAME.test(name) || (dir.nonProduction && !dir.production);
  const production = !nonProduction && (productionName(name) || dir.production);
  return { template, production, nonProduction };
}
