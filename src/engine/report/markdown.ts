import type { ItemStatus } from '../model';
import type { ReadinessReport, ReportEntry, ReportLocation } from '../markdown/readiness';

/**
 * The readiness report as a Markdown checklist in the seeds' own style: headings for sections, one task
 * item per requirement, ticked only when it is proven (checks pass) or signed off. Each item says ✓, ✗,
 * manual or n/a; failures list their findings as `file:line`, manual items their evidence and sign-off.
 */

export const MARKS: Record<ItemStatus, string> = { pass: '✓', fail: '✗', unaudited: '(unaudited)', manual: '(manual)', 'not-applicable': '(n/a)' };

/** Escapes text so it reads literally inside a Markdown list item. */
export function escapeMarkdown(text: string): string {
  // `_` inside words never makes emphasis (CommonMark), so NODE_ENV stays readable; a leading or trailing one is escaped.
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*[\]<>|])/g, '\\$1')
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'));
}

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

function location(l: ReportLocation): string {
  return `${code(`${l.file}:${l.line}`)} ${escapeMarkdown(l.message)}`;
}

/** Whether the report ticks an entry: proven by checks, or signed off; a Markdown item's own tick counts for manual items. */
export function isTicked(e: ReportEntry): boolean {
  if (e.status === 'pass') return true;
  if (e.status === 'fail') return false;
  return e.attestations.length > 0 || (e.status === 'manual' && e.ticked === true);
}

function entryLines(e: ReportEntry, maxLocations: number): string[] {
  const mark = MARKS[e.status];
  const parts = [`- [${isTicked(e) ? 'x' : ' '}] ${mark} ${e.markdown ?? escapeMarkdown(e.text)}`];
  if (e.ids.length && e.reasons.length) parts.push(` — ${e.ids.map((id, i) => `${code(id)} (${escapeMarkdown(e.reasons[i] ?? '')})`).join(', ')}`);
  else if (e.ids.length) parts.push(` — ${e.ids.map(code).join(', ')}`);
  if (e.mismatch === 'ticked-but-failing') parts.push(' — **ticked in the checklist, but the checks fail**');
  else if (e.mismatch === 'passing-but-unticked') parts.push(' — checks pass; not ticked in the checklist yet');
  else if (e.status === 'manual' && e.ticked) parts.push(' — ticked by hand');
  const out = [parts.join('')];
  const list = (items: ReportLocation[], label?: string) => {
    for (const l of items.slice(0, maxLocations)) out.push(`  - ${label ? `${label}: ` : ''}${location(l)}`);
    if (items.length > maxLocations) out.push(`  - … and ${items.length - maxLocations} more`);
  };
  list(e.findings);
  list(e.evidence, 'evidence');
  for (const a of e.attestations) out.push(`  - signed off by ${escapeMarkdown(a.by)} on ${escapeMarkdown(a.at)}${a.note ? `: ${escapeMarkdown(a.note)}` : ''}${e.ids.length > 1 ? ` (${code(a.id)})` : ''}`);
  return out;
}

export interface MarkdownReportOptions {
  /** Findings or evidence listed per item before "… and N more" (default 10). */
  maxLocations?: number;
}

export function summaryLine(r: ReadinessReport): string {
  const s = r.summary;
  const parts = [`${s.pass} ✓ passed`, `${s.fail} ✗ failed`, `${s.manual} manual${s.attested ? ` (${s.attested} signed off)` : ''}`, `${s.notApplicable} not applicable`];
  const measured = s.pass + s.fail + s.attested > 0;
  return `Readiness score: ${measured ? `${s.score}%` : 'not measured yet (nothing checked or signed off)'} — ${parts.join(', ')}.`;
}

/** For a team's own checklist: how many lines the checks settle, and how many ticks disagree with them. */
export function automatedLine(r: ReadinessReport): string {
  const s = r.summary;
  return `${s.automated} of ${s.entries} items are settled by automated checks${s.mismatches ? `; ${s.mismatches} tick${s.mismatches > 1 ? 's' : ''} disagree with them` : ''}.`;
}

export function sourceLine(r: ReadinessReport): string {
  const src = r.source.kind === 'markdown' ? `the checklist ${r.source.file}` : r.source.checklists.length ? `the checklists ${r.source.checklists.join(', ')}` : 'no checklist items';
  const by = [r.tool, r.generatedAt && `on ${r.generatedAt}`].filter(Boolean).join(' ');
  return `Verified against ${src}${by ? ` by ${by}` : ''}.`;
}

export function toMarkdownReport(report: ReadinessReport, options: MarkdownReportOptions = {}): string {
  const max = options.maxLocations ?? 10;
  const out: string[] = [`# ${escapeMarkdown(report.title)}`, '', sourceLine(report), '', `**${summaryLine(report)}**`];
  if (report.source.kind === 'markdown') out.push('', automatedLine(report));
  let previous: string[] = [];
  for (const section of report.sections) {
    let common = 0;
    while (common < previous.length && common < section.path.length && previous[common] === section.path[common]) common++;
    for (let d = common; d < section.path.length; d++) out.push('', `${'#'.repeat(Math.min(6, d + 2))} ${escapeMarkdown(section.path[d])}`);
    out.push('');
    for (const e of section.entries) out.push(...entryLines(e, max));
    previous = section.path;
  }
  return out.join('\n') + '\n';
}
