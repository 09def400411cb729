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
