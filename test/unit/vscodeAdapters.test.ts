// The pure parts of the VS Code adapter (no vscode import): settings validation, config merge, which paths
// are audited, and where checklist items are written. The adapter itself is tested in a real VS Code
// (test/integration, test/e2e).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { scanFolder } from '../../src/node/host';
import { batches } from '../../src/vscode/batches';
import { itemIdRanges } from '../../src/vscode/checklistIndex';
import { IgnoreRules, toSource } from '../../src/vscode/paths';
import { DEFAULT_SETTINGS, mergeConfig, validateSettings } from '../../src/vscode/settings';
import { FIXTURES, REPO } from './helpers';

describe('vscode adapter: settings', () => {
  const from = (values: Record<string, unknown>) => validateSettings((key) => values[key]);

  it('returns the defaults when nothing is set', () => {
    assert.deepEqual(from({}), { settings: DEFAULT_SETTINGS, warnings: [] });
  });

  it('keeps valid values and replaces each invalid one by its default, with a warning naming it', () => {
    const { settings, warnings } = from({ run: 'onSave', maxFiles: -3, rules: { 'k8s.probe.liveness': 'loud', 'docker.user': 'off' }, 'attestation.author': 'Ada' });
    assert.equal(settings.run, 'onSave');
    assert.equal(settings.attestationAuthor, 'Ada');
    assert.equal(settings.maxFiles, DEFAULT_SETTINGS.maxFiles);
    assert.deepEqual(settings.rules, {}, 'one bad rule invalidates the rules setting as a whole');
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /shipshape\.rules is invalid \(k8s\.probe\.liveness: /);
    assert.match(warnings[1], /shipshape\.maxFiles is invalid/);
  });

  it('rejects values of the wrong type without throwing', () => {
    const { settings, warnings } = from({ enable: 'yes', checklists: 'kubernetes', exclude: [1, 2], typingDelay: 1e9 });
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.equal(warnings.length, 4);
  });
});

describe('vscode adapter: settings merged over .shipshape.yaml', () => {
  it('settings checklists replace the file\'s, rule severities override it and keep its params, excludes add up', () => {
    const merged = mergeConfig(
      { checklists: ['kubernetes'], rules: { 'k8s.replicas': { severity: 'warning', with: { min: 3 } }, 'docker.user': 'error' }, exclude: ['vendor/**'] },
      { ...DEFAULT_SETTINGS, checklists: ['docker'], rules: { 'k8s.replicas': 'off', 'env.secret': 'info' }, exclude: ['tmp/**'] },
    );
    assert.deepEqual(merged, {
      checklists: ['docker'],
      rules: { 'k8s.replicas': { severity: 'off', with: { min: 3 } }, 'docker.user': 'error', 'env.secret': 'info' },
      exclude: ['vendor/**', 'tmp/**'],
    });
  });

  it('leaves the file\'s config alone when no setting is given', () => {
    const config = { checklists: ['kubernetes'], exclude: ['a/**'] };
    assert.deepEqual(mergeConfig(config, DEFAULT_SETTINGS), config);
  });
});

describe('vscode adapter: audited paths', () => {
  it('classifies by name and sniffs YAML content like the CLI', () => {
    assert.equal(toSource('Dockerfile', 'FROM x')?.kind, 'dockerfile');
    assert.equal(toSource('k8s/app.yaml', 'apiVersion: v1\nkind: Service\n')?.kind, 'kubernetes');
    assert.equal(toSource('config/app.yaml', 'port: 80\n'), undefined, 'YAML that is not a Kubernetes object');
    assert.equal(toSource('.shipshape.yaml', 'checklists: []'), undefined, 'config is setup, not an audited file');
    assert.equal(toSource('team.checklist.yaml', 'id: x'), undefined, 'checklists are setup too');
    assert.deepEqual(toSource('package-lock.json', '{"big": true}'), { path: 'package-lock.json', kind: 'lockfile', text: '' });
    assert.equal(toSource('NOTES.md', '# notes\n- [ ] one\n'), undefined);
    assert.equal(toSource('NOTES.md', '# notes\n- [ ] one\n', new Set(['NOTES.md']))?.kind, 'markdown', 'configured Markdown checklists');
  });

  it('honours excludes, nested .gitignore files and always-skipped folders', () => {
    const rules = new IgnoreRules(['legacy/**']);
    rules.setGitignore('', 'build/\n*.local.yaml\n');
    rules.setGitignore('services/api', 'generated/\n');
    assert.equal(rules.ignores('legacy/Dockerfile'), true);
    assert.equal(rules.ignores('build/k8s/app.yaml'), true, 'a file below an ignored folder');
    assert.equal(rules.ignores('k8s/app.local.yaml'), true);
    assert.equal(rules.ignores('services/api/generated/Dockerfile'), true, 'nested .gitignore applies below its folder');
    assert.equal(rules.ignores('services/web/generated/Dockerfile'), false, '…and only there');
    assert.equal(rules.ignores('node_modules/x/Dockerfile'), true);
    assert.equal(rules.ignores('k8s/app.yaml'), false);
    rules.setGitignore('services/api', undefined);
    assert.equal(rules.ignores('services/api/generated/Dockerfile'), false, 'a deleted .gitignore no longer applies');
  });
});

describe('vscode adapter: checklist item locations', () => {
  it('finds the id of every item of the fixture checklist', () => {
    const text = readFileSync(path.join(FIXTURES, 'workspaces', 'shop', 'readiness.checklist.yaml'), 'utf8');
    const ranges = itemIdRanges(text);
    assert.deepEqual([...ranges.keys()], ['fixture.k8s.liveness', 'fixture.k8s.readiness', 'fixture.docker.user', 'fixture.env.node-env', 'fixture.manual.runbook']);
    const lines = text.split('\n');
    for (const [id, r] of ranges) assert.equal(lines[r.start.line].slice(r.start.character, r.end.character), id);
  });

  it('returns nothing for broken or unexpected YAML, without throwing', () => {
    assert.equal(itemIdRanges('sections: [').size, 0);
    assert.equal(itemIdRanges('sections: 3').size, 0);
    assert.equal(itemIdRanges('- a\n- b').size, 0);
  });
});

describe('vscode adapter: diagnostics in batches', () => {
  it('sends every file of a scan, in order, in batches of at most the limit (a larger file alone)', async () => {
    const { result } = await scanFolder(path.join(REPO, 'examples', 'shop'));
    const byFile = new Map<string, unknown[]>();
    for (const f of result.findings) if (f.file) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const changes = [...byFile, ['k8s/gone.yaml', []] as [string, unknown[]]];
    const most = Math.max(...[...byFile.values()].map((d) => d.length));
    const limit = Math.ceil(most / 2);
    const out = batches(changes, limit);
    assert.deepEqual(out.flat(), changes, 'every change once, in order (a cleared file too)');
    assert.ok(out.length > 1 && out.length < changes.length, `${changes.length} files in ${out.length} batches`);
    for (const b of out) {
      const size = b.reduce((n, [, d]) => n + d.length, 0);
      assert.ok(size <= limit || b.length === 1, `a batch of ${b.length} files holds ${size} diagnostics (limit ${limit})`);
    }
    assert.deepEqual(batches([], limit), []);
  });
});
