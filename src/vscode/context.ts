import * as vscode from 'vscode';
import { Log } from './log';
import { childrenCpuMs, StartupProfile } from './profile';
import { FolderAuditor, type AuditorHost } from './scan';
import { loadBuiltins, type Builtins } from './setup';

export const VIEW_ID = 'shipshape.readiness';

/** A tree node contributed by any feature module (plain object; `children` is called lazily). */
export interface TreeNode {
  /** Stable across refreshes, unique in the tree. */
  id: string;
  label: string | vscode.TreeItemLabel;
  description?: string;
  tooltip?: string | vscode.MarkdownString;
  icon?: vscode.ThemeIcon;
  /** Tokens for menus, e.g. `item fail fixable`; see README section "extension". */
  contextValue?: string;
  /** Collapsed state when the node has children; omitted for leaves. */
  collapsible?: 'collapsed' | 'expanded';
  /** A checkbox (manual items): its state. */
  checked?: boolean;
  command?: vscode.Command;
  resourceUri?: vscode.Uri;
  children?: () => TreeNode[];
  /** Called when the user ticks or unticks the checkbox. */
  onCheck?: (checked: boolean) => Promise<void> | void;
  /** Data for context-menu commands (open docs, copy rule id, apply fix, ignore). */
  folder?: vscode.WorkspaceFolder;
  ruleId?: string;
  finding?: import('../engine/model').Finding;
  item?: import('../engine/model').ItemResult;
}

/** A feature module's roots in the readiness tree (built-in checklists, Markdown checklists…). */
export interface TreeRootProvider {
  id: string;
  /** Lower comes first. */
  order: number;
  roots(view: ViewState): TreeNode[];
}

export interface ViewState {
  groupBy: 'checklist' | 'file';
  failingOnly: boolean;
}

/**
 * Owns every disposable and all state of the running extension (no module-level globals): the log, the
 * per-folder auditors, view state, tree root providers and the audit event feature modules listen to.
 */
export class Ctx implements vscode.Disposable, AuditorHost {
  readonly log: Log;
  readonly subscriptions: vscode.Disposable[] = [];
  readonly auditors = new Map<string, FolderAuditor>();
  readonly view: ViewState = { groupBy: 'checklist', failingOnly: false };
  readonly treeRoots: TreeRootProvider[] = [];
  /**
   * When (Date.now()) the extension activated, first showed scan progress, first published results of the
   * files read so far, and first had every folder's complete result (read by the tests' inspect()).
   */
  readonly timings: { activated: number; progress?: number; partial?: number; complete?: number } = { activated: Date.now() };
  /** The extension host's CPU time at activation: the startup line gives what it used until the first complete result. */
  private readonly cpuAtActivation = process.cpuUsage();
  /** The CPU time of the processes it started (the render tools) at activation, on Linux. */
  private readonly childCpuAtActivation = childrenCpuMs();
  /** The score in the status bar, once the status bar feature created it (read by the tests' inspect()). */
  statusBarItem: vscode.StatusBarItem | undefined;

  private readonly auditEmitter = new vscode.EventEmitter<FolderAuditor>();
  /** Fires after a folder's result changed (scan, incremental audit, attestation, disable). */
  readonly onDidAudit = this.auditEmitter.event;
  private readonly viewEmitter = new vscode.EventEmitter<void>();
  /** Fires when the tree must be rebuilt for a reason other than an audit (view options, providers). */
  readonly onDidChangeView = this.viewEmitter.event;
  private readonly scanEmitter = new vscode.EventEmitter<boolean>();
  readonly onDidChangeScanning = this.scanEmitter.event;
  private readonly readEmitter = new vscode.EventEmitter<FolderAuditor>();
  /** Fires while a first scan reads files, between its results so far: the count of files read changed. */
  readonly onDidRead = this.readEmitter.event;

  private readonly profile = new StartupProfile();
  private builtinsPromise: Promise<Builtins> | undefined;
  private scanCts: vscode.CancellationTokenSource | undefined;
  private scanPromise: Promise<void> | undefined;
  private scanQueue: FolderAuditor[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = new Log();
    this.subscriptions.push(this.log, this.auditEmitter, this.viewEmitter, this.scanEmitter, this.readEmitter);
  }

  builtins(): Promise<Builtins> {
    this.builtinsPromise ??= loadBuiltins(this.extension.extensionUri);
    return this.builtinsPromise;
  }

  didAudit(auditor: FolderAuditor): void {
    const t = this.timings;
    if (auditor.partial) t.partial ??= Date.now();
    else if (t.complete === undefined && this.folders.every((a) => (a.result && !a.partial) || a.state === 'disabled')) {
      t.complete = Date.now();
      const since = (v: number | undefined): string => (v === undefined ? 'none' : `${v - t.activated} ms`);
      this.auditEmitter.fire(auditor);
      const spent = [...this.spent].map(([what, ms]) => `${what.toLowerCase()} ${Math.round(ms)} ms`).join(', ');
      const cpu = process.cpuUsage(this.cpuAtActivation);
      const children = childrenCpuMs();
      const tools = children === undefined || this.childCpuAtActivation === undefined ? '' : `, the tools it ran ${children - this.childCpuAtActivation} ms`;
      this.log.info(`Startup: activation → first progress ${since(t.progress)}, → first results so far ${since(t.partial)}, → first complete result ${since(t.complete)} (then shown in ${Date.now() - t.complete} ms; extension host CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms${tools}; handlers so far: ${spent})`);
      void this.profile.stop(`shipshape-startup-${this.folders.map((a) => a.name).join('+')}`).then((file) => file && this.log.info(`Startup profile written to ${file}`));
      return;
    }
    this.auditEmitter.fire(auditor);
  }

