import { z } from 'zod';
import type { RawFinding } from '../../model';
import { containerCheck, containerFinding, describeContainer, mapField, type ContainerCtx } from './common';
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
  description: 'For every resource with both a request and a limit, the request is not above the limit; every quantity is valid (m, Ki/Mi/Gi, k/M/G, exponents). With equal: the listed resources request exactly their limit instead.',
  params: z.strictObject({
    includeInit: z.boolean().default(true),
    equal: z.array(z.string().min(1)).default([]).describe('Instead of the checks above: these resources (cpu, memory) have a limit and request exactly that (Guaranteed QoS); a limit alone counts, as the request defaults to it.'),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx, p) => {
    const resources = mapField(ctx.c.value, 'resources');
    if (!resources) return undefined;
    const requests = mapField(resources, 'requests');
    const limits = mapField(resources, 'limits');
    if (requests === undefined || limits === undefined || (!requests && !limits)) return undefined;
    if (p.equal.length > 0) return unequal(ctx, requests, limits, p.equal);
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

/** Findings for resources whose request is not exactly their limit (an unparseable quantity is left to the rule above). */
function unequal(ctx: ContainerCtx, requests: Record<string, unknown> | null, limits: Record<string, unknown> | null, names: readonly string[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const name of names) {
    const r = requests?.[name];
    const l = limits?.[name];
    if (l === undefined || l === null) {
      if (r !== undefined && r !== null) out.push(containerFinding(ctx, ['resources', 'requests', name], `${describeContainer(ctx.c)} of ${ctx.obj.ref} requests ${name} but sets no ${name} limit; set the limit equal to the request.`));
      continue;
    }
    if (r === undefined || r === null) continue; // the request defaults to the limit
    const rq = parseQuantity(r);
    const lq = parseQuantity(l);
    if (rq !== undefined && lq !== undefined && (quantityGreater(rq, lq) || quantityGreater(lq, rq))) {
      out.push(containerFinding(ctx, ['resources', 'requests', name], `${describeContainer(ctx.c)} of ${ctx.obj.ref}: the ${name} request (${String(r)}) is not its limit (${String(l)}); the pod is not in the Guaranteed QoS class.`));
    }
  }
  return out;
}
