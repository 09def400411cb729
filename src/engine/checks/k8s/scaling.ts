import { z } from 'zod';
import { getIn, isObject } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { mapField, replicasOf } from './common';
import { nsLabel, objectFinding, workloadCoverage } from './cluster';
import { labelSelector, selectorMatches } from './selectors';

const SCALED = ['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout', 'ReplicaSet'] as const;

/** A workload scaled by an autoscaler leaves spec.replicas unset, so an apply does not reset the scale. */
export const autoscaledReplicas = workspaceCheck({
  id: 'k8s.autoscaled-replicas',
  description: 'A workload targeted by a HorizontalPodAutoscaler or KEDA ScaledObject does not also set spec.replicas.',
  params: z.strictObject({
    kinds: z.array(z.enum(SCALED)).default(['Deployment', 'StatefulSet', 'Rollout']),
  }),
  kinds: ['kubernetes'],
  run: workloadCoverage({
    kinds: (p) => p.kinds,
    index: () => undefined,
    judge: (w, _i, c, _p, findings) => {
      if (w.obj.malformed || !mapField(w.obj.value, 'spec')) return false;
      const a = c.autoscalerFor(w.obj);
      if (!a) return false;
      const replicas = replicasOf(w.obj);
      if (replicas !== null) findings.push(objectFinding(w, `${w.obj.ref} sets spec.replicas${typeof replicas === 'number' ? ` (${replicas})` : ''} and is scaled by ${a.at.obj.ref}${nsLabel(a.at.obj)}; every apply resets the replica count the autoscaler chose. Remove spec.replicas.`, w.obj.base.concat('spec', 'replicas')));
      return true;
    },
  }),
});

const hasItems = (v: unknown) => Array.isArray(v) && v.length > 0;

/** Does a label selector as written (absent: none) select these labels? */
function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const sel = labelSelector(selector);
  return !!sel && selectorMatches(sel, labels);
}

/**
 * Whether a pod anti-affinity term keeps the workload's own pods apart: its labelSelector selects the pod template's
 * labels (a term without one selects no pod) and, when it lists namespaces, the workload's namespace is among them (a
 * namespaceSelector cannot be read from the manifests and counts).
 */
function spreadsOwnPods(term: unknown, podLabels: Readonly<Record<string, string>>, namespace: string | undefined): boolean {
  if (!isObject(term) || !selects(term.labelSelector, podLabels)) return false;
  const namespaces = Array.isArray(term.namespaces) ? term.namespaces.filter((n): n is string => typeof n === 'string') : [];
  return namespaces.length === 0 || isObject(term.namespaceSelector) || namespaces.includes(namespace ?? 'default');
}

/** A topologySpreadConstraint spreads the workload's own pods when its labelSelector selects them (without one it counts no pod). */
function spreadsByConstraint(constraints: unknown, podLabels: Readonly<Record<string, string>>): boolean {
  if (!Array.isArray(constraints)) return false;
  return constraints.some((c) => isObject(c) && selects(c.labelSelector, podLabels));
}

/** The anti-affinity terms of a pod spec, required and preferred, that keep the workload's own pods apart. */
function antiAffinitySpreads(anti: unknown, podLabels: Readonly<Record<string, string>>, namespace: string | undefined): boolean {
  if (!isObject(anti)) return false;
  const required = Array.isArray(anti.requiredDuringSchedulingIgnoredDuringExecution) ? anti.requiredDuringSchedulingIgnoredDuringExecution : [];
  const preferred = Array.isArray(anti.preferredDuringSchedulingIgnoredDuringExecution) ? anti.preferredDuringSchedulingIgnoredDuringExecution : [];
  return required.some((t) => spreadsOwnPods(t, podLabels, namespace)) || preferred.some((t) => isObject(t) && spreadsOwnPods(t.podAffinityTerm, podLabels, namespace));
}

/**
 * A workload that runs more than one replica spreads them: pod anti-affinity (required or preferred) or
 * topologySpreadConstraints, so one node or zone failure does not take every replica.
 */
export const replicaSpread = workspaceCheck({
  id: 'k8s.replica-spread',
  description: 'Every workload with two or more replicas (or an autoscaler) spreads its pods with podAntiAffinity or topologySpreadConstraints.',
  params: z.strictObject({
    kinds: z.array(z.enum(SCALED)).default(['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout']),
    minReplicas: z.number().int().min(2).default(2).describe('Workloads with fewer replicas (and no autoscaler) pass: there is nothing to spread.'),
  }),
  kinds: ['kubernetes'],
  run: workloadCoverage({
    kinds: (p) => p.kinds,
    index: () => undefined,
    judge: (w, _i, c, p, findings) => {
      if (w.obj.malformed || !w.obj.podSpec) return false;
      const replicas = replicasOf(w.obj);
      const scaler = c.autoscalerFor(w.obj);
      const n = scaler ? Math.max(scaler.max ?? 0, scaler.min ?? 0) : replicas === null ? 1 : replicas;
      if (n === undefined) return false;
      if (n < p.minReplicas) return true; // one replica has nothing to spread
      const anti = mapField(mapField(w.obj.podSpec, 'affinity'), 'podAntiAffinity');
      const spread = w.obj.podSpec.topologySpreadConstraints;
      if (spreadsByConstraint(spread, w.obj.podLabels) || antiAffinitySpreads(anti, w.obj.podLabels, w.obj.namespace)) return true;
      const at = getIn(w.obj.value, ['spec']) ? w.obj.podSpecPath : undefined;
      // anti-affinity that keeps other pods away (another app's labels, other namespaces) does not spread these replicas
      const why = isObject(anti) || hasItems(spread) ? ', but neither its podAntiAffinity nor its topologySpreadConstraints select its own pods (labelSelector, namespaces)' : ' with neither podAntiAffinity nor topologySpreadConstraints';
      findings.push(objectFinding(w, `${w.obj.ref} runs ${scaler ? 'up to ' : ''}${n} replicas${why}; the scheduler may put them all on one node or zone.`, at));
      return true;
    },
  }),
});
