import { z } from 'zod';
import type { RawFinding } from '../../model';
import { isObject } from '../../parse/kubernetes';
import { fileCheck } from '../template';
import { findingAt, k8sModel, type K8sFile } from './common';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * A Role or ClusterRole rule does not grant the given verbs on the given resources (a `*` in the rule
 * grants everything it stands for), or, with `wildcard`, uses no `*` at all. Names matching `exemptNames`
 * (the cluster's own system: roles) are skipped.
 */
export const rbacGrant = fileCheck({
  id: 'k8s.rbac-grant',
  description: 'No Role or ClusterRole rule grants the given verbs on the given resources (wildcards count), or, in wildcard mode, uses * in apiGroups, resources or verbs.',
  params: z.strictObject({
    verbs: z.array(z.string()).default([]).describe('Verbs that must not be granted (any of them).'),
    resources: z.array(z.string()).optional().describe('Resources (with subresource, e.g. pods/exec) they must not be granted on; absent: any resource.'),
    apiGroups: z.array(z.string()).optional().describe('API groups of those resources ("" is the core group); absent: any group.'),
    wildcard: z.boolean().default(false).describe('Instead: flag any * in apiGroups, resources or verbs.'),
    exemptNames: z.string().default('^(system:|gce:|eks:|cluster-admin$|admin$|edit$)').describe('Regular expression of role names that pass unjudged: the built-in and cloud-provider roles.'),
  }),
  kinds: ['kubernetes'],
  run: (file, p) => {
    const model = k8sModel(file);
    if (!model) return undefined;
    const exempt = new RegExp(p.exemptNames);
    const findings: RawFinding[] = [];
    let judged = false;
    for (const obj of model.objects) {
      if (obj.kind !== 'Role' && obj.kind !== 'ClusterRole') continue;
      const rules = obj.value.rules;
      if (rules !== undefined && rules !== null && !Array.isArray(rules)) continue;
      judged = true;
      if (exempt.test(obj.name)) continue;
      const ctx = { file: file as K8sFile, model, obj };
      (rules ?? []).forEach((rule, i) => {
        if (!isObject(rule)) return;
        const verbs = strings(rule.verbs);
        const resources = strings(rule.resources);
        const groups = strings(rule.apiGroups);
        const at = obj.base.concat('rules', i);
        if (p.wildcard) {
          const where = (['apiGroups', 'resources', 'verbs'] as const).filter((k) => strings(rule[k]).includes('*'));
          if (where.length) findings.push(findingAt(ctx, at.concat(where[0]), `${obj.ref}: rule ${i + 1} uses * in ${where.join(' and ')}; it grants every current and future ${where.includes('verbs') ? 'verb' : 'resource'}. List what the workload needs.`));
          return;
        }
        if (rule.nonResourceURLs !== undefined && resources.length === 0) return;
        const grantedVerbs = verbs.includes('*') ? p.verbs : p.verbs.filter((v) => verbs.includes(v));
        if (grantedVerbs.length === 0) return;
        const groupOk = !p.apiGroups || groups.includes('*') || p.apiGroups.some((g) => groups.includes(g));
        if (!groupOk) return;
        const grantedRes = p.resources ? (resources.includes('*') ? p.resources : p.resources.filter((r) => resources.includes(r) || resources.includes(`${r.split('/')[0]}/*`))) : resources;
        if (p.resources && grantedRes.length === 0) return;
        const names = strings(rule.resourceNames);
        const scope = names.length ? ` (only ${names.join(', ')})` : '';
        findings.push(findingAt(ctx, at.concat('verbs'), `${obj.ref}: rule ${i + 1} grants ${grantedVerbs.join(', ')}${grantedRes.length ? ` on ${grantedRes.join(', ')}` : ''}${scope}${obj.kind === 'ClusterRole' ? ' across the cluster' : ''}.`));
      });
    }
    return judged ? { findings } : undefined;
  },
});
