import * as vscode from 'vscode';
import type { Engine } from '../engine/audit';
import { suppressionEdit, ignoreScopes, type IgnoreScope } from '../engine/fixes/ignore';
import { computeFix, fileKind, fixAll, type ReadFile, type Unwritable } from '../engine/fixes/run';
import type { FileEdit, Finding, TextEdit } from '../engine/model';
import { toRange } from './convert';
import { openDocument, readDiskText, readText, refusedLink, resolveRelative } from './files';
import { contentHash, countText, relocate, textEdits } from './fixPlan';
import type { FolderAuditor } from './scan';

/**
 * Computing fixes in the editor and applying them safely. Fixes are computed from the text the user
 * sees (open documents overlaid on the folder's engine, other files as on disk); every file a plan edits
 * records what its edits were computed against (an open document's version, else the content hash), and
 * a plan is applied only while that still holds. `workspace.applyEdit` adds VS Code's own version check.
 */

/** One file a plan edits. */
export interface PlannedFile {
  uri: vscode.Uri;
  rel: string;
  /** The open document's version the edits were computed for (undefined when the file was not open). */
  version: number | undefined;
  /** Content hash of the text the edits were computed for ('absent': the fix creates the file). */
  hash: string;
  create: boolean;
  edits: TextEdit[];
}

export interface FixPlan {
  folder: vscode.WorkspaceFolder;
  files: PlannedFile[];
  /** `changesBehaviour`: why the fix changes how the workload runs; the edit then goes through VS Code's preview. */
  applied: { ruleId: string; file: string; line: number; title: string; changesBehaviour?: string }[];
  declined: { ruleId: string; file: string; line: number; reason: string }[];
}

export interface ApplyResult {
  applied: boolean;
  /** Files that changed since the plan was computed (nothing was applied). */
  stale: string[];
  /** Files saved after the edit (they were not open in an editor). */
  saved: string[];
  message?: string;
}

/**
 * The texts fixes read: the engine's files with every open document of the folder overlaid (its live
 * text, saved or not), open documents the engine does not hold, and files read from disk on demand.
 */
export class TextSource {
  private readonly disk = new Map<string, string | undefined>();
  private readonly misses = new Set<string>();

  constructor(readonly auditor: FolderAuditor) {}

  /**
   * Runs `fn` (synchronous, so nothing else sees the overlay) with the engine holding the live text of
   * every open document; when `fn` asked for files that neither the engine nor an editor holds, reads
   * them from disk and runs it again.
   */
  async run<T>(fn: (engine: Engine, read: ReadFile) => T): Promise<T> {
    for (let round = 0; ; round++) {
      this.misses.clear();
      const value = this.runSync(fn);
      if (!this.misses.size || round >= 3) return value;
      for (const rel of [...this.misses]) {
        const uri = resolveRelative(this.auditor.folder.uri, rel);
        // a symbolic link to outside the folder is not read (as the scan), and a fix that would write it is declined
        this.disk.set(rel, refusedLink(this.auditor.folder.uri, uri) ? undefined : await readText(uri, rel, []));
      }
    }
  }

  private runSync<T>(fn: (engine: Engine, read: ReadFile) => T): T {
    const engine = this.auditor.engine;
    if (!engine) throw new Error(`${this.auditor.name} is not audited yet`);
    // lent, not upserted: undoing puts the engine's files back without parsing or checking them again
    const undo: (() => void)[] = [];
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isClosed) continue;
      const rel = this.auditor.relative(doc.uri);
      const parsed = rel ? engine.file(rel) : undefined;
      if (!rel || !parsed) continue;
      const text = doc.getText();
      if (parsed.text === text) continue;
      const back = engine.lend({ path: rel, text, kind: parsed.kind });
      if (back) undo.push(back);
    }
    const read: ReadFile = (rel) => {
      const parsed = engine.file(rel);
      if (parsed) return parsed.text;
      const doc = openDocument(resolveRelative(this.auditor.folder.uri, rel));
      if (doc) return doc.getText();
      if (this.disk.has(rel)) return this.disk.get(rel);
      this.misses.add(rel);
      return undefined;
    };
    try {
      return fn(engine, read);
    } finally {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
    }
  }
}

/** Why a fix may not write a file of the folder: a symbolic link to a path outside it (see `Unwritable`). */
export function unwritableIn(a: FolderAuditor): Unwritable {
  return (rel) => (refusedLink(a.folder.uri, resolveRelative(a.folder.uri, rel)) ? `${rel} is a symbolic link to a path outside the workspace` : undefined);
}

