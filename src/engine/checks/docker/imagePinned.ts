import { z } from 'zod';
import type { RawFinding } from '../../model';
import { hasPlaceholder } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, substitute } from './util';

const Params = z.strictObject({
  /** Tags that float like no tag at all. */
  rejectTags: z.array(z.string()).default(['latest']),
  /** Require a `@sha256:` digest on every external image. */
  requireDigest: z.boolean().default(false),
});

/** Splits `registry:5000/ns/name:tag@sha256:…` into name, tag and digest (the registry port is not a tag). */
export function splitImage(ref: string): { name: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** Every FROM names an image by an explicit tag (not `latest`) or a digest; earlier stages and `scratch` are fine. */
export const imagePinned = fileCheck({
  id: 'docker.from-pinned',
  description: 'Every FROM names its base image by an explicit version tag (not latest) or a digest; ARG defaults are substituted, earlier stages and scratch are fine.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const findings: RawFinding[] = [];
    for (const stage of ctx.model.stages) {
      const { from } = stage;
      const written = from.image;
      if (!written || from.isStage) continue;
      if (hasPlaceholder(written) || hasPlaceholder(from.args)) continue; // a template: filled in later
      const { value: image, unresolved } = substitute(written, ctx.model.globalArgs);
      if (unresolved.length > 0) continue; // supplied at build time (`ARG TAG` without a default): cannot judge
      if (image.toLowerCase() === 'scratch' || image === '') continue;
      const { name, tag, digest } = splitImage(image);
      if (digest) continue;
      const range = from.imageRange ?? from.range;
      const via = image !== written ? ` (${written} resolves to ${image} from its ARG default)` : '';
      if (params.requireDigest) {
        findings.push(dockerFinding(ctx, range, `Base image ${image}${via} is not pinned by digest; add @sha256:… so rebuilds use the same bytes.`, stage));
        continue;
      }
      if (!tag) findings.push(dockerFinding(ctx, range, `Base image ${name}${via} has no tag, so it floats to :latest; pin a version such as ${name}:<version>.`, stage));
      else if (params.rejectTags.includes(tag.toLowerCase())) {
        const tagRange = from.tagRange ?? range;
        findings.push(dockerFinding(ctx, image === written ? tagRange : range, `Base image ${image}${via} uses the floating tag "${tag}"; pin an explicit version (or a digest).`, stage));
      }
    }
    return passOrFail(findings);
  },
});
