import { z } from 'zod';
import { shownNamespace } from '../../render/releaseNamespace';
import { getIn, isObject } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import { findingAt } from './common';
import { CLUSTER_NAMESPACE, labelsByNamespace, selectedIn, type LabelIndex } from './labelIndex';
import { perObject } from './perObject';
import { unlessUnread } from './unread';
import { describeSelector, labelSelector, selectorMatches } from './selectors';

/** The labels of the API server's Service, `kubernetes` in the default namespace of every cluster. */
const API_SERVICE_LABELS = { component: 'apiserver', provider: 'kubernetes' };

const Params = z.strictObject({
  kinds: z.array(z.string()).min(1).describe('Kinds of the selecting objects (ServiceMonitor).'),
  selector: z.array(z.string()).min(1).describe('Path of the label selector (matchLabels/matchExpressions) under the object.'),
  namespaceSelector: z.array(z.string()).optional().describe('Path of a namespace selector ({any: true} or {matchNames: […]}); without one, the object\'s own namespace.'),
});
type Params = z.infer<typeof Params>;

/**
 * A label selector of an object (a ServiceMonitor's spec.selector) matches the labels of at least one Service the
 * manifests define in the namespaces it looks in. A selector over any namespace is not judged; an absent one selects every Service of the namespaces looked in.
 */
export const selectsServices = workspaceCheck({
  id: 'k8s.selects-services',
  description: "A label selector of the given kinds (ServiceMonitor spec.selector) matches the labels of at least one Service the manifests define in the namespaces it selects (its own by default). The cluster's own Services (kube-system's, and the API server's `kubernetes` Service in default) count as defined.",
  params: Params,
  kinds: ['kubernetes'],
  run: unlessUnread(perObject<Params, LabelIndex>({
    facts: (ws) => labelsByNamespace(ws, 'Service'),
    kinds: (p) => p.kinds,
    judge: (o, services, p, findings) => {
      if (o.obj.malformed) return false;
      // an absent selector selects every Service of the namespaces looked in; a malformed one is left to schema validation
      const parsed = labelSelector(getIn(o.obj.value, p.selector));
      if (parsed === undefined) return false;
      const sel = parsed ?? { reqs: [] };
      const nsSel = p.namespaceSelector ? getIn(o.obj.value, p.namespaceSelector) : undefined;
      if (isObject(nsSel) && nsSel.any === true) return false;
      // (a name left empty is the object's own namespace: a rendered chart's `{{ .Release.Namespace }}`)
      const names = isObject(nsSel) && Array.isArray(nsSel.matchNames) ? nsSel.matchNames.filter((n): n is string => typeof n === 'string').map((n) => (n === '' ? (o.obj.namespace ?? '') : n)) : [o.obj.namespace ?? ''];
      // Services the cluster runs itself are in no manifest: kube-system's (DNS, the control plane), and `kubernetes` in default
      if (names.includes(CLUSTER_NAMESPACE)) return false;
      if (names.includes('default') && selectorMatches(sel, API_SERVICE_LABELS)) return true;
      if (names.some((ns) => selectedIn(services, ns, sel).length > 0)) return true;
      const shown = names.map(shownNamespace);
      const where = names.length === 1 ? (shown[0] ? ` in namespace ${shown[0]}` : ' in its namespace') : ` in namespaces ${shown.map((ns) => ns ?? 'its own').join(', ')}`;
      const what = sel.reqs.length ? `the selector ${describeSelector(sel)} matches the labels of no Service${where}` : `it selects every Service${where}, and there is none`;
      findings.push(findingAt(o, o.obj.base.concat(parsed ? p.selector : p.selector.slice(0, -1)), `${o.obj.ref}: ${what} in the manifests; nothing is scraped.`));
      return true;
    },
  }), (kind) => kind === 'Service'),
});
