import { z } from 'zod';
import { getIn, isObject } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { mapField, replicasOf } from './common';
import { nsLabel, objectFinding, workloadCoverage } from './cluster';

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

/**
 * A workload that runs more than one replica spreads them: pod anti-affinity (required or preferred) or
 * topologySpreadConstraints, so one node or zone failure does not take every replica.
 */
export const replicaSpread = workspaceCheck({
  id: 'k8s.replica-spread',
  description: 'Every workload with two or more replicas (or an autoscaler) spreads its pods with podAntiAffinity or topologySpreadConstraints.',
  params: z.strictObject({
    kinds: z.array(z.enum(SCALED)).default(['Deployment', 'StatefulSet', 'Rollout']),
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
      const ok = (isObject(anti) && (hasItems(anti.requiredDuringSchedulingIgnoredDuringExecution) || hasItems(anti.preferredDuringSchedulingIgnoredDuringExecution))) || hasItems(spread);
      if (!ok) findings.push(objectFinding(w, `${w.obj.ref} runs ${scaler ? 'up to ' : ''}${n} replicas with neither podAntiAffinity nor topologySpreadConstraints; the scheduler may put them all on one node or zone.`, getIn(w.obj.value, ['spec']) ? w.obj.podSpecPath : undefined));
      return true;
    },
  }),
});
