// Rows of the readiness view: a checklist item, its findings and evidence, sections and the manual items' node.
import * as vscode from 'vscode';
import type { Evidence, Finding, ItemResult, ItemStatus } from '../engine/model';
import type { TreeNode } from './context';
import { toRange } from './convert';
import type { FolderAuditor } from './scan';
import { setAttestation } from './attest';

/** Status icons shared by every tree root provider. */
export function statusIcon(status: ItemStatus, severity?: string, attested?: boolean): vscode.ThemeIcon {
  switch (status) {
    case 'pass':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'fail':
      return severity === 'error'
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
        : severity === 'info'
          ? new vscode.ThemeIcon('info', new vscode.ThemeColor('editorInfo.foreground'))
          : new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'));
    case 'unaudited':
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('editorWarning.foreground'));
    case 'manual':
      return attested ? new vscode.ThemeIcon('verified-filled', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('person');
    default:
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  }
}

const STATUS_TEXT: Record<ItemStatus, string> = { pass: 'passing', fail: 'failing', unaudited: 'unaudited', manual: 'manual', 'not-applicable': 'not applicable' };

export function countsText(items: readonly ItemResult[]): string {
  const n = (s: ItemStatus): number => items.filter((i) => i.status === s).length;
  const parts: string[] = [];
  if (n('fail')) parts.push(`${n('fail')} failing`);
  if (n('pass')) parts.push(`${n('pass')} passing`);
  if (n('unaudited')) parts.push(`${n('unaudited')} not audited`);
  const manual = items.filter((i) => i.status === 'manual');
  if (manual.length) parts.push(`${manual.filter((i) => i.attestation).length}/${manual.length} signed off`);
  return parts.join(' · ') || 'nothing applies';
}

