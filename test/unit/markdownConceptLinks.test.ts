import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { conceptLinks, conceptOwners, type DomainTarget } from '../../src/engine/markdown/conceptLink';
import { readLine } from '../../src/engine/markdown/conceptRead';
import { linkIndexFor } from '../../src/engine/markdown/link';
import { asksTask, platformSection } from '../../src/engine/markdown/lineReading';
import type { RuleConcept } from '../../src/engine/markdown/ruleConcept';
import { builtinChecklists } from './helpers';

/**
 * Links made by concept: a line that names a property in words of its own links the rules asserting it, when its
 * wording linked none of them. The lines are written in plain English for this test, not taken from a labelled set.
 */

function concept(property: string, polarity: RuleConcept['polarity'] = 'presence', qualifiers: string[] = []): RuleConcept {
  return { property, properties: [property], lexical: true, subject: 'container or pod', polarity, qualifiers, source: 'id' };
}

describe('Concepts: links made by a family the line names', () => {
  const targets: DomainTarget[] = [
    { concept: concept('cpu limit'), mode: 'auto', domain: 'kubernetes' },
    { concept: concept('memory limit'), mode: 'auto', domain: 'kubernetes' },
    { concept: concept('cpu limit'), mode: 'auto', domain: 'compose' },
    { concept: concept('autoscaling'), mode: 'auto', domain: 'kubernetes' },
    { concept: concept('retries'), mode: 'evidence' },
    { concept: concept('backups'), mode: 'manual' },
  ];
  const owners = conceptOwners(targets);
  const links = (line: string, domain?: string, linked: number[] = []) => [...conceptLinks(readLine(line), targets, owners, new Set(linked), domain).keys()].sort();

  it('an umbrella line links every member of its family, in a section about the kind of file they read', () => {
    assert.deepEqual(links('Resource limits on every workload', 'kubernetes'), [0, 1]);
    assert.deepEqual(links('Resource limits on every workload', 'compose'), [2]);
    assert.deepEqual(links('Resource limits on every workload'), []);
  });

  it('a single property in new words links nothing by concept: the wording decides', () => {
    assert.deepEqual(links('Workloads scale out with an HPA', 'kubernetes'), []);
    assert.deepEqual(links('Exponential backoff on outbound calls'), []);
  });

  it('a member the wording already linked is not linked again; the others are added', () => {
    assert.deepEqual(links('Resource limits on every workload', 'kubernetes', [0]), [1]);
  });

  it('a family asserted the other way round, in a question or as an activity links nothing', () => {
    assert.deepEqual(links('Containers run without resource limits', 'kubernetes'), []);
    assert.deepEqual(links('Do all workloads have resource limits?', 'kubernetes'), []);
    assert.deepEqual(links('Check the resource limits of every workload', 'kubernetes'), []);
  });

  it('a common word that only speaks of a property is read as such', () => {
    assert.equal(readLine('Alerting for every service').properties.find((p) => p.property === 'alert rules')?.loose, true);
    assert.equal(readLine('Alert rules for error rates').properties.find((p) => p.property === 'alert rules')?.loose, false);
  });
});

describe('Concepts: reading a line', () => {
  it('a label before a line is its topic: the rest says what it asserts, the label only when the rest says nothing', () => {
    assert.deepEqual(readLine('**Rollouts** - never deploy the latest tag').properties.map((p) => p.property), ['pinned version']);
    assert.deepEqual(readLine('**API versioning**: routes under /v2/').properties.map((p) => p.property), ['API versioning']);
  });

  it('a kind of test used as a verb on an object is an activity; the test script is not', () => {
    assert.equal(readLine('Load test the checkout flow').activity, true);
    assert.equal(readLine('Smoke test all critical pages after release').activity, true);
    assert.equal(readLine('Load test script in package.json').activity, false);
  });

  it('"managed" is how secrets are handled, not a secrets manager', () => {
    assert.ok(!readLine('Secrets handled and managed with care').properties.some((p) => p.property === 'secrets manager'));
    assert.ok(readLine('Secrets live in a secrets manager').properties.some((p) => p.property === 'secrets manager'));
  });
});

