import { strict as assert } from 'node:assert';
import { FIXES } from '../../src/engine/fixes';
import type { FixOutput } from '../../src/engine/fixes/template';
import type { Finding } from '../../src/engine/model';
import { applyEdits } from '../../src/engine/text';

const lines = (...l: string[]) => l.join('\n') + '\n';

function finding(file: string, extra: Partial<Finding> = {}): Finding {
  return { file, ruleId: 'test.rule', severity: 'warning', fixable: true, message: 'm', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, ...extra };
}

function compute(id: string, text: string, f: Finding, params: Record<string, unknown> = {}, files: Record<string, string> = {}): FixOutput {
  const fix = FIXES.get(id);
  assert.ok(fix, `fix ${id} is registered`);
  return fix.compute({ text, finding: f, params: fix.params.parse(params), readFile: (p) => files[p] });
}

/** Applies a fix to its own file and returns the new text (fails when the fix declines). */
function fixed(id: string, text: string, f: Finding, params: Record<string, unknown> = {}): string {
  const out = compute(id, text, f, params);
  if ('declined' in out) throw new Error(`declined: ${out.declined}`);
  assert.equal(out.edits.length, 1);
  assert.equal(out.edits[0].file, f.file);
  return applyEdits(text, out.edits[0].edits);
}

function declined(id: string, text: string, f: Finding, params: Record<string, unknown> = {}): string {
  const out = compute(id, text, f, params);
  assert.ok('declined' in out, `expected a refusal, got ${JSON.stringify(out)}`);
  return out.declined;
}

const DEPLOY = lines(
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  selector:',
  '    matchLabels: {app: web}',
  '  template:',
  '    spec:',
  '      containers:',
  '      - name: web',
  '        image: shop/web:1.4.2',
  '        ports:',
  '        - containerPort: 5432',
  '          name: db',
  '        - containerPort: 3000',
  '          name: http',
);
const CPATH = ['spec', 'template', 'spec', 'containers', 0];
const inWeb = (extra: Partial<Finding> = {}) => finding('k8s/deploy.yaml', { object: 'Deployment/web', container: 'web', data: { docIndex: 0, containerPath: CPATH }, ...extra });

