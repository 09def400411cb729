import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { loadChecklist } from '../../src/engine/checklist/load';
import { Engine } from '../../src/engine/audit';
import { classifyPath } from '../../src/engine/discover';
import { parseFile } from '../../src/engine/parse';
import { services } from '../../src/engine/services';
import { toSource } from '../../src/vscode/paths';
import { WorkspaceIndex } from '../../src/engine/workspace';
import { scanFolder } from '../../src/node/host';
import { builtinChecklists, FIXTURES, SHARED } from './helpers';

const SERVICES = path.join(FIXTURES, 'services');
const DEMO = path.join(SHARED, 'corpus', 'realworld', 'microservices-demo');

/** Rules that only make sense for Node, and advice that names Node tooling. */
const NODE_RULES = ['docker.deps.npm-ci', 'docker.deps.production-only', 'env.node-env', 'env.log-level'];
const NODE_ADVICE = /USER node\b|node_modules|\bnpm\b|localhost:3000|node -e/;

async function scan(dir: string) {
  const r = await scanFolder(dir);
  const files = r.engine.paths.map((p) => r.engine.file(p)!);
  return { ...r, ws: new WorkspaceIndex(files) };
}

describe('services and where rules apply', () => {
  it('knows each Dockerfile’s runtime, base image family and the containers that run its image', async () => {
    const { ws } = await scan(SERVICES);
    const byFile = Object.fromEntries(services(ws).map((s) => [s.dockerfile, { runtimes: s.runtimes, base: s.base, name: s.name, containers: s.containers }]));
    assert.deepEqual(byFile, {
      'api/Dockerfile': { runtimes: ['go'], base: 'noShell', name: 'api', containers: ['k8s/api.yaml#Deployment/api/api'] },
      'web/Dockerfile': { runtimes: ['node'], base: 'alpine', name: 'web', containers: [] },
      'worker/Dockerfile': { runtimes: ['python'], base: 'debian', name: 'worker', containers: [] },
    });
  });

  it('Node rules and Node advice stay on the Node service', async () => {
    const { result } = await scan(SERVICES);
    const onOthers = result.findings.filter((f) => /^(api|worker)\//.test(f.file));
    assert.deepEqual(onOthers.filter((f) => NODE_RULES.includes(f.ruleId)).map((f) => `${f.ruleId} ${f.file}`), []);
    assert.deepEqual(onOthers.filter((f) => NODE_ADVICE.test(f.message)).map((f) => `${f.ruleId} ${f.file}: ${f.message}`), []);
    // the Node service still gets them
    const web = result.findings.filter((f) => f.file === 'web/Dockerfile').map((f) => f.ruleId);
    for (const id of ['docker.deps.npm-ci', 'repo.dockerignore']) assert.ok(web.includes(id), id);
    // its one `npm install` is one finding, with the devDependencies reason too
    const install = result.findings.filter((f) => f.file === 'web/Dockerfile' && f.ruleId.startsWith('docker.deps.'));
    assert.deepEqual(install.map((f) => [f.ruleId, /devDependencies/.test(f.message)]), [['docker.deps.npm-ci', true]]);
    assert.match(result.findings.find((f) => f.file === 'web/Dockerfile' && f.ruleId === 'repo.dockerignore')!.message, /node_modules/);
  });

  it('messages fit the base image: distroless gets no shell command, Python a Python probe, Go a JSON form of its own command', async () => {
    const { result } = await scan(SERVICES);
    const msg = (file: string, rule: string) => result.findings.find((f) => f.file === file && f.ruleId === rule)?.message ?? '';
    assert.match(msg('api/Dockerfile', 'docker.healthcheck'), /CMD \["\/app\/healthcheck"\].*no shell/);
    assert.doesNotMatch(msg('api/Dockerfile', 'docker.healthcheck'), /CMD (wget|curl)|\|\| exit/);
    assert.match(msg('api/Dockerfile', 'docker.user.non-root'), /USER 65532:65532/);
    assert.match(msg('api/Dockerfile', 'docker.cmd.exec-form'), /ENTRYPOINT \["\/api"\]/);
    assert.match(msg('worker/Dockerfile', 'docker.healthcheck'), /python -c .*localhost:8000\/health/);
    assert.match(msg('worker/Dockerfile', 'docker.user.non-root'), /useradd/);
    assert.match(msg('web/Dockerfile', 'docker.user.non-root'), /USER node/);
    assert.match(msg('web/Dockerfile', 'docker.healthcheck'), /localhost:3000/);
  });

  it('a repository with no Node service: Node rules are not applicable', async () => {
    const { result } = await scanFolder(path.join(SERVICES, 'api'));
    for (const id of ['env.node-env', 'env.log-level', 'docker.deps.npm-ci']) assert.equal(result.items.find((i) => i.id === id)?.status, 'not-applicable', id);
  });

  it('appliesTo is checked by the checklist schema, at the value', () => {
    const text = ['id: team', 'title: Team', 'sections:', '  - id: s', '    title: S', '    items:', '      - id: team.npm', '        title: npm ci', '        check: docker.lockfile-install', '        appliesTo: { runtime: [nodejs] }', ''].join('\n');
    const r = loadChecklist(text, 'team.checklist.yaml');
    assert.deepEqual(r.checklist?.sections[0].items.map((i) => i.id) ?? [], [], 'the item with a bad appliesTo is not loaded');
    const p = r.problems.find((x) => x.range?.start.line === 9);
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.range?.start.line, 9);
  });

  it('microservices-demo: no Node rule or Node advice on the Go, C#, Python and Java services', async () => {
    assert.ok(existsSync(DEMO), `${DEMO} is missing`);
    const { result, ws } = await scan(DEMO);
    const nodeDirs = services(ws)
      .filter((s) => s.runtimes.includes('node'))
      .map((s) => s.context);
    assert.deepEqual(nodeDirs.sort(), ['src/currencyservice', 'src/paymentservice']);
    const others = result.findings.filter((f) => f.file.startsWith('src/') && !nodeDirs.some((d) => f.file.startsWith(`${d}/`)));
    assert.deepEqual(others.filter((f) => NODE_RULES.includes(f.ruleId) || NODE_ADVICE.test(f.message)).map((f) => `${f.ruleId} ${f.file}: ${f.message}`), []);
    const runtimes = Object.fromEntries(services(ws).map((s) => [s.dockerfile, s.runtimes[0]]));
    assert.equal(runtimes['src/adservice/Dockerfile'], 'java');
    assert.equal(runtimes['src/cartservice/src/Dockerfile'], 'dotnet');
    assert.equal(runtimes['src/frontend/Dockerfile'], 'go');
    assert.equal(runtimes['src/emailservice/Dockerfile'], 'python');
  });
});

