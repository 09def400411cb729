import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FIXTURES, REPO } from './helpers';
import { runCli } from './cliSupport';

const EXAMPLE = path.join(REPO, 'examples', 'shop');
const CLI = path.join(FIXTURES, 'cli');

/** A control character other than a tab or a line end, as a terminal would receive it. */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const SENT_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('CLI', () => {
  it('no command prints usage and exits 2; --help exits 0', async () => {
    assert.equal((await runCli([])).code, 2);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /shipshape scan \[dir\]/);
    for (const argv of [['scan', '--help'], ['fix', '-h'], ['report', EXAMPLE, '--help']]) {
      const r = await runCli(argv);
      assert.equal(r.code, 0, argv.join(' '));
      assert.match(r.stdout, /--fail-on error\|warning\|info\|never/, argv.join(' '));
      assert.equal(r.stderr, '', argv.join(' '));
    }
  });

  it('an unknown option or a bad value is a usage error (exit 2) that says what to change', async () => {
    const a = await runCli(['scan', EXAMPLE, '--formatt', 'json']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /unknown option --formatt/);
    const b = await runCli(['scan', EXAMPLE, '--fail-on', 'fatal']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--fail-on must be one of error, warning, info, never/);
    const c = await runCli(['scan', path.join(CLI, 'no-such-folder')]);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /is not a folder/);
  });

  it('a config error exits 2 with file:line:col of each mistake', async () => {
    const r = await runCli(['scan', path.join(CLI, 'bad-config')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.shipshape\.yaml:2:\d+: Config: rules\.k8s\.probes\.liveness/);
    assert.match(r.stderr, /\.shipshape\.yaml:3:\d+: Config: exclude/);
  });

  it('an invalid repo checklist exits 2 with a located message', async () => {
    const r = await runCli(['scan', path.join(CLI, 'bad-checklist')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /team\.checklist\.yaml:9:19: Checklist: sections\.0\.items\.0\.severity: expected one of "error", "warning", "info"/);
  });

  it('config may not point at a checklist outside the workspace', async () => {
    const r = await runCli(['scan', path.join(CLI, 'outside')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /outside the workspace/);
  });

  it('checklist validate: ok for the built-ins, located errors and exit 2 for a bad file', async () => {
    const ok = await runCli(['checklist', 'validate', path.join(CLI, 'good.checklist.yaml')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /ok \(1 items in 1 sections\)/);
    const missing = await runCli(['checklist', 'validate', path.join(CLI, 'none.checklist.yaml')]);
    assert.equal(missing.code, 2, 'a missing file is an error');
    const bad = await runCli(['checklist', 'validate', path.join(CLI, 'bad-checklist', 'team.checklist.yaml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /:9:19: error: Checklist: /);
  });

  it('json output follows the documented contract', async () => {
    const r = await runCli(['scan', EXAMPLE, '--format', 'json', '--fail-on', 'never']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.stdout);
    assert.equal(j.tool.name, 'shipshape');
    for (const k of ['files', 'findings', 'errors', 'warnings', 'infos', 'passed', 'failed', 'manual', 'score']) assert.equal(typeof j.summary[k], 'number', k);
    assert.ok(Array.isArray(j.items) && Array.isArray(j.findings) && Array.isArray(j.problems));
    for (const f of j.findings) {
      if (f.scope === 'repository') {
        // about the repository as a whole: no file, no line
        assert.ok(!('file' in f) && !('range' in f), JSON.stringify(f));
        continue;
      }
      assert.equal(f.scope, undefined);
      assert.ok(!f.file.includes('\\') && !path.isAbsolute(f.file));
      assert.equal(typeof f.range.start.line, 'number');
    }
  });

  it('prints names from the repository without their control characters: an escape sequence in a manifest, a newline in a file name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-names-'));
    try {
      copyFileSync(path.join(FIXTURES, 'hostile-names', 'pod.yaml'), path.join(dir, 'pod\nname.yaml'));
      const r = await runCli(['scan', dir, '--fail-on', 'never', '--verbose']);
      assert.equal(r.code, 0, r.stderr);
      // only line ends are sent, and colour is off when the output is not a terminal
      assert.doesNotMatch(r.stdout + r.stderr, SENT_CONTROL);
      assert.match(r.stdout, /^pod\\u000aname\.yaml$/m, 'the file name on one line, its newline shown');
      assert.match(r.stdout, /Pod\/web\\u001b\[2J\\u001b\]0;owned\\u0007/, 'the object name with its escapes shown');
      const fix = await runCli(['fix', dir, '--dry-run', '--rule', 'k8s.probes.liveness']);
      assert.doesNotMatch(fix.stderr, SENT_CONTROL);
      assert.match(fix.stderr, /would fix pod\\u000aname\.yaml/);
      assert.match(fix.stdout, /^\+\+\+ "b\/pod\\nname\.yaml"$/m, 'the diff quotes the file name on one line, as git does');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dry run\'s diff shows the control characters of the file\'s own lines, never sends them, and keeps line ends', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-diff-'));
    try {
      // a raw escape sequence and a bell in a comment next to the edit, in a file with CRLF line ends
      const pod = readFileSync(path.join(FIXTURES, 'hostile-names', 'pod.yaml'), 'utf8').replace('      ports:', '      # \u001b[2J\u0007 owned\n      ports:').replace(/\n/g, '\r\n');
      writeFileSync(path.join(dir, 'pod.yaml'), pod);
      const fix = await runCli(['fix', dir, '--dry-run', '--rule', 'k8s.probes.liveness']);
      assert.equal(fix.code, 0, fix.stderr);
      assert.doesNotMatch(fix.stdout.replace(/\r\n/g, '\n'), SENT_CONTROL);
      assert.match(fix.stdout, /^ {7}# \\u001b\[2J\\u0007 owned\r$/m, 'the comment shown with its escapes, its CRLF line end kept');
      assert.match(fix.stdout, /^\+ +livenessProbe:\r$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--output writes the report to a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-cli-'));
    try {
      const out = path.join(dir, 'report.sarif');
      const r = await runCli(['scan', EXAMPLE, '--format', 'sarif', '--output', out, '--fail-on', 'never']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '');
      const sarif = JSON.parse(readFileSync(out, 'utf8'));
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs[0].tool.driver.name, 'shipshape');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CLI as a process', function () {
  this.timeout(60000);

  it('a reader that closes the pipe early (`| head`) ends the output quietly, with the exit code of the scan', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(REPO, 'src', 'cli', 'main.ts'), 'scan', path.join(FIXTURES, 'rules'), '--format', 'json', '--fail-on', 'never'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let read = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    // the first chunk, then the pipe is closed while much of the report is still to come
    child.stdout.once('data', (d: Buffer) => {
      read = d.length;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.ok(read > 0, 'some output was read');
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|internal error/, stderr);
    assert.equal(code, 0, stderr);
  });
});
