import { z } from 'zod';
import { containersOf, getIn, isObject, type Json, type K8sContainer } from '../../parse/kubernetes';
import type { YamlPath } from '../../parse/yamlSupport';
import { workspaceCheck } from '../template';
import { walk, type Hit } from './field';
import { findingAt, hasPodSpec } from './common';
import type { ParsedFile } from '../../workspace';
import { Derived, sameList } from '../derived';
import { nsLabel } from './cluster';
import { perObject, placedObjects } from './perObject';
import { unlessUnread } from './unread';
import { mapSelector, selectorMatches } from './selectors';

const Ref = z.strictObject({
  from: z.enum(['object', 'pod', 'container']).default('object').describe('Where the path starts: the object, its pod spec, or each of its containers (init containers too).'),
  path: z.array(z.union([z.string(), z.number()])).min(1).describe('Path to the reference; "*" visits every item of a list.'),
  name: z.string().default('name').describe('The field of the reference holding the target name (the reference itself when it is a string).'),
  kindField: z.string().optional().describe('A field of the reference naming the target kind (scaleTargetRef.kind); the target kinds are then that kind.'),
  builtIn: z.array(z.string()).default([]).describe('Names that always exist without a manifest (the default ServiceAccount of every namespace).'),
  key: z.string().optional().describe('A field of the reference naming a key of the target (configMapKeyRef.key): the target must hold that key when the manifests give its data.'),
  governing: z.boolean().default(false).describe("The reference names a StatefulSet's governing Service: it must be headless (clusterIP None) and its selector must select the pod template labels."),
});

const Params = z.strictObject({
  kinds: z.array(z.string()).min(1).describe('Kinds of the objects whose references are checked.'),
  refs: z.array(Ref).min(1),
  targets: z.array(z.string()).min(1).describe('Kinds that can satisfy the reference (an ExternalSecret counts under its target name).'),
  absentKinds: z.enum(['pass', 'fail']).default('fail').describe('When the repository defines no object of the target kinds at all (e.g. Secrets made by another tool): pass, or fail every reference.'),
  what: z.string().default('object').describe('What the reference points at, for messages (e.g. "Service", "ConfigMap").'),
});
type Params = z.infer<typeof Params>;

/** Names of every object, `kind\0namespace\0name`, and the kinds defined. */
interface Names {
  has(kind: string, ns: string | undefined, name: string): boolean;
  /** The data keys of a ConfigMap or Secret the manifests write out; undefined when its content is not known. */
  keys(kind: string, ns: string | undefined, name: string): ReadonlySet<string> | undefined;
  kinds: Set<string>;
  /** A Service's clusterIP and selector, as `[clusterIP, selector]` JSON; undefined when no manifest defines it. */
  service(ns: string | undefined, name: string): string | undefined;
}

/** The maps that hold a ConfigMap's or a Secret's keys. */
const DATA_FIELDS: Record<string, readonly string[]> = { ConfigMap: ['data', 'binaryData'], Secret: ['data', 'stringData'] };
/** Marks a part's entry that lists an object's keys rather than naming it. */
const KEYS = '\u0001';
/** Marks a part's entry that gives a Service's clusterIP and selector. */
const SERVICE = '\u0002';

/** What a manifest defines: `kind\0namespace\0name` per object (an ExternalSecret or SealedSecret also defines its Secret). */
function definedIn(file: ParsedFile): string[] {
  const out: string[] = [];
  for (const { obj } of placedObjects(file)) {
    out.push(`${obj.kind}\u0000${obj.namespace ?? ''}\u0000${obj.name}`);
    // a ConfigMap's or Secret's keys, when it writes any out (one made by another tool has none to tell)
    const fields = DATA_FIELDS[obj.kind];
    const maps = fields ? fields.map((f) => obj.value[f]).filter(isObject) : [];
    if (maps.length) out.push(`${KEYS}${obj.kind}\u0000${obj.namespace ?? ''}\u0000${obj.name}\u0000${maps.flatMap((m) => Object.keys(m)).join(KEYS)}`);
    // a Service's clusterIP and selector, which a StatefulSet's governing Service is judged by
    if (obj.kind === 'Service') out.push(`${SERVICE}${obj.namespace ?? ''}\u0000${obj.name}\u0000${JSON.stringify([getIn(obj.value, ['spec', 'clusterIP']) ?? null, getIn(obj.value, ['spec', 'selector']) ?? null])}`);
    // ExternalSecret and SealedSecret make a Secret; an ExternalSecret's may be named by spec.target.name
    if (obj.kind === 'ExternalSecret' || obj.kind === 'SealedSecret') {
      const target = getIn(obj.value, ['spec', 'target', 'name']);
      out.push(`Secret\u0000${obj.namespace ?? ''}\u0000${typeof target === 'string' ? target : obj.name}`);
    }
  }
  return out;
}

