import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exitCode } from '../../src/cli/main';
import { Engine } from '../../src/engine/audit';
import { FIXTURES, builtinChecklists } from './helpers';
import { runCli } from './cliSupport';

const DIR = path.join(FIXTURES, 'unaudited');

interface Report {
  summary: { unaudited: number; unauditedItems: number; unauditedPolicy: string; nothingToAudit: boolean; score: number; failed: number };
  items: { id: string; status: string }[];
  unaudited: { file: string; reason: string; scope: string; kind?: string; range: { start: { line: number } } }[];
  problems: { file: string; message: string }[];
}

describe('unaudited inputs count', () => {
  it('a file that cannot be read is unaudited: located, in the JSON summary and items, against the score, failing the scan', async () => {
    const r = await runCli(['scan', path.join(DIR, 'binary'), '--format', 'json']);
    const j = JSON.parse(r.stdout) as Report;
    assert.equal(r.code, 1, 'an unaudited Dockerfile fails --fail-on error (the default)');
    const u = j.unaudited.find((x) => x.file === 'Dockerfile');
    assert.ok(u, 'the binary Dockerfile is listed as unaudited');
    assert.match(u.reason, /Binary file/);
    assert.equal(u.scope, 'file');
    assert.equal(u.kind, 'dockerfile');
    assert.equal(j.summary.unaudited, 1);
    assert.ok(!j.problems.some((p) => p.file === 'Dockerfile'), 'reported once, as unaudited, not also as a problem');
    // the items that pass on ok.Dockerfile cannot pass while another Dockerfile was not read
    const nonRoot = j.items.find((i) => i.id === 'docker.user.non-root');
    assert.equal(nonRoot?.status, 'unaudited');
    assert.ok(j.summary.unauditedItems > 0);
    assert.ok(!j.items.some((i) => i.id.startsWith('docker.') && i.status === 'pass'), 'no Dockerfile item passes');
    assert.ok(j.summary.score < 100, `score ${j.summary.score}`);
  });

  it('the text report lists what was not audited, and counts it in the summary', async () => {
    const r = await runCli(['scan', path.join(DIR, 'binary')]);
    assert.match(r.stdout, /Not audited\n {2}Dockerfile:1:1 {2}unaudited Binary file/);
    assert.match(r.stdout, /1 input\(s\) could not be audited/);
    assert.match(r.stdout, /\d+ unaudited, /);
  });

  it('unaudited: warn counts like a warning, ignore neither in the score nor the exit code (still reported)', async () => {
    const warn = await runCli(['scan', path.join(DIR, 'binary'), '--config', path.join(DIR, 'policy', 'warn.yaml'), '--format', 'json']);
    const jw = JSON.parse(warn.stdout) as Report;
    assert.equal(jw.summary.unauditedPolicy, 'warn');
    assert.equal(warn.code, 0, 'a warning does not fail --fail-on error');
    assert.equal((await runCli(['scan', path.join(DIR, 'binary'), '--config', path.join(DIR, 'policy', 'warn.yaml'), '--fail-on', 'warning'])).code, 1);
    const ignore = await runCli(['scan', path.join(DIR, 'binary'), '--config', path.join(DIR, 'policy', 'ignore.yaml'), '--format', 'json', '--fail-on', 'info']);
    const ji = JSON.parse(ignore.stdout) as Report;
    assert.equal(ji.unaudited.length, 1, 'still reported');
    const findings = (JSON.parse(ignore.stdout) as { findings: unknown[] }).findings.length;
    assert.equal(ignore.code, findings ? 1 : 0, 'only findings decide the exit code');
    assert.ok(ji.summary.score >= jw.summary.score);
  });

  it('nothing to audit is its own result: score 0, not a pass', async () => {
    const r = await runCli(['scan', path.join(DIR, 'empty'), '--format', 'json']);
    const j = JSON.parse(r.stdout) as Report;
    assert.equal(j.summary.nothingToAudit, true);
    assert.equal(j.summary.score, 0);
    assert.equal(r.code, 1);
    const text = await runCli(['scan', path.join(DIR, 'empty')]);
    assert.match(text.stdout, /Nothing to audit/);
    assert.doesNotMatch(text.stdout, /100%/);
  });

  it('SARIF lists unaudited inputs as results of their own rule, with percent-encoded URIs', async () => {
    const r = await runCli(['scan', path.join(DIR, 'sarif'), '--format', 'sarif']);
    const log = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const run = log.runs[0];
    const res = run.results.find((x) => x.ruleId === 'shipshape.unaudited');
    assert.ok(res, 'an unaudited result');
    assert.equal(res.level, 'error');
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'a%23b/Dockerfile');
    assert.ok(run.tool.driver.rules.some((x) => x.id === 'shipshape.unaudited'));
    assert.equal(r.code, 1);
  });

  it('a check that throws leaves its item unaudited on that file (not a pass)', () => {
    const engine = new Engine(builtinChecklists());
    engine.upsert({ path: 'Dockerfile', kind: 'dockerfile', text: 'FROM node:20.11.1\nUSER node\n' });
    const file = engine.file('Dockerfile')!;
    // a model the checks cannot read: every Dockerfile check throws on it
    (file as { model: unknown }).model = new Proxy({}, { get: () => { throw new Error('unreadable model'); } });
    const result = engine.audit();
    const thrown = result.unaudited.filter((u) => u.file === 'Dockerfile');
    assert.ok(thrown.length > 0 && thrown.every((u) => u.rules?.length), 'each failing check is named');
    assert.ok(result.items.filter((i) => i.id.startsWith('docker.')).every((i) => i.status !== 'pass'));
    assert.equal(exitCode(result, 'error'), 1);
  });

  it('a manifest nested deeper than the YAML parser can go is unaudited with a located reason that says so', () => {
    const engine = new Engine(builtinChecklists());
    const deep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n';
    engine.upsert({ path: 'deep.yaml', kind: 'kubernetes', text: deep });
    const result = engine.audit();
    const u = result.unaudited.find((x) => x.file === 'deep.yaml');
    assert.ok(u, 'the document is unaudited');
    assert.match(u.reason, /nested too deeply to read/);
    assert.doesNotMatch(u.reason, /syntax error|call stack/i);
    assert.equal(u.range.start.line, 3);
    assert.equal(exitCode(result, 'error'), 1);
  });

  it('scan --output naming a folder is a usage error with a message, not a stack trace', async () => {
    const r = await runCli(['scan', path.join(DIR, 'binary'), '--output', DIR]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--output ".*" is a folder; name a file/);
    assert.doesNotMatch(r.stderr, /\bat \S+ \(/, 'no stack trace');
  });

  it('a FIFO named .shipshape.yaml is reported, not read (the scan does not hang)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'shipshape-fifo-'));
    mkdirSync(path.join(root, 'app'));
    copyFileSync(path.join(DIR, 'binary', 'ok.Dockerfile'), path.join(root, 'app', 'Dockerfile'));
    execFileSync('mkfifo', [path.join(root, '.shipshape.yaml')]);
    const r = await runCli(['scan', root]);
    assert.equal(r.code, 2, 'a config that cannot be read is a configuration error');
    assert.match(r.stderr, /Cannot read config: not a regular file/);
    assert.match(r.stdout, /Readiness score/, 'the rest is still audited and reported');
  });
});
