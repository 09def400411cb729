import * as assert from 'node:assert/strict';
import { Engine } from '../../src/engine/audit';
import type { SourceFile } from '../../src/engine/workspace';
import { builtinChecklists } from './helpers';

/**
 * Cross-object Kubernetes rules judged again after an edit of one side only: the object that changed is not the one
 * the finding sits on (a Deployment's replicas decide whether its PDB allows an eviction; a Role's rules decide whether
 * its binding is cluster-admin by another name). Each audit after an edit equals a fresh audit of the same files.
 */
const manifest = (path: string, text: string): SourceFile => ({ path, kind: 'kubernetes', text });

const pdb = manifest('k8s/pdb.yaml', ['apiVersion: policy/v1', 'kind: PodDisruptionBudget', 'metadata:', '  name: api', '  namespace: shop', 'spec:', '  minAvailable: 2', '  selector:', '    matchLabels:', '      app: api', ''].join('\n'));
const deployment = (replicas: number, namespace = 'shop') =>
  manifest('k8s/deploy.yaml', ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: api', `  namespace: ${namespace}`, 'spec:', `  replicas: ${replicas}`, '  selector:', '    matchLabels:', '      app: api', '  template:', '    metadata:', '      labels:', '        app: api', '    spec:', '      containers:', '        - name: api', '          image: registry.example.com/api:1.4.2', ''].join('\n'));
const role = (verbs: string) => manifest('k8s/role.yaml', ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: deployer', 'rules:', '  - apiGroups: ["*"]', '    resources: ["*"]', `    verbs: ${verbs}`, ''].join('\n'));
const binding = manifest('k8s/binding.yaml', ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRoleBinding', 'metadata:', '  name: deployer', 'roleRef:', '  apiGroup: rbac.authorization.k8s.io', '  kind: ClusterRole', '  name: deployer', 'subjects:', '  - kind: ServiceAccount', '    name: ci', '    namespace: ci', ''].join('\n'));

function fresh(files: readonly SourceFile[]) {
  const engine = new Engine(builtinChecklists());
  for (const f of files) engine.upsert(f);
  return engine.audit();
}

const findingsOf = (result: ReturnType<Engine['audit']>, rule: string) => result.findings.filter((f) => f.ruleId === rule).map((f) => `${f.object}: ${f.message}`);

describe('cross-object Kubernetes rules after an edit of the other object', () => {
  it('a PDB is judged again when the replicas or the namespace of the workload it covers change', () => {
    const engine = new Engine(builtinChecklists());
    for (const f of [pdb, deployment(3)]) engine.upsert(f);
    assert.deepEqual(findingsOf(engine.audit(), 'k8s.pdb.allows-eviction'), []);
    engine.upsert(deployment(2));
    const blocked = engine.audit();
    assert.deepEqual(findingsOf(blocked, 'k8s.pdb.allows-eviction'), ['PodDisruptionBudget/api: PodDisruptionBudget/api (app=api) covers Deployment/api but allows no voluntary eviction at 2 replicas (minAvailable 2); node drains and cluster upgrades will hang.']);
    assert.deepEqual(blocked, fresh([pdb, deployment(2)]));
    // moved to another namespace, the PDB no longer covers it
    engine.upsert(deployment(2, 'staging'));
    const moved = engine.audit();
    assert.deepEqual(findingsOf(moved, 'k8s.pdb.allows-eviction'), []);
    assert.deepEqual(moved, fresh([pdb, deployment(2, 'staging')]));
  });

  it('a binding is judged again when the role it names starts or stops granting everything', () => {
    const engine = new Engine(builtinChecklists());
    for (const f of [role('[get, list, watch]'), binding]) engine.upsert(f);
    assert.deepEqual(findingsOf(engine.audit(), 'k8s.rbac.no-cluster-admin-binding'), []);
    engine.upsert(role('["*"]'));
    const admin = engine.audit();
    assert.equal(findingsOf(admin, 'k8s.rbac.no-cluster-admin-binding').length, 1);
    assert.deepEqual(admin, fresh([role('["*"]'), binding]));
    engine.upsert(role('[get]'));
    assert.deepEqual(findingsOf(engine.audit(), 'k8s.rbac.no-cluster-admin-binding'), []);
  });
});
