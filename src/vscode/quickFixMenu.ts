import type { IgnoreScope } from '../engine/fixes/ignore';
import type { Finding, Severity } from '../engine/model';

/**
 * What the light bulb offers for the findings under the cursor, as plain data (no `vscode`, so it is
 * unit-tested): the fixes, most severe first, with the fixes one container needs from the same template
 * (its `groupTitle`) as one entry; then one entry that ignores a finding of the line and one that opens
 * the docs of its rules, however many findings sit there.
 */

/** One finding under the cursor: its diagnostic, its fix when one applies now, and the suppressions it can take. */
export interface Offer<D> {
  diagnostic: D;
  finding: Finding;
  fix?: { title: string; changesBehaviour?: string; groupTitle?: string };
  scopes: readonly IgnoreScope[];
}

export interface FixEntry<D> {
  title: string;
  /** The findings the entry fixes (more than one when grouped). */
  offers: Offer<D>[];
  grouped: boolean;
  /** At least one of its fixes changes how the workload runs: applied through the preview. */
  changesBehaviour: boolean;
  /** The fix of the most severe finding: what Auto Fix applies. */
  preferred: boolean;
}

export interface IgnoreChoice<D> {
  diagnostic: D;
  finding: Finding;
  scope: IgnoreScope;
  /** "fixture.k8s.liveness on this line", "… for Deployment/shop". */
  label: string;
}

export interface QuickFixMenu<D> {
  fixes: FixEntry<D>[];
  ignore: IgnoreChoice<D>[];
  /** Rule ids, in the order of the findings. */
  docs: string[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

const rank = (offers: readonly Offer<unknown>[]): number => Math.min(...offers.map((o) => RANK[o.finding.severity] ?? 3));

/** What a group of fixes shares: its template's group, and the object and container (else the line) it edits. */
function groupKey(o: Offer<unknown>): string | undefined {
  const g = o.fix?.groupTitle;
  if (!g) return undefined;
  const f = o.finding;
  return JSON.stringify([g, f.file, f.object ?? '', f.container ?? '', f.object ? -1 : f.range.start.line]);
}

export function quickFixMenu<D>(offers: readonly Offer<D>[]): QuickFixMenu<D> {
  const entries: Omit<FixEntry<D>, 'preferred'>[] = [];
  const groups = new Map<string, Offer<D>[]>();
  for (const o of offers) {
    if (!o.fix) continue;
    const key = groupKey(o);
    const members = key ? groups.get(key) : undefined;
    if (members) {
      members.push(o);
      continue;
    }
    const list = [o];
    if (key) groups.set(key, list);
    entries.push({ title: '', offers: list, grouped: false, changesBehaviour: false });
  }
  for (const e of entries) {
    e.grouped = e.offers.length > 1;
    e.changesBehaviour = e.offers.some((o) => o.fix?.changesBehaviour);
    const base = e.grouped ? e.offers[0].fix!.groupTitle! : e.offers[0].fix!.title;
    e.title = e.changesBehaviour ? `${base} — changes behaviour` : base;
  }
  // most severe first; equal severity keeps the order of the findings
  const fixes = entries
    .map((e, i) => ({ e, i }))
    .sort((x, y) => rank(x.e.offers) - rank(y.e.offers) || x.i - y.i)
    .map(({ e }, i) => ({ ...e, preferred: i === 0 }));
  const ignore: IgnoreChoice<D>[] = [];
  const docs: string[] = [];
  for (const o of offers) {
    if (!docs.includes(o.finding.ruleId)) docs.push(o.finding.ruleId);
    for (const scope of o.scopes) {
      if (ignore.some((c) => c.finding.ruleId === o.finding.ruleId && c.scope === scope && (scope === 'object' ? c.finding.object === o.finding.object : c.finding.range.start.line === o.finding.range.start.line))) continue;
      const label = scope === 'object' && o.finding.object ? `${o.finding.ruleId} for ${o.finding.object}` : `${o.finding.ruleId} on this line`;
      ignore.push({ diagnostic: o.diagnostic, finding: o.finding, scope, label });
    }
  }
  return { fixes, ignore, docs };
}

/** The one ignore entry's title: the rule and place when there is one choice, else a question. */
export function ignoreTitle(choices: readonly IgnoreChoice<unknown>[]): string {
  if (choices.length === 1) {
    const c = choices[0];
    return c.scope === 'object' && c.finding.object ? `Ignore ${c.finding.ruleId} for ${c.finding.object}…` : `Ignore ${c.finding.ruleId} here…`;
  }
  return 'Ignore a Shipshape finding here…';
}

/** The one docs entry's title. */
export function docsTitle(ruleIds: readonly string[]): string {
  return ruleIds.length === 1 ? `Show docs for ${ruleIds[0]}` : 'Show Shipshape rule docs…';
}