/** Opens a file at a range (a finding's or an evidence's). */
export function revealCommand(uri: vscode.Uri, range: Evidence['range']): vscode.Command {
  return { command: 'vscode.open', title: 'Reveal', arguments: [uri, { selection: toRange(range), preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
}

/** A finding about the repository as a whole (no CI workflow, no compose file): it has no file or line. */
export function isRepositoryLevel(f: Finding): boolean {
  return (f as { scope?: string }).scope === 'repository' || !f.file;
}

/** A finding's short label: the object and container (or file and line, or the repository) it is about; the message goes to the tooltip. */
export function findingLabel(f: Finding): string {
  if (isRepositoryLevel(f)) return 'Repository';
  if (f.object) return f.container ? `${f.object} › ${f.container}` : f.object;
  return `${f.file}:${f.range.start.line + 1}`;
}

/**
 * Row ids of findings that stay the same while findings come and go (a first scan adds them batch by batch):
 * the rule and the place, numbered only when several findings share both.
 */
export function findingIds(idPrefix: string, findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${idPrefix}/f:${f.ruleId}:${f.file}:${f.range.start.line}:${f.range.start.character}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n ? `${key}#${n}` : key;
  });
}

export function findingNode(a: FolderAuditor, id: string, f: Finding, withRule: boolean, label = withRule ? f.message : findingLabel(f)): TreeNode {
  const repo = isRepositoryLevel(f);
  const uri = repo ? undefined : a.resolve(f.file);
  const line = f.range.start.line + 1;
  const where = repo ? 'the repository as a whole' : `${f.file}:${line}`;
  return {
    id,
    label,
    // (a row labelled with its file and line has the message beside it, not the same place twice)
    description: withRule ? (repo ? f.ruleId : `${f.ruleId} · line ${line}`) : repo || !f.object ? f.message : `${f.file}:${line}`,
    tooltip: `${f.message}
${where}${f.object ? ` · ${f.object}` : ''}${f.container ? ` · container ${f.container}` : ''}`,
    icon: repo && !withRule ? new vscode.ThemeIcon('repo', statusIcon('fail', f.severity).color) : statusIcon('fail', f.severity),
    contextValue: `finding rule${f.fixable ? ' fixable' : ''}`,
    command: uri ? revealCommand(uri, f.range) : undefined,
    folder: a.folder,
    ruleId: f.ruleId,
    finding: f,
  };
}

/** Finding rows of one item; rows that would read the same get their line. */
export function findingNodes(a: FolderAuditor, idPrefix: string, findings: readonly Finding[]): TreeNode[] {
  const labels = findings.map(findingLabel);
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  const ids = findingIds(idPrefix, findings);
  return findings.map((f, i) => findingNode(a, ids[i], f, false, seen.get(labels[i])! > 1 && f.object ? `${labels[i]} (line ${f.range.start.line + 1})` : labels[i]));
}

export function evidenceNode(a: FolderAuditor, idPrefix: string, e: Evidence, index: number): TreeNode {
  const uri = a.resolve(e.file);
  return {
    id: `${idPrefix}/e${index}:${e.file}:${e.range.start.line}`,
    label: e.message,
    description: `${e.file}:${e.range.start.line + 1}`,
    icon: new vscode.ThemeIcon('search'),
    contextValue: 'evidence',
    command: uri ? revealCommand(uri, e.range) : undefined,
    folder: a.folder,
  };
}

export function itemTooltip(item: ItemResult): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(item.title)}**\n\n`);
  md.appendMarkdown(`\`${item.id}\` · ${item.severity} · ${STATUS_TEXT[item.status]}${item.mode === 'evidence' ? ' (evidence, confirm by hand)' : ''}\n\n`);
  if (item.attestation) md.appendMarkdown(`Signed off by ${escapeMd(item.attestation.by)} at ${escapeMd(item.attestation.at)}\n\n`);
  if (item.docs?.why) md.appendMarkdown(`${escapeMd(item.docs.why)}\n\n`);
  if (item.docs?.fix) md.appendMarkdown(`*Fix:* ${escapeMd(item.docs.fix)}\n\n`);
  if (item.aliases.length) md.appendMarkdown(`Same as: ${item.aliases.map((x) => `\`${x}\``).join(', ')}`);
  return md;
}

export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function itemNode(a: FolderAuditor, idPrefix: string, item: ItemResult): TreeNode {
  const id = `${idPrefix}/i:${item.id}`;
  const manual = item.mode !== 'auto';
  const children: TreeNode[] = [...findingNodes(a, id, item.findings), ...item.evidence.map((e, i) => evidenceNode(a, id, e, i))];
  let description: string;
  if (item.status === 'fail') description = `${item.findings.length} finding${item.findings.length === 1 ? '' : 's'}`;
  else if (manual) description = item.attestation ? `signed off by ${item.attestation.by}` : item.evidence.length ? `${item.evidence.length} place${item.evidence.length === 1 ? '' : 's'} to look at` : 'confirm by hand';
  else description = STATUS_TEXT[item.status];
  return {
    id,
    label: item.title,
    description,
    tooltip: itemTooltip(item),
    icon: statusIcon(item.status, item.severity, !!item.attestation),
    contextValue: `item status-${item.status} rule${item.fixable && item.findings.length ? ' fixable' : ''}${manual ? ' manual' : ''}${item.attestation ? ' attested' : ''}`,
    collapsible: children.length ? (item.status === 'fail' && !a.partial ? 'expanded' : 'collapsed') : undefined,
    children: children.length ? () => children : undefined,
    checked: manual ? !!item.attestation : undefined,
    onCheck: manual ? async (checked) => void (await setAttestation(a, item.id, checked)) : undefined,
    folder: a.folder,
    ruleId: item.id,
    item,
  };
}

/** The failing items' weight, for ordering roots: errors first, then warnings, then the rest. */
export function failWeight(items: readonly ItemResult[]): number {
  let w = 0;
  for (const i of items) if (i.status === 'fail') w += i.severity === 'error' ? 10000 : i.severity === 'warning' ? 100 : 1;
  else if (i.status === 'unaudited') w += 100;
  return w;
}

export function sectionNode(a: FolderAuditor, parent: string, section: string, items: ItemResult[]): TreeNode {
  const id = `${parent}/s:${section}`;
  return {
    id,
    label: section,
    description: countsText(items),
    icon: new vscode.ThemeIcon('list-unordered'),
    contextValue: 'section',
    collapsible: items.some((i) => i.status === 'fail') && !a.partial ? 'expanded' : 'collapsed',
    folder: a.folder,
    children: () => items.map((item) => itemNode(a, id, item)),
  };
}

/** A checklist's manual items (a person confirms them) in one collapsed node, after its checks. */
export function manualNode(a: FolderAuditor, parent: string, items: ItemResult[]): TreeNode {
  const id = `${parent}/manual`;
  const signed = items.filter((i) => i.attestation).length;
  return {
    id,
    label: 'To confirm by hand',
    description: `${signed}/${items.length} signed off`,
    tooltip: 'Items that repository files cannot settle. Tick one to sign it off (written to .shipshape/attestations.yaml); signed-off items count towards the score.',
    icon: new vscode.ThemeIcon('person'),
    contextValue: 'manualGroup',
    collapsible: 'collapsed',
    folder: a.folder,
    children: () => items.map((item) => ({ ...itemNode(a, id, item), description: item.attestation ? `signed off by ${item.attestation.by}` : item.section })),
  };
}
