import ignore, { type Ignore } from 'ignore';
import type { Problem } from '../model';

export interface IgnoreLine {
  pattern: string;
  negated: boolean;
  line: number;
}

export interface IgnoreFileModel {
  lines: IgnoreLine[];
}

/** Longest pattern line read: a path pattern is far shorter, and matching one of megabytes takes seconds. */
export const MAX_IGNORE_LINE = 65536;

/** The file's lines with any over {@link MAX_IGNORE_LINE} blanked (they are reported by the parser, not matched). */
export function ignoreLines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => (l.length > MAX_IGNORE_LINE ? '' : l));
}

/** Parses .gitignore / .dockerignore into patterns with their lines; an over-long line leaves the file unaudited. */
export function parseIgnoreFile(text: string, file = ''): { model: IgnoreFileModel; problems: Problem[] } {
  const lines: IgnoreLine[] = [];
  const problems: Problem[] = [];
  text.split('\n').forEach((raw, line) => {
    if (raw.length > MAX_IGNORE_LINE) {
      const at = { line, character: 0 };
      if (!problems.length) problems.push({ file, message: `Line ${line + 1} has ${raw.length} characters, over the ${MAX_IGNORE_LINE}-character limit for a pattern; it is not read.`, range: { start: at, end: at }, severity: 'warning', unaudited: 'file' });
      return;
    }
    const s = raw.replace(/\r$/, '').trim();
    if (!s || s.startsWith('#')) return;
    const negated = s.startsWith('!');
    lines.push({ pattern: negated ? s.slice(1) : s, negated, line });
  });
  return { model: { lines }, problems };
}

/**
 * An `ignore` matcher that survives patterns the library cannot compile (it throws on some hostile
 * lines, e.g. long runs of backslash-quote pairs): on the first throw it rebuilds itself without the bad
 * patterns and reports each one as a located problem.
 */
/** Git matches ignore patterns case-sensitively (core.ignorecase is false on Linux): `.ENV` does not ignore `.env`. */
const CASE = { ignorecase: false };

export class SafeIgnore {
  private ig: Ignore;
  private rebuilt = false;
  constructor(
    private readonly patterns: readonly string[],
    private readonly report: (index: number, pattern: string) => void,
  ) {
    this.ig = ignore(CASE).add([...patterns]);
  }

  ignores(relPath: string): boolean {
    // no pattern ignores anything (the walk asks for every path, most often of an empty exclude list)
    if (this.patterns.length === 0) return false;
    try {
      return this.ig.ignores(relPath);
    } catch {
      if (this.rebuilt) return false;
      this.rebuilt = true;
      const good = this.patterns.map((p, i) => {
        try {
          ignore(CASE).add(p.replace(/^!/, '')).ignores('probe');
          return p;
        } catch {
          this.report(i, p);
          return '';
        }
      });
      this.ig = ignore(CASE).add(good);
      return this.ignores(relPath);
    }
  }
}
