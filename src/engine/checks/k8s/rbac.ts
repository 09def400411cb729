import { z } from 'zod';
import type { RawFinding } from '../../model';
import { isObject } from '../../parse/kubernetes';
import { fileCheck, workspaceCheck } from '../template';
import { objectFinding, type Placed, workloadCoverage } from './cluster';
import { findingAt, k8sModel, mapField, type K8sFile } from './common';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const GrantOnly = z.strictObject({
  verbs: z.array(z.string()).min(1).describe('Verbs (any of them).'),
  resources: z.array(z.string()).min(1).describe('Resources they matter on (with subresource, e.g. certificatesigningrequests/approval).'),
  apiGroups: z.array(z.string()).optional().describe('API groups of those resources ("" is the core group); absent: any group.'),
});
/** One forbidden grant: verbs on resources, optionally only when the same role also grants `with` (an operation that needs both). */
const Grant = GrantOnly.extend({
  with: GrantOnly.optional().describe('The grant counts only when the same role also grants this (approving a certificate request needs update on certificatesigningrequests/approval and approve on signers).'),
});
type GrantOnly = z.infer<typeof GrantOnly>;

/** The verbs and resources of `g` that a rule grants (a `*` grants everything it stands for), or undefined. */
function granted(rule: Record<string, unknown>, g: { verbs: string[]; resources?: string[]; apiGroups?: string[] }): { verbs: string[]; resources: string[] } | undefined {
  const verbs = strings(rule.verbs);
  const resources = strings(rule.resources);
  const groups = strings(rule.apiGroups);
  if (rule.nonResourceURLs !== undefined && resources.length === 0) return undefined;
  const grantedVerbs = verbs.includes('*') ? g.verbs : g.verbs.filter((v) => verbs.includes(v));
  if (grantedVerbs.length === 0) return undefined;
  if (g.apiGroups && !groups.includes('*') && !g.apiGroups.some((x) => groups.includes(x))) return undefined;
  if (!g.resources) return { verbs: grantedVerbs, resources };
  const grantedRes = resources.includes('*')
    ? g.resources
    : g.resources.filter((r) => {
        const [top, sub] = r.split('/');
        if (sub === '*') return resources.some((x) => x === top || x.startsWith(`${top}/`));
        return resources.includes(r) || resources.includes(`${top}/*`) || (sub !== undefined && resources.includes(`*/${sub}`));
      });
  return grantedRes.length ? { verbs: grantedVerbs, resources: grantedRes } : undefined;
}

const grantsAny = (rules: unknown[], g: GrantOnly): boolean => rules.some((r) => isObject(r) && granted(r, g) !== undefined);

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
    grants: z.array(Grant).optional().describe('Instead of verbs × resources: each verb paired with the resources it matters on (bind and escalate on roles, impersonate on users, groups and service accounts); a rule is reported for each grant it gives.'),
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
    const grants = p.grants ?? [{ verbs: p.verbs, resources: p.resources, apiGroups: p.apiGroups }];
    for (const obj of model.objects) {
      if (obj.kind !== 'Role' && obj.kind !== 'ClusterRole') continue;
      const rules = obj.value.rules;
      if (rules !== undefined && rules !== null && !Array.isArray(rules)) continue;
      judged = true;
      if (exempt.test(obj.name)) continue;
      const ctx = { file: file as K8sFile, model, obj };
      // a grant that counts only beside another (`with`) is kept when the role gives that other one anywhere
      const roleGrants = grants.filter((g) => !('with' in g && g.with) || grantsAny(rules ?? [], g.with));
      (rules ?? []).forEach((rule, i) => {
        if (!isObject(rule)) return;
        const at = obj.base.concat('rules', i);
        if (p.wildcard) {
          const where = (['apiGroups', 'resources', 'verbs'] as const).filter((k) => strings(rule[k]).includes('*'));
          if (where.length) findings.push(findingAt(ctx, at.concat(where[0]), `${obj.ref}: rule ${i + 1} uses * in ${where.join(' and ')}; it grants every current and future ${where.includes('verbs') ? 'verb' : 'resource'}. List what the workload needs.`));
          return;
        }
        // each grant's verbs on its own resources (a verb on a resource it does not matter on grants nothing)
        const pairs: { verbs: string[]; resources: string[] }[] = [];
        for (const g of roleGrants) {
          const hit = granted(rule, g);
          if (hit) pairs.push(hit);
        }
        if (pairs.length === 0) return;
        const names = strings(rule.resourceNames);
        const scope = names.length ? ` (only ${names.join(', ')})` : '';
        const what = pairs.map((h) => `${h.verbs.join(', ')}${h.resources.length ? ` on ${h.resources.join(', ')}` : ''}`).join('; ');
        findings.push(findingAt(ctx, at.concat('verbs'), `${obj.ref}: rule ${i + 1} grants ${what}${scope}${obj.kind === 'ClusterRole' ? ' across the cluster' : ''}.`));
      });
    }
    return judged ? { findings } : undefined;
  },
});

