import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { skipsFolder } from '../../src/engine/discover';
import { scanFolder } from '../../src/node/host';
import { oversizedFile, unreadableFile, unreadableFolder } from '../../src/node/unreadable';
import { walk } from '../../src/node/walk';
import { IgnoreRules } from '../../src/vscode/paths';
import { runCli } from './cliSupport';

/**
 * What the walk audits: output folders only when they are output (beside a package.json, or ignored), a
 * file reached through symbolic links once, and unreadable or oversized files as unaudited in both hosts.
 */

const DOCKERFILE = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./cmd/app\nUSER root\nCMD ["/app"]\n';
const temps: string[] = [];

function tree(files: Record<string, string | { link: string }>): string {
  const root = fs.mkdtempSync(path.join(tmpdir(), 'shipshape-walk-'));
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(abs, content);
    else fs.symlinkSync(content.link, abs);
  }
  return root;
}

after(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

describe('walk: build output folders', () => {
  it('audits build/package/Dockerfile of the Go project layout (no package.json beside build/)', async () => {
    const root = tree({ 'go.mod': 'module example.com/app\n', 'build/package/Dockerfile': DOCKERFILE, 'deployments/.keep': '' });
    const { files } = await walk(root);
    // go.mod is listed by name (it tells the runtime of a Dockerfile that copies a binary), never read
    assert.deepEqual(files.map((f) => [f.path, f.kind]), [['go.mod', 'buildManifest'], ['build/package/Dockerfile', 'dockerfile']]);
    const { result } = await scanFolder(root, { render: false });
    assert.ok(result.findings.some((f) => f.file === 'build/package/Dockerfile' && f.ruleId === 'docker.user.non-root'), 'the Dockerfile under build/ is audited');
  });

  it('skips dist, out, build and coverage beside a package.json, any folder .gitignore ignores, and dev containers', async () => {
    const root = tree({
      'package.json': '{"name":"app","scripts":{}}\n',
      'dist/Dockerfile': DOCKERFILE,
      'build/k8s.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n',
      'coverage/Dockerfile': DOCKERFILE,
      'services/api/build/Dockerfile': DOCKERFILE,
      'services/web/package.json': '{"name":"web"}\n',
      'services/web/out/Dockerfile': DOCKERFILE,
      'tools/.gitignore': 'gen/\n',
      'tools/gen/Dockerfile': DOCKERFILE,
      // a dev container's image is the editor's environment, never deployed
      '.devcontainer/Dockerfile': DOCKERFILE,
      'services/api/.devcontainer/Dockerfile': DOCKERFILE,
    });
    const { files } = await walk(root);
    assert.deepEqual(files.map((f) => f.path).sort(), ['package.json', 'services/api/build/Dockerfile', 'services/web/package.json', 'tools/.gitignore']);
  });

  it('the editor rules skip the same folders and remember them for later file events', () => {
    assert.equal(skipsFolder('build', false), false);
    assert.equal(skipsFolder('build', true), true);
    assert.equal(skipsFolder('node_modules', false), true);
    const rules = new IgnoreRules();
    assert.equal(rules.skipsFolder('web/dist', 'dist', true), true);
    assert.equal(rules.skipsFolder('build', 'build', false), false);
    assert.equal(rules.ignores('web/dist/Dockerfile'), true);
    assert.equal(rules.ignores('build/package/Dockerfile'), false);
    assert.equal(rules.ignores('node_modules/x/Dockerfile'), true);
    assert.equal(rules.ignores('.devcontainer/Dockerfile'), true);
  });
});

describe('walk: symbolic links to files inside the folder', () => {
  it('a Dockerfile reached through a link and at its own path is audited once, at its own path; the link is reported', async () => {
    const root = tree({ 'docker/Dockerfile': DOCKERFILE, 'Dockerfile': { link: 'docker/Dockerfile' }, 'app.Dockerfile': { link: 'docker/Dockerfile' } });
    const { result } = await scanFolder(root, { render: false });
    const nonRoot = result.findings.filter((f) => f.ruleId === 'docker.user.non-root');
    assert.deepEqual(nonRoot.map((f) => f.file), ['docker/Dockerfile']);
    for (const link of ['Dockerfile', 'app.Dockerfile']) {
      const p = result.problems.find((x) => x.file === link);
      assert.match(p?.message ?? '', /symbolic link to docker\/Dockerfile, which is audited at its own path/);
    }
  });

  it('two links to a file the walk does not read itself: audited once, under the first link', async () => {
    const root = tree({ 'docker/base.txt': DOCKERFILE, 'Dockerfile': { link: 'docker/base.txt' }, 'web.Dockerfile': { link: 'docker/base.txt' } });
    const { result } = await scanFolder(root, { render: false });
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'docker.user.non-root').map((f) => f.file), ['Dockerfile']);
    assert.match(result.problems.find((x) => x.file === 'web.Dockerfile')?.message ?? '', /symbolic link to Dockerfile/);
  });

  it('fix edits the real file once and the link still points at it', async () => {
    const root = tree({ 'docker/Dockerfile': DOCKERFILE, 'Dockerfile': { link: 'docker/Dockerfile' } });
    const r = await runCli(['fix', root, '--rule', 'docker.user.non-root']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout + r.stderr, /declined|changed on disk/i);
    assert.ok(fs.lstatSync(path.join(root, 'Dockerfile')).isSymbolicLink());
    const after = fs.readFileSync(path.join(root, 'docker/Dockerfile'), 'utf8');
    assert.notEqual(after, DOCKERFILE);
    const again = await scanFolder(root, { render: false });
    assert.ok(!again.result.findings.some((f) => f.ruleId === 'docker.user.non-root'));
  });
});

describe('hosts: what could not be read is unaudited, the same in the CLI and the editor', () => {
  it('oversized, unreadable and vanished files and unlistable folders are unaudited file problems at the file start', () => {
    const cases = [oversizedFile('a.yaml', 10, 5), unreadableFile('b', 'EACCES'), unreadableFile('c', 'NoPermissions'), unreadableFile('d', 'FileNotFound'), unreadableFolder('', 'EACCES')];
    for (const p of cases) {
      assert.equal(p.unaudited, 'file', p.message);
      assert.deepEqual(p.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    }
    assert.match(cases[1].message, /permission denied \(EACCES\)/);
    assert.match(cases[2].message, /permission denied \(NoPermissions\)/);
    assert.match(cases[3].message, /vanished/);
    assert.equal(cases[4].file, '.');
  });
});
