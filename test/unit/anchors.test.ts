import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { AuditResult, Finding } from '../../src/engine/model';
import { auditFixture, REPO, SHARED } from './helpers';

/** Each finding sits at the most specific place: the offending key or value, or for a missing field the key of the parent that should hold it. */
const lineOf = (f: Finding) => f.range.start.line;
const findingsOf = (r: AuditResult, id: string, file: string): Finding[] => r.items.find((i) => i.id === id)?.findings.filter((f) => f.file === file) ?? [];

describe('where a finding is anchored', () => {
  it('a missing coverage gate sits on the test script that runs the tests, not on the scripts key with the missing scripts', async () => {
    const r = await auditFixture(path.join(REPO, 'examples', 'shop'));
    const [gate] = findingsOf(r, 'tests.coverage-threshold', 'package.json');
    const [missing] = findingsOf(r, 'scripts.test.e2e', 'package.json');
    assert.ok(gate && missing);
    // "test": "echo \"Error: no test specified\" && exit 1" is line 11; "scripts" line 7
    assert.deepEqual([lineOf(gate), lineOf(missing)], [10, 6]);
  });

  it('a field missing from an existing securityContext sits on that securityContext, a missing probe on the container', async () => {
    const r = await auditFixture(path.join(SHARED, 'corpus', 'realworld', 'microservices-demo'));
    const file = 'kustomize/components/google-cloud-operations/otel-collector.yaml';
    const [seccomp] = findingsOf(r, 'k8s.pod-security.seccomp', file).filter((f) => f.container === 'otel-gateway');
    const [probe] = findingsOf(r, 'k8s.probes.liveness', file).filter((f) => f.container === 'otel-gateway');
    assert.ok(seccomp && probe);
    assert.deepEqual([lineOf(seccomp), lineOf(probe)], [61, 60], 'securityContext: on line 62, - name: otel-gateway on line 61');
  });
});
