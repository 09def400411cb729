import * as assert from 'node:assert/strict';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { api, flatten, folder, folderNodes, labelOf, readText, resultOf, ruleIds, uri, waitForAudit, waitForDiagnostics, writeText } from './helpers';

/**
 * Runs in a real VS Code (code-server) on a copy of test/fixtures/workspaces/shipshape.code-workspace:
 * folder `shop` has a Deployment without probes, a Dockerfile without USER, a production env example with
 * NODE_ENV=development and a manual item; folder `api` passes its own checklist.
 */
export function extensionTests(): void {
  suite('Shipshape extension in VS Code', function () {
    this.timeout(60000);

    suiteSetup(async () => {
      const a = await api();
      await a.whenIdle();
    });

    test('activates without blocking and publishes diagnostics with source, docs link and checklist location', async () => {
      const deployment = uri('k8s/deployment.yaml');
      const ds = await waitForDiagnostics(deployment, (d) => d.length >= 2, 'probe findings on the Deployment');
      assert.deepEqual(ruleIds(deployment), ['fixture.k8s.liveness', 'fixture.k8s.readiness']);
      const liveness = ds.find((d) => typeof d.code === 'object' && d.code.value === 'fixture.k8s.liveness')!;
      assert.equal(liveness.source, 'shipshape');
      assert.equal(liveness.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(liveness.range.start.line, 15, 'points at the container (line 16)');
      assert.ok(typeof liveness.code === 'object' && liveness.code.target.scheme === 'shipshape-docs');
      const related = liveness.relatedInformation?.[0];
      assert.ok(related, 'related information points at the rule');
      assert.ok(related.location.uri.path.endsWith('/readiness.checklist.yaml'));
      const checklist = await vscode.workspace.openTextDocument(related.location.uri);
      assert.match(checklist.lineAt(related.location.range.start.line).text, /id: fixture\.k8s\.liveness/);
      assert.deepEqual(ruleIds(uri('Dockerfile')), ['fixture.docker.user']);
      assert.deepEqual(ruleIds(uri('.env.production.example')), ['fixture.env.node-env']);
    });

    test('startup: progress shows at once, then results as they come, then the complete result (times printed)', async () => {
      const t = (await api()).inspect().timings;
      assert.ok(t.progress !== undefined && t.complete !== undefined, `progress and a complete result were recorded: ${JSON.stringify(t)}`);
      assert.ok(t.progress <= t.complete && (t.partial === undefined || (t.progress <= t.partial && t.partial <= t.complete)), JSON.stringify(t));
      const since = (v: number | undefined): string => (v === undefined ? 'none (the files were read within one batch)' : `${v - t.activated} ms`);
      // printed through mocha's reporter, which also writes the suite's log file
      Mocha.reporters.Base.consoleLog(`      activation → first progress ${since(t.progress)}, → first results so far ${since(t.partial)}, → complete result ${since(t.complete)}`);
    });

    test('the docs link opens the rule documentation', async () => {
      const [d] = await waitForDiagnostics(uri('k8s/deployment.yaml'), (ds) => ds.length > 0, 'any finding');
      assert.ok(typeof d.code === 'object');
      const doc = await vscode.workspace.openTextDocument(d.code.target);
      assert.match(doc.getText(), /^# Containers declare a (liveness|readiness) probe/);
    });

    test('editing a file updates its diagnostics from the live buffer, before saving', async () => {
      const u = uri('k8s/deployment.yaml');
      const doc = await vscode.workspace.openTextDocument(u);
      await vscode.window.showTextDocument(doc);
      const original = doc.getText();
      const line = doc.lineAt(19); // "              containerPort: 8080"
      assert.match(line.text, /containerPort: 8080/);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(u, line.range.end, '\n          livenessProbe:\n            httpGet: { path: /health, port: http }');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(doc.isDirty);
      await waitForDiagnostics(u, (ds) => ds.length === 1, 'the liveness finding to go');
      assert.deepEqual(ruleIds(u), ['fixture.k8s.readiness']);
      // Put the original text back (still unsaved): the finding comes back; then save and close.
      const restore = new vscode.WorkspaceEdit();
      restore.replace(u, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      assert.ok(await vscode.workspace.applyEdit(restore));
      await waitForDiagnostics(u, (ds) => ds.length === 2, 'the liveness finding to return');
      if (doc.isDirty) assert.ok(await doc.save());
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('a file changed on disk is re-audited (file watcher)', async () => {
      const u = uri('.env.production.example');
      const before = (await readText(u))!;
      await writeText(u, before.replace('NODE_ENV=development', 'NODE_ENV=production'));
      await waitForDiagnostics(u, (ds) => ds.length === 0, 'the NODE_ENV finding to go');
      await writeText(u, before);
      await waitForDiagnostics(u, (ds) => ds.length === 1, 'the NODE_ENV finding to return');
    });

    test('a new file is audited and deleting it clears its diagnostics', async () => {
      const u = uri('k8s/worker.yaml');
      await writeText(u, 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: worker\nspec:\n  template:\n    spec:\n      containers:\n        - name: worker\n          image: registry.example.com/worker:2.0.0\n');
      await waitForDiagnostics(u, (ds) => ds.length === 2, 'findings on the new manifest');
      await vscode.workspace.fs.delete(u);
      await waitForDiagnostics(u, (ds) => ds.length === 0, 'diagnostics of the deleted file to clear');
    });

    test('deleting an audited file clears its diagnostics and the item passes', async () => {
      const u = uri('Dockerfile');
      const text = (await readText(u))!;
      await waitForDiagnostics(u, (ds) => ds.length === 1, 'the Dockerfile finding');
      await vscode.workspace.fs.delete(u);
      await waitForDiagnostics(u, (ds) => ds.length === 0, 'the Dockerfile diagnostics to clear');
      const a = await api();
      await waitForAudit((x) => resultOf(x)?.items.find((i) => i.id === 'fixture.docker.user')?.status === 'not-applicable', 'the Dockerfile item to become not applicable');
      await writeText(u, text);
      await waitForDiagnostics(u, (ds) => ds.length === 1, 'the Dockerfile finding to return');
      assert.ok(a);
    });

    test('a settings change re-audits (rule turned off, then back on)', async () => {
      const u = uri('k8s/deployment.yaml');
      const config = vscode.workspace.getConfiguration('shipshape', folder());
      await config.update('rules', { 'fixture.k8s.readiness': 'off' }, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForDiagnostics(u, (ds) => ds.length === 1, 'the readiness rule to be off');
      assert.deepEqual(ruleIds(u), ['fixture.k8s.liveness']);
      await config.update('rules', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForDiagnostics(u, (ds) => ds.length === 2, 'the readiness rule to be back');
    });

    test('an invalid setting logs a warning and falls back to the default', async () => {
      const u = uri('k8s/deployment.yaml');
      const config = vscode.workspace.getConfiguration('shipshape', folder());
      await config.update('rules', { 'fixture.k8s.readiness': 'loud' }, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForAudit((a) => resultOf(a) !== undefined, 'an audit');
      await (await api()).whenIdle();
      assert.deepEqual(ruleIds(u), ['fixture.k8s.liveness', 'fixture.k8s.readiness'], 'the invalid override is ignored');
      await config.update('rules', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    });

    test('a config edit re-audits, and its located errors become diagnostics', async () => {
      const cfg = uri('.shipshape.yaml');
      const text = (await readText(cfg))!;
      await writeText(cfg, `${text}colour: blue\n`);
      const [d] = await waitForDiagnostics(cfg, (ds) => ds.length === 1, 'the config error');
      assert.match(d.message, /unknown key "colour"/);
      assert.equal(d.range.start.line, text.split('\n').length - 1, 'located on the offending key');
      await (await api()).whenIdle();
      assert.deepEqual(ruleIds(uri('k8s/deployment.yaml')), ['fixture.k8s.liveness', 'fixture.k8s.readiness'], 'the last valid config stays in force');
      await writeText(cfg, text);
      await waitForDiagnostics(cfg, (ds) => ds.length === 0, 'the config error to clear');
    });

    test('a checklist edit re-audits with the new items', async () => {
      const cl = uri('readiness.checklist.yaml');
      const text = (await readText(cl))!;
      await writeText(cl, text.replace('severity: warning\n        check: k8s.container-probe', 'severity: error\n        check: k8s.container-probe'));
      const u = uri('k8s/deployment.yaml');
      await waitForDiagnostics(u, (ds) => ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length === 2, 'both probe findings as errors');
      await writeText(cl, text.replace('check: docker.final-user', 'check: docker.no-such-template'));
      const [d] = await waitForDiagnostics(cl, (ds) => ds.length === 1, 'the checklist error');
      assert.match(d.message, /unknown check template "docker\.no-such-template"/);
      await writeText(cl, text);
      await waitForDiagnostics(cl, (ds) => ds.length === 0, 'the checklist error to clear');
      await waitForDiagnostics(u, (ds) => ds.filter((x) => x.severity === vscode.DiagnosticSeverity.Error).length === 1, 'the original severities');
    });

    test('the readiness tree lists checklist, sections, items with statuses, and findings', async () => {
      const a = await api();
      await a.whenIdle();
      const roots = folderNodes(a, 'shop');
      assert.deepEqual(roots.map(labelOf), ['Fixture readiness']);
      const sections = a.tree.children(roots[0]);
      assert.deepEqual(sections.map(labelOf), ['Kubernetes', 'Container image', 'Configuration', 'To confirm by hand'], 'sections with checks, then the manual items in one node');
      const items = flatten(a, roots).filter((n) => n.item);
      const status = Object.fromEntries(items.map((n) => [n.item!.id, n.item!.status]));
      assert.deepEqual(status, {
        'fixture.k8s.liveness': 'fail',
        'fixture.k8s.readiness': 'fail',
        'fixture.docker.user': 'fail',
        'fixture.env.node-env': 'fail',
        'fixture.manual.runbook': 'manual',
      });
      const liveness = items.find((n) => n.item!.id === 'fixture.k8s.liveness')!;
      const findings = a.tree.children(liveness);
      assert.equal(findings.length, 1);
      assert.equal(findings[0].command?.command, 'vscode.open', 'a finding reveals its range when clicked');
      assert.match(String(findings[0].description), /k8s\/deployment\.yaml:16/);
      const manual = items.find((n) => n.item!.id === 'fixture.manual.runbook')!;
      assert.equal(manual.checked, false, 'manual items have an unticked checkbox');
    });

    test('grouping by file and showing failing items only', async () => {
      const a = await api();
      await vscode.commands.executeCommand('shipshape.groupByFile');
      assert.deepEqual(folderNodes(a, 'shop').map(labelOf), ['.env.production.example', 'Dockerfile', 'k8s/deployment.yaml']);
      assert.deepEqual(folderNodes(a, 'api').map(labelOf), [], 'a passing folder has no files with findings');
      await vscode.commands.executeCommand('shipshape.groupByChecklist');
      await vscode.commands.executeCommand('shipshape.showFailingOnly');
      const items = flatten(a, a.tree.roots()).filter((n) => n.item);
      assert.ok(items.length === 4 && items.every((n) => n.item!.status === 'fail'));
      await vscode.commands.executeCommand('shipshape.showAll');
      assert.equal(flatten(a, a.tree.roots()).filter((n) => n.item).length, 7, '5 items in shop, 2 in api');
    });

    test('ticking a manual item writes the attestation file with who and when', async () => {
      const a = await api();
      const manual = flatten(a, folderNodes(a, 'shop')).find((n) => n.item?.id === 'fixture.manual.runbook')!;
      await vscode.commands.executeCommand('shipshape.signOff', manual, true);
      const text = await readText(uri('.shipshape/attestations.yaml'));
      assert.ok(text, 'the attestation file exists');
      assert.match(text, /fixture\.manual\.runbook:\n\s+by: \S+/);
      assert.match(text, /at: "?\d{4}-\d\d-\d\dT/);
      const ticked = flatten(a, folderNodes(a, 'shop')).find((n) => n.item?.id === 'fixture.manual.runbook')!;
      assert.equal(ticked.checked, true);
      assert.ok(ticked.item!.attestation, 'the audit carries the attestation');
      await vscode.commands.executeCommand('shipshape.signOff', ticked, false);
      assert.doesNotMatch((await readText(uri('.shipshape/attestations.yaml')))!, /fixture\.manual\.runbook/);
    });

    test('multi-root: each folder is audited with its own checklist and score', async () => {
      const a = await api();
      await a.whenIdle();
      assert.equal(a.results().size, 2);
      assert.equal(resultOf(a, 'shop')!.summary.score, 0);
      assert.equal(resultOf(a, 'api')!.summary.score, 100);
      assert.deepEqual(resultOf(a, 'api')!.items.map((i) => `${i.id}:${i.status}`), ['api.docker.user:pass', 'api.env.node-env:pass']);
      const roots = a.tree.roots();
      assert.deepEqual(roots.map(labelOf), ['shop', 'api']);
      assert.deepEqual(roots.map((r) => r.description), ['0% ready', '100% ready']);
      assert.deepEqual(ruleIds(uri('Dockerfile', 'api')), []);
    });

    test('multi-root: an edit in one folder re-audits that folder only', async () => {
      const u = uri('.env.production.example', 'api');
      const before = (await readText(u))!;
      await writeText(u, 'NODE_ENV=staging\n');
      await waitForDiagnostics(u, (ds) => ds.length === 1, 'the api NODE_ENV finding');
      assert.deepEqual(ruleIds(u), ['api.env.node-env']);
      assert.deepEqual(ruleIds(uri('.env.production.example')), ['fixture.env.node-env'], 'the shop folder is unchanged');
      await writeText(u, before);
      await waitForDiagnostics(u, (ds) => ds.length === 0, 'the api finding to clear');
    });

    test('shipshape.enable=false for a folder clears its diagnostics; true brings them back', async () => {
      const u = uri('k8s/deployment.yaml');
      const config = vscode.workspace.getConfiguration('shipshape', folder());
      await config.update('enable', false, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForDiagnostics(u, (ds) => ds.length === 0, 'the disabled folder to have no diagnostics');
      assert.deepEqual((await api()).tree.roots().map(labelOf), ['api']);
      await config.update('enable', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      await waitForDiagnostics(u, (ds) => ds.length === 2, 'the diagnostics to return');
    });
  });
}
