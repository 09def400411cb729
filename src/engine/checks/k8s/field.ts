import { z } from 'zod';
import type { RawFinding } from '../../model';
import { isObject, type Json } from '../../parse/kubernetes';
import type { YamlPath } from '../../parse/yamlSupport';
import { fileCheck } from '../template';
import { containerFinding, describeContainer, findingAt, forEachContainer, forEachPod, k8sModel, type ContainerCtx, type Ctx, type K8sFile } from './common';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

/** What the value at the path must be. Several conditions all apply. */
const Must = z.strictObject({
  absent: z.boolean().optional().describe('The field must not be set at all (e.g. volumes.*.hostPath).'),
  oneOf: z.array(Scalar).optional().describe('The value is one of these.'),
  notOneOf: z.array(Scalar).optional().describe('The value is none of these.'),
  min: z.number().optional().describe('A number at least this.'),
  max: z.number().optional().describe('A number at most this.'),
  pattern: z.string().optional().describe('The value (as text) matches this regular expression.'),
  notPattern: z.string().optional().describe('The value (as text) does not match this regular expression.'),
  nonEmpty: z.boolean().optional().describe('A list or map with at least one entry.'),
  keysNotMatching: z.string().optional().describe('A map none of whose keys matches this regular expression (e.g. annotations).'),
  exactlyOneOf: z.array(z.string()).optional().describe('A map that sets exactly one of these keys.'),
  notMatching: z.record(z.string(), Scalar).optional().describe('A map that does not have all of these keys with these values (a subject { kind: ServiceAccount, name: default }).'),
  sameAs: z.array(z.union([z.string(), z.number()])).optional().describe('The value equals the value at this path under the target, when that is set (a label that must repeat metadata.name).'),
});
type Must = z.infer<typeof Must>;

const Params = z.strictObject({
  target: z.enum(['container', 'pod', 'object']).describe('Where the path starts: each container, each pod spec, or each object of the kinds.'),
  kinds: z.array(z.string()).optional().describe('Object kinds to judge (default: every workload for container/pod, every object for object).'),
  path: z.array(z.union([z.string(), z.number()])).min(1).describe('Path under the target; "*" visits every item of a list or value of a map.'),
  alsoPaths: z.array(z.array(z.union([z.string(), z.number()])).min(1)).optional().describe('More paths under the target judged by the same condition (env secretKeyRef and envFrom secretRef); only with unset: pass.'),
  skipPods: z.strictObject({ path: z.array(z.string()).min(1), oneOf: z.array(Scalar).min(1) }).optional().describe('Container/pod target: pods whose spec has one of these values at this path pass unjudged (hostUsers: false, a user namespace, for UID rules).'),
  skipObjects: z.array(z.strictObject({ kind: z.string(), name: z.string(), namespace: z.string().optional() })).optional().describe('Object target: objects the cluster creates itself (the default ServiceAccount), by kind, name and, when given, namespace; they pass unjudged.'),
  podPath: z.array(z.string()).optional().describe('Container target only: a path under the pod spec whose value applies when the container leaves the field unset (e.g. securityContext.runAsUser).'),
  must: Must,
  unset: z.enum(['pass', 'fail']).default('pass').describe('What a field that is not set counts as.'),
  includeInit: z.boolean().default(true).describe('Container target: also check initContainers.'),
  skipBatch: z.boolean().default(false).describe('Container/pod target: skip pods that run to completion (Jobs, CronJobs, Pods with restartPolicy Never or OnFailure).'),
  fixValue: z.union([Scalar, z.record(z.string(), z.unknown())]).optional().describe('The value a fix sets at the path (findings carry it for k8s.set-field).'),
  hint: z.string().optional().describe('A sentence appended to every finding (what to do instead).'),
});
type Params = z.infer<typeof Params>;

/** A value reached on the path, with its concrete path (wildcards resolved). */
export interface Hit {
  value: Json;
  path: YamlPath;
}

/** No hit: shared by the walks that find nothing (most of them), never written. */
const NO_HITS: Hit[] = Object.freeze([]) as unknown as Hit[];
const TOP: YamlPath = Object.freeze([]) as unknown as YamlPath;

