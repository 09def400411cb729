import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AuditResult } from '../../src/engine/model';
import { parseFile } from '../../src/engine/parse';
import type { K8sModel } from '../../src/engine/parse/kubernetes';
import { auditFiles, builtinChecklists, FIXTURES, SHARED } from './helpers';

/**
 * External conformance: the peers' own fixtures (../shared/conformance, labels.jsonl). For every label of a
 * concept we cover, an `expect: fail` file (or the object named by `scope`) gets at least one finding of the
 * mapped rule and an `expect: pass` one gets none. Contested labels are asserted against the definition our
 * item documents (CONTESTED below), and the item's docs must name the peer it follows.
 */
const CONFORMANCE = path.join(SHARED, 'conformance');
/** The peers' fixtures for the rules the shared corpus does not cover, copied the same way (labels.jsonl there names each source). */
const EXTRA = path.join(FIXTURES, 'conformance-extra');

interface Label {
  file: string;
  source: string;
  check: string;
  concept: string;
  expect: 'pass' | 'fail';
  scope: string;
  note: string;
  contested?: boolean;
  /** The corpus folder the file is in. */
  root: string;
}

/** Concept → the rule that covers it. */
export const CONCEPT_RULES: Readonly<Record<string, string>> = {
  'k8s.liveness-probe': 'k8s.probes.liveness',
  'k8s.readiness-probe': 'k8s.probes.readiness',
  'k8s.cpu-request': 'k8s.resources.requests.cpu',
  'k8s.cpu-limit': 'k8s.resources.limits.cpu',
  'k8s.memory-request': 'k8s.resources.requests.memory',
  'k8s.memory-limit': 'k8s.resources.limits.memory',
  'k8s.run-as-non-root': 'k8s.pod-security.run-as-non-root',
  'k8s.privileged': 'k8s.pod-security.privileged',
  'k8s.privilege-escalation': 'k8s.pod-security.allow-privilege-escalation',
  'k8s.read-only-root-fs': 'k8s.pod-security.read-only-root-filesystem',
  'k8s.capabilities-drop-all': 'k8s.pod-security.capabilities-drop-all',
  // Dropping ALL drops NET_RAW, so every "does not drop NET_RAW" failure is also a drop-ALL failure (the corpus has only fail labels here).
  'k8s.capabilities-drop-net-raw': 'k8s.pod-security.capabilities-drop-all',
  'k8s.capabilities': 'k8s.pod-security.capabilities-add',
  'k8s.host-network': 'k8s.pod-security.host-network',
  'k8s.host-pid': 'k8s.pod-security.host-pid',
  'k8s.host-ipc': 'k8s.pod-security.host-ipc',
  'k8s.host-port': 'k8s.pod-security.host-port',
  'k8s.image-tag-pinned': 'k8s.image.tag-pinned',
  'k8s.pull-policy': 'k8s.image.pull-policy',
  'k8s.replicas': 'k8s.replicas.min',
  'k8s.pdb': 'k8s.pdb',
  'k8s.secrets-in-env': 'k8s.secrets.secret-ref',
  // opt-in (k8s.secrets.secret-ref recommends secretKeyRef): turned on for this corpus
  'k8s.secret-env-ref': 'k8s.secrets.mounted-as-files',
  // the extra corpus (test/fixtures/conformance-extra)
  'k8s.container-runtime-socket': 'k8s.pod-security.container-runtime-socket',
  'k8s.sensitive-host-mounts': 'k8s.pod-security.sensitive-host-mounts',
  'k8s.host-path': 'k8s.pod-security.host-path',
  'k8s.proc-mount': 'k8s.pod-security.proc-mount',
  'k8s.sysctls': 'k8s.pod-security.sysctls',
  'k8s.privileged-ports': 'k8s.pod-security.privileged-ports',
  'k8s.default-service-account': 'k8s.service-account.not-default',
  'k8s.deprecated-service-account-field': 'k8s.service-account.deprecated-field',
  'k8s.automount-token': 'k8s.service-account.automount-token',
  'k8s.default-namespace': 'k8s.namespace.not-default',
  'k8s.selector-matches-template': 'k8s.selector-matches-template',
  'k8s.duplicate-env': 'k8s.env.unique',
  'k8s.liveness-port': 'k8s.probes.liveness-port',
  'k8s.readiness-port': 'k8s.probes.readiness-port',
  'k8s.startup-port': 'k8s.probes.startup-port',
  'k8s.service-targets-pods': 'k8s.service.selects-pods',
  'k8s.networkpolicy-targets-pods': 'k8s.networkpolicy.selects-pods',
  'k8s.hpa-target': 'k8s.hpa.target-exists',
  'k8s.ingress-backend': 'k8s.ingress.backend-exists',
  'k8s.ingress-tls': 'k8s.ingress.tls',
  'k8s.service-type': 'k8s.service.type',
  'k8s.removed-api': 'k8s.api.removed-versions',
  'k8s.job-ttl': 'k8s.job.ttl',
  'k8s.cluster-admin-binding': 'k8s.rbac.no-cluster-admin-binding',
  'k8s.rbac-wildcards': 'k8s.rbac.no-wildcards',
  'k8s.rbac-exec-attach': 'k8s.rbac.no-exec-attach',
  'k8s.replica-spread': 'k8s.replicas.spread',
  'k8s.priority-class': 'k8s.priority-class',
  'k8s.ssh-port': 'k8s.ports.no-ssh',
  'k8s.service-account-exists': 'k8s.service-account.exists',
  'k8s.scc-privileged': 'k8s.openshift.scc-no-privileged',
  // opt-in rules, turned on for these fixtures as for every opt-in rule here
  'k8s.owner-label': 'k8s.labels.owner',
  'k8s.owner-email': 'k8s.annotations.owner-email',
  // the hostPath rule fails every hostPath volume, so every writable host mount too (the fixtures have fail labels only)
  'k8s.writable-host-mount': 'k8s.pod-security.host-path',
  'k8s.rbac-pod-create': 'k8s.rbac.no-pod-create',
  'k8s.rbac-secret-read': 'k8s.rbac.no-secret-read',
  'k8s.hpa-bounds': 'k8s.hpa',
  'k8s.service-target-ports': 'k8s.service.target-ports',
  'k8s.container-port-names': 'k8s.ports.valid-names',
  'k8s.rolling-strategy': 'k8s.deployment.strategy',
  'k8s.non-isolated-pod': 'k8s.networkpolicy',
  'k8s.networkpolicy-both-directions': 'k8s.networkpolicy.egress',
  'k8s.pdb-allows-eviction': 'k8s.pdb.allows-eviction',
  'k8s.pdb-unhealthy-eviction': 'k8s.pdb.unhealthy-eviction',
  'k8s.host-process': 'k8s.pod-security.host-process',
  'k8s.instance-label': 'k8s.labels.instance-matches-name',
  'k8s.configmap-secrets': 'k8s.secrets.secret-ref',
  'k8s.env-secret-ref': 'k8s.env.secret-refs',
  'k8s.env-configmap-ref': 'k8s.env.configmap-refs',
  // kube-score's fixtures (test/fixtures/conformance-extra/kube-score)
  'k8s.service-readiness': 'k8s.probes.service-readiness',
  'k8s.probes-identical': 'k8s.probes.distinct',
  'k8s.requests-equal-limits': 'k8s.resources.requests-equal-limits',
  'k8s.ephemeral-storage-request': 'k8s.resources.requests.ephemeral-storage',
  'k8s.ephemeral-storage-limit': 'k8s.resources.limits.ephemeral-storage',
  'k8s.high-uid': 'k8s.pod-security.high-uid',
  'k8s.seccomp': 'k8s.pod-security.seccomp',
  'k8s.hpa-no-fixed-replicas': 'k8s.hpa.no-fixed-replicas',
  'k8s.statefulset-service': 'k8s.statefulset.service-exists',
  'k8s.pdb-policy': 'k8s.pdb.policy',
  'k8s.cronjob-deadline': 'k8s.cronjob.starting-deadline',
  'k8s.cronjob-restart-policy': 'k8s.job.restart-policy',
  // checkov's fixtures (test/fixtures/conformance-extra/checkov)
  'k8s.rbac-cluster-control': 'k8s.rbac.no-cluster-control',
  'k8s.rbac-escalation-verbs': 'k8s.rbac.no-escalation-verbs',
  'k8s.rbac-default-account-binding': 'k8s.rbac.no-default-account-binding',
  'k8s.known-risky-images': 'k8s.images.known-risky',
  'k8s.git-sync-command': 'k8s.images.git-sync-command',
};

