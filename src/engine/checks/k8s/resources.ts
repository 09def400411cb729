import { z } from 'zod';
import type { RawFinding } from '../../model';
import { containerCheck, containerFinding, describeContainer, mapField } from './common';
import { parseQuantity, quantityGreater } from './quantity';

/** Every container sets resources.<kind>.<resource> (e.g. limits.memory). */
export const containerResource = containerCheck({
  id: 'k8s.container-resource',
  description: 'Every container sets resources.requests or resources.limits for the given resource (cpu, memory, ephemeral-storage).',
  params: z.strictObject({
    kind: z.enum(['requests', 'limits']),
    resource: z.string().min(1).describe('Resource name: cpu, memory, ephemeral-storage, …'),
    includeInit: z.boolean().default(true).describe('Also check initContainers (they are scheduled with the same budget).'),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx, p) => {
    const resources = mapField(ctx.c.value, 'resources');
    if (resources === undefined) return undefined;
    const section = mapField(resources, p.kind);
    if (section === undefined) return undefined;
    const value = section?.[p.resource];
    if (value !== undefined && value !== null && value !== '') return [];
    const where = resources === null ? 'has no resources' : section === null ? `has no resources.${p.kind}` : `has no resources.${p.kind}.${p.resource}`;
    return [containerFinding(ctx, ['resources', p.kind, p.resource], `${describeContainer(ctx.c)} of ${ctx.obj.ref} ${where}; set ${/^[aeiou]/.test(p.resource) ? 'an' : 'a'} ${p.resource} ${p.kind === 'limits' ? 'limit' : 'request'}.`, { insert: ['resources', p.kind, p.resource] })];
  },
});

/** Requests do not exceed limits, and every quantity parses. */
export const requestsWithinLimits = containerCheck({
  id: 'k8s.requests-within-limits',
  description: 'For every resource with both a request and a limit, the request is not above the limit; every quantity is valid (m, Ki/Mi/Gi, k/M/G, exponents).',
  params: z.strictObject({
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx) => {
    const resources = mapField(ctx.c.value, 'resources');
    if (!resources) return undefined;
    const requests = mapField(resources, 'requests');
    const limits = mapField(resources, 'limits');
    if (requests === undefined || limits === undefined || (!requests && !limits)) return undefined;
    const out: RawFinding[] = [];
    const parsed = (kind: 'requests' | 'limits', map: Record<string, unknown> | null) => {
      const values = new Map<string, number>();
      for (const [name, raw] of Object.entries(map ?? {})) {
        if (raw === null || raw === undefined) continue;
        const q = parseQuantity(raw);
        if (q === undefined) out.push(containerFinding(ctx, ['resources', kind, name], `${describeContainer(ctx.c)} of ${ctx.obj.ref}: resources.${kind}.${name} "${String(raw)}" is not a valid quantity (e.g. 500m, 0.5, 256Mi, 1Gi).`));
        else values.set(name, q);
      }
      return values;
    };
    const req = parsed('requests', requests);
    const lim = parsed('limits', limits);
    for (const [name, r] of req) {
      const l = lim.get(name);
      if (l !== undefined && quantityGreater(r, l)) {
        out.push(containerFinding(ctx, ['resources', 'requests', name], `${describeContainer(ctx.c)} of ${ctx.obj.ref}: the ${name} request (${String(requests?.[name])}) is above its limit (${String(limits?.[name])}); Kubernetes rejects such a pod.`));
      }
    }
    return out;
  },
});
