import type { FileEdit, FileKind, Finding } from '../model';
import { parseKubernetes, type K8sObject } from '../parse/kubernetes';
import { comparePositions, eol, LineIndex, rangeContains } from '../text';
import type { FixOutput } from './template';
import { YamlEditor } from './yamlEdit';

/** Kinds whose files take `#` comments. */
const COMMENTS: ReadonlySet<FileKind> = new Set(['dockerfile', 'kubernetes', 'env', 'compose', 'ciWorkflow', 'dockerignore', 'gitignore']);

export type IgnoreScope = 'line' | 'object';

function cleanReason(reason: string | undefined): string {
  return (reason ?? '').replace(/[\r\n]+/g, ' ').trim();
}

/** The comment line that silences one rule on the line below it. */
export function ignoreComment(ruleId: string, reason?: string): string {
  const r = cleanReason(reason);
  return `# shipshape-ignore ${ruleId}${r ? ` -- ${r}` : ''}`;
}

/** Scopes an "ignore" can take for a finding in a file of this kind. */
export function ignoreScopes(kind: FileKind | undefined, path: string): IgnoreScope[] {
  const out: IgnoreScope[] = [];
  const json = path.toLowerCase().endsWith('.json');
  if (kind && COMMENTS.has(kind) && !json) out.push('line');
  if (kind === 'kubernetes') out.push('object');
  return out;
}

/**
 * The suppression edit for a finding: a `# shipshape-ignore <id> -- <reason>` comment on its own line
 * above the finding's line (YAML, Dockerfile, .env…), or the `shipshape/ignore` annotation on the
 * Kubernetes object that contains it.
 */
export function suppressionEdit(file: { path: string; text: string; kind?: FileKind }, finding: Finding, reason: string | undefined, scope: IgnoreScope = 'line'): FixOutput {
  if (!ignoreScopes(file.kind, file.path).includes(scope)) {
    return { declined: file.kind === 'packageJson' || file.path.endsWith('.json') ? 'JSON has no comments; turn the rule off in .shipshape.yaml instead' : `cannot add a suppression to ${file.path}` };
  }
  if (scope === 'line') {
    const index = new LineIndex(file.text);
    const line = Math.min(finding.range.start.line, index.lineCount - 1);
    const indent = /^[ \t]*/.exec(index.lineText(line))![0];
    const pos = { line, character: 0 };
    const edit: FileEdit = { file: file.path, edits: [{ range: { start: pos, end: pos }, newText: indent + ignoreComment(finding.ruleId, reason) + eol(file.text) }] };
    return { title: `Ignore ${finding.ruleId} on this line`, edits: [edit] };
  }
  const { model } = parseKubernetes(file.text, file.path);
  let obj: K8sObject | undefined;
  for (const o of model.objects) {
    if (!rangeContains(o.range, finding.range) && comparePositions(o.range.start, finding.range.start) !== 0) continue;
    if (!obj || rangeContains(obj.range, o.range)) obj = o;
  }
  if (!obj) return { declined: 'no Kubernetes object contains this finding' };
  const ed = new YamlEditor(file.text, { json: file.path.toLowerCase().endsWith('.json') || undefined });
  const path = [...obj.base, 'metadata', 'annotations'];
  const existing = obj.annotations['shipshape/ignore'];
  let r;
  if (existing !== undefined) {
    const ids = existing.split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.includes(finding.ruleId) || ids.includes('*')) return { declined: `${obj.ref} already ignores ${finding.ruleId}` };
    r = ed.replace(obj.docIndex, [...path, 'shipshape/ignore'], [...ids, finding.ruleId].join(','));
  } else {
    r = ed.insert(obj.docIndex, path, { 'shipshape/ignore': finding.ruleId });
    const why = cleanReason(reason);
    if ('edits' in r && why && !ed.json && r.edits.length === 1 && r.edits[0].newText.trimEnd().endsWith(finding.ruleId)) {
      const t = r.edits[0].newText;
      const trimmed = t.trimEnd();
      r.edits[0] = { ...r.edits[0], newText: `${trimmed} # ${why}${t.slice(trimmed.length)}` };
    }
  }
  if ('declined' in r) return r;
  return { title: `Ignore ${finding.ruleId} for ${obj.ref}`, edits: [{ file: file.path, edits: r.edits }] };
}
