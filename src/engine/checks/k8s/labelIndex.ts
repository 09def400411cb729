// The manifests' objects of one kind indexed by namespace and label pair: what selectors are matched against.
import { containersOf, getIn, isObject } from '../../parse/kubernetes';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { Derived, sameList } from '../derived';
import { placedObjects, type Placed } from './perObject';
import { selectorMatches, type Selector } from './selectors';

/** An indexed object with the labels a selector is matched against. */
export interface Labelled {
  at: Placed;
  labels: Readonly<Record<string, string>>;
}

/** Objects by namespace ('' for none), and by `namespace\0key=value` of their labels. */
export interface LabelIndex {
  byNs: Map<string, Labelled[]>;
  byPair: Map<string, Labelled[]>;
}

/** What is indexed: Services by their own labels, workloads by their pods' labels. */
export type LabelledKind = 'Service' | 'workload';

/** The port names a workload's containers declare; undefined for a custom resource whose containers are not written out. */
export function portNames(w: Placed): string[] | undefined {
  const names: string[] = [];
  // (a custom resource's pod template is read here only: see podLabelsOf)
  const custom = w.obj.podSpecPath ? undefined : getIn(w.obj.value, ['spec', 'template', 'spec', 'containers']);
  if (!w.obj.podSpecPath && !Array.isArray(custom)) return undefined;
  const containers = Array.isArray(custom) ? custom.filter(isObject) : containersOf(w.obj).map((c) => c.value);
  for (const ctn of containers) for (const port of Array.isArray(ctn.ports) ? ctn.ports : []) if (isObject(port) && typeof port.name === 'string') names.push(port.name);
  return names;
}

/** Labels as a selector sees them: string values only (none when they are not a map). */
function stringLabels(labels: unknown): Record<string, string> {
  const plain: Record<string, string> = {};
  if (isObject(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') plain[k] = v;
  return plain;
}

/** Where the cluster runs its own pods and Services (control plane, DNS, add-ons), which no manifest defines. */
export const CLUSTER_NAMESPACE = 'kube-system';

/**
 * The labels of the pods an object runs, or undefined for one that runs none: a workload's pod template labels, or a
 * custom resource's (which no check reads, but a Service or a policy selects; an Argo Rollout is a workload): its own pod template (`spec.template`
 * with containers: an OpenKruise CloneSet), the pod metadata an operator's resource sets
 * (`spec.podMetadata`: Prometheus, Alertmanager; `spec.podTemplate`), or, for one that says how many pods of which
 * image it runs (`spec.replicas`, `spec.image`), its own labels, which operators give the pods they make.
 */
function podLabelsOf(o: Placed): Readonly<Record<string, string>> | undefined {
  if (o.obj.workload) return o.obj.podLabels;
  if (o.obj.podSpecPath) return undefined;
  // a custom resource: an API group of its own, not one of Kubernetes' (`apps`, `networking.k8s.io`)
  const group = o.obj.apiVersion.includes('/') ? o.obj.apiVersion.slice(0, o.obj.apiVersion.indexOf('/')) : '';
  if (!group.includes('.') || group.endsWith('.k8s.io')) return undefined;
  const spec = getIn(o.obj.value, ['spec']);
  if (!isObject(spec)) return undefined;
  const template = spec.template;
  if (isObject(template) && isObject(template.spec) && Array.isArray(template.spec.containers)) return stringLabels(isObject(template.metadata) ? template.metadata.labels : undefined);
  const meta = isObject(spec.podMetadata) ? spec.podMetadata : isObject(spec.podTemplate) && isObject(spec.podTemplate.metadata) ? spec.podTemplate.metadata : undefined;
  if (meta) return stringLabels(meta.labels);
  if (typeof spec.replicas === 'number' || typeof spec.image === 'string') return stringLabels(getIn(o.obj.value, ['metadata', 'labels']));
  return undefined;
}

interface KindSpec {
  /** The labels a selector is matched against, or undefined for an object that is not of the kind. */
  labels(o: Placed): Readonly<Record<string, string>> | undefined;
  /** Everything readers of the index may look at besides namespace and labels (part of the early-cutoff key). */
  shown(o: Placed): unknown[];
}

const KINDS: Record<LabelledKind, KindSpec> = {
  Service: { labels: (o) => (o.obj.kind === 'Service' ? stringLabels(getIn(o.obj.value, ['metadata', 'labels'])) : undefined), shown: () => [] },
  // malformed workloads count too: their pods exist, whatever is wrong with their containers
  workload: { labels: podLabelsOf, shown: (w) => [w.obj.ref, portNames(w)] },
};

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function indexOf(kind: LabelledKind, spec: KindSpec): Derived<string[], LabelIndex> {
  return new Derived<string[], LabelIndex>(
    {
      kinds: ['kubernetes'],
      // what a manifest's objects of the kind show selectors: namespace, labels and what readers look at
      part: (file: ParsedFile) => {
        const out: string[] = [];
        for (const o of placedObjects(file)) {
          const labels = spec.labels(o);
          if (labels) out.push(JSON.stringify([o.obj.namespace ?? '', labels, ...spec.shown(o)]));
        }
        return out;
      },
      equal: sameList,
      build: (_parts, [files]) => {
        const ix: LabelIndex = { byNs: new Map(), byPair: new Map() };
        for (const file of files) {
          for (const o of placedObjects(file)) {
            const labels = spec.labels(o);
            if (!labels) continue;
            const ns = o.obj.namespace ?? '';
            const entry: Labelled = { at: o, labels };
            push(ix.byNs, ns, entry);
            for (const [k, v] of Object.entries(entry.labels)) push(ix.byPair, `${ns}\u0000${k}=${v}`, entry);
          }
        }
        return ix;
      },
    },
    `labels by namespace: ${kind}`,
  );
}

const INDEXES = new Map<LabelledKind, Derived<string[], LabelIndex>>(Object.keys(KINDS).map((k) => [k as LabelledKind, indexOf(k as LabelledKind, KINDS[k as LabelledKind])]));

/**
 * The manifests' Services or workloads by namespace and label pair: the same object while no manifest's
 * objects of that kind show anything else (namespace, labels, and for workloads name and port names).
 */
export function labelsByNamespace(ws: WorkspaceView, kind: LabelledKind): LabelIndex {
  return INDEXES.get(kind)!.get(ws);
}

/** The indexed objects whose labels a selector matches in a namespace, visiting only those sharing its rarest `In` pair. */
export function selectedIn(ix: LabelIndex, ns: string | undefined, sel: Selector): Labelled[] {
  const n0 = ns ?? '';
  let candidates = ix.byNs.get(n0) ?? [];
  for (const r of sel.reqs) {
    if (r.op !== 'In') continue;
    const lists = r.values.map((v) => ix.byPair.get(`${n0}\u0000${r.key}=${v}`) ?? []);
    const size = lists.reduce((n, l) => n + l.length, 0);
    if (size < candidates.length) candidates = lists.flat();
  }
  return candidates.filter((o) => selectorMatches(sel, o.labels));
}
