import type { Node } from 'yaml';
import type { Range, RawFinding, Unaudited } from '../../model';
import { containersOf, getIn, isObject, rangeAt, typeName, type Json, type JsonObject, type K8sContainer, type K8sModel, type K8sObject } from '../../parse/kubernetes';
import { deepestKey, nodeAt, nodeRange, type YamlPath } from '../../parse/yamlSupport';
import type { ParsedFile } from '../../workspace';
import { fileCheck, type CheckOutput, type FileCheckTemplate } from '../template';
import type { z } from 'zod';

export type K8sFile = ParsedFile<K8sModel>;

/** The Kubernetes model of a parsed file, or undefined when the file was not parsed. */
export function k8sModel(file: ParsedFile): K8sModel | undefined {
  const m = file.model as K8sModel | undefined;
  if (!m || !Array.isArray(m.objects)) return undefined;
  return m;
}

/** A field of the wrong type that a check asked for. */
interface Missed {
  parent: JsonObject;
  key: string;
  found: unknown;
  expected: string;
}

/**
 * The wrongly typed fields the running checks asked for (`mapField`, `listField`): a check of one
 * container or pod runs synchronously, so the fields it could not read are collected here while it runs
 * (after those of the checks it runs within) and reported as what it could not audit when it returns undefined.
 */
const unreadable: Missed[] = [];
/** How many container or pod checks are running (the fields are collected only inside one). */
let reading = 0;
const NOTHING_MISSED: readonly Missed[] = Object.freeze([]);

/** The wrongly typed fields the last check run by `readingFields` asked for. */
let lastMissed: readonly Missed[] = NOTHING_MISSED;

/** Runs a check of one container or pod and returns its result; `lastMissed` is then the wrongly typed fields it asked for. */
function readingFields<A, B, T>(check: (a: A, b: B) => T, a: A, b: B): T {
  const start = unreadable.length;
  reading++;
  try {
    return check(a, b);
  } finally {
    reading--;
    lastMissed = unreadable.length === start ? NOTHING_MISSED : unreadable.splice(start);
  }
}

