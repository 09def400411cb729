import { z } from 'zod';
import { getIn } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { mapField, replicasOf } from './common';
import { autoscalerBounds, nsLabel, objectFinding, type Placed, workloadCoverage } from './cluster';
import { labelSelector, SelectorIndex } from './selectors';
import { unlessUnread } from './unread';

const REPLICATED = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout'] as const;

/** Replicated workloads run at least `min` replicas; workloads scaled by an HPA or KEDA ScaledObject are exempt. */
export const replicasMin = workspaceCheck({
  id: 'k8s.replicas-min',
  description: 'Replicated workloads set spec.replicas to at least the minimum (unset means 1); workloads targeted by a HorizontalPodAutoscaler or KEDA ScaledObject are exempt.',
  params: z.strictObject({
    min: z.number().int().min(1).default(3).describe('Minimum replica count (kube-linter: 3; Polaris and kube-score: 2).'),
    kinds: z.array(z.enum(REPLICATED)).default([...REPLICATED]),
  }),
  kinds: ['kubernetes'],
  run: workloadCoverage({
    kinds: (p) => p.kinds,
    index: () => undefined,
    judge: (w, _i, c, p, findings) => {
      if (w.obj.malformed || !mapField(w.obj.value, 'spec')) return false;
      if (c.autoscalerFor(w.obj)) return false; // the autoscaler owns the replica count
      const replicas = replicasOf(w.obj);
      if (replicas === undefined) return false;
      if (replicas === null) findings.push(objectFinding(w, `${w.obj.ref} does not set replicas (defaults to 1) and no autoscaler scales it; run at least ${p.min}.`, w.obj.base.concat('spec'), { insert: ['spec', 'replicas'], value: p.min }));
      else if (replicas < p.min) findings.push(objectFinding(w, `${w.obj.ref} runs ${replicas} replica${replicas === 1 ? '' : 's'}; run at least ${p.min} so one node or zone failure does not take it down.`, w.obj.base.concat('spec', 'replicas'), { replace: ['spec', 'replicas'], value: p.min }));
      return true;
    },
  }),
});

/**
 * The step PDB and autoscaler coverage share, for one workload: when it is well formed and `judge` accepts
 * it, what covers it (a PDB, an autoscaler) goes to `covered` when `cover` finds something, else the
 * workload goes to `missing`. Returns whether the workload was judged.
 */
function eachCovered<C>(w: Placed, judge: (w: Placed) => boolean, cover: (w: Placed) => C | undefined, missing: (w: Placed) => void, covered: (w: Placed, by: C) => void): boolean {
  if (w.obj.malformed || !w.obj.podSpecPath || !judge(w)) return false;
  const by = cover(w);
  if (by === undefined) missing(w);
  else covered(w, by);
  return true;
}

const PDB_KINDS = ['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout', 'ReplicaSet'] as const;

/**
 * Every multi-replica workload is selected by a PodDisruptionBudget in its namespace (selector matched
 * against the pod template labels). Multi-replica follows kube-score: skipped only when spec.replicas is
 * explicitly below 2 and no autoscaler scales it. Whether a covering PDB allows evictions is k8s.pdb-eviction's.
 */
