import * as vscode from 'vscode';
import type { Ctx } from './context';
import { isSetupPath } from './setup';

/**
 * Keeps every folder's audit current: editor buffers as the user types (debounced) or on save, file
 * watchers for create, change, delete and rename on disk, settings and workspace-folder changes.
 */
export function watchFeature(ctx: Ctx): void {
  ctx.on(vscode.workspace.onDidChangeTextDocument, 'Auditing an edit', (e) => {
    if (!e.contentChanges.length) return;
    const a = ctx.auditorFor(e.document.uri);
    // onSave still follows a revert or an undo back to the saved text: the buffer equals the disk again.
    if (a?.settings.run === 'onType') a.changed(e.document.uri, a.settings.typingDelay, false);
    else if (a && !e.document.isDirty) a.changed(e.document.uri, 0, false);
  });
  ctx.on(vscode.workspace.onDidSaveTextDocument, 'Auditing a saved file', (doc) => ctx.auditorFor(doc.uri)?.changed(doc.uri));
  // A document opened with text the audit has not seen (a dirty buffer moved by a rename, a file opened
  // before its watcher event): audit its text. Unchanged text costs one comparison and no audit.
  // Setup files (checklists, config) are left out: reloading them re-runs every check, and a rename reports them.
  ctx.on(vscode.workspace.onDidOpenTextDocument, 'Auditing an opened file', (doc) => {
    const a = doc.isUntitled ? undefined : ctx.auditorFor(doc.uri);
    const rel = a?.relative(doc.uri);
    if (a && rel && !isSetupPath(rel)) a.changed(doc.uri, 0, false);
  });
  // A buffer closed (saved or not): the file on disk is the truth again.
  ctx.on(vscode.workspace.onDidCloseTextDocument, 'Auditing a closed file', (doc) => {
    if (!doc.isUntitled) ctx.auditorFor(doc.uri)?.changed(doc.uri, 0, false);
  });
  ctx.on(vscode.workspace.onDidRenameFiles, 'Auditing renamed files', (e) => {
    for (const { oldUri, newUri } of e.files) {
      ctx.auditorFor(oldUri)?.changed(oldUri);
      ctx.auditorFor(oldUri)?.removedFolder(oldUri);
      void ctx.log.guard('Auditing renamed files', () => ctx.auditorFor(newUri)?.added(newUri));
    }
  });

  const watchers = new Map<string, vscode.Disposable>();
  const watch = (): void => {
    const keys = new Set(ctx.folders.map((a) => a.folder.uri.toString()));
    for (const [k, w] of watchers) {
      if (!keys.has(k)) {
        w.dispose();
        watchers.delete(k);
      }
    }
    for (const a of ctx.folders) {
      const key = a.folder.uri.toString();
      if (watchers.has(key)) continue;
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(a.folder, '**/*'));
      const subs = [
        w,
        w.onDidCreate((uri) => void ctx.log.guard('Auditing a new file', () => a.added(uri))),
        // Open documents report their own changes (live text); the disk copy only matters once closed.
        w.onDidChange((uri) => void ctx.log.guard('Auditing a changed file', () => (a.isOpen(uri) ? undefined : a.changed(uri)))),
        w.onDidDelete((uri) =>
          void ctx.log.guard('Auditing a deleted file', () => {
            a.changed(uri);
            a.removedFolder(uri);
          }),
        ),
      ];
      watchers.set(key, vscode.Disposable.from(...subs));
    }
  };
  ctx.subscriptions.push(new vscode.Disposable(() => watchers.forEach((w) => w.dispose())));

  ctx.on(vscode.workspace.onDidChangeWorkspaceFolders, 'Updating workspace folders', () => {
    const added = ctx.syncFolders();
    watch();
    if (added.length) void ctx.scan(added);
  });
  ctx.on(vscode.workspace.onDidChangeConfiguration, 'Applying settings', (e) => {
    const affected = ctx.folders.filter((a) => e.affectsConfiguration('shipshape', a.folder));
    if (affected.length) {
      ctx.log.info(`Settings changed; re-auditing ${affected.map((a) => a.name).join(', ')}`);
      void ctx.scan(affected);
    }
  });
  // Trusting the workspace allows helm and kubectl to run: the charts and kustomizations can be audited now.
  ctx.on(vscode.workspace.onDidGrantWorkspaceTrust, 'Rendering charts after the workspace was trusted', () => {
    ctx.log.info('Workspace trusted; rendering Helm charts and kustomizations');
    void ctx.scan();
  });
  watch();
}
