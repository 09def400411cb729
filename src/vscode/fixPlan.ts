import { createHash } from 'node:crypto';
import { diffLines } from 'diff';
import type { Finding, TextEdit } from '../engine/model';
import { LineIndex } from '../engine/text';

/**
 * Pure helpers of the editor's fixes (no vscode import, unit-tested in plain Node): the minimal edits
 * between a file's text before and after a fix-all, finding identity across edits, content hashes.
 */

/**
 * Line-level edits that turn `before` into `after` (applyEdits(before, edits) === after). A fix-all
 * returns whole texts; applying these edits instead of one whole-file replacement keeps the cursor,
 * folding, markers and undo steps of the untouched lines.
 */
export function textEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const index = new LineIndex(before);
  const edits: TextEdit[] = [];
  let offset = 0;
  let pending: { start: number; end: number; newText: string } | undefined;
  const flush = (): void => {
    if (!pending) return;
    edits.push({ range: { start: index.positionAt(pending.start), end: index.positionAt(pending.end) }, newText: pending.newText });
    pending = undefined;
  };
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      flush();
      offset += part.value.length;
      continue;
    }
    pending ??= { start: offset, end: offset, newText: '' };
    if (part.removed) {
      offset += part.value.length;
      pending.end = offset;
    } else pending.newText += part.value;
  }
  flush();
  return edits;
}

/** What identifies a finding across edits elsewhere in its file (its range moves, its structure does not). */
export function findingIdentity(f: Finding): string {
  return JSON.stringify([f.ruleId, f.file, f.object ?? '', f.container ?? '', f.data ?? null]);
}

/**
 * The finding among `current` that is `target` after the text changed: same rule, file, object,
 * container and data, the nearest to the old line when several match; undefined when it is gone.
 */
export function relocate(current: readonly Finding[], target: Finding): Finding | undefined {
  const id = findingIdentity(target);
  let best: Finding | undefined;
  let bestScore = Infinity;
  for (const f of current) {
    if (findingIdentity(f) !== id) continue;
    const score = Math.abs(f.range.start.line - target.range.start.line) * 2 + (f.message === target.message ? 0 : 1);
    if (score < bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

/** A content hash that tells whether a file not open in an editor changed since a fix was computed. */
export function contentHash(text: string | undefined): string {
  return text === undefined ? 'absent' : createHash('sha256').update(text).digest('base64');
}

/** "3 fixes in 2 files" */
export function countText(n: number, what: string, plural = `${what}s`): string {
  return `${n} ${n === 1 ? what : plural}`;
}
