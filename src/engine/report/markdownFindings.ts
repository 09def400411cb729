import type { LinkedChecklist, MarkdownDiagnosticCode } from '../markdown/link';
import type { AuditResult, Finding, Severity } from '../model';

/** What the Markdown checklist rule ids mean, for SARIF rule metadata. */
export const MARKDOWN_RULES: Record<Exclude<MarkdownDiagnosticCode, 'markdown.unticked-passing' | 'markdown.ticked-unverified' | 'markdown.failing'>, string> = {
  'markdown.ticked-failing': 'A ticked line of the repository’s own Markdown checklist is contradicted by failing checks',
  'markdown.unknown-pin': 'A <!-- shipshape: … --> pin in a Markdown checklist names an unknown rule id',
};

/**
 * The disagreements of the repository's own Markdown checklists with the audit, as findings: a ticked line
 * whose linked checks fail, a pin naming an unknown rule (warnings, located at the line). Hints (an
 * unticked line that could be ticked, a ticked line no check verified, a plain list line whose checks fail) are not findings. The CLI adds them to `scan` output so text, JSON
 * and SARIF show what the editor and `shipshape report` show.
 */
export function markdownFindings(linked: readonly LinkedChecklist[]): Finding[] {
  const out: Finding[] = [];
  for (const l of linked) {
    for (const d of l.diagnostics) {
      if (d.severity === 'hint') continue;
      out.push({ ruleId: d.code, severity: d.severity as Severity, file: d.file, range: d.range, message: d.message, ...(d.related.length ? { related: d.related } : {}), fixable: false });
    }
  }
  return out;
}

/** The audit result with extra findings appended and the finding counts of the summary updated (items and score unchanged). */
export function withFindings(result: AuditResult, extra: readonly Finding[]): AuditResult {
  if (!extra.length) return result;
  const s = { ...result.summary };
  s.findings += extra.length;
  for (const f of extra) {
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
    else s.infos++;
  }
  return { ...result, findings: [...result.findings, ...extra], summary: s };
}
