import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { envContext } from '../../src/engine/checks/env/context';
import { isPlaceholder, weakSecret, WEAK_SECRETS } from '../../src/engine/checks/env/values';
import { reportFromAudit } from '../../src/engine/markdown/readiness';
import type { AuditResult } from '../../src/engine/model';
import { parseFile } from '../../src/engine/parse';
import { toHtmlReport } from '../../src/engine/report/html';
import { toJsonReport } from '../../src/engine/report/json';
import { toMarkdownReport } from '../../src/engine/report/markdown';
import { toSarif } from '../../src/engine/report/sarif';
import { toTextReport } from '../../src/engine/report/text';
import { WorkspaceIndex } from '../../src/engine/workspace';
import { auditFiles, auditFixture, builtinChecklists, FIXTURES, kindOf } from './helpers';

const item = (r: AuditResult, id: string) => {
  const found = r.items.find((i) => i.id === id);
  assert.ok(found, `item ${id}`);
  return found;
};

describe('env rules', () => {
  it('reads values from every production source: env files, ConfigMaps, container env, compose and the final Dockerfile stage', () => {
    const files = [
      { path: '.env.production.example', text: 'LOG_LEVEL=warn\n' },
      { path: 'k8s/configmap.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  NODE_ENV: production\n' },
      { path: 'k8s/deploy.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: api:1\n          env:\n            - name: JWT_SECRET\n              valueFrom:\n                secretKeyRef: {name: s, key: jwt}\n' },
      { path: 'docker-compose.prod.yml', text: 'services:\n  api:\n    environment:\n      - CORS_ORIGIN=https://app.example.com\n' },
      { path: 'Dockerfile', text: 'FROM node:20 AS build\nENV LOG_LEVEL=debug\nFROM node:20-slim\nENV HELMET_ENABLED=true\n' },
      { path: 'k8s/overlays/dev/cfg.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dev\ndata:\n  LOG_LEVEL: debug\n' },
    ];
    const parsed = files.map((f) => parseFile({ ...f, kind: kindOf(f.path, f.text)! }));
    const ctx = envContext(new WorkspaceIndex(parsed));
    const summary = ctx.vars.map((v) => `${v.key}@${v.file}:${v.production ? 'prod' : v.nonProduction ? 'dev' : '-'}:${v.secretRef ? 'secret' : (v.value ?? '?')}`);
    assert.deepEqual(summary.sort(), [
      'CORS_ORIGIN@docker-compose.prod.yml:prod:https://app.example.com',
      'HELMET_ENABLED@Dockerfile:prod:true',
      'JWT_SECRET@k8s/deploy.yaml:prod:secret',
      'LOG_LEVEL@.env.production.example:prod:warn',
      'LOG_LEVEL@k8s/overlays/dev/cfg.yaml:dev:debug',
      'NODE_ENV@k8s/configmap.yaml:prod:production',
    ]);
    const result = auditFiles([...files, { path: 'package.json', text: '{"name":"x","dependencies":{"helmet":"1","jsonwebtoken":"9"}}' }]);
    for (const id of ['env.node-env', 'env.log-level', 'env.helmet-enabled', 'env.cors-origin', 'env.jwt-secret.length']) assert.equal(item(result, id).status, 'pass', `${id}: ${JSON.stringify(item(result, id).findings.map((f) => f.message))}`);
  });

  it('points a wrong production value at the value and names the key', () => {
    const r = auditFiles([{ path: '.env.production', text: 'NODE_ENV=production\nLOG_LEVEL=debug\n' }]);
    const [f] = item(r, 'env.log-level').findings;
    assert.equal(f.file, '.env.production');
    assert.deepEqual(f.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 15 } });
    assert.match(f.message, /^LOG_LEVEL is "debug" in a production source; use warn or error$/);
    assert.deepEqual(f.data, { key: 'LOG_LEVEL' });
  });

  it('names a few of the exposed ports and their sources when a monorepo exposes many, in ascending order', () => {
    const deploy = (i: number) => ({ path: `k8s/svc-${i}.yaml`, text: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1\n          ports:\n            - containerPort: ${8100 - i}\n` });
    const files = [{ path: '.env.example', text: 'PORT=9000\n' }, { path: 'package.json', text: '{"name":"x"}' }, ...Array.from({ length: 40 }, (_, i) => deploy(i))];
    const [f] = item(auditFiles(files), 'env.port').findings;
    assert.equal(f.file, '.env.example');
    assert.equal(f.message, 'PORT is 9000, but the deployment exposes 8061, 8062, 8063, 8064, 8065, 8066, 8067, 8068, … 32 more (k8s/svc-0.yaml containerPort; k8s/svc-1.yaml containerPort; k8s/svc-2.yaml containerPort; k8s/svc-3.yaml containerPort; k8s/svc-4.yaml containerPort; k8s/svc-5.yaml containerPort; k8s/svc-6.yaml containerPort; k8s/svc-7.yaml containerPort; … 32 more)');
  });

  it('asks a setting of the service that needs it: its own env file, else the repository, never another project\'s env file', () => {
    const files = [
      { path: 'dns/.env', text: 'TIMEZONE=Etc/UTC\nROUTER_IP=192.168.1.1\n' },
      { path: 'api/package.json', text: '{"name":"api","dependencies":{"pg":"8.11.0","express":"4.19.2"}}' },
      { path: 'api/src/.env.example', text: 'DATABASE_URL=\nPORT=3000\n' },
      { path: 'web/package.json', text: '{"name":"web","dependencies":{"ioredis":"5.4.1"}}' },
    ];
    const r = auditFiles(files);
    const at = (id: string) => r.findings.filter((f) => f.ruleId === id).map((f) => `${f.file}:${f.range.start.line}`);
    // pg is the api's: its example env file, where a new line goes
    assert.deepEqual(at('env.db.pool'), ['api/src/.env.example:1']);
    // ioredis is the web's, which has no env file: the repository
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'env.redis.password').map((f) => f.scope), ['repository']);
    // a rule of every service goes to a service's env file, not to the DNS project's
    assert.ok(r.findings.filter((f) => f.ruleId.startsWith('env.')).every((f) => !f.file.startsWith('dns/')), 'no env finding in dns/.env');
  });

  it('judges secrets by where they are: placeholders in examples, long random values in real files', () => {
    assert.ok(isPlaceholder('<generate: openssl rand -base64 48>'));
    assert.ok(isPlaceholder('your-secret-here'));
    assert.ok(isPlaceholder('${JWT_SECRET}'));
    assert.ok(!isPlaceholder('k3Jd9aQm2Lx7Vb4Nc8Rt1Yw6Pz0Hs5Gf'));
    assert.equal(weakSecret('supersecret', 32, WEAK_SECRETS), 'is a well-known default value');
    assert.equal(weakSecret('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 32, WEAK_SECRETS), 'repeats one character');
    assert.equal(weakSecret('short-but-random-9', 32, WEAK_SECRETS), 'is shorter than 32 characters (18)');
    assert.equal(weakSecret('Zq4vX9rT2mW8kP5nB7cY1dF6gH3jL0sA9eR4tU8iO2pQ', 32, WEAK_SECRETS), undefined);
    const r = auditFiles([{ path: '.env.development', text: 'JWT_SECRET=dev\n' }]);
    assert.equal(item(r, 'env.jwt-secret.length').status, 'pass', 'development files are not judged');
  });

  it('sees a real .env that a .gitignore covers as ignored, and one in another folder as committed', () => {
    const files = [
      { path: '.gitignore', text: 'node_modules\n' },
      { path: 'api/.gitignore', text: '.env\n' },
      { path: 'api/.env', text: 'PORT=3000\n' },
      { path: 'web/.env', text: 'PORT=3001\n' },
    ];
    const r = auditFiles(files);
    assert.deepEqual(item(r, 'repo.gitignore.env.committed').findings.map((f) => f.file), ['web/.env']);
  });

  it('a root .gitignore read as another kind of file is not taken for the ignore file (the check neither throws nor reads it)', () => {
    const engine = new Engine(builtinChecklists());
    engine.upsert({ path: '.gitignore', kind: 'dockerfile', text: 'FROM node:20\nUSER node\n' });
    engine.upsert({ path: '.env.example', kind: 'env', text: 'PORT=3000\n' });
    const r = engine.audit();
    assert.deepEqual(r.problems.filter((p) => /failed on this file/.test(p.message)), []);
    assert.match(item(r, 'repo.gitignore.env').findings[0]?.message ?? '', /no root \.gitignore/);
  });

  it('finds CI steps in GitHub Actions and GitLab CI, and ignores steps allowed to fail', () => {
    const gh = { path: '.github/workflows/ci.yml', text: 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci\n      - run: npm test\n        continue-on-error: true\n' };
    const gl = { path: '.gitlab-ci.yml', text: 'test:\n  script:\n    - npm ci\n    - npm test\n' };
    const pkg = { path: 'package.json', text: '{"name":"x","scripts":{"test":"jest"}}' };
    const soft = item(auditFiles([gh, pkg]), 'ci.test');
    assert.equal(soft.status, 'fail');
    assert.match(soft.findings[0].message, /may fail without failing the pipeline/);
    assert.equal(soft.findings[0].range.start.line, 6);
    assert.equal(item(auditFiles([gh, gl, pkg]), 'ci.test').status, 'pass');
  });
});

/** Secret-looking values written in this area's fixtures (env lines, compose environment, URL passwords). */
function fixtureSecrets(files: string[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const m = /^\s*-?\s*([A-Z][A-Z0-9_]*)\s*[=:]\s*(.*)$/.exec(line);
      const value = m?.[2].replace(/\s#.*$/, '').trim().replace(/^(["'])(.*)\1$/, '$2');
      // well-known weak words (postgres, changeme) also occur in rule docs; they are not secrets anyone keeps
      if (m && value && /SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE/.test(m[1]) && !isPlaceholder(value) && value.length >= 6 && !WEAK_SECRETS.includes(value.toLowerCase())) out.add(value);
      const url = /:\/\/[^:@/\s]+:([^@/\s<>]{6,})@/.exec(line);
      if (url) out.add(url[1]);
    }
  }
  return [...out];
}

function walkFiles(p: string): string[] {
  return statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => walkFiles(path.join(p, n))) : [p];
}

describe('no secret value reaches any output', () => {
  const ownChecklists = new Set(['env', 'scripts', 'repo', 'app']);
  const ids = builtinChecklists()
    .filter((c) => ownChecklists.has(c.id))
    .flatMap((c) => c.sections.flatMap((s) => s.items.filter((i) => i.check).map((i) => i.id)));
  const entries = ids.flatMap((id) => {
    const dir = path.join(FIXTURES, 'rules', id);
    try {
      return readdirSync(dir).map((n) => path.join(dir, n));
    } catch {
      return [];
    }
  });
  const withSecrets = entries.map((e) => ({ entry: e, secrets: fixtureSecrets(walkFiles(e)) })).filter((x) => x.secrets.length > 0);

  it('the fixtures do hold secrets to look for (JWT, database, Redis, API keys, URL passwords)', () => {
    const all = new Set(withSecrets.flatMap((x) => x.secrets));
    assert.ok(all.size >= 8, `found ${[...all].length} secret values`);
    assert.ok(all.has('k3Jd9aQm2Lx7Vb4Nc8Rt1Yw6Pz0Hs5Gf'), 'the JWT example secret');
    assert.ok(all.has('hunter2hunter2'), 'a password inside DATABASE_URL');
  });

  for (const { entry, secrets } of withSecrets) {
    it(`${path.relative(path.join(FIXTURES, 'rules'), entry)}: text, JSON, SARIF, Markdown and HTML reports`, async () => {
      const result = await auditFixture(entry, { strict: true });
      const engine = new Engine(builtinChecklists());
      const report = reportFromAudit(result);
      const outputs = {
        text: toTextReport(result, { color: false, verbose: true }),
        json: toJsonReport(result, '0.0.0'),
        sarif: toSarif(result, engine.resolvedItems, '0.0.0'),
        markdown: toMarkdownReport(report),
        html: toHtmlReport(report),
        messages: JSON.stringify([result.findings, result.items.map((i) => i.evidence), result.problems]),
      };
      assert.ok(result.findings.length + result.items.reduce((n, i) => n + i.evidence.length, 0) > 0, 'the fixture produces findings or evidence');
      for (const [format, text] of Object.entries(outputs)) for (const s of secrets) assert.ok(!text.includes(s), `${format} output contains a secret value from ${entry}`);
    });
  }
});
