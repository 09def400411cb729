import { z } from 'zod';
import { containerCheck, containerFinding, describeContainer } from './common';
import { hasDigest, parseImage } from './imageRef';

/** Every image names an explicit tag that is not a floating one (latest), or an immutable digest. */
export const imageTag = containerCheck({
  id: 'k8s.image-tag',
  description: 'Every container image is pinned: an explicit tag that is not floating (latest by default), or a digest (@sha256:…).',
  params: z.strictObject({
    forbiddenTags: z.array(z.string().min(1)).default(['latest']).describe('Tags that float and count as unpinned (case-insensitive).'),
    requireDigest: z.boolean().default(false).describe('Accept only digests (image@sha256:…), as checkov CKV_K8S_43 does.'),
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx, p) => {
    const image = ctx.c.value.image;
    if (typeof image !== 'string' || image.trim() === '') return undefined; // no image: nothing to judge here
    const ref = parseImage(image);
    const who = `${describeContainer(ctx.c)} of ${ctx.obj.ref}`;
    if (hasDigest(ref)) return [];
    // a digest that is not one (`@sha256:123456`) and no tag: nothing pins it, and the reference is rejected at pull time
    if (ref.digest !== undefined && !ref.tag) return [containerFinding(ctx, ['image'], `${who}: image "${image}" has a digest that is not a valid one (an algorithm, a colon and at least 32 hex digits, e.g. @sha256: and 64 digits); the pull fails.`)];
    if (p.requireDigest) return [containerFinding(ctx, ['image'], `${who}: image "${image}" is not pinned by digest (@sha256:…).`)];
    if (ref.tag === undefined || ref.tag === '') return [containerFinding(ctx, ['image'], `${who}: image "${image}" has no tag, so it pulls :latest; pin a version tag or a digest.`)];
    const forbidden = p.forbiddenTags.map((t) => t.toLowerCase());
    if (forbidden.includes(ref.tag.toLowerCase())) return [containerFinding(ctx, ['image'], `${who}: image "${image}" uses the floating tag :${ref.tag}; pin a version tag or a digest.`)];
    return [];
  },
});

type Policy = 'Always' | 'IfNotPresent' | 'Never';

/** The pull policy Kubernetes applies: the explicit one, else Always for :latest or untagged images, else IfNotPresent. */
export function effectivePullPolicy(image: string, explicit: unknown): { policy: Policy | string; implicit: boolean } {
  if (typeof explicit === 'string' && explicit !== '') return { policy: explicit, implicit: false };
  const ref = parseImage(image);
  const floating = !hasDigest(ref) && (ref.tag === undefined || ref.tag === 'latest');
  return { policy: floating ? 'Always' : 'IfNotPresent', implicit: true };
}

/**
 * imagePullPolicy is Always (so registry credentials are checked on every start and a moved tag is noticed) for
 * images pinned by tag; an image with a floating tag is k8s.image-tag's finding, not judged here.
 */
export const imagePullPolicy = containerCheck({
  id: 'k8s.image-pull-policy',
  description: 'Every container whose image is pinned by tag pulls with imagePullPolicy: Always; by default the policy Kubernetes would apply counts when the field is unset. Floating tags (none, latest) are left to k8s.image-tag.',
  params: z.strictObject({
    requireExplicit: z.boolean().default(false).describe('Fail when imagePullPolicy is unset even if Kubernetes would default it to Always (Polaris pullPolicyNotAlways). false follows kube-score and checkov: the effective policy counts.'),
    exemptDigests: z.boolean().default(true).describe('Images pinned by digest are immutable, so IfNotPresent is accepted for them.'),
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx, p) => {
    const image = ctx.c.value.image;
    if (typeof image !== 'string' || image.trim() === '') return undefined;
    const explicit = ctx.c.value.imagePullPolicy;
    if (explicit !== undefined && explicit !== null && typeof explicit !== 'string') return undefined;
    const ref = parseImage(image);
    if (p.exemptDigests && hasDigest(ref)) return [];
    // A floating tag (none, or latest) is one defect, reported by k8s.image.tag-pinned: once the tag is pinned, the
    // pull policy is judged. Until then any policy is wrong for it, and a second finding would only repeat the first.
    if (!p.requireExplicit && !hasDigest(ref) && (ref.tag === undefined || ref.tag === '' || ref.tag.toLowerCase() === 'latest')) return [];
    const { policy, implicit } = effectivePullPolicy(image, explicit);
    const who = `${describeContainer(ctx.c)} of ${ctx.obj.ref}`;
    if (implicit && p.requireExplicit) return [containerFinding(ctx, ['imagePullPolicy'], `${who} does not set imagePullPolicy; set it to Always.`, { insert: ['imagePullPolicy'], value: 'Always' })];
    if (policy === 'Always') return [];
    return [
      implicit
        ? containerFinding(ctx, ['image'], `${who} does not set imagePullPolicy, so "${image}" is pulled IfNotPresent; set imagePullPolicy: Always.`, { insert: ['imagePullPolicy'], value: 'Always' })
        : containerFinding(ctx, ['imagePullPolicy'], `${who} sets imagePullPolicy: ${policy}; use Always.`, { replace: ['imagePullPolicy'], value: 'Always' }),
    ];
  },
});
