import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FixPlan } from '../../src/vscode/fixSession';
import { api, flatten, folder, folderNodes, readText, resultOf, ruleIds, uri, waitForAudit, waitForDiagnostics, writeText } from './helpers';

type Result = { applied: boolean; stale: string[]; saved: string[]; message?: string };

const codeOf = (d: vscode.Diagnostic): string => (typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''));

/** Code actions at a range, every one resolved (so fixes carry their edit). */
async function actionsAt(u: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', u, range, kind, 100)) ?? [];
}

async function open(u: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(u);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Puts a fixture file back as it was: unsaved edits dropped, the original text on disk, editors closed. */
async function restore(u: vscode.Uri, text: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
  if (doc && (doc.isDirty || doc.getText() !== text)) {
    // The document VS Code holds gets the original text, saved: no unsaved edits, the disk as it was.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(u, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(edit), `restore ${vscode.workspace.asRelativePath(u)}`);
    assert.ok(await doc.save());
  }
  if ((await readText(u)) !== text) await writeText(u, text);
  await settled(u, text);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Waits until a file written on disk is what VS Code's document for it (if it keeps one) and the audit
 * hold: documents without unsaved changes reload from disk some time after the write.
 */
async function settled(u: vscode.Uri, text: string, ms = 20000): Promise<void> {
  const held = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
  if (held() && held()!.getText() !== text) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        const d = held();
        reject(new Error(`timed out waiting for the document of ${vscode.workspace.asRelativePath(u)} to reload (dirty: ${d?.isDirty}, closed: ${d?.isClosed}, ${d?.getText().length} vs ${text.length} characters)`));
      }, ms);
      const sub = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== u.toString() || e.document.getText() !== text) return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
      if (held()?.getText() === text) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }
  await waitForAudit((a) => resultOf(a)?.items.some((i) => i.findings.some((f) => f.file === vscode.workspace.asRelativePath(u, false))) ?? false, 'the file audited again');
  await (await api()).whenIdle();
}

/**
 * Replaces window.showInputBox (and window.showQuickPick, answered with the item whose label `pick` names)
 * while `run` runs (the extension and this suite share the `vscode` API object).
 */
async function withInputBox<T>(answer: string | undefined, run: () => Thenable<T>, pick?: string): Promise<{ result: T; prompts: vscode.InputBoxOptions[]; picks: string[][] }> {
  const win = vscode.window as { showInputBox: typeof vscode.window.showInputBox; showQuickPick: unknown };
  const original = { input: win.showInputBox, pick: win.showQuickPick };
  const prompts: vscode.InputBoxOptions[] = [];
  const picks: string[][] = [];
  win.showInputBox = (options?: vscode.InputBoxOptions) => {
    prompts.push(options ?? {});
    return Promise.resolve(answer);
  };
  win.showQuickPick = async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>) => {
    const list = await items;
    const label = (x: string | vscode.QuickPickItem): string => (typeof x === 'string' ? x : x.label);
    picks.push(list.map(label));
    return list.find((x) => label(x) === pick);
  };
  try {
    return { result: await run(), prompts, picks };
  } finally {
    win.showInputBox = original.input;
    win.showQuickPick = original.pick;
  }
}

/**
 * Quick fixes, ignore-with-a-reason, fix-all (per file, on save, workspace, tree menus) in a real VS Code,
 * on the `shop` fixture: a Deployment without probes, a Dockerfile without USER, NODE_ENV=development.
 * Every test puts the files back as they were.
 */