/** A plan from engine file edits (relative paths) against the texts `read` returns now. */
export function planOf(a: FolderAuditor, read: ReadFile, edits: readonly FileEdit[], applied: FixPlan['applied'] = [], declined: FixPlan['declined'] = []): FixPlan {
  const byFile = new Map<string, PlannedFile>();
  for (const fe of edits) {
    let pf = byFile.get(fe.file);
    if (!pf) {
      const uri = resolveRelative(a.folder.uri, fe.file);
      const before = read(fe.file);
      const create = fe.create === true && before === undefined;
      byFile.set(fe.file, (pf = { uri, rel: fe.file, version: openDocument(uri)?.version, hash: contentHash(before), create, edits: [] }));
    }
    pf.edits.push(...fe.edits);
  }
  return { folder: a.folder, files: [...byFile.values()], applied, declined };
}

/** The finding as it is in the current text (relocated after edits), or undefined when it is gone. */
export function currentFinding(engine: Engine, finding: Finding): Finding | undefined {
  const current = engine.audit().findings.filter((f) => f.file === finding.file && f.ruleId === finding.ruleId);
  return relocate(current, finding);
}

/** The fix of one finding, from the current texts; a message when it is gone or declined. */
export async function planFix(a: FolderAuditor, finding: Finding): Promise<FixPlan | { message: string }> {
  return new TextSource(a).run((engine, read) => {
    const cur = currentFinding(engine, finding);
    if (!cur) return { message: `The finding "${finding.message}" is no longer there; nothing to fix.` };
    const out = computeFix(engine, cur, read, unwritableIn(a));
    if ('declined' in out) return { message: `No automatic fix for "${cur.message}": ${out.declined}.` };
    return planOf(a, read, out.edits, [{ ruleId: cur.ruleId, file: cur.file, line: cur.range.start.line, title: out.title, changesBehaviour: out.changesBehaviour }]);
  });
}

export interface FixAllScope {
  rules?: ReadonlySet<string>;
  files?: ReadonlySet<string>;
  /** Only findings this accepts (the findings of one container, for a grouped quick fix). */
  where?: (f: Finding) => boolean;
  /** Keep only the edits to these files (a file's own fix-all leaves other files alone). */
  onlyFiles?: boolean;
}

/** Every fix of a folder (optionally of some rules or files) until none applies, from the current texts. */
export async function planFixAll(a: FolderAuditor, scope: FixAllScope = {}): Promise<FixPlan> {
  return new TextSource(a).run((engine, read) => {
    const result = fixAll(engine, { rules: scope.rules, files: scope.files, where: scope.where, readFile: read, unwritable: unwritableIn(a) });
    const edits: FileEdit[] = [];
    for (const [file, { before, after }] of result.files) {
      if (scope.onlyFiles && !scope.files?.has(file)) continue;
      edits.push({ file, create: before === undefined, edits: textEdits(before ?? '', after) });
    }
    const applied = scope.onlyFiles ? result.applied.filter((x) => scope.files?.has(x.file)) : result.applied;
    return planOf(a, read, edits, applied, result.declined);
  });
}

/** The suppression of one finding (comment above its line, or the object's annotation) with a reason. */
export async function planIgnore(a: FolderAuditor, finding: Finding, reason: string, scope?: IgnoreScope): Promise<FixPlan | { message: string }> {
  return new TextSource(a).run((engine, read) => {
    const cur = currentFinding(engine, finding);
    if (!cur) return { message: `The finding "${finding.message}" is no longer there; nothing to ignore.` };
    const text = read(cur.file);
    if (text === undefined) return { message: `${cur.file} cannot be read.` };
    const kind = fileKind(engine, cur.file, text);
    const out = suppressionEdit({ path: cur.file, text, kind }, cur, reason, scope ?? ignoreScopes(kind, cur.file)[0]);
    if ('declined' in out) return { message: `Cannot ignore ${cur.ruleId} here: ${out.declined}.` };
    return planOf(a, read, out.edits, [{ ruleId: cur.ruleId, file: cur.file, line: cur.range.start.line, title: out.title }]);
  });
}

/** Why a plan is not applied because files of it are symbolic links to a path outside the folder (never written through), or undefined. */
export function linkedOutside(plan: FixPlan): string | undefined {
  const linked = plan.files.filter((f) => refusedLink(plan.folder.uri, f.uri)).map((f) => f.rel);
  return linked.length ? `${linked.join(', ')} ${linked.length === 1 ? 'is a symbolic link' : 'are symbolic links'} to a path outside the workspace; nothing was applied.` : undefined;
}