/** The path from `root` to the object `target` inside it (a short search: a container or pod spec is small). */
function pathTo(root: unknown, target: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | undefined {
  if (root === target) return path;
  if (depth > 12 || typeof root !== 'object' || root === null) return undefined;
  for (const [k, v] of Array.isArray(root) ? root.entries() : Object.entries(root)) {
    if (typeof v !== 'object' || v === null) continue;
    const found = pathTo(v, target, [...path, k], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** What a check could not audit on one container or pod: each wrongly typed field it asked for, at the field. */
function unauditedFields(ctx: Ctx, missed: readonly Missed[], out: Omit<Unaudited, 'rules'>[]): void {
  for (const m of missed) {
    const rel = pathTo(ctx.obj.value, m.parent);
    if (!rel) continue;
    const path = ctx.obj.base.concat(rel, m.key);
    const shown = rel.concat(m.key).map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').slice(1);
    out.push({ file: ctx.file.path, range: rangeAt(ctx.model, ctx.obj, path), reason: `${shown} should be ${m.expected}, found ${typeName(m.found)}; it could not be checked`, scope: 'field', kind: 'kubernetes', object: ctx.obj.ref });
  }
}

/** Objects that carry a well-formed pod template (workloads and bare Pods). */
export function hasPodSpec(obj: K8sObject): boolean {
  return !!obj.podSpec && !!obj.podSpecPath && !obj.malformed;
}

/** A map field: the map; `null` when absent or null; `undefined` when it has the wrong type (malformed). */
export function mapField(parent: JsonObject | null | undefined, key: string): JsonObject | null | undefined {
  const v = parent?.[key];
  if (v === undefined || v === null) return null;
  if (isObject(v)) return v;
  if (reading > 0) unreadable.push({ parent: parent!, key, found: v, expected: 'a map' });
  return undefined;
}

/** A list field: the list; `null` when absent or null; `undefined` when it has the wrong type. */
export function listField(parent: JsonObject | null | undefined, key: string): Json[] | null | undefined {
  const v = parent?.[key];
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v;
  if (reading > 0) unreadable.push({ parent: parent!, key, found: v, expected: 'a list' });
  return undefined;
}

export interface Ctx {
  file: K8sFile;
  model: K8sModel;
  obj: K8sObject;
}

export interface ContainerCtx extends Ctx {
  c: K8sContainer;
  /** Where the container's node sits in its document: found by its first finding, then shared (see containerContexts). */
  place?: Place;
}

/**
 * A finding anchored at a path of the object's document (the key when present, else its nearest ancestor).
 * The finding keeps `path`: pass a fresh array. Its data shares the model's paths, which nothing mutates.
 */
export function findingAt(ctx: Ctx, path: YamlPath, message: string, extra: { container?: string; containerPath?: YamlPath; data?: Record<string, unknown>; range?: Range } = {}): RawFinding {
  // Enough for a fix to find the object again in the current text (see fixes/k8s/common.ts).
  const obj = ctx.obj;
  const data: Record<string, unknown> = { path, docIndex: obj.docIndex, objectPath: obj.base };
  if (obj.podSpecPath) data.podSpecPath = obj.podSpecPath;
  if (extra.containerPath) data.containerPath = extra.containerPath;
  if (extra.data) for (const k in extra.data) data[k] = extra.data[k];
  const file = ctx.file.path;
  const range = extra.range ?? rangeAt(ctx.model, obj, path);
  const object = obj.ref;
  // two literals rather than spreads: the same keys in the same order, built directly
  return extra.container !== undefined ? { file, range, message, object, container: extra.container, data } : { file, range, message, object, data };
}

/** A finding about one container, anchored at `rel` under the container (e.g. ['securityContext', 'privileged']). */
export function containerFinding(ctx: ContainerCtx, rel: YamlPath, message: string, data?: Record<string, unknown>): RawFinding {
  return findingAt(ctx, ctx.c.path.concat(rel), message, { container: ctx.c.name, containerPath: ctx.c.path, data, range: containerRangeAt(ctx, rel) });
}

/** Where a container's node sits in its document. */
interface Place {
  /** The container's map node, when the walk to it succeeds. */
  node: unknown;
  /** The deepest key on the way to it (the container's `name` key, usually). */
  key: Node | undefined;
}

/**
 * `rangeAt(model, obj, c.path + rel)`, walking from the container's node: the part of the walk down to the
 * container is done once per container rather than once per finding.
 */
function containerRangeAt(ctx: ContainerCtx, rel: YamlPath): Range {
  const root = ctx.model.docs[ctx.obj.docIndex]?.contents;
  const place = (ctx.place ??= { node: nodeAt(root, ctx.c.path), key: deepestKey(root, ctx.c.path) });
  const at = (place.node !== undefined ? deepestKey(place.node, rel) : undefined) ?? place.key;
  // no key anywhere on the path: the plain walk's fallback (the document's start, else the object)
  return at ? (nodeRange(ctx.model.lineCounter, at) ?? ctx.obj.range) : rangeAt(ctx.model, ctx.obj, ctx.c.path.concat(rel));
}

export function describeContainer(c: K8sContainer): string {
  return `${c.init ? 'Init container' : 'Container'} "${c.name}"`;
}

export interface ContainerScope {
  /** Also check initContainers. */
  init: boolean;
  /** Skip Job and CronJob pods (they run to completion). */
  skipBatch?: boolean;
}

/**
 * Runs `check` on every container of every workload in a Kubernetes file. `check` returns findings,
 * `[]` for a pass, or `undefined` when the container is not its business or cannot be judged: when it
 * asked for a field of the wrong type (`mapField`, `listField`), that field is unaudited for this check
 * (never a pass), and every other container and check is judged as usual. The file result is undefined
 * (not applicable) when nothing was judged or unaudited.
 */
export function forEachContainer(file: ParsedFile, scope: ContainerScope, check: (ctx: ContainerCtx) => RawFinding[] | undefined): CheckOutput | undefined {
  const model = k8sModel(file);
  if (!model) return undefined;
  const findings: RawFinding[] = [];
  let unaudited: Omit<Unaudited, 'rules'>[] | undefined;
  let judged = false;
  for (const ctx of containerContexts(file as K8sFile, model, scope.init)) {
    if (scope.skipBatch && ctx.obj.batch) continue;
    const out = readingFields(check, ctx, undefined);
    if (out === undefined) {
      if (lastMissed.length) unauditedFields(ctx, lastMissed, (unaudited ??= []));
      continue;
    }
    judged = true;
    for (let i = 0; i < out.length; i++) findings.push(out[i]);
  }
  if (unaudited) return { findings, unaudited };
  return judged ? { findings } : undefined;
}

const contexts = new WeakMap<K8sModel, { plain?: readonly ContainerCtx[]; withInit?: readonly ContainerCtx[] }>();

/**
 * The context of every container of the file's pod templates, made once per model and shared by every
 * container check (they read it, never change it): a file's dozens of checks then allocate none.
 */
function containerContexts(file: K8sFile, model: K8sModel, init: boolean): readonly ContainerCtx[] {
  let memo = contexts.get(model);
  if (!memo) contexts.set(model, (memo = {}));
  const known = init ? memo.withInit : memo.plain;
  if (known) return known;
  const list: ContainerCtx[] = [];
  for (const obj of model.objects) {
    if (!hasPodSpec(obj)) continue;
    // `place` is filled by the first finding that needs it (declared here: one shape for every context)
    for (const c of containersOf(obj, { init })) list.push({ file, model, obj, c, place: undefined });
  }
  if (init) memo.withInit = list;
  else memo.plain = list;
  return list;
}

/** Runs `check` on every object with a pod spec (pod-level fields such as hostNetwork). */
export function forEachPod(file: ParsedFile, check: (ctx: Ctx, podSpec: JsonObject) => RawFinding[] | undefined, opts: { skipBatch?: boolean } = {}): CheckOutput | undefined {
  const model = k8sModel(file);
  if (!model) return undefined;
  const findings: RawFinding[] = [];
  let unaudited: Omit<Unaudited, 'rules'>[] | undefined;
  let judged = false;
  for (const obj of model.objects) {
    if (!hasPodSpec(obj) || (opts.skipBatch && obj.batch)) continue;
    const ctx: Ctx = { file: file as K8sFile, model, obj };
    const out = readingFields(check, ctx, obj.podSpec!);
    if (out === undefined) {
      if (lastMissed.length) unauditedFields(ctx, lastMissed, (unaudited ??= []));
      continue;
    }
    judged = true;
    for (let i = 0; i < out.length; i++) findings.push(out[i]);
  }
  if (unaudited) return { findings, unaudited };
  return judged ? { findings } : undefined;
}

/** A file-scope template over containers; keeps each template module to its rule logic. */
export function containerCheck<P>(t: {
  id: string;
  description: string;
  params: z.ZodType<P>;
  scope: (p: P) => ContainerScope;
  check: (ctx: ContainerCtx, p: P) => RawFinding[] | undefined;
  reads?: (p: P) => readonly string[];
}): FileCheckTemplate<P> {
  return fileCheck<P>({
    id: t.id,
    description: t.description,
    params: t.params,
    reads: t.reads,
    kinds: ['kubernetes'],
    run: (file, p) => forEachContainer(file, t.scope(p), (ctx) => t.check(ctx, p)),
  });
}

/** The pod-level security context of the container's pod (null when absent, undefined when malformed). */
export function podSecurityContext(ctx: Ctx): JsonObject | null | undefined {
  return mapField(ctx.obj.podSpec, 'securityContext');
}

/** `spec.replicas` of a workload: a number, `null` when unset, `undefined` when not a number. */
export function replicasOf(obj: K8sObject): number | null | undefined {
  const v = getIn(obj.value, ['spec', 'replicas']);
  if (v === undefined || v === null) return null;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Do two values have the same stable JSON (sorted keys)? Compared in place rather than by building both
 * strings: lists item by item, maps key by key whatever their order, anything else by its JSON.
 */
export function sameCanonical(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameCanonical(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) if (!Object.hasOwn(b, k) || !sameCanonical(a[k], b[k])) return false;
    return true;
  }
  return a === b || (JSON.stringify(a) ?? 'null') === (JSON.stringify(b) ?? 'null');
}
