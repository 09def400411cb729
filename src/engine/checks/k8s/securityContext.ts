import { z } from 'zod';
import type { RawFinding } from '../../model';
import { containerCheck, containerFinding, describeContainer, findingAt, mapField, podSecurityContext } from './common';

/**
 * A boolean field of the container securityContext must have a given value. Pod-level fields of the same
 * name are not consulted: privileged, allowPrivilegeEscalation and readOnlyRootFilesystem exist only on
 * the container SecurityContext (the PodSecurityContext has no such fields).
 */
export const securityContextFlag = containerCheck({
  id: 'k8s.security-context-flag',
  description: 'A boolean field of every container securityContext (privileged, allowPrivilegeEscalation, readOnlyRootFilesystem) has the required value.',
  params: z.strictObject({
    field: z.enum(['privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem']),
    expect: z.boolean().describe('The required value.'),
    unset: z.enum(['pass', 'fail']).describe('What an unset field counts as.'),
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx, p) => {
    const sc = mapField(ctx.c.value, 'securityContext');
    if (sc === undefined) return undefined;
    const v = sc?.[p.field];
    const path = ['securityContext', p.field];
    const who = `${describeContainer(ctx.c)} of ${ctx.obj.ref}`;
    // a privileged container escalates whatever this says, and Kubernetes rejects allowPrivilegeEscalation: false
    // beside privileged: true: unset, it is k8s.pod-security.privileged's finding; asked for in so many words, it is
    // this one's too (as kube-linter, Polaris and Checkov report it), with no fix to offer until privileged goes
    if (p.field === 'allowPrivilegeEscalation' && sc?.privileged === true) {
      return v === true ? [containerFinding(ctx, path, `${who} sets securityContext.allowPrivilegeEscalation: true beside privileged: true; remove both (Kubernetes rejects allowPrivilegeEscalation: false while privileged is true).`)] : undefined;
    }
    if (v === undefined || v === null) {
      return p.unset === 'pass' ? [] : [containerFinding(ctx, path, `${who} does not set securityContext.${p.field}: ${p.expect}.`, { insert: path, value: p.expect })];
    }
    if (typeof v !== 'boolean') return undefined;
    if (v === p.expect) return [];
    return [containerFinding(ctx, path, `${who} sets securityContext.${p.field}: ${v}; it should be ${p.expect}.`, { replace: path, value: p.expect })];
  },
});

/**
 * The container cannot run as root: effective runAsNonRoot is true or effective runAsUser is above 0
 * (container settings override the pod's), and runAsUser is not 0. Optionally root group 0 fails too.
 */
export const runAsNonRoot = containerCheck({
  id: 'k8s.run-as-non-root',
  description: 'Every container runs as a non-root user: runAsNonRoot: true or a runAsUser above 0, at pod level unless the container overrides it.',
  params: z.strictObject({
    allowRootGroup: z.boolean().default(true).describe('Accept runAsGroup: 0 (OpenShift runs arbitrary UIDs with group 0). false follows kube-linter.'),
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  reads: () => ['runAsNonRoot', 'runAsUser'],
  check: (ctx, p) => {
    const pod = podSecurityContext(ctx);
    const own = mapField(ctx.c.value, 'securityContext');
    if (pod === undefined || own === undefined) return undefined;
    const pick = (key: string): { v: unknown; at: 'container' | 'pod' | undefined } => {
      if (own && own[key] !== undefined && own[key] !== null) return { v: own[key], at: 'container' };
      if (pod && pod[key] !== undefined && pod[key] !== null) return { v: pod[key], at: 'pod' };
      return { v: undefined, at: undefined };
    };
    const nonRoot = pick('runAsNonRoot');
    const user = pick('runAsUser');
    const group = pick('runAsGroup');
    const who = `${describeContainer(ctx.c)} of ${ctx.obj.ref}`;
    const out: RawFinding[] = [];
    // Anchor at the setting that decides, in the container or in the pod securityContext.
    const report = (f: { at: 'container' | 'pod' | undefined }, key: string, message: string) => {
      if (f.at === 'pod') out.push(findingAt(ctx, ctx.obj.podSpecPath!.concat('securityContext', key), message, { container: ctx.c.name }));
      else out.push(containerFinding(ctx, ['securityContext', key], message));
    };
    if (typeof user.v === 'number' && user.v === 0) {
      report(user, 'runAsUser', `${who} runs as root (runAsUser: 0${user.at === 'pod' ? ' in the pod securityContext' : ''}).`);
    } else if (nonRoot.v === false && !(typeof user.v === 'number' && user.v > 0)) {
      report(nonRoot, 'runAsNonRoot', `${who} allows running as root (runAsNonRoot: false${nonRoot.at === 'pod' ? ' in the pod securityContext' : ''}); set runAsNonRoot: true.`);
    } else if (nonRoot.v !== true && !(typeof user.v === 'number' && user.v > 0)) {
      out.push(containerFinding(ctx, ['securityContext', 'runAsNonRoot'], `${who} may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set for it or its pod.`, { insert: ['securityContext', 'runAsNonRoot'], value: true }));
    }
    if (!p.allowRootGroup && typeof group.v === 'number' && group.v === 0) {
      report(group, 'runAsGroup', `${who} runs with the root group (runAsGroup: 0).`);
    }
    return out;
  },
});
