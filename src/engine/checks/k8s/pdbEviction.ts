import { z } from 'zod';
import { getIn } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { mapField, replicasOf } from './common';
import { objectFinding, type Cluster, type Placed, workloadCoverage } from './cluster';
import { describeSelector, labelSelector, sameNamespace, selectorMatches, type Selector } from './selectors';
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

/** The workloads of the given kinds a PDB selects (same namespace, selector matched as above). */
function selected(c: Cluster, pdb: Placed, sel: Selector, kinds: ReadonlySet<string>): Placed[] {
  // policy/v1: an empty selector selects every pod of the namespace; policy/v1beta1: none
  if (sel.reqs.length === 0 && pdb.obj.apiVersion === 'policy/v1beta1') return [];
  return c.workloads.filter((w) => kinds.has(w.obj.kind) && sameNamespace(w.obj.namespace, pdb.obj.namespace) && selectorMatches(sel, podLabelsOf(w)));
}

/** A value of minAvailable or maxUnavailable as written, for messages. */
const shown = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Every PodDisruptionBudget allows at least one voluntary eviction. On its own: maxUnavailable 0 (or 0%) and minAvailable
 * 100% never allow one. Against what it selects: minAvailable at or above the replicas of a workload it covers (its
 * autoscaler's minimum when one scales it) leaves no pod to evict at that count. Either way node drains and cluster
 * upgrades wait forever.
 */
export const pdbEviction = workspaceCheck({
  id: 'k8s.pdb-eviction',
  description: 'Every PodDisruptionBudget allows at least one voluntary eviction: maxUnavailable is not 0 or 0%, minAvailable is not 100%, and minAvailable stays below the replicas (or the autoscaler minimum) of each workload it selects.',
  params: z.strictObject({
    kinds: z.array(z.enum(KINDS)).default(['Deployment', 'StatefulSet', 'DeploymentConfig', 'Rollout']).describe('Workload kinds whose replicas a PDB is compared with.'),
  }),
  kinds: ['kubernetes'],
  run: workloadCoverage({
    kinds: () => ['PodDisruptionBudget'],
    index: (_c, p) => new Set<string>(p.kinds),
    judge: (pdb, kinds, c, _p, findings) => {
      const spec = mapField(pdb.obj.value, 'spec');
      if (pdb.obj.malformed || !spec) return false;
      const maxU = spec.maxUnavailable;
      const minA = spec.minAvailable;
      const sel = labelSelector(spec.selector);
      const what = sel ? ` (${describeSelector(sel)})` : '';
      if (maxU !== undefined && maxU !== null && resolveIntOrPercent(maxU, 100, true) === 0) {
        findings.push(objectFinding(pdb, `${pdb.obj.ref}${what} sets maxUnavailable ${shown(maxU)}: it allows no voluntary eviction, so node drains and cluster upgrades will hang.`, pdb.obj.base.concat('spec', 'maxUnavailable')));
        return true;
      }
      if (minA === undefined || minA === null) return true;
      if (typeof minA === 'string' && /^\s*\d+%\s*$/.test(minA) && parseInt(minA, 10) >= 100) {
        findings.push(objectFinding(pdb, `${pdb.obj.ref}${what} sets minAvailable ${minA}: it allows no voluntary eviction, so node drains and cluster upgrades will hang.`, pdb.obj.base.concat('spec', 'minAvailable')));
        return true;
      }
      if (!sel) return true;
      for (const w of selected(c, pdb, sel, kinds)) {
        const replicas = replicasOf(w.obj);
        const n = c.autoscalerFor(w.obj)?.min ?? (typeof replicas === 'number' ? replicas : undefined);
        if (n === undefined || n <= 0) continue;
        const need = resolveIntOrPercent(minA, n, true);
        if (need !== undefined && need >= n) findings.push(objectFinding(pdb, `${pdb.obj.ref}${what} covers ${w.obj.ref} but allows no voluntary eviction at ${n} replica${n === 1 ? '' : 's'} (minAvailable ${shown(minA)}); node drains and cluster upgrades will hang.`, pdb.obj.base.concat('spec', 'minAvailable')));
      }
      return true;
    },
  }),
});
