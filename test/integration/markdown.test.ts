import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, labelOf, readText, uri, waitForDiagnostics, writeText } from './helpers';

/** Drops a document's unsaved edits (the files are deleted at the end; a dirty editor would ask on close). */
async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''));

/**
 * A team's Markdown checklist in the editor: written into the fixture folders for the duration of the suite
 * (shop fails its probe items, api passes its non-root item), then deleted.
 */
export function markdownTests(): void {
  suite('Markdown checklists in VS Code', function () {
    this.timeout(60000);
    const shop = () => uri('RELEASE.md');
    const apiFile = () => uri('RELEASE.md', 'api');

    suiteSetup(async () => {
      await (await api()).whenIdle();
      await writeText(shop(), '# Release\n\n## Kubernetes\n- [x] Containers declare a liveness probe\n- [ ] Containers declare a readiness probe <!-- shipshape: manual -->\n- [ ] Runbook linked from the alerts <!-- shipshape: no.such.rule -->\n');
      await writeText(apiFile(), '# API release\n- [ ] The API image runs as a non-root user\n- [x] Docs reviewed by the team\n- [ ] Load test signed off\n');
    });

    suiteTeardown(async () => {
      for (const u of [shop(), apiFile()]) await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test("a folder's first linking waits for its complete result's rows: the score and the view do not wait for the link index", async () => {
      const a = await api();
      await a.whenIdle();
      const log = a.inspect().log;
      const startup = log.findIndex((l) => l.includes('Startup: activation'));
      assert.ok(startup >= 0, 'the startup line was logged');
      // (logged by the deferred linking only, once per folder; the startup line's handlers ran without it)
      const linked = log.filter((l) => /: Markdown checklists linked in \d+ ms, \d+ ms after the complete result$/.test(l));
      const folders = vscode.workspace.workspaceFolders ?? [];
      assert.ok(folders.length > 0);
      for (const f of folders) assert.ok(linked.some((l) => l.includes(`${f.name}: Markdown checklists linked`)), `${f.name} was linked after its complete result:\n${linked.join('\n')}`);
    });

    test('a ticked item whose rule fails is flagged, with related information at the finding; its quick fix unticks it', async () => {
      const u = shop();
      const ds = await waitForDiagnostics(u, (d) => d.some((x) => codeOf(x) === 'markdown.ticked-failing'), 'the ticked-but-failing warning');
      const warning = ds.find((x) => codeOf(x) === 'markdown.ticked-failing')!;
      assert.equal(warning.range.start.line, 3);
      assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(warning.message, /^Ticked, but fixture\.k8s\.liveness fails: /);
      assert.ok(warning.relatedInformation?.some((r) => r.location.uri.path.endsWith('/k8s/deployment.yaml')), 'related information points at the Deployment');
      assert.ok(ds.some((x) => codeOf(x) === 'markdown.unknown-pin' && x.range.start.line === 5));
      const doc = await vscode.workspace.openTextDocument(u);
      await vscode.window.showTextDocument(doc);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', u, warning.range)) ?? [];
      const untick = actions.find((a) => a.title.startsWith('Untick this item'));
      assert.ok(untick?.edit, `an untick quick fix; got ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(untick.edit));
      assert.equal(doc.lineAt(3).text, '- [ ] Containers declare a liveness probe');
      await waitForDiagnostics(u, (d) => !d.some((x) => codeOf(x) === 'markdown.ticked-failing'), 'the warning to go once unticked (live buffer)');
      await revert(doc);
    });

    test('an unticked item whose rules pass gets a hint; the preferred quick fix ticks it', async () => {
      const u = apiFile();
      const ds = await waitForDiagnostics(u, (d) => d.some((x) => codeOf(x) === 'markdown.unticked-passing'), 'the unticked-but-passing hint');
      const hint = ds.find((x) => codeOf(x) === 'markdown.unticked-passing')!;
      assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
      assert.equal(hint.range.start.line, 1);
      const doc = await vscode.workspace.openTextDocument(u);
      await vscode.window.showTextDocument(doc);
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', u, hint.range)) ?? [];
      const tick = actions.find((a) => a.title.startsWith('Tick this item'));
      assert.ok(tick?.edit && tick.isPreferred, 'a preferred tick quick fix');
      assert.ok(await vscode.workspace.applyEdit(tick.edit));
      assert.equal(doc.lineAt(1).text, '- [x] The API image runs as a non-root user');
      await waitForDiagnostics(u, (d) => !d.some((x) => codeOf(x) === 'markdown.unticked-passing'), 'the hint to go once ticked (live buffer)');
      await revert(doc);
    });

    test('each Markdown checklist is a root of the readiness tree, with sections, items and link reasons', async () => {
      const a = await api();
      const root = a.tree.roots().find((n) => n.contextValue === 'markdownChecklist' && labelOf(n) === 'Release');
      assert.ok(root, `a root for RELEASE.md; roots: ${a.tree.roots().map(labelOf).join(', ')}`);
      const [section] = a.tree.children(root);
      assert.equal(labelOf(section), 'Kubernetes');
      const items = a.tree.children(section);
      assert.deepEqual(items.map(labelOf), ['Containers declare a liveness probe', 'Containers declare a readiness probe', 'Runbook linked from the alerts']);
      const links = a.tree.children(items[0]);
      assert.equal(links[0].ruleId, 'fixture.k8s.liveness');
      assert.match(String(links[0].description), /matched "Containers declare a liveness probe"/);
      assert.equal(items[1].description, 'not verified: no rule speaks of it');
    });

    test('a checklist kept as a plain list: its lines are items with no checkbox, a failing one gets a hint', async () => {
      const u = uri('GO_LIVE_CHECKLIST.md');
      await writeText(u, '# Go-live\n\n- Containers declare a liveness probe\n- Runbook linked from the alerts\n- On-call rotation agreed\n');
      try {
        const ds = await waitForDiagnostics(u, (d) => d.some((x) => codeOf(x) === 'markdown.failing'), 'the failing hint on the plain line');
        const hint = ds.find((x) => codeOf(x) === 'markdown.failing')!;
        assert.equal(hint.range.start.line, 2);
        assert.equal(hint.severity, vscode.DiagnosticSeverity.Hint);
        assert.match(hint.message, /^fixture\.k8s\.liveness fails: /);
        assert.ok(!ds.some((x) => codeOf(x).startsWith('markdown.tick') || codeOf(x) === 'markdown.unticked-passing'), 'nothing about ticks on a plain list');
        const a = await api();
        const root = a.tree.roots().find((n) => n.contextValue === 'markdownChecklist' && labelOf(n) === 'Go-live');
        assert.ok(root, `a root for GO_LIVE_CHECKLIST.md; roots: ${a.tree.roots().map(labelOf).join(', ')}`);
        const items = a.tree.children(root);
        assert.deepEqual(items.map(labelOf), ['Containers declare a liveness probe', 'Runbook linked from the alerts', 'On-call rotation agreed']);
        assert.ok(items.every((n) => n.checked === undefined && n.onCheck === undefined), 'no checkbox on a plain line');
        assert.equal(items[0].description, 'failing');
      } finally {
        await vscode.workspace.fs.delete(u).then(undefined, () => undefined);
      }
    });

    test('Export readiness report writes the filled-in checklist', async () => {
      const out = uri('readiness-report.md', 'api');
      await waitForDiagnostics(apiFile(), (d) => d.some((x) => codeOf(x) === 'markdown.unticked-passing'), 'the reverted file to be audited again');
      try {
        await vscode.commands.executeCommand('shipshape.exportReport', undefined, { folder: 'api', source: 'RELEASE.md', format: 'markdown', output: out.toString() });
        const text = await readText(out);
        assert.ok(text, 'the report file was written');
        assert.match(text, /^# API release\n/);
        assert.match(text, /^- \[x\] ✓ The API image runs as a non-root user — `api\.docker\.user` .*checks pass; not ticked in the checklist yet$/m);
        assert.match(text, /^- \[ \] \(ticked, not verified\) Docs reviewed by the team — ticked in the checklist, but not verified: no rule speaks of it$/m);
      } finally {
        await vscode.workspace.fs.delete(out).then(undefined, () => undefined);
      }
    });
  });
}
