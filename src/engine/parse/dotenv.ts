import type { Problem, Range } from '../model';

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

export interface EnvModel {
  entries: EnvEntry[];
  /** Last entry per key (later wins, as in dotenv). */
  byKey: Map<string, EnvEntry>;
  duplicates: EnvEntry[];
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
  const lines = text.split('\n');
  const eol = lines.length > 1 && lines[0].endsWith('\r') ? '\r\n' : '\n';
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i];
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (i === 0 && raw.charCodeAt(0) === 0xfeff) raw = ' ' + raw.slice(1);
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = LINE_RE.exec(raw);
    if (!m) {
      problems.push({ file, message: `Not a KEY=VALUE line (${trimmed.length > 40 ? 'line ignored' : 'ignored'})`, range: { start: { line: i, character: 0 }, end: { line: i, character: raw.length } }, severity: 'warning' });
      continue;
    }
    const [, indent, exp, key, rest] = m;
    const keyStart = indent.length + (exp?.length ?? 0);
    const valueStart = raw.length - rest.length;
    let value: string;
    let rawLen: number;
    let quoted: EnvEntry['quoted'] = '';
    const q = rest[0];
    if (q === '"' || q === "'" || q === '`') {
      const close = rest.indexOf(q, 1);
      if (close === -1) {
        // multi-line quoted values are rare in examples; keep the rest of the line
        value = rest.slice(1);
        rawLen = rest.length;
      } else {
        value = rest.slice(1, close);
        rawLen = close + 1;
      }
      quoted = q;
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const hash = rest.search(/\s#/);
      value = (hash === -1 ? rest : rest.slice(0, hash)).trim();
      rawLen = value.length;
    }
    const entry: EnvEntry = {
      key,
      value,
      keyRange: { start: { line: i, character: keyStart }, end: { line: i, character: keyStart + key.length } },
      valueRange: { start: { line: i, character: valueStart }, end: { line: i, character: valueStart + rawLen } },
      line: i,
      exported: !!exp,
      quoted,
    };
    if (byKey.has(key)) duplicates.push(entry);
    byKey.set(key, entry);
    entries.push(entry);
  }
  return { model: { entries, byKey, duplicates, eol, endsWithNewline: text.endsWith('\n') }, problems };
}