  didRead(auditor: FolderAuditor): void {
    this.readEmitter.fire(auditor);
  }

  /** Work a feature still does for the latest audit after its handler returned (a deferred publication). */
  private readonly trailing = new Set<Promise<void>>();

  /** Registers such work: {@link whenIdle} waits for it. */
  trail(work: Promise<void>): void {
    this.trailing.add(work);
    void work.finally(() => this.trailing.delete(work));
  }

  /** Set by the readiness view: resolves once it has fetched the rows of the results just shown. */
  rowsWaiter: (() => Promise<void>) | undefined;

  rowsTaken(): Promise<void> {
    return this.rowsWaiter?.() ?? Promise.resolve();
  }

  /** Registers a command behind the error guard. */
  command(id: string, handler: (...args: never[]) => unknown): void {
    this.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.log.guard(`Command ${id}`, () => (handler as (...a: unknown[]) => unknown)(...args))));
  }

  /** Milliseconds the extension host spent in each kind of event handler (its `what`), for the startup line. */
  readonly spent = new Map<string, number>();

  /** Subscribes to an event behind the error guard. */
  on<T>(event: vscode.Event<T>, what: string, handler: (e: T) => unknown): void {
    this.subscriptions.push(
      event((e) => {
        const t0 = performance.now();
        void this.log.guard(what, () => handler(e));
        this.spent.set(what, (this.spent.get(what) ?? 0) + performance.now() - t0);
      }),
    );
  }

  addTreeRoots(provider: TreeRootProvider): vscode.Disposable {
    this.treeRoots.push(provider);
    this.treeRoots.sort((a, b) => a.order - b.order);
    this.refreshView();
    return new vscode.Disposable(() => {
      const i = this.treeRoots.indexOf(provider);
      if (i >= 0) this.treeRoots.splice(i, 1);
      this.refreshView();
    });
  }

  refreshView(): void {
    this.viewEmitter.fire();
  }

  setView(patch: Partial<ViewState>): void {
    Object.assign(this.view, patch);
    void vscode.commands.executeCommand('setContext', 'shipshape.groupBy', this.view.groupBy);
    void vscode.commands.executeCommand('setContext', 'shipshape.failingOnly', this.view.failingOnly);
    this.refreshView();
  }

  get folders(): FolderAuditor[] {
    return [...this.auditors.values()];
  }

  /** The auditor of the workspace folder holding a resource (the innermost one for nested folders). */
  auditorFor(uri: vscode.Uri): FolderAuditor | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.auditors.get(folder.uri.toString()) : undefined;
  }

  /** Creates and drops auditors to match the workspace folders; returns the new ones. */
  syncFolders(): FolderAuditor[] {
    const current = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()));
    for (const [key, a] of this.auditors) {
      if (!current.has(key)) {
        a.dispose();
        this.auditors.delete(key);
        a.result = undefined;
        a.state = 'disabled';
        this.didAudit(a);
      }
    }
    const added: FolderAuditor[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const key = folder.uri.toString();
      if (this.auditors.has(key)) continue;
      const a = new FolderAuditor(folder, this);
      this.auditors.set(key, a);
      added.push(a);
    }
    return added;
  }

  get scanning(): boolean {
    return !!this.scanPromise;
  }

  /**
   * Scans folders in the background with progress in the readiness view; cancellable with the view's
   * stop button (shipshape.cancelScan). A new request cancels the running one.
   */
  scan(auditors: FolderAuditor[] = this.folders): Promise<void> {
    // Folders still waiting in a running scan are scanned by the new one too.
    const queue = [...new Set([...this.scanQueue, ...auditors])].filter((a) => this.auditors.get(a.folder.uri.toString()) === a);
    this.scanCts?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.scanCts = cts;
    this.scanQueue = queue;
    const run = vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: 'Scanning for production readiness' }, async (progress) => {
      while (queue.length && !cts.token.isCancellationRequested) {
        const a = queue[0];
        try {
          await a.scan(cts.token, (message, increment) => progress.report({ message, increment }));
        } catch (e) {
          if (e instanceof vscode.CancellationError) {
            if (this.scanCts === cts) this.log.info(`${a.name}: scan cancelled`);
            break;
          }
          this.log.error(`${a.name}: scan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        queue.shift();
      }
    });
    const p: Promise<void> = Promise.resolve(run).finally(() => {
      if (this.scanCts === cts) {
        this.scanCts = undefined;
        this.scanPromise = undefined;
        this.scanQueue = [];
        void vscode.commands.executeCommand('setContext', 'shipshape.scanning', false);
        this.scanEmitter.fire(false);
      }
      cts.dispose();
    });
    this.scanPromise = p;
    this.timings.progress ??= Date.now();
    void vscode.commands.executeCommand('setContext', 'shipshape.scanning', true);
    this.scanEmitter.fire(true);
    return p;
  }

  cancelScan(): void {
    this.scanQueue = [];
    this.scanCts?.cancel();
  }

  /**
   * Resolves when no scan, queued change, incremental audit or trailing work of a feature is outstanding in any
   * folder. Checks again after waiting, since an incremental audit may start a scan (excludes changed) and a scan may
   * leave changes queued.
   */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.scanPromise) {
        await this.scanPromise.catch(() => undefined);
        continue;
      }
      if (this.folders.every((a) => a.idle)) {
        if (!this.trailing.size) return;
        await Promise.all(this.trailing);
        continue;
      }
      await Promise.all(this.folders.map((a) => a.whenIdle()));
    }
  }

  dispose(): void {
    this.scanCts?.cancel();
    for (const a of this.auditors.values()) a.dispose();
    this.auditors.clear();
    for (const d of this.subscriptions.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        /* disposing never fails the deactivation */
      }
    }
  }
}
