import { z } from 'zod';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import { hasPlaceholder, type DockerfileModel, type DockerStage } from '../../parse/dockerfile';
import { imageUser } from '../../fixes/docker/images';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, fromRange, isWindowsStage, lastOf, stageChain, stageLabel, stageVariables, substitute, paramSet } from './util';

const NO_NAMES: readonly string[] = [];

const Params = z.strictObject({
  /** User names (case-insensitive) that count as root. UID 0 always does. */
  rootUsers: z.array(z.string()).default(['root', 'containeradministrator']),
  /** Regular expressions of base images that already run as a non-root user (distroless :nonroot, Chainguard). */
  nonRootImages: z.array(userPatternSchema('i')).default(['^gcr\\.io/distroless/.*:(.*-)?nonroot(-.*)?$', '^cgr\\.dev/chainguard/', ':nonroot$']),
});

/** The last USER of the final stage (inherited from earlier stages it builds on) names a non-root user. */
export const nonRootUser = fileCheck({
  id: 'docker.final-user',
  description: 'The final stage runs as a non-root USER: the last USER (inherited through FROM <stage>) is neither root nor UID 0; no USER at all fails unless the base image is known to be non-root.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    const final = ctx?.model.final;
    if (!ctx || !final) return undefined;
    const roots = paramSet(params.rootUsers, 'lower');
    for (const stage of stageChain(ctx.model, final)) {
      const last = lastOf(stage, 'USER');
      if (!last) continue;
      const written = last.args.trim();
      // set at build time: the user cannot be judged here, which is not a pass
      const buildTime = () => ({ findings: [], unaudited: [{ file: file.path, range: last.argsRange ?? last.range, reason: `USER ${written} is set at build time; whether it is root could not be checked`, scope: 'field' as const, kind: 'dockerfile' as const }] });
      if (!written || hasPlaceholder(written)) return written ? buildTime() : passOrFail([]);
      const { value, unresolved } = written.includes('$') ? substitute(written, stageVariables(ctx.model, stage, last)) : { value: written, unresolved: NO_NAMES };
      if (unresolved.length > 0) return buildTime();
      const colon = value.indexOf(':');
      const user = unquote((colon === -1 ? value : value.slice(0, colon)).trim()); // the user before `:group`
      const uid0 = isUid0(user);
      if (uid0 || roots.has(user.toLowerCase())) {
        const where = stage === final ? 'the final stage' : `${stageLabel(stage)}, which the final stage builds on,`;
        return passOrFail([dockerFinding(ctx, last.argsRange ?? last.range, `The last USER of ${where} is ${uid0 ? 'UID 0' : user} (root); switch to a non-root user before CMD/ENTRYPOINT.`, final)]);
      }
      return passOrFail([]);
    }
    const base = stageChain(ctx.model, final).at(-1) ?? final;
    const image = substitute(base.from.image, ctx.model.globalArgs).value;
    if (params.nonRootImages.some((re) => userRegExp(re, 'i')?.test(image))) return passOrFail([]);
    const windows = isWindowsStage(ctx.model, final);
    const who = windows ? 'ContainerAdministrator' : 'root';
    return passOrFail([dockerFinding(ctx, fromRange(final), `The final stage sets no USER, so the container runs as ${who}; ${userExample(ctx.model, final, windows)}.`, final)]);
  },
});

/** Docker reads a numeric user as a number: 00, +0 and 000 are UID 0. */
export function isUid0(user: string): boolean {
  return /^[+-]?0+$/.test(user);
}

/** A user written in quotes (`USER "root"`): Docker takes the words as written, quotes removed. */
export function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0] ? s.slice(1, -1).trim() : s;
}

/** How to add a non-root user on this base image: its own user, a numeric one where there is no shell, or one to create. */
function userExample(model: DockerfileModel, final: DockerStage, windows: boolean): string {
  const before = 'before CMD/ENTRYPOINT';
  if (windows) return `add USER ContainerUser ${before}`;
  const img = imageUser({ model }, final);
  if (img.family === 'noShell') return `add USER 65532:65532 ${before} (${img.user ? `the image’s ${img.user} user` : 'any non-zero UID: scratch has no user database'})`;
  if (img.user) return `add USER ${img.user} ${before} (the image’s own user)`;
  if (img.family === 'alpine') return `create a user (RUN addgroup -S app && adduser -S -G app app) and add USER app ${before}`;
  if (img.family === 'debian' || img.family === 'rhel') return `create a user (RUN groupadd --system app && useradd --system --gid app app) and add USER app ${before}`;
  return `add USER <non-root user> ${before}`;
}