describe('Concepts: links in a checklist', () => {
  const { index } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const ids = (text: string, domain?: 'kubernetes' | 'dockerfile') => index.link(text, domain).map((l) => l.id).sort();

  it('least-privilege RBAC links each RBAC rule of the family, with the member as the reason', () => {
    const links = index.link('Least-privilege RBAC roles', 'kubernetes').filter((l) => l.id.startsWith('k8s.rbac.'));
    assert.deepEqual(links.map((l) => l.id).sort(), ['k8s.rbac.no-cluster-admin-binding', 'k8s.rbac.no-escalation-verbs', 'k8s.rbac.no-secret-read', 'k8s.rbac.no-wildcards']);
    assert.equal(links.find((l) => l.id === 'k8s.rbac.no-wildcards')?.reason, 'asserts: RBAC wildcard');
  });

  it('a hardened security context links each setting a security context sets the way its rule wants it; one set outright is where that setting goes', () => {
    const podSecurity = (text: string) => ids(text, 'kubernetes').filter((id) => id.startsWith('k8s.pod-security.'));
    assert.deepEqual(podSecurity('Every workload declares a security context'), [
      'k8s.pod-security.allow-privilege-escalation',
      'k8s.pod-security.capabilities-drop-all',
      'k8s.pod-security.read-only-root-filesystem',
      'k8s.pod-security.run-as-non-root',
      'k8s.pod-security.seccomp',
    ]);
    assert.deepEqual(podSecurity('The `securityContext` of each container sets `runAsNonRoot: true`'), ['k8s.pod-security.run-as-non-root']);
    assert.deepEqual(podSecurity('Workloads without a security context are tolerated in dev'), []);
  });

  it('workloads meeting the Pod Security Standards link the settings the standards ask for; a standard the cluster enforces links none', () => {
    const podSecurity = (text: string) => ids(text, 'kubernetes').filter((id) => id.startsWith('k8s.pod-security.'));
    const standards = ['k8s.pod-security.allow-privilege-escalation', 'k8s.pod-security.capabilities-drop-all', 'k8s.pod-security.run-as-non-root', 'k8s.pod-security.seccomp'];
    assert.deepEqual(podSecurity('Every workload meets the restricted Pod Security Standard'), standards);
    // a member said only in words that do not name it ("privilege levels") leaves the family whole
    assert.deepEqual(podSecurity('Apply the Pod Security Standards to limit privilege levels'), standards);
    assert.deepEqual(podSecurity('Pod Security Standards are enforced on every namespace'), []);
  });

  it('a line about the platform (the cluster, its nodes) links no workload rule by concept', () => {
    assert.ok(!ids('Least-privilege RBAC for the cluster operators', 'kubernetes').includes('k8s.rbac.no-wildcards'));
  });

  it('in a section about the platform, a family links nothing by concept', () => {
    const rbac = (platform: boolean) => index.link('Scoped RBAC for each service account', 'kubernetes', platform).filter((l) => l.id.startsWith('k8s.rbac.')).length;
    assert.equal(rbac(false), 4);
    assert.equal(rbac(true), 0);
  });
});

describe('Concepts: a line that asks for a task', () => {
  it('a check or a watch is a task, and so is performing a drill or a test; performing what the code does is the requirement', () => {
    for (const task of ['Verify backups restore', 'Monitor slow queries', 'Test the rollback', 'Perform a restore drill', 'Conduct a security audit', 'Load test the checkout flow']) assert.equal(asksTask(task), true, task);
    for (const requirement of ['Perform input validation', 'Perform request logging', 'Test coverage threshold in CI', 'Set memory limits']) assert.equal(asksTask(requirement), false, requirement);
  });

  it('a section about the platform is named by its nearest heading', () => {
    assert.equal(platformSection(['Go-live', 'Azure Kubernetes Service (AKS)']), true);
    assert.equal(platformSection(['Go-live', 'Cluster hardening']), true);
    assert.equal(platformSection(['Cluster', 'Workloads']), false);
    assert.equal(platformSection([]), false);
  });
});
