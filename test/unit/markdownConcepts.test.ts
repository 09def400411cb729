import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { readLine, readProperties } from '../../src/engine/markdown/conceptRead';
import { linkIndexFor } from '../../src/engine/markdown/link';
import { PROPERTIES } from '../../src/engine/markdown/lexicon';
import { ruleConcept } from '../../src/engine/markdown/ruleConcept';
import { builtinChecklists } from './helpers';

/**
 * The concept model: what a line asserts (properties, each present or absent) and what a rule asserts, read from
 * its own data. The lines below are written in plain English for this test, not taken from any labelled set.
 */
const LINES: [line: string, asserts: [property: string, polarity: 'presence' | 'absence' | 'any'][]][] = [
  ['Cap the memory of every container', []],
  ['Each container has a memory cap', [['memory limit', 'presence']]],
  ['CPU and RAM bounds on all workloads', [['cpu limit', 'presence'], ['memory limit', 'presence']]],
  // A ResourceQuota caps a namespace, not a container.
  ['Resource quotas for every namespace', []],
  ['CPU and memory requests and limits', [['cpu limit', 'presence'], ['cpu request', 'presence'], ['memory limit', 'presence'], ['memory request', 'presence']]],
  ['An endpoint the kubelet polls to see whether the process is alive', [['liveness probe', 'presence']]],
  ['Liveness and readiness probes on each pod', [['liveness probe', 'presence'], ['readiness probe', 'presence']]],
  ['Never run as root', [['root user', 'absence']]],
  ['Run as non-root', [['root user', 'absence']]],
  ['Services run unprivileged', [['root user', 'absence']]],
  ['Drop root before starting the app', [['root user', 'absence']]],
  ['Processes run as root inside the image', [['root user', 'presence']]],
  ['No latest', [['pinned version', 'presence']]],
  ['Use explicit versions for base images', [['pinned version', 'presence']]],
  ['Immutable tags or digests only', [['pinned version', 'presence']]],
  ['Deploy the latest tag', [['pinned version', 'absence']]],
  ['Prevent privilege escalation', [['privilege escalation', 'absence']]],
  ['allowPrivilegeEscalation: false in every pod spec', [['privilege escalation', 'absence']]],
  ['Avoid ADD in favour of COPY', [['ADD instruction', 'absence']]],
  ['Use COPY instead of ADD', [['ADD instruction', 'absence']]],
  ['Add a health check to each service', [['healthcheck', 'presence']]],
  ['Use environment variables for secrets', [['secret in image', 'presence']]],
  ['Secrets are never set in environment variables', [['secret in image', 'absence']]],
  ['Mount the root filesystem read-only', [['read-only root filesystem', 'presence']]],
  ['Is the Docker socket mounted into any pod?', [['container runtime socket', 'any']]],
  // A slash coordinates as "or" does.
  ['Memory limits/requests on each container', [['memory limit', 'presence'], ['memory request', 'presence']]],
  ['Docker daemon in rootless mode', [['rootless daemon', 'presence']]],
  ['.env is listed in .gitignore', [['.env git-ignored', 'presence']]],
];

describe('Concepts: what a line asserts', () => {
  for (const [line, asserts] of LINES) {
    it(`"${line}"`, () => {
      const got = readProperties(line).map((m) => [m.property, m.polarity]);
      // Only the properties the table names are compared when it names some; an empty entry means nothing is asserted
      // about limits (a verb alone, "cap the memory", is not the noun).
      if (asserts.length === 0) assert.ok(!got.some(([p]) => p === 'memory limit'), JSON.stringify(got));
      else assert.deepEqual(got.filter(([p]) => asserts.some(([q]) => q === p)).sort(), [...asserts].sort(), JSON.stringify(got));
    });
  }

  it('a comparison or an exception asserts neither way', () => {
    const pol = (line: string, property: string) => readProperties(line).find((m) => m.property === property)?.polarity;
    assert.equal(pol('ADD versus COPY', 'ADD instruction'), 'any');
    assert.equal(pol('Copy files with COPY unless you need ADD', 'ADD instruction'), undefined);
    // A family whose good state is its members' absence.
    assert.equal(pol('Least-privilege RBAC for every service account', 'RBAC wildcard'), 'absence');
  });

  it('negation words flip a property, and two negations cancel', () => {
    const pol = (line: string, property: string) => readProperties(line).find((m) => m.property === property)?.polarity;
    assert.equal(pol('Containers have a read-only root filesystem', 'read-only root filesystem'), 'presence');
    assert.equal(pol('Never mount the host network', 'host network'), 'absence');
    assert.equal(pol("Don't use the host network", 'host network'), 'absence');
    assert.equal(pol('Pods without hostNetwork', 'host network'), 'absence');
    // "Omit" negates as "leave out" does, so "don't omit" keeps the property.
    assert.equal(pol('Omit the readiness probe', 'readiness probe'), 'absence');
    assert.equal(pol("Don't omit the readiness probe", 'readiness probe'), 'presence');
    assert.equal(pol('Disable privileged mode', 'privileged container'), 'absence');
    assert.equal(pol('privileged: false', 'privileged container'), 'absence');
    assert.equal(pol('No container runs without a memory limit', 'memory limit'), 'presence');
    // The negation of one clause does not reach the next.
    assert.equal(pol('No sudo; pin image versions', 'pinned version'), 'presence');
    // A negation belongs to what follows it: "git-ignored and not committed" keeps the first as it is.
    assert.equal(pol('.env files are git-ignored and not committed', '.env git-ignored'), 'presence');
  });

  it('a requirement stated as a task is a requirement; a drill, a restore or a runtime outcome is an activity', () => {
    for (const requirement of ['Perform input validation', 'Run containers as a non-root user', 'Implement rate limiting', 'Set memory limits']) {
      assert.equal(readLine(requirement).activity, false, requirement);
    }
    for (const activity of ['Run smoke tests in production', 'Verify backups restore', 'Conduct a failover drill', 'Monitor error rates after release', 'All health checks passing', 'Test the rollback in staging', 'Check the logs for errors after the release', 'Verify smoke tests']) {
      assert.equal(readLine(activity).activity, true, activity);
    }
  });
});

