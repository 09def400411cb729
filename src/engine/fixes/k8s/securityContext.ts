import { z } from 'zod';
import { getIn, isObject } from '../../parse/kubernetes';
import { defineFix } from '../template';
import type { Plain, PlainObject } from '../yamlEdit';
import { locateK8s, perContainer, plainAt } from './common';

const FIELDS = ['runAsNonRoot', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'capabilities', 'privileged', 'seccompProfile'] as const;
type Field = (typeof FIELDS)[number];

const VALUES: Record<Field, Plain> = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  seccompProfile: { type: 'RuntimeDefault' },
};

const Params = z.strictObject({
  fields: z.array(z.enum(FIELDS)).min(1).default(['runAsNonRoot', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'capabilities']),
});

export const securityContext = defineFix({
  id: 'k8s.security-context',
  description: 'Adds or completes a container securityContext (runAsNonRoot, allowPrivilegeEscalation: false, readOnlyRootFilesystem, capabilities drop ALL), correcting values that say otherwise.',
  params: Params,
  compute({ text, finding, params, yaml }) {
    const t = locateK8s(text, finding, yaml);
    if ('declined' in t) return t;
    if (!t.containers.length) return { declined: 'no container found for this finding' };
    const pod = t.podSpecPath ? plainAt(t.ed, t.docIndex, t.podSpecPath) : undefined;
    // a wrong value in the pod's own securityContext: correct it where it is
    const at = finding.data?.path;
    if (!finding.data?.containerPath && Array.isArray(at) && at.length >= 2 && at[at.length - 2] === 'securityContext') {
      const field = at[at.length - 1] as Field;
      if (params.fields.includes(field) && typeof VALUES[field] !== 'object' && t.ed.node(t.docIndex, at as (string | number)[])) {
        const r = t.ed.replace(t.docIndex, at as (string | number)[], VALUES[field] as boolean);
        if ('declined' in r) return r;
        if (r.edits.length) return { title: `Set ${field}: ${String(VALUES[field])}`, edits: [{ file: finding.file, edits: r.edits }] };
      }
    }
    const r = perContainer(t.containers, (c) => {
      const sc = isObject(c.value.securityContext) ? c.value.securityContext : {};
      const desired: PlainObject = {};
      for (const f of params.fields) {
        if (f === 'runAsNonRoot' && (sc.runAsUser === 0 || (sc.runAsUser === undefined && getIn(pod, ['securityContext', 'runAsUser']) === 0))) {
          return { declined: `container "${c.name}" sets runAsUser: 0; choose a non-root user first` };
        }
        if (f === 'allowPrivilegeEscalation' && sc.privileged === true && !params.fields.includes('privileged')) {
          return { declined: `container "${c.name}" is privileged, which needs allowPrivilegeEscalation; remove privileged first` };
        }
        desired[f] = VALUES[f];
      }
      return t.ed.merge(c.docIndex, [...c.path, 'securityContext'], desired, { overwrite: true });
    });
    if ('declined' in r) return r;
    if (!r.edits.length) return { declined: 'the securityContext already has these settings' };
    return { title: `Set securityContext ${params.fields.map((f) => (f === 'capabilities' ? 'capabilities.drop [ALL]' : `${f}: ${JSON.stringify(VALUES[f])}`)).join(', ')}`, edits: [{ file: finding.file, edits: r.edits }] };
  },
});