/** The verbs that together are every verb of the built-in resources (`*` aside). */
const ALL_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** Does a rule grant every verb on every resource of every API group (cluster-admin by another name)? */
function grantsEverything(rule: unknown): boolean {
  if (!isObject(rule)) return false;
  const verbs = strings(rule.verbs);
  return strings(rule.apiGroups).includes('*') && strings(rule.resources).includes('*') && (verbs.includes('*') || ALL_VERBS.every((v) => verbs.includes(v)));
}

/**
 * No RoleBinding or ClusterRoleBinding binds the cluster-admin ClusterRole, or a Role or ClusterRole of the manifests
 * that grants every verb on every resource of every API group. A role the manifests do not define is judged by name.
 */
export const adminBinding = workspaceCheck({
  id: 'k8s.rbac-admin-binding',
  description: 'No RoleBinding or ClusterRoleBinding references the cluster-admin ClusterRole, or a Role or ClusterRole of the manifests with a rule granting every verb (* or get, list, watch, create, update, patch and delete) on every resource of every API group.',
  params: z.strictObject({
    roles: z.array(z.string()).default(['cluster-admin']).describe('ClusterRoles that must not be bound, by name.'),
    exemptNames: z.string().default('^(system:|gce:|eks:)').describe('Regular expression of binding names that pass unjudged: the bindings a cluster or cloud provider creates for itself (Polaris skips them too).'),
  }),
  kinds: ['kubernetes'],
  run: workloadCoverage({
    kinds: () => ['RoleBinding', 'ClusterRoleBinding'],
    index: (c, p) => {
      // roles by `Kind/name`, a Role by its namespace too (a RoleBinding's Role is in the binding's namespace)
      const roles = new Map<string, Placed>();
      for (const r of c.ofKind('ClusterRole')) roles.set(`ClusterRole/${r.obj.name}`, r);
      for (const r of c.ofKind('Role')) roles.set(`Role/${r.obj.namespace ?? ''}/${r.obj.name}`, r);
      return { roles, exempt: new RegExp(p.exemptNames) };
    },
    judge: (b, { roles, exempt }, _c, p, findings) => {
      const ref = mapField(b.obj.value, 'roleRef');
      if (b.obj.malformed || !ref || typeof ref.name !== 'string' || typeof ref.kind !== 'string') return false;
      if (exempt.test(b.obj.name)) return true;
      const at = b.obj.base.concat('roleRef', 'name');
      const role = ref.kind === 'ClusterRole' ? roles.get(`ClusterRole/${ref.name}`) : roles.get(`Role/${b.obj.namespace ?? ''}/${ref.name}`);
      const scope = b.obj.kind === 'RoleBinding' ? ' in its namespace' : ' across the cluster';
      if (ref.kind === 'ClusterRole' && p.roles.includes(ref.name)) {
        findings.push(objectFinding(b, `${b.obj.ref} binds the ${ref.name} ClusterRole: its subjects can do anything${scope}. Bind a role that lists what they need.`, at));
      } else if (role && Array.isArray(role.obj.value.rules) && role.obj.value.rules.some(grantsEverything)) {
        findings.push(objectFinding(b, `${b.obj.ref} binds ${role.obj.ref}, which grants every verb on every resource: cluster-admin by another name${scope}. List the resources and verbs the subjects need.`, at));
      }
      return true;
    },
  }),
});
