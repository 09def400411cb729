import { z } from 'zod';
import type { RawFinding } from '../../model';
import { envCheck } from './check';
import type { EnvVar } from './context';
import { declarationTarget } from './target';
import { alternatives, finding, isPlaceholder, urlQuery, WhenSchema } from './values';

const Accepted = z.strictObject({
  keys: z.array(z.string().min(1)).min(1).describe('Key names (A|B alternatives allowed).'),
  allowed: z.array(z.string().min(1)).min(1).describe('Accepted values, case-insensitive.'),
});

const Params = z.strictObject({
  keys: z.array(z.string().min(1)).min(1).describe('The setting under each accepted spelling; the first is the one a fix writes.'),
  allowed: z.array(z.string().min(1)).min(1).describe('Values accepted in production (case-insensitive).'),
  alternatives: z.array(Accepted).default([]).describe('Other settings that satisfy the rule (e.g. PGSSLMODE=require).'),
  url: z
    .strictObject({ keys: z.array(z.string()).min(1), params: z.array(z.string()).min(1), allowed: z.array(z.string()).min(1) })
    .optional()
    .describe('A connection URL query parameter that satisfies the rule (e.g. DATABASE_URL ?sslmode=require).'),
  required: z.boolean().default(true).describe('Fail when no production source sets the value.'),
  when: WhenSchema,
});

const SOURCES = '.env.production*, Kubernetes env or ConfigMap, docker-compose.prod.yml, Dockerfile final-stage ENV';

/** Short non-secret values may be quoted in messages; anything else is described, never printed. */
function shown(v: string): string {
  return /^[\w.:-]{1,24}$/.test(v) ? `"${v}"` : 'another value';
}

/**
 * `env.production-value`: a setting has an accepted value in production sources (NODE_ENV=production,
 * LOG_LEVEL=warn, DATABASE_SSL=true…). Example files are judged only when they are production examples.
 */
export const productionValue = envCheck({
  id: 'env.production-value',
  description: 'A setting has one of the accepted values in every production source that sets it, and at least one sets it.',
  params: Params,
  check(ctx, p) {
    const findings: RawFinding[] = [];
    let satisfied = false;
    const rules: { keys: string[]; allowed: string[] }[] = [{ keys: p.keys.flatMap(alternatives), allowed: p.allowed }, ...p.alternatives.map((a) => ({ keys: a.keys.flatMap(alternatives), allowed: a.allowed }))];
    const judge = (v: EnvVar, allowed: string[]) => {
      if (v.value === undefined) return void (satisfied = true); // from a Secret/ConfigMap reference: set, value not in the repo
      if (isPlaceholder(v.value)) return; // an empty production example line does not set anything
      if (allowed.some((a) => a.toLowerCase() === v.value!.trim().toLowerCase())) return void (satisfied = true);
      findings.push(finding(v, `${v.key} is ${shown(v.value.trim())} in a production source; use ${allowed.join(' or ')}`, true));
    };
    for (const r of rules) for (const k of r.keys) for (const v of ctx.byKey.get(k) ?? []) if (v.production) judge(v, r.allowed);
    if (p.url) {
      for (const k of p.url.keys) {
        for (const v of ctx.byKey.get(k) ?? []) {
          if (!v.production || v.value === undefined || isPlaceholder(v.value)) continue;
          const q = urlQuery(v.value);
          const param = p.url.params.find((x) => q.has(x.toLowerCase()));
          if (!param) continue;
          const val = q.get(param.toLowerCase())!;
          if (p.url.allowed.some((a) => a.toLowerCase() === val.toLowerCase())) satisfied = true;
          else findings.push(finding(v, `${v.key} sets ${param}=${shown(val)} in a production source; use ${p.url.allowed.join(' or ')}`, true));
        }
      }
    }
    if (!satisfied && findings.length === 0 && p.required) {
      const target = declarationTarget(ctx, true, p.keys[0].split('|')[0], p.when);
      if (target) findings.push({ ...target, message: `${p.keys[0].split('|')[0]}=${p.allowed[0]} is not set in any production source (${SOURCES})`, data: { key: p.keys[0].split('|')[0], value: p.allowed[0] } });
    }
    return { findings };
  },
});
