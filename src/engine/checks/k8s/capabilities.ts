import { z } from 'zod';
import type { JsonObject } from '../../parse/kubernetes';
import { containerCheck, containerFinding, describeContainer, listField, mapField, type ContainerCtx } from './common';

/** Normalises a capability name: upper case, without the CAP_ prefix. */
export function capName(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toUpperCase();
  return s.startsWith('CAP_') ? s.slice(4) : s;
}

/** The container's capabilities map: null when absent, undefined when malformed. */
function capabilities(ctx: ContainerCtx): { caps: JsonObject | null } | undefined {
  const sc = mapField(ctx.c.value, 'securityContext');
  if (sc === undefined) return undefined;
  const caps = mapField(sc, 'capabilities');
  if (caps === undefined) return undefined;
  return { caps };
}

/**
 * Capabilities are dropped: the container's securityContext.capabilities.drop contains ALL, or every
 * capability of `require` (case-insensitive, CAP_ prefix optional). Pod-level capabilities do not exist
 * in the Kubernetes API and are ignored.
 */
export const capabilitiesDrop = containerCheck({
  id: 'k8s.capabilities-drop',
  description: 'Every container drops Linux capabilities: capabilities.drop contains ALL (or every capability listed in `require`).',
  params: z.strictObject({
    require: z.array(z.string().min(1)).min(1).default(['ALL']).describe('Capabilities that must be dropped; dropping ALL always satisfies the rule. ["ALL"] follows checkov CKV_K8S_37; Polaris accepts its list of 15 insecure capabilities.'),
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx, p) => {
    const c = capabilities(ctx);
    if (!c) return undefined;
    const drop = listField(c.caps, 'drop');
    if (drop === undefined) return undefined;
    const dropped = new Set((drop ?? []).map(capName).filter((x): x is string => !!x));
    if (dropped.has('ALL')) return [];
    const required = p.require.map((r) => capName(r)!);
    const missing = required.filter((r) => !dropped.has(r));
    if (missing.length === 0) return [];
    const who = `${describeContainer(ctx.c)} of ${ctx.obj.ref}`;
    const what = required.length === 1 && required[0] === 'ALL' ? 'does not drop ALL capabilities' : `does not drop ${missing.join(', ')}`;
    return [containerFinding(ctx, ['securityContext', 'capabilities', 'drop'], `${who} ${what}; add capabilities.drop: ["ALL"] and add back only what it needs.`, { insert: ['securityContext', 'capabilities', 'drop'] })];
  },
});

/** No dangerous capability is added (ALL, SYS_ADMIN, NET_ADMIN by default). */
export const capabilitiesAdd = containerCheck({
  id: 'k8s.capabilities-add',
  description: 'No container adds a forbidden Linux capability (capabilities.add; case-insensitive, CAP_ prefix optional).',
  params: z.strictObject({
    forbidden: z.array(z.string().min(1)).min(1).default(['ALL', 'SYS_ADMIN', 'NET_ADMIN']).describe('Capabilities that must not be added.'),
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx, p) => {
    const c = capabilities(ctx);
    if (!c) return undefined;
    const add = listField(c.caps, 'add');
    if (add === undefined) return undefined;
    const forbidden = new Set(p.forbidden.map((f) => capName(f)!));
    const bad = (add ?? []).map(capName).filter((x): x is string => !!x && forbidden.has(x));
    if (bad.length === 0) return [];
    return [containerFinding(ctx, ['securityContext', 'capabilities', 'add'], `${describeContainer(ctx.c)} of ${ctx.obj.ref} adds ${[...new Set(bad)].join(', ')}; remove ${bad.length > 1 ? 'them' : 'it'} or grant a narrower capability.`)];
  },
});
