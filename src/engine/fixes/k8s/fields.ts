import { z } from 'zod';
import { defineFix } from '../template';
import { locateK8s, perContainer } from './common';

export const setReplicas = defineFix({
  id: 'k8s.set-replicas',
  description: 'Sets spec.replicas of a workload (default 3), as the first key of its spec when it is missing.',
  params: z.strictObject({ replicas: z.number().int().positive().default(3) }),
  compute({ text, finding, params, yaml }) {
    const t = locateK8s(text, finding, yaml);
    if ('declined' in t) return t;
    const path = [...t.objectPath, 'spec'];
    const cur = t.ed.node(t.docIndex, [...path, 'replicas']);
    const r = cur ? t.ed.replace(t.docIndex, [...path, 'replicas'], params.replicas) : t.ed.insert(t.docIndex, path, { replicas: params.replicas }, { first: true });
    if ('declined' in r) return r;
    if (!r.edits.length) return { declined: `replicas is already ${params.replicas}` };
    return { title: `Set replicas: ${params.replicas}`, edits: [{ file: finding.file, edits: r.edits }] };
  },
});

export const setImagePullPolicy = defineFix({
  id: 'k8s.set-image-pull-policy',
  description: 'Sets a container’s imagePullPolicy (default Always), right after its image.',
  params: z.strictObject({ policy: z.enum(['Always', 'IfNotPresent', 'Never']).default('Always') }),
  compute({ text, finding, params, yaml }) {
    const t = locateK8s(text, finding, yaml);
    if ('declined' in t) return t;
    const r = perContainer(t.containers, (c) => {
      if (c.value.imagePullPolicy === params.policy) return undefined;
      if (c.value.imagePullPolicy !== undefined) return t.ed.replace(c.docIndex, [...c.path, 'imagePullPolicy'], params.policy);
      return t.ed.insert(c.docIndex, c.path, { imagePullPolicy: params.policy }, { after: ['image'] });
    });
    if ('declined' in r) return r;
    if (!r.edits.length) return { declined: `imagePullPolicy is already ${params.policy}` };
    return { title: `Set imagePullPolicy: ${params.policy}`, edits: [{ file: finding.file, edits: r.edits }] };
  },
});
