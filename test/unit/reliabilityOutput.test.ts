import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { jsonReportChunks, jsonWithList, LIST_PIECE, toJsonReport } from '../../src/engine/report/json';
import { MAX_PER_RULE_AND_FILE } from '../../src/engine/report/cap';
import { MAX_SARIF_RESULTS, sarifChunks, toSarif } from '../../src/engine/report/sarif';
import { toTextReport } from '../../src/engine/report/text';
import { runCli } from './cliSupport';
import { builtinChecklists } from './helpers';

/**
 * Reliability of what Shipshape prints: no secret value from the files reaches any output or log, reports
 * of half a million findings are written (not "Invalid string length"), and `scan` shows the repository's
 * Markdown checklist lines that the checks contradict, in every format.
 */

const temps: string[] = [];
function makeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(tmpdir(), 'shipshape-out-'));
  temps.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}
after(() => {
  for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
});

/** Every secret value in the fixture, by where it sits. Each is unique, so any appearance is a leak. */
const SECRETS = {
  envPassword: 'EnvPw-q7Lr2x',
  envJwt: 'EnvJwt-K3m9vT2pQ8wZ5nR1yB6c',
  envToken: 'EnvTok-h4Ns8d',
  envUrlPassword: 'UrlPw-z2Vb5k',
  k8sLiteral: 'K8sPw-m6Yt1c',
  k8sConfigMap: 'CmKey-p9Wd3f',
  k8sPem: 'PemBody-r5Gh8j',
  dockerEnv: 'DockEnv-s1Jk4l',
  dockerArg: 'DockArg-t8Qw2e',
  dockerUrl: 'DockUrl-u3Rt6y',
  envsubstDefault: 'Subst-v7Xc9b',
} as const;

const S = SECRETS;
const FILES: Record<string, string> = {
  '.env': [`NODE_ENV=development`, `DB_PASSWORD=${S.envPassword}`, `JWT_SECRET=${S.envJwt}`, `API_TOKEN="${S.envToken}"`, `DATABASE_URL=postgres://app:${S.envUrlPassword}@db:5432/app`, `PORT=3000`, ''].join('\n'),
  'package.json': JSON.stringify({ name: 'svc', version: '1.0.0', dependencies: { express: '^4.19.0', pg: '^8.11.0', jsonwebtoken: '^9.0.0' }, scripts: { start: 'node server.js' } }, null, 2) + '\n',
  'Dockerfile': ['FROM node:20', `ARG NPM_TOKEN=${S.dockerArg}`, `ENV API_KEY=${S.dockerEnv}`, `ENV DATABASE_URL=postgres://app:${S.dockerUrl}@db/app`, 'WORKDIR /app', 'COPY . .', 'RUN npm install', 'CMD node server.js', ''].join('\n'),
  'k8s/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels: { app: api }',
    '  template:',
    '    metadata:',
    '      labels: { app: api }',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: registry.example.com/api:latest',
    '          env:',
    '            - name: DB_PASSWORD',
    `              value: ${S.k8sLiteral}`,
    '            - name: TLS_KEY',
    `              value: "-----BEGIN RSA PRIVATE KEY-----\\n${S.k8sPem}\\n-----END RSA PRIVATE KEY-----"`,
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: api-config',
    'data:',
    `  SECRET_KEY: ${S.k8sConfigMap}`,
    '',
  ].join('\n'),
  // a variable filled in by envsubst, with a secret default: audited (Kubernetes passes `${…}` in a variable's value as
  // written), the finding names the variable, never its default
  'k8s/redis.yaml': ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: redis', 'spec:', '  containers:', '    - name: redis', '      image: redis:7.2', '      env:', '        - name: REDIS_PASSWORD', `          value: "\${REDIS_PASSWORD:-${S.envsubstDefault}}"`, ''].join('\n'),
  'PRODUCTION_CHECKLIST.md': ['# Production readiness checklist', '', '- [x] No secrets in Dockerfile ENV or ARG', '- [x] Secrets come from Kubernetes Secrets, not literal env values <!-- shipshape: k8s.secrets.secret-ref -->', '- [x] Database password set in production', '- [ ] Memory limits are configured', ''].join('\n'),
};

