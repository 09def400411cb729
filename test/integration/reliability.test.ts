import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Engine } from '../../src/engine/audit';
import { loadChecklist, loadConfig } from '../../src/engine/checklist/load';
import type { Checklist, Config } from '../../src/engine/checklist/schema';
import { unauditedSeverity, type Problem, type Range, type Severity } from '../../src/engine/model';
import { walk } from '../../src/node/walk';
import { toSource } from '../../src/vscode/paths';
import { seededRandom } from '../support/seededRandom';
import { api, EXTENSION_ID, flatten, folder, labelOf, readText, resultOf, shipshapeDiagnostics, waitForAudit, waitForDiagnostics, writeText } from './helpers';

/**
 * Editor reliability in a real VS Code, on two fixture folders added to the workspace for this suite:
 * `reliability` (a Deployment, a Dockerfile, built-in checklists plus the team's own) takes bursts of
 * edits and broken checklists; `secrets` (literal secret values in .env, a manifest, a Dockerfile and a
 * compose file) must never see a value reach any surface of the extension.
 */

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const codeOf = (d: vscode.Diagnostic): string => (typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''));

function severityOf(s: Severity | undefined): vscode.DiagnosticSeverity {
  return s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'info' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning;
}

function shownLine(code: string, r: Range, severity: vscode.DiagnosticSeverity, message: string): string {
  return JSON.stringify([code, r.start.line, r.start.character, r.end.line, r.end.character, severity, message]);
}

function relativeTo(f: vscode.WorkspaceFolder, u: vscode.Uri): string | undefined {
  const base = `${f.uri.path.replace(/\/$/, '')}/`;
  return u.scheme === f.uri.scheme && u.path.startsWith(base) ? u.path.slice(base.length) : undefined;
}

/** Per file of a folder: its Shipshape diagnostics as sorted lines (rule id, range, severity, message). */
type Snapshot = Record<string, string[]>;

function shown(f: vscode.WorkspaceFolder): Snapshot {
  const out: Snapshot = {};
  for (const [u, ds] of vscode.languages.getDiagnostics()) {
    const rel = relativeTo(f, u);
    const mine = ds.filter((d) => d.source === 'shipshape');
    if (!rel || !mine.length) continue;
    out[rel] = mine.map((d) => shownLine(codeOf(d), { start: d.range.start, end: d.range.end }, d.severity, d.message)).sort();
  }
  return out;
}

/** The text the editor sees: an open document's buffer, else the file on disk. */
function currentText(f: vscode.WorkspaceFolder, rel: string): string | undefined {
  const u = vscode.Uri.joinPath(f.uri, ...rel.split('/')).toString();
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u && !d.isClosed);
  if (doc) return doc.getText();
  try {
    return readFileSync(path.join(f.uri.fsPath, ...rel.split('/')), 'utf8');
  } catch {
    return undefined;
  }
}

let builtinCache: Checklist[] | undefined;
/** The extension's built-in checklists, read from its folder once. */
function builtinChecklists(): Checklist[] {
  if (builtinCache) return builtinCache;
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext);
  const dir = path.join(ext.extensionPath, 'checklists');
  builtinCache = readdirSync(dir)
    .filter((n) => n.endsWith('.checklist.yaml'))
    .sort()
    .flatMap((n) => loadChecklist(readFileSync(path.join(dir, n), 'utf8'), `builtin:checklists/${n}`).checklist ?? []);
  return builtinCache;
}

/**
 * What a fresh audit of the folder gives, built independently of the extension's own scan: the CLI's file
 * walk over the disk, each file's current text (open buffer or disk), the config and checklists loaded
 * straight through the engine, one new Engine. Findings and located problems per file, as `shown` gives them.
 */
