import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeFixes } from '../../src/cli/fix';
import { runCli } from './cliSupport';
import { filesUnder } from './fixHelpers';
import { FIXTURES } from './helpers';

const REPO = path.join(FIXTURES, 'fix', '_cli', 'repo');
const GOLDEN = path.join(FIXTURES, 'fix', '_cli', 'repo.fixed');

function snapshot(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

describe('shipshape fix', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'shipshape-fix-'));
    cpSync(REPO, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const before = snapshot(dir);
    const r = await runCli(['fix', dir, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    for (const f of ['Dockerfile', 'k8s/deployment.yaml', 'package.json', '.env.production']) assert.ok(r.stdout.includes(`--- a/${f}\n+++ b/${f}\n`), `diff of ${f}`);
    assert.ok(r.stdout.includes('--- /dev/null\n+++ b/.dockerignore\n'), 'a created file diffs against /dev/null');
    assert.match(r.stdout, /^@@ -\d+,\d+ \+\d+,\d+ @@$/m);
    assert.ok(r.stdout.includes('\n-RUN npm install\n') && r.stdout.includes('\n+RUN npm ci\n'));
    assert.match(r.stderr, /Would apply \d+ fixes to 5 files/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('writes the fixed repository, and a second run has nothing left to do', async () => {
    const r = await runCli(['fix', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(snapshot(dir), snapshot(GOLDEN));
    const again = await runCli(['fix', dir]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Applied 0 fixes to 0 files/);
    assert.deepEqual(snapshot(dir), snapshot(GOLDEN));
  });

  it('a production setting found missing beside an example env file is set where production reads it, and its finding goes away', async () => {
    const only = mkdtempSync(path.join(tmpdir(), 'shipshape-fix-env-'));
    try {
      writeFileSync(path.join(only, '.env.example'), 'NODE_ENV=production\n');
      const r = await runCli(['fix', only, '--rule', 'env.log-level']);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /did not clear|not fixed/);
      assert.equal(readFileSync(path.join(only, '.env.example'), 'utf8'), 'NODE_ENV=production\n');
      assert.equal(readFileSync(path.join(only, '.env.production.example'), 'utf8'), 'LOG_LEVEL=warn\n');
      const scan = await runCli(['scan', only, '--format', 'json']);
      const ids = (JSON.parse(scan.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
      assert.ok(!ids.includes('env.log-level'), ids.join(', '));
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });

  it('--rule limits the fixes to the named rules', async () => {
    const r = await runCli(['fix', dir, '--rule', 'k8s.probes.liveness', '--rule', 'docker.copy-not-add']);
    assert.equal(r.code, 0, r.stderr);
    const after = snapshot(dir);
    const changed = [...after].filter(([f, t]) => readFileSync(path.join(REPO, f), 'utf8') !== t).map(([f]) => f);
    assert.deepEqual(changed.sort(), ['Dockerfile', 'k8s/deployment.yaml']);
    assert.ok(after.get('k8s/deployment.yaml')!.includes('livenessProbe:'));
    assert.ok(!after.get('k8s/deployment.yaml')!.includes('readinessProbe:'));
    assert.ok(after.get('Dockerfile')!.includes('COPY src ./src') && after.get('Dockerfile')!.includes('RUN npm install'));
  });

  it('rejects an unknown rule with exit code 2', async () => {
    const r = await runCli(['fix', dir, '--rule', 'k8s.no-such-rule']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown rule "k8s.no-such-rule"/);
  });

  it('refuses to overwrite a file that changed on disk since it was read', async () => {
    const file = path.join(dir, 'Dockerfile');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before + '# edited meanwhile\n');
    const r = await writeFixes(dir, [['Dockerfile', { before, after: 'FROM scratch\n' }], ['.dockerignore', { before: undefined, after: 'node_modules\n' }]]);
    assert.deepEqual(r.written, ['.dockerignore']);
    assert.match(r.refused[0], /Dockerfile changed on disk/);
    assert.equal(readFileSync(file, 'utf8'), before + '# edited meanwhile\n');
    const created = await writeFixes(dir, [['.dockerignore', { before: undefined, after: 'x\n' }]]);
    assert.match(created.refused[0], /appeared on disk/);
  });

  it('neither reads nor writes a file that is a symbolic link to outside the folder, --dry-run included', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'shipshape-outside-'));
    const marker = 'Outside-Marker-7c41';
    const target = path.join(outside, 'ignore');
    writeFileSync(target, `node_modules\n# ${marker}\n`);
    try {
      // the fix of repo.dockerignore writes .dockerignore beside the Dockerfile: here a link to outside
      symlinkSync(target, path.join(dir, '.dockerignore'));
      for (const args of [['--dry-run'], []]) {
        const r = await runCli(['fix', dir, '--rule', 'repo.dockerignore', ...args]);
        const out = r.stdout + r.stderr;
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
        // declined with the reason, like any fix that cannot be applied
        assert.match(out, /not fixed Dockerfile:\d+ repo\.dockerignore: \.dockerignore is a symbolic link to a path outside the folder\n/);
        assert.match(out, /(Would apply|Applied) 0 fixes to 0 files; 1 not fixable automatically\./);
        assert.ok(!out.includes(marker), 'content from outside the folder in the output');
        assert.equal(readFileSync(target, 'utf8'), `node_modules\n# ${marker}\n`, 'the file outside was written');
      }
      // and a write that gets that far (the link appeared after the fixes were computed) is refused
      const w = await writeFixes(dir, [['.dockerignore', { before: undefined, after: '.git\n' }]]);
      assert.deepEqual(w.written, []);
      assert.match(w.refused[0], /^\.dockerignore is a symbolic link to a path outside the folder; not written\.$/);
      assert.equal(readFileSync(target, 'utf8'), `node_modules\n# ${marker}\n`, 'the file outside was written');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
