import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { scanFolder } from '../../src/node/host';
import { runCli } from './cliSupport';
import { REPO } from './helpers';

/**
 * Reliability of the Node host and the CLI on real folders made by the tests: user patterns that could
 * backtrack, symbolic links (outside the root, to folders, loops), config and checklists that point
 * outside the workspace or are invalid, maxFileSize, files that vanish or cannot be read.
 */

interface JsonReport {
  findings: { ruleId: string; file: string; message: string }[];
  problems: { file: string; message: string; severity: string; range?: { start: { line: number; character: number } } }[];
  items: { id: string; status: string }[];
  unaudited: { file: string; reason: string; scope: string; range?: { start: { line: number; character: number } } }[];
  summary: { unaudited: number; score: number };
}

/** Writes files (path → text; a `{ link }` entry makes a symbolic link) under a new temporary folder. */
function makeTree(files: Record<string, string | { link: string }>): string {
  const root = fs.mkdtempSync(path.join(tmpdir(), 'shipshape-rel-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(abs, content);
    else fs.symlinkSync(content.link, abs);
  }
  return root;
}

/** 0-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in the text`);
  return i;
}

const ROOT_DOCKERFILE = 'FROM node:20.11-alpine\nWORKDIR /app\nCOPY . .\nUSER root\nCMD ["node", "server.js"]\n';
const temps: string[] = [];
const tree = (files: Record<string, string | { link: string }>) => {
  const t = makeTree(files);
  temps.push(t);
  return t;
};

after(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

describe('reliability: user patterns in checklists (ReDoS)', () => {
  const LONG = `^(${'a'.repeat(297)})$`; // 301 characters
  const team = [
    'id: team',
    'title: Team rules',
    'sections:',
    '  - id: s',
    '    title: S',
    '    items:',
    '      - id: team.redos',
    '        title: Secret names',
    '        check: k8s.env-secret-literal',
    '        with:',
    '          namePattern: "(a+)+$"',
    '      - id: team.long',
    '        title: Secret env',
    '        check: docker.secret-env',
    '        with:',
    `          names: "${LONG}"`,
    '      - id: team.user',
    '        title: Non-root user',
    '        severity: error',
    '        check: docker.final-user',
    '',
  ].join('\n');

  it('a refused pattern is a located checklist error; the rest of that checklist and the others keep auditing', async () => {
    assert.equal(LONG.length, 301);
    const root = tree({
      'Dockerfile': ROOT_DOCKERFILE,
      'team.checklist.yaml': team,
      '.shipshape.yaml': 'checklists: [dockerfile, ./team.checklist.yaml]\n',
    });
    const r = await runCli(['scan', root, '--format', 'json']);
    assert.equal(r.code, 2, 'a checklist error exits 2');
    const redos = lineOf(team, 'namePattern') + 1;
    const long = lineOf(team, 'names:') + 1;
    assert.match(r.stderr, new RegExp(`team\\.checklist\\.yaml:${redos}:\\d+: Checklist: team\\.redos: with\\.namePattern: unsafe or invalid pattern: nested quantifiers`));
    assert.match(r.stderr, new RegExp(`team\\.checklist\\.yaml:${long}:\\d+: Checklist: team\\.long: with\\.names: unsafe or invalid pattern: pattern is longer than 300 characters`));
    const j = JSON.parse(r.stdout) as JsonReport;
    const ids = new Set(j.items.map((i) => i.id));
    assert.ok(!ids.has('team.redos') && !ids.has('team.long'), 'refused items are dropped');
    assert.ok(j.findings.some((f) => f.ruleId === 'team.user' && f.file === 'Dockerfile'), 'the valid item of the same checklist audits');
    assert.ok(j.findings.some((f) => f.ruleId === 'docker.user.non-root'), 'the built-in checklist audits');
    const located = j.problems.filter((p) => /unsafe or invalid pattern/.test(p.message));
    assert.equal(located.length, 2);
    for (const p of located) assert.ok(p.range && p.file === 'team.checklist.yaml');
  });

  it('a refused pattern in a config rule override is located at the override; the item is off, the rest audits', async () => {
    const config = 'rules:\n  docker.user.non-root:\n    with:\n      nonRootImages: ["(x+x+)+y"]\n  no.such.rule: off\n';
    const root = tree({ 'Dockerfile': ROOT_DOCKERFILE, '.shipshape.yaml': config });
    const r = await runCli(['scan', root, '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.shipshape\.yaml:4:\d+: Config: rules\.docker\.user\.non-root\.with\.nonRootImages\.0: unsafe or invalid pattern/);
    const j = JSON.parse(r.stdout) as JsonReport;
    assert.ok(!j.findings.some((f) => f.ruleId === 'docker.user.non-root'));
    assert.ok(j.findings.some((f) => f.ruleId === 'docker.healthcheck'), 'other items audit');
    const unknown = j.problems.find((p) => /rules\.no\.such\.rule: no item has this id/.test(p.message));
    assert.equal(unknown?.severity, 'warning');
    assert.equal(unknown?.range?.start.line, 4);
  });
});

describe('reliability: trust (nothing outside the workspace is read, nothing in it is executed)', () => {
  const SECRET = 'OUTSIDE-SECRET-7f3a9c';

  it('symbolic links, config and checklist paths pointing outside are refused, located, and nothing outside is opened', async () => {
    const base = tree({
      'outside/Dockerfile': `FROM node:20\nENV API_TOKEN=${SECRET}\n`,
      'outside/evil.checklist.yaml': `id: evil\ntitle: ${SECRET}\nsections:\n  - id: s\n    title: S\n    items:\n      - id: evil.x\n        title: X\n`,
      'outside/dir/deployment.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  PASSWORD: ${SECRET}\n`,
      'outside/.env': `DB_PASSWORD=${SECRET}\n`,
    });
    const out = path.join(base, 'outside');
    const marker = path.join(base, 'executed');
    const config = ['checklists: [dockerfile, ../outside/evil.checklist.yaml, /etc/passwd, ./linked.checklist.yaml]', 'markdown: [../outside/README.md]', ''].join('\n');
    const repo = path.join(base, 'repo');
    for (const [rel, content] of Object.entries({
      'Dockerfile': { link: path.join(out, 'Dockerfile') },
      'ext': { link: out },
      '.env': { link: path.join(out, '.env') },
      'passwd.yaml': { link: '/etc/passwd' },
      'linked.checklist.yaml': { link: path.join(out, 'evil.checklist.yaml') },
      '.shipshape.yaml': config,
      'app/Dockerfile': ROOT_DOCKERFILE,
      // workspace code that would leave a marker if anything ran it
      'package.json': JSON.stringify({ name: 'x', scripts: { preinstall: `touch ${marker}`, postinstall: `touch ${marker}`, prepare: `touch ${marker}`, test: `touch ${marker}` } }),
      'shipshape.config.js': `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');`,
      '.shipshape.js': `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');`,
      'rules.checklist.yaml': `id: js\ntitle: !!js/function "function () { require('fs').writeFileSync(${JSON.stringify(marker)}, 'x') }"\nsections: []\n`,
    } as Record<string, string | { link: string }>)) {
      const abs = path.join(repo, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      if (typeof content === 'string') fs.writeFileSync(abs, content);
      else fs.symlinkSync(content.link, abs);
    }
    // every file the scan opens for reading, through the fs functions the host uses
    const opened: string[] = [];
    // (the module object itself: the host calls through its properties, so replacing them spies on it)
    const spy = nodeFs as unknown as Record<string, (...a: unknown[]) => unknown> & { promises: Record<string, (...a: unknown[]) => unknown> };
    const realSync = spy.readFileSync;
    const realAsync = spy.promises.readFile;
    const realOpen = spy.openSync;
    spy.readFileSync = (p: unknown, ...rest: unknown[]) => {
      opened.push(String(p));
      return realSync(p, ...rest);
    };
    spy.promises.readFile = (p: unknown, ...rest: unknown[]) => {
      opened.push(String(p));
      return realAsync(p, ...rest);
    };
    spy.openSync = (p: unknown, ...rest: unknown[]) => {
      opened.push(String(p));
      return realOpen(p, ...rest);
    };
    let r: Awaited<ReturnType<typeof runCli>>;
    try {
      r = await runCli(['scan', repo, '--format', 'json', '--verbose']);
    } finally {
      spy.readFileSync = realSync;
      spy.promises.readFile = realAsync;
      spy.openSync = realOpen;
    }
    const allowed = [fs.realpathSync(repo), path.join(REPO, 'checklists')];
    const outsideReads = opened.filter((p) => !p.includes('node_modules') && !allowed.some((a) => path.resolve(p).startsWith(a + path.sep)));
    assert.deepEqual(outsideReads, [], 'files opened outside the workspace');
    assert.ok(opened.length > 0, 'the spy saw the reads');
    assert.ok(!fs.existsSync(marker), 'workspace code was executed');
    assert.equal(r.code, 2);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'content from outside the workspace leaked');
    assert.match(r.stderr, /\.shipshape\.yaml:1:\d+: Config: checklists: "\.\.\/outside\/evil\.checklist\.yaml" is outside the workspace/);
    assert.match(r.stderr, /\.shipshape\.yaml:1:\d+: Config: checklists: "\/etc\/passwd" is outside the workspace/);
    assert.match(r.stderr, /\.shipshape\.yaml:1:\d+: checklists: "\.\/linked\.checklist\.yaml" is outside the workspace/);
    assert.match(r.stderr, /\.shipshape\.yaml:2:\d+: Config: markdown: "\.\.\/outside\/README\.md" is outside the workspace/);
    const j = JSON.parse(r.stdout) as JsonReport;
    for (const link of ['Dockerfile', 'ext', '.env', 'passwd.yaml']) {
      const p = j.problems.find((x) => x.file === link);
      assert.ok(p && /symbolic link to a path outside the workspace/.test(p.message) && p.severity === 'info' && p.range, `no located info problem at ${link}`);
    }
    assert.ok(!j.findings.some((f) => f.file === 'Dockerfile' || f.file === '.env'), 'a linked file outside was audited');
    assert.ok(j.findings.some((f) => f.file === 'app/Dockerfile'), 'files inside are audited');
  });

  it('a symbolic link to a file inside the workspace is audited under its own name, once', async () => {
    const root = tree({ 'docker/Dockerfile.real': ROOT_DOCKERFILE, 'docker/base.txt': ROOT_DOCKERFILE, 'Dockerfile': { link: 'docker/base.txt' }, 'web.Dockerfile': { link: 'docker/Dockerfile.real' } });
    const { result } = await scanFolder(root);
    const files = result.findings.filter((f) => f.ruleId === 'docker.user.non-root').map((f) => f.file);
    assert.deepEqual(files, ['Dockerfile', 'docker/Dockerfile.real'], 'the link to a file the walk reads itself is not audited twice');
  });
});

describe('reliability: limits and hostile file systems', () => {
  const manifest = (n: number) =>
    Array.from({ length: n }, (_, i) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1.0.${i}\n`).join('---\n');

  it('maxFileSize (config) leaves larger files unaudited, located and counted; --max-file-size overrides it', async () => {
    const big = manifest(20);
    const root = tree({ 'k8s/big.yaml': big, 'Dockerfile': ROOT_DOCKERFILE, '.shipshape.yaml': `maxFileSize: ${big.length - 1}\n` });
    const a = await runCli(['scan', root, '--format', 'json', '--fail-on', 'never']);
    assert.equal(a.code, 0, a.stderr);
    const ja = JSON.parse(a.stdout) as JsonReport;
    const skipped = ja.unaudited.find((p) => p.file === 'k8s/big.yaml');
    assert.match(skipped?.reason ?? '', new RegExp(`Not read: ${big.length} bytes is over the ${big.length - 1}-byte limit \\(maxFileSize\\)`));
    assert.equal(skipped?.scope, 'file');
    assert.ok(skipped?.range);
    assert.equal(ja.summary.unaudited, 1);
    assert.ok(!ja.problems.some((p) => p.file === 'k8s/big.yaml'), 'reported once, as unaudited');
    assert.equal((await runCli(['scan', root])).code, 1, 'an unaudited file fails the scan by default');
    assert.ok(!ja.findings.some((f) => f.file === 'k8s/big.yaml'));
    assert.ok(ja.findings.some((f) => f.file === 'Dockerfile'), 'other files are audited');
    const b = await runCli(['scan', root, '--format', 'json', '--fail-on', 'never', '--max-file-size', String(big.length)]);
    const jb = JSON.parse(b.stdout) as JsonReport;
    assert.ok(jb.findings.some((f) => f.file === 'k8s/big.yaml'), 'the flag raised the limit');
    const c = await runCli(['scan', root, '--max-file-size', '0']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /--max-file-size must be a positive whole number/);
  });

  it('symbolic link loops (a folder linked to its parent, a link to itself, two links to each other) finish and are reported', async () => {
    const root = tree({
      'Dockerfile': ROOT_DOCKERFILE,
      'sub/up': { link: '..' },
      'sub/Dockerfile': ROOT_DOCKERFILE,
      'self.yaml': { link: 'self.yaml' },
      'a.yaml': { link: 'b.yaml' },
      'b.yaml': { link: 'a.yaml' },
    });
    const { result } = await scanFolder(root);
    const at = (file: string) => result.problems.find((p) => p.file === file);
    assert.match(at('sub/up')?.message ?? '', /symbolic link to a folder; links to folders are not followed/);
    for (const f of ['self.yaml', 'a.yaml', 'b.yaml']) assert.match(at(f)?.message ?? '', /symbolic link cannot be followed: ELOOP/, f);
    for (const f of ['sub/up', 'self.yaml', 'a.yaml', 'b.yaml']) assert.ok(at(f)?.range, `${f} not located`);
    assert.deepEqual([...new Set(result.findings.filter((f) => f.ruleId === 'docker.user.non-root').map((f) => f.file))].sort(), ['Dockerfile', 'sub/Dockerfile'], 'each real file audited once');
  });

  it('a file that vanishes between walk and read, and an unreadable file, are unaudited with a located reason; the rest is audited', async () => {
    const root = tree({ 'Dockerfile': ROOT_DOCKERFILE, 'gone/Dockerfile': ROOT_DOCKERFILE, 'locked/Dockerfile': ROOT_DOCKERFILE, '.env': 'NODE_ENV=production\n' });
    const fail = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
    const { result } = await scanFolder(root, {
      readFile: (abs) => {
        if (abs.endsWith(path.join('gone', 'Dockerfile'))) throw fail('ENOENT');
        if (abs.endsWith(path.join('locked', 'Dockerfile'))) throw fail('EACCES');
        return fs.readFileSync(abs);
      },
    });
    const gone = result.unaudited.find((p) => p.file === 'gone/Dockerfile');
    const locked = result.unaudited.find((p) => p.file === 'locked/Dockerfile');
    assert.match(gone?.reason ?? '', /vanished during the scan/);
    assert.match(locked?.reason ?? '', /permission denied \(EACCES\)/);
    assert.ok(gone?.range && locked?.range);
    assert.equal(gone?.kind, 'dockerfile');
    // the Dockerfile items that pass on the readable Dockerfile cannot pass while two are unread
    assert.ok(result.items.some((i) => i.id.startsWith('docker.') && i.status === 'unaudited'));
    assert.ok(!result.items.some((i) => i.id.startsWith('docker.') && i.status === 'pass'));
    assert.ok(result.findings.some((f) => f.file === 'Dockerfile'));
    assert.ok(!result.findings.some((f) => f.file.startsWith('gone/') || f.file.startsWith('locked/')));
  });

  it('an unreadable file on disk (chmod 000) is a located problem', async function () {
    const root = tree({ 'Dockerfile': ROOT_DOCKERFILE, 'locked/Dockerfile': ROOT_DOCKERFILE });
    const file = path.join(root, 'locked', 'Dockerfile');
    fs.chmodSync(file, 0o000);
    let readable = false;
    try {
      fs.readFileSync(file);
      readable = true;
    } catch {
      /* denied, as wanted */
    }
    const { result } = await scanFolder(root);
    fs.chmodSync(file, 0o644);
    if (readable) {
      // root (as in this container) reads any file whatever its mode; the case is covered above through the host's read function
      console.log('      (chmod 000 does not deny reads to this user, uid 0: only the simulated unreadable file above is asserted)');
      assert.ok(result.findings.some((f) => f.file === 'locked/Dockerfile'));
      return;
    }
    const p = result.problems.find((x) => x.file === 'locked/Dockerfile');
    assert.match(p?.message ?? '', /permission denied/);
    assert.ok(p?.range);
  });

  it('an invalid config and invalid checklists give located errors, exit 2, and every other checklist keeps auditing', async () => {
    const partly = [
      'id: partly',
      'title: Partly valid',
      'sections:',
      '  - id: s',
      '    title: S',
      '    items:',
      '      - id: partly.bad',
      '        title: Bad severity',
      '        severity: fatal',
      '        check: docker.final-user',
      '      - id: partly.good',
      '        title: Good',
      '        severity: error',
      '        check: docker.final-user',
      '',
    ].join('\n');
    const root = tree({
      'Dockerfile': ROOT_DOCKERFILE,
      'partly.checklist.yaml': partly,
      'broken.checklist.yaml': 'id: broken\ntitle: [unclosed\nsections: :\n',
      '.shipshape.yaml': 'checklists: [dockerfile, ./partly.checklist.yaml, ./broken.checklist.yaml]\nrules:\n  docker.healthcheck: loud\nexlude: [x]\n',
    });
    const r = await runCli(['scan', root, '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /partly\.checklist\.yaml:9:\d+: Checklist: sections\.0\.items\.0\.severity/);
    assert.match(r.stderr, /broken\.checklist\.yaml:\d+:\d+: Checklist: /);
    assert.match(r.stderr, /\.shipshape\.yaml:3:\d+: Config: rules\.docker\.healthcheck/);
    assert.match(r.stderr, /\.shipshape\.yaml:4:\d+: Config: unknown key "exlude"/);
    assert.match(r.stderr, /everything else was audited/);
    const j = JSON.parse(r.stdout) as JsonReport;
    assert.ok(j.findings.some((f) => f.ruleId === 'partly.good'), 'the valid item of the partly invalid checklist audits');
    assert.ok(!j.items.some((i) => i.id === 'partly.bad'));
    assert.ok(j.findings.some((f) => f.ruleId === 'docker.user.non-root'), 'the built-in checklist audits');
    assert.ok(j.findings.some((f) => f.ruleId === 'docker.healthcheck'), 'the invalid rule setting is dropped, not the rule');
    const text = await runCli(['scan', root]);
    assert.equal(text.code, 2);
    assert.match(text.stdout, /Problems[\s\S]*partly\.checklist\.yaml:9:\d+ +error Checklist/);
  });
});
