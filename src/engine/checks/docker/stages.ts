import { z } from 'zod';
import type { RawFinding } from '../../model';
import { hasPlaceholder, type DockerInstruction } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { splitImage } from './imagePinned';
import { isUid0, unquote } from './nonRootUser';
import { dockerContext, dockerFinding, flags, fromRange, lastOf, stageChain, stageVariables, substitute } from './util';

/** `--from=` of COPY and `from=` of RUN --mount, with the instruction. */
function fromReferences(ins: DockerInstruction): string[] {
  const out: string[] = [];
  // the arguments exclude the flags, so the flags themselves are read (none, for most instructions)
  for (const f of flags(ins)) {
    if (ins.keyword === 'COPY' && f.name === 'from') out.push(f.value);
    else if (ins.keyword === 'RUN' && f.name === 'mount') {
      const m = /(?:^|,)from=([^,]+)/.exec(f.value);
      if (m) out.push(m[1]);
    }
  }
  return out;
}

/** Stage names are unique and not reserved; COPY --from and RUN --mount=from name an earlier stage, never their own. */
export const stageReferences = fileCheck({
  id: 'docker.stage-references',
  description: 'Stage names (FROM … AS name) are unique and not reserved words; COPY --from and RUN --mount=from=… name an earlier stage (or an image with a tag or registry), never the stage itself or a later one.',
  params: z.strictObject({
    reserved: z.array(z.string()).default(['scratch', 'context']).describe('Names a stage may not take (lower case).'),
  }),
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const findings: RawFinding[] = [];
    const stages = ctx.model.stages;
    const firstByName = new Map<string, number>();
    for (const stage of stages) {
      if (!stage.name) continue;
      if (params.reserved.includes(stage.name)) findings.push(dockerFinding(ctx, fromRange(stage), `Stage name "${stage.name}" is a reserved word; choose another name.`, stage));
      const first = firstByName.get(stage.name);
      if (first !== undefined) findings.push(dockerFinding(ctx, fromRange(stage), `Stage name "${stage.name}" is already used by stage ${first}; COPY --from=${stage.name} would be ambiguous. Give each stage its own name.`, stage));
      else firstByName.set(stage.name, stage.index);
    }
    for (const stage of stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'COPY' && ins.keyword !== 'RUN') continue;
        for (const raw of fromReferences(ins)) {
          const ref = raw.replace(/^["']|["']$/g, '');
          if (!ref || ref.includes('$') || hasPlaceholder(ref)) continue;
          const lower = ref.toLowerCase();
          const range = ins.range;
          if (/^\d+$/.test(ref)) {
            const n = Number(ref);
            if (n === stage.index) findings.push(dockerFinding(ctx, range, `--from=${ref} names this stage itself; a stage cannot copy from its own result.`, stage));
            else if (n > stage.index) findings.push(dockerFinding(ctx, range, `--from=${ref} names a later stage (or one that does not exist); name an earlier stage.`, stage));
            continue;
          }
          const named = firstByName.get(lower);
          if (named === stage.index || (stage.name === lower && named !== undefined)) findings.push(dockerFinding(ctx, range, `--from=${ref} names this stage itself; a stage cannot copy from its own result.`, stage));
          else if (named !== undefined && named > stage.index) findings.push(dockerFinding(ctx, range, `--from=${ref} names a later stage; Docker would pull an image called "${ref}" instead. Move stage "${ref}" above this one.`, stage));
          else if (named === undefined && !/[:/@.]/.test(ref)) findings.push(dockerFinding(ctx, range, `--from=${ref} names no earlier stage, so Docker pulls an image called "${ref}"; name a stage defined above (or write the image with its tag).`, stage));
        }
      }
    }
    return passOrFail(findings);
  },
});

/** The registry host of an image reference (Docker Hub when none is written). */
export function registryOf(image: string): string {
  const { name } = splitImage(image);
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  return first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : 'docker.io';
}

/** Base images come only from allowed registries (or repository prefixes); not applicable when the list is empty. */
export const fromRegistry = fileCheck({
  id: 'docker.from-registry',
  description: 'Every FROM pulls its base image from an allowed registry host or repository prefix (docker.io for Docker Hub names); earlier stages and scratch are fine. Not applicable while the list is empty.',
  params: z.strictObject({
    allowed: z.array(z.string().min(1)).default([]).describe('Registry hosts (`ghcr.io`, `docker.io`) or prefixes (`ghcr.io/acme/`); empty: any registry.'),
  }),
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0 || params.allowed.length === 0) return undefined;
    const findings: RawFinding[] = [];
    for (const stage of ctx.model.stages) {
      const { from } = stage;
      if (from.isStage || from.image.toLowerCase() === 'scratch' || hasPlaceholder(from.image)) continue;
      const { value: image, unresolved } = substitute(from.image, ctx.model.globalArgs);
      if (unresolved.length > 0 || !image) continue;
      const registry = registryOf(image);
      const full = registry === 'docker.io' && !image.startsWith('docker.io/') ? `docker.io/${image.includes('/') ? image : `library/${image}`}` : image;
      const ok = params.allowed.some((a) => a.toLowerCase() === registry || full.toLowerCase().startsWith(a.toLowerCase()));
      if (!ok) findings.push(dockerFinding(ctx, from.imageRange ?? fromRange(stage), `${image} comes from ${registry}, which is not an allowed registry (${params.allowed.join(', ')}).`, stage));
    }
    return passOrFail(findings);
  },
});

/** Root by name (the user docker.user.non-root reports). */
const ROOT_NAMES: ReadonlySet<string> = new Set(['root', 'containeradministrator']);

/** The user the final image runs as is a numeric UID, so Kubernetes `runAsNonRoot` can verify it. */
export const numericUser = fileCheck({
  id: 'docker.user-numeric',
  description: 'The last USER of the final image is a numeric UID (optionally UID:GID): a name cannot be checked by Kubernetes runAsNonRoot or resolved by the host. Not applicable without a USER, or when the USER is root by name (that is a root user, not a naming problem).',
  params: z.strictObject({}),
  kinds: ['dockerfile'],
  run(file, _params, values) {
    const ctx = dockerContext(file, values);
    const final = ctx?.model.final;
    if (!ctx || !final) return undefined;
    for (const stage of stageChain(ctx.model, final)) {
      const last = lastOf(stage, 'USER');
      if (!last) continue;
      const written = last.args.trim();
      if (!written || hasPlaceholder(written)) return undefined;
      const { value, unresolved } = written.includes('$') ? substitute(written, stageVariables(ctx.model, stage, last)) : { value: written, unresolved: [] };
      if (unresolved.length > 0) return undefined;
      const user = unquote(value.split(':')[0].trim());
      // root (by name or as UID 0 written +0, 00…) is docker.user.non-root's finding: a numeric root would not help
      if (isUid0(user) || ROOT_NAMES.has(user.toLowerCase())) return undefined;
      if (/^\d+$/.test(user)) return passOrFail([]);
      return passOrFail([dockerFinding(ctx, last.argsRange ?? last.range, `USER ${user} is a name; Kubernetes runAsNonRoot cannot verify a name and refuses to start the pod. Use the numeric UID (e.g. USER 10001 or USER 10001:10001).`, final)]);
    }
    return undefined;
  },
});