export function codeActionTests(): void {
  suite('Shipshape quick fixes in VS Code', function () {
    this.timeout(60000);
    const deployment = () => uri('k8s/deployment.yaml');
    const dockerfile = () => uri('Dockerfile');
    const envFile = () => uri('.env.production.example');
    const originals = new Map<string, string>();

    suiteSetup(async () => {
      await (await api()).whenIdle();
      for (const u of [deployment(), dockerfile(), envFile()]) originals.set(u.toString(), (await readText(u))!);
    });

    teardown(async () => {
      for (const u of [deployment(), dockerfile(), envFile()]) await restore(u, originals.get(u.toString())!);
      await waitForDiagnostics(deployment(), (ds) => ds.length === 2, 'the probe findings to be back');
      await waitForDiagnostics(dockerfile(), (ds) => ds.length === 1, 'the USER finding to be back');
      await waitForDiagnostics(envFile(), (ds) => ds.length === 1, 'the NODE_ENV finding to be back');
    });

    test('the probe quick fix is offered, preferred, and inserts the probe; the finding goes and the rule passes', async () => {
      const u = deployment();
      const doc = await open(u);
      const ds = await waitForDiagnostics(u, (d) => d.length === 2, 'the probe findings');
      const liveness = ds.find((d) => codeOf(d) === 'fixture.k8s.liveness')!;
      const actions = await actionsAt(u, liveness.range);
      const titles = actions.map((a) => a.title);
      const fix = actions.find((a) => a.title.startsWith('Add livenessProbe'));
      assert.ok(fix, `a probe fix; got ${titles.join(' | ')}`);
      assert.equal(fix.kind?.value, 'quickfix');
      assert.equal(fix.isPreferred, true);
      assert.ok(fix.edit, 'the resolved fix carries its edit');
      // The menu: the fixes (most severe first, the first preferred), fix-all after the preferred fix, then one
      // ignore entry and one docs entry for both findings on the token.
      assert.deepEqual(titles.map((t) => t.replace(/ \(httpGet .*$/, '')), ['Add livenessProbe', 'Fix all auto-fixable Shipshape findings in this file', 'Add readinessProbe', 'Ignore a Shipshape finding here…', 'Show Shipshape rule docs…']);
      assert.deepEqual(actions.map((a) => !!a.isPreferred), [true, false, false, false, false]);
      const ignore = actions.find((a) => a.title === 'Ignore a Shipshape finding here…')!;
      const choices = (ignore.command?.arguments?.[0] as { choices: { label: string }[] }).choices.map((c) => c.label);
      assert.deepEqual(choices, ['fixture.k8s.liveness on this line', 'fixture.k8s.liveness for Deployment/shop', 'fixture.k8s.readiness on this line', 'fixture.k8s.readiness for Deployment/shop']);
      const docs = actions.find((a) => a.title === 'Show Shipshape rule docs…')!;
      assert.deepEqual([docs.command?.command, docs.command?.arguments], ['shipshape.openDocs', [['fixture.k8s.liveness', 'fixture.k8s.readiness']]]);

      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      const text = doc.getText();
      assert.ok(text.startsWith(originals.get(u.toString())!), 'only inserted after the last line of the container');
      assert.match(text, /\n {10}livenessProbe:\n {12}httpGet:\n {14}path: \/health\n {14}port: http\n/);
      await waitForDiagnostics(u, (d) => !d.some((x) => codeOf(x) === 'fixture.k8s.liveness'), 'the liveness finding to go');
      assert.deepEqual(ruleIds(u), ['fixture.k8s.readiness']);
      await waitForAudit((a) => resultOf(a)?.items.find((i) => i.id === 'fixture.k8s.liveness')?.status === 'pass', 'the liveness item to pass');
      assert.ok(doc.isDirty, 'a quick fix leaves saving to the user');
      // The same request again: no liveness fix any more (nothing to apply twice).
      const again = await actionsAt(u, new vscode.Range(0, 0, doc.lineCount, 0));
      assert.ok(!again.some((a) => a.title.startsWith('Add livenessProbe')), 'no second liveness fix');
    });

    test('source.fixAll fixes a whole Dockerfile, in the Source Action menu and on save', async () => {
      const u = dockerfile();
      const doc = await open(u);
      await waitForDiagnostics(u, (d) => d.length === 1, 'the USER finding');
      const actions = await actionsAt(u, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll.value);
      const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.shipshape');
      assert.ok(fixAll?.edit, `a resolved source.fixAll.shipshape action; got ${actions.map((a) => `${a.kind?.value}:${a.title}`).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
      assert.match(doc.getText(), /\nEXPOSE 8080\nUSER node\nCMD \["node", "server.js"\]\n$/);
      await waitForDiagnostics(u, (d) => d.length === 0, 'the Dockerfile to be clean');
      const twice = await actionsAt(u, new vscode.Range(0, 0, 0, 0), vscode.CodeActionKind.SourceFixAll.value);
      assert.ok(!twice.some((a) => a.kind?.value === 'source.fixAll.shipshape'), 'nothing left to fix');
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForDiagnostics(u, (d) => d.length === 1, 'the finding back after revert');

      // editor.codeActionsOnSave runs it when the file is saved.
      const config = vscode.workspace.getConfiguration('editor', folder());
      await config.update('codeActionsOnSave', { 'source.fixAll.shipshape': 'always' }, vscode.ConfigurationTarget.WorkspaceFolder);
      try {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(u, new vscode.Position(1, 0), '# build the app\n');
        assert.ok(await vscode.workspace.applyEdit(edit));
        assert.ok(await doc.save());
        assert.match(doc.getText(), /^FROM node:20\.11-alpine\n# build the app\nWORKDIR \/app\n[\s\S]*\nUSER node\nCMD /);
        assert.match((await readText(u))!, /\nUSER node\nCMD /, 'the fixed text is what was saved');
        await waitForDiagnostics(u, (d) => d.length === 0, 'the Dockerfile to be clean after save');
      } finally {
        await config.update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
    });

    test('"Ignore a finding here…" asks which finding, then for a reason, and writes the suppression; Escape writes nothing', async () => {
      const u = deployment();
      const doc = await open(u);
      const ds = await waitForDiagnostics(u, (d) => d.length === 2, 'the probe findings');
      const readiness = ds.find((d) => codeOf(d) === 'fixture.k8s.readiness')!;
      const ignore = (await actionsAt(u, readiness.range)).find((a) => a.title === 'Ignore a Shipshape finding here…');
      assert.ok(ignore?.command, 'an ignore action with a command');
      const run = () => vscode.commands.executeCommand<Result>(ignore.command!.command, ...(ignore.command!.arguments ?? []));

      const notPicked = await withInputBox('a reason', run);
      assert.deepEqual([notPicked.picks.length, notPicked.prompts.length, notPicked.result.applied], [1, 0, false], 'Escape on the choice asks nothing more');
      const cancelled = await withInputBox(undefined, run, 'fixture.k8s.readiness on this line');
      assert.equal(cancelled.prompts.length, 1, 'asked once');
      assert.equal(cancelled.result.applied, false);
      assert.equal(doc.getText(), originals.get(u.toString()), 'Escape leaves the file alone');

      const { result, prompts } = await withInputBox('sidecar-free batch pod, probes come later', run, 'fixture.k8s.readiness on this line');
      assert.match(prompts[0].prompt ?? '', /reason/i);
      assert.equal(result.applied, true);
      const lines = doc.getText().split('\n');
      assert.equal(lines[15], '        # shipshape-ignore fixture.k8s.readiness -- sidecar-free batch pod, probes come later');
      assert.equal(lines[16], '        - name: web');
      await waitForDiagnostics(u, (d) => d.length === 1, 'the readiness finding to be suppressed');
      assert.deepEqual(ruleIds(u), ['fixture.k8s.liveness']);
    });

    test('a plan computed before an edit is refused; the command recomputes from the new text; twice changes nothing', async () => {
      const u = deployment();
      const doc = await open(u);
      await waitForDiagnostics(u, (d) => d.length === 2, 'the probe findings');
      const plan = (await vscode.commands.executeCommand<FixPlan>('shipshape.computeFixes', { folder: 'shop' }))!;
      assert.deepEqual(plan.files.map((f) => f.rel).sort(), ['.env.production.example', 'Dockerfile', 'k8s/deployment.yaml']);
      assert.equal(plan.files.find((f) => f.rel === 'k8s/deployment.yaml')!.version, doc.version, 'the open document is pinned by version');
      for (const f of plan.files) {
        const held = vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.uri.toString());
        assert.equal(f.version, held?.version, `${f.rel}: pinned by version when VS Code holds a document, else by its content hash`);
        assert.ok(f.hash.length > 10);
      }

      // The user types after the fixes were computed: the plan no longer fits and nothing is applied.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(u, new vscode.Position(0, 0), '# edited after the fixes were computed\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const typed = doc.getText();
      const refused = (await vscode.commands.executeCommand<Result>('shipshape.applyFixes', plan))!;
      assert.equal(refused.applied, false);
      assert.deepEqual(refused.stale, ['k8s/deployment.yaml']);
      assert.match(refused.message ?? '', /changed since the fixes were computed; nothing was applied/);
      assert.equal(doc.getText(), typed, 'the document is untouched');
      assert.equal(await readText(dockerfile()), originals.get(dockerfile().toString()), 'no other file was written either');

      // A file not open that changes on disk after the plan: refused by its hash.
      const plan2 = (await vscode.commands.executeCommand<FixPlan>('shipshape.computeFixes', { folder: 'shop', files: ['Dockerfile'] }))!;
      const labelled = `${originals.get(dockerfile().toString())}LABEL team=shop\n`;
      await writeText(dockerfile(), labelled);
      const refused2 = (await vscode.commands.executeCommand<Result>('shipshape.applyFixes', plan2))!;
      assert.deepEqual([refused2.applied, refused2.stale], [false, ['Dockerfile']]);
      // a document VS Code still holds sees each change on disk before the next one (else it keeps a stale disk
      // state, and saving the fixed Dockerfile later fails as "modified since")
      await settled(dockerfile(), labelled);
      await writeText(dockerfile(), originals.get(dockerfile().toString())!);
      await settled(dockerfile(), originals.get(dockerfile().toString())!);

      // The command computes from the current text and applies: the typed line stays, the probes come in.
      const first = await vscode.commands.executeCommand<{ applied: number; files: string[]; refused: string[]; declined: string[] }>('shipshape.fixAllInWorkspace');
      assert.deepEqual([first?.applied, first?.files.sort(), first?.refused, first?.declined], [4, ['shop/.env.production.example', 'shop/Dockerfile', 'shop/k8s/deployment.yaml'], [], []]);
      assert.ok(doc.getText().startsWith('# edited after the fixes were computed\n'));
      assert.match(doc.getText(), /livenessProbe:[\s\S]*readinessProbe:/);
      assert.ok(doc.isDirty, 'the open document is edited, not saved');
      assert.match((await readText(dockerfile()))!, /\nUSER node\nCMD /, 'a file not open is edited and saved (shipshape.fixes.saveUnopenedFiles)');
      assert.match((await readText(envFile()))!, /^NODE_ENV=production$/m);
      await waitForDiagnostics(u, (d) => d.length === 0, 'the Deployment to be clean');
      await waitForDiagnostics(envFile(), (d) => d.length === 0, 'the env file to be clean');

      const texts = [doc.getText(), await readText(dockerfile()), await readText(envFile())];
      const second = await vscode.commands.executeCommand<{ applied: number; files: string[] }>('shipshape.fixAllInWorkspace');
      assert.deepEqual([second?.applied, second?.files], [0, []]);
      assert.deepEqual([doc.getText(), await readText(dockerfile()), await readText(envFile())], texts, 'applying twice changes nothing');
    });

    test('a rendered finding whose fix has no safe place in the source offers "Show Where to Change It", which opens that line', async function () {
      this.timeout(180000);
      // A kustomization whose overlay patch adds a sidecar without probes: the container exists only in the patch,
      // so a probe has no single safe home (the base lacks the container; writing into a patch is not safe).
      const files: Record<string, string> = {
        'deploy/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n',
        'deploy/base/deployment.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/web:1.0.0\n          livenessProbe:\n            httpGet: { path: /health, port: 8080 }\n          readinessProbe:\n            httpGet: { path: /ready, port: 8080 }\n',
        'deploy/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base\npatches:\n  - path: sidecar.yaml\n',
        'deploy/prod/sidecar.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: log-shipper\n          image: registry.example.com/log-shipper:2.1.0\n          ports:\n            - containerPort: 9000\n',
      };
      const sidecar = uri('deploy/prod/sidecar.yaml');
      try {
        for (const [rel, text] of Object.entries(files)) await writeText(uri(rel), text);
        await waitForDiagnostics(sidecar, (d) => d.some((x) => codeOf(x) === 'fixture.k8s.liveness'), 'the rendered sidecar finding on the patch line', 60000);
        // (each kustomization file written starts a scan, and each file it consumes a rendering: wait for the last)
        await (await api()).whenIdle();
        const ds = await waitForDiagnostics(sidecar, (d) => d.some((x) => codeOf(x) === 'fixture.k8s.liveness'), 'the rendered sidecar finding on the patch line', 60000);
        const liveness = ds.find((x) => codeOf(x) === 'fixture.k8s.liveness')!;
        assert.equal(liveness.range.start.line, 8, 'the finding sits on the patch line that adds the container (line 9)');
        await open(sidecar);
        const actions = await actionsAt(sidecar, liveness.range);
        const titles = actions.map((x) => x.title);
        const show = actions.filter((x) => x.title === 'Show Where to Change It');
        assert.equal(show.length, 1, `one entry for the line: ${titles.join(' | ')}`);
        assert.ok(!titles.some((t) => /probe/i.test(t) && !/^Ignore|^Show/.test(t)), `no probe fix is offered: ${titles.join(' | ')}`);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await vscode.commands.executeCommand(show[0].command!.command, ...(show[0].command!.arguments ?? []));
        const editor = vscode.window.activeTextEditor;
        assert.equal(editor?.document.uri.toString(), sidecar.toString(), 'the patch is open');
        assert.equal(editor?.selection.start.line, 8, 'at the line to change');
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        // (opening the patch re-renders the kustomization: let that finish before the folder goes)
        await (await api()).whenIdle();
        await vscode.workspace.fs.delete(uri('deploy'), { recursive: true });
        await waitForDiagnostics(sidecar, (d) => d.length === 0, 'the kustomization to be gone', 60000);
        await (await api()).whenIdle();
      }
    });

    test('tree menus: Apply Fix on a finding and Fix All for This Item edit files that are not open', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const a = await api();
      await a.whenIdle();
      const nodes = flatten(a, folderNodes(a, 'shop'));
      const userFinding = nodes.find((n) => n.finding?.ruleId === 'fixture.docker.user')!;
      assert.match(userFinding.contextValue ?? '', /\bfinding\b.*\bfixable\b/, 'the finding node offers Apply Fix');
      const r = await vscode.commands.executeCommand<Result>('shipshape.applyFix', userFinding);
      assert.deepEqual([r?.applied, r?.saved], [true, ['Dockerfile']]);
      assert.match((await readText(dockerfile()))!, /\nUSER node\nCMD /);
      await waitForDiagnostics(dockerfile(), (d) => d.length === 0, 'the Dockerfile to be clean');

      const item = flatten(a, folderNodes(a, 'shop')).find((n) => n.item?.id === 'fixture.k8s.readiness')!;
      assert.match(item.contextValue ?? '', /\bitem\b.*\bfixable\b/, 'the item node offers Fix All for This Item');
      const all = await vscode.commands.executeCommand<{ applied: number; files: string[] }>('shipshape.fixItem', item);
      assert.deepEqual([all?.applied, all?.files], [1, ['shop/k8s/deployment.yaml']]);
      const text = (await readText(deployment()))!;
      assert.match(text, /readinessProbe:/);
      assert.doesNotMatch(text, /livenessProbe:/, 'only the chosen item is fixed');
      await waitForDiagnostics(deployment(), (d) => d.length === 1, 'only the liveness finding left');
    });
  });
}