describe('fix templates', () => {
  describe('k8s.insert-probe', () => {
    it('probes the named HTTP port with the seeds’ timings', () => {
      const out = fixed('k8s.insert-probe', DEPLOY, inWeb(), { probe: 'liveness' });
      assert.equal(out, DEPLOY + lines('        livenessProbe:', '          httpGet:', '            path: /health', '            port: http', '          initialDelaySeconds: 30', '          periodSeconds: 10', '          timeoutSeconds: 5', '          failureThreshold: 3'));
    });

    it('uses a number when the port has no name, a configured path, and readiness timings', () => {
      const text = DEPLOY.replace('          name: http\n', '');
      const out = fixed('k8s.insert-probe', text, inWeb(), { probe: 'readiness', path: '/ready' });
      assert.ok(out.endsWith(lines('        readinessProbe:', '          httpGet:', '            path: /ready', '            port: 3000', '          initialDelaySeconds: 5', '          periodSeconds: 5', '          timeoutSeconds: 3', '          successThreshold: 1', '          failureThreshold: 3')), out);
    });

    it('falls back to tcpSocket when no port is HTTP, and declines without any port', () => {
      const text = DEPLOY.split('        - containerPort: 3000')[0];
      assert.ok(fixed('k8s.insert-probe', text, inWeb(), { probe: 'startup' }).includes('        startupProbe:\n          tcpSocket:\n            port: db\n'));
      assert.match(declined('k8s.insert-probe', text.split('        ports:')[0], inWeb()), /no port/);
    });

    it('finds the document without docIndex and refuses when the container moved', () => {
      const two = `kind: ConfigMap\napiVersion: v1\n---\n${DEPLOY}`;
      const f = inWeb({ data: { containerPath: CPATH }, range: { start: { line: 12, character: 8 }, end: { line: 12, character: 12 } } });
      assert.ok(fixed('k8s.insert-probe', two, f).startsWith(two + '        livenessProbe:\n'));
      assert.match(declined('k8s.insert-probe', DEPLOY.replace('- name: web', '- name: api'), inWeb()), /moved/);
    });

    it('adds the probe to every app container for an object-level finding', () => {
      const text = DEPLOY + lines('      - name: side', '        image: side:1', '        ports:', '        - containerPort: 8080');
      const out = fixed('k8s.insert-probe', text, finding('d.yaml', { object: 'Deployment/web', data: { docIndex: 0, objectPath: [] } }));
      assert.equal(out.match(/livenessProbe:/g)?.length, 2);
      assert.ok(out.includes('            port: 8080'));
    });
  });

  describe('k8s.insert-resources', () => {
    it('completes only what is missing and keeps limits at or above requests', () => {
      const text = DEPLOY + lines('        resources:', '          requests:', '            memory: 1Gi # measured');
      const out = fixed('k8s.insert-resources', text, inWeb());
      assert.ok(out.endsWith(lines('        resources:', '          requests:', '            memory: 1Gi # measured', '            cpu: 250m', '          limits:', '            cpu: 500m', '            memory: 1Gi')), out);
    });

    it('adds requests only when asked to', () => {
      const out = fixed('k8s.insert-resources', DEPLOY, inWeb(), { parts: ['requests'] });
      assert.ok(out.endsWith(lines('        resources:', '          requests:', '            cpu: 250m', '            memory: 256Mi')), out);
      assert.match(declined('k8s.insert-resources', out, inWeb(), { parts: ['requests'] }), /already/);
    });
  });

  describe('k8s.security-context', () => {
    it('adds a full securityContext', () => {
      const out = fixed('k8s.security-context', DEPLOY, inWeb());
      assert.ok(out.endsWith(lines('        securityContext:', '          runAsNonRoot: true', '          allowPrivilegeEscalation: false', '          readOnlyRootFilesystem: true', '          capabilities:', '            drop:', '            - ALL')), out);
    });

    it('completes an existing one, correcting wrong values in place', () => {
      const text = DEPLOY + lines('        securityContext:', '          allowPrivilegeEscalation: true  # legacy', '          runAsUser: 1000');
      const out = fixed('k8s.security-context', text, inWeb(), { fields: ['allowPrivilegeEscalation', 'runAsNonRoot'] });
      assert.ok(out.endsWith(lines('        securityContext:', '          allowPrivilegeEscalation: false  # legacy', '          runAsUser: 1000', '          runAsNonRoot: true')), out);
    });

    it('declines flow style and root users', () => {
      assert.match(declined('k8s.security-context', DEPLOY + '        securityContext: {runAsUser: 1000}\n', inWeb()), /flow/);
      assert.match(declined('k8s.security-context', DEPLOY + '        securityContext:\n          runAsUser: 0\n', inWeb()), /runAsUser: 0/);
    });
  });

  describe('k8s.set-replicas / k8s.set-image-pull-policy', () => {
    const obj = finding('d.yaml', { object: 'Deployment/web', data: { docIndex: 0, objectPath: [] } });
    it('inserts replicas as the first key of spec, or corrects it', () => {
      assert.ok(fixed('k8s.set-replicas', DEPLOY, obj).includes('spec:\n  replicas: 3\n  selector:'));
      assert.ok(fixed('k8s.set-replicas', DEPLOY.replace('spec:\n  selector', 'spec:\n  replicas: 1 # dev\n  selector'), obj).includes('  replicas: 3 # dev\n'));
    });
    it('sets imagePullPolicy right after image', () => {
      assert.ok(fixed('k8s.set-image-pull-policy', DEPLOY, inWeb()).includes('        image: shop/web:1.4.2\n        imagePullPolicy: Always\n        ports:'));
      assert.ok(fixed('k8s.set-image-pull-policy', DEPLOY.replace('1.4.2\n', '1.4.2\n        imagePullPolicy: "Never"\n'), inWeb()).includes('imagePullPolicy: "Always"'));
    });
  });

  describe('Dockerfile', () => {
    const node = lines('FROM node:20-alpine AS build', 'WORKDIR /app', 'RUN npm install', 'FROM node:20-alpine', 'COPY --from=build /app /app', 'EXPOSE 3000', '# start the server', 'CMD ["node", "main.js"]');
    const df = (extra: Partial<Finding> = {}) => finding('Dockerfile', { data: { stage: 1 }, ...extra });

    it('USER: the image’s own user, before CMD and its comment', () => {
      assert.equal(fixed('docker.add-user', node, df()), node.replace('# start', 'USER node\n# start'));
    });

    it('USER: creates a system user on other images, or switches USER root', () => {
      const py = lines('FROM python:3.12-slim', 'RUN pip install x', 'CMD ["python", "app.py"]');
      assert.equal(fixed('docker.add-user', py, df()), py.replace('CMD', 'RUN groupadd --system app && useradd --system --gid app --no-create-home app\nUSER app\nCMD'));
      const alpine = lines('from alpine:3.20', 'user root', 'run apk add curl', 'cmd ["sh"]');
      assert.equal(fixed('docker.add-user', alpine, df()), lines('from alpine:3.20', 'user root', 'run apk add curl', 'run addgroup -S app && adduser -S -G app app', 'user app', 'cmd ["sh"]'), 'root is still needed by the RUN after USER root');
      const last = lines('FROM node:20', 'RUN npm ci', 'USER root', 'CMD ["node"]');
      assert.equal(fixed('docker.add-user', last, df()), last.replace('USER root', 'USER node'));
    });

    it('HEALTHCHECK on the exposed port with a tool the image has; $PORT without EXPOSE; none on distroless', () => {
      const out = fixed('docker.add-healthcheck', node, df());
      assert.ok(out.includes(`HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD node -e "require('http').get('http://localhost:3000/health'`), out);
      assert.ok(fixed('docker.add-healthcheck', node.replace('EXPOSE 3000\n', ''), df()).includes(`require('http').get('http://localhost:'+(process.env.PORT||3000)+'/health'`), 'no EXPOSE: the run-time $PORT');
      assert.ok(fixed('docker.add-healthcheck', lines('FROM alpine:3', 'EXPOSE 8080', 'CMD ["srv"]'), df()).includes('CMD wget -q -O /dev/null http://localhost:8080/health || exit 1\n'));
      assert.match(declined('docker.add-healthcheck', lines('FROM alpine:3', 'CMD ["srv"]'), df()), /exposes no port/, 'only a Node app has the $PORT convention');
      assert.match(declined('docker.add-healthcheck', lines('FROM gcr.io/distroless/nodejs22', 'CMD ["main.js"]'), df()), /distroless/);
      const deb = lines('FROM debian:12', 'RUN apt-get update && apt-get install -y --no-install-recommends curl', 'ENV PORT=8080', 'EXPOSE $PORT', 'CMD ["srv"]');
      assert.ok(fixed('docker.add-healthcheck', deb, df()).includes('CMD curl -fsS http://localhost:8080/health || exit 1\nCMD ["srv"]'));
    });

    it('HEALTHCHECK only with a tool the image has, on the port its server uses', () => {
      assert.match(declined('docker.add-healthcheck', lines('FROM debian:12', 'EXPOSE 8080', 'CMD ["srv"]'), df()), /no known HTTP client/, 'debian ships no curl');
      assert.match(declined('docker.add-healthcheck', lines('FROM ubuntu:24.04', 'EXPOSE 8080', 'CMD ["srv"]'), df()), /no known HTTP client/);
      assert.match(declined('docker.add-healthcheck', lines('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'EXPOSE 80', 'CMD ["srv.exe"]'), df()), /Windows/);
      assert.ok(fixed('docker.add-healthcheck', lines('FROM nginx:1.27', 'COPY site /usr/share/nginx/html'), df()).includes('CMD curl -fsS http://localhost:80/health || exit 1'), 'nginx listens on 80, not 3000');
      assert.ok(fixed('docker.add-healthcheck', lines('FROM python:3.12-slim', 'EXPOSE 8000', 'CMD ["python", "app.py"]'), df()).includes(`CMD python -c "import sys,urllib.request; sys.exit(0 if urllib.request.urlopen('http://localhost:8000/health'`));
    });

    it('USER depends on the base image: numeric on distroless/scratch, none on Windows or nginx, none when unknown', () => {
      for (const base of ['gcr.io/distroless/static-debian12', 'scratch', 'cgr.dev/chainguard/static']) {
        const out = fixed('docker.add-user', lines(`FROM ${base}`, 'COPY app /app', 'ENTRYPOINT ["/app"]'), df());
        assert.ok(out.includes('USER 65532:65532\nENTRYPOINT'), out);
        assert.ok(!/RUN/.test(out), 'no RUN on an image without a shell');
      }
      assert.match(declined('docker.add-user', lines('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'CMD ["app.exe"]'), df()), /Windows/);
      assert.match(declined('docker.add-user', lines('FROM nginx:1.27', 'COPY site /usr/share/nginx/html'), df()), /nginx-unprivileged/);
      assert.match(declined('docker.add-user', lines('FROM postgres:16', 'COPY init.sql /docker-entrypoint-initdb.d/'), df()), /entrypoint/);
      assert.match(declined('docker.add-user', lines('FROM registry.example.com/base:1', 'CMD ["srv"]'), df()), /cannot tell/);
      const ubi = fixed('docker.add-user', lines('FROM registry.access.redhat.com/ubi9', 'CMD ["srv"]'), df());
      assert.ok(ubi.includes('RUN groupadd --system app && useradd'), ubi);
    });

    it('npm install → npm ci, leaving installs of named packages alone', () => {
      const text = lines('FROM node:20', 'RUN npm install -g pm2 && npm install --no-audit \\', '    && npm run build');
      assert.equal(fixed('docker.npm-ci', text, df({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } } })), text.replace('npm install --no-audit', 'npm ci --no-audit'));
      assert.ok(fixed('docker.npm-ci', text, df({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } } }), { omitDev: true }).includes('npm ci --no-audit --omit=dev \\'));
    });

    it('ADD → COPY, keeping flags, but not for archives or URLs', () => {
      const text = lines('FROM alpine', 'add --chown=1:1 src /app # code', 'ADD app.tar.gz /opt/');
      const at = (line: number) => df({ range: { start: { line, character: 0 }, end: { line, character: 3 } } });
      assert.equal(fixed('docker.add-to-copy', text, at(1)), text.replace('add --chown', 'copy --chown'));
      assert.match(declined('docker.add-to-copy', text, at(2)), /archive/);
    });

    it('keeps CRLF', () => {
      const crlf = node.replace(/\n/g, '\r\n');
      assert.equal(fixed('docker.add-user', crlf, df()), crlf.replace('# start', 'USER node\r\n# start'));
    });
  });

  describe('repo.create-dockerignore', () => {
    it('creates the file next to the Dockerfile, or adds what an existing one lacks', () => {
      const out = compute('repo.create-dockerignore', 'FROM x\n', finding('svc/Dockerfile'));
      assert.ok(!('declined' in out));
      assert.deepEqual(out.edits.map((e) => [e.file, e.create]), [['svc/.dockerignore', true]]);
      assert.equal(out.edits[0].edits[0].newText, 'node_modules\n.git\n.env\n.env.*\ncoverage\nnpm-debug.log\n*.log\n');
      const more = compute('repo.create-dockerignore', 'FROM x\n', finding('Dockerfile'), {}, { '.dockerignore': 'node_modules\r\n.git' });
      assert.ok(!('declined' in more));
      assert.equal(applyEdits('node_modules\r\n.git', more.edits[0].edits), 'node_modules\r\n.git\r\n.env\r\n.env.*\r\ncoverage\r\nnpm-debug.log\r\n*.log\r\n');
    });
  });

  describe('env', () => {
    it('sets a value in place (quotes kept) or appends the key', () => {
      const text = 'NODE_ENV="development" # local\nLOG_LEVEL=debug';
      assert.equal(fixed('env.set-value', text, finding('.env.production', { data: { key: 'NODE_ENV' } }), { value: 'production' }), 'NODE_ENV="production" # local\nLOG_LEVEL=debug');
      assert.equal(fixed('env.set-value', text, finding('.env.production', { data: { key: 'LOG_LEVEL' } }), { value: 'warn' }), 'NODE_ENV="development" # local\nLOG_LEVEL=warn');
      assert.equal(fixed('env.set-value', 'A=1\r\n', finding('.env.production', { data: { key: 'DATABASE_SSL' } }), { value: 'true' }), 'A=1\r\nDATABASE_SSL=true\r\n');
    });

    it('sets the value in a Dockerfile ENV or a container env entry', () => {
      const d = lines('FROM node:20', 'ENV PORT=3000 NODE_ENV=development', 'CMD ["node"]');
      assert.equal(fixed('env.set-value', d, finding('Dockerfile', { data: { key: 'NODE_ENV' } }), { value: 'production' }), d.replace('=development', '=production'));
      assert.equal(fixed('env.set-value', lines('FROM node:20', 'CMD ["node"]'), finding('Dockerfile', { data: { key: 'NODE_ENV' } }), { value: 'production' }), lines('FROM node:20', 'ENV NODE_ENV=production', 'CMD ["node"]'));
      const k = DEPLOY + lines('        env:', '        - name: LOG_LEVEL', '          value: debug');
      assert.ok(fixed('env.set-value', k, inWeb({ data: { docIndex: 0, containerPath: CPATH, key: 'LOG_LEVEL' } }), { value: 'warn' }).endsWith('          value: warn\n'));
    });

    it('declares missing keys in the example file, creating it when absent', () => {
      assert.equal(fixed('env.add-keys', 'A=\n', finding('.env.example', { data: { key: 'JWT_SECRET' } })), 'A=\nJWT_SECRET=\n');
      const out = compute('env.add-keys', '{}', finding('package.json', { data: { keys: ['DB_HOST', 'DB_PORT'] } }), {});
      assert.ok(!('declined' in out));
      assert.deepEqual(out.edits.map((e) => [e.file, e.create, e.edits[0].newText]), [['.env.example', true, 'DB_HOST=\nDB_PORT=\n']]);
    });
  });

  describe('scripts.add-script', () => {
    const pkg = '{\n    "name": "shop",\n    "main": "dist/main.js",\n    "scripts": {\n        "build": "tsc"\n    },\n    "devDependencies": {\n        "typescript": "^5.9.0"\n    }\n}\n';
    it('adds the script in the file’s JSON style when the tool is a dependency', () => {
      const out = fixed('scripts.add-script', pkg, finding('package.json', { data: { script: 'typecheck' } }), { command: 'tsc --noEmit', requires: ['typescript'] });
      assert.equal(out, pkg.replace('"build": "tsc"\n', '"build": "tsc",\n        "typecheck": "tsc --noEmit"\n'));
    });
    it('declines when the tool is missing, and creates "scripts" when there is none', () => {
      assert.match(declined('scripts.add-script', pkg, finding('package.json'), { script: 'lint', command: 'eslint .', requires: ['eslint'] }), /eslint/);
      const bare = '{\n  "name": "x",\n  "version": "1.0.0",\n  "license": "MIT"\n}';
      assert.equal(fixed('scripts.add-script', bare, finding('package.json'), { script: 'test', command: 'node --test' }), '{\n  "name": "x",\n  "version": "1.0.0",\n  "scripts": {\n    "test": "node --test"\n  },\n  "license": "MIT"\n}');
    });
  });
});