async function freshAudit(f: vscode.WorkspaceFolder): Promise<Snapshot> {
  const problems: Problem[] = [];
  let config: Config = {};
  const configText = currentText(f, '.shipshape.yaml');
  if (configText !== undefined) {
    const r = loadConfig(configText, '.shipshape.yaml');
    problems.push(...r.problems);
    config = r.config ?? {};
  }
  const builtins = builtinChecklists();
  const { files } = await walk(f.uri.fsPath, { exclude: config.exclude });
  const repo = new Map<string, Checklist | undefined>();
  for (const c of files) {
    if (c.kind !== 'checklist') continue;
    const text = currentText(f, c.path);
    if (text === undefined) continue;
    const r = loadChecklist(text, c.path);
    problems.push(...r.problems);
    repo.set(c.path, r.checklist);
  }
  const checklists = config.checklists ? config.checklists.flatMap((ref) => builtins.find((b) => b.id === ref) ?? repo.get(ref.replace(/^\.\//, '')) ?? []) : builtins;
  const engine = new Engine(checklists, config, f.uri.toString());
  for (const c of files) {
    const text = currentText(f, c.path);
    const src = text === undefined ? undefined : toSource(c.path, text, new Set(config.markdown ?? []));
    if (src) engine.upsert(src);
  }
  const result = engine.audit({ problems });
  const out: Snapshot = {};
  const add = (file: string, line: string) => (out[file] ??= []).push(line);
  for (const x of result.findings) add(x.file, shownLine(x.ruleId, x.range, severityOf(x.severity), x.message));
  for (const p of result.problems) {
    // Problems without a file of the folder (built-in checklists, the folder itself) go to the log, not to diagnostics.
    if (!p.file || p.file === '.' || p.file.startsWith('/') || /^[a-z][a-z0-9+.-]+:/i.test(p.file)) continue;
    add(p.file, shownLine('', p.range ?? ZERO, severityOf(p.severity ?? 'error'), p.message));
  }
  // Inputs that could not be audited are shown as problems too, worded and graded as the extension does.
  const graded = unauditedSeverity(result.summary.unauditedPolicy) ?? 'info';
  for (const u of result.unaudited) {
    if (!u.file || u.file === '.' || u.file.startsWith('/')) continue;
    add(u.file, shownLine('', u.range, severityOf(graded), `Not audited: ${u.reason}${u.rules ? ` (${u.rules.join(', ')})` : ''}`));
  }
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

function differences(a: Snapshot, b: Snapshot): string {
  const lines: string[] = [];
  for (const file of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = new Set(a[file] ?? []);
    const y = new Set(b[file] ?? []);
    for (const l of x) if (!y.has(l)) lines.push(`  shown, not in a fresh audit: ${file} ${l}`);
    for (const l of y) if (!x.has(l)) lines.push(`  missing from the editor:      ${file} ${l}`);
  }
  return lines.join('\n');
}

/**
 * Waits (on diagnostics and audit events, never a fixed sleep) until the folder's diagnostics equal a fresh
 * audit; then, once the extension reports idle, checks that they still do (no late stale result).
 */
async function settlesToFresh(f: vscode.WorkspaceFolder, what: string, ms = 45000): Promise<Snapshot> {
  const a = await api();
  let last = '';
  await new Promise<void>((resolve, reject) => {
    let running = false;
    let again = false;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      if (error) reject(error);
      else resolve();
    };
    const check = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const now = shown(f);
          const fresh = await freshAudit(f);
          last = differences(now, fresh);
          if (!last) return finish();
        } while (again && !done);
      } catch (e) {
        finish(e as Error);
      } finally {
        running = false;
      }
    };
    const subs = [vscode.languages.onDidChangeDiagnostics(() => void check()), a.onDidAudit(() => void check())];
    const timer = setTimeout(() => finish(new Error(`${what}: the diagnostics never matched a fresh audit within ${ms} ms:\n${last}`)), ms);
    void check();
  });
  await a.whenIdle();
  const now = shown(f);
  const fresh = await freshAudit(f);
  assert.equal(differences(now, fresh), '', `${what}: once idle, the diagnostics still equal a fresh audit`);
  return fresh;
}

type Op = (editor: vscode.TextEditor, r: () => number) => Thenable<unknown>;

const lineIndex = (doc: vscode.TextDocument, re: RegExp): number => {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  return -1;
};
const deleteLines = (e: vscode.TextEditor, from: number, count: number) => e.edit((b) => b.delete(new vscode.Range(from, 0, Math.min(from + count, e.document.lineCount), 0)));
const insertLine = (e: vscode.TextEditor, at: number, text: string) => e.edit((b) => b.insert(new vscode.Position(at, 0), `${text}\n`));
const word = (w: string) => new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
/** Replaces the first whole-word `a` with `b`, or `b` back with `a`. */
function toggleWord(e: vscode.TextEditor, a: string, b: string): Thenable<boolean> {
  const text = e.document.getText();
  const [from, to] = word(b).test(text) ? [b, a] : [a, b];
  const m = word(from).exec(text);
  if (!m) return Promise.resolve(false);
  return e.edit((x) => x.replace(new vscode.Range(e.document.positionAt(m.index), e.document.positionAt(m.index + from.length)), to));
}

