import type { FileEdit } from '../model';
import { LineIndex } from '../text';

/** Where the edits of fixes computed in one round lie, to tell which of them may be applied together. */

export interface Span {
  start: number;
  end: number;
  /** For an insert that adds whole lines after a line (`\n  key: …`): its first line (indentation and key). */
  adds?: string;
}

/** The offsets a fix's edits occupy, per file (a created file takes the whole file). */
export function spans(edits: readonly FileEdit[], read: (path: string) => string | undefined): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const fe of edits) {
    const list = out.get(fe.file) ?? [];
    const text = read(fe.file);
    if (fe.create || text === undefined) list.push({ start: -Infinity, end: Infinity });
    else {
      const index = new LineIndex(text);
      for (const e of fe.edits) {
        const start = index.offsetAt(e.range.start);
        const end = index.offsetAt(e.range.end);
        const m = start === end ? /^\r?\n([^\r\n]*\S[^\r\n]*)/.exec(e.newText.replace(/^,/, '')) : null;
        list.push({ start, end, adds: m ? m[1].trimEnd() : undefined });
      }
    }
    out.set(fe.file, list);
  }
  return out;
}

function indent(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/**
 * Two fixes can share a round when their edits neither overlap nor touch, except whole-line inserts at
 * the same spot that add different keys to the same map (a liveness and a readiness probe after the
 * same container): siblings, so their order does not change the structure.
 */
export function clashes(a: Map<string, Span[]>, b: Map<string, Span[]>): boolean {
  for (const [file, list] of a) {
    for (const x of list) {
      for (const y of b.get(file) ?? []) {
        if (x.start === x.end && y.start === y.end && x.start === y.start && x.adds && y.adds && x.adds !== y.adds && indent(x.adds) === indent(y.adds)) continue;
        if (x.start <= y.end && y.start <= x.end) return true;
      }
    }
  }
  return false;
}
