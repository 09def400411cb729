import { z } from 'zod';
import { userPatternSchema } from '../../safeRegex';
import type { RawFinding } from '../../model';
import { envCheck } from './check';
import type { EnvContext } from './context';
import { declarationTarget } from './target';
import { alternatives, asInteger, declared, finding, hostOf, isLocalHost, isPlaceholder, safeRegExp, varsOf, WhenSchema, type When } from './values';

const Range = z.strictObject({ min: z.number().optional(), max: z.number().optional() });

const Params = z.strictObject({
  keys: z.array(z.string().min(1)).default([]).describe('Keys that must be declared (A|B alternatives allowed).'),
  anyOf: z.array(z.array(z.string().min(1)).min(1)).default([]).describe('Groups of keys: at least one group must be fully declared (e.g. DATABASE_URL, or DB_HOST + DB_PORT + DB_NAME + DB_USER).'),
  numbers: z.record(z.string(), Range).default({}).describe('Keys whose literal values must be whole numbers within a range.'),
  notLocal: z.array(z.string()).default([]).describe('Keys (hosts or URLs) whose production values must not point at localhost.'),
  urls: userPatternSchema().optional().describe('Regular expression of keys whose production values must be absolute URLs that are not localhost.'),
  minMax: z.tuple([z.string(), z.string()]).optional().describe('Two keys whose values must satisfy min <= max (pool sizes).'),
  when: WhenSchema,
});

const first = (spec: string) => spec.split('|')[0];

function missingFinding(ctx: EnvContext, spec: string, when: When, extra = ''): RawFinding | undefined {
  const target = declarationTarget(ctx, false, alternatives(spec)[0], when);
  if (!target) return undefined;
  const alts = alternatives(spec);
  return { ...target, message: `${alts[0]}${alts.length > 1 ? ` (or ${alts.slice(1).join(', ')})` : ''} is not declared in any env file${extra}`, data: { key: alts[0] } };
}

/** `env.declared`: settings are declared (in an env file, Kubernetes env, compose or Dockerfile), numbers are numbers, production hosts are not localhost. */
export const declaredCheck = envCheck({
  id: 'env.declared',
  description: 'Settings are declared somewhere the deployment reads them; numbers are in range; production hosts and URLs are not localhost.',
  params: Params,
  check(ctx, p) {
    const findings: RawFinding[] = [];
    for (const spec of p.keys) {
      if (declared(ctx, spec)) continue;
      const f = missingFinding(ctx, spec, p.when);
      if (f) findings.push(f);
    }
    if (p.anyOf.length > 0 && !p.anyOf.some((group) => group.every((spec) => declared(ctx, spec)))) {
      // report the keys missing from the group closest to complete
      const best = [...p.anyOf].sort((a, b) => b.filter((s) => declared(ctx, s)).length / b.length - a.filter((s) => declared(ctx, s)).length / a.length)[0];
      const others = p.anyOf.filter((g) => g !== best).map((g) => g.map(first).join(' + '));
      for (const spec of best.filter((s) => !declared(ctx, s))) {
        const f = missingFinding(ctx, spec, p.when, others.length ? `; declare it, or ${others.join(' or ')}` : '');
        if (f) findings.push(f);
      }
    }
    for (const [spec, range] of Object.entries(p.numbers)) {
      for (const v of varsOf(ctx, spec)) {
        if (v.value === undefined || isPlaceholder(v.value) || v.nonProduction) continue;
        const n = asInteger(v.value);
        if (n === undefined) findings.push(finding(v, `${v.key} must be a whole number`, true));
        else if (range.min !== undefined && n < range.min) findings.push(finding(v, `${v.key} is ${n}; it must be at least ${range.min}`, true));
        else if (range.max !== undefined && n > range.max) findings.push(finding(v, `${v.key} is ${n}; it must be at most ${range.max}`, true));
      }
    }
    for (const spec of p.notLocal) {
      for (const v of varsOf(ctx, spec)) {
        if (!v.production || v.value === undefined || isPlaceholder(v.value)) continue;
        const host = hostOf(v.value);
        if (host !== undefined && isLocalHost(host)) findings.push(finding(v, `${v.key} points at localhost in a production source`, true));
      }
    }
    const urlRe = p.urls ? safeRegExp(p.urls) : undefined;
    if (urlRe) {
      for (const v of ctx.vars) {
        if (!urlRe.test(v.key) || !v.production || v.value === undefined || isPlaceholder(v.value)) continue;
        const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(v.value.trim()) ? hostOf(v.value) : undefined;
        if (host === undefined || host === '') findings.push(finding(v, `${v.key} must be an absolute URL (https://… or http://<service>.<namespace>.svc…) in production`, true));
        else if (isLocalHost(host)) findings.push(finding(v, `${v.key} points at localhost in a production source`, true));
      }
    }
    if (p.minMax) {
      const [minSpec, maxSpec] = p.minMax;
      for (const maxVar of varsOf(ctx, maxSpec)) {
        const max = maxVar.value !== undefined ? asInteger(maxVar.value) : undefined;
        if (max === undefined) continue;
        for (const minVar of varsOf(ctx, minSpec).filter((m) => m.file === maxVar.file)) {
          const min = minVar.value !== undefined ? asInteger(minVar.value) : undefined;
          if (min !== undefined && min > max) findings.push(finding(minVar, `${minVar.key} (${min}) is larger than ${maxVar.key} (${max})`, true));
        }
      }
    }
    return { findings };
  },
});
