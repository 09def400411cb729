// Which findings of a check's output no suppression comment or annotation silences.
import type { ItemOut } from './itemOutput';
import type { Finding } from './model';
import type { Entry } from './fileStore';
import { findSuppression, noSuppressions, readSuppressions, type FileSuppressions } from './suppress';

/**
 * The findings of check outputs that no suppression silences. Whether a finding is silenced is remembered
 * (findings keep their identity across audits) until the suppressions change: `epoch` says when.
 */
export class KeptFindings {
  private silenced = new WeakMap<Finding, boolean>();
  private epoch = -1;

  /** `suppressionsOf`: a file's suppressions, undefined when the engine does not hold the file. */
  constructor(private readonly suppressionsOf: (file: string) => FileSuppressions | undefined) {}

  /** The findings of one output that no suppression silences; cached on the output when they all lie in the checked file. */
  kept(out: ItemOut, aliases: readonly string[], epoch: number): Finding[] {
    if (out.kept) return out.kept;
    const findings = out.findings;
    let kept: Finding[] = findings;
    if (kept.length === 0) return (out.kept = kept);
    // A file-scope output (every finding in the checked file) whose file suppresses nothing keeps all its findings.
    if (!out.foreign) {
      const s = this.suppressionsOf(kept[0].file);
      if (s && noSuppressions(s)) return (out.kept = kept);
    }
    if (this.epoch !== epoch) {
      this.silenced = new WeakMap();
      this.epoch = epoch;
    }
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i];
      const s = this.suppressionsOf(f.file);
      let silenced = false;
      // a file that suppresses nothing needs no lookup (and no entry in the memo)
      if (s && !noSuppressions(s)) {
        const known = this.silenced.get(f);
        if (known === undefined) this.silenced.set(f, (silenced = !!findSuppression(s, f, aliases)));
        else silenced = known;
      }
      if (silenced) {
        if (kept === findings) kept = findings.slice(0, i);
      } else if (kept !== findings) kept.push(f);
    }
    if (!out.foreign) out.kept = kept;
    return kept;
  }

  /**
   * Whether no suppression silences a finding kept alone in its file's slot (see `Slot`): judged once per
   * finding while the suppressions stand. `entry`: the entry of the finding's file, when the caller holds it.
   */
  keeps(f: Finding, aliases: readonly string[], epoch: number, entry?: Entry): boolean {
    const s = entry ? (entry.suppressions ??= readSuppressions(entry.parsed)) : this.suppressionsOf(f.file);
    // a file that suppresses nothing needs no lookup (and no entry in the memo)
    if (!s || noSuppressions(s)) return true;
    if (this.epoch !== epoch) {
      this.silenced = new WeakMap();
      this.epoch = epoch;
    }
    let silenced = this.silenced.get(f);
    if (silenced === undefined) this.silenced.set(f, (silenced = !!findSuppression(s, f, aliases)));
    return !silenced;
  }
}

/** Do two versions of a file suppress exactly the same findings (same ids, reasons, lines and object ranges)? */
export function sameSuppressions(a: FileSuppressions, b: FileSuppressions): boolean {
  if (a.lines.size === 0 && a.file.length === 0 && a.objects.length === 0 && b.lines.size === 0 && b.file.length === 0 && b.objects.length === 0) return true;
  return suppressionKey(a) === suppressionKey(b);
}

function suppressionKey(s: FileSuppressions): string {
  const one = (x: { ids: Set<string>; reason?: string; by: string }) => `${[...x.ids].join(',')}|${x.reason ?? ''}|${x.by}`;
  const lines = [...s.lines].map(([line, list]) => `${line}:${list.map(one).join(';')}`);
  const objects = s.objects.map((o) => `${o.range.start.line}.${o.range.start.character}-${o.range.end.line}.${o.range.end.character}:${one(o.s)}`);
  return JSON.stringify([lines, s.file.map(one), objects]);
}
