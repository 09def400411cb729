import * as vscode from 'vscode';
import type { Evidence, Finding, ItemResult, ItemStatus } from '../engine/model';
import { VIEW_ID, type Ctx, type TreeNode, type TreeRootProvider, type ViewState } from './context';
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
  const parts = [`${n('fail')} failing`, `${n('pass')} passing`];
  if (n('unaudited')) parts.push(`${n('unaudited')} unaudited`);
  const manual = items.filter((i) => i.status === 'manual');
  if (manual.length) parts.push(`${manual.filter((i) => i.attestation).length}/${manual.length} signed off`);
  return parts.join(' · ');
}

/** Opens a file at a range (a finding's or an evidence's). */
export function revealCommand(uri: vscode.Uri, range: Evidence['range']): vscode.Command {
  return { command: 'vscode.open', title: 'Reveal', arguments: [uri, { selection: toRange(range), preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
}

function findingNode(a: FolderAuditor, idPrefix: string, f: Finding, index: number, withRule: boolean): TreeNode {
  const uri = a.resolve(f.file);
  const line = f.range.start.line + 1;
  return {
    id: `${idPrefix}/f${index}:${f.file}:${f.range.start.line}:${f.range.start.character}`,
    label: f.message,
    description: withRule ? `${f.ruleId} · line ${line}` : `${f.file}:${line}`,
    tooltip: `${f.file}:${line}${f.object ? ` · ${f.object}` : ''}${f.container ? ` · container ${f.container}` : ''}\n${f.message}`,
    icon: statusIcon('fail', f.severity),
    contextValue: `finding rule${f.fixable ? ' fixable' : ''}`,
    command: uri ? revealCommand(uri, f.range) : undefined,
    folder: a.folder,
    ruleId: f.ruleId,
    finding: f,
  };
}

function evidenceNode(a: FolderAuditor, idPrefix: string, e: Evidence, index: number): TreeNode {
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

function itemTooltip(item: ItemResult): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(item.title)}**\n\n`);
  md.appendMarkdown(`\`${item.id}\` · ${item.severity} · ${STATUS_TEXT[item.status]}${item.mode === 'evidence' ? ' (evidence, confirm by hand)' : ''}\n\n`);
  if (item.attestation) md.appendMarkdown(`Signed off by ${escapeMd(item.attestation.by)} at ${escapeMd(item.attestation.at)}\n\n`);
  if (item.docs?.why) md.appendMarkdown(`${escapeMd(item.docs.why)}\n\n`);
  if (item.docs?.fix) md.appendMarkdown(`*Fix:* ${escapeMd(item.docs.fix)}\n\n`);
  if (item.aliases.length) md.appendMarkdown(`Same as: ${item.aliases.map((x) => `\`${x}\``).join(', ')}`);
  return md;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export function itemNode(a: FolderAuditor, idPrefix: string, item: ItemResult): TreeNode {
  const id = `${idPrefix}/i:${item.id}`;
  const manual = item.mode !== 'auto';
  const children: TreeNode[] = [...item.findings.map((f, i) => findingNode(a, id, f, i, false)), ...item.evidence.map((e, i) => evidenceNode(a, id, e, i))];
  let description: string;
  if (item.status === 'fail') description = `${item.findings.length} finding${item.findings.length === 1 ? '' : 's'}`;
  else if (manual) description = item.attestation ? `signed off by ${item.attestation.by}` : item.mode === 'evidence' ? `evidence: ${item.evidence.length}` : 'manual';
  else description = STATUS_TEXT[item.status];
  return {
    id,
    label: item.title,
    description,
    tooltip: itemTooltip(item),
    icon: statusIcon(item.status, item.severity, !!item.attestation),
    contextValue: `item status-${item.status} rule${item.fixable && item.findings.length ? ' fixable' : ''}${manual ? ' manual' : ''}${item.attestation ? ' attested' : ''}`,
    collapsible: children.length ? (item.status === 'fail' ? 'expanded' : 'collapsed') : undefined,
    children: children.length ? () => children : undefined,
    checked: manual ? !!item.attestation : undefined,
    onCheck: manual ? async (checked) => void (await setAttestation(a, item.id, checked)) : undefined,
    folder: a.folder,
    ruleId: item.id,
    item,
  };
}

function byChecklist(a: FolderAuditor, prefix: string, view: ViewState): TreeNode[] {
  const result = a.result;
  if (!result) return [];
  const titles = new Map<string, string>();
  for (const ri of a.engine?.resolvedItems ?? []) titles.set(ri.checklist.id, ri.checklist.title);
  const checklists = new Map<string, Map<string, ItemResult[]>>();
  for (const item of result.items) {
    if (view.failingOnly && item.status !== 'fail') continue;
    let sections = checklists.get(item.checklist);
    if (!sections) checklists.set(item.checklist, (sections = new Map()));
    let items = sections.get(item.section);
    if (!items) sections.set(item.section, (items = []));
    items.push(item);
  }
  return [...checklists].map(([checklistId, sections]) => {
    const all = [...sections.values()].flat();
    const id = `${prefix}/c:${checklistId}`;
    const failing = all.some((i) => i.status === 'fail');
    return {
      id,
      label: titles.get(checklistId) ?? checklistId,
      description: countsText(all),
      icon: new vscode.ThemeIcon('checklist', failing ? new vscode.ThemeColor('testing.iconFailed') : undefined),
      contextValue: 'checklist',
      collapsible: 'expanded',
      folder: a.folder,
      children: () =>
        [...sections].map(([section, items]) => ({
          id: `${id}/s:${section}`,
          label: section,
          description: countsText(items),
          icon: new vscode.ThemeIcon('list-unordered'),
          contextValue: 'section',
          collapsible: items.some((i) => i.status === 'fail') ? 'expanded' : 'collapsed',
          folder: a.folder,
          children: () => items.map((item) => itemNode(a, `${id}/s:${section}`, item)),
        })),
    } satisfies TreeNode;
  });
}

function byFile(a: FolderAuditor, prefix: string): TreeNode[] {
  const result = a.result;
  if (!result) return [];
  const files = new Map<string, Finding[]>();
  for (const f of result.findings) {
    let list = files.get(f.file);
    if (!list) files.set(f.file, (list = []));
    list.push(f);
  }
  return [...files].map(([file, findings]) => {
    const id = `${prefix}/file:${file}`;
    const uri = a.resolve(file);
    return {
      id,
      label: file,
      description: `${findings.length} finding${findings.length === 1 ? '' : 's'}`,
      resourceUri: uri,
      icon: vscode.ThemeIcon.File,
      contextValue: 'file',
      collapsible: 'expanded',
      folder: a.folder,
      children: () => findings.map((f, i) => findingNode(a, id, f, i, true)),
    } satisfies TreeNode;
  });
}

/** The built-in roots: checklists (or files) of every workspace folder; one level per folder when multi-root. */
export function checklistRoots(ctx: Ctx): TreeRootProvider {
  return {
    id: 'checklists',
    order: 0,
    roots(view) {
      const auditors = ctx.folders.filter((a) => a.result);
      const build = (a: FolderAuditor, prefix: string): TreeNode[] => (view.groupBy === 'file' ? byFile(a, prefix) : byChecklist(a, prefix, view));
      // Multi-root workspaces get one node per audited folder, single folders show their checklists at the top.
      if (ctx.folders.length <= 1) return auditors.flatMap((a) => build(a, a.folder.uri.toString()));
      return auditors.map((a) => ({
        id: a.folder.uri.toString(),
        label: a.name,
        description: `score ${a.result!.summary.score}%`,
        icon: new vscode.ThemeIcon('root-folder'),
        contextValue: 'folder',
        collapsible: 'expanded',
        folder: a.folder,
        children: () => build(a, a.folder.uri.toString()),
      }));
    },
  };
}

/** Failing items and the combined score over every folder. */
export function totals(ctx: Ctx): { failing: number; score: number | undefined; findings: number; unaudited: number } {
  let unaudited = 0;
  let unauditedItems = 0;
  let nothing = true;
  let passed = 0;
  let failed = 0;
  let attested = 0;
  let findings = 0;
  let any = false;
  for (const a of ctx.folders) {
    const s = a.result?.summary;
    if (!s) continue;
    any = true;
    passed += s.passed;
    failed += s.failed;
    findings += s.findings;
    unaudited += s.unaudited;
    if (s.unauditedPolicy !== 'ignore') unauditedItems += s.unauditedItems;
    if (!s.nothingToAudit) nothing = false;
    attested += a.result!.items.filter((i) => i.status === 'manual' && i.attestation).length;
  }
  // as the engine's summary: unaudited items count against the score, and nothing to audit is never 100%
  const denominator = passed + failed + unauditedItems + attested;
  return { failing: failed, findings, unaudited, score: !any ? undefined : nothing ? 0 : denominator === 0 ? 100 : Math.round(((passed + attested) / denominator) * 100) };
}

/** The readiness view: roots from every registered provider; badge, description and checkboxes. */
export class ReadinessTree implements vscode.TreeDataProvider<TreeNode> {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly view: vscode.TreeView<TreeNode>;

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true, manageCheckboxStateManually: true });
    ctx.subscriptions.push(this.view, this.changeEmitter);
    ctx.on(this.view.onDidChangeCheckboxState, 'Updating a sign-off', async (e) => {
      for (const [node, state] of e.items) await node.onCheck?.(state === vscode.TreeItemCheckboxState.Checked);
    });
    ctx.on(ctx.onDidAudit, 'Refreshing the readiness view', () => this.refresh());
    ctx.on(ctx.onDidChangeView, 'Refreshing the readiness view', () => this.refresh());
    ctx.on(ctx.onDidChangeScanning, 'Refreshing the readiness view', () => this.updateHeader());
  }

  refresh(): void {
    this.changeEmitter.fire(undefined);
    this.updateHeader();
  }

  private updateHeader(): void {
    const t = totals(this.ctx);
    this.view.badge = t.failing ? { value: t.failing, tooltip: `${t.failing} failing readiness item${t.failing === 1 ? '' : 's'}` } : undefined;
    this.view.description = this.ctx.scanning && t.score === undefined ? 'scanning…' : t.score === undefined ? undefined : `Score ${t.score}%`;
    // The message shows even when the view's header is merged into its container's title (a single view).
    this.view.message = t.score === undefined ? undefined : `Readiness score ${t.score}% · ${t.failing} failing item${t.failing === 1 ? '' : 's'}${this.ctx.view.failingOnly ? ' (showing failing only)' : ''}`;
  }

  roots(): TreeNode[] {
    return this.ctx.treeRoots.flatMap((p) => p.roots(this.ctx.view));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? (node.children?.() ?? []) : this.roots();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : node.collapsible === 'collapsed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = node.icon;
    item.contextValue = node.contextValue;
    item.command = node.command;
    item.resourceUri = node.resourceUri;
    if (node.checked !== undefined) item.checkboxState = node.checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    return item;
  }
}

export function treeFeature(ctx: Ctx): ReadinessTree {
  ctx.subscriptions.push(ctx.addTreeRoots(checklistRoots(ctx)));
  return new ReadinessTree(ctx);
}