describe('reliability: no secret value reaches any output', () => {
  let root: string;
  const outputs = new Map<string, string>();

  before(async function () {
    this.timeout(120_000);
    root = makeTree(FILES);
    const run = async (name: string, argv: string[]) => {
      const r = await runCli(argv);
      outputs.set(`${name} (stdout)`, r.stdout);
      outputs.set(`${name} (stderr)`, r.stderr);
      return r;
    };
    await run('scan text --verbose', ['scan', root, '--verbose', '--fail-on', 'never']);
    await run('scan json', ['scan', root, '--format', 'json', '--fail-on', 'never']);
    await run('scan sarif', ['scan', root, '--format', 'sarif', '--fail-on', 'never']);
    await run('report markdown', ['report', root]);
    await run('report html', ['report', root, '--format', 'html']);
    await run('report --checklist-md', ['report', root, '--checklist-md', path.join(root, 'PRODUCTION_CHECKLIST.md')]);
    await run('fix --dry-run', ['fix', root, '--dry-run']);
    const file = path.join(root, 'out.sarif');
    await run('scan --output', ['scan', root, '--format', 'sarif', '--output', file, '--fail-on', 'never']);
    outputs.set('scan --output file', fs.readFileSync(file, 'utf8'));
    fs.rmSync(file);
  });

  it('the fixture holds every secret, and the rules about them fire (the test is not vacuous)', () => {
    const all = Object.values(FILES).join('\n');
    for (const s of Object.values(SECRETS)) assert.ok(all.includes(s), s);
    const j = JSON.parse(outputs.get('scan json (stdout)')!) as { findings: { ruleId: string; file: string; message: string }[] };
    const fired = new Set(j.findings.map((f) => `${f.ruleId} ${f.file}`));
    for (const want of ['docker.secrets.env-arg Dockerfile', 'k8s.secrets.secret-ref k8s/deployment.yaml']) assert.ok(fired.has(want), `${want} did not fire: ${[...fired].join(', ')}`);
    assert.ok(j.findings.some((f) => f.file === '.env'), 'no finding in .env');
    const unaudited = (JSON.parse(outputs.get('scan json (stdout)')!) as { unaudited: { file: string; reason: string }[] }).unaudited;
    assert.ok(!unaudited.some((p) => p.file === 'k8s/redis.yaml'), 'a variable filled in by envsubst leaves its manifest audited');
    assert.ok(j.findings.some((f) => f.ruleId === 'k8s.secrets.secret-ref' && f.file === 'k8s/redis.yaml' && /REDIS_PASSWORD/.test(f.message)), 'the secret default of an envsubst variable was not reported');
    assert.ok(j.findings.some((f) => f.ruleId === 'markdown.ticked-failing'), 'no Markdown mismatch');
    const diff = outputs.get('fix --dry-run (stdout)')!;
    assert.match(diff, /^@@ /m, 'fix --dry-run printed no diff');
    assert.match(diff, /•••/, 'no context line needed hiding: the diff test proves nothing');
  });

  for (const [name, secret] of Object.entries(SECRETS)) {
    it(`${name}: in no output of scan (text, JSON, SARIF), report (Markdown, HTML), fix --dry-run, nor their stderr`, () => {
      assert.ok(outputs.size >= 15);
      for (const [where, text] of outputs) assert.ok(!text.includes(secret), `${secret} appears in ${where}:\n${text.split('\n').filter((l) => l.includes(secret)).join('\n')}`);
    });
  }
});