/** Edits of the Deployment: a probe in and out, YAML broken and repaired, env keys renamed, a comment typed key by key. */
const MANIFEST_OPS: Op[] = [
  (e) => {
    const probe = lineIndex(e.document, /^\s+livenessProbe:/);
    if (probe >= 0) return deleteLines(e, probe, 2);
    const image = lineIndex(e.document, /^\s+image:/);
    return image < 0 ? Promise.resolve(false) : insertLine(e, image + 1, '          livenessProbe:\n            httpGet: { path: /health, port: 8080 }');
  },
  (e, r) => {
    const broken = lineIndex(e.document, /# BROKEN$/);
    if (broken >= 0) return deleteLines(e, broken, 1);
    return insertLine(e, 1 + Math.floor(r() * (e.document.lineCount - 1)), '    oops: [unclosed, # BROKEN');
  },
  (e) => toggleWord(e, 'API_TOKEN_FILE', 'API_TOKEN'),
  (e) => toggleWord(e, 'LOG_LEVEL', 'DB_PASSWORD'),
  (e) => {
    const first = e.document.lineAt(0);
    const head = 'apiVersion: apps/v1';
    const full = ' # note';
    if (!first.text.startsWith(head)) return Promise.resolve(false);
    const typed = first.text.slice(head.length);
    if (typed.length && (typed === full || !full.startsWith(typed))) return e.edit((b) => b.delete(new vscode.Range(0, head.length, 0, first.text.length)));
    return e.edit((b) => b.insert(first.range.end, full[typed.length]));
  },
];

/** Edits of the Dockerfile: USER in and out, an ENV key made secret-looking, the base tag, a dangling continuation, typing. */
const DOCKERFILE_OPS: Op[] = [
  (e) => {
    const user = lineIndex(e.document, /^USER node$/);
    if (user >= 0) return deleteLines(e, user, 1);
    const cmd = lineIndex(e.document, /^CMD /);
    return insertLine(e, cmd >= 0 ? cmd : e.document.lineCount, 'USER node');
  },
  (e) => toggleWord(e, 'APP_SECRET_FILE', 'APP_SECRET'),
  (e) => toggleWord(e, '20.11-alpine', 'latest'),
  (e, r) => {
    const dangling = lineIndex(e.document, /^RUN \\$/);
    if (dangling >= 0) return deleteLines(e, dangling, 1);
    return insertLine(e, 1 + Math.floor(r() * (e.document.lineCount - 1)), 'RUN \\');
  },
  (e) => {
    const workdir = lineIndex(e.document, /^WORKDIR \/app/);
    if (workdir < 0) return Promise.resolve(false);
    const line = e.document.lineAt(workdir);
    if (line.text.length >= 'WORKDIR /app'.length + 3) return e.edit((b) => b.delete(new vscode.Range(workdir, 'WORKDIR /app'.length, workdir, line.text.length)));
    return e.edit((b) => b.insert(line.range.end, 'v'));
  },
];

interface BurstOptions {
  seed: number;
  edits?: number;
  /** Save a document now and then (writes the disk, fires save and watcher events). */
  saves?: boolean;
  /** Run shipshape.rescan (not awaited) before these edits: a full scan races the edits that follow. */
  rescanAt?: number[];
}

/**
 * 100 quick successive edits through the editor API, spread over the two documents: each edit is applied
 * (awaited, so the next one sees its text) but nothing waits for an audit in between. Undo is one of the moves.
 */
async function burst(docs: vscode.TextDocument[], o: BurstOptions): Promise<void> {
  const r = seededRandom(o.seed);
  const editors = await Promise.all(docs.map((d, i) => vscode.window.showTextDocument(d, { viewColumn: i + 1, preview: false, preserveFocus: i > 0 })));
  const ops = [MANIFEST_OPS, DOCKERFILE_OPS];
  for (let n = 0; n < (o.edits ?? 100); n++) {
    if (o.rescanAt?.includes(n)) void vscode.commands.executeCommand('shipshape.rescan');
    const which = Math.floor(r() * docs.length);
    const roll = r();
    if (roll < 0.12) {
      await vscode.window.showTextDocument(docs[which], { viewColumn: which + 1, preview: false });
      await vscode.commands.executeCommand('undo');
    } else if (o.saves && roll < 0.17) {
      await docs[which].save();
    } else {
      const list = ops[which];
      await list[Math.floor(r() * list.length)](editors[which], r);
    }
  }
}

/** Drops every unsaved edit and closes the editors (a dirty editor would ask on close). */
async function closeEverything(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isUntitled)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Resolves once `ok()` holds, re-checked on every document change or close; rejects with `failure` after `ms`. */
function documentsUntil(ok: () => boolean, failure: string, ms: number): Promise<void> {
  if (ok()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!ok()) return;
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      resolve();
    };
    const subs = [vscode.workspace.onDidCloseTextDocument(check), vscode.workspace.onDidChangeTextDocument(check)];
    const timer = setTimeout(() => {
      subs.forEach((s) => s.dispose());
      reject(new Error(failure));
    }, ms);
  });
}

/** Waits until an open document of a file (if any) shows the given text: the workbench reloads changed files. */
function bufferShows(u: vscode.Uri, text: string, ms = 30000): Promise<void> {
  const doc = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString() && !d.isClosed);
  return documentsUntil(() => doc() === undefined || doc()!.getText() === text, `the editor never showed the restored text of ${u.path} within ${ms} ms`, ms);
}

/** Waits until the extension host sees a document closed, or reverted to its saved text. */
function documentSettled(doc: vscode.TextDocument, ms = 30000): Promise<void> {
  return documentsUntil(() => doc.isClosed || !doc.isDirty, `${doc.uri.path} was neither closed nor reverted within ${ms} ms`, ms);
}

async function addFolder(name: string): Promise<vscode.WorkspaceFolder> {
  const existing = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  if (existing) return existing;
  const uri = vscode.Uri.joinPath(folder('shop').uri, '..', name);
  const changed = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      sub.dispose();
      resolve();
    });
  });
  assert.ok(vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri, name }), `folder ${name} can be added`);
  await changed;
  await waitForAudit((a) => resultOf(a, name) !== undefined, `the first audit of ${name}`, 60000);
  return folder(name);
}

async function removeFolder(name: string): Promise<void> {
  const i = vscode.workspace.workspaceFolders?.findIndex((w) => w.name === name) ?? -1;
  if (i < 0) return;
  const changed = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      sub.dispose();
      resolve();
    });
  });
  vscode.workspace.updateWorkspaceFolders(i, 1);
  await changed;
}

