import { strict as assert } from 'node:assert';
import { chmodSync, cpSync, linkSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { unifiedDiff } from '../../src/cli/fix';
import { Engine } from '../../src/engine/audit';
import { fixAll } from '../../src/engine/fixes/run';
import { strictProblem } from '../../src/engine/fixes/verify';
import { loadChecklist } from '../../src/engine/checklist/load';
import { runCli } from './cliSupport';
import { builtinChecklists, FIXTURES, kindOf } from './helpers';

const SAFETY = path.join(FIXTURES, 'fix', '_safety');

function engineWith(files: Record<string, string>): Engine {
  const engine = new Engine(builtinChecklists());
  for (const [p, text] of Object.entries(files)) engine.upsert({ path: p, text, kind: kindOf(p, text)! });
  return engine;
}

describe('fix safety: the combined result of a file’s fixes', function () {
  this.timeout(120000);

  it('several fixes filling the same empty {} of a JSON manifest give valid JSON with every key', () => {
    const text = readFileSync(path.join(SAFETY, 'pod-empty-maps.json'), 'utf8');
    const r = fixAll(engineWith({ 'pod.json': text }), { keep: true });
    const after = r.files.get('pod.json')?.after;
    assert.ok(after, `nothing fixed; declined: ${JSON.stringify(r.declined)}`);
    const pod = JSON.parse(after) as { spec: { containers: { resources: Record<string, unknown>; securityContext: Record<string, unknown> }[] } };
    const c = pod.spec.containers[0];
    assert.deepEqual(Object.keys(c.resources).sort(), ['limits', 'requests']);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.ok(r.applied.filter((a) => /resources|pod-security/.test(a.ruleId)).length >= 4);
  });

  it('three scripts filled into an empty "scripts": {} give a package.json npm can read', () => {
    const text = readFileSync(path.join(SAFETY, 'package-empty-scripts.json'), 'utf8');
    const r = fixAll(engineWith({ 'package.json': text }), { keep: true });
    const after = r.files.get('package.json')?.after;
    assert.ok(after, `nothing fixed; declined: ${JSON.stringify(r.declined)}`);
    const pkg = JSON.parse(after) as { scripts: Record<string, string> };
    assert.ok(Object.keys(pkg.scripts).length >= 3, after);
    assert.equal(fixAll(engineWith({ 'package.json': after }), { keep: true }).files.size, 0, 'a second run changes nothing');
  });

  it('a fix that does not clear its finding is left out, and the other fixes of its file are kept', () => {
    const team = loadChecklist(readFileSync(path.join(SAFETY, 'replicas-five.checklist.yaml'), 'utf8'), 'team.checklist.yaml');
    assert.deepEqual(team.problems, []);
    const text = readFileSync(path.join(SAFETY, 'deployment-two-fixes.yaml'), 'utf8');
    const engine = new Engine([...builtinChecklists(), team.checklist!]);
    engine.upsert({ path: 'api.yaml', text, kind: 'kubernetes' });
    const r = fixAll(engine, { keep: true });
    const declined = r.declined.filter((d) => d.ruleId === 'team.replicas.five');
    assert.equal(declined.length, 1, JSON.stringify(r.declined));
    assert.match(declined[0].reason, /did not clear the finding/);
    assert.ok(r.declined.every((d) => d.ruleId === 'team.replicas.five' || !/team\.replicas\.five/.test(d.reason)), JSON.stringify(r.declined));
    const after = r.files.get('api.yaml')?.after;
    assert.ok(after, `the file's other fixes were not kept; declined: ${JSON.stringify(r.declined)}`);
    assert.ok(r.applied.some((a) => a.ruleId.startsWith('k8s.resources')), JSON.stringify(r.applied));
    assert.ok(!r.applied.some((a) => a.ruleId === 'team.replicas.five'));
    const doc = parseAllDocuments(after)[0];
    assert.deepEqual(doc.errors, []);
    assert.equal(doc.getIn(['spec', 'replicas']), 3, 'the built-in replicas fix is kept; the one that did not clear its finding left no edit');
    assert.ok(doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'resources']), 'resources were filled in');
    const again = new Engine([...builtinChecklists(), team.checklist!]);
    again.upsert({ path: 'api.yaml', text: after, kind: 'kubernetes' });
    assert.equal(fixAll(again, { keep: true }).files.size, 0, 'a second run changes nothing');
  });

  it('a file whose keys are duplicated is not fixed, with the reason; a fix that would duplicate a key is declined', () => {
    const text = readFileSync(path.join(SAFETY, 'duplicate-keys.yaml'), 'utf8');
    const engine = engineWith({ 'dup.yaml': text });
    // the document is unaudited at the second key, so no check reads it and no fix is offered into it
    const unaudited = engine.audit().unaudited;
    assert.equal(unaudited.length, 1);
    assert.equal(unaudited[0].range.start.line, 8);
    assert.match(unaudited[0].reason, /Duplicate key "image" \(first at line 8\)/);
    const r = fixAll(engine, { keep: true });
    assert.equal(r.files.size, 0);
    assert.ok(r.declined.every((d) => /duplicate key at line 9/.test(d.reason)), JSON.stringify(r.declined));
    assert.match(strictProblem('x.yaml', 'a:\n  b: 1\n  b: 2\n', 'kubernetes') ?? '', /duplicate key at line 3/);
    assert.equal(strictProblem('x.yaml', 'base: &b {x: 1}\nc:\n  <<: *b\n  x: 2\n', 'kubernetes'), undefined, 'a merge key overriding a value is not a duplicate');
  });

  it('`key: # comment` gets a boolean, not a string glued to the comment', () => {
    const text = readFileSync(path.join(FIXTURES, 'fix', 'k8s.pod-security.allow-privilege-escalation', 'fail-empty-with-comment.yaml'), 'utf8');
    const r = fixAll(engineWith({ 'pod.yaml': text }), { keep: true, rules: new Set(['k8s.pod-security.allow-privilege-escalation']) });
    const doc = parseAllDocuments(r.files.get('pod.yaml')!.after)[0].toJS() as { spec: { containers: { securityContext: { allowPrivilegeEscalation: unknown } }[] } };
    assert.equal(doc.spec.containers[0].securityContext.allowPrivilegeEscalation, false);
  });

  it('an insertion after a |+ block scalar keeps the scalar’s value', () => {
    const text = readFileSync(path.join(FIXTURES, 'fix', 'k8s.probes.readiness', 'fail-keep-chomping.yaml'), 'utf8');
    const r = fixAll(engineWith({ 'pod.yaml': text }), { keep: true });
    const value = (t: string) => (parseAllDocuments(t)[0].toJS() as { spec: { containers: { args: string[] }[] } }).spec.containers[0].args[1];
    assert.equal(value(r.files.get('pod.yaml')!.after), value(text));
    assert.equal(value(text), 'welcome\n\n\n');
  });

  it('Dockerfile fixes follow the base image: none for Windows, nginx or a debian image without curl, with the reason', () => {
    const r = fixAll(engineWith({ Dockerfile: readFileSync(path.join(SAFETY, 'nginx.Dockerfile'), 'utf8') }), { keep: true, rules: new Set(['docker.user.non-root', 'docker.healthcheck']) });
    assert.ok(!r.applied.some((a) => a.ruleId === 'docker.user.non-root'), 'no USER app in nginx');
    assert.match(r.declined.find((d) => d.ruleId === 'docker.user.non-root')?.reason ?? '', /nginx-unprivileged/);
    assert.match(r.files.get('Dockerfile')?.after ?? '', /HEALTHCHECK .* CMD curl -fsS http:\/\/localhost:80\/health/, 'nginx is probed on its own port');
    const win = fixAll(engineWith({ Dockerfile: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY app.exe C:/app/\nCMD ["C:/app/app.exe"]\n' }), { keep: true, rules: new Set(['docker.user.non-root', 'docker.healthcheck']) });
    assert.equal(win.files.size, 0);
    assert.ok(win.declined.some((d) => d.ruleId === 'docker.user.non-root' && /Windows/.test(d.reason)), JSON.stringify(win.declined));
  });
});

describe('fix safety: shipshape fix on disk', function () {
  this.timeout(120000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'shipshape-safety-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps a Latin-1 Dockerfile’s bytes outside the edit', async () => {
    const bytes = Buffer.concat([Buffer.from('FROM node:22-alpine\n# Caf'), Buffer.from([0xe9]), Buffer.from(' \u00ab'.replace('\u00ab', ''), 'latin1'), Buffer.from([0xab, 0xbb]), Buffer.from('\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node", "main.js"]\n')]);
    writeFileSync(path.join(dir, 'Dockerfile'), bytes);
    writeFileSync(path.join(dir, 'package-lock.json'), '{}\n');
    const r = await runCli(['fix', dir, '--rule', 'docker.deps.npm-ci']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const after = readFileSync(path.join(dir, 'Dockerfile'));
    assert.deepEqual(after, Buffer.from(bytes.toString('latin1').replace('RUN npm install', 'RUN npm ci'), 'latin1'));
  });

  it('keeps a byte order mark and CRLF line endings, and a second run finds the file unchanged', async () => {
    const text = readFileSync(path.join(FIXTURES, 'fix', 'k8s.probes.liveness', 'fail-null-key.yaml'), 'utf8').replace(/\n/g, '\r\n');
    writeFileSync(path.join(dir, 'pod.yaml'), '\uFEFF' + text);
    const r = await runCli(['fix', dir, '--rule', 'k8s.probes.liveness']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stderr, /changed on disk/);
    assert.match(r.stdout, /k8s\.probes\.liveness: Add livenessProbe .*\(changes behaviour: the kubelet restarts the container when the probe fails/, 'a fix that changes behaviour says so');
    const after = readFileSync(path.join(dir, 'pod.yaml'), 'utf8');
    assert.ok(after.startsWith('\uFEFFapiVersion'), 'BOM kept');
    assert.ok(!/[^\r]\n/.test(after), 'CRLF kept');
    assert.match(after, /livenessProbe: # to do\r\n {8}httpGet:/);
    const again = await runCli(['fix', dir, '--rule', 'k8s.probes.liveness']);
    assert.match(again.stdout, /Applied 0 fixes/);
  });

  it('reads and fixes a UTF-16 manifest (what Windows PowerShell `>` writes) in UTF-16, its byte order mark and CRLF kept', async () => {
    const text = readFileSync(path.join(FIXTURES, 'fix', 'k8s.probes.liveness', 'fail-null-key.yaml'), 'utf8').replace(/\n/g, '\r\n');
    const bytes = (t: string): Buffer => Buffer.from('\uFEFF' + t, 'utf16le');
    writeFileSync(path.join(dir, 'utf16le.yaml'), bytes(text));
    // another pod, so that the two are not one object written twice
    const other = text.replace('name: web', 'name: api');
    writeFileSync(path.join(dir, 'utf16be.yaml'), bytes(other).swap16());
    const scan = await runCli(['scan', dir, '--format', 'json', '--fail-on', 'never']);
    const report = JSON.parse(scan.stdout) as { findings: { ruleId: string; file: string }[]; unaudited: unknown[]; problems: { file: string; message: string }[] };
    for (const f of ['utf16le.yaml', 'utf16be.yaml']) {
      assert.ok(report.findings.some((x) => x.file === f && x.ruleId === 'k8s.probes.liveness'), `${f} is read as a manifest`);
      assert.ok(!report.problems.some((p) => p.file === f), JSON.stringify(report.problems));
    }
    const r = await runCli(['fix', dir, '--rule', 'k8s.probes.liveness']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const le = readFileSync(path.join(dir, 'utf16le.yaml'));
    assert.deepEqual([...le.subarray(0, 2)], [0xff, 0xfe], 'little-endian byte order mark kept');
    const after = le.toString('utf16le');
    assert.match(after, /livenessProbe: # to do\r\n {8}httpGet:/);
    assert.ok(!/[^\r]\n/.test(after), 'CRLF kept');
    const be = readFileSync(path.join(dir, 'utf16be.yaml'));
    assert.deepEqual([...be.subarray(0, 2)], [0xfe, 0xff], 'big-endian byte order mark kept');
    assert.equal(Buffer.from(be).swap16().toString('utf16le'), after.replace('name: web', 'name: api'), 'both written alike');
    const again = await runCli(['fix', dir, '--rule', 'k8s.probes.liveness']);
    assert.match(again.stdout, /Applied 0 fixes/);
  });

  it('refuses a read-only file instead of making it writable, and writes in place (mode and hard links kept)', async () => {
    cpSync(path.join(FIXTURES, 'fix', 'k8s.probes.liveness', 'fail-null-key.yaml'), path.join(dir, 'ro.yaml'));
    cpSync(path.join(FIXTURES, 'fix', 'k8s.probes.liveness', 'fail-null-key.yaml'), path.join(dir, 'linked.yaml'));
    chmodSync(path.join(dir, 'ro.yaml'), 0o444);
    chmodSync(path.join(dir, 'linked.yaml'), 0o640);
    linkSync(path.join(dir, 'linked.yaml'), path.join(dir, 'other-name.txt'));
    const before = readFileSync(path.join(dir, 'ro.yaml'), 'utf8');
    const r = await runCli(['fix', dir, '--rule', 'k8s.probes.liveness']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ro\.yaml is read-only; not written/);
    assert.equal(readFileSync(path.join(dir, 'ro.yaml'), 'utf8'), before);
    assert.equal(statSync(path.join(dir, 'ro.yaml')).mode & 0o777, 0o444);
    const linked = readFileSync(path.join(dir, 'linked.yaml'), 'utf8');
    assert.match(linked, /httpGet/);
    assert.equal(readFileSync(path.join(dir, 'other-name.txt'), 'utf8'), linked, 'the hard link sees the fix');
    assert.equal(statSync(path.join(dir, 'linked.yaml')).nlink, 2);
    assert.equal(statSync(path.join(dir, 'linked.yaml')).mode & 0o777, 0o640);
  });

  it('--dry-run never prints a secret value, on added, removed or context lines', async () => {
    cpSync(path.join(SAFETY, 'secrets'), dir, { recursive: true });
    const r = await runCli(['fix', dir, '--dry-run']);
    assert.match(r.stdout, /\+RUN echo "\/\/registry\.npmjs\.org\/:_authToken=•••/, r.stdout);
    for (const secret of ['npm_9f8e7d6c5b4a', 'two words secret', 'unterminated secret', 'line-two-secret', 's3cr3t-pw']) assert.ok(!(r.stdout + r.stderr).includes(secret), `${secret} printed:\n${r.stdout}`);
  });

  it('the diff hides quoted values with spaces, unterminated quotes, multi-line values and URL passwords', () => {
    const before = ['A: 1', 'DB_PASSWORD: "two words secret"', "API_TOKEN: 'unterminated secret", '  continued-secret', 'private_key: |', '  line-one-secret', '  line-two-secret', 'url: postgres://u:pw-secret@db/x', 'B: 2', ''].join('\n');
    const after = before.replace('A: 1', 'A: 1\nC: 3').replace('B: 2', 'B: 2\nclient_secret: "added secret value"');
    const diff = unifiedDiff('x.yaml', before, after);
    for (const s of ['two words secret', 'unterminated secret', 'continued-secret', 'line-one-secret', 'line-two-secret', 'pw-secret', 'added secret value']) assert.ok(!diff.includes(s), `${s} shown:\n${diff}`);
    assert.match(diff, /^\+client_secret: •••$/m);
    assert.match(diff, /^ DB_PASSWORD: •••$/m);
    assert.match(diff, /^ url: postgres:\/\/u:•••@db\/x$/m);
    assert.match(diff, /^ B: 2$/m, 'other lines are shown as they are');
    const env = ['A=1', 'PRIVATE_KEY="-----BEGIN KEY-----', 'env-key-secret', '-----END KEY-----"', 'B=2', ''].join('\n');
    const envDiff = unifiedDiff('.env', env, env.replace('B=2', 'B=2\nC=3'));
    assert.ok(!envDiff.includes('env-key-secret') && !envDiff.includes('END KEY'), envDiff);
    assert.match(envDiff, /^ B=2$/m);
  });
});
