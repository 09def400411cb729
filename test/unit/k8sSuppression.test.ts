import { strict as assert } from 'node:assert';
import type { Checklist } from '../../src/engine/checklist/schema';
import type { AuditResult } from '../../src/engine/model';
import { auditFiles, builtinChecklists } from './helpers';

/** Suppressions on Kubernetes objects reach the k8s rules through their ids and aliases; --strict reports them anyway. */
const k8s = (): Checklist => builtinChecklists().find((c) => c.id === 'kubernetes')!;

function manifest(opts: { annotations?: Record<string, string>; podAnnotations?: Record<string, string>; name?: string } = {}): string {
  const block = (a: Record<string, string> | undefined, indent: string) => (a ? [`${indent}annotations:`, ...Object.entries(a).map(([k, v]) => `${indent}  ${k}: ${JSON.stringify(v)}`)] : []);
  const name = opts.name ?? 'api';
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...block(opts.annotations, '  '),
    'spec:',
    '  replicas: 1',
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    ...block(opts.podAnnotations, '      '),
    '    spec:',
    '      containers:',
    '        - name: app',
    '          image: example/app:1.0.0',
    '          readinessProbe:',
    '            httpGet: {path: /ready, port: 8080}',
    '',
  ].join('\n');
}

const run = (text: string, strict = false): AuditResult => auditFiles([{ path: 'k8s/deployment.yaml', text }], { checklists: [k8s()], strict });
const status = (r: AuditResult, id: string) => r.items.find((i) => i.id === id)?.status;

describe('kubernetes rules: suppressions', () => {
  it('without a suppression the liveness rule fails', () => {
    assert.equal(status(run(manifest()), 'k8s.probes.liveness'), 'fail');
  });

  const cases: [string, { annotations?: Record<string, string>; podAnnotations?: Record<string, string> }][] = [
    ['shipshape/ignore on the object', { annotations: { 'shipshape/ignore': 'k8s.probes.liveness' } }],
    ['shipshape/ignore on the pod template, in a list', { podAnnotations: { 'shipshape/ignore': 'k8s.replicas.min, k8s.probes.liveness' } }],
    ['kube-linter ignore-check annotation', { annotations: { 'ignore-check.kube-linter.io/no-liveness-probe': 'the sidecar checks it' } }],
    ['Polaris <check>-exempt annotation', { annotations: { 'polaris.fairwinds.com/livenessProbeMissing-exempt': 'true' } }],
    ['checkov skip annotation', { annotations: { 'checkov.io/skip1': 'CKV_K8S_8=probe lives in the mesh' } }],
  ];
  for (const [what, opts] of cases) {
    it(`${what} silences k8s.probes.liveness only; --strict reports it anyway`, () => {
      const text = manifest(opts);
      const r = run(text);
      assert.equal(status(r, 'k8s.probes.liveness'), 'pass', 'suppressed findings do not fail the item');
      assert.ok(!r.findings.some((f) => f.ruleId === 'k8s.probes.liveness'));
      assert.ok(r.summary.suppressed >= 1);
      assert.equal(status(r, 'k8s.resources.limits.memory'), 'fail', 'other rules still report');
      const strict = run(text, true);
      assert.equal(status(strict, 'k8s.probes.liveness'), 'fail');
      assert.ok(strict.findings.some((f) => f.ruleId === 'k8s.probes.liveness'));
    });
  }

  it('a Polaris exemption set to "false" does not suppress', () => {
    assert.equal(status(run(manifest({ annotations: { 'polaris.fairwinds.com/livenessProbeMissing-exempt': 'false' } })), 'k8s.probes.liveness'), 'fail');
  });

  it('a peer annotation for another check does not suppress this one', () => {
    assert.equal(status(run(manifest({ annotations: { 'ignore-check.kube-linter.io/no-readiness-probe': 'x' } })), 'k8s.probes.liveness'), 'fail');
  });

  it('annotations suppress cross-file findings about the object too (k8s.replicas.min via the kube-linter alias)', () => {
    const text = manifest({ annotations: { 'ignore-check.kube-linter.io/minimum-three-replicas': 'singleton by design' } });
    assert.equal(status(run(text), 'k8s.replicas.min'), 'pass');
    assert.equal(status(run(text, true), 'k8s.replicas.min'), 'fail');
  });

  it('an annotation covers only its own object', () => {
    const text = `${manifest({ annotations: { 'shipshape/ignore': 'k8s.probes.liveness' } })}---\n${manifest({ name: 'web' })}`;
    const f = run(text).findings.filter((x) => x.ruleId === 'k8s.probes.liveness');
    assert.deepEqual(f.map((x) => x.object), ['Deployment/web']);
  });

  it('a comment on the line above the finding suppresses it', () => {
    const text = manifest().replace('        - name: app', '        # shipshape-ignore k8s.probes.liveness -- probed by the mesh\n        - name: app');
    assert.equal(status(run(text), 'k8s.probes.liveness'), 'pass');
    assert.equal(status(run(text, true), 'k8s.probes.liveness'), 'fail');
  });
});
