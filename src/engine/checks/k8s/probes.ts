import { z } from 'zod';
import { containerCheck, containerFinding, describeContainer, mapField, sameCanonical } from './common';

const PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'];

const probeParams = z.strictObject({
  probe: z.enum(['livenessProbe', 'readinessProbe', 'startupProbe']).describe('The probe every long-running container must declare.'),
  includeBatch: z.boolean().default(false).describe('Also require it in pods that run to completion (Jobs, CronJobs, Pods with restartPolicy Never or OnFailure), exempt by default.'),
});

const LABEL: Record<string, string> = { livenessProbe: 'liveness', readinessProbe: 'readiness', startupProbe: 'startup' };

/** Every app container (not init containers; not pods that run to completion unless asked) declares the probe, with a handler. */
export const containerProbe = containerCheck({
  id: 'k8s.container-probe',
  description: 'Every long-running container declares the given probe (livenessProbe, readinessProbe or startupProbe) with a handler; init containers and pods that run to completion (Jobs, CronJobs, Pods with restartPolicy Never or OnFailure) are exempt.',
  params: probeParams,
  scope: (p) => ({ init: false, skipBatch: !p.includeBatch }),
  check: (ctx, p) => {
    const probe = mapField(ctx.c.value, p.probe);
    if (probe === undefined) return undefined;
    const what = LABEL[p.probe];
    if (probe === null) return [containerFinding(ctx, [p.probe], `${describeContainer(ctx.c)} of ${ctx.obj.ref} has no ${what} probe (${p.probe}).`, { insert: p.probe })];
    if (!PROBE_HANDLERS.some((h) => probe[h] !== undefined && probe[h] !== null)) {
      return [containerFinding(ctx, [p.probe], `${describeContainer(ctx.c)} of ${ctx.obj.ref}: ${p.probe} has no handler (httpGet, tcpSocket, exec or grpc).`)];
    }
    return [];
  },
});

/** Liveness and readiness probes are not identical (a shared check makes a slow dependency restart the pod). */
export const probesDistinct = containerCheck({
  id: 'k8s.probes-distinct',
  description: 'A container that has both a liveness and a readiness probe does not use the identical probe for both.',
  params: z.strictObject({
    compareHandlerOnly: z.boolean().default(false).describe('Compare only the handler (httpGet/tcpSocket/exec/grpc) and ignore timings.'),
  }),
  scope: () => ({ init: false, skipBatch: true }),
  check: (ctx, p) => {
    const live = mapField(ctx.c.value, 'livenessProbe');
    const ready = mapField(ctx.c.value, 'readinessProbe');
    if (!live || !ready) return undefined; // needs both; missing ones are other rules' business
    const pick = (probe: Record<string, unknown>) => (p.compareHandlerOnly ? Object.fromEntries(PROBE_HANDLERS.filter((h) => probe[h] != null).map((h) => [h, probe[h]])) : probe);
    if (!sameCanonical(pick(live), pick(ready))) return [];
    return [containerFinding(ctx, ['livenessProbe'], `${describeContainer(ctx.c)} of ${ctx.obj.ref} uses the same probe for liveness and readiness; a failing dependency would restart the pod instead of taking it out of the load balancer.`)];
  },
});
