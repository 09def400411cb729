import { z } from 'zod';
import type { RawFinding } from '../../model';
import { fileCheck } from '../template';
import { findingAt, k8sModel, mapField, replicasOf, type Ctx, type K8sFile } from './common';

/** Resolves an int-or-percent against a replica count (maxUnavailable rounds down, maxSurge rounds up). */
export function resolveIntOrPercent(v: unknown, replicas: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v.trim());
    if (m) {
      const raw = (Number(m[1]) * replicas) / 100;
      return roundUp ? Math.ceil(raw) : Math.floor(raw);
    }
    if (/^\d+$/.test(v.trim())) return Number(v.trim());
  }
  return undefined;
}

const STRATEGY_FIELD: Record<string, string> = { Deployment: 'strategy', DeploymentConfig: 'strategy', StatefulSet: 'updateStrategy', DaemonSet: 'updateStrategy' };
const ROLLING: Record<string, string> = { Deployment: 'RollingUpdate', DeploymentConfig: 'Rolling', StatefulSet: 'RollingUpdate', DaemonSet: 'RollingUpdate' };

/**
 * Updates roll out gradually: no Recreate/OnDelete strategy, and a Deployment's rolling update never takes
 * every replica down at once (maxUnavailable below replicas; maxUnavailable and maxSurge not both 0).
 */
export const rolloutStrategy = fileCheck({
  id: 'k8s.rollout-strategy',
  description: 'Workloads update with a rolling strategy (not Recreate or OnDelete) whose maxUnavailable keeps at least one replica serving.',
  params: z.strictObject({
    kinds: z.array(z.enum(['Deployment', 'DeploymentConfig', 'StatefulSet', 'DaemonSet'])).default(['Deployment', 'DeploymentConfig', 'StatefulSet', 'DaemonSet']),
    allowRecreate: z.boolean().default(false).describe('Accept type: Recreate / OnDelete (e.g. for singletons that must never run twice).'),
  }),
  kinds: ['kubernetes'],
  reads: () => ['RollingUpdate', 'maxUnavailable', 'maxSurge'],
  run: (file, p) => {
    const model = k8sModel(file);
    if (!model) return undefined;
    const findings: RawFinding[] = [];
    let judged = false;
    for (const obj of model.objects) {
      if (!p.kinds.includes(obj.kind as never) || obj.malformed) continue;
      const spec = mapField(obj.value, 'spec');
      if (!spec) continue;
      const field = STRATEGY_FIELD[obj.kind];
      const strategy = mapField(spec, field);
      if (strategy === undefined) continue;
      judged = true;
      const ctx: Ctx = { file: file as K8sFile, model, obj };
      const base = obj.base.concat('spec', field);
      const type = strategy?.type;
      if (type !== undefined && type !== null && type !== ROLLING[obj.kind]) {
        if (!p.allowRecreate) findings.push(findingAt(ctx, base.concat('type'), `${obj.ref} uses the ${String(type)} ${field}: ${type === 'OnDelete' ? 'pods are only replaced when deleted by hand' : 'every pod is stopped before the new ones start, so each rollout is an outage'}. Use ${ROLLING[obj.kind]}.`, { data: { replace: ['spec', field, 'type'], value: ROLLING[obj.kind] } }));
        continue;
      }
      if (obj.kind !== 'Deployment') continue;
      const replicas = replicasOf(obj);
      const rolling = mapField(strategy, 'rollingUpdate');
      if (!rolling) continue;
      const n = typeof replicas === 'number' ? replicas : replicas === null ? 1 : undefined;
      if (n === undefined || n < 1) continue;
      const maxUnavailable = rolling.maxUnavailable ?? '25%';
      const maxSurge = rolling.maxSurge ?? '25%';
      const unavailable = resolveIntOrPercent(maxUnavailable, n, false);
      const surge = resolveIntOrPercent(maxSurge, n, true);
      const at = base.concat('rollingUpdate', 'maxUnavailable');
      if (unavailable !== undefined && surge !== undefined && unavailable === 0 && surge === 0) {
        findings.push(findingAt(ctx, at, `${obj.ref}: maxUnavailable and maxSurge are both 0, so a rollout can never make progress.`));
      } else if (unavailable !== undefined && unavailable >= n && rolling.maxUnavailable !== undefined) {
        findings.push(findingAt(ctx, at, `${obj.ref}: maxUnavailable ${String(maxUnavailable)} lets a rollout take down all ${n} replica${n === 1 ? '' : 's'} at once; keep it below the replica count (e.g. 1 with maxSurge 1).`));
      }
    }
    return judged ? { findings } : undefined;
  },
});