export function reliabilityTests(): void {
  suite('Editor reliability: bursts of edits and broken checklists', function () {
    this.timeout(180000);
    let f: vscode.WorkspaceFolder;
    const files = ['k8s/deployment.yaml', 'Dockerfile', 'team.checklist.yaml', '.shipshape.yaml'];
    const original = new Map<string, string>();
    const at = (rel: string) => vscode.Uri.joinPath(f.uri, ...rel.split('/'));
    const open = async () => [await vscode.workspace.openTextDocument(at('k8s/deployment.yaml')), await vscode.workspace.openTextDocument(at('Dockerfile'))];

    /** Puts the fixture back on disk and in the editors, and waits until the diagnostics match it. */
    const restore = async () => {
      await closeEverything();
      for (const extra of ['k8s/renamed.yaml', 'manifests']) await vscode.workspace.fs.delete(at(extra), { recursive: true }).then(undefined, () => undefined);
      for (const [rel, text] of original) {
        if ((await readText(at(rel))) !== text) await writeText(at(rel), text);
        // A document still held by the workbench reloads the disk text a moment later: wait for it.
        await bufferShows(at(rel), text);
      }
      await settlesToFresh(f, 'the restored fixture');
    };

    suiteSetup(async () => {
      await (await api()).whenIdle();
      // The web workbench saves after a delay by default; these tests decide when a buffer is saved.
      await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
      f = await addFolder('reliability');
      for (const rel of files) original.set(rel, (await readText(at(rel)))!);
      const fresh = await settlesToFresh(f, 'the first scan');
      assert.ok((fresh['k8s/deployment.yaml'] ?? []).length >= 10 && (fresh.Dockerfile ?? []).length >= 2, 'the fixture has findings in both files to keep right');
    });

    teardown(restore);

    suiteTeardown(async () => {
      await closeEverything();
      await removeFolder('reliability');
      await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
    });

    test('100 quick edits in a manifest and a Dockerfile (typing delay 300 ms) end with the diagnostics of a fresh audit', async () => {
      const docs = await open();
      await burst(docs, { seed: 1 });
      assert.ok(docs.every((d) => d.isDirty), 'the burst left both buffers unsaved');
      assert.notEqual(docs[0].getText(), original.get('k8s/deployment.yaml'), 'the burst changed the manifest');
      await settlesToFresh(f, 'after the burst');
    });

    test('100 edits each audited at once (typing delay 0), with saves and full rescans racing them, end with a fresh audit', async () => {
      const config = vscode.workspace.getConfiguration('shipshape', f);
      await config.update('typingDelay', 0, vscode.ConfigurationTarget.WorkspaceFolder);
      try {
        await (await api()).whenIdle();
        const docs = await open();
        await burst(docs, { seed: 2, saves: true, rescanAt: [25, 50, 75, 90, 97, 99] });
        await settlesToFresh(f, 'after the burst with saves and a rescan');
      } finally {
        await config.update('typingDelay', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
    });

    test('a burst that ends with the manifest closed unsaved leaves the diagnostics of the file on disk', async () => {
      const docs = await open();
      await burst(docs, { seed: 3 });
      assert.ok(docs[0].isDirty);
      await vscode.window.showTextDocument(docs[0], { viewColumn: 1 });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await documentSettled(docs[0]);
      assert.equal(currentText(f, 'k8s/deployment.yaml'), original.get('k8s/deployment.yaml'), `the manifest is back to its saved text (closed ${docs[0].isClosed}, dirty ${docs[0].isDirty}, disk: ${readFileSync(at('k8s/deployment.yaml').fsPath, 'utf8').split('\n')[0]})`);
      const fresh = await settlesToFresh(f, 'after closing the manifest unsaved');
      assert.ok(fresh['k8s/deployment.yaml']?.length, 'the manifest on disk has findings');
    });

    test('a burst that ends with the manifest deleted on disk leaves no diagnostics on it', async () => {
      const docs = await open();
      await burst(docs, { seed: 4 });
      await vscode.workspace.fs.delete(at('k8s/deployment.yaml'));
      await waitForDiagnostics(at('k8s/deployment.yaml'), (ds) => ds.length === 0, 'the deleted manifest to lose its diagnostics', 45000);
      const fresh = await settlesToFresh(f, 'after deleting the manifest');
      assert.equal(fresh['k8s/deployment.yaml'], undefined);
      // Editing the orphaned buffer does not bring the deleted file back.
      await burst([docs[0]], { seed: 5, edits: 10 });
      await settlesToFresh(f, 'after editing the deleted manifest');
      assert.equal(shown(f)['k8s/deployment.yaml'], undefined, `no diagnostics for a file that is not on disk (on disk: ${existsSync(at('k8s/deployment.yaml').fsPath)}); log:\n${(await api()).inspect().log.slice(-30).join('\n')}`);
      await writeText(at('k8s/deployment.yaml'), original.get('k8s/deployment.yaml')!);
    });

    test('a burst that ends with the manifest renamed moves its diagnostics to the new name', async () => {
      const docs = await open();
      await burst(docs, { seed: 6 });
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(at('k8s/deployment.yaml'), at('k8s/renamed.yaml'));
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostics(at('k8s/deployment.yaml'), (ds) => ds.length === 0, 'the old name to lose its diagnostics', 45000);
      const fresh = await settlesToFresh(f, 'after renaming the manifest');
      assert.equal(fresh['k8s/deployment.yaml'], undefined);
      assert.ok(fresh['k8s/renamed.yaml']?.length, 'the renamed manifest has findings');
    });

    test('renaming the folder that holds the manifest moves its diagnostics (a moved folder reports no event per file)', async () => {
      const before = await settlesToFresh(f, 'before the folder rename');
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(at('k8s'), at('manifests'));
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitForDiagnostics(at('manifests/deployment.yaml'), (ds) => ds.length > 0, 'diagnostics under the new folder name', 45000);
      const fresh = await settlesToFresh(f, 'after renaming the folder');
      assert.equal(fresh['k8s/deployment.yaml'], undefined);
      assert.deepEqual(fresh['manifests/deployment.yaml']?.map((l) => JSON.parse(l)[0] as string), before['k8s/deployment.yaml']?.map((l) => JSON.parse(l)[0] as string), 'the same rules fire under the new name');
      const back = new vscode.WorkspaceEdit();
      back.renameFile(at('manifests'), at('k8s'));
      assert.ok(await vscode.workspace.applyEdit(back));
      await settlesToFresh(f, 'after renaming the folder back');
    });

    const builtinIds = (rel: string) => [...new Set((shown(f)[rel] ?? []).map((l) => JSON.parse(l)[0] as string).filter((id) => id && !id.startsWith('team.')))].sort();

    test('a team checklist with bad YAML gets a located error; the built-in checklists keep their findings', async () => {
      const before = { manifest: builtinIds('k8s/deployment.yaml'), docker: builtinIds('Dockerfile') };
      assert.ok(before.manifest.length > 5 && before.docker.length > 0);
      assert.ok((shown(f)['k8s/deployment.yaml'] ?? []).some((l) => l.includes('"team.replicas"')), 'the team item reports before it breaks');
      const text = original.get('team.checklist.yaml')!;
      const bad = text.replace('with: { min: 3 }', 'with: { min: 3');
      assert.notEqual(bad, text);
      const badLine = bad.split('\n').findIndex((l) => l.includes('with: { min: 3'));
      await writeText(at('team.checklist.yaml'), bad);
      const [d] = await waitForDiagnostics(at('team.checklist.yaml'), (ds) => ds.length > 0, 'the YAML error on the checklist', 45000);
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.ok(d.range.start.line >= badLine && d.range.start.line <= badLine + 1, `located at the broken line (${badLine + 1}), got line ${d.range.start.line + 1}: ${d.message}`);
      await settlesToFresh(f, 'with a broken team checklist');
      assert.deepEqual({ manifest: builtinIds('k8s/deployment.yaml'), docker: builtinIds('Dockerfile') }, before, 'the built-in findings stay');
      assert.ok(!(shown(f)['k8s/deployment.yaml'] ?? []).some((l) => l.includes('"team.replicas"')), 'the broken checklist adds no items');
      // The same after a full scan that starts with the broken file.
      await vscode.commands.executeCommand('shipshape.rescan');
      await settlesToFresh(f, 'a full scan with a broken team checklist');
      assert.deepEqual({ manifest: builtinIds('k8s/deployment.yaml'), docker: builtinIds('Dockerfile') }, before);
      assert.ok((shown(f)['team.checklist.yaml'] ?? []).length > 0);
    });

    test('a team checklist that is valid YAML but breaks the schema gets errors on the offending values; built-ins keep auditing', async () => {
      const before = builtinIds('k8s/deployment.yaml');
      const text = original.get('team.checklist.yaml')!;
      const bad = text.replace('severity: warning', 'severity: loud').replace('title: Team rules', 'title: Team rules\ncolour: blue');
      const lines = bad.split('\n');
      const severityLine = lines.findIndex((l) => l.includes('severity: loud'));
      const colourLine = lines.findIndex((l) => l.startsWith('colour:'));
      await writeText(at('team.checklist.yaml'), bad);
      // (the write may be seen in two steps, an empty file first: wait for the errors of the text written)
      const ds = await waitForDiagnostics(at('team.checklist.yaml'), (x) => x.some((d) => d.range.start.line === severityLine), 'the schema errors on the checklist', 45000);
      assert.ok(
        ds.some((d) => d.range.start.line === severityLine),
        `an error on the severity line ${severityLine + 1}; got ${ds.map((d) => `${d.range.start.line + 1}: ${d.message}`).join(' | ')}`,
      );
      assert.ok(ds.some((d) => d.range.start.line === colourLine && /colour/.test(d.message)), 'an error on the unknown key');
      await settlesToFresh(f, 'with a schema-invalid team checklist');
      assert.deepEqual(builtinIds('k8s/deployment.yaml'), before, 'the built-in findings stay');
      await writeText(at('team.checklist.yaml'), text);
      await waitForDiagnostics(at('team.checklist.yaml'), (x) => x.length === 0, 'the checklist errors to clear', 45000);
      await waitForDiagnostics(at('k8s/deployment.yaml'), (x) => x.some((d) => codeOf(d) === 'team.replicas'), 'the team item to report again', 45000);
    });
  });

  suite('Secrets never reach the editor', function () {
    this.timeout(120000);
    let f: vscode.WorkspaceFolder;
    /** Every literal secret value of the fixture: they all carry the marker S3cret, so partial leaks show too. */
    const secrets: string[] = [];
    const MARKER = /s3cret/i;
    const leaks = (where: string, text: string | undefined) => {
      if (!text) return;
      const hit = secrets.find((s) => text.includes(s)) ?? (MARKER.test(text) ? 'S3cret' : undefined);
      assert.equal(hit, undefined, `${where} shows a secret value: ${text}`);
    };
    const textOf = (x: string | vscode.MarkdownString | vscode.TreeItemLabel | { value: string } | undefined): string | undefined =>
      x === undefined ? undefined : typeof x === 'string' ? x : 'label' in x ? x.label : x.value;
    /** A temporary folder outside the workspace for link targets, with `value` a secret that nothing may show. */
    const outsideWith = (value: string): string => {
      secrets.push(value);
      return mkdtempSync(path.join(tmpdir(), 'shipshape-outside-'));
    };
    // package.json is broken on purpose: the JSON parser's own message quotes the text around the error.
    const secretFiles = ['.env', '.env.example', 'Dockerfile', 'k8s/deployment.yaml', 'docker-compose.yml', 'package.json'];

    suiteSetup(async () => {
      await (await api()).whenIdle();
      f = await addFolder('secrets');
      for (const rel of secretFiles) secrets.push(...(currentText(f, rel)!.match(/[A-Za-z0-9_.-]*S3cret[A-Za-z0-9_.-]*/g) ?? []));
      assert.ok(secrets.length >= 15, `the fixture holds literal secrets to look for (${secrets.length})`);
      await (await api()).whenIdle();
    });

    suiteTeardown(async () => {
      await closeEverything();
      await removeFolder('secrets');
    });

    test('findings point at the secret-bearing lines, and no diagnostic, hover or code action shows a value', async () => {
      const ds = shown(f);
      for (const rel of secretFiles) assert.ok(ds[rel]?.length, `${rel} is audited and has findings`);
      const docker = vscode.languages.getDiagnostics(vscode.Uri.joinPath(f.uri, 'Dockerfile')).filter((d) => codeOf(d) === 'docker.secrets.env-arg');
      assert.deepEqual(docker.map((d) => d.range.start.line).sort(), [1, 2, 3], 'ARG NPM_TOKEN, ENV DB_PASSWORD and the DSN with a password are flagged');
      const k8s = vscode.languages.getDiagnostics(vscode.Uri.joinPath(f.uri, 'k8s', 'deployment.yaml')).filter((d) => codeOf(d) === 'k8s.secrets.secret-ref');
      assert.ok(k8s.length >= 3, 'literal secrets in the manifest are flagged');
      let hovered = 0;
      let actions = 0;
      for (const rel of secretFiles) {
        const u = vscode.Uri.joinPath(f.uri, ...rel.split('/'));
        const doc = await vscode.workspace.openTextDocument(u);
        const diagnostics = vscode.languages.getDiagnostics(u).filter((d) => d.source === 'shipshape');
        for (const d of diagnostics) {
          leaks(`diagnostic ${codeOf(d)} on ${rel}`, d.message);
          for (const r of d.relatedInformation ?? []) {
            leaks(`related information of ${codeOf(d)} on ${rel}`, r.message);
            // related information points at the user's files, never into the extension's built-in checklists
            assert.ok(r.location.uri.toString().startsWith(`${f.uri.toString()}/`), `related information of ${codeOf(d)} on ${rel} points at ${r.location.uri.toString()}`);
          }
          const list = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', u, d.range)) ?? [];
          for (const a of list) leaks(`code action on ${rel}`, a.title);
          actions += list.length;
        }
        // Hover over every diagnostic and over every secret value itself.
        const positions = diagnostics.map((d) => d.range.start);
        for (const s of secrets) for (let i = doc.getText().indexOf(s); i >= 0; i = doc.getText().indexOf(s, i + 1)) positions.push(doc.positionAt(i + 1));
        for (const p of positions) {
          const hs = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', u, p)) ?? [];
          for (const h of hs) for (const c of h.contents) leaks(`hover on ${rel}:${p.line + 1}`, typeof c === 'string' ? c : c.value);
          hovered++;
        }
      }
      assert.ok(actions > 0, 'code actions were offered and checked');
      assert.ok(hovered >= secrets.length, `hovers asked at every diagnostic and every secret value (${hovered})`);
    });

    test('no tree label, description or tooltip, status bar text or log line shows a value, also after edits', async () => {
      const a = await api();
      // Edit the .env buffer (a secret value typed longer) so incremental audits and their log lines run too.
      const env = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(f.uri, '.env'));
      const editor = await vscode.window.showTextDocument(env);
      const line = env.lineAt(env.getText().split('\n').findIndex((l) => l.startsWith('JWT_SECRET=')));
      for (const ch of 'S3cretMore') await editor.edit((b) => b.insert(line.range.end, ch));
      secrets.push(env.lineAt(line.lineNumber).text.slice('JWT_SECRET='.length));
      await waitForDiagnostics(env.uri, (ds) => ds.some((d) => /JWT_SECRET is shorter than 32 characters \(31\)/.test(d.message)), 'the edited secret to be audited from the buffer');
      await a.whenIdle();
      for (const groupBy of ['shipshape.groupByChecklist', 'shipshape.groupByFile']) {
        await vscode.commands.executeCommand(groupBy);
        const root = a.tree.roots().find((n) => labelOf(n) === 'secrets');
        assert.ok(root, 'the tree has the secrets folder');
        const nodes = flatten(a, [root]);
        assert.ok(nodes.length > 20, `the tree lists the folder's items and findings (${nodes.length})`);
        for (const n of nodes) {
          leaks(`tree label (${groupBy})`, textOf(n.label));
          leaks(`tree description (${groupBy})`, n.description);
          leaks(`tree tooltip (${groupBy})`, textOf(n.tooltip));
        }
      }
      await vscode.commands.executeCommand('shipshape.groupByChecklist');
      const { log, statusBar } = a.inspect();
      assert.ok(statusBar?.text, 'the status bar shows a score');
      leaks('status bar text', statusBar.text);
      leaks('status bar tooltip', statusBar.tooltip);
      assert.ok(log.some((l) => /secrets: scanned \d+ files/.test(l)), 'the log has the scan of the secrets folder');
      assert.ok(log.some((l) => /^\[debug\] secrets: audit in/.test(l)), 'the log has the incremental audits (debug lines included)');
      for (const l of log) leaks('log line', l);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });

    test('a symbolic link to a file outside the folder is not read: an info problem at the link, when it appears and on a rescan', async () => {
      const a = await api();
      const value = 'Outside-S3cret-4d1e';
      const outside = outsideWith(value);
      writeFileSync(path.join(outside, '.env'), `DB_PASSWORD=${value}\nLOG_LEVEL=debug\n`);
      const link = path.join(f.uri.fsPath, '.env.linked');
      const refused = (r = resultOf(a, 'secrets')) => r?.problems.filter((p) => p.file === '.env.linked' && /symbolic link to a path outside the workspace; it is not read/.test(p.message)) ?? [];
      const notRead = () => {
        const r = resultOf(a, 'secrets')!;
        assert.equal(refused(r)[0]?.severity, 'info');
        assert.ok(!r.findings.some((x) => x.file === '.env.linked'), 'the linked file was audited');
        // the link shows the problem, and nothing else
        const ds = shipshapeDiagnostics(vscode.Uri.file(link));
        assert.deepEqual(ds.map((d) => [d.severity, /symbolic link to a path outside the workspace/.test(d.message)]), [[vscode.DiagnosticSeverity.Information, true]], 'diagnostics on the link');
        leaks('problems', JSON.stringify(r.problems));
        for (const x of r.findings) leaks(`finding on ${x.file}`, x.message);
      };
      try {
        symlinkSync(path.join(outside, '.env'), link);
        // the watcher sees the new file
        await waitForAudit(() => refused().length === 1, 'the new link to be refused', 45000);
        notRead();
        // a full scan walks past it too
        await vscode.commands.executeCommand('shipshape.rescan');
        await a.whenIdle();
        await waitForAudit(() => refused().length === 1, 'the link to be refused after a rescan', 45000);
        notRead();
        for (const l of a.inspect().log) leaks('log line', l);
      } finally {
        rmSync(link, { force: true });
        rmSync(outside, { recursive: true, force: true });
      }
      await waitForAudit(() => refused().length === 0, 'the problem to go with the link', 45000);
    });

    test('a config or attestations file linked outside the folder is neither read nor written', async () => {
      const a = await api();
      const value = 'Config-S3cret-9b2c';
      const outside = outsideWith(value);
      const outsideConfig = path.join(outside, 'config.yaml');
      const outsideAttestations = path.join(outside, 'attestations.yaml');
      writeFileSync(outsideConfig, `checklists: [dockerfile]\n# ${value}\n`);
      writeFileSync(outsideAttestations, `# ${value}\n`);
      const configLink = path.join(f.uri.fsPath, '.shipshape.yaml');
      const attLink = path.join(f.uri.fsPath, '.shipshape', 'attestations.yaml');
      const refusedAt = (file: string) => resultOf(a, 'secrets')?.problems.filter((p) => p.file === file && /symbolic link to a path outside the workspace; it is not read/.test(p.message)) ?? [];
      try {
        symlinkSync(outsideConfig, configLink);
        await waitForAudit(() => refusedAt('.shipshape.yaml').length === 1, 'the linked config to be refused', 45000);
        const r = resultOf(a, 'secrets')!;
        assert.equal(refusedAt('.shipshape.yaml')[0].severity, 'error');
        assert.ok(r.items.some((i) => i.checklist === 'kubernetes'), 'the config from outside (only the Dockerfile checklist) was applied');
        leaks('problems', JSON.stringify(r.problems));
        // ticking a manual item does not write through a link to outside
        mkdirSync(path.dirname(attLink), { recursive: true });
        symlinkSync(outsideAttestations, attLink);
        const manual = r.items.find((i) => i.status === 'manual');
        assert.ok(manual, 'the folder has a manual item');
        await vscode.commands.executeCommand('shipshape.signOff', manual.id, true).then(
          () => undefined,
          () => undefined,
        );
        await a.whenIdle();
        assert.equal(readFileSync(outsideAttestations, 'utf8'), `# ${value}\n`, 'the file outside was written');
        assert.equal(resultOf(a, 'secrets')!.items.find((i) => i.id === manual.id)?.attestation, undefined, 'the item was signed off');
      } finally {
        rmSync(configLink, { force: true });
        rmSync(path.join(f.uri.fsPath, '.shipshape'), { recursive: true, force: true });
        rmSync(outside, { recursive: true, force: true });
      }
      await waitForAudit(() => refusedAt('.shipshape.yaml').length === 0, 'the problem to go with the config link', 45000);
    });

    test('a fix is neither computed from nor written through a file linked outside the folder', async () => {
      const a = await api();
      const value = 'Ignore-S3cret-5e0a';
      const outside = outsideWith(value);
      const target = path.join(outside, 'dockerignore');
      writeFileSync(target, `node_modules\n# ${value}\n`);
      const link = path.join(f.uri.fsPath, '.dockerignore');
      const dockerfile = vscode.Uri.joinPath(f.uri, 'Dockerfile');
      const refused = () => resultOf(a, 'secrets')?.problems.filter((p) => p.file === '.dockerignore' && /symbolic link to a path outside the workspace/.test(p.message)) ?? [];
      try {
        symlinkSync(target, link);
        await waitForAudit(() => refused().length === 1, 'the linked .dockerignore to be refused', 45000);
        // the scan does not read the link, so the Dockerfile lacks a .dockerignore: a fixable finding that creates one
        const finding = resultOf(a, 'secrets')!.findings.find((x) => x.ruleId === 'repo.dockerignore' && x.file === 'Dockerfile');
        assert.ok(finding?.fixable, 'the Dockerfile has the fixable repo.dockerignore finding');
        // no light bulb fix for it
        const d = shipshapeDiagnostics(dockerfile).find((x) => codeOf(x) === 'repo.dockerignore');
        assert.ok(d, 'the finding is a diagnostic');
        await vscode.workspace.openTextDocument(dockerfile);
        const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', dockerfile, d.range)) ?? [];
        const titles = actions.map((x) => x.title).join('; ');
        // the one ignore entry of the line names the rule, or asks which finding when the line has several
        assert.ok(actions.some((x) => /^Ignore (repo\.dockerignore |a Shipshape finding here)/.test(x.title)), `the light bulb was asked (${titles})`);
        // its fix would be "Create .dockerignore" (or "Add … to .dockerignore")
        assert.ok(!actions.some((x) => /\.dockerignore$/.test(x.title) && !/^Show docs/.test(x.title)), `a fix through the link was offered (${titles})`);
        // the fix itself is declined, with the reason, and a fix-all of the folder lists it as not fixed
        const one = await vscode.commands.executeCommand<{ applied: boolean; message?: string }>('shipshape.applyFix', { uri: dockerfile, finding });
        assert.equal(one?.applied, false);
        assert.match(one?.message ?? '', /No automatic fix for .*: \.dockerignore is a symbolic link to a path outside the workspace/);
        const plan = await vscode.commands.executeCommand<{ files: { rel: string }[]; declined: { ruleId: string; reason: string }[] }>('shipshape.computeFixes', { folder: 'secrets', rules: ['repo.dockerignore'] });
        assert.deepEqual(plan?.files, [], 'the plan of the folder writes nothing');
        assert.deepEqual(plan?.declined.map((d) => [d.ruleId, d.reason]), [['repo.dockerignore', '.dockerignore is a symbolic link to a path outside the workspace']]);
        // a plan that would write the link anyway (it appeared after the plan was computed) is refused as a whole
        const stale = { folder: f, files: [{ uri: vscode.Uri.file(link), rel: '.dockerignore', version: undefined, hash: 'absent', create: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '.git\n' }] }], applied: [], declined: [] };
        const all = await vscode.commands.executeCommand<{ applied: boolean; message?: string }>('shipshape.applyFixes', stale);
        assert.equal(all?.applied, false);
        assert.match(all?.message ?? '', /\.dockerignore is a symbolic link to a path outside the workspace; nothing was applied/);
        await a.whenIdle();
        assert.equal(readFileSync(target, 'utf8'), `node_modules\n# ${value}\n`, 'the file outside was written');
        assert.ok(!vscode.workspace.textDocuments.some((doc) => doc.uri.fsPath === link && doc.isDirty), 'an edit of the link is pending in an editor');
        for (const l of a.inspect().log) leaks('log line', l);
      } finally {
        rmSync(link, { force: true });
        rmSync(outside, { recursive: true, force: true });
      }
      await waitForAudit(() => refused().length === 0, 'the problem to go with the link', 45000);
    });
  });
}
