import { strict as assert } from 'node:assert';
import { builtinChecklists } from './helpers';

/**
 * The behaviour policy of docs/fixes.md ("Which fixes change behaviour"), one line per fixable built-in rule:
 * what applying its fix does to what runs. `changes` rules must carry `changesBehaviour` in their checklist,
 * `same` rules must not. A new fixable rule fails here until someone decides which it is.
 */
type Verdict = ['changes' | 'same', string];
const POLICY: Readonly<Record<string, Verdict>> = {
  // Dockerfile and build context
  'docker.copy-not-add': ['same', 'ADD of a local path and COPY put the same files in the image'],
  'docker.structure.instructions': ['changes', 'the corrected instruction runs in a build Docker refused before'],
  'docker.deps.npm-ci': ['changes', 'the build needs a lockfile in sync and installs its versions'],
  'docker.user.non-root': ['changes', 'the process loses root'],
  'docker.healthcheck': ['changes', 'a failing check marks the container unhealthy'],
  'repo.dockerignore': ['changes', 'COPY no longer takes the excluded paths'],
  'docker.install.non-interactive': ['same', '-y only answers the prompt the build would stop at'],
  'docker.packages.cache-cleaned': ['same', 'the package cache is not part of what runs'],
  'docker.useradd.no-log-init': ['same', 'only the lastlog file size'],
  // env values read at run time
  'env.node-env': ['changes', 'production mode'],
  'env.log-level': ['changes', 'fewer logs'],
  'env.log-format': ['changes', 'another log format'],
  'env.helmet-enabled': ['changes', 'security headers on responses'],
  'env.compression-enabled': ['changes', 'compressed responses'],
  'env.db.ssl': ['changes', 'TLS required to the database'],
  // keys declared in the example file, which no program reads
  'env.shutdown-timeout': ['same', 'example file only'],
  'env.service-timeout': ['same', 'example file only'],
  'env.cache-ttl': ['same', 'example file only'],
  'env.rate-limit': ['same', 'example file only'],
  'env.db.connection': ['same', 'example file only'],
  'env.db.pool': ['same', 'example file only'],
  'env.redis.connection': ['same', 'example file only'],
  'env.sentry-dsn': ['same', 'example file only'],
  'env.example.in-sync': ['same', 'example file only'],
  // Kubernetes
  'k8s.probes.liveness': ['changes', 'restarts the container when it fails'],
  'k8s.probes.readiness': ['changes', 'no traffic while it fails'],
  'k8s.probes.startup': ['changes', 'restarts the container when start-up fails'],
  'k8s.resources.requests.cpu': ['same', 'a request places the pod; it never throttles or kills it'],
  'k8s.resources.requests.memory': ['same', 'a request places the pod; it never throttles or kills it'],
  'k8s.resources.requests.ephemeral-storage': ['same', 'a request places the pod; it never evicts it'],
  'k8s.resources.limits.cpu': ['changes', 'throttled above the limit'],
  'k8s.resources.limits.memory': ['changes', 'killed above the limit'],
  'k8s.resources.limits.ephemeral-storage': ['changes', 'evicted above the limit'],
  'k8s.pod-security.run-as-non-root': ['changes', 'an image that runs as root does not start'],
  'k8s.pod-security.privileged': ['changes', 'loses host devices and capabilities'],
  'k8s.pod-security.allow-privilege-escalation': ['changes', 'setuid programs lose their privileges'],
  'k8s.pod-security.read-only-root-filesystem': ['changes', 'writes outside volumes fail'],
  'k8s.pod-security.capabilities-drop-all': ['changes', 'loses every capability'],
  'k8s.pod-security.seccomp': ['changes', 'system calls outside the profile fail'],
  'k8s.pod-security.host-process': ['changes', 'no longer runs on the Windows node itself'],
  'k8s.service-account.automount-token': ['changes', 'no API token in the pod'],
  'k8s.image.pull-policy': ['changes', 'every start pulls from the registry'],
  'k8s.replicas.min': ['changes', 'more pods run'],
  'k8s.pdb.unhealthy-eviction': ['changes', 'a drain evicts pods that are not ready'],
  'k8s.cronjob.concurrency': ['changes', 'overlapping runs are skipped'],
  'k8s.cronjob.starting-deadline': ['changes', 'late runs are skipped'],
  'k8s.job.backoff-limit': ['changes', 'fewer retries'],
  'k8s.job.ttl': ['changes', 'the cluster deletes the finished Job'],
  // package.json scripts: nothing runs them until someone (CI, a person) calls them
  'scripts.build': ['same', 'a script nothing calls yet'],
  'scripts.test': ['same', 'a script nothing calls yet'],
  'scripts.lint': ['same', 'a script nothing calls yet'],
  'scripts.typecheck': ['same', 'a script nothing calls yet'],
};

describe('fixes that change behaviour are marked, and only those', () => {
  const fixable = builtinChecklists().flatMap((c) => c.sections.flatMap((s) => s.items.filter((i) => i.fix)));

  it('every fixable built-in rule is in the policy table, and the table names no other rule', () => {
    const ids = fixable.map((i) => i.id);
    assert.deepEqual(ids.filter((id) => !(id in POLICY)), [], 'fixable rules the policy does not decide');
    assert.deepEqual(Object.keys(POLICY).filter((id) => !ids.includes(id)), [], 'policy lines for rules without a fix');
  });

  it('each rule’s changesBehaviour mark agrees with the policy', () => {
    const wrong = fixable.filter((i) => (POLICY[i.id]?.[0] === 'changes') !== !!i.fix?.changesBehaviour).map((i) => `${i.id}: policy ${POLICY[i.id]?.[0]} (${POLICY[i.id]?.[1]}), mark ${i.fix?.changesBehaviour ?? 'none'}`);
    assert.deepEqual(wrong, []);
  });

  it('a fix template that serves rules of both kinds does so by its params (requests vs limits)', () => {
    const byTemplate = new Map<string, Set<string>>();
    for (const i of fixable) {
      const set = byTemplate.get(i.fix!.template) ?? new Set<string>();
      set.add(POLICY[i.id][0]);
      byTemplate.set(i.fix!.template, set);
    }
    const mixed = [...byTemplate].filter(([, v]) => v.size > 1).map(([k]) => k).sort();
    // k8s.insert-resources: requests vs limits; k8s.set-field: an ephemeral-storage request vs everything else it sets
    assert.deepEqual(mixed, ['k8s.insert-resources', 'k8s.set-field']);
  });
});
