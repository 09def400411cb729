import * as vscode from 'vscode';
import { Engine } from '../engine/audit';
import { classifyPath } from '../engine/discover';
import type { AuditResult, Problem } from '../engine/model';
import { readSettings, type Settings } from './config';
import { FolderRenderer } from './render';
import { DEFAULT_MAX_FILE_SIZE, IgnoreRules, openDocument, readText, refusedLink, relativePath, resolveRelative, toSource, walk } from './files';
import { BUILTIN_PREFIX, isSetupPath, loadSetup, type Builtins, type FolderSetup } from './setup';

/** How often, at most, the first scan of a folder publishes the results of the files read so far. */
const PARTIAL_EVERY_MS = 250;
/** How long a local scan reads before it lets other work of the extension host run. */
const YIELD_EVERY_MS = 15;

/** False only when the file system says the file is gone (an open editor may still show its text). */
async function existsOnDisk(uri: vscode.Uri): Promise<boolean> {
  if (!openDocument(uri)) return true; // readText reads the disk and reports a missing file itself
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (e) {
    return !(e instanceof vscode.FileSystemError && e.code === 'FileNotFound');
  }
}

/** What a folder auditor needs from the extension context. */
export interface AuditorHost {
  builtins(): Promise<Builtins>;
  /** Runs a full scan of these folders through the host (progress, cancellation, queueing). */
  scan(auditors: FolderAuditor[]): Promise<void>;
  log: { info(m: string): void; warn(m: string): void; debug(m: string): void };
  didAudit(auditor: FolderAuditor): void;
}

export type AuditorState = 'idle' | 'scanning' | 'ready' | 'disabled';

/**
 * One workspace folder's audit: its own Engine (which caches parsed files and per-file results), the
 * setup (config, checklists, attestations) and the latest result. Full scans are cancellable; after
 * that every change upserts just the changed file and re-audits.
 */
export class FolderAuditor implements vscode.Disposable {
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