/**
 * Every value at `path` under `root` (`*` visits each item of a list or value of a map), with its path after `at`.
 * Without `out`, a walk that finds nothing returns a shared empty list.
 */
export function walk(root: Json | undefined, path: readonly (string | number)[], at: YamlPath = TOP, out?: Hit[]): Hit[] {
  // a path without wildcards reaches one value at most: its path is made only when it is there
  if (path.indexOf('*') === -1) {
    const value = valueAt(root, path);
    if (value === undefined || value === null) return out ?? NO_HITS;
    (out ??= []).push({ value, path: at.concat(path) });
    return out;
  }
  out ??= [];
  walkFrom(root, path, 0, at, [], out);
  return out;
}

/** One step of a path without a wildcard: a list's item by number, a map's own key; undefined when not there. */
function step(v: Json, head: string | number): Json | undefined {
  if (Array.isArray(v)) return typeof head === 'number' ? v[head] : undefined;
  return isObject(v) && Object.hasOwn(v, head) ? v[String(head)] : undefined;
}

/** The value at a path without wildcards, or undefined. */
function valueAt(root: Json | undefined, path: readonly (string | number)[]): Json | undefined {
  let v = root;
  for (let i = 0; i < path.length && v !== undefined && v !== null; i++) v = step(v, path[i]);
  return v ?? undefined;
}

/**
 * `walk` from the `i`th step of the path on (no copy of the rest of the path per step). `trail` holds the steps
 * taken below `at`, pushed and popped as the walk goes: a hit's path is made only for a value that is there.
 */
function walkFrom(root: Json | undefined, path: readonly (string | number)[], i: number, at: YamlPath, trail: (string | number)[], out: Hit[]): void {
  if (root === undefined || root === null) return;
  if (i === path.length) {
    out.push({ value: root, path: at.concat(trail) });
    return;
  }
  const head = path[i];
  if (head === '*') {
    if (Array.isArray(root)) {
      for (let j = 0; j < root.length; j++) {
        trail.push(j);
        walkFrom(root[j], path, i + 1, at, trail, out);
        trail.pop();
      }
    } else if (isObject(root)) {
      for (const k of Object.keys(root)) {
        trail.push(k);
        walkFrom(root[k], path, i + 1, at, trail, out);
        trail.pop();
      }
    }
    return;
  }
  const next = step(root, head);
  if (next === undefined || next === null) return;
  trail.push(head);
  walkFrom(next, path, i + 1, at, trail, out);
  trail.pop();
}

const regexes = new Map<string, RegExp>();
function re(source: string): RegExp {
  let r = regexes.get(source);
  if (!r) regexes.set(source, (r = new RegExp(source)));
  return r;
}

const show = (v: Json): string => (typeof v === 'string' ? `"${v.length > 60 ? `${v.slice(0, 57)}…` : v}"` : isObject(v) || Array.isArray(v) ? (Array.isArray(v) ? 'a list' : 'a map') : String(v));

