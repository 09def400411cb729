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

/** Parses .gitignore / .dockerignore into patterns with their lines. */
export function parseIgnoreFile(text: string): { model: IgnoreFileModel; problems: Problem[] } {
  const lines: IgnoreLine[] = [];
  text.split('\n').forEach((raw, line) => {
    const s = raw.replace(/\r$/, '').trim();
    if (!s || s.startsWith('#')) return;
    const negated = s.startsWith('!');
    lines.push({ pattern: negated ? s.slice(1) : s, negated, line });
  });
  return { model: { lines }, problems: [] };
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
