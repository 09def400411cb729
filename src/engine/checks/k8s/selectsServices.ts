import { z } from 'zod';
import { getIn, isObject } from '../../parse/kubernetes';
import type { ParsedFile } from '../../workspace';
import { Derived, sameList } from '../derived';
import { workspaceCheck } from '../template';
import { findingAt } from './common';
import { perObject, placedObjects } from './perObject';
import { describeSelector, labelSelector, selectorMatches } from './selectors';

/** The labels of the manifests' Services, by namespace ('' for none). */
type ServiceLabels = Map<string, Record<string, string>[]>;

/** What a manifest's Services show a selector: namespace and labels (string values only). */
function servicesIn(file: ParsedFile): string[] {
  const out: string[] = [];
  for (const { obj } of placedObjects(file)) {
    if (obj.kind !== 'Service') continue;
    const labels = getIn(obj.value, ['metadata', 'labels']);
    const plain: Record<string, string> = {};
    if (isObject(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') plain[k] = v;
    out.push(JSON.stringify([obj.namespace ?? '', plain]));
  }
  return out;
}

/** The Services' labels: the same object while no manifest shows other Services. */
const services = new Derived<string[], ServiceLabels>({
  kinds: ['kubernetes'],
  part: servicesIn,
  equal: sameList,
  build: ([parts]) => {
    const byNs: ServiceLabels = new Map();
    for (const part of parts) {
      for (const line of part) {
        const [ns, labels] = JSON.parse(line) as [string, Record<string, string>];
        const list = byNs.get(ns);
        if (list) list.push(labels);
        else byNs.set(ns, [labels]);
      }
    }
    return byNs;
  },
});

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
  description: 'A label selector of the given kinds (ServiceMonitor spec.selector) matches the labels of at least one Service the manifests define in the namespaces it selects (its own by default).',
  params: Params,
  kinds: ['kubernetes'],
  run: perObject<Params, ServiceLabels>({
    facts: (ws) => services.get(ws),
    kinds: (p) => p.kinds,
    judge: (o, byNs, p, findings) => {
      if (o.obj.malformed) return false;
      // an absent selector selects every Service of the namespaces looked in; a malformed one is left to schema validation
      const parsed = labelSelector(getIn(o.obj.value, p.selector));
      if (parsed === undefined) return false;
      const sel = parsed ?? { reqs: [] };
      const nsSel = p.namespaceSelector ? getIn(o.obj.value, p.namespaceSelector) : undefined;
      if (isObject(nsSel) && nsSel.any === true) return false;
      const names = isObject(nsSel) && Array.isArray(nsSel.matchNames) ? nsSel.matchNames.filter((n): n is string => typeof n === 'string') : [o.obj.namespace ?? ''];
      if (names.some((ns) => (byNs.get(ns) ?? []).some((labels) => selectorMatches(sel, labels)))) return true;
      const where = names.length === 1 ? (names[0] ? ` in namespace ${names[0]}` : ' in its namespace') : ` in namespaces ${names.join(', ')}`;
      const what = sel.reqs.length ? `the selector ${describeSelector(sel)} matches the labels of no Service${where}` : `it selects every Service${where}, and there is none`;
      findings.push(findingAt(o, o.obj.base.concat(parsed ? p.selector : p.selector.slice(0, -1)), `${o.obj.ref}: ${what} in the manifests; nothing is scraped.`));
      return true;
    },
  }),
});
