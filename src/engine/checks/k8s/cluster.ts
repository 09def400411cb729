import type { RawFinding } from '../../model';
import { shownNamespace } from '../../render/releaseNamespace';
import type { K8sObject } from '../../parse/kubernetes';
import type { YamlPath } from '../../parse/yamlSupport';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { Derived, sameList } from '../derived';
import type { CheckOutput } from '../template';
import { findingAt, k8sModel, mapField } from './common';
import { perObject, placedObjects, type Placed } from './perObject';
import { LabelStats, sameNamespace } from './selectors';

export { type Placed } from './perObject';

export interface Autoscaler {
  at: Placed;
  /** HPA spec.minReplicas (default 1) / KEDA minReplicaCount (default 0). */
  min: number | undefined;
  max: number | undefined;
}

/** Every Kubernetes object of the workspace, grouped by kind, plus the indexes cross-file checks share. */
export interface Cluster {
  /** Workloads and Pods whose pod template is well formed (malformed ones are left out). */
  workloads: Placed[];
  /** Every object, in file order. */
  all: Placed[];
  ofKind(kind: string): readonly Placed[];
  /** Label statistics of the workloads' pod labels (for selector indexes). */
  podLabelStats: LabelStats;
  /** The HorizontalPodAutoscaler or KEDA ScaledObject that scales a workload, in a compatible namespace. */
  autoscalerFor(w: K8sObject): Autoscaler | undefined;
}

function collect(files: readonly ParsedFile[]): Cluster {
  const byKind = new Map<string, Placed[]>();
  const workloads: Placed[] = [];
  const all: Placed[] = [];
  const podLabelStats = new LabelStats();
  for (const file of files) {
    for (const placed of placedObjects(file)) {
      const obj = placed.obj;
      all.push(placed);
      const list = byKind.get(obj.kind);
      if (list) list.push(placed);
      else byKind.set(obj.kind, [placed]);
      if (obj.workload && !obj.malformed) {
        workloads.push(placed);
        podLabelStats.add(obj.podLabels);
      }
    }
  }
  // Autoscalers by target `Kind/name`; the namespace is compared at lookup.
  const scalers = new Map<string, Autoscaler[]>();
  const addScaler = (target: string, a: Autoscaler) => {
    const list = scalers.get(target);
    if (list) list.push(a);
    else scalers.set(target, [a]);
  };
  for (const at of [...(byKind.get('HorizontalPodAutoscaler') ?? []), ...(byKind.get('ScaledObject') ?? [])]) {
    const b = autoscalerBounds(at);
    if (b.kind !== undefined && b.name !== undefined) addScaler(`${b.kind}/${b.name}`, { at, min: b.min, max: b.max });
  }
  return {
    workloads,
    all,
    ofKind: (kind) => byKind.get(kind) ?? [],
    podLabelStats,
    autoscalerFor: (w) => scalers.get(`${w.kind}/${w.name}`)?.find((a) => sameNamespace(a.at.obj.namespace, w.namespace)),
  };
}

/** What an autoscaler says of its target and bounds. */
export interface AutoscalerBounds {
  /** The target's kind (a ScaledObject's defaults to Deployment) and name, when given. */
  kind?: string;
  name?: string;
  /** The bounds as Kubernetes and KEDA default them; undefined when written as something other than a number. */
  min?: number;
  max?: number;
  /** The spec fields that hold them (minReplicas / minReplicaCount…). */
  fields: { min: string; max: string };
}

/**
 * An HPA's or KEDA ScaledObject's target and bounds: an HPA's minReplicas defaults to 1, a ScaledObject's
 * minReplicaCount to 0 and maxReplicaCount to 100.
 */
