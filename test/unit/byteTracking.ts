import type { TextEdit } from '../../src/engine/model';
import { applyEdits, LineIndex } from '../../src/engine/text';
import type { DecodedText } from '../../src/node/textFile';

/**
 * Follows the parts of a text no edit touched through rounds of edits, so a test can compare them byte for
 * byte with the file written at the end. A run is `[from, to)` in the original text and where it now starts.
 */
export interface Untouched {
  from: number;
  to: number;
  at: number;
}

export class EditTracker {
  text: string;
  runs: Untouched[];
  constructor(readonly original: string) {
    this.text = original;
    this.runs = [{ from: 0, to: original.length, at: 0 }];
  }

  /** One round of edits against the current text (as fixAll applies them: sorted, overlapping ones dropped). */
  apply(edits: readonly TextEdit[]): void {
    const index = new LineIndex(this.text);
    const spans = edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), len: e.newText.length })).sort((a, b) => a.start - b.start || a.end - b.end);
    const kept: { start: number; end: number; len: number }[] = [];
    let cursor = 0;
    for (const s of spans) {
      if (s.start < cursor) continue;
      kept.push(s);
      cursor = s.end;
    }
    const shift = (offset: number): number => {
      let delta = 0;
      for (const s of kept) if (s.end <= offset) delta += s.len - (s.end - s.start);
      return offset + delta;
    };
    const next: Untouched[] = [];
    for (const run of this.runs) {
      // cut each run at the edits: a replaced range goes, an insertion splits the run at its point
      let pieces = [{ start: run.at, end: run.at + (run.to - run.from) }];
      for (const s of kept) {
        pieces = pieces.flatMap((p) => {
          if (s.start === s.end) return s.start > p.start && s.start < p.end ? [{ start: p.start, end: s.start }, { start: s.start, end: p.end }] : [p];
          if (s.end <= p.start || s.start >= p.end) return [p];
          return [{ start: p.start, end: Math.max(p.start, s.start) }, { start: Math.min(p.end, s.end), end: p.end }].filter((q) => q.end > q.start);
        });
      }
      for (const p of pieces) next.push({ from: run.from + (p.start - run.at), to: run.from + (p.end - run.at), at: shift(p.start) });
    }
    this.text = applyEdits(this.text, edits);
    this.runs = next;
  }
}

/** Byte offset of a character offset in a file decoded as `like` (UTF-8 with or without a byte order mark, or Latin-1). */
export function byteOffset(text: string, offset: number, like: Omit<DecodedText, 'text'>): number {
  if (like.encoding === 'latin1') return offset;
  return (like.bom ? 3 : 0) + Buffer.byteLength(text.slice(0, offset), 'utf8');
}

/** The first untouched run whose bytes differ between the original file and the written one, described; undefined when none. */
export function changedOutsideEdits(tracker: EditTracker, before: Buffer, beforeLike: Omit<DecodedText, 'text'>, after: Buffer, afterText: string): string | undefined {
  if (beforeLike.bom && !(after[0] === 0xef && after[1] === 0xbb && after[2] === 0xbf)) return 'the byte order mark was lost';
  for (const run of tracker.runs) {
    const a = before.subarray(byteOffset(tracker.original, run.from, beforeLike), byteOffset(tracker.original, run.to, beforeLike));
    const b = after.subarray(byteOffset(afterText, run.at, beforeLike), byteOffset(afterText, run.at + (run.to - run.from), beforeLike));
    if (!a.equals(b)) return `bytes of characters ${run.from}–${run.to} changed (${JSON.stringify(a.toString('latin1').slice(0, 40))} → ${JSON.stringify(b.toString('latin1').slice(0, 40))})`;
  }
  return undefined;
}
