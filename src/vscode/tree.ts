import * as vscode from 'vscode';
import { VIEW_ID, type Ctx, type TreeNode } from './context';
import { ROOTS, RowRebuilds } from './rowRebuilds';
import { ViewMessage } from './viewMessage';
import { scoreLabel, scoreLine } from './score';
import { checklistRoots, readingProgress, totals } from './treeRoots';

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
