import { strict as assert } from 'node:assert';
import { originProblem } from '../../src/engine/checks/env/origins';
import { kindMatches, usesMatches } from '../../src/engine/checks/repo/ci';
import { imagePinProblem } from '../../src/engine/checks/repo/compose';
import type { CiStep } from '../../src/engine/parse/ci';
import { ciSteps } from '../../src/engine/parse/ci';
import { parseFile } from '../../src/engine/parse';
import type { YamlFile } from '../../src/engine/parse/yamlSupport';
import type { ParsedFile } from '../../src/engine/workspace';
import { auditFiles } from './helpers';

const step = (text: string, w?: Record<string, unknown>): CiStep => ({ file: 'ci.yml', kind: 'uses', text, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, soft: false, job: 'j', ...(w ? { with: w } : {}) });

describe('repo, CI and compose checks', () => {
  it('reads steps, jobs, environments and allowed failures from GitHub Actions, GitLab CI and CircleCI', () => {
    const gh = parseFile({ path: '.github/workflows/deploy.yml', kind: 'ciWorkflow', text: 'on: push\njobs:\n  deploy:\n    environment: production\n    continue-on-error: true\n    steps:\n      - uses: docker/login-action@v3\n        with: {registry: ghcr.io}\n      - run: |\n          kubectl apply -f k8s/\n          kubectl rollout status deployment/api\n' }) as ParsedFile<YamlFile>;
    const steps = ciSteps(gh);
    assert.deepEqual(steps.map((s) => [s.kind, s.job, s.environment, s.soft]), [['uses', 'deploy', 'production', true], ['run', 'deploy', 'production', true]]);
    assert.deepEqual(steps[0].with, { registry: 'ghcr.io' });
    assert.equal(steps[1].range.start.line, 8);
    const gl = parseFile({ path: '.gitlab-ci.yml', kind: 'ciWorkflow', text: 'stages: [test]\nvariables: {A: b}\ntest:\n  environment: {name: staging}\n  script: [npm ci, npm test]\n' }) as ParsedFile<YamlFile>;
    assert.deepEqual(ciSteps(gl).map((s) => [s.text, s.job, s.environment]), [['npm ci', 'test', 'staging'], ['npm test', 'test', 'staging']]);
    const circle = parseFile({ path: '.circleci/config.yml', kind: 'ciWorkflow', text: 'version: 2.1\njobs:\n  build:\n    steps:\n      - run:\n          name: test\n          command: npm test\n' }) as ParsedFile<YamlFile>;
    assert.deepEqual(ciSteps(circle).map((s) => s.text), ['npm test']);
  });

  it('matches actions by prefix and, with ?input, only when the input is given', () => {
    assert.ok(usesMatches(step('aquasecurity/trivy-action@0.28.0', { 'image-ref': 'api:1' }), 'aquasecurity/trivy-action?image-ref'));
    assert.ok(!usesMatches(step('aquasecurity/trivy-action@0.28.0', { 'scan-ref': '.' }), 'aquasecurity/trivy-action?image-ref'));
    assert.ok(usesMatches(step('Docker/Build-Push-Action@v6'), 'docker/build-push-action'));
    assert.ok(kindMatches('argoproj.io/v1alpha1', 'Application', 'argoproj.io/Application'));
    assert.ok(!kindMatches('kustomize.config.k8s.io/v1beta1', 'Kustomization', 'kustomize.toolkit.fluxcd.io/Kustomization'));
  });

  it('tells pinned images from floating ones', () => {
    assert.equal(imagePinProblem('postgres:16.4-alpine'), undefined);
    assert.equal(imagePinProblem('registry.example.com:5000/team/api@sha256:abc'), undefined);
    assert.equal(imagePinProblem('${IMAGE}'), undefined);
    assert.equal(imagePinProblem('registry.example.com:5000/team/api'), 'has no tag (it means :latest)');
    assert.equal(imagePinProblem('redis:latest'), 'uses the :latest tag');
  });

  it('accepts only explicit https origins for CORS', () => {
    assert.equal(originProblem('https://app.example.com, https://admin.example.com:8443', false), undefined);
    assert.equal(originProblem('*', false), 'allows any origin');
    assert.equal(originProblem('https://*.example.com', false), 'uses a wildcard origin');
    assert.equal(originProblem('https://app.example.com,http://127.0.0.1:3000', false), 'allows a localhost origin');
    assert.equal(originProblem('http://app.example.com', false), 'allows a plain http:// origin');
    assert.equal(originProblem('http://app.example.com', true), undefined);
    assert.equal(originProblem('https://app.example.com/path', false), 'has an entry that is not an origin (scheme://host[:port])');
  });

  it('checks compose services one by one and names each', () => {
    const r = auditFiles([{ path: 'docker-compose.prod.yml', text: 'services:\n  api:\n    image: api:1.2.3\n    healthcheck:\n      test: ["CMD", "true"]\n    mem_limit: 512m\n    cpus: 0.5\n  worker:\n    image: api\n' }]);
    const item = (id: string) => r.items.find((i) => i.id === id)!;
    assert.deepEqual(item('compose.healthcheck').findings.map((f) => [f.object, f.range.start.line]), [['service/worker', 7]]);
    assert.deepEqual(item('compose.image-pinned').findings.map((f) => [f.object, f.range.start.line]), [['service/worker', 8]]);
    assert.deepEqual(item('compose.resources.limits').findings.map((f) => f.message), ['Service worker sets no memory or CPU limit (deploy.resources.limits)']);
  });

  it('finds a coverage threshold in jest.config beside package.json, not in another package', () => {
    const pkg = (dir: string) => ({ path: `${dir}package.json`, text: '{"name":"x","scripts":{"test":"jest"},"devDependencies":{"jest":"29"}}' });
    const jest = { path: 'api/jest.config.ts', text: 'export default {\n  coverageThreshold: { global: { lines: 90 } },\n};\n' };
    const r = auditFiles([pkg('api/'), pkg('web/'), jest]);
    assert.deepEqual(r.items.find((i) => i.id === 'tests.coverage-threshold')!.findings.map((f) => f.file), ['web/package.json']);
  });
});
