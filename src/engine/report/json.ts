import type { AuditResult, Problem } from '../model';

export const TOOL_NAME = 'shipshape';

/**
 * The JSON report: a documented contract (see README, "JSON output"). Ranges are 0-based;
 * file paths are relative to the root with forward slashes.
 */
export function toJsonReport(result: AuditResult, version: string): string {
  const report = {
    tool: { name: TOOL_NAME, version },
    root: result.root,
    summary: {
      files: result.summary.files,
      findings: result.summary.findings,
      errors: result.summary.errors,
      warnings: result.summary.warnings,
      infos: result.summary.infos,
      passed: result.summary.passed,
      failed: result.summary.failed,
      manual: result.summary.manual,
      notApplicable: result.summary.notApplicable,
      suppressed: result.summary.suppressed,
      score: result.summary.score,
    },
    items: result.items.map((i) => ({
      id: i.id,
      title: i.title,
      checklist: i.checklist,
      section: i.section,
      severity: i.severity,
      status: i.status,
      mode: i.mode,
      aliases: i.aliases,
      findings: i.findings.length,
      evidence: i.evidence.map((e) => ({ file: e.file, message: e.message, range: e.range })),
      ...(i.attestation ? { attestation: i.attestation } : {}),
    })),
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      range: f.range,
      ...(f.object ? { object: f.object } : {}),
      ...(f.container ? { container: f.container } : {}),
      fixable: f.fixable,
    })),
    problems: result.problems.map((p: Problem) => ({ file: p.file, message: p.message, severity: p.severity ?? 'error', ...(p.range ? { range: p.range } : {}) })),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
