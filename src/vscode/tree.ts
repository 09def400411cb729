import * as vscode from 'vscode';
import type { Evidence, Finding, ItemResult, ItemStatus } from '../engine/model';
import { VIEW_ID, type Ctx, type TreeNode, type TreeRootProvider, type ViewState } from './context';
import { toRange } from './convert';
import type { FolderAuditor } from './scan';
import { setAttestation } from './attest';
import { checklistLabel } from './labels';
import { ROOTS, RowRebuilds } from './rowRebuilds';
import { ViewMessage } from './viewMessage';
import { scoreLabel, scoreLine, totalsOf, type Totals } from './score';

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
function findingLabel(f: Finding): string {
  if (isRepositoryLevel(f)) return 'Repository';
  if (f.object) return f.container ? `${f.object} › ${f.container}` : f.object;
  return `${f.file}:${f.range.start.line + 1}`;
}

/**
 * Row ids of findings that stay the same while findings come and go (a first scan adds them batch by batch):
 * the rule and the place, numbered only when several findings share both.
 */
function findingIds(idPrefix: string, findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const key = `${idPrefix}/f:${f.ruleId}:${f.file}:${f.range.start.line}:${f.range.start.character}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n ? `${key}#${n}` : key;
  });
}

function findingNode(a: FolderAuditor, id: string, f: Finding, withRule: boolean, label = withRule ? f.message : findingLabel(f)): TreeNode {
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
function findingNodes(a: FolderAuditor, idPrefix: string, findings: readonly Finding[]): TreeNode[] {
  const labels = findings.map(findingLabel);
  const seen = new Map<string, number>();
  for (const l of labels) seen.set(l, (seen.get(l) ?? 0) + 1);
  const ids = findingIds(idPrefix, findings);
  return findings.map((f, i) => findingNode(a, ids[i], f, false, seen.get(labels[i])! > 1 && f.object ? `${labels[i]} (line ${f.range.start.line + 1})` : labels[i]));
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
function failWeight(items: readonly ItemResult[]): number {
  let w = 0;
  for (const i of items) if (i.status === 'fail') w += i.severity === 'error' ? 10000 : i.severity === 'warning' ? 100 : 1;
  else if (i.status === 'unaudited') w += 100;
  return w;
}

function sectionNode(a: FolderAuditor, parent: string, section: string, items: ItemResult[]): TreeNode {
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
function manualNode(a: FolderAuditor, parent: string, items: ItemResult[]): TreeNode {
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

/**
 * One root per checklist, the ones with failing checks first (errors before warnings); inside, the sections
 * with checks, then the manual items in one node. Checks that do not apply are left out (the checklist's
 * tooltip counts them), and so is a checklist with nothing else.
 */
function byChecklist(a: FolderAuditor, prefix: string, view: ViewState): TreeNode[] {
  const result = a.result;
  if (!result) return [];
  const checklists = new Map<string, ItemResult[]>();
  for (const item of result.items) {
    let items = checklists.get(item.checklist);
    if (!items) checklists.set(item.checklist, (items = []));
    items.push(item);
  }
  const roots: { node: TreeNode; weight: number; order: number }[] = [];
  for (const [checklistId, all] of checklists) {
    const id = `${prefix}/c:${checklistId}`;
    const checks = all.filter((i) => i.mode === 'auto' && (view.failingOnly ? i.status === 'fail' || i.status === 'unaudited' : i.status !== 'not-applicable'));
    const manual = view.failingOnly ? [] : all.filter((i) => i.mode !== 'auto');
    if (!checks.length && !manual.length) continue;
    const sections = new Map<string, ItemResult[]>();
    for (const item of checks) {
      let items = sections.get(item.section);
      if (!items) sections.set(item.section, (items = []));
      items.push(item);
    }
    const failing = checks.filter((i) => i.status === 'fail').length;
    const notApplicable = all.filter((i) => i.status === 'not-applicable').length;
    const title = a.checklistTitle(checklistId) ?? checklistId;
    const children = [...sections].map(([section, items]) => sectionNode(a, id, section, items));
    if (manual.length) children.push(manualNode(a, id, manual));
    roots.push({
      weight: failWeight(checks),
      order: roots.length,
      node: {
        id,
        // (cut to what reads whole at the side bar's default width; the tooltip has the full title)
        label: checklistLabel(title),
        description: countsText(all),
        tooltip: `${title}: ${countsText(all)}${notApplicable ? ` · ${notApplicable} not applicable to these files (hidden)` : ''}`,
        icon: new vscode.ThemeIcon('checklist', failing ? new vscode.ThemeColor('testing.iconFailed') : undefined),
        contextValue: 'checklist',
        collapsible: failing && !a.partial ? 'expanded' : 'collapsed',
        folder: a.folder,
        children: () => children,
      },
    });
  }
  return roots.sort((x, y) => y.weight - x.weight || x.order - y.order).map((r) => r.node);
}

function byFile(a: FolderAuditor, prefix: string): TreeNode[] {
  const result = a.result;
  if (!result) return [];
  const files = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (isRepositoryLevel(f)) continue;
    let list = files.get(f.file);
    if (!list) files.set(f.file, (list = []));
    list.push(f);
  }
  // the repository's own findings first, in a node of their own (they have no file)
  const repo = result.findings.filter(isRepositoryLevel);
  const entries: [string | undefined, Finding[]][] = [...(repo.length ? [[undefined, repo] as [undefined, Finding[]]] : []), ...files];
  return entries.map(([file, findings]) => {
    const id = file === undefined ? `${prefix}/repository` : `${prefix}/file:${file}`;
    const uri = file === undefined ? undefined : a.resolve(file);
    return {
      id,
      label: file ?? 'Repository',
      description: `${findings.length} finding${findings.length === 1 ? '' : 's'}`,
      tooltip: file === undefined ? 'Findings about the repository as a whole (a CI workflow, a compose file, a setting declared nowhere): they belong to no file.' : undefined,
      resourceUri: uri,
      icon: file === undefined ? new vscode.ThemeIcon('repo') : vscode.ThemeIcon.File,
      contextValue: 'file',
      collapsible: a.partial ? 'collapsed' : 'expanded',
      folder: a.folder,
      children: () => {
        const ids = findingIds(id, findings);
        return findings.map((f, i) => findingNode(a, ids[i], f, true));
      },
    } satisfies TreeNode;
  });
}

/** The built-in roots: checklists (or files) of every workspace folder; one level per folder when multi-root. */
export function checklistRoots(ctx: Ctx): TreeRootProvider {
  return {
    id: 'checklists',
    order: 0,
    roots(view) {
      // A folder where nothing applies shows no rows: the view's welcome text says so. A folder whose first
      // scan is still reading files shows the results of the files read so far (refreshed at most once a second).
      const auditors = ctx.folders.filter((a) => a.result && totalsOf([a.result]).score !== undefined);
      // Rows of results so far are closed (VS Code shows a tree once it has fetched every open row, which takes
      // a round trip per row: the checklists with their counts show at once) and have ids of their own, so the
      // complete result's rows open as they should (VS Code keeps a row's expansion by id).
      const build = (a: FolderAuditor, folderId: string): TreeNode[] => {
        const prefix = a.partial ? `${folderId}#scanning` : folderId;
        return view.groupBy === 'file' ? byFile(a, prefix) : byChecklist(a, prefix, view);
      };
      // Multi-root workspaces get one node per audited folder, single folders show their checklists at the top.
      if (ctx.folders.length <= 1) return auditors.flatMap((a) => build(a, a.folder.uri.toString()));
      return auditors.map((a) => ({
        id: a.folder.uri.toString(),
        label: a.name,
        description: a.partial ? `scanning… ${a.reading.done}/${a.reading.total} files` : scoreLabel(totalsOf([a.result])),
        icon: new vscode.ThemeIcon('root-folder'),
        contextValue: 'folder',
        collapsible: 'expanded',
        folder: a.folder,
        children: () => build(a, a.folder.uri.toString()),
      }));
    },
  };
}

/** The combined score and counts over every folder (see score.ts); while a first scan reads files, of the files read so far. */
export function totals(ctx: Ctx): Totals {
  return totalsOf(ctx.folders.map((a) => a.result));
}

/** Files read so far, of how many, by the first scans still running; undefined when no folder's result is partial. */
export function readingProgress(ctx: Ctx): { done: number; total: number } | undefined {
  const partial = ctx.folders.filter((a) => a.partial && a.result);
  if (!partial.length) return undefined;
  return partial.reduce((p, a) => ({ done: p.done + a.reading.done, total: p.total + a.reading.total }), { done: 0, total: 0 });
}

/**
 * The readiness view: roots from every registered provider; badge, description and checkboxes.
 *
 * While a first scan reads files, the rows follow the results so far: rebuilt at most once a second, not while
 * VS Code is still fetching the rows of the previous rebuild, and again when it did not fetch them in time
 * (rowRebuilds.ts). The rows VS Code will ask for are known: the roots, then the children of every row shown
 * expanded. Row ids name what a row shows (checklist, section, rule, place), so a row keeps its id, selection
 * and expansion from one rebuild to the next.
 */
export class ReadinessTree implements vscode.TreeDataProvider<TreeNode> {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly view: vscode.TreeView<TreeNode>;
  /** When the rows are rebuilt from results so far (rowRebuilds.ts). */
  private readonly rebuilds = new RowRebuilds({
    rebuild: () => this.changeEmitter.fire(undefined),
    partial: () => this.ctx.folders.some((a) => a.partial && a.result),
    visible: () => this.view.visible,
  });
  /** The view's line: while files are read, it changes at most once a second (viewMessage.ts). */
  private readonly message = new ViewMessage((m) => (this.view.message = m));
  /** Rows a person opened or closed: VS Code keeps that state by id over the provider's. */
  private readonly opened = new Set<string>();
  private readonly closed = new Set<string>();

  constructor(private readonly ctx: Ctx) {
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true, manageCheckboxStateManually: true });
    ctx.subscriptions.push(this.view, this.changeEmitter, { dispose: () => (this.rebuilds.dispose(), this.message.cancel()) });
    ctx.rowsWaiter = () => this.rebuilds.nextFetch();
    ctx.on(this.view.onDidChangeCheckboxState, 'Updating a sign-off', async (e) => {
      for (const [node, state] of e.items) await node.onCheck?.(state === vscode.TreeItemCheckboxState.Checked);
    });
    ctx.on(this.view.onDidExpandElement, 'Opening a row', ({ element }) => {
      this.opened.add(element.id);
      this.closed.delete(element.id);
    });
    ctx.on(this.view.onDidCollapseElement, 'Closing a row', ({ element }) => {
      this.closed.add(element.id);
      this.opened.delete(element.id);
      this.rebuilds.closed(element.id);
    });
    ctx.on(ctx.onDidAudit, 'Refreshing the readiness view', (a) => (a.partial ? this.refreshSoon() : this.refresh()));
    ctx.on(ctx.onDidChangeView, 'Refreshing the readiness view', () => this.refresh());
    ctx.on(ctx.onDidChangeScanning, 'Refreshing the readiness view', () => this.updateHeader());
    ctx.on(ctx.onDidRead, 'Refreshing the readiness view', () => this.updateHeader());
  }

  refresh(): void {
    this.rebuilds.now();
    this.updateHeader();
  }

  /** Results so far: the header at once, the rows at most once a second, once VS Code has fetched the last ones (or did not in time). */
  private refreshSoon(): void {
    this.updateHeader();
    this.rebuilds.soon();
  }

  private updateHeader(): void {
    const t = totals(this.ctx);
    const reading = readingProgress(this.ctx);
    const files = reading ? `${reading.done}/${reading.total} files` : '';
    this.view.badge = t.failed ? { value: t.failed, tooltip: `Readiness ${t.score}%${reading ? ' so far' : ''} · ${t.failed} failing check${t.failed === 1 ? '' : 's'}` } : undefined;
    this.view.description = reading ? `scanning… ${files}` : this.ctx.scanning && !t.folders ? 'scanning…' : t.folders ? scoreLabel(t) : undefined;
    // The message shows even when the view's header is merged into its container's title (a single view);
    // with nothing to audit there are no rows and the welcome text explains.
    const message = reading
      ? `Scanning… ${files} read. ${t.score === undefined ? 'No check applies to them yet' : `${scoreLine(t)} so far`}; the score is final when every file is read.`
      : t.score === undefined
        ? undefined
        : `${scoreLine(t)}${this.ctx.view.failingOnly ? ' (showing failing only)' : ''}`;
    this.message.update(message, reading !== undefined);
  }

  roots(): TreeNode[] {
    return this.ctx.treeRoots.flatMap((p) => p.roots(this.ctx.view));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const children = node ? (node.children?.() ?? []) : this.roots();
    // VS Code asks next for the children of the rows it shows open
    this.rebuilds.fetched(node?.id ?? ROOTS, children.filter((c) => c.children && (this.opened.has(c.id) || (c.collapsible === 'expanded' && !this.closed.has(c.id)))).map((c) => c.id));
    return children;
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