/** Why a present value breaks `must`, or undefined when it meets it. */
function violation(v: Json, m: Must, root?: Json): string | undefined {
  if (m.absent) return 'is set';
  if (m.sameAs) {
    const other = walk(root, m.sameAs)[0]?.value;
    if (other !== undefined && other !== v) return `is ${show(v)}, not ${dotted(m.sameAs)} (${show(other)})`;
  }
  if (m.notMatching && isObject(v) && Object.entries(m.notMatching).every(([k, x]) => v[k] === x)) return `is ${Object.entries(m.notMatching).map(([k, x]) => `${k} ${String(x)}`).join(', ')}`;
  const scalar = v === null || typeof v !== 'object';
  if (m.oneOf && !(scalar && m.oneOf.includes(v as string))) return `is ${show(v)}, not ${m.oneOf.map((x) => String(x)).join(' or ')}`;
  if (m.notOneOf && scalar && m.notOneOf.includes(v as string)) return `is ${show(v)}`;
  if (m.min !== undefined && !(typeof v === 'number' && v >= m.min)) return typeof v === 'number' ? `is ${v}, below ${m.min}` : `is ${show(v)}, not a number`;
  if (m.max !== undefined && !(typeof v === 'number' && v <= m.max)) return typeof v === 'number' ? `is ${v}, above ${m.max}` : `is ${show(v)}, not a number`;
  if (m.pattern && !(scalar && re(m.pattern).test(String(v)))) return `is ${show(v)}`;
  if (m.notPattern && scalar && re(m.notPattern).test(String(v))) return `is ${show(v)}`;
  if (m.nonEmpty && !((Array.isArray(v) && v.length > 0) || (isObject(v) && Object.keys(v).length > 0))) return 'is empty';
  if (m.keysNotMatching && isObject(v)) {
    const bad = Object.keys(v).filter((k) => re(m.keysNotMatching!).test(k));
    if (bad.length) return `has ${bad.join(', ')}`;
  }
  if (m.exactlyOneOf && isObject(v)) {
    const set = m.exactlyOneOf.filter((k) => v[k] !== undefined && v[k] !== null);
    if (set.length !== 1) return set.length === 0 ? `sets none of ${m.exactlyOneOf.join(', ')}` : `sets both ${set.join(' and ')}`;
  }
  return undefined;
}

/** A path as written in messages: `spec.containers[0].image`. */
export const dotted = (path: readonly (string | number)[]): string => path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');

/**
 * How one kind of target is named and where its findings go. The targets are module constants taking the
 * target's context, so judging a container, pod or object makes no closure of its own.
 */
interface Target<C> {
  who(c: C): string;
  /** A finding at a path relative to the target. */
  anchor(c: C, rel: YamlPath, message: string, data?: Record<string, unknown>): RawFinding;
  /** A container's pod: the hits at `podPath`, for a container that leaves the field unset, and where their findings go. */
  pod?: { hits(c: C, podPath: readonly (string | number)[]): Hit[]; report(c: C, at: YamlPath, message: string, data?: Record<string, unknown>): RawFinding };
}

const CONTAINER: Target<ContainerCtx> = {
  who: (ctx) => `${describeContainer(ctx.c)} of ${ctx.obj.ref}`,
  anchor: (ctx, rel, message, data) => containerFinding(ctx, rel, message, data && { ...data, set: ctx.c.path.concat(data.set as YamlPath) }),
  pod: {
    hits: (ctx, podPath) => walk(ctx.obj.podSpec, podPath, ctx.obj.podSpecPath),
    report: (ctx, at, message, data) => findingAt(ctx, at, message, { container: ctx.c.name, data }),
  },
};

/** A pod spec or a whole object: findings at a path under `base` (the pod spec's path, or the object's). */
const underBase = (base: (ctx: Ctx) => YamlPath): Target<Ctx> => ({
  who: (ctx) => ctx.obj.ref,
  anchor: (ctx, rel, message, data) => findingAt(ctx, base(ctx).concat(rel), message, { data: data && { ...data, set: base(ctx).concat(data.set as YamlPath) } }),
});
const POD = underBase((ctx) => ctx.obj.podSpecPath!);
const OBJECT = underBase((ctx) => ctx.obj.base);

/** No finding: shared by the targets that pass (most of them), never written. */
const NONE: RawFinding[] = [];

/** The hint after a finding's message. */
const tail = (p: Params): string => (p.hint ? ` ${p.hint}` : '');

/**
 * Judges the hits of one target (`c`, named and placed by `target`). Its name and, for a container that
 * leaves the field unset, the pod's hits are asked for only when they are needed (most targets pass).
 */