describe('Concepts: the reason of a link names what the line asserts', () => {
  const { index } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const reasons = (text: string) => Object.fromEntries(index.link(text).map((l) => [l.id, l.reason]));

  it('a line linked by its wording gives the property it asserts as the reason', () => {
    assert.equal(reasons('Liveness probes are configured')['k8s.probes.liveness'], 'asserts: liveness probe');
    assert.equal(reasons('Containers run as a non-root user')['k8s.pod-security.run-as-non-root'], 'asserts: root user');
  });

  it('an activity, or a property asserted the other way round, keeps the wording as the reason', () => {
    for (const reason of Object.values(reasons('Run smoke tests in production'))) assert.ok(!reason.startsWith('asserts'), reason);
    for (const reason of Object.values(reasons('Run containers as root'))) assert.ok(!reason.startsWith('asserts'), reason);
  });
});

describe('Concepts: what a rule asserts, read from its data', () => {
  const items = resolveItems(defaultChecklists(builtinChecklists(), { operations: true })).items.filter((ri) => ri.template);

  it('every automated rule gets a concept with a property and a subject', () => {
    for (const ri of items) {
      const c = ruleConcept(ri.item);
      assert.ok(c.property.trim().length > 0, `${ri.item.id}: no property`);
      assert.ok(c.subject.trim().length > 0, `${ri.item.id}: no subject`);
    }
  });

  it('reads the property and which way round the good state is', () => {
    const of = (id: string) => {
      const ri = items.find((r) => r.item.id === id);
      assert.ok(ri, id);
      const c = ruleConcept(ri.item);
      return `${c.property} / ${c.polarity}${c.qualifiers.length ? ` / ${c.qualifiers.join(' ')}` : ''}`;
    };
    assert.equal(of('docker.user.non-root'), 'root user / absence');
    assert.equal(of('k8s.pod-security.run-as-non-root'), 'root user / absence');
    assert.equal(of('k8s.pod-security.allow-privilege-escalation'), 'privilege escalation / absence');
    assert.equal(of('k8s.pod-security.read-only-root-filesystem'), 'read-only root filesystem / presence');
    assert.equal(of('docker.copy-not-add'), 'ADD instruction / absence');
    assert.equal(of('k8s.resources.limits.memory'), 'memory limit / presence');
    assert.equal(of('k8s.image.tag-pinned'), 'pinned version / presence');
    assert.equal(of('k8s.pod-security.host-network'), 'host network / absence');
    assert.equal(of('repo.gitignore.env.committed'), '.env committed / absence');
    // A finer rule keeps the words its property does not explain: a line must say them too.
    assert.equal(of('k8s.probes.liveness-port'), 'liveness probe / presence / port');
    // A compound title asserts each of its properties.
    const compose = ruleConcept(items.find((r) => r.item.id === 'compose.resources.limits')!.item);
    assert.deepEqual([...compose.properties].sort(), ['cpu limit', 'memory limit']);
  });

  it('a `concept:` in the rule data overrides what is read', () => {
    const ri = items.find((r) => r.item.id === 'docker.user.non-root')!;
    const c = ruleConcept({ ...ri.item, concept: { property: 'user instruction', polarity: 'presence' } });
    assert.equal(c.property, 'user instruction');
    assert.equal(c.polarity, 'presence');
    assert.equal(c.source, 'concept');
  });

  it('the lexicon names each property once, and each family member is a property', () => {
    const names = PROPERTIES.map((p) => p.property);
    assert.equal(new Set(names).size, names.length);
    for (const p of PROPERTIES) for (const m of p.family ?? []) assert.ok(names.includes(m), `${p.property}: ${m}`);
  });
});
