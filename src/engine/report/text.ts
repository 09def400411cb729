import { unauditedSeverity, type AuditResult, type Finding, type Problem, type Severity } from '../model';
import { capPerRuleAndFile, MAX_PER_RULE_AND_FILE, type Omitted } from './cap';

export interface TextOptions {
  color: boolean;
  /** Show passing and manual items too, not only failures. */
  verbose?: boolean;
}

const CODES = { red: 31, yellow: 33, blue: 34, green: 32, gray: 90, bold: 1 } as const;

function paint(on: boolean) {
  return (code: keyof typeof CODES, s: string): string => (on ? `\u001b[${CODES[code]}m${s}\u001b[0m` : s);
}

/**
 * A name or message from the repository as it may be printed to a terminal: control characters (an escape
 * sequence in a manifest's name, a newline in a file name) are shown as `\u001b`, never sent; a tab stays.
 */
export function printable(s: string): string {
  return s.replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

const SEV_COLOR: Record<Severity, keyof typeof CODES> = { error: 'red', warning: 'yellow', info: 'blue' };

/**
 * Human-readable report: findings about the repository as a whole under "Repository", then findings grouped by file with 1-based line:col (at most {@link MAX_PER_RULE_AND_FILE}
 * per rule and file, then a located "N more" line), problems, then a summary and the score.
 */
export function toTextReport(result: AuditResult, options: TextOptions): string {
  const c = paint(options.color);
  const out: string[] = [];
  const byFile = new Map<string, (Finding | (Problem & { ruleId?: undefined }))[]>();
  const { listed, omitted } = capPerRuleAndFile(result.findings);
  for (const f of listed) (byFile.get(f.file) ?? byFile.set(f.file, []).get(f.file)!).push(f);
  const more = new Map<string, Omitted[]>();
  for (const o of omitted) (more.get(o.file) ?? more.set(o.file, []).get(o.file)!).push(o);
  // repository findings ('' sorts first) under their own heading, with no position
  const files = [...byFile.keys()].sort();
  for (const file of files) {
    out.push(c('bold', file === '' ? 'Repository' : printable(file)));
    for (const f of byFile.get(file)!) {
      const finding = f as Finding;
      const pos = finding.scope === 'repository' ? '' : `${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
      // Name the object and container unless the message already does.
      const where = [finding.object && !finding.message.includes(finding.object) ? finding.object : '', finding.container && !finding.message.includes(`"${finding.container}"`) ? `container ${finding.container}` : ''].filter(Boolean).join(' ');
      out.push(`  ${pos.padEnd(8)} ${c(SEV_COLOR[finding.severity], finding.severity.padEnd(7))} ${printable(finding.message)}${where ? c('gray', ` (${printable(where)})`) : ''}  ${c('gray', printable(finding.ruleId))}${finding.fixable ? c('gray', ' [fixable]') : ''}`);
    }
    for (const o of more.get(file) ?? []) {
      const pos = o.first.scope === 'repository' ? '' : `${o.first.range.start.line + 1}:${o.first.range.start.character + 1}`;
      out.push(`  ${pos.padEnd(8)} ${c(SEV_COLOR[o.first.severity], o.first.severity.padEnd(7))} … ${o.count} more finding(s) of this rule in this file, from here on (${MAX_PER_RULE_AND_FILE} listed; --format json lists all)  ${c('gray', printable(o.ruleId))}`);
    }
    out.push('');
  }
  const problems = result.problems.filter((p) => options.verbose || p.severity !== 'info');
  if (problems.length) {
    out.push(c('bold', 'Problems'));
    for (const p of problems) {
      const pos = p.range ? `:${p.range.start.line + 1}:${p.range.start.character + 1}` : '';
      out.push(`  ${printable(p.file)}${pos}  ${c(SEV_COLOR[p.severity ?? 'error'], p.severity ?? 'error')} ${printable(p.message)}`);
    }
    const hidden = result.problems.length - problems.length;
    if (hidden) out.push(c('gray', `  (${hidden} informational problem(s) hidden; --verbose shows them)`));
    out.push('');
  }
  if (result.unaudited.length) {
    out.push(c('bold', 'Not audited'));
    const color = SEV_COLOR[unauditedSeverity(result.summary.unauditedPolicy) ?? 'info'];
    for (const u of result.unaudited) {
      const pos = `${u.range.start.line + 1}:${u.range.start.character + 1}`;
      const where = u.object && !u.reason.includes(u.object) ? ` (${u.object})` : '';
      out.push(`  ${printable(u.file)}:${pos}  ${c(color, 'unaudited')} ${printable(u.reason + where)}${u.rules ? c('gray', `  ${printable(u.rules.join(', '))}`) : ''}`);
    }
    out.push('');
  }
  if (options.verbose) {
    out.push(c('bold', 'Items'));
    for (const i of result.items) {
      const mark = i.status === 'pass' ? c('green', '✓') : i.status === 'fail' ? c('red', '✗') : i.status === 'unaudited' ? c('yellow', '?') : i.status === 'manual' ? (i.attestation ? c('green', '☑') : '☐') : c('gray', '–');
      out.push(`  ${mark} ${printable(i.title)} ${c('gray', `${printable(i.id)} (${i.status})`)}`);
    }
    out.push('');
  }
  const s = result.summary;
  out.push(
    `${s.findings} finding(s): ${c('red', `${s.errors} error(s)`)}, ${c('yellow', `${s.warnings} warning(s)`)}, ${c('blue', `${s.infos} info`)} in ${s.files} file(s)` +
      (s.suppressed ? c('gray', `, ${s.suppressed} suppressed`) : ''),
  );
  if (s.nothingToAudit) out.push(c('yellow', 'Nothing to audit: no Dockerfile, Kubernetes manifest, compose file, env file, package.json, CI workflow or checklist was found.'));
  else if (s.unaudited) out.push(c('yellow', `${s.unaudited} input(s) could not be audited${s.unauditedPolicy === 'ignore' ? ' (not counted: unaudited: ignore)' : ''}`));
  out.push(`Items: ${c('green', `${s.passed} passed`)}, ${c('red', `${s.failed} failed`)}, ${s.unauditedItems ? `${c('yellow', `${s.unauditedItems} unaudited`)}, ` : ''}${s.manual} manual, ${s.notApplicable} not applicable`);
  out.push(`Readiness score: ${c('bold', `${s.score}%`)}${s.nothingToAudit ? ' (nothing audited)' : ''}`);
  return out.join('\n') + '\n';
}