  private rules = new IgnoreRules();
  private repoChecklists: string[] = [];
  private readonly fileProblems = new Map<string, Problem[]>();
  private walkProblems: Problem[] = [];
  private readonly pending = new Map<string, vscode.Uri>();
  private setupDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scanning: Promise<void> | undefined;
  private generation = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly renderer: FolderRenderer;
  private rendering: Promise<void> | undefined;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly host: AuditorHost,
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
    return !this.scanning && !this.timer && !this.flushing && !this.rendering && !this.renderer.busy && this.pending.size === 0 && !this.setupDirty;
  }

  /** Resolves once no scan, queued change or incremental audit is outstanding. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private settle(): void {
    if (!this.idle) return;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }

  /** Full scan: settings, setup, walk, read every file, audit. A newer scan supersedes an older one. */
  scan(token: vscode.CancellationToken, progress?: (message: string, increment?: number) => void): Promise<void> {
    const gen = ++this.generation;
    const run = async (): Promise<void> => {
      const started = Date.now();
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
      const phases: string[] = [];
      let lap = started;
      const phase = (name: string): void => {
        const now = Date.now();
        phases.push(`${name} ${now - lap} ms`);
        lap = now;
      };
      const builtins = await this.host.builtins();
      phase('built-in checklists');
      progress?.(`${this.name}: reading configuration`);
      // The config decides the excludes, so read it before the walk; repo checklists are added after it.
      let setup = await loadSetup(this.folder.uri, builtins, this.settings, [], this.setup?.fileConfig);
      if (token.isCancellationRequested || gen !== this.generation) throw new vscode.CancellationError();
      this.rules = new IgnoreRules(setup.config.exclude ?? []);
      phase('configuration');
      progress?.(`${this.name}: finding files`);
      const nested = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).filter((u) => u !== this.folder.uri.toString()));
      const walked = await walk(this.folder.uri, this.rules, { maxFiles: this.settings.maxFiles, token, skip: nested });
      this.repoChecklists = walked.files.filter((f) => f.path.toLowerCase().endsWith('.checklist.yaml') || f.path.toLowerCase().endsWith('.checklist.yml')).map((f) => f.path);
      if (this.repoChecklists.length) setup = await loadSetup(this.folder.uri, builtins, this.settings, this.repoChecklists, this.setup?.fileConfig);
      if (!setup.fileConfig && setup.configFile) setup.fileConfig = this.setup?.fileConfig;
      phase(`walk (${walked.files.length} files)`);
      const engine = new Engine(setup.checklists, setup.config, this.folder.uri.toString());
      this.fileProblems.clear();
      this.walkProblems = walked.problems;
      for (const p of walked.links) this.fileProblems.set(p.file, [p]);
      // charts and kustomizations are audited as rendered: the files they consume are not audited on their own
      this.renderer.planFrom(walked.files.map((f) => f.path));
      const files = walked.files.filter((f) => !isSetupPath(f.path) && !this.renderer.consumes(f.path));
      // Charts and kustomizations render out of process while the files are read (rendering takes the longest).
      const renderStarted = Date.now();
      let renderMs = 0;
      const rendered = this.renderer.render(engine, setup.config, this.settings).finally(() => (renderMs = Date.now() - renderStarted));
      rendered.catch(() => undefined); // (awaited below; a cancelled scan does not wait for it)
      const maxSize = setup.config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
      let done = 0;
      let next = 0;
      Object.assign(this.reading, { done: 0, total: files.length });
      const local = this.folder.uri.scheme === 'file';
      let published = Date.now();
      let yielded = Date.now();
      let partialMs = 0;
      let partials = 0;
      let lastPartial = 0;
      const prof = { read: 0, parse: 0, yielded: 0, yields: 0, maxGap: 0, lag: 0 };
      let tickAt = Date.now();
      const lagProbe = setInterval(() => {
        prof.lag = Math.max(prof.lag, Date.now() - tickAt - 20);
        tickAt = Date.now();
      }, 20);
      const worker = async (): Promise<void> => {
        while (next < files.length) {
          if (token.isCancellationRequested || gen !== this.generation) return;
          const f = files[next++];
          const problems: Problem[] = [];
          const r0 = performance.now();
          const text = await readText(f.uri, f.path, problems, maxSize);
          const r1 = performance.now();
          const src = text === undefined ? undefined : toSource(f.path, text, new Set(setup.config.markdown ?? []));
          if (src) engine.upsert(src);
          prof.read += r1 - r0;
          prof.parse += performance.now() - r1;
          if (problems.length) this.fileProblems.set(f.path, problems);
          done++;
          if (gen === this.generation) this.reading.done = done;
          if (done % 50 === 0) progress?.(`${this.name}: ${done}/${files.length} files`, (50 / Math.max(files.length, 1)) * 100);
          // Local reads do not wait: every few milliseconds, let the workbench's requests (the view's rows),
          // progress, cancellation and editor events through.
          if (local && Date.now() - yielded >= YIELD_EVERY_MS) {
            prof.maxGap = Math.max(prof.maxGap, Date.now() - yielded);
            const y0 = performance.now();
            await new Promise((resolve) => setImmediate(resolve));
            prof.yielded += performance.now() - y0;
            prof.yields++;
            yielded = Date.now();
          }
          // (an audit of the files so far costs more as they grow: reading keeps at least three quarters of the time)
          if (Date.now() - published >= Math.max(PARTIAL_EVERY_MS, 3 * lastPartial) && done < files.length && gen === this.generation) {
            const t0 = Date.now();
            this.publishPartial(engine, setup);
            published = Date.now();
            lastPartial = published - t0;
            partialMs += lastPartial;
            partials++;
          }
        }
      };
      // (local reads are synchronous: one reader; remote reads overlap)
      await Promise.all(Array.from({ length: local ? 1 : 8 }, worker)).finally(() => clearInterval(lagProbe));
      if (token.isCancellationRequested || gen !== this.generation) throw new vscode.CancellationError();
      phase(`reading and parsing: read ${Math.round(prof.read)} ms, parsed ${Math.round(prof.parse)} ms, ${partials} audits of the files so far ${partialMs} ms, other work ${Math.round(prof.yielded)} ms in ${prof.yields} pauses, longest stretch without a pause ${prof.maxGap} ms, longest timer delay ${prof.lag} ms`);
      // what the files say while charts and kustomizations are still rendering
      if (this.renderer.pending && !renderMs) {
        this.publishPartial(engine, setup);
        progress?.(`${this.name}: rendering Helm charts and kustomizations`);
      }
      await rendered;
      if (token.isCancellationRequested || gen !== this.generation) throw new vscode.CancellationError();
      phase(`rendering (${renderMs} ms, alongside the reading)`);
      this.engine = engine;
      this.setup = setup;
      this.partial = false;
      this.partialSetup = undefined;
      // Changes queued while the files were read stay queued: the scan may have read a file before its
      // latest edit, and the next incremental audit reads it again.
      this.runAudit();
      phase('audit');
      this.timings.scan = Date.now() - started;
      this.host.log.info(`${this.name}: scanned ${engine.paths.length} files in ${this.timings.scan} ms (${phases.join(', ')}); ${this.result?.findings.length ?? 0} findings, score ${this.result?.summary.score ?? '-'}`);
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

  /** A file was created, changed (on disk or in an editor) or deleted; `delay` debounces typing. */
  changed(uri: vscode.Uri, delay = 0, onDisk = true): void {
    if (this.state === 'disabled') return;
    const rel = this.relative(uri);
    if (!rel) return;
    if (FolderRenderer.isEntryFile(rel) && onDisk && !this.rules.ignores(rel)) {
      // a chart or kustomization changed: what renders, and what it consumes, may change
      this.host.log.debug(`${this.name}: ${rel} changed; rescanning`);
      void this.host.scan([this]);
      return;
    }
    if (this.renderer.consumes(rel)) {
      // rendered from disk, on save (never per keystroke), debounced; a newer rendering cancels this one
      if (onDisk) this.renderer.schedule(() => this.rerender());
      return;
    }
    // A nested workspace folder audits its own files.
    if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() !== this.folder.uri.toString() && !this.engine?.has(rel)) return;
    if (rel === '.gitignore' || rel.endsWith('/.gitignore')) {
      // Ignore rules changed: what is scanned may change anywhere, so scan again.
      this.host.log.debug(`${this.name}: ${rel} changed; rescanning`);
      void this.host.scan([this]);
      return;
    }
    const known = this.engine?.has(rel) ?? false;
    if (!known && !isSetupPath(rel) && (!classifyPath(rel) || this.rules.ignores(rel))) return;
    if (isSetupPath(rel)) {
      this.setupDirty = true;
      if (/\.checklist\.ya?ml$/i.test(rel) && !this.repoChecklists.includes(rel)) this.repoChecklists.push(rel);
    } else this.pending.set(rel, uri);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delay);
  }

  /**
   * Something appeared at a path (created, moved in or renamed to): when it is a folder, its files are
   * queued one by one, since a moved folder reports no event per file. Ignored folders are not entered.
   */
  async added(uri: vscode.Uri): Promise<void> {
    const rel = this.relative(uri);
    if (!rel || this.state === 'disabled' || this.rules.ignores(rel, true)) return;
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return this.changed(uri); // gone again: forget it
    }
    if (!(type & vscode.FileType.Directory)) return this.changed(uri);
    if (type & vscode.FileType.SymbolicLink) return;
    const { files } = await walk(uri, new IgnoreRules(), { maxFiles: this.settings.maxFiles });
    for (const f of files) this.changed(f.uri);
  }

  /** A folder was deleted: forget every file under it. */
  removedFolder(uri: vscode.Uri): void {
    const rel = this.relative(uri);
    if (!rel || !this.engine) return;
    if (this.renderer.heldUnder(rel)) {
      // a chart or kustomization went with it (a deleted folder reports no event per file): what renders changes
      this.host.log.debug(`${this.name}: ${rel} removed; rescanning`);
      void this.host.scan([this]);
      return;
    }
    for (const p of this.engine.paths) if (p.startsWith(`${rel}/`)) this.changed(resolveRelative(this.folder.uri, p));
  }

  private flushing: Promise<void> | undefined;

  private async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
      if (this.pending.size || this.setupDirty) return this.flush();
      return;
    }
    this.flushing = this.doFlush().finally(() => {
      this.flushing = undefined;
      this.settle();
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    if (this.scanning) await this.scanning.catch(() => undefined);
    const engine = this.engine;
    if (!engine) {
      this.pending.clear();
      this.setupDirty = false;
      return;
    }
    // Nothing read differs from what the engine holds (a document opened, a save of audited text): no audit.
    let dirty = false;
    if (this.setupDirty) {
      this.setupDirty = false;
      dirty = true;
      const setup = await loadSetup(this.folder.uri, await this.host.builtins(), this.settings, this.repoChecklists, this.setup?.fileConfig);
      if (!setup.fileConfig && setup.configFile) setup.fileConfig = this.setup?.fileConfig;
      this.setup = setup;
      if (JSON.stringify(setup.config.exclude ?? []) !== JSON.stringify(this.currentExcludes)) {
        // Excludes changed: the set of audited files changes, so scan again.
        this.pending.clear();
        void this.host.scan([this]);
        return;
      }
      engine.configure(setup.checklists, setup.config);
    }
    const batch = [...this.pending.entries()];
    this.pending.clear();
    const markdown = new Set(this.setup?.config.markdown ?? []);
    const maxSize = this.setup?.config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    for (const [rel, uri] of batch) {
      if (this.renderer.consumes(rel)) {
        // queued before a scan found the chart or kustomization that renders it: audited as rendered only
        if (engine.remove(rel)) dirty = true;
        this.renderer.schedule(() => this.rerender());
        continue;
      }
      const before = JSON.stringify(this.fileProblems.get(rel) ?? []);
      const problems: Problem[] = [];
      // Only files on disk belong to the repository: an editor still showing a deleted file is not audited.
      let text: string | undefined;
      let refused: string | undefined;
      if (this.rules.ignores(rel)) text = undefined;
      else if (!(await existsOnDisk(uri))) this.host.log.debug(`${this.name}: ${rel} is open but no longer on disk; not audited`);
      else if ((refused = refusedLink(this.folder.uri, uri))) problems.push({ file: rel, message: refused, severity: 'info' });
      else text = await readText(uri, rel, problems, maxSize);
      const src = text === undefined ? undefined : toSource(rel, text, markdown);
      if (src ? engine.upsert(src) : engine.remove(rel)) dirty = true;
      if (problems.length) this.fileProblems.set(rel, problems);
      else this.fileProblems.delete(rel);
      if (JSON.stringify(problems) !== before) dirty = true;
    }
    // A newer full scan replaced the engine while we were reading: it already has the current text.
    if (engine !== this.engine || !dirty) return;
    this.runAudit();
  }

  private currentExcludes: readonly string[] = [];
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
  private publishPartial(engine: Engine, setup: FolderSetup): void {
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

  /** Renders the charts and kustomizations again (one of their files was saved) and re-audits. */
  private rerender(): Promise<void> {
    const engine = this.engine;
    const setup = this.setup;
    if (!engine || !setup) return Promise.resolve();
    const p = this.renderer
      .render(engine, setup.config, this.settings)
      .then((done) => {
        if (done && engine === this.engine) this.runAudit();
      })
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    // A removed folder is idle for whoever waits on it, even with a superseded scan still winding down.
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
