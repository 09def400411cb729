import type { ItemStatus } from '../model';
import type { ReadinessReport, ReportEntry, ReportLocation } from '../markdown/readiness';
import { automatedLine, isTicked, markOf, sourceLine, summaryLine, where } from './markdown';

/** The readiness report as one self-contained HTML page (inline CSS, no script, every text escaped). */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const LABEL: Record<ItemStatus, string> = { pass: 'passed', fail: 'failed', unaudited: 'unaudited', manual: 'manual', 'not-applicable': 'not applicable' };

const CSS = `body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.7rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
ul.checklist{list-style:none;padding-left:0}ul.checklist>li{margin:.35rem 0;padding:.3rem .5rem;border-left:4px solid #d0d7de}
li.pass{border-color:#1a7f37!important}li.fail{border-color:#cf222e!important;background:#fff5f5}li.manual{border-color:#9a6700!important}li.not-applicable{color:#656d76}
.mark{display:inline-block;min-width:1.3rem;font-weight:600}.pass .mark{color:#1a7f37}.fail .mark{color:#cf222e}.manual .mark{color:#9a6700}
.ids,.why{color:#656d76;font-size:.85em}.warn{color:#cf222e;font-weight:600}ul.details{margin:.2rem 0 0 1.2rem;padding-left:.8rem;font-size:.9em}
code{font:.85em ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:.1em .3em;border-radius:4px}.score{font-size:1.15rem}`;

function location(l: ReportLocation, label?: string): string {
  const at = l.scope === 'repository' ? '<strong>repository</strong>' : `<code>${escapeHtml(where(l))}</code>`;
  return `<li>${label ? `${escapeHtml(label)}: ` : ''}${at} ${escapeHtml(l.message)}</li>`;
}

function entry(e: ReportEntry, max: number): string {
  const box = `<input type="checkbox" disabled${isTicked(e) ? ' checked' : ''} aria-label="${isTicked(e) ? 'ticked' : 'not ticked'}">`;
  const ids = e.ids.length ? ` <span class="ids">${e.ids.map((id, i) => `<code>${escapeHtml(id)}</code>${e.reasons[i] ? ` <span class="why">(${escapeHtml(e.reasons[i])})</span>` : ''}`).join(', ')}</span>` : '';
  const note =
    e.mismatch === 'ticked-but-failing'
      ? ' <span class="warn">ticked in the checklist, but the checks fail</span>'
      : e.mismatch === 'passing-but-unticked'
        ? ' <span class="why">checks pass; not ticked in the checklist yet</span>'
        : e.verdict === 'ticked-unverified'
          ? ` <span class="warn">ticked in the checklist, but not verified: ${escapeHtml(e.unverified ?? '')}</span>`
          : '';
  const details: string[] = [];
  for (const l of e.findings.slice(0, max)) details.push(location(l));
  if (e.findings.length > max) details.push(`<li>… and ${e.findings.length - max} more</li>`);
  for (const l of e.evidence.slice(0, max)) details.push(location(l, 'evidence'));
  if (e.evidence.length > max) details.push(`<li>… and ${e.evidence.length - max} more</li>`);
  for (const a of e.attestations) details.push(`<li>signed off by ${escapeHtml(a.by)} on ${escapeHtml(a.at)}${a.note ? `: ${escapeHtml(a.note)}` : ''}</li>`);
  return `<li class="${e.status}" title="${LABEL[e.status]}">${box} <span class="mark">${escapeHtml(markOf(e))}</span> ${escapeHtml(e.text)}${ids}${note}${details.length ? `<ul class="details">${details.join('')}</ul>` : ''}</li>`;
}

export function toHtmlReport(report: ReadinessReport, options: { maxLocations?: number } = {}): string {
  const max = options.maxLocations ?? 10;
  const body: string[] = [`<h1>${escapeHtml(report.title)}</h1>`, `<p>${escapeHtml(sourceLine(report))}</p>`, `<p class="score"><strong>${escapeHtml(summaryLine(report))}</strong></p>`];
  if (report.source.kind === 'markdown') body.push(`<p>${escapeHtml(automatedLine(report))}</p>`);
  let previous: string[] = [];
  let open = false;
  for (const section of report.sections) {
    let common = 0;
    while (common < previous.length && common < section.path.length && previous[common] === section.path[common]) common++;
    if (open) body.push('</ul>');
    for (let d = common; d < section.path.length; d++) {
      const level = Math.min(6, d + 2);
      body.push(`<h${level}>${escapeHtml(section.path[d])}</h${level}>`);
    }
    body.push('<ul class="checklist">');
    open = true;
    for (const e of section.entries) body.push(entry(e, max));
    previous = section.path;
  }
  if (open) body.push('</ul>');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
