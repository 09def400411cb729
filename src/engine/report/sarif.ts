import type * as Sarif from 'sarif';
import type { ResolvedItem } from '../audit';
import { unauditedSeverity, type AuditResult, type Finding, type Severity } from '../model';
import { capPerRuleAndFile, MAX_PER_RULE_AND_FILE } from './cap';
import { jsonWithList, TOOL_NAME } from './json';
import { MARKDOWN_RULES } from './markdownFindings';

/** Results per run GitHub code scanning accepts; beyond it the rest is counted in a tool notification. */
export const MAX_SARIF_RESULTS = 25000;

const LEVEL: Record<Severity, Sarif.ReportingConfiguration['level']> = { error: 'error', warning: 'warning', info: 'note' };

/** The SARIF rule of inputs that could not be audited. */
export const UNAUDITED_RULE = 'shipshape.unaudited';

export const DOCS_BASE = 'https://github.com/shipshape-dev/shipshape/blob/main/docs/rules.md';

export function ruleHelpUri(id: string): string {
  return `${DOCS_BASE}#${id.replace(/\./g, '')}`;
}

/**
 * SARIF 2.1.0 with rule metadata and 1-based regions (what GitHub code scanning accepts). At most
 * {@link MAX_PER_RULE_AND_FILE} results per rule and file, then one result at the next finding saying how
 * many more there are; at most {@link MAX_SARIF_RESULTS} results in all, then a tool notification with the
 * count. The run's properties carry the exact summary. (A generated manifest of 35,000 objects has 580,000
 * findings: listed in full, the SARIF text is longer than a JavaScript string may be, and no upload takes it.)
 */
export function toSarif(result: AuditResult, items: readonly ResolvedItem[], version: string): string {
  return [...sarifChunks(result, items, version)].join('');
}

/** The SARIF log in pieces, byte for byte what `toSarif` gives: results are made and written a hundred at a time (see LIST_PIECE). */
export function* sarifChunks(result: AuditResult, items: readonly ResolvedItem[], version: string): Generator<string> {
  const rules: Sarif.ReportingDescriptor[] = items
    .filter((i) => i.template && !i.item.evidence)
    .map((i) => ({
      id: i.item.id,
      name: i.item.id.replace(/[.-](\w)/g, (_, ch: string) => ch.toUpperCase()),
      shortDescription: { text: i.item.title },
      fullDescription: { text: i.item.docs?.why ?? i.item.title },
      help: { text: i.item.docs?.fix ?? i.item.title, markdown: [i.item.docs?.why, i.item.docs?.fix].filter(Boolean).join('\n\n') || i.item.title },
      helpUri: i.item.docs?.url ?? ruleHelpUri(i.item.id),
      defaultConfiguration: { level: LEVEL[i.severity] },
      properties: { tags: [i.checklist.id, i.sectionId], ...(i.item.aliases.length ? { aliases: i.item.aliases } : {}) },
    }));
  for (const [id, text] of Object.entries(MARKDOWN_RULES)) {
    if (result.findings.some((f) => f.ruleId === id)) rules.push({ id, shortDescription: { text }, defaultConfiguration: { level: 'warning' }, properties: { tags: ['markdown'] } });
  }
  // what could not be audited: results of their own rule, so code scanning shows them where they are
  const unauditedLevel = unauditedSeverity(result.summary.unauditedPolicy) ?? 'info';
  if (result.unaudited.length) rules.push({ id: UNAUDITED_RULE, shortDescription: { text: 'Every input can be audited' }, fullDescription: { text: 'A file, document, object or field that could not be read, parsed, rendered or typed is not audited; it is never counted as passing.' }, defaultConfiguration: { level: LEVEL[unauditedLevel] }, properties: { tags: ['unaudited'] } });
  const index = new Map(rules.map((r, n) => [r.id, n]));
  const { listed, omitted } = capPerRuleAndFile(result.findings);
  const capped: { f: Finding; more?: number }[] = result.unaudited.map((u) => ({ f: { file: u.file, range: u.range, message: `Not audited: ${u.reason}${u.rules ? ` (${u.rules.join(', ')})` : ''}`, ...(u.object ? { object: u.object } : {}), ruleId: UNAUDITED_RULE, severity: unauditedLevel, fixable: false } }));
  for (const f of listed) capped.push({ f });
  for (const o of omitted) capped.push({ f: o.first, more: o.count });
  const kept = capped.slice(0, MAX_SARIF_RESULTS);
  const dropped = capped.slice(MAX_SARIF_RESULTS).reduce((n, c) => n + (c.more ?? 1), 0);
  const results: Sarif.Result[] = [];
  const log: Sarif.Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version, semanticVersion: version, informationUri: 'https://github.com/shipshape-dev/shipshape', rules } },
        originalUriBaseIds: { SRCROOT: { uri: toFileUri(result.root) } },
        properties: { summary: result.summary },
        results,
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              ...result.problems.map((p): Sarif.Notification => ({
                level: p.severity === 'info' ? 'note' : (p.severity ?? 'error'),
                message: { text: p.message },
                locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(p.file), uriBaseId: 'SRCROOT' }, ...(p.range ? { region: { startLine: p.range.start.line + 1, startColumn: p.range.start.character + 1 } } : {}) } }],
              })),
              ...(dropped ? [{ level: 'warning' as const, message: { text: `${dropped} finding(s) are not listed: SARIF output stops at ${MAX_SARIF_RESULTS} results (the JSON report lists all ${result.findings.length}).` } }] : []),
            ],
          },
        ],
      },
    ],
  };
  yield* jsonWithList(log, results, kept, ({ f, more }): Sarif.Result => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: LEVEL[f.severity],
    message: { text: more ? `${more} more finding(s) of this rule in this file are not listed (SARIF lists at most ${MAX_PER_RULE_AND_FILE} per rule and file; the JSON report lists all). The first: ${f.message}` : f.message },
    locations: [f.scope === 'repository' ? REPOSITORY_LOCATION : fileLocation(f)],
    partialFingerprints: { shipshape: `${f.ruleId}|${f.file}|${f.object ?? ''}|${f.container ?? ''}${more ? '|more' : ''}` },
  }));
  yield '\n';
}

/**
 * Where a repository finding is: the root folder, with no region (no line of any file), named as a
 * logical location too. SARIF 2.1.0 allows a result without locations (§3.27.12), but GitHub code scanning
 * refuses a whole upload when one result has no artifact location, so the root stands for the repository.
 */
export const REPOSITORY_LOCATION: Sarif.Location = Object.freeze({
  physicalLocation: { artifactLocation: { uri: '.', uriBaseId: 'SRCROOT' } },
  logicalLocations: [{ name: 'repository', kind: 'module' }],
});

function fileLocation(f: Finding): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: fileUri(f.file), uriBaseId: 'SRCROOT' },
      region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: Math.max(f.range.end.character + 1, f.range.start.line === f.range.end.line ? f.range.start.character + 2 : 1) },
    },
    ...(f.object ? { logicalLocations: [{ name: f.container ? `${f.object}/${f.container}` : f.object, kind: 'resource' }] } : {}),
  };
}

/** A relative path as a URI reference: every segment percent-encoded (`#`, `?`, `%` and spaces included). */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function toFileUri(root: string): string {
  const p = root.replace(/\\/g, '/');
  return `file://${p.startsWith('/') ? '' : '/'}${encodeURI(p).replace(/[?#]/g, encodeURIComponent)}${p.endsWith('/') ? '' : '/'}`;
}