export function autoscalerBounds(at: Placed): AutoscalerBounds {
  const keda = at.obj.kind === 'ScaledObject';
  const fields = keda ? { min: 'minReplicaCount', max: 'maxReplicaCount' } : { min: 'minReplicas', max: 'maxReplicas' };
  const spec = mapField(at.obj.value, 'spec');
  const ref = mapField(spec, 'scaleTargetRef');
  const bound = (v: unknown, unset: number | undefined) => (typeof v === 'number' ? v : v === undefined || v === null ? unset : undefined);
  const kind = typeof ref?.kind === 'string' ? ref.kind : keda ? 'Deployment' : undefined;
  return { kind, name: typeof ref?.name === 'string' ? ref.name : undefined, min: bound(spec?.[fields.min], keda ? 0 : 1), max: bound(spec?.[fields.max], keda ? 100 : undefined), fields };
}

/** Where a finding about a whole workload goes: its metadata.name. */
export function objectFinding(p: Placed, message: string, path?: YamlPath, data?: Record<string, unknown>): RawFinding {
  return findingAt(p, path ?? p.obj.base.concat('metadata', 'name'), message, { data });
}

export function nsLabel(obj: K8sObject): string {
  const shown = shownNamespace(obj.namespace);
  return shown ? ` in namespace ${shown}` : '';
}

/** Objects that cover workloads (selectors, scale targets), and roles that bindings name: what cross-object checks look up. */
const COVER_KINDS = new Set(['PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ScaledObject', 'NetworkPolicy', 'Service', 'Role', 'ClusterRole']);

/**
 * What a manifest contributes to the facts coverage checks share: the source and position of each covering
 * object's document, and the pod labels of its workloads (they weigh the selector indexes). Equal
 * signatures mean equal facts, whatever else the edit changed.
 */
function coverSignature(file: ParsedFile): string[] {
  const model = k8sModel(file);
  if (!model) return [];
  const out: string[] = [];
  for (const obj of model.objects) {
    if (COVER_KINDS.has(obj.kind)) {
      // The document's node, not the document: a comment after it (at the end of the file) is not part of the object.
      const range = (model.docs[obj.docIndex]?.contents as { range?: [number, number, number] } | null | undefined)?.range;
      const start = obj.range ? `${obj.range.start.line}:${obj.range.start.character}` : '';
      out.push(`C${obj.docIndex}|${start}|${range ? file.text.slice(range[0], range[1]) : JSON.stringify(obj.value)}`);
    } else if (obj.workload && !obj.malformed) out.push(`W${JSON.stringify(obj.podLabels)}`);
  }
  return out;
}

/** The cluster as coverage checks see it; the same object while no manifest's signature changed. */
const coverFacts = new Derived<string[], { cluster: Cluster }>({
  kinds: ['kubernetes'],
  part: coverSignature,
  equal: sameList,
  build: (_parts, [files]) => ({ cluster: collect(files) }),
});

export interface CoverageSpec<P, I> {
  /** Workload kinds, in the order findings are reported (kind by kind); without it every workload in file order. */
  kinds?: (p: P) => readonly string[];
  /** What covers workloads (selector indexes…), built once per state of the covering objects. */
  index(c: Cluster, p: P): I;
  /** Judges one workload (an object of the kinds, or any well-formed workload), adding findings; returns whether it was judged. */
  judge(w: Placed, index: I, c: Cluster, p: P, findings: RawFinding[]): boolean;
}

interface Covering<I> {
  cluster: Cluster;
  index: I;
}

/**
 * A cross-file Kubernetes check whose findings are about one workload at a time, judged against shared
 * facts (covering objects, autoscalers): see perObject. The facts stand while no manifest's covering
 * objects or pod labels changed; the check's index is made once per state of them.
 */
export function workloadCoverage<P extends object, I>(spec: CoverageSpec<P, I>): (ws: WorkspaceView, p: P) => CheckOutput | undefined {
  const indexes = new WeakMap<P, Covering<I>>();
  return perObject<P, Covering<I>>({
    facts: (ws, p) => {
      const { cluster } = coverFacts.get(ws);
      let st = indexes.get(p);
      if (!st || st.cluster !== cluster) indexes.set(p, (st = { cluster, index: spec.index(cluster, p) }));
      return st;
    },
    kinds: spec.kinds,
    judge: (w, st, p, findings) => spec.judge(w, st.index, st.cluster, p, findings),
  });
}
