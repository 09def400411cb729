import type { RawFinding } from '../../model';
import { getIn, type K8sModel, type K8sObject } from '../../parse/kubernetes';
import type { YamlPath } from '../../parse/yamlSupport';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { Derived, lastParts, sameList, samePlain } from '../derived';
import type { CheckOutput } from '../template';
import { findingAt, k8sModel, mapField, type Ctx, type K8sFile } from './common';
import { LabelStats, sameNamespace } from './selectors';

/** An object with the file it came from. */
export interface Placed extends Ctx {
  file: K8sFile;
  model: K8sModel;
  obj: K8sObject;
}

export interface Autoscaler {
  at: Placed;
  /** HPA spec.minReplicas (default 1) / KEDA minReplicaCount (default 0). */
  min: number | undefined;
  max: number | undefined;
}

/** Kinds that own a pod template. */
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Job', 'CronJob', 'Pod']);

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

const cache = new WeakMap<object, Cluster>();

/**
 * Collects once per state of the Kubernetes files: `byKind` returns the same array until one of them
 * changes, so every check of an audit (and later audits, until such an edit) shares one Cluster.
 */
export function clusterOf(ws: WorkspaceView): Cluster {
  const key = ws.byKind('kubernetes');
  let c = cache.get(key);
  if (!c) {
    c = collect(key);
    cache.set(key, c);
  }
  return c;
}

const placedMemo = new WeakMap<K8sModel, readonly Placed[]>();

/** A manifest's objects with their file and model, made once per model and shared (read-only) by every cross-file check. */
export function placedObjects(file: ParsedFile): readonly Placed[] {
  const model = k8sModel(file);
  if (!model) return [];
  let list = placedMemo.get(model);
  if (!list) placedMemo.set(model, (list = model.objects.map((obj) => ({ file: file as K8sFile, model, obj }))));
  return list;
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
      if (WORKLOAD_KINDS.has(obj.kind) && !obj.malformed) {
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
  for (const at of byKind.get('HorizontalPodAutoscaler') ?? []) {
    const ref = mapField(mapField(at.obj.value, 'spec'), 'scaleTargetRef');
    if (!ref || typeof ref.kind !== 'string' || typeof ref.name !== 'string') continue;
    const min = getIn(at.obj.value, ['spec', 'minReplicas']);
    const max = getIn(at.obj.value, ['spec', 'maxReplicas']);
    addScaler(`${ref.kind}/${ref.name}`, { at, min: typeof min === 'number' ? min : min === undefined || min === null ? 1 : undefined, max: typeof max === 'number' ? max : undefined });
  }
  for (const at of byKind.get('ScaledObject') ?? []) {
    const ref = mapField(mapField(at.obj.value, 'spec'), 'scaleTargetRef');
    if (!ref || typeof ref.name !== 'string') continue;
    const kind = typeof ref.kind === 'string' ? ref.kind : 'Deployment';
    const min = getIn(at.obj.value, ['spec', 'minReplicaCount']);
    const max = getIn(at.obj.value, ['spec', 'maxReplicaCount']);
    addScaler(`${kind}/${ref.name}`, { at, min: typeof min === 'number' ? min : min === undefined || min === null ? 0 : undefined, max: typeof max === 'number' ? max : max === undefined || max === null ? 100 : undefined });
  }
  return {
    workloads,
    all,
    ofKind: (kind) => byKind.get(kind) ?? [],
    podLabelStats,
    autoscalerFor: (w) => scalers.get(`${w.kind}/${w.name}`)?.find((a) => sameNamespace(a.at.obj.namespace, w.namespace)),
  };
}

/** Where a finding about a whole workload goes: its metadata.name. */
export function objectFinding(p: Placed, message: string, path?: YamlPath, data?: Record<string, unknown>): RawFinding {
  return findingAt(p, path ?? p.obj.base.concat('metadata', 'name'), message, { data });
}

export function nsLabel(obj: K8sObject): string {
  return obj.namespace ? ` in namespace ${obj.namespace}` : '';
}

/** Objects that cover workloads (selectors, scale targets): what coverage checks look up. */
const COVER_KINDS = new Set(['PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ScaledObject', 'NetworkPolicy', 'Service']);

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
    } else if (WORKLOAD_KINDS.has(obj.kind) && !obj.malformed) out.push(`W${JSON.stringify(obj.podLabels)}`);
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

interface CoveragePart {
  judged: boolean;
  /** Findings per position of their workload's kind in the kinds (kinds given), else all at 0; absent when none. */
  byKind: (RawFinding[] | undefined)[] | undefined;
}

interface CoverageState<I> {
  facts: { cluster: Cluster };
  index: I;
  last?: { files: readonly ParsedFile[]; parts: CoveragePart[]; out: CheckOutput | undefined };
}

/** The part of a file with nothing to judge: shared, never written. */
const NO_PART: CoveragePart = Object.freeze({ judged: false, byKind: undefined });

/**
 * A cross-file Kubernetes check whose findings are about one workload at a time, judged against shared
 * facts (covering objects, autoscalers). Findings are memoised per manifest while the facts stand, so an
 * edit that leaves every covering object and pod label as it was re-judges only the edited manifest.
 */
export function workloadCoverage<P extends object, I>(spec: CoverageSpec<P, I>): (ws: WorkspaceView, p: P) => CheckOutput | undefined {
  const states = new WeakMap<P, CoverageState<I>>();
  return (ws, p) => {
    const facts = coverFacts.get(ws);
    let st = states.get(p);
    if (!st || st.facts !== facts) states.set(p, (st = { facts, index: spec.index(facts.cluster, p) }));
    const kinds = spec.kinds?.(p);
    // a kind's position in the kinds (the first, if listed twice)
    const wanted = kinds ? new Map([...kinds].reverse().map((k, i) => [k, kinds.length - 1 - i])) : undefined;
    const parts: CoveragePart[] = [];
    const files = ws.byKind('kubernetes');
    const last = st.last;
    const known = lastParts(last?.files, last?.parts, files);
    // the judge's findings for one workload; moved to the file's part when there are some
    const scratch: RawFinding[] = [];
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      let part = known(file, i);
      if (!part) {
        let judged = false;
        let byKind: (RawFinding[] | undefined)[] | undefined;
        for (const w of placedObjects(file)) {
          const at = wanted ? wanted.get(w.obj.kind) : 0;
          if (at === undefined || (!wanted && (!WORKLOAD_KINDS.has(w.obj.kind) || w.obj.malformed))) continue;
          if (spec.judge(w, st.index, facts.cluster, p, scratch)) judged = true;
          if (scratch.length === 0) continue;
          const list = ((byKind ??= [])[at] ??= []);
          for (let j = 0; j < scratch.length; j++) list.push(scratch[j]);
          scratch.length = 0;
        }
        part = judged || byKind ? { judged, byKind } : NO_PART; // most files hold nothing this check judges
        if (part !== NO_PART) {
          // An edit that leaves this file's findings as they were keeps the old part, and so the last output.
          const before = last && last.files[i]?.path === file.path ? last.parts[i] : undefined;
          if (before && before.judged === part.judged && samePlain(before.byKind, part.byKind)) part = before;
        }
      }
      parts.push(part);
    }
    if (last && sameList(last.parts, parts)) {
      last.files = files;
      return last.out;
    }
    const findings: RawFinding[] = [];
    for (let k = 0; k < (kinds?.length ?? 1); k++) for (const part of parts) for (const f of part.byKind?.[k] ?? []) findings.push(f);
    const out = parts.some((x) => x.judged) ? { findings } : undefined;
    st.last = { files, parts, out };
    return out;
  };
}
