import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseKubernetes } from '../../src/engine/parse/kubernetes';
import { auditFixture, FIXTURES } from './helpers';
import { fixFixture } from './fixHelpers';

/**
 * YAML merge keys are resolved as Kubernetes, Compose and GitLab CI resolve them (checks see the merged
 * values; squiggles point at the merge key that brings a value in), and a fix never writes a key beside a
 * merge key that supplies it. A duplicate key leaves its document (or package.json) unaudited at the second key.
 */

const MERGE = path.join(FIXTURES, 'yaml-merge');
const DUP = path.join(FIXTURES, 'duplicate-keys');
const lineOf = (file: string, needle: string, nth = 0): number => readFileSync(file, 'utf8').split('\n').map((l, i) => (l.includes(needle) ? i : -1)).filter((i) => i >= 0)[nth];

describe('YAML merge keys', () => {
  it('probes, resources and a security context that come through <<: *base count; <<: *sc with privileged: true is flagged', async () => {
    const r = await auditFixture(path.join(MERGE, 'deployment.yaml'));
    const byContainer = (c: string) => new Set(r.findings.filter((f) => f.container === c).map((f) => f.ruleId));
    for (const c of ['web', 'sidecar', 'privileged']) {
      const ids = byContainer(c);
      for (const id of ['k8s.probes.liveness', 'k8s.probes.readiness', 'k8s.resources.limits.memory', 'k8s.resources.limits.cpu', 'k8s.pod-security.run-as-non-root', 'k8s.pod-security.read-only-root-filesystem'])
        assert.ok(!ids.has(id), `${c}: ${id} reported although the merge key supplies it`);
    }
    assert.ok(!r.findings.some((f) => f.ruleId === 'k8s.manifests.schema'), 'a merge key is not an unknown field');
    const priv = r.findings.find((f) => f.ruleId === 'k8s.pod-security.privileged');
    assert.equal(priv?.container, 'privileged');
    assert.equal(priv.range.start.line, lineOf(path.join(MERGE, 'deployment.yaml'), 'privileged: true'));
    // a merged value's finding points at the merge key that brings it in
    const port = r.findings.find((f) => f.ruleId === 'k8s.pod-security.privileged-ports' && f.container === 'sidecar');
    assert.equal(port?.range.start.line, lineOf(path.join(MERGE, 'deployment.yaml'), '<<: *base'));
    assert.equal(r.unaudited.length, 0);
  });

  it('the compose x-defaults idiom gives no findings for what the anchor supplies; a service without it still does', async () => {
    const r = await auditFixture(MERGE);
    const compose = r.findings.filter((f) => f.file === 'docker-compose.yml');
    assert.deepEqual([...new Set(compose.map((f) => f.message.split(' ')[1]))], ['bare'], JSON.stringify(compose.map((f) => f.message)));
    assert.ok(compose.some((f) => f.ruleId === 'compose.healthcheck'));
  });

  it('a fix never writes a second key beside a merge key that supplies it: declined with the reason; fixes of own keys apply', async () => {
    const partial = await fixFixture(path.join(MERGE, 'partial.yaml'));
    const declined = partial.result.declined.find((d) => d.ruleId === 'k8s.resources.limits.cpu');
    assert.match(declined?.reason ?? '', /resources comes from a merge key \(<<\) at line \d+; a resources written here would replace the merged one/);
    const after = partial.texts.get('partial.yaml')!;
    assert.equal((after.match(/^\s+resources:/gm) ?? []).length, 1, after);
    const strict = parseAllDocuments(after, { uniqueKeys: true, merge: true });
    assert.deepEqual(strict.flatMap((d) => d.errors), []);
    const deployment = await fixFixture(path.join(MERGE, 'deployment.yaml'), { rules: new Set(['k8s.pod-security.privileged']) });
    assert.match(deployment.texts.get('deployment.yaml')!, /<<: \*sc\n {12}privileged: false\n/);
    assert.ok(!deployment.audit().findings.some((f) => f.ruleId === 'k8s.pod-security.privileged'));
  });
});

describe('YAML documents that cannot be read as data', () => {
  it('a merge key whose value is not a map, and an alias bomb, leave the document unaudited with the reason', () => {
    const merge = parseKubernetes('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  <<: text\nspec: {}\n', 'p.yaml').problems;
    assert.equal(merge.length, 1);
    assert.equal(merge[0].unaudited, 'document');
    assert.match(merge[0].message, /Merge sources must be maps or map aliases; it is not audited/);
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill('*' + String.fromCharCode(96 + i)).join(', ')}]`);
    const bomb = parseKubernetes(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata:\n${lines.map((l) => '  ' + l).join('\n')}\n`, 'm.yaml').problems;
    assert.match(bomb[0]?.message ?? '', /expands too many aliases/);
  });
});

describe('duplicate keys', () => {
  it('YAML: the document is unaudited at the second key; the other document of the file is audited', async () => {
    const r = await auditFixture(path.join(DUP, 'pod.yaml'));
    assert.equal(r.unaudited.length, 1, JSON.stringify(r.unaudited));
    const [u] = r.unaudited;
    assert.equal(u.scope, 'document');
    assert.equal(u.range.start.line, lineOf(path.join(DUP, 'pod.yaml'), 'privileged: true'));
    assert.match(u.reason, /Duplicate key "privileged" \(first at line 10\)/);
    assert.ok(!r.findings.some((f) => f.object === 'Pod/twice'), 'nothing is read from the ambiguous document');
    assert.ok(r.findings.some((f) => f.object === 'Pod/once' && f.ruleId === 'k8s.pod-security.host-network'));
    assert.equal(r.items.find((i) => i.id === 'k8s.pod-security.privileged')?.status, 'unaudited');
  });

  it('JSON: a package.json and a Pod .json with a repeated key are unaudited at the second key', async () => {
    const r = await auditFixture(DUP);
    const pkg = r.unaudited.find((u) => u.file === 'package.json');
    assert.equal(pkg?.range.start.line, 5);
    assert.match(pkg.reason, /Duplicate key "test" \(first at line 4\)/);
    assert.ok(!r.findings.some((f) => f.file === 'package.json' && f.ruleId.startsWith('scripts.')), 'no script check reads the ambiguous file');
    const pod = r.unaudited.find((u) => u.file === 'pod.json');
    assert.equal(pod?.range.start.line, 7);
    assert.match(pod.reason, /Duplicate key "hostPID"/);
    assert.ok(r.summary.score < 100);
  });

  it('no fix is offered into a file with a duplicate key', async () => {
    const fixed = await fixFixture(path.join(DUP, 'pod.yaml'));
    assert.equal(fixed.texts.get('pod.yaml'), readFileSync(path.join(DUP, 'pod.yaml'), 'utf8'));
  });
});
