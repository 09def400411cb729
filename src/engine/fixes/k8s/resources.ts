import { z } from 'zod';
import { isObject } from '../../parse/kubernetes';
import { defineFix } from '../template';
import type { PlainObject } from '../yamlEdit';
import { locateK8s, parseQuantity, perContainer } from './common';

const Amounts = z.strictObject({ cpu: z.string().min(1), memory: z.string().min(1) });

const Params = z.strictObject({
  /** Defaults from the seed checklists (seed 001). */
  requests: Amounts.default({ cpu: '250m', memory: '256Mi' }),
  limits: Amounts.default({ cpu: '500m', memory: '512Mi' }),
  /** Which parts the fix completes (a requests rule completes requests only). */
  parts: z.array(z.enum(['requests', 'limits'])).min(1).default(['requests', 'limits']),
  resources: z.array(z.enum(['cpu', 'memory'])).min(1).default(['cpu', 'memory']),
});

export const insertResources = defineFix({
  id: 'k8s.insert-resources',
  description: 'Adds the missing resource requests and limits of a container (defaults requests 250m/256Mi, limits 500m/512Mi), never a limit below an existing request.',
  params: Params,
  groupTitle: 'Add resources (requests and limits)',
  compute({ text, finding, params, yaml }) {
    const t = locateK8s(text, finding, yaml);
    if ('declined' in t) return t;
    const added: string[] = [];
    const r = perContainer(t.containers, (c) => {
      const res = isObject(c.value.resources) ? c.value.resources : {};
      const have = { requests: isObject(res.requests) ? res.requests : {}, limits: isObject(res.limits) ? res.limits : {} };
      const desired: Record<string, PlainObject> = {};
      for (const part of params.parts) {
        for (const kind of params.resources) {
          if (have[part][kind] !== undefined && have[part][kind] !== null) continue;
          let value = params[part][kind];
          // keep request <= limit when the other side is already set
          const other = part === 'limits' ? have.requests[kind] : have.limits[kind];
          const o = parseQuantity(other);
          const v = parseQuantity(value);
          if (o !== undefined && v !== undefined && typeof other === 'string' && ((part === 'limits' && v < o) || (part === 'requests' && v > o))) value = other;
          (desired[part] ??= {})[kind] = value;
          added.push(`${part}.${kind}`);
        }
      }
      if (!Object.keys(desired).length) return undefined;
      return t.ed.merge(c.docIndex, [...c.path, 'resources'], desired);
    });
    if ('declined' in r) return r;
    if (!r.edits.length) return { declined: 'the requested resources are already set' };
    const parts = [...new Set(added)];
    return { title: `Set resources ${parts.join(', ')}`, edits: [{ file: finding.file, edits: r.edits }] };
  },
});
