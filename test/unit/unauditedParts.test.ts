import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { auditFixture, FIXTURES } from './helpers';

const K8S = path.join(FIXTURES, 'unaudited', 'k8s');
const rulesAt = (r: Awaited<ReturnType<typeof auditFixture>>, object: string) => new Set(r.findings.filter((f) => f.object === object).map((f) => f.ruleId));

describe('unaudited parts of a manifest: only what is really templated, unparsable or wrongly typed', () => {
  it('a ${VAR} in a shell command, a {{ }} in a comment or in another document\'s alert text do not hide a privileged, hostNetwork, :latest workload', async () => {
    const r = await auditFixture(path.join(K8S, 'templated-elsewhere.yaml'));
    const worker = rulesAt(r, 'Deployment/worker');
    for (const id of ['k8s.pod-security.privileged', 'k8s.pod-security.host-network', 'k8s.image.tag-pinned']) assert.ok(worker.has(id), `${id} not reported`);
    // the really templated document is unaudited, at its placeholder, and named; the alert rule is not
    assert.equal(r.unaudited.length, 1, JSON.stringify(r.unaudited));
    const [u] = r.unaudited;
    assert.equal(u.scope, 'document');
    assert.equal(u.object, 'Deployment/api');
    assert.equal(u.range.start.line, 44);
    assert.match(u.reason, /\$\{API_IMAGE\}/);
    assert.ok(r.summary.score < 100);
  });

  it('a wrongly typed field is unaudited for the checks that read it; other containers and object checks still run', async () => {
    const r = await auditFixture(path.join(K8S, 'wrong-field-type.yaml'));
    const byReason = new Map(r.unaudited.map((u) => [u.reason, u]));
    const resources = [...byReason.values()].find((u) => /containers\[0\]\.resources should be a map, found a list/.test(u.reason));
    const sc = [...byReason.values()].find((u) => /containers\[0\]\.securityContext should be a map, found a string/.test(u.reason));
    assert.ok(resources && sc, JSON.stringify(r.unaudited));
    assert.equal(resources.scope, 'field');
    assert.equal(resources.range.start.line, 15);
    assert.ok(resources.rules?.includes('k8s.resources.limits.memory'));
    assert.ok(!resources.rules?.includes('k8s.probes.liveness'), 'only the checks that read the field');
    // the other container, the first container's other fields, and the object-level checks are judged
    const sidecar = r.findings.filter((f) => f.container === 'sidecar').map((f) => f.ruleId);
    assert.ok(sidecar.includes('k8s.pod-security.privileged') && sidecar.includes('k8s.image.tag-pinned'));
    assert.ok(r.findings.some((f) => f.container === 'web' && f.ruleId === 'k8s.probes.liveness'));
    assert.ok(r.findings.some((f) => f.ruleId === 'k8s.replicas.min'));
    // an item that found nothing else wrong but could not read the field is unaudited, not passed
    assert.equal(r.items.find((i) => i.id === 'k8s.pod-security.capabilities-add')?.status, 'unaudited');
  });

  it('a YAML syntax error leaves its document unaudited, located; the other documents are audited', async () => {
    const r = await auditFixture(path.join(K8S, 'syntax-error.yaml'));
    const [doc, ...rest] = r.unaudited.filter((u) => u.awaiting === undefined);
    assert.deepEqual(rest, []);
    assert.equal(doc.scope, 'document');
    assert.match(doc.reason, /YAML syntax error/);
    assert.ok(doc.range.start.line >= 8, 'in the broken document');
    assert.ok(!r.items.some((i) => i.id.startsWith('k8s.') && i.status === 'pass'), 'no Kubernetes item passes');
    // the broken document is a Deployment: whether the Service selects its pods cannot be told, so it is not a failure
    const selector = r.unaudited.find((u) => u.awaiting !== undefined)!;
    assert.equal(selector.awaiting, `syntax-error.yaml:${doc.range.start.line + 1}`);
    assert.equal(selector.range.start.line, 5, 'at the Service selector');
    assert.match(selector.reason, /^Service\/good: the selector app=good matches the pod labels of no workload .*Not judged: syntax-error\.yaml:\d+ \(Deployment\) could not be read/);
    assert.deepEqual(selector.rules, ['k8s.service.selects-pods']);
    assert.ok(!r.findings.some((f) => f.ruleId === 'k8s.service.selects-pods'));
  });

  it('JSON and flow-style manifests in .yaml files are recognised and audited', async () => {
    const json = await auditFixture(path.join(K8S, 'json-in.yaml'));
    assert.ok(rulesAt(json, 'Pod/flow').has('k8s.pod-security.host-network'));
    const flow = await auditFixture(path.join(K8S, 'flow-style.yaml'));
    assert.ok(rulesAt(flow, 'Pod/flowstyle').has('k8s.pod-security.host-pid'));
  });

  it('a suppression comment inside a YAML string (a script in a block scalar, a quoted value) suppresses nothing', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'unaudited', 'suppress', 'script-in-configmap.yaml'));
    assert.equal(r.summary.suppressed, 0);
    assert.ok(rulesAt(r, 'Pod/web').has('k8s.pod-security.host-network'));
  });

  it('a USER set at build time is unaudited at the USER, not a pass', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'unaudited', 'docker-build-time-user'));
    assert.equal(r.items.find((i) => i.id === 'docker.user.non-root')?.status, 'unaudited');
    const u = r.unaudited.find((x) => x.rules?.includes('docker.user.non-root'));
    assert.equal(u?.range.start.line, 4);
    assert.match(u?.reason ?? '', /USER \$\{APP_USER\} is set at build time/);
  });

  it('secret names like DB_PASS and token values like ghp_… and sk_live_… are flagged, naming the key only', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'unaudited', 'secrets', 'tokens.yaml'));
    const msgs = r.findings.filter((f) => f.ruleId === 'k8s.secrets.secret-ref').map((f) => f.message);
    for (const key of ['DB_PASS', 'GITHUB', 'BILLING']) assert.ok(msgs.some((m) => m.includes(`variable ${key} `)), key);
    assert.ok(!msgs.some((m) => m.includes('PASSAGE_COUNT')));
    assert.ok(!msgs.some((m) => /ghp_|sk_live_|correct-horse/.test(m)), 'no value in a message');
  });
});
