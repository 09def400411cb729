import * as vscode from 'vscode';
import type { Engine } from '../engine/audit';
import type { AuditResult, Problem } from '../engine/model';
import { readSettings, type Settings } from './config';
import { IgnoreRules, openDocument, relativePath, resolveRelative } from './files';
import { ChangeQueue } from './changes';
import { Phases, readFolder, type ScanSubject } from './fullScan';
import { FolderRenderer } from './render';
import { BUILTIN_PREFIX, type Builtins, type FolderSetup } from './setup';

/** What a folder auditor needs from the extension context. */
export interface AuditorHost {
  builtins(): Promise<Builtins>;
  /** Runs a full scan of these folders through the host (progress, cancellation, queueing). */
  scan(auditors: FolderAuditor[]): Promise<void>;
  log: { info(m: string): void; warn(m: string): void; debug(m: string): void };
  didAudit(auditor: FolderAuditor): void;
  /** More files were read by a first scan whose results so far are shown (no new audit). */
  didRead(auditor: FolderAuditor): void;
  /** Resolves once the readiness view has fetched the rows of the results just shown (at once when it is hidden). */
  rowsTaken(): Promise<void>;
}

export type AuditorState = 'idle' | 'scanning' | 'ready' | 'disabled';

/**
 * One workspace folder's audit: its own Engine (which caches parsed files and per-file results), the
 * setup (config, checklists, attestations) and the latest result. Full scans are cancellable; after
 * that every change upserts just the changed file and re-audits.
 */
export class FolderAuditor implements vscode.Disposable, ScanSubject {
  engine: Engine | undefined;
  setup: FolderSetup | undefined;
  result: AuditResult | undefined;
  settings: Settings;
  state: AuditorState = 'idle';
  /** The result is of the files read so far in the first scan, not yet of the whole folder. */
  partial = false;
  /** Files read so far by the running full scan, of how many (0 of 0 before its walk ends). */
  readonly reading = { done: 0, total: 0 };
  /** Wall time of the last full scan and of the last incremental audit, in ms. */
  readonly timings = { scan: 0, audit: 0 };

