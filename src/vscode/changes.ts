import * as vscode from 'vscode';
import { classifyPath } from '../engine/discover';
import type { Problem } from '../engine/model';
import { DEFAULT_MAX_FILE_SIZE, IgnoreRules, openDocument, readText, refusedLink, resolveRelative, toSource, walk } from './files';
import { FolderRenderer } from './render';
import type { FolderAuditor } from './scan';
import { isSetupPath, loadSetup } from './setup';

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

/**
 * A folder's changes after its full scan: file and folder events, edits in open editors, setup files. Each
 * change is queued (typing debounced), then the queue is read and the engine re-audits the changed files only;
 * what changes the set of audited files (ignore rules, excludes, charts and kustomizations) scans again.
 */
export class ChangeQueue {
  private readonly pending = new Map<string, vscode.Uri>();
  private setupDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly a: FolderAuditor) {}

  /** True when no change is queued or being read. */
  get idle(): boolean {
    return !this.timer && !this.flushing && this.pending.size === 0 && !this.setupDirty;
  }

  /** A file was created, changed (on disk or in an editor) or deleted; `delay` debounces typing. */
  changed(uri: vscode.Uri, delay = 0, onDisk = true): void {
    if (this.a.state === 'disabled') return;
    const rel = this.a.relative(uri);
    if (!rel) return;
    if (FolderRenderer.isEntryFile(rel) && onDisk && !this.a.rules.ignores(rel)) {
      // a chart or kustomization changed: what renders, and what it consumes, may change
      this.a.host.log.debug(`${this.a.name}: ${rel} changed; rescanning`);
      void this.a.host.scan([this.a]);
      return;
    }
    if (this.a.renderer.consumes(rel)) {
      // rendered from disk, on save (never per keystroke), debounced; a newer rendering cancels this one
      if (onDisk) this.a.renderer.schedule(() => this.a.rerender());
      return;
    }
    // A nested workspace folder audits its own files.
    if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() !== this.a.folder.uri.toString() && !this.a.engine?.has(rel)) return;
    if (rel === '.gitignore' || rel.endsWith('/.gitignore')) {
      // Ignore rules changed: what is scanned may change anywhere, so scan again.
      this.a.host.log.debug(`${this.a.name}: ${rel} changed; rescanning`);
      void this.a.host.scan([this.a]);
      return;
    }
    const known = this.a.engine?.has(rel) ?? false;
    if (!known && !isSetupPath(rel) && (!classifyPath(rel) || this.a.rules.ignores(rel))) return;
    if (isSetupPath(rel)) {
      this.setupDirty = true;
      if (/\.checklist\.ya?ml$/i.test(rel) && !this.a.repoChecklists.includes(rel)) this.a.repoChecklists.push(rel);
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
    const rel = this.a.relative(uri);
    if (!rel || this.a.state === 'disabled' || this.a.rules.ignores(rel, true)) return;
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return this.changed(uri); // gone again: forget it
    }
    if (!(type & vscode.FileType.Directory)) return this.changed(uri);
    if (type & vscode.FileType.SymbolicLink) return;
    const { files } = await walk(uri, new IgnoreRules(), { maxFiles: this.a.settings.maxFiles });
    for (const f of files) this.changed(f.uri);
  }

  /** A folder was deleted: forget every file under it. */
  removedFolder(uri: vscode.Uri): void {
    const rel = this.a.relative(uri);
    if (!rel || !this.a.engine) return;
    if (this.a.renderer.heldUnder(rel)) {
      // a chart or kustomization went with it (a deleted folder reports no event per file): what renders changes
      this.a.host.log.debug(`${this.a.name}: ${rel} removed; rescanning`);
      void this.a.host.scan([this.a]);
      return;
    }
    for (const p of this.a.engine.paths) if (p.startsWith(`${rel}/`)) this.changed(resolveRelative(this.a.folder.uri, p));
  }

  private async flush(): Promise<void> {
    if (this.flushing) {
      await this.flushing;
      if (this.pending.size || this.setupDirty) return this.flush();
      return;
    }
    this.flushing = this.doFlush().finally(() => {
      this.flushing = undefined;
      this.a.settle();
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    if (this.a.scanning) await this.a.scanning.catch(() => undefined);
    const engine = this.a.engine;
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
      const setup = await loadSetup(this.a.folder.uri, await this.a.host.builtins(), this.a.settings, this.a.repoChecklists, this.a.setup?.fileConfig);
      this.a.setup = setup;
      if (JSON.stringify(setup.config.exclude ?? []) !== JSON.stringify(this.a.currentExcludes)) {
        // Excludes changed: the set of audited files changes, so scan again.
        this.pending.clear();
        void this.a.host.scan([this.a]);
        return;
      }
      engine.configure(setup.checklists, setup.config);
    }
    const batch = [...this.pending.entries()];
    this.pending.clear();
    const markdown = new Set(this.a.setup?.config.markdown ?? []);
    const maxSize = this.a.setup?.config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    for (const [rel, uri] of batch) {
      if (this.a.renderer.consumes(rel)) {
        // queued before a scan found the chart or kustomization that renders it: audited as rendered only
        if (engine.remove(rel)) dirty = true;
        this.a.renderer.schedule(() => this.a.rerender());
        continue;
      }
      const before = JSON.stringify(this.a.fileProblems.get(rel) ?? []);
      const problems: Problem[] = [];
      // Only files on disk belong to the repository: an editor still showing a deleted file is not audited.
      let text: string | undefined;
      let refused: string | undefined;
      if (this.a.rules.ignores(rel)) text = undefined;
      else if (!(await existsOnDisk(uri))) this.a.host.log.debug(`${this.a.name}: ${rel} is open but no longer on disk; not audited`);
      else if ((refused = refusedLink(this.a.folder.uri, uri))) problems.push({ file: rel, message: refused, severity: 'info' });
      else text = await readText(uri, rel, problems, maxSize);
      const src = text === undefined ? undefined : toSource(rel, text, markdown);
      if (src ? engine.upsert(src) : engine.remove(rel)) dirty = true;
      if (problems.length) this.a.fileProblems.set(rel, problems);
      else this.a.fileProblems.delete(rel);
      if (JSON.stringify(problems) !== before) dirty = true;
    }
    // A newer full scan replaced the engine while we were reading: it already has the current text.
    if (engine !== this.a.engine || !dirty) return;
    this.a.reaudit();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
