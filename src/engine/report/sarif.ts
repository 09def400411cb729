import type * as Sarif from 'sarif';
import type { ResolvedItem } from '../audit';
import type { AuditResult, Severity } from '../model';
import { TOOL_NAME } from './json';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration['level']> = { error: 'error', warning: 'warning', info: 'note' };

export const DOCS_BASE = 'https://github.com/shipshape-dev/shipshape/blob/main/docs/rules.md';

export function ruleHelpUri(id: string): string {
  return `${DOCS_BASE}#${id.replace(/\./g, '')}`;
}

/** SARIF 2.1.0 with rule metadata and 1-based regions (what GitHub code scanning accepts). */
export function toSarif(result: AuditResult, items: readonly ResolvedItem[], version: string): string {
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
  const index = new Map(rules.map((r, n) => [r.id, n]));
  const log: Sarif.Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version, semanticVersion: version, informationUri: 'https://github.com/shipshape-dev/shipshape', rules } },
        originalUriBaseIds: { SRCROOT: { uri: toFileUri(result.root) } },
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: 'SRCROOT' },
                region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: Math.max(f.range.end.character + 1, f.range.start.line === f.range.end.line ? f.range.start.character + 2 : 1) },
              },
              ...(f.object ? { logicalLocations: [{ name: f.container ? `${f.object}/${f.container}` : f.object, kind: 'resource' }] } : {}),
            },
          ],
          partialFingerprints: { shipshape: `${f.ruleId}|${f.file}|${f.object ?? ''}|${f.container ?? ''}` },
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.problems.map((p) => ({
              level: p.severity === 'info' ? 'note' : (p.severity ?? 'error'),
              message: { text: p.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(p.file), uriBaseId: 'SRCROOT' }, ...(p.range ? { region: { startLine: p.range.start.line + 1, startColumn: p.range.start.character + 1 } } : {}) } }],
            })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function toFileUri(root: string): string {
  const p = root.replace(/\\/g, '/');
  return `file://${p.startsWith('/') ? '' : '/'}${encodeURI(p)}${p.endsWith('/') ? '' : '/'}`;
}