function judge<C>(hits: Hit[], p: Params, target: Target<C>, c: C, root?: Json): RawFinding[] {
  if (hits.length === 0 && target.pod && p.podPath) {
    const podHits = target.pod.hits(c, p.podPath);
    if (podHits.length > 0) {
      let out: RawFinding[] = NONE;
      for (const h of podHits) {
        const why = violation(h.value, p.must);
        // the fix corrects the pod's value, where it is set
        const data = p.fixValue !== undefined && !p.must.absent ? { set: h.path, value: p.fixValue } : undefined;
        if (why) (out === NONE ? (out = []) : out).push(target.pod.report(c, h.path, `${target.who(c)}: ${dotted(p.podPath ?? [])} (from the pod) ${why}.${tail(p)}`, data));
      }
      return out;
    }
  }
  if (hits.length === 0) {
    if (p.unset === 'pass' || p.must.absent) return NONE;
    const wild = p.path.indexOf('*');
    const data = p.fixValue !== undefined && wild === -1 ? { set: p.path, value: p.fixValue } : undefined;
    // anchored at the deepest part of the path that exists (findingAt falls back to an ancestor)
    return [target.anchor(c, wild === -1 ? p.path : p.path.slice(0, wild), `${target.who(c)} does not set ${dotted(p.path)}.${tail(p)}`, data)];
  }
  let out: RawFinding[] = NONE;
  for (const h of hits) {
    const why = violation(h.value, p.must, root);
    if (!why) continue;
    const data = p.fixValue !== undefined && !p.must.absent ? { set: h.path, value: p.fixValue } : undefined;
    (out === NONE ? (out = []) : out).push(target.anchor(c, h.path, `${target.who(c)}: ${dotted(h.path)} ${why}.${tail(p)}`, data));
  }
  return out;
}

/** The hits of the path and of the further paths (alsoPaths) under a target. */
function hitsOf(root: Json | undefined, p: Params): Hit[] {
  if (!p.alsoPaths) return walk(root, p.path);
  const out: Hit[] = [];
  for (const path of [p.path, ...p.alsoPaths]) walk(root, path, TOP, out);
  return out;
}

/** The kinds an item judges, as a set made once per params object (which keeps its identity). */
const kindSets = new WeakMap<Params, ReadonlySet<string> | undefined>();
function kindsOf(p: Params): ReadonlySet<string> | undefined {
  if (!p.kinds) return undefined;
  let set = kindSets.get(p);
  if (!set) kindSets.set(p, (set = new Set(p.kinds)));
  return set;
}

/**
 * One field of a container, a pod spec or an object meets a condition (Polaris's schema checks, as data):
 * `target`, `path` (with `*` wildcards) and `must` say what; `unset` says what a missing field counts as.
 */
export const k8sField = fileCheck({
  id: 'k8s.field',
  description: 'A field of every container, pod spec or object of given kinds meets a condition (one of, none of, range, pattern, absent, non-empty, key rules).',
  params: Params,
  kinds: ['kubernetes'],
  run: (file, p) => {
    const kinds = kindsOf(p);
    const skipPod = (podSpec: Json | undefined): boolean => !!p.skipPods && walk(podSpec, p.skipPods.path).some((h) => p.skipPods!.oneOf.includes(h.value as string | number | boolean));
    if (p.target === 'container') {
      return forEachContainer(file, { init: p.includeInit, skipBatch: p.skipBatch }, (ctx) =>
        kinds && !kinds.has(ctx.obj.kind) ? undefined : p.skipPods && skipPod(ctx.obj.podSpec) ? NONE : judge(hitsOf(ctx.c.value, p), p, CONTAINER, ctx),
      );
    }
    if (p.target === 'pod') {
      return forEachPod(file, (ctx, podSpec) => (kinds && !kinds.has(ctx.obj.kind) ? undefined : p.skipPods && skipPod(podSpec) ? NONE : judge(hitsOf(podSpec, p), p, POD, ctx)), { skipBatch: p.skipBatch });
    }
    const model = k8sModel(file);
    if (!model) return undefined;
    const findings: RawFinding[] = [];
    let judged = false;
    for (const obj of model.objects) {
      if (obj.malformed || (kinds && !kinds.has(obj.kind))) continue;
      judged = true;
      if (p.skipObjects?.some((o) => o.kind === obj.kind && o.name === obj.name && (o.namespace === undefined || o.namespace === (obj.namespace ?? o.namespace)))) continue;
      const ctx: Ctx = { file: file as K8sFile, model, obj };
      for (const f of judge(hitsOf(obj.value, p), p, OBJECT, ctx, obj.value)) findings.push(f);
    }
    return judged ? { findings } : undefined;
  },
});