export const pdbCoverage = workspaceCheck({
  id: 'k8s.pdb-coverage',
  description: 'Every multi-replica workload is covered by a PodDisruptionBudget (same namespace, selector matches the pod template labels).',
  params: z.strictObject({
    kinds: z.array(z.enum(PDB_KINDS)).default(['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout']),
  }),
  kinds: ['kubernetes'],
  run: unlessUnread(workloadCoverage({
    kinds: (p) => p.kinds,
    index: (c) => {
      const index = new SelectorIndex<Placed>(c.podLabelStats);
      for (const pdb of c.ofKind('PodDisruptionBudget')) {
        const sel = labelSelector(getIn(pdb.obj.value, ['spec', 'selector']));
        if (!sel) continue;
        // policy/v1: an empty selector selects every pod of the namespace; policy/v1beta1: none.
        index.add(pdb.obj.namespace, sel, pdb, pdb.obj.apiVersion !== 'policy/v1beta1');
      }
      return index;
    },
    judge: (w0, index, c, _p, findings) => eachCovered(
      w0,
      (w) => {
        const replicas = replicasOf(w.obj);
        if (replicas === undefined) return false;
        return !!c.autoscalerFor(w.obj) || typeof replicas !== 'number' || replicas >= 2; // single replica: a PDB would only block drains
      },
      (w) => {
        const pdbs = index.match(w.obj.namespace, w.obj.podLabels);
        return pdbs.length ? pdbs : undefined;
      },
      (w) => {
        const labels = Object.entries(w.obj.podLabels).map(([k, v]) => `${k}=${v}`).join(', ');
        findings.push(objectFinding(w, `No PodDisruptionBudget${nsLabel(w.obj)} selects the pods of ${w.obj.ref} (${labels ? `labels ${labels}` : 'its pod template has no labels'}); a node drain can evict them all at once.`));
      },
      () => undefined, // what a covering PDB allows is k8s.pdb-eviction's to judge
    ),
  }), (kind) => kind === 'PodDisruptionBudget', (f) => f.message.startsWith('No ')),
});

const SCALED_KINDS = ['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout', 'ReplicaSet'] as const;
const AUTOSCALERS = ['HorizontalPodAutoscaler', 'ScaledObject'];

/**
 * Every scalable workload is the target of a HorizontalPodAutoscaler (or KEDA ScaledObject), and every autoscaler
 * has sane bounds: its own minimum and maximum are judged whether or not its target is in the manifests.
 */
export const autoscalerCoverage = workspaceCheck({
  id: 'k8s.autoscaler-coverage',
  description: 'Every Deployment/StatefulSet is the scaleTargetRef of a HorizontalPodAutoscaler or KEDA ScaledObject in its namespace, and every autoscaler has minReplicas at least the minimum and maxReplicas above it.',
  params: z.strictObject({
    kinds: z.array(z.enum(SCALED_KINDS)).default(['Deployment', 'StatefulSet', 'Rollout']),
    minReplicas: z.number().int().min(1).default(3).describe('Lowest acceptable autoscaler minimum (kube-linter hpa-minimum-three-replicas: 3).'),
  }),
  kinds: ['kubernetes'],
  run: unlessUnread(workloadCoverage({
    kinds: (p) => [...p.kinds, ...AUTOSCALERS],
    index: () => undefined,
    judge: (w0, _i, c, p, findings) => {
      if (AUTOSCALERS.includes(w0.obj.kind)) {
        if (w0.obj.malformed || !mapField(w0.obj.value, 'spec')) return false;
        const { min, max, fields: names, kind, name } = autoscalerBounds(w0);
        const target = name === undefined ? 'its target' : `${kind ?? 'Deployment'}/${name}`;
        if (min !== undefined && min < p.minReplicas) findings.push(objectFinding(w0, `${w0.obj.ref} lets ${target} scale down to ${min} replica${min === 1 ? '' : 's'}; set ${names.min} to at least ${p.minReplicas}.`, mapField(w0.obj.value, 'spec')?.[names.min] === undefined ? undefined : w0.obj.base.concat('spec', names.min)));
        if (min !== undefined && max !== undefined && max <= min) findings.push(objectFinding(w0, `${w0.obj.ref}: ${names.max} (${max}) is not above ${names.min} (${min}), so it cannot scale ${target} up.`, w0.obj.base.concat('spec', names.max)));
        return true;
      }
      return eachCovered(
        w0,
        () => true,
        (w) => c.autoscalerFor(w.obj),
        (w) => findings.push(objectFinding(w, `No HorizontalPodAutoscaler${nsLabel(w.obj)} targets ${w.obj.ref}; it cannot scale with load.`)),
        () => undefined, // the autoscaler's bounds are judged on the autoscaler itself
      );
    },
  }), (kind) => kind === 'HorizontalPodAutoscaler' || kind === 'ScaledObject', (f) => f.message.startsWith('No ')),
});
