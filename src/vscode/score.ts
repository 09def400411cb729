import type { AuditResult } from '../engine/model';

/**
 * The readiness score as every surface shows it (status bar, view message, badge, multi-root rows): one
 * number, the share of checks that pass, and the same failing count everywhere. Pure, so it is unit-tested.
 */
export interface Totals {
  /** Folders with a result. */
  folders: number;
  passed: number;
  failed: number;
  /** Manual items (a person confirms them) and how many are signed off. */
  manual: number;
  attested: number;
  notApplicable: number;
  /** Inputs that could not be audited, and the checks that read them (they count as failing unless the policy ignores them). */
  unaudited: number;
  unauditedItems: number;
  /** Findings of the failing checks (the Problems panel also lists checklist and Markdown problems). */
  findings: number;
  /** 0–100, or undefined while nothing was audited or nothing applies (no score rather than a perfect one). */
  score: number | undefined;
}

export function totalsOf(results: readonly (AuditResult | undefined)[]): Totals {
  const t: Totals = { folders: 0, passed: 0, failed: 0, manual: 0, attested: 0, notApplicable: 0, unaudited: 0, unauditedItems: 0, findings: 0, score: undefined };
  let counted = 0;
  for (const r of results) {
    if (!r) continue;
    t.folders++;
    t.passed += r.summary.passed;
    t.failed += r.summary.failed;
    t.manual += r.summary.manual;
    t.notApplicable += r.summary.notApplicable;
    t.findings += r.summary.findings;
    t.unaudited += r.summary.unaudited;
    t.attested += r.items.filter((i) => i.status === 'manual' && i.attestation).length;
    // as the engine's summary: unaudited checks count against the score unless the policy ignores them
    if (r.summary.unauditedPolicy !== 'ignore') {
      t.unauditedItems += r.summary.unauditedItems;
      counted += r.summary.unauditedItems;
    }
  }
  // No check applied (or no file at all): no score, rather than the engine's 0 or a perfect 100.
  const denominator = t.passed + t.failed + counted + t.attested;
  t.score = denominator === 0 ? undefined : Math.round(((t.passed + t.attested) / denominator) * 100);
  return t;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "42% ready", or "nothing to audit". */
export function scoreLabel(t: Totals): string {
  return t.score === undefined ? 'nothing to audit' : `${t.score}% ready`;
}

/** One line for the view's message: the score and the failing count. */
export function scoreLine(t: Totals): string {
  if (t.score === undefined) return 'Nothing to audit: no check applies to the files in this folder.';
  return `Readiness ${t.score}% · ${plural(t.failed, 'failing check')} of ${t.passed + t.failed + t.unauditedItems}${t.unaudited ? ` · ${t.unaudited} not audited` : ''}`;
}

/** What the score is, for tooltips (plain text; one paragraph per line). */
export function scoreExplanation(t: Totals): string {
  if (t.score === undefined) {
    return [
      'Nothing to audit yet.',
      'Shipshape reads Dockerfiles, Kubernetes manifests and Helm charts, .env files, package.json, CI workflows, compose files and *.checklist.yaml files; none of its checks applies to this folder.',
    ].join('\n');
  }
  const lines = [
    `Readiness ${t.score}%: ${t.passed} of ${t.passed + t.failed + t.unauditedItems} automated checks pass${t.attested ? `, plus ${plural(t.attested, 'signed-off item')}` : ''}.`,
    `${plural(t.failed, 'failing check')} (${plural(t.findings, 'finding')} in the Problems panel).`,
  ];
  if (t.unaudited) lines.push(`${plural(t.unaudited, 'input')} could not be audited (unreadable, unparseable or not rendered)${t.unauditedItems ? `; the ${plural(t.unauditedItems, 'check')} reading them count as not passing` : ''}. They are listed in the Problems panel.`);
  if (t.manual) lines.push(`${t.manual} manual ${t.manual === 1 ? 'item counts' : 'items count'} only once signed off (${t.attested} so far).`);
  if (t.notApplicable) lines.push(`${plural(t.notApplicable, 'check')} did not apply and ${t.notApplicable === 1 ? 'is' : 'are'} not counted.`);
  return lines.join('\n');
}
