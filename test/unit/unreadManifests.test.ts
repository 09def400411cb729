import { strict as assert } from 'node:assert';
import { auditFiles } from './helpers';

/** A Deployment of three replicas reading a ConfigMap, with an HPA whose minimum is too low. */
const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          envFrom:
            - configMapRef: { name: web-config }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 5
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: other
data:
  A: "1"
`;

/** A document of the given kind that does not parse (a duplicate key). */
const broken = (kind: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: x\n  name: y\n`;

describe('absence findings while a manifest document could not be read', () => {
  const audit = (extra: string) => auditFiles([{ path: 'app.yaml', text: APP }, { path: 'broken.yaml', text: extra }]);
  const judged = (r: ReturnType<typeof audit>, id: string) => ({ found: r.findings.filter((f) => f.ruleId === id), waiting: r.unaudited.filter((u) => u.awaiting && u.rules?.includes(id)) });

  it('read in full, the missing PodDisruptionBudget and ConfigMap are failures', () => {
    const r = audit('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    assert.equal(judged(r, 'k8s.pdb').found.length, 1);
    assert.equal(judged(r, 'k8s.env.configmap-refs').found.length, 1);
    assert.deepEqual(r.unaudited, []);
  });

  it('an unreadable PodDisruptionBudget makes "no PodDisruptionBudget selects it" unaudited, naming the document; other absences stay failures', () => {
    const r = audit(broken('PodDisruptionBudget'));
    const pdb = judged(r, 'k8s.pdb');
    assert.deepEqual(pdb.found, []);
    assert.equal(pdb.waiting.length, 1);
    assert.equal(pdb.waiting[0].awaiting, 'broken.yaml:5');
    assert.equal(pdb.waiting[0].file, 'app.yaml');
    assert.match(pdb.waiting[0].reason, /^No PodDisruptionBudget selects the pods of Deployment\/web .*Not judged: broken\.yaml:5 \(PodDisruptionBudget\) could not be read/);
    assert.equal(r.items.find((i) => i.id === 'k8s.pdb')!.status, 'unaudited');
    // a ConfigMap is no PodDisruptionBudget: the missing ConfigMap is still a failure
    assert.equal(judged(r, 'k8s.env.configmap-refs').found.length, 1);
  });

  it('an unreadable ConfigMap makes the missing reference unaudited; a finding that is no absence (the HPA minimum) stays', () => {
    const r = audit(broken('ConfigMap'));
    assert.deepEqual(judged(r, 'k8s.env.configmap-refs').found, []);
    assert.equal(judged(r, 'k8s.env.configmap-refs').waiting.length, 1);
    assert.equal(judged(r, 'k8s.pdb').found.length, 1, 'a ConfigMap is no PodDisruptionBudget');
    assert.ok(r.findings.some((f) => f.ruleId === 'k8s.hpa' && /scale down to 1 replica/.test(f.message)));
  });

  it('a document whose kind cannot be told may be anything', () => {
    const r = audit('apiVersion: v1\nkind: [\n');
    assert.deepEqual(judged(r, 'k8s.pdb').found, []);
    assert.deepEqual(judged(r, 'k8s.env.configmap-refs').found, []);
    assert.equal(r.unaudited.filter((u) => u.awaiting === undefined).length, 1, 'the broken document itself');
  });
});
