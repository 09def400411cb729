import { z } from 'zod';
import type { RawFinding } from '../../model';
import { getIn } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { mapField, replicasOf } from './common';
import { objectFinding, type Cluster, type Placed, workloadCoverage } from './cluster';
import { describeSelector, LabelStats, labelSelector, SelectorIndex, type Selector } from './selectors';
import { resolveIntOrPercent } from './strategy';

const KINDS = ['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout', 'ReplicaSet'] as const;

/**
 * The labels a PDB's selector is matched against: the pod template's, or, for a workload whose template has none,
 * its own selector's matchLabels (the API requires every pod it makes to carry them).
 */
function podLabelsOf(w: Placed): Readonly<Record<string, string>> {
  if (Object.keys(w.obj.podLabels).length > 0) return w.obj.podLabels;
  const ml = getIn(w.obj.value, ['spec', 'selector', 'matchLabels']);
  const out: Record<string, string> = {};
  if (ml && typeof ml === 'object' && !Array.isArray(ml)) for (const [k, v] of Object.entries(ml)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return out;
}

/** What makes a PDB allow no eviction whatever it selects (maxUnavailable 0 or 0%, minAvailable 100%), as the field set. */
function blocksAlone(spec: Record<string, unknown>): 'maxUnavailable' | 'minAvailable' | undefined {
  const maxU = spec.maxUnavailable;
  const minA = spec.minAvailable;
  if (maxU !== undefined && maxU !== null && resolveIntOrPercent(maxU, 100, true) === 0) return 'maxUnavailable';
  if (typeof minA === 'string' && /^\s*\d+%\s*$/.test(minA) && parseInt(minA, 10) >= 100) return 'minAvailable';
  return undefined;
}

/** A value of minAvailable or maxUnavailable as written, for messages. */
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Every PodDisruptionBudget allows at least one voluntary eviction. On its own: maxUnavailable 0 (or 0%) and minAvailable
 * 100% never allow one. Against what it selects: minAvailable at or above the replicas of a workload it covers (its
 * autoscaler's minimum when one scales it) leaves no pod to evict at that count. Either way node drains and cluster
 * upgrades wait forever. The second is judged from each workload (its replicas are its own, the PDBs and autoscalers
 * the shared facts), so an edit of a workload is judged again without rebuilding those facts.
 */
export const pdbEviction = workspaceCheck({
  id: 'k8s.pdb-eviction',
  description: 'Every PodDisruptionBudget allows at least one voluntary eviction: maxUnavailable is not 0 or 0%, minAvailable is not 100%, and minAvailable stays below the replicas (or the autoscaler minimum) of each workload it selects.',
  params: z.strictObject({
    kinds: z.array(z.enum(KINDS)).default(['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout']).describe('Workload kinds whose replicas a PDB is compared with.'),
  }),
  kinds: ['kubernetes'],
  run: workloadCoverage({
    kinds: (p) => ['PodDisruptionBudget', ...p.kinds],
    index: (c) => {
      // the labels PDBs are matched against: the cluster's pod label statistics, unless a workload without template
      // labels is matched by its selector's (then they are counted too)
      let stats = c.podLabelStats;
      if (c.workloads.some((w) => Object.keys(w.obj.podLabels).length === 0)) {
        stats = new LabelStats();
        for (const w of c.workloads) stats.add(podLabelsOf(w));
      }
      const index = new SelectorIndex<{ pdb: Placed; sel: Selector }>(stats);
      for (const pdb of c.ofKind('PodDisruptionBudget')) {
        const sel = labelSelector(getIn(pdb.obj.value, ['spec', 'selector']));
        // policy/v1: an empty selector selects every pod of the namespace; policy/v1beta1: none
        if (sel) index.add(pdb.obj.namespace, sel, { pdb, sel }, pdb.obj.apiVersion !== 'policy/v1beta1');
      }
      return index;
    },
    judge: (w, index, c, _p, findings) => (w.obj.kind === 'PodDisruptionBudget' ? judgeBudget(w, findings) : judgeCovered(w, index, c, findings)),
  }),
});

/** A PDB that allows no eviction whatever it selects; returns whether it was judged. */
function judgeBudget(pdb: Placed, findings: RawFinding[]): boolean {
  const spec = mapField(pdb.obj.value, 'spec');
  if (pdb.obj.malformed || !spec) return false;
  const field = blocksAlone(spec);
  if (field) findings.push(objectFinding(pdb, `${pdb.obj.ref}${describe(spec)} sets ${field} ${shown(spec[field])}: it allows no voluntary eviction, so node drains and cluster upgrades will hang.`, pdb.obj.base.concat('spec', field)));
  return true;
}

/** The PDBs covering a workload whose minAvailable leaves no pod to evict at its replica count; returns whether one covers it. */
function judgeCovered(w: Placed, index: SelectorIndex<{ pdb: Placed; sel: Selector }>, c: Cluster, findings: RawFinding[]): boolean {
  if (w.obj.malformed) return false;
  const covering = index.match(w.obj.namespace, podLabelsOf(w));
  if (covering.length === 0) return false;
  const replicas = replicasOf(w.obj);
  const n = c.autoscalerFor(w.obj)?.min ?? (typeof replicas === 'number' ? replicas : undefined);
  if (n === undefined || n <= 0) return true;
  for (const { pdb } of covering) {
    const spec = mapField(pdb.obj.value, 'spec');
    const minA = spec?.minAvailable;
    // an absolute block (maxUnavailable 0, minAvailable 100%) is the PDB's own finding
    if (!spec || minA === undefined || minA === null || (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) || blocksAlone(spec)) continue;
    const need = resolveIntOrPercent(minA, n, true);
    if (need !== undefined && need >= n) findings.push(objectFinding(pdb, `${pdb.obj.ref}${describe(spec)} covers ${w.obj.ref} but allows no voluntary eviction at ${n} replica${n === 1 ? '' : 's'} (minAvailable ${shown(minA)}); node drains and cluster upgrades will hang.`, pdb.obj.base.concat('spec', 'minAvailable')));
  }
  return true;
}

/** A PDB's selector for messages: ` (app=api)`, or nothing. */
function describe(spec: Record<string, unknown>): string {
  const sel = labelSelector(spec.selector);
  return sel ? ` (${describeSelector(sel)})` : '';
}
