import type { AuditOptions, Engine } from '../audit';
import type { Finding } from '../model';
import type { ReadFile } from './run';
import { fileKind, fixedTextProblem } from './verify';

/** What identifies a finding before and after its fix: a finding with this key after the fix was not fixed. */
function goneKey(f: Finding): string {
  return JSON.stringify([f.ruleId, f.file, f.object ?? '', f.container ?? '', f.message]);
}

/** The rule and place of a finding, whatever its message says (a fix that changes a count changes the message). */
export function placeKey(f: Finding): string {
  return JSON.stringify([f.ruleId, f.file, f.object ?? '', f.container ?? '']);
}

/**
 * Why each changed file may not be kept: its final text does not parse strictly, or a finding one of its
 * fixes fixed is still there when the files are audited again: with the same message, or (its message
 * changed with the text) more findings of its rule at its place than were there less those fixed.
 */
export function verifyAll(engine: Engine, opts: { audit?: AuditOptions }, originals: ReadonlyMap<string, string | undefined>, textOf: ReadFile, applied: readonly { finding: Finding; ruleId: string; files: string[] }[], before: readonly Finding[]): { refused: Map<string, string>; uncleared: Finding[] } {
  const refused = new Map<string, string>();
  const uncleared: Finding[] = [];
  for (const [file, was] of originals) {
    const after = textOf(file);
    if (after === undefined || after === was) continue;
    const why = fixedTextProblem(file, was, after, fileKind(engine, file, after));
    if (why) refused.set(file, why);
  }
  if (!applied.length) return { refused, uncleared };
  const after = engine.audit(opts.audit).findings;
  const same = new Set(after.map(goneKey));
  const count = (list: readonly Finding[]): Map<string, number> => {
    const n = new Map<string, number>();
    for (const f of list) n.set(placeKey(f), (n.get(placeKey(f)) ?? 0) + 1);
    return n;
  };
  const was = count(before);
  const now = count(after);
  const byPlace = new Map<string, (typeof applied)[number][]>();
  for (const a of applied) byPlace.set(placeKey(a.finding), [...(byPlace.get(placeKey(a.finding)) ?? []), a]);
  for (const [place, fixes] of byPlace) {
    const excess = (now.get(place) ?? 0) - Math.max(0, (was.get(place) ?? 0) - fixes.length);
    const stuck = fixes.filter((a) => same.has(goneKey(a.finding)));
    if (excess <= 0 && !stuck.length) continue;
    for (const a of stuck.length >= excess ? stuck : fixes) {
      uncleared.push(a.finding);
      for (const f of a.files) if (!refused.has(f)) refused.set(f, `the fix of ${a.ruleId} did not clear its finding; ${f} left as it was`);
    }
  }
  return { refused, uncleared };
}