describe('services: runtimes from the build files of a build context', () => {
  const CONTEXT = path.join(FIXTURES, 'services-context');
  const status = (r: { items: { id: string; status: string }[] }, id: string) => r.items.find((i) => i.id === id)?.status;

  it('a Dockerfile whose images and commands tell no runtime takes it from go.mod, *.csproj, requirements.txt, build.gradle.kts or a Cargo.toml one folder below', async () => {
    const { ws } = await scan(CONTEXT);
    assert.deepEqual(Object.fromEntries(services(ws).map((s) => [s.dockerfile, s.runtimes])), {
      'adservice/Dockerfile': ['java'],
      'cartservice/src/Dockerfile': ['dotnet'],
      'emailservice/Dockerfile': ['python'],
      'frontend/Dockerfile': ['go'],
      'tools/Dockerfile': ['rust'],
    });
  });

  it('with every service told, Node rules are not applicable and no .dockerignore is asked for node_modules', async () => {
    const { result } = await scan(CONTEXT);
    for (const id of NODE_RULES) assert.equal(status(result, id), 'not-applicable', id);
    assert.equal(status(result, 'repo.dockerignore'), 'pass');
    assert.deepEqual(result.findings.filter((f) => NODE_ADVICE.test(f.message)).map((f) => `${f.ruleId} ${f.file}`), []);
  });

  it('the Dockerfile itself wins over the files beside it, and a build file in another service’s folder stays there', () => {
    const ws = new WorkspaceIndex(
      [
        { path: 'worker/Dockerfile', text: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n', kind: 'dockerfile' as const },
        { path: 'worker/package.json', text: '', kind: 'packageJson' as const },
        { path: 'Dockerfile', text: 'FROM alpine:3.20\nCOPY bin/app /app\n', kind: 'dockerfile' as const },
        { path: 'api/go.mod', text: '', kind: 'buildManifest' as const },
        { path: 'api/Dockerfile', text: 'FROM scratch\nCOPY app /app\n', kind: 'dockerfile' as const },
      ].map((s) => parseFile(s)),
    );
    const byFile = Object.fromEntries(services(ws).map((s) => [s.dockerfile, s.runtimes]));
    assert.deepEqual(byFile, { Dockerfile: [], 'api/Dockerfile': ['go'], 'worker/Dockerfile': ['python'] });
  });

  it('in the editor, adding or removing a go.mod changes where Node rules apply', () => {
    const engine = new Engine(builtinChecklists());
    engine.upsert({ path: 'svc/Dockerfile', text: 'FROM alpine:3.20\nCOPY app /app\nUSER 1000\nENTRYPOINT ["/app"]\n', kind: 'dockerfile' });
    engine.upsert({ path: '.env.example', text: 'PORT=8080\n', kind: 'env' });
    assert.notEqual(status(engine.audit(), 'env.node-env'), 'not-applicable', 'runtime not known: audited');
    engine.upsert({ path: 'svc/go.mod', text: '', kind: 'buildManifest' });
    assert.equal(status(engine.audit(), 'env.node-env'), 'not-applicable', 'a Go service');
    engine.remove('svc/go.mod');
    assert.notEqual(status(engine.audit(), 'env.node-env'), 'not-applicable', 'go.mod removed');
  });

  it('build files are classified by name and handed over without their text', () => {
    for (const name of ['go.mod', 'requirements.txt', 'pyproject.toml', 'Pipfile', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'cartservice.csproj', 'shop.sln', 'Gemfile', 'Cargo.toml']) {
      assert.equal(classifyPath(`svc/${name}`), 'buildManifest', name);
      assert.equal(toSource(`svc/${name}`, 'secret text')?.text, '', name);
    }
    assert.equal(classifyPath('svc/requirements-dev.in'), undefined);
  });
});
