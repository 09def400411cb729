import { z } from 'zod';
import type { RawFinding } from '../../model';
import { fileCheck, passOrFail } from '../template';
import { nodeInstall } from './packageManager';
import { devInstallsInFinal } from './productionDeps';
import { dockerContext, dockerFinding, paramSet } from './util';

const FROZEN_HINT: Record<string, string> = {
  npm: 'use `npm ci`, which installs exactly what package-lock.json says',
  yarn: 'add --frozen-lockfile (Yarn 1) or --immutable (Yarn 2+)',
  pnpm: 'add --frozen-lockfile',
  bun: 'add --frozen-lockfile',
};

const DEV_HINT: Record<string, string> = {
  npm: '`npm ci --omit=dev`, or ENV NODE_ENV=production before it, once nothing later needs them',
  yarn: '`yarn install --production --frozen-lockfile`, or ENV NODE_ENV=production before it',
  pnpm: '`pnpm install --prod --frozen-lockfile`, or ENV NODE_ENV=production before it',
  bun: '`bun install --production --frozen-lockfile`, or ENV NODE_ENV=production before it',
};

/** Dependency installs in RUN follow the lockfile: `npm ci`, `yarn --frozen-lockfile`/`--immutable`, `pnpm --frozen-lockfile`. */
export const lockfileInstall = fileCheck({
  id: 'docker.lockfile-install',
  description: 'Node dependency installs in RUN follow the lockfile (npm ci, yarn install --frozen-lockfile / --immutable, pnpm or bun install --frozen-lockfile); package additions and global tool installs are not judged, and a Dockerfile without Node installs is not applicable.',
  params: z.strictObject({}),
  kinds: ['dockerfile'],
  run(file, _params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const findings: RawFinding[] = [];
    let dev: ReadonlySet<number> | undefined;
    let installs = false;
    for (const stage of ctx.model.stages) {
      for (const ins of ctx.runsOf(stage)) {
        for (const cmd of ctx.commands(ins)) {
          const inst = nodeInstall(cmd);
          if (inst && !inst.prune) installs = true;
          if (!inst || inst.frozen || inst.prune) continue;
          // the same line also keeps devDependencies in the final image: one finding with both reasons
          const alsoDev = (dev ??= devInstallsInFinal(ctx)).has(inst.start) ? `; it also installs devDependencies into the final image (${DEV_HINT[inst.manager]})` : '';
          findings.push(dockerFinding(ctx, ctx.index.range(inst.start, inst.end), `\`${inst.text}\` may resolve different versions than the lockfile; ${FROZEN_HINT[inst.manager]}${alsoDev}.`, stage));
        }
      }
    }
    // a Dockerfile that installs no Node dependencies has nothing to judge here
    return installs ? passOrFail(findings) : undefined;
  },
});

/** No RUN calls one of the given programs (sudo by default: the build already runs as root, and sudo in an image is an escalation path). */
export const forbiddenCommand = fileCheck({
  id: 'docker.run-forbidden-command',
  description: 'No RUN command calls one of the listed programs (default: sudo).',
  params: z.strictObject({
    commands: z.array(z.string().min(1)).default(['sudo']),
    reason: z.string().default('RUN already executes as the current USER; switch with USER instead of sudo, which also leaves an escalation path in the image'),
  }),
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const banned = paramSet(params.commands);
    const findings: RawFinding[] = [];
    for (const stage of ctx.model.stages) {
      for (const ins of ctx.runsOf(stage)) {
        for (const cmd of ctx.commands(ins)) {
          const w = cmd.words[0];
          if (!w) continue;
          const name = w.value.slice(w.value.lastIndexOf('/') + 1);
          if (banned.has(name)) findings.push(dockerFinding(ctx, ctx.index.range(w.start, w.end), `RUN calls ${name}: ${params.reason}.`, stage));
        }
      }
    }
    return passOrFail(findings);
  },
});
