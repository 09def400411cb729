import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Engine } from '../../src/engine/audit';
import { fixAll } from '../../src/engine/fixes/run';
import type { AuditResult } from '../../src/engine/model';
import { auditFiles, builtinChecklists, FIXTURES } from './helpers';

/** Argo Rollouts (argoproj.io): a Deployment with canary or blue-green steps, whose pod template is audited like a Deployment's. */
const DIR = path.join(FIXTURES, 'rollouts');
const files = ['rollout.yaml', 'other-rollouts.yaml'].map((p) => ({ path: p, text: readFileSync(path.join(DIR, p), 'utf8') }));

describe('Argo Rollouts are audited as workloads', () => {
  let result: AuditResult;
  const about = (ref: string) => result.findings.filter((f) => f.message.includes(ref));
  const rulesAbout = (ref: string) => new Set(about(ref).map((f) => f.ruleId));

  before(() => {
    result = auditFiles(files);
  });

  it("a Rollout's containers get the container and pod checks, at their own lines", () => {
    const web = rulesAbout('Rollout/web');
    for (const id of ['k8s.probes.liveness', 'k8s.probes.readiness', 'k8s.resources.limits.memory', 'k8s.pod-security.run-as-non-root', 'k8s.service-account.automount-token']) assert.ok(web.has(id), `${id} on Rollout/web`);
    const liveness = about('Rollout/web').find((f) => f.ruleId === 'k8s.probes.liveness')!;
    assert.equal(liveness.file, 'rollout.yaml');
    assert.equal(files[0].text.split('\n')[liveness.range.start.line].trim(), '- name: web');
  });

  it('an HPA, a PDB and a Service that target the Rollout cover it, as they would a Deployment', () => {
    const web = rulesAbout('Rollout/web');
    for (const id of ['k8s.hpa', 'k8s.hpa.target-exists', 'k8s.pdb', 'k8s.replicas.min', 'k8s.service.selects-pods']) assert.ok(!web.has(id), `${id} is met for Rollout/web`);
    assert.ok(!result.findings.some((f) => f.ruleId === 'k8s.service.selects-pods'), 'the Service selects the Rollout pods');
    // the uncovered one is reported
    const api = rulesAbout('Rollout/api');
    for (const id of ['k8s.hpa', 'k8s.pdb']) assert.ok(api.has(id), `${id} on Rollout/api`);
  });

  it("a Rollout's selector must match its template labels", () => {
    const f = about('Rollout/api').find((x) => x.ruleId === 'k8s.selector-matches-template');
    assert.ok(f, 'the mismatched selector is reported');
    assert.match(f.message, /spec\.selector \(app=api-v2\) does not match its pod template labels \(app=api\)/);
  });

  it('a Rollout that runs a Deployment (workloadRef) has no template of its own to judge; another group\'s Rollout is not one', () => {
    assert.deepEqual(about('Rollout/worker'), []);
    assert.deepEqual(about('Rollout/not-argo'), []);
    assert.deepEqual(result.unaudited, []);
  });

  it('the fixes land in the Rollout template, parse strictly, clear their findings and change nothing on a second run', () => {
    const engine = new Engine(builtinChecklists());
    for (const f of files) engine.upsert({ ...f, kind: 'kubernetes' });
    const run = fixAll(engine, { keep: true });
    const after = run.files.get('rollout.yaml')?.after;
    assert.ok(after, 'the Rollout file was fixed');
    assert.ok(run.applied.some((a) => a.ruleId === 'k8s.pod-security.run-as-non-root' && a.file === 'rollout.yaml'));
    for (const d of parseAllDocuments(after)) assert.deepEqual(d.errors, []);
    assert.match(after, /^ {10}securityContext:\n/m, 'under the container');
    const left = engine.audit().findings.filter((f) => f.file === 'rollout.yaml' && run.applied.some((a) => a.ruleId === f.ruleId && a.file === f.file));
    assert.deepEqual(left.map((f) => f.ruleId), []);
    assert.equal(fixAll(engine, { keep: true }).files.size, 0, 'a second run changes nothing');
  });
});
