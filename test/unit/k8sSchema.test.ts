import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubernetesApi, modelFor, provideKubernetesApi, validate, type KubernetesApi, type SchemaError } from '../../src/engine/checks/k8s/schema';
import { KUBERNETES_API_FILE, builtinChecklistDir } from '../../src/node/host';
import { LineIndex } from '../../src/engine/text';
import { auditFiles, builtinChecklists } from './helpers';

const k8s = () => builtinChecklists().filter((c) => c.id === 'kubernetes');
const item = (text: string, id = 'k8s.manifests.schema', file = 'deploy.yaml') => {
  const r = auditFiles([{ path: file, text }], { checklists: k8s() });
  return r.items.find((i) => i.id === id)!;
};
const covered = (text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) => {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
};

const POD = (container: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n${container}`;

describe('Kubernetes schema validation (k8s.manifests.schema)', () => {
  it('ships schema data for the common kinds, read from the checklists folder', () => {
    const api = JSON.parse(readFileSync(path.join(builtinChecklistDir(), KUBERNETES_API_FILE), 'utf8')) as KubernetesApi;
    for (const [apiVersion, kind] of [['apps/v1', 'Deployment'], ['v1', 'Service'], ['batch/v1', 'CronJob'], ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['networking.k8s.io/v1', 'Ingress'], ['policy/v1', 'PodDisruptionBudget'], ['v1', 'Event'], ['events.k8s.io/v1', 'Event']]) {
      const found = modelFor(api, { apiVersion, kind });
      assert.ok('model' in found, `${apiVersion} ${kind}: ${JSON.stringify(found)}`);
    }
    assert.notEqual(modelFor(api, { apiVersion: 'v1', kind: 'Event' }), modelFor(api, { apiVersion: 'events.k8s.io/v1', kind: 'Event' }));
    assert.deepEqual(modelFor(api, { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' }), { custom: true });
    assert.ok('unknown' in modelFor(api, { apiVersion: 'apps/v1beta2', kind: 'Deployment' }));
  });

  it('points an unknown field at its key, a wrong type at its value, a missing required field at the object that lacks it', () => {
    const text = POD('      livenesProbe:\n        tcpSocket:\n          port: 80\n      ports:\n        - containerPort: "80"\n      env:\n        - value: x\n');
    const r = item(text);
    assert.equal(r.status, 'fail');
    const byText = r.findings.map((f) => [covered(text, f.range), f.message]);
    assert.deepEqual(
      byText.map(([c]) => c),
      ['livenesProbe', '"80"', 'value'],
      JSON.stringify(byText),
    );
    assert.match(r.findings[0].message, /Unknown field `livenesProbe` in spec\.containers\[0\]/);
    assert.match(r.findings[1].message, /spec\.containers\[0\]\.ports\[0\]\.containerPort must be an integer, not a string/);
    assert.match(r.findings[2].message, /env\[0\] is missing the required field `name`/);
  });

  it('accepts quantities written as numbers, int-or-string ports, nulls and status; judges nothing inside free-form fields', () => {
    const text = POD('      resources:\n        limits:\n          cpu: 1\n          memory: 128Mi\n      livenessProbe:\n        httpGet:\n          port: http\n      readinessProbe:\n        httpGet:\n          port: 8080\n      args:\nstatus:\n  phase: Running\n  anything: goes\n');
    const r = item(text);
    assert.equal(r.status, 'pass', r.findings.map((f) => f.message).join('\n'));
  });

  it('accepts a single quantity written as a number (sizeLimit, divisor, an HPA target, a LimitRange bound), not any number where a string is wanted', () => {
    const text = [
      POD('      env:\n        - name: MEM\n          valueFrom:\n            resourceFieldRef:\n              resource: limits.memory\n              divisor: 1\n  volumes:\n    - name: scratch\n      emptyDir:\n        sizeLimit: 1\n'),
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n  maxReplicas: 5\n  metrics:\n    - type: Pods\n      pods:\n        metric: { name: queue }\n        target: { type: AverageValue, averageValue: 20 }\n    - type: External\n      external:\n        metric: { name: lag }\n        target: { type: Value, value: 100 }\n',
      'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: bounds\nspec:\n  limits:\n    - type: Container\n      max: { cpu: 2 }\n      min: { cpu: 0.1 }\n      default: { cpu: 1 }\n',
    ].join('---\n');
    const r = item(text);
    assert.equal(r.status, 'pass', r.findings.map((f) => f.message).join('\n'));
    const env = POD('      env:\n        - name: PORT\n          value: 3000\n');
    assert.deepEqual(item(env).findings.map((f) => covered(env, f.range)), ['3000'], 'an env value is a string, not a quantity');
  });

  it('rejects numbers and booleans where Kubernetes wants strings (env values, annotations)', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    enabled: true\ndata:\n  PORT: 3000\n`;
    const r = item(text);
    assert.deepEqual(r.findings.map((f) => covered(text, f.range)), ['true', '3000']);
  });

  it('lists custom resources once per kind as not validated, never as a failure', () => {
    const cr = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: a\nspec:\n  whatever: 1\n';
    const r = item(`${cr}---\n${cr.replace('name: a', 'name: b')}`);
    assert.equal(r.findings.length, 0);
    assert.equal(r.evidence.length, 1);
    assert.match(r.evidence[0].message, /ServiceMonitor \(monitoring\.coreos\.com\/v1\) is not validated/);
  });

  it('caps the errors per object', () => {
    const fields = Array.from({ length: 50 }, (_, i) => `  field${i}: x\n`).join('');
    const r = item(`apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n${fields}`);
    assert.equal(r.findings.length, 20);
  });

  it('without schema data, nothing passes quietly: the file is listed as not validated', () => {
    const saved = kubernetesApi();
    try {
      provideKubernetesApi(() => {
        throw new Error('missing');
      });
      const r = item(POD(''));
      assert.equal(r.findings.length, 0);
      assert.match(r.evidence[0]?.message ?? '', /schema data is not available/);
    } finally {
      provideKubernetesApi(() => saved);
    }
  });

  it('reads a field named like what every object inherits (`constructor`, `toString`, `__proto__`) as an unknown field, never failing the check', () => {
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  constructor: x\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      hasOwnProperty: 1\n      containers:\n        - name: web\n          image: nginx:1.27\n          __proto__: {a: 1}\n          toString: z\n`;
    const audit = auditFiles([{ path: 'deploy.yaml', text }], { checklists: k8s() });
    assert.deepEqual(audit.problems.map((p) => p.message), []);
    const r = audit.items.find((i) => i.id === 'k8s.manifests.schema')!;
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => covered(text, f.range)), ['constructor', 'hasOwnProperty', '__proto__', 'toString']);
    assert.match(r.findings[0].message, /Unknown field `constructor` in metadata/);
  });

  it('validate stops at the cap and never throws on odd values', () => {
    const api = kubernetesApi()!;
    for (const v of [null, 1, 'x', [], [[1]], { spec: [] }, { metadata: 'x' }]) {
      const errors: SchemaError[] = [];
      validate(api, v as never, 'V1Deployment', [], errors, 5);
      assert.ok(errors.length <= 5);
    }
  });
});

describe('Kubernetes manifests present (k8s.manifests.present)', () => {
  it('is not applicable without manifests, fails without a Service, passes with a workload and a Service', () => {
    assert.equal(auditFiles([{ path: 'Dockerfile', text: 'FROM node:22\n' }], { checklists: k8s() }).items.find((i) => i.id === 'k8s.manifests.present')?.status, 'not-applicable');
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: "a:1"}]\n';
    const missing = item(dep, 'k8s.manifests.present');
    assert.equal(missing.status, 'fail');
    assert.equal(missing.findings[0].message, 'The Kubernetes manifests have no Service; the app cannot run or be reached from them alone.');
    const onlyService = item('apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n', 'k8s.manifests.present');
    assert.match(onlyService.findings[0].message, /^The Kubernetes manifests have no workload \(Deployment, StatefulSet or DaemonSet\);/);
    assert.equal(item(`${dep}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n`, 'k8s.manifests.present').status, 'pass');
  });
});
