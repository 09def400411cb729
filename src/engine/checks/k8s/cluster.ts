import type { RawFinding } from '../../model';
import { getIn, type K8sModel, type K8sObject } from '../../parse/kubernetes';
import type { YamlPath } from '../../parse/yamlSupport';
import type { WorkspaceView } from '../../workspace';
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
    c = collect(ws);
    cache.set(key, c);
  }
  return c;
}

function collect(ws: WorkspaceView): Cluster {
  const byKind = new Map<string, Placed[]>();
  const workloads: Placed[] = [];
  const podLabelStats = new LabelStats();
  for (const file of ws.byKind<K8sModel>('kubernetes')) {
    const model = k8sModel(file);
    if (!model) continue;
    for (const obj of model.objects) {
      const placed: Placed = { file, model, obj };
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
    ofKind: (kind) => byKind.get(kind) ?? [],
    podLabelStats,
    autoscalerFor: (w) => scalers.get(`${w.kind}/${w.name}`)?.find((a) => sameNamespace(a.at.obj.namespace, w.namespace)),
  };
}

/** Where a finding about a whole workload goes: its metadata.name. */
export function objectFinding(p: Placed, message: string, path?: YamlPath, data?: Record<string, unknown>): RawFinding {
  return findingAt(p, path ?? [...p.obj.base, 'metadata', 'name'], message, { data });
}

export function nsLabel(obj: K8sObject): string {
  return obj.namespace ? ` in namespace ${obj.namespace}` : '';
}
