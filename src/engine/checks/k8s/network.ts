import { z } from 'zod';
import type { RawFinding } from '../../model';
import { containersOf, getIn } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { containerFinding, describeContainer, mapField } from './common';
import { nsLabel, objectFinding, type Placed, workloadCoverage } from './cluster';
import { describeSelector, labelSelector, mapSelector, SelectorIndex } from './selectors';
import { unlessUnread } from './unread';

const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout', 'Pod', 'Job', 'CronJob'] as const;

type Direction = 'Ingress' | 'Egress';

/** The directions a NetworkPolicy restricts: policyTypes, else Ingress plus Egress when it has egress rules. */
function directionsOf(spec: Record<string, unknown> | null | undefined): Set<Direction> {
  const types = spec?.policyTypes;
  if (Array.isArray(types)) return new Set(types.filter((t): t is Direction => t === 'Ingress' || t === 'Egress'));
  return new Set<Direction>(Array.isArray(spec?.egress) ? ['Ingress', 'Egress'] : ['Ingress']);
}

/** Every workload's pods are selected, for each required direction, by a NetworkPolicy of their namespace. */
export const networkPolicyCoverage = workspaceCheck({
  id: 'k8s.networkpolicy-coverage',
  description: "Every workload's pods are selected by a NetworkPolicy in the same namespace (an empty podSelector selects every pod of the namespace), for each required direction.",
  params: z.strictObject({
    kinds: z.array(z.enum(POD_KINDS)).default([...POD_KINDS]),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional().describe('Directions that must each be restricted by a selecting policy (policyTypes, or Ingress plus Egress when a policy has egress rules); absent: any selecting policy counts.'),
  }),
  kinds: ['kubernetes'],
  run: unlessUnread(workloadCoverage({
    index: (c, p) => {
      const index = new SelectorIndex<{ np: Placed; dirs: Set<Direction> }>(c.podLabelStats);
      for (const np of c.ofKind('NetworkPolicy')) {
        const sel = labelSelector(getIn(np.obj.value, ['spec', 'podSelector']));
        if (sel) index.add(np.obj.namespace, sel, { np, dirs: directionsOf(mapField(np.obj.value, 'spec')) }, true);
      }
      return { index, kinds: new Set<string>(p.kinds) };
    },
    judge: (w, { index, kinds }, _c, p, findings) => {
      if (!kinds.has(w.obj.kind) || !w.obj.podSpecPath) return false;
      const policies = index.match(w.obj.namespace, w.obj.podLabels);
      // with required directions, an unselected workload is k8s.networkpolicy's finding, not another one here
      if (policies.length === 0 && p.policyTypes) return false;
      if (policies.length === 0) findings.push(objectFinding(w, `No NetworkPolicy${nsLabel(w.obj)} selects the pods of ${w.obj.ref}; any pod in the cluster can reach them. Add a policy that allows only the expected callers.`));
      else if (p.policyTypes) {
        const open = p.policyTypes.filter((d) => !policies.some((x) => x.dirs.has(d)));
        if (open.length) findings.push(objectFinding(w, `No NetworkPolicy${nsLabel(w.obj)} restricts ${open.join(' or ').toLowerCase()} traffic of ${w.obj.ref} (${policies.map((x) => x.np.obj.ref).join(', ')} select${policies.length === 1 ? 's' : ''} it for ${[...new Set(policies.flatMap((x) => [...x.dirs]))].join(', ').toLowerCase() || 'nothing'}).`));
      }
      return true;
    },
  }), (kind) => kind === 'NetworkPolicy', (f) => f.message.startsWith('No ')),
});

/** Pods behind a Service declare a readiness probe, so traffic only reaches pods that can serve it. */
export const serviceReadiness = workspaceCheck({
  id: 'k8s.service-readiness',
  description: 'Every container of a workload selected by a Service (same namespace, selector matches the pod labels) declares a readinessProbe.',
  params: z.strictObject({}),
  kinds: ['kubernetes'],
  run: workloadCoverage({
    index: (c) => {
      const index = new SelectorIndex<Placed>(c.podLabelStats);
      for (const svc of c.ofKind('Service')) {
        const spec = mapField(svc.obj.value, 'spec');
        if (!spec || spec.type === 'ExternalName') continue;
        const sel = mapSelector(spec.selector);
        if (sel && sel.reqs.length > 0) index.add(svc.obj.namespace, sel, svc, false);
      }
      return index;
    },
    judge: (w, index, _c, _p, findings: RawFinding[]) => {
      if (w.obj.batch || !w.obj.podSpecPath) return false;
      const services = index.match(w.obj.namespace, w.obj.podLabels);
      if (services.length === 0) return false;
      const containers = containersOf(w.obj);
      if (containers.length === 0) return false;
      const svc = services[0];
      const svcSel = mapSelector(getIn(svc.obj.value, ['spec', 'selector']));
      for (const ctn of containers) {
        const probe = mapField(ctn.value, 'readinessProbe');
        if (probe !== null) continue; // present (or malformed: not this rule's call)
        // fields set rather than spread: V8 copies a spread with extra keys on its slow path
        const f = containerFinding({ file: w.file, model: w.model, obj: w.obj, c: ctn, place: undefined }, ['readinessProbe'], `${describeContainer(ctn)} of ${w.obj.ref} has no readinessProbe, but ${svc.obj.ref}${nsLabel(svc.obj)} (${svcSel ? describeSelector(svcSel) : ''}) sends traffic to its pods: requests reach pods that are still starting or overloaded.`, { insert: 'readinessProbe' });
        f.related = [{ file: svc.file.path, range: objectFinding(svc, '').range, message: `${svc.obj.ref} selects these pods` }];
        findings.push(f);
      }
      return true;
    },
  }),
});
