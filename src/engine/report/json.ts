import type { AuditResult, Problem } from '../model';

export const TOOL_NAME = 'shipshape';

/**
 * The JSON report: a documented contract (see README, "JSON output"). Ranges are 0-based;
 * file paths are relative to the root with forward slashes. Every finding is listed.
 */
export function toJsonReport(result: AuditResult, version: string): string {
  return [...jsonReportChunks(result, version)].join('');
}

/**
 * The JSON report in pieces, byte for byte what `JSON.stringify(report, null, 2)` gives, for hosts that
 * stream it: half a million findings make a text longer than a JavaScript string may be.
 */
export function* jsonReportChunks(result: AuditResult, version: string): Generator<string> {
  const head = {
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
  };
  const entries: [string, unknown[] | unknown][] = Object.entries(head);
  yield '{';
  let first = true;
  for (const [key, value] of entries) {
    yield `${first ? '' : ','}\n  ${JSON.stringify(key)}: ${indent(JSON.stringify(value, null, 2))}`;
    first = false;
  }
  const findings = result.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    file: f.file,
    range: f.range,
    ...(f.object ? { object: f.object } : {}),
    ...(f.container ? { container: f.container } : {}),
    fixable: f.fixable,
  }));
  yield* array('findings', findings);
  yield* array(
    'problems',
    result.problems.map((p: Problem) => ({ file: p.file, message: p.message, severity: p.severity ?? 'error', ...(p.range ? { range: p.range } : {}) })),
  );
  yield '\n}\n';
}

function indent(json: string, by = '  '): string {
  return json.replace(/\n/g, `\n${by}`);
}

/** `,\n  "key": [ … ]` with one chunk per thousand elements. */
function* array(key: string, values: readonly unknown[]): Generator<string> {
  if (values.length === 0) {
    yield `,\n  ${JSON.stringify(key)}: []`;
    return;
  }
  yield `,\n  ${JSON.stringify(key)}: [`;
  for (let i = 0; i < values.length; i += 1000) {
    yield values
      .slice(i, i + 1000)
      .map((v, j) => `${i + j === 0 ? '' : ','}\n    ${indent(JSON.stringify(v, null, 2), '    ')}`)
      .join('');
  }
  yield '\n  ]';
}