/** Files of a plan whose text is no longer what its edits were computed for. */
export async function staleFiles(plan: FixPlan): Promise<string[]> {
  const stale: string[] = [];
  for (const f of plan.files) {
    const doc = openDocument(f.uri);
    if (doc) {
      if (f.version !== undefined ? doc.version !== f.version : contentHash(doc.getText()) !== f.hash) stale.push(f.rel);
      // A document without unsaved changes mirrors the disk, but reloads it only some time after the disk
      // changed: a change on disk not yet seen by the document counts as a change too (line endings aside,
      // which VS Code may normalise in the document).
      else if (!doc.isDirty && !doc.isUntitled) {
        const disk = await readDiskText(f.uri, f.rel, []);
        if (disk === undefined || lf(disk) !== lf(doc.getText())) stale.push(f.rel);
      }
      continue;
    }
    if (contentHash(await readDiskText(f.uri, f.rel, [])) !== f.hash) stale.push(f.rel);
  }
  return stale;
}

/** Files of a plan not open in an editor whose bytes are not UTF-8 (VS Code would open them with replacement characters). */
async function notUtf8(plan: FixPlan): Promise<string[]> {
  const out: string[] = [];
  for (const f of plan.files) {
    if (f.create || openDocument(f.uri)) continue;
    const bytes = await Promise.resolve(vscode.workspace.fs.readFile(f.uri)).catch(() => undefined);
    if (!bytes) continue;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      out.push(f.rel);
    }
  }
  return out;
}

function lf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** True when a tab of any editor group shows the file. */
export function inEditorTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => (t.input instanceof vscode.TabInputText || t.input instanceof vscode.TabInputTextDiff ? (t.input instanceof vscode.TabInputText ? t.input.uri : t.input.modified).toString() === key : false)));
}

/**
 * The plan as one WorkspaceEdit (one undo step across its files). When a fix of it changes how the workload
 * runs (a securityContext that may stop the image starting, more replicas), every edit asks for confirmation,
 * so VS Code shows the refactor preview first.
 */
export function toWorkspaceEdit(plan: FixPlan): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  const reasons = [...new Set(plan.applied.flatMap((a) => (a.changesBehaviour ? [`${a.ruleId}: ${a.changesBehaviour}`] : [])))];
  const meta: vscode.WorkspaceEditEntryMetadata | undefined = reasons.length ? { needsConfirmation: true, label: 'Changes how the workload runs', description: reasons.join('; ') } : undefined;
  for (const f of plan.files) {
    // A file the fix creates must still be absent: never insert into a file that appeared meanwhile.
    if (f.create) we.createFile(f.uri, { ignoreIfExists: false, overwrite: false }, meta);
    for (const e of f.edits) we.replace(f.uri, toRange(e.range), e.newText, meta);
  }
  return we;
}

/**
 * Applies a plan only while every file it edits is as it was when the plan was computed (open documents
 * by version, other files by content hash); otherwise applies nothing and names the changed files.
 * Files not open in an editor are edited through the WorkspaceEdit too (so undo works) and saved when
 * `save` says so; open documents are left for the user to save.
 */
export async function applyPlan(plan: FixPlan, save: boolean): Promise<ApplyResult> {
  if (!plan.files.length) return { applied: false, stale: [], saved: [] };
  const linked = linkedOutside(plan);
  if (linked) return { applied: false, stale: [], saved: [], message: linked };
  const stale = await staleFiles(plan);
  // The disk reads above awaited: check the open documents again right before the edit.
  for (const f of plan.files) {
    const doc = openDocument(f.uri);
    if (doc && f.version !== undefined && doc.version !== f.version && !stale.includes(f.rel)) stale.push(f.rel);
  }
  if (stale.length) return { applied: false, stale, saved: [], message: `${stale.join(', ')} changed since the fixes were computed; nothing was applied.` };
  const latin = await notUtf8(plan);
  if (latin.length) return { applied: false, stale: [], saved: [], message: `${latin.join(', ')} ${latin.length === 1 ? 'is' : 'are'} not UTF-8, and editing ${latin.length === 1 ? 'it' : 'them'} unopened would replace bytes; nothing was applied. Open ${latin.length === 1 ? 'it' : 'them'} with the right encoding (Reopen with Encoding), or run shipshape fix.` };
  // Saved afterwards: files in no editor tab and without unsaved changes of their own (a document VS Code
  // still holds after its editor closed counts as not open).
  const notOpen = plan.files.filter((f) => !inEditorTab(f.uri) && !openDocument(f.uri)?.isDirty);
  const ok = await vscode.workspace.applyEdit(toWorkspaceEdit(plan));
  if (!ok) return { applied: false, stale: [], saved: [], message: 'VS Code refused the edit (a file changed meanwhile); nothing was applied.' };
  const saved: string[] = [];
  if (save) {
    for (const f of notOpen) {
      const doc = openDocument(f.uri) ?? (await vscode.workspace.openTextDocument(f.uri));
      if (doc.isDirty && (await doc.save())) saved.push(f.rel);
    }
  }
  return { applied: true, stale: [], saved };
}

export function planSummary(plan: FixPlan): string {
  const n = plan.applied.length;
  return `${countText(n, 'fix', 'fixes')} in ${countText(plan.files.length, 'file')}`;
}