describe('reliability: reports of a 10 MB manifest with half a million findings', () => {
  const doc = (i: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:${i}\n          env:\n            - name: MODE\n              value: "production"\n`;
  let engine: Engine;
  let findings = 0;

  before(function () {
    this.timeout(600_000);
    const parts: string[] = [];
    for (let size = 0, i = 0; size < 10 * 1024 * 1024; i++) {
      parts.push(doc(i));
      size += parts[i].length + 4;
    }
    engine = new Engine(builtinChecklists(), {}, '/repo');
    engine.upsert({ path: 'huge.yaml', text: parts.join('---\n'), kind: 'kubernetes' });
    findings = engine.audit({}).findings.length;
  });

  it('SARIF lists at most 100 results per rule and file plus a located "N more" result, and stays under the upload limit', function () {
    this.timeout(600_000);
    const result = engine.audit({});
    assert.ok(findings > 500_000, `${findings} findings`);
    const sarif = JSON.parse(toSarif(result, engine.resolvedItems, 't')) as { runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { region: { startLine: number } } }[] }[]; properties: { summary: { findings: number } } }[] };
    const run = sarif.runs[0];
    assert.equal(run.properties.summary.findings, findings, 'the summary counts every finding');
    assert.ok(run.results.length <= MAX_SARIF_RESULTS);
    const perRule = new Map<string, number>();
    for (const r of run.results) perRule.set(r.ruleId, (perRule.get(r.ruleId) ?? 0) + 1);
    for (const [rule, n] of perRule) assert.ok(n <= MAX_PER_RULE_AND_FILE + 1, `${rule}: ${n}`);
    const more = run.results.filter((r) => /more finding\(s\) of this rule in this file are not listed/.test(r.message.text));
    const byRule = new Map<string, number>();
    for (const f of result.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    assert.equal(more.length, [...byRule.values()].filter((n) => n > MAX_PER_RULE_AND_FILE).length, 'one "N more" result per rule over the cap');
    const listed = run.results.length - more.length;
    const counted = more.reduce((n, r) => n + Number(/^(\d+) more/.exec(r.message.text)?.[1]), 0);
    assert.equal(listed + counted, findings, 'listed + counted = every finding');
    for (const m of more) assert.ok(m.locations[0].physicalLocation.region.startLine > 1, 'the note is located at the first finding it stands for');
    console.log(`      ${findings} findings → ${run.results.length} SARIF results (${more.length} "N more" results)`);
  });

  it('JSON lists every finding, streamed in pieces (byte for byte what JSON.stringify gives on a small result)', function () {
    this.timeout(600_000);
    const result = engine.audit({});
    let chars = 0;
    let pieces = 0;
    let count = 0;
    for (const chunk of jsonReportChunks(result, 't')) {
      chars += chunk.length;
      pieces++;
      count += chunk.split('"ruleId": ').length - 1;
    }
    assert.equal(count, findings);
    console.log(`      JSON: ${pieces} pieces, ${(chars / 1024 / 1024).toFixed(0)} MB of text`);
    const small = new Engine(builtinChecklists(), {}, '/repo');
    small.upsert({ path: 'k.yaml', text: doc(1) + '---\n' + doc(2), kind: 'kubernetes' });
    const r = small.audit({});
    assert.ok(r.findings.length > 0 && r.problems.length === 0);
    const json = toJsonReport({ ...r, problems: [{ file: 'x', message: 'm', severity: 'info' }] }, 't');
    assert.equal(json, JSON.stringify(JSON.parse(json), null, 2) + '\n');
    assert.equal(toJsonReport({ ...r, findings: [], problems: [] }, 't'), JSON.stringify(JSON.parse(toJsonReport({ ...r, findings: [], problems: [] }, 't')), null, 2) + '\n');
  });

  it('SARIF is written in pieces too, byte for byte the text toSarif gives, in JSON.stringify\'s layout', function () {
    this.timeout(600_000);
    const result = engine.audit({});
    const pieces = [...sarifChunks(result, engine.resolvedItems, 't')];
    const text = pieces.join('');
    assert.equal(text, toSarif(result, engine.resolvedItems, 't'));
    assert.equal(text, JSON.stringify(JSON.parse(text), null, 2) + '\n');
    const results = (JSON.parse(text) as { runs: { results: unknown[] }[] }).runs[0].results.length;
    assert.ok(results > 1000, `${results} results`);
    // the text before the results, a piece per LIST_PIECE results, and the rest
    assert.equal(pieces.length, 3 + Math.ceil(results / LIST_PIECE));
  });

  it('text lists at most 100 findings per rule and file, then a located "N more" line', function () {
    this.timeout(600_000);
    const text = toTextReport(engine.audit({}), { color: false });
    const more = text.split('\n').filter((l) => /… \d+ more finding\(s\) of this rule in this file/.test(l));
    assert.ok(more.length > 0);
    for (const l of more) assert.match(l, /^ {2}\d+:\d+ /);
    assert.match(text, new RegExp(`${findings} finding\\(s\\)`));
  });
});

describe('reliability: a long list written in pieces (jsonWithList)', () => {
  const same = (value: unknown, slot: unknown[], items: unknown[]) => {
    const pieces = [...jsonWithList(value, slot, items, (x) => x)];
    slot.push(...items);
    assert.equal(pieces.join(''), JSON.stringify(value, null, 2));
    slot.length = 0;
    return pieces;
  };

  it('gives what JSON.stringify gives, at any depth and for 0, 1 or thousands of elements', () => {
    const slot: unknown[] = [];
    const nested = { a: 1, runs: [{ tool: { name: 't' }, results: slot, after: [1, { b: 'c' }] }], z: null };
    for (const n of [0, 1, 2, LIST_PIECE - 1, LIST_PIECE, LIST_PIECE + 1, 2500]) {
      const items = Array.from({ length: n }, (_, i) => ({ i, text: `line ${i}\nnext "quoted"`, list: i % 3 ? [] : [i, { deep: [i] }] }));
      const pieces = same(nested, slot, items);
      assert.equal(pieces.length, n === 0 ? 2 : 2 + Math.ceil(n / LIST_PIECE), `${n} elements: pieces`);
    }
    same({ top: slot }, slot, [1, 'two', null, [3]]);
    same(slot, slot, [{ only: true }]);
  });

  it('is not misled by a string of the value that spells its marker', () => {
    const slot: unknown[] = [];
    const value = { note: '\u0000list 0\u0000', results: slot, also: ['\u0000list 1\u0000'] };
    same(value, slot, [{ x: 1 }, { y: 2 }]);
    assert.throws(() => [...jsonWithList({ a: slot, b: slot }, slot, [1], (x) => x)], /more than once/, 'a list in two places is refused, not looped on');
  });

  it('makes the elements as it writes them, LIST_PIECE at a time', () => {
    const slot: unknown[] = [];
    let made = 0;
    const gen = jsonWithList({ results: slot }, slot, Array.from({ length: 3 * LIST_PIECE }, (_, i) => i), (i) => {
      made++;
      return { i };
    });
    gen.next();
    assert.equal(made, 0, 'nothing made before the list starts');
    gen.next();
    assert.equal(made, LIST_PIECE);
    gen.next();
    assert.equal(made, 2 * LIST_PIECE);
  });
});

describe('reliability: scan shows Markdown checklist lines the checks contradict', () => {
  const files = {
    'Dockerfile': 'FROM node:20.11-alpine\nUSER root\nCMD ["node", "s.js"]\n',
    'PRODUCTION_CHECKLIST.md': '# Production readiness checklist\n\n- [x] Containers run as a non-root user <!-- shipshape: docker.user.non-root -->\n- [x] Unknown pin <!-- shipshape: no.such.rule -->\n- [ ] Base images are pinned\n',
  };

  it('in text, JSON and SARIF alike, as warnings that count for --fail-on warning', async () => {
    const root = makeTree(files);
    const text = await runCli(['scan', root, '--fail-on', 'never']);
    assert.match(text.stdout, /PRODUCTION_CHECKLIST\.md\n {2}3:\d+ +warning Ticked, but docker\.user\.non-root fails: .*markdown\.ticked-failing/);
    assert.match(text.stdout, / {2}4:\d+ +warning Unknown rule id in pin: no\.such\.rule.*markdown\.unknown-pin/);
    const json = JSON.parse((await runCli(['scan', root, '--format', 'json', '--fail-on', 'never'])).stdout) as { findings: { ruleId: string; file: string; severity: string; range: { start: { line: number } } }[]; summary: { findings: number; warnings: number } };
    const md = json.findings.filter((f) => f.file === 'PRODUCTION_CHECKLIST.md');
    assert.deepEqual(md.map((f) => [f.ruleId, f.severity, f.range.start.line]), [
      ['markdown.ticked-failing', 'warning', 2],
      ['markdown.unknown-pin', 'warning', 3],
    ]);
    assert.equal(json.summary.findings, json.findings.length, 'the summary counts them');
    const sarif = JSON.parse((await runCli(['scan', root, '--format', 'sarif', '--fail-on', 'never'])).stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] }[] };
    const run = sarif.runs[0];
    for (const id of ['markdown.ticked-failing', 'markdown.unknown-pin']) {
      const r = run.results.find((x) => x.ruleId === id);
      assert.ok(r, id);
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, id);
    }
    // the unticked line whose check passes is a hint in the editor, not a finding
    assert.ok(!md.some((f) => f.range.start.line === 4));
    // exit code: a mismatch is a warning; with only it failing at warning level, --fail-on warning exits 1
    const clean = makeTree({ 'Dockerfile': 'FROM node:20.11-alpine\nUSER node\nHEALTHCHECK CMD wget -qO- localhost || exit 1\nCMD ["node", "s.js"]\n', '.dockerignore': 'node_modules\n.git\n.env*\n', '.shipshape.yaml': '# no CI in this tree: its repository findings are not what this test is about\nrules:\n  ci.docker-build: off\n  ci.image-scan: off\n', 'PRODUCTION_CHECKLIST.md': '# Production readiness checklist\n\n- [x] Unknown pin <!-- shipshape: no.such.rule -->\n- [x] Runs as non-root <!-- shipshape: docker.user.non-root -->\n- [x] Health check <!-- shipshape: docker.healthcheck -->\n' });
    const relaxed = await runCli(['scan', clean, '--format', 'json']);
    const strict = await runCli(['scan', clean, '--format', 'json', '--fail-on', 'warning']);
    const warnings = (JSON.parse(strict.stdout) as { findings: { ruleId: string; severity: string }[] }).findings.filter((f) => f.severity !== 'info');
    assert.deepEqual(warnings.map((f) => f.ruleId), ['markdown.unknown-pin'], 'the only warning is the Markdown one');
    assert.equal(relaxed.code, 0);
    assert.equal(strict.code, 1);
  });
});