  // (read and set by a full scan: fullScan.ts)
  rules = new IgnoreRules();
  repoChecklists: string[] = [];
  readonly fileProblems = new Map<string, Problem[]>();
  walkProblems: Problem[] = [];
  /** The running full scan, if any (changes are read after it). */
  scanning: Promise<void> | undefined;
  private generation = 0;
  private idleWaiters: (() => void)[] = [];
  readonly renderer: FolderRenderer;
  private rendering: Promise<void> | undefined;
  private readonly changes = new ChangeQueue(this);

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    readonly host: AuditorHost,
  ) {
    this.settings = this.readSettings();
    this.renderer = new FolderRenderer(folder);
  }

  private readSettings(): Settings {
    const { settings, warnings } = readSettings(this.folder);
    for (const w of warnings) this.host.log.warn(`${this.folder.name}: ${w}`);
    return settings;
  }

  get name(): string {
    return this.folder.name;
  }

  /** Resolves an engine file label to a uri: repo paths in this folder, built-in checklists in the extension. */
  readonly resolve = (file: string): vscode.Uri | undefined => {
    if (!file || file === '.') return undefined;
    const known = this.setup?.files.get(file);
    if (known) return known.uri;
    if (file.startsWith(BUILTIN_PREFIX)) return undefined;
    if (/^[a-z][a-z0-9+.-]+:/i.test(file) || file.startsWith('/')) return undefined;
    return resolveRelative(this.folder.uri, file);
  };

  relative(uri: vscode.Uri): string | undefined {
    return relativePath(this.folder.uri, uri);
  }

  /** True when no scan, queued change or incremental audit is outstanding. */
  get idle(): boolean {
    return !this.scanning && this.changes.idle && !this.rendering && !this.renderer.busy;
  }

  /** Resolves once no scan, queued change or incremental audit is outstanding. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Wakes whoever waits for the folder to be idle, when it is. */
  settle(): void {
    if (!this.idle) return;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }

  /** Full scan: settings, setup, walk, read every file (fullScan.ts), audit. A newer scan supersedes an older one. */
  scan(token: vscode.CancellationToken, progress?: (message: string, increment?: number) => void): Promise<void> {
    const gen = ++this.generation;
    const run = async (): Promise<void> => {
      const phases = new Phases();
      this.settings = this.readSettings();
      if (!this.settings.enable) {
        this.engine = undefined;
        this.setup = undefined;
        this.result = undefined;
        this.state = 'disabled';
        this.host.didAudit(this);
        return;
      }
      this.state = 'scanning';
      const { engine, setup } = await readFolder(this, { token, progress, current: () => !token.isCancellationRequested && gen === this.generation }, phases);
      this.engine = engine;
      this.setup = setup;
      this.partial = false;
      this.partialSetup = undefined;
      // Changes queued while the files were read stay queued: the scan may have read a file before its
      // latest edit, and the next incremental audit reads it again.
      this.runAudit();
      phases.end('audit');
      this.timings.scan = Date.now() - phases.started;
      this.host.log.info(`${this.name}: scanned ${engine.paths.length} files in ${this.timings.scan} ms (${phases}); ${this.result?.findings.length ?? 0} findings, score ${this.result?.summary.score ?? '-'}`);
    };
    const p = run()
      .catch((e) => {
        if (gen === this.generation) this.state = this.engine ? 'ready' : 'idle';
        throw e;
      })
      .finally(() => {
        if (gen === this.generation) {
          this.scanning = undefined;
          this.settle();
        }
      });
    this.scanning = p;
    return p;
  }

  /** A file was created, changed (on disk or in an editor) or deleted; `delay` debounces typing (changes.ts). */
  changed(uri: vscode.Uri, delay = 0, onDisk = true): void {
    this.changes.changed(uri, delay, onDisk);
  }

  /** Something appeared at a path: a file, or a folder whose files are queued one by one. */
  added(uri: vscode.Uri): Promise<void> {
    return this.changes.added(uri);
  }

  /** A folder was deleted: forget every file under it. */
  removedFolder(uri: vscode.Uri): void {
    this.changes.removedFolder(uri);
  }

  /** The excludes of the last audit's setup: when they change, a change of setup scans again. */
  currentExcludes: readonly string[] = [];
  /** The setup the first scan reads with, while its results are partial. */
  private partialSetup: FolderSetup | undefined;

  /** A checklist's title, from the setup in force (or the one the first scan reads with). */
  checklistTitle(id: string): string | undefined {
    return ((this.partial ? this.partialSetup : undefined) ?? this.setup)?.checklists.find((c) => c.id === id)?.title;
  }

  /**
   * The first scan of a folder shows results as the files are read: the audit of what was read so far
   * (marked `partial`; the view says it is still scanning). A later scan keeps the last complete result until it completes.
   */
  publishPartial(engine: Engine, setup: FolderSetup): void {
    if (this.result && !this.partial) return;
    this.partialSetup = setup;
    const problems = [...setup.problems, ...this.walkProblems, ...[...this.fileProblems.values()].flat()];
    const t0 = performance.now();
    this.result = engine.audit({ attestations: setup.attestations, problems });
    this.partial = true;
    const t1 = performance.now();
    this.host.didAudit(this);
    this.host.log.debug(`${this.name}: results of ${this.reading.done}/${this.reading.total} files: audit ${Math.round(t1 - t0)} ms, shown in ${Math.round(performance.now() - t1)} ms`);
  }

  /**
   * Renders the charts and kustomizations again (one of their files was saved) and re-audits. During a full scan
   * it waits for the scan: rendering now would cancel the scan's own rendering (the renderer is one per folder)
   * and render into the engine the scan replaces, and the scan's result would have nothing rendered at all.
   */
  rerender(): Promise<void> {
    const p = (async () => {
      while (this.scanning) await this.scanning.catch(() => undefined);
      const engine = this.engine;
      const setup = this.setup;
      if (!engine || !setup) return;
      if ((await this.renderer.render(engine, setup.config, this.settings)) && engine === this.engine) this.runAudit();
    })()
      .catch((e) => this.host.log.warn(`${this.name}: rendering failed: ${(e as Error).message}`))
      .finally(() => {
        if (this.rendering === p) this.rendering = undefined;
        this.settle();
      });
    this.rendering = p;
    return p;
  }

  private runAudit(): void {
    const engine = this.engine;
    const setup = this.setup;
    if (!engine || !setup) return;
    const started = Date.now();
    this.currentExcludes = setup.config.exclude ?? [];
    const problems = [...setup.problems, ...this.walkProblems, ...[...this.fileProblems.values()].flat(), ...this.renderer.problems];
    this.result = engine.audit({ attestations: setup.attestations, problems });
    this.timings.audit = Date.now() - started;
    this.state = 'ready';
    const t1 = performance.now();
    this.host.didAudit(this);
    this.host.log.debug(`${this.name}: audit in ${this.timings.audit} ms, shown in ${Math.round(performance.now() - t1)} ms (${engine.paths.length} files)`);
  }

  /** Re-audits with the current files (after an attestation or settings-only change). */
  reaudit(): void {
    this.runAudit();
  }

  /** True when an open document is the source of this file's text (so file watcher events can be ignored). */
  isOpen(uri: vscode.Uri): boolean {
    return !!openDocument(uri);
  }

  dispose(): void {
    this.generation++;
    this.renderer.dispose();
    this.changes.dispose();
    // A removed folder is idle for whoever waits on it, even with a superseded scan still winding down.
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
