import { z } from 'zod';
import { getIn, isObject } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { walk, type Hit } from './field';
import { findingAt } from './common';
import { nsLabel } from './cluster';
import { CLUSTER_NAMESPACE, labelsByNamespace, portNames, selectedIn, type LabelIndex } from './labelIndex';
import { perObject, type Placed } from './perObject';
import { unlessUnread } from './unread';
import { PORT_NAME } from './consistency';
import { describeSelector, labelSelector, mapSelector, type Selector } from './selectors';

/** The workloads whose pod labels a selector matches in a namespace. */
function selectedPods(ix: LabelIndex, ns: string | undefined, sel: Selector): Placed[] {
  return selectedIn(ix, ns, sel).map((w) => w.at);
}

const SelectsParams = z.strictObject({
  kinds: z.array(z.string()).min(1),
  paths: z.array(z.array(z.string()).min(1)).min(1).describe('Paths of the selectors under the object; "*" visits every item of a list.'),
  style: z.enum(['map', 'label']).describe('map: a plain label map (Service); label: a LabelSelector with matchLabels/matchExpressions.'),
  skipBeside: z.string().optional().describe('Skip a selector whose parent also has this field (a peer with a namespaceSelector selects pods elsewhere).'),
});
type SelectsParams = z.infer<typeof SelectsParams>;

const SERVICE = ['Service'];

/** Kinds that run no pods: an unread document of one of them cannot be what a pod selector looks for. */
const HOLDS_NO_PODS = new Set(['Service', 'ConfigMap', 'Secret', 'Ingress', 'IngressClass', 'NetworkPolicy', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Namespace', 'PersistentVolume', 'PersistentVolumeClaim', 'StorageClass', 'LimitRange', 'ResourceQuota', 'PriorityClass', 'CustomResourceDefinition', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Endpoints', 'EndpointSlice', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'Certificate', 'Issuer', 'ClusterIssuer', 'ScaledObject']);

/**
 * A selector of an object (a Service's spec.selector, a NetworkPolicy's podSelector or peer podSelectors)
 * selects at least one workload's pods in the same namespace. Pods are looked up in an index by label pair,
 * made again only when a manifest's workloads change namespace, name, pod labels or port names.
 */
export const selectsPods = workspaceCheck({
  id: 'k8s.selects-pods',
  description: "A selector of the given kinds (Service spec.selector, NetworkPolicy podSelector, peer podSelectors) matches the pod template labels of at least one workload in the same namespace, or the pods of a custom resource that runs some (its own pod template, an operator's podMetadata, or its labels when it sets replicas or an image). Selectors in kube-system, where the cluster runs its own pods, are not judged.",
  params: SelectsParams,
  kinds: ['kubernetes'],
  // an unread document may be a workload or a custom resource that runs the pods
  run: unlessUnread(perObject<SelectsParams, LabelIndex>({
    facts: (ws) => labelsByNamespace(ws, 'workload'),
    kinds: (p) => p.kinds,
    judge: (o, ix, p, findings) => {
      if (o.obj.kind === 'Service' && getIn(o.obj.value, ['spec', 'type']) === 'ExternalName') return false;
      // the cluster's own pods (static control-plane pods, add-ons) are in no manifest
      if (o.obj.namespace === CLUSTER_NAMESPACE) return false;
      let judged = false;
      for (const path of p.paths) {
        const hits: Hit[] = [];
        walk(o.obj.value, path, o.obj.base, hits);
        for (const h of hits) {
          if (p.skipBeside) {
            const parent = getIn(o.obj.value, h.path.slice(o.obj.base.length, -1));
            if (isObject(parent) && parent[p.skipBeside] !== undefined && parent[p.skipBeside] !== null) continue;
          }
          const sel = p.style === 'map' ? mapSelector(h.value) : labelSelector(h.value);
          if (!sel) continue;
          judged = true;
          if (sel.reqs.length === 0) continue; // empty: every pod (NetworkPolicy) or none on purpose
          if (selectedPods(ix, o.obj.namespace, sel).length > 0) continue;
          findings.push(findingAt(o, h.path, `${o.obj.ref}: the selector ${describeSelector(sel)} matches the pod labels of no workload${nsLabel(o.obj) || ' in its namespace'} in the manifests; it ${o.obj.kind === 'Service' ? 'has no endpoints' : 'isolates nothing'}.`));
        }
      }
      return judged;
    },
  }), (kind) => !HOLDS_NO_PODS.has(kind)),
});


/**
 * Every port of a Service has a valid targetPort, and a named targetPort is a port name that the
 * containers of the selected workloads declare (else the Service routes to nothing).
 */
export const serviceTargetPort = workspaceCheck({
  id: 'k8s.service-target-port',
  description: "Every Service port's targetPort is a valid port (1–65535) or port name, and a name is declared by a container of the workloads the Service selects.",
  params: z.strictObject({}),
  kinds: ['kubernetes'],
  reads: () => ['targetPort'],
  run: perObject<object, LabelIndex>({
    facts: (ws) => labelsByNamespace(ws, 'workload'),
    kinds: () => SERVICE,
    judge: (svc, ix, _p, findings) => {
      const spec = getIn(svc.obj.value, ['spec']);
      if (!isObject(spec) || spec.type === 'ExternalName' || !Array.isArray(spec.ports)) return false;
      const sel = mapSelector(spec.selector);
      const selected = sel && sel.reqs.length ? selectedPods(ix, svc.obj.namespace, sel) : [];
      const names = new Set<string>();
      // (a custom resource whose containers are not written out may declare any port name)
      let unknown = false;
      for (const w of selected) {
        const declared = portNames(w);
        if (declared === undefined) unknown = true;
        else for (const name of declared) names.add(name);
      }
      spec.ports.forEach((port, i) => {
        if (!isObject(port)) return;
        const tp = port.targetPort;
        const at = svc.obj.base.concat('spec', 'ports', i, 'targetPort');
        if (typeof tp === 'number' && !(Number.isInteger(tp) && tp >= 1 && tp <= 65535)) findings.push(findingAt(svc, at, `${svc.obj.ref}: targetPort ${tp} is not a port number (1–65535).`));
        else if (typeof tp === 'string' && !/^\d+$/.test(tp)) {
          if (!PORT_NAME.test(tp)) findings.push(findingAt(svc, at, `${svc.obj.ref}: targetPort "${tp}" is not a valid port name (at most 15 lower-case letters, digits and inner dashes).`));
          else if (selected.length && !unknown && !names.has(tp)) findings.push(findingAt(svc, at, `${svc.obj.ref}: targetPort "${tp}" is not a port name of any container of ${selected.map((w) => w.obj.ref).join(', ')}; traffic on this port goes nowhere.`));
        }
      });
      return true;
    },
  }),
});