/** Concepts deliberately not covered, and why. */
export const EXCLUDED: Readonly<Record<string, string>> = {};

/** Contested labels: the outcome under our documented definition and the peer that definition follows. Key: file, or file#scope. */
export const CONTESTED: Readonly<Record<string, { expect: 'pass' | 'fail'; follows: string }>> = {
  'polaris/privilegeEscalationAllowed/failure.unspecified.yaml': { expect: 'fail', follows: 'Polaris' },
  'polaris/privilegeEscalationAllowed/failure.pod_unspecified.yaml': { expect: 'fail', follows: 'Polaris' },
  'polaris/pullPolicyNotAlways/failure.yaml': { expect: 'pass', follows: 'kube-score' },
  'polaris/pullPolicyNotAlways/failure.cron-job.yaml': { expect: 'pass', follows: 'kube-score' },
  'polaris/insecureCapabilities/success.yaml': { expect: 'fail', follows: 'checkov' },
  'polaris/insecureCapabilities/success.case.yaml': { expect: 'fail', follows: 'checkov' },
  'polaris/insecureCapabilities/success.pod.yaml': { expect: 'fail', follows: 'checkov' },
  'kube-linter/run-as-non-root/run-as-non-root.yml#object:Deployment/group-zero': { expect: 'pass', follows: 'Polaris' },
  'kube-linter/run-as-non-root/run-as-non-root.yml#object:DeploymentConfig/group-zero': { expect: 'pass', follows: 'Polaris' },
  'kube-linter/minimum-three-replicas/minimum-three-replicas.yml#object:Deployment/app': { expect: 'fail', follows: 'kube-linter' },
  'kube-linter/minimum-three-replicas/minimum-three-replicas.yml#object:DeploymentConfig/app': { expect: 'fail', follows: 'kube-linter' },
  'polaris/automountServiceAccountToken/success.serviceaccount.yaml': { expect: 'fail', follows: 'checkov' },
  'polaris/topologySpreadConstraint/failure.empty.yaml': { expect: 'pass', follows: 'kube-linter' },
  'polaris/topologySpreadConstraint/failure.nospreadconstraint.yaml': { expect: 'pass', follows: 'kube-linter' },
  'polaris/hpaMinAvailability/success.yaml': { expect: 'fail', follows: 'kube-linter' },
  'polaris/hpaMinAvailability/success.minReplicaAbsent.yaml': { expect: 'fail', follows: 'kube-score' },
  'polaris/hpaMaxAvailability/success.minAvailabilityAbsent.yaml': { expect: 'fail', follows: 'kube-score' },
  'polaris/pdbMinAvailableGreaterThanHPAMinReplicas/success.equals.yaml': { expect: 'fail', follows: 'kube-linter' },
  'polaris/pdbMinAvailableGreaterThanHPAMinReplicas/success.no-min-replicas.yaml': { expect: 'fail', follows: 'kube-linter' },
  'polaris/missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml': { expect: 'pass', follows: 'kube-score' },
  'polaris/missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml': { expect: 'pass', follows: 'kube-score' },
  ...Object.fromEntries(
    ['clusterrolebindingPodExecAttach', 'rolebindingRolePodExecAttach', 'rolebindingClusterRolePodExecAttach'].flatMap((check) => [
      [`polaris/${check}/failure.binding_points_to_missing_ref.yaml#object:${check.startsWith('cluster') ? 'ClusterRoleBinding' : 'RoleBinding'}/test`, { expect: 'pass', follows: 'kube-linter' }],
      [`polaris/${check}/failure.binding_to_system_prefix.yaml`, { expect: 'pass', follows: 'Polaris' }],
      [`polaris/${check}/success.gce_calico_binding.yaml`, { expect: 'fail', follows: 'kube-linter' }],
      [`polaris/${check}/success.system_prefix_binding.yaml`, { expect: 'fail', follows: 'kube-linter' }],
    ]),
  ),
  'polaris/rolebindingRolePodExecAttach/success.role_binding_cluster_role_binding.yaml': { expect: 'fail', follows: 'kube-linter' },
  'kube-score/pod-probes/pod-probes-on-different-containers.yaml#object:Pod/pod-test-1': { expect: 'fail', follows: 'Polaris' },
  'kube-score/container-security-context-user-group-id/pod-security-context-low-group-id.yaml': { expect: 'pass', follows: 'checkov' },
  'kube-score/container-seccomp-profile/pod-seccomp-annotated.yaml': { expect: 'fail', follows: 'checkov' },
  'kube-score/container-seccomp-profile/pod-seccomp-annotated-annotation-optional.yaml': { expect: 'fail', follows: 'checkov' },
  'kube-score/statefulset-has-host-podantiaffinity/statefulset-host-antiaffinity-undefined-replicas.yaml': { expect: 'pass', follows: 'kube-linter' },
  'kube-score/deployment-replicas/service-target-deployment.yaml#object:Deployment/deployment-test-1': { expect: 'fail', follows: 'kube-linter' },
  'kube-score/horizontalpodautoscaler-replicas/hpa-min-replicas-ok.yaml#object:HorizontalPodAutoscaler/php-apache': { expect: 'fail', follows: 'kube-linter' },
  'kube-score/ingress-targets-service/ingress_issue363.yaml#object:Ingress/app-ingress': { expect: 'pass', follows: 'kube-linter' },
  'checkov/DropCapabilities/pod-drop-NET_RAW-capabilities-PASSED.yaml': { expect: 'fail', follows: 'checkov' },
  'checkov/RbacBindRoleBindings/role-passed-2.yaml': { expect: 'fail', follows: 'checkov' },
  'checkov/RbacEscalateRoles/role-passed-2.yaml': { expect: 'fail', follows: 'checkov' },
  'checkov/DefaultNamespace/nginx-statefulset-FAILED.yaml#object:Service/nginx': { expect: 'pass', follows: 'checkov' },
  'checkov/DefaultNamespace/nginx-statefulset-FAILED.yaml#object:StatefulSet/web': { expect: 'pass', follows: 'checkov' },
  ...Object.fromEntries(
    ['cronjob-seccomp-PASSED.yaml', 'pod-seccomp-PASSED.yaml', 'pod-seccomp-PASSED2.yaml', 'pod-seccomp-PASSED6.yaml'].map((f) => [`checkov/Seccomp/${f}`, { expect: 'fail', follows: 'kube-score' }]),
  ),
};