/** The names the manifests define: the same object while no manifest defines another set of names. */
const names = new Derived<string[], Names>({
  kinds: ['kubernetes'],
  part: definedIn,
  equal: sameList,
  build: ([parts]) => {
    const set = new Set<string>();
    const kinds = new Set<string>();
    // an object defined more than once (overlays, environments) holds every key any definition gives
    const keys = new Map<string, Set<string>>();
    const services = new Map<string, string>();
    for (const part of parts) {
      for (const entry of part) {
        if (entry.startsWith(SERVICE)) {
          const cut = entry.indexOf('\u0000', entry.indexOf('\u0000') + 1);
          services.set(entry.slice(SERVICE.length, cut), entry.slice(cut + 1));
          continue;
        }
        if (entry.startsWith(KEYS)) {
          const cut = entry.lastIndexOf('\u0000');
          const id = entry.slice(KEYS.length, cut);
          const known = keys.get(id) ?? new Set<string>();
          for (const k of entry.slice(cut + 1).split(KEYS)) if (k) known.add(k);
          keys.set(id, known);
          continue;
        }
        set.add(entry);
        kinds.add(entry.slice(0, entry.indexOf('\u0000')));
      }
    }
    const id = (kind: string, ns: string | undefined, name: string) => `${kind}\u0000${ns ?? ''}\u0000${name}`;
    return { has: (kind, ns, name) => set.has(id(kind, ns, name)), keys: (kind, ns, name) => keys.get(id(kind, ns, name)), kinds, service: (ns, name) => services.get(`${ns ?? ''}\u0000${name}`) };
  },
});

/** What keeps a Service from governing a StatefulSet's pods: not headless, or a selector that misses the pod labels. */
function governingProblem(service: string | undefined, podLabels: Readonly<Record<string, string>>): string | undefined {
  if (service === undefined) return undefined;
  const [clusterIP, selector] = JSON.parse(service) as [unknown, unknown];
  if (clusterIP !== 'None') return clusterIP === undefined || clusterIP === null ? 'is not headless (set clusterIP: None)' : `is not headless (clusterIP ${JSON.stringify(clusterIP)}, not None)`;
  const sel = mapSelector(selector);
  if (sel === undefined) return undefined;
  if (sel === null) return 'has no selector, so no endpoints are made for the pods';
  return selectorMatches(sel, podLabels) ? undefined : 'does not select the pod template labels';
}

/**
 * Every reference of an object to another object by name (an HPA's scaleTargetRef, an Ingress backend,
 * a container's configMapKeyRef) names an object the repository defines in the same namespace. Names are
 * looked up in one set, made again only when a manifest defines other names; a manifest's findings are
 * kept while it does not (see perObject).
 */
/** An object without containers to read: shared, never written. */
const NO_CONTAINERS: readonly K8sContainer[] = Object.freeze([]);

export const referenceExists = workspaceCheck({
  id: 'k8s.reference-exists',
  description: 'Every reference of the given kinds to another object by name (scale target, backend Service, ConfigMap or Secret) resolves to an object the manifests define in the same namespace.',
  params: Params,
  kinds: ['kubernetes'],
  run: unlessUnread(perObject<Params, Names>({
    facts: (ws) => names.get(ws),
    kinds: (p) => p.kinds,
    judge: (w, names, p, findings) => {
      const obj = w.obj;
      if (obj.malformed) return false;
      // where the references start: the object, its pod spec, each of its containers (init containers too)
      const pod = hasPodSpec(obj);
      const reads = (from: string) => p.refs.some((r) => r.from === from);
      const containers = pod && reads('container') ? containersOf(obj, { init: true }) : NO_CONTAINERS;
      if (!reads('object') && !(pod && reads('pod')) && containers.length === 0) return false;
      const anyTarget = p.targets.some((k) => names.kinds.has(k));
      for (const r of p.refs) {
        const judgeAt = (root: Json | undefined, base: YamlPath) => {
          const hits: Hit[] = [];
          walk(root, r.path, base, hits);
          for (const h of hits) {
            const ref = h.value;
            if (isObject(ref) && ref.optional === true) continue;
            const name = typeof ref === 'string' ? ref : isObject(ref) ? ref[r.name] : undefined;
            if (typeof name !== 'string' || !name || r.builtIn.includes(name)) continue;
            const kinds = r.kindField ? (isObject(ref) && typeof ref[r.kindField] === 'string' ? [ref[r.kindField] as string] : []) : p.targets;
            if (kinds.length === 0) continue;
            const found = kinds.find((k) => names.has(k, obj.namespace, name));
            if (found) {
              const key = r.key && isObject(ref) ? ref[r.key] : undefined;
              const held = typeof key === 'string' ? names.keys(found, obj.namespace, name) : undefined;
              if (held && typeof key === 'string' && !held.has(key)) findings.push(findingAt(w, h.path.concat(r.key!), `${obj.ref} reads key "${key}" of ${found} "${name}", which has no such key; the container will not start (CreateContainerConfigError).`));
              if (r.governing && found === 'Service') {
                const problem = governingProblem(names.service(obj.namespace, name), obj.podLabels);
                if (problem) findings.push(findingAt(w, typeof ref === 'string' ? h.path : h.path.concat(r.name), `${obj.ref} is governed by Service "${name}", which ${problem}; its pods get no stable DNS names (${obj.name}-0.${name}).`));
              }
              continue;
            }
            if (!r.kindField && !anyTarget && p.absentKinds === 'pass') continue;
            const at = typeof ref === 'string' ? h.path : h.path.concat(r.name);
            findings.push(findingAt(w, at, `${obj.ref} refers to ${r.kindField ? kinds[0] : p.what} "${name}", which no manifest defines${nsLabel(obj) || ' (in the same namespace)'}; ${p.kinds.includes('HorizontalPodAutoscaler') ? 'nothing is autoscaled' : 'it will not resolve when applied'}.`));
          }
        };
        if (r.from === 'object') judgeAt(obj.value, obj.base);
        else if (r.from === 'pod') {
          if (pod) judgeAt(obj.podSpec, obj.podSpecPath!);
        } else for (let i = 0; i < containers.length; i++) judgeAt(containers[i].value, containers[i].path);
      }
      return true;
    },
  }), (kind, p) => p.targets.includes(kind) || p.refs.some((r) => r.kindField !== undefined)),
});
