import { z } from 'zod';
import type { RawFinding } from '../../model';
import { envCheck } from './check';
import { declarationTarget } from './target';
import { alternatives, applies, finding, hostOf, isLocalHost, isPlaceholder, WhenSchema } from './values';

const Params = z.strictObject({
  keys: z.array(z.string().min(1)).default(['CORS_ORIGIN|CORS_ORIGINS|ALLOWED_ORIGINS|CORS_ALLOWED_ORIGINS']).describe('The allowed-origins setting under each spelling.'),
  allowHttp: z.boolean().default(false).describe('Accept http:// origins (not recommended in production).'),
  required: z.boolean().default(true).describe('Fail when no production source sets it.'),
  when: WhenSchema,
});

/** Why one production origin list is unsafe, or undefined when every entry is an explicit https origin. */
export function originProblem(value: string, allowHttp: boolean): string | undefined {
  const v = value.trim();
  if (v === '*' || /^(true|all|\*\.?\*?)$/i.test(v)) return 'allows any origin';
  const parts = v.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return 'is empty';
  for (const o of parts) {
    if (o.includes('*')) return 'uses a wildcard origin';
    const host = hostOf(o);
    if (host !== undefined && isLocalHost(host)) return 'allows a localhost origin';
    if (/^http:\/\//i.test(o) && !allowHttp) return 'allows a plain http:// origin';
    if (!/^https?:\/\/[^/\s]+\/?$/i.test(o)) return 'has an entry that is not an origin (scheme://host[:port])';
  }
  return undefined;
}

/** `env.origins`: the CORS allowed-origins setting lists explicit https origins in production. */
export const originsCheck = envCheck({
  id: 'env.origins',
  description: 'The CORS allowed-origins setting is an explicit list of https origins in production: not *, not localhost.',
  params: Params,
  // Without `when:` it applies where CORS is in play: the setting is declared or a CORS package is a dependency.
  applies: (ctx, p) => applies(ctx, p.when) && (!!p.when || p.keys.flatMap(alternatives).some((k) => ctx.byKey.has(k)) || ctx.deps.has('cors') || ctx.deps.has('@fastify/cors')),
  check(ctx, p) {
    const keys = p.keys.flatMap(alternatives);
    const findings: RawFinding[] = [];
    let satisfied = false;
    for (const k of keys) {
      for (const v of ctx.byKey.get(k) ?? []) {
        if (!v.production) continue;
        if (v.value === undefined) {
          satisfied = true;
          continue;
        }
        if (v.template && isPlaceholder(v.value)) continue;
        const problem = originProblem(v.value, p.allowHttp);
        if (problem) findings.push(finding(v, `${v.key} ${problem} in a production source; list the production frontend origins (https://…)`, true));
        else satisfied = true;
      }
    }
    if (!satisfied && findings.length === 0 && p.required) {
      const target = declarationTarget(ctx, true, keys[0], p.when);
      if (target) findings.push({ ...target, message: `${keys[0]} is not set to the production frontend origin in any production source`, data: { key: keys[0] } });
    }
    return { findings };
  },
});