function readLabels(root: string): Label[] {
  return readFileSync(path.join(root, 'labels.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ ...(JSON.parse(l) as Label), root }));
}

const key = (l: Label) => (l.scope === 'file' ? l.file : `${l.file}#${l.scope}`);

describe('conformance with the peers’ fixtures (../shared/conformance)', () => {
  const present = existsSync(path.join(CONFORMANCE, 'labels.jsonl'));
  const labels = [...(present ? readLabels(CONFORMANCE) : []), ...readLabels(EXTRA)];
  const items = new Map(builtinChecklists().flatMap((c) => c.sections.flatMap((s) => s.items)).map((i) => [i.id, i]));
  // opt-in items are judged here too
  const optIn = Object.fromEntries([...items.values()].filter((i) => i.optIn).map((i) => [i.id, i.severity] as const));
  const audits = new Map<string, AuditResult & { objects: string[] }>();
  const audit = (root: string, file: string) => {
    let r = audits.get(path.join(root, file));
    if (!r) {
      const text = readFileSync(path.join(root, file), 'utf8');
      const result = auditFiles([{ path: file, text }], { config: { rules: optIn } });
      // the parsed objects, to make sure an object-scoped label names an object that was really audited
      const model = parseFile({ path: file, text, kind: 'kubernetes' }).model as K8sModel | undefined;
      r = { ...result, objects: (model?.objects ?? []).map((o) => o.ref) };
      audits.set(path.join(root, file), r);
    }
    return r;
  };

  before(function () {
    if (!present) return;
    const rows = Object.entries(CONCEPT_RULES).map(([concept, rule]) => {
      const of = labels.filter((l) => l.concept === concept);
      return `  ${concept.padEnd(32)} → ${rule.padEnd(44)} ${of.filter((l) => l.expect === 'fail').length} fail / ${of.filter((l) => l.expect === 'pass').length} pass${of.some((l) => l.contested) ? ` (${of.filter((l) => l.contested).length} contested)` : ''}`;
    });
    for (const [concept, why] of Object.entries(EXCLUDED)) rows.push(`  ${concept.padEnd(32)} ✗ excluded: ${why}`);
    console.log(`\n  Concept → rule (${labels.length} labels)\n${rows.join('\n')}\n`);
  });

  it('the corpus is present beside the repository', () => {
    assert.ok(present, `${CONFORMANCE}/labels.jsonl is missing`);
  });

  it('every concept of the corpus is covered by a rule or deliberately excluded', () => {
    const unknown = [...new Set(labels.map((l) => l.concept))].filter((c) => !(c in CONCEPT_RULES) && !(c in EXCLUDED));
    assert.deepEqual(unknown, []);
    for (const rule of Object.values(CONCEPT_RULES)) assert.ok(items.has(rule), `${rule} is a built-in item`);
  });

  it('the contested table lists exactly the contested labels of covered concepts, and each item documents the peer it follows', () => {
    const contested = labels.filter((l) => l.contested && l.concept in CONCEPT_RULES).map(key).sort();
    assert.deepEqual(Object.keys(CONTESTED).sort(), contested);
    for (const l of labels.filter((x) => x.contested && x.concept in CONCEPT_RULES)) {
      const decision = CONTESTED[key(l)];
      const docs = items.get(CONCEPT_RULES[l.concept])?.docs?.why ?? '';
      assert.match(docs, /Contested:/, `${CONCEPT_RULES[l.concept]} docs say how the contested case is decided`);
      assert.ok(docs.includes(decision.follows), `${CONCEPT_RULES[l.concept]} docs name ${decision.follows}`);
    }
  });

  for (const l of labels) {
    const rule = CONCEPT_RULES[l.concept];
    if (!rule) continue;
    const decision = l.contested ? CONTESTED[key(l)] : undefined;
    const expect = decision?.expect ?? l.expect;
    const title = `${rule}: ${expect}s ${l.file}${l.scope === 'file' ? '' : ` (${l.scope.slice('object:'.length)})`}${decision ? ` [contested; follows ${decision.follows}]` : ''}`;
    it(title, () => {
      const r = audit(l.root, l.file);
      const item = r.items.find((i) => i.id === rule);
      assert.ok(item, `${rule} ran`);
      let findings = item.findings;
      if (l.scope.startsWith('object:')) {
        const ref = l.scope.slice('object:'.length);
        assert.ok(r.objects.includes(ref), `${ref} was parsed from ${l.file} (objects: ${r.objects.join(', ')})`);
        findings = findings.filter((f) => f.object === ref);
      }
      const shown = findings.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('\n');
      if (expect === 'fail') assert.ok(findings.length > 0, `expected a ${rule} finding (${l.note})`);
      else {
        assert.equal(findings.length, 0, `expected no ${rule} finding (${l.note}), got:\n${shown}`);
        if (l.scope === 'file') assert.equal(item.status, 'pass', `${rule} judged the file (status ${item.status})`);
      }
    });
  }
});
