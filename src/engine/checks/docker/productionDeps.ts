import { z } from 'zod';
import type { RawFinding } from '../../model';
import { copyFromFlag, dockerArgValues, type DockerStage } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { nodeInstall, type NodeInstall } from './packageManager';
import { dockerContext, dockerFinding, forEachEffective, properties, type DockerContext } from './util';

interface StageDeps {
  /** Installs that keep devDependencies, not pruned afterwards. */
  dev: { install: NodeInstall; stage: DockerStage }[];
  /** Any dependency install or node_modules copy at all. */
  installs: boolean;
  /** COPYs of node_modules from stages that keep devDependencies. */
  devCopies: { range: RawFinding['range']; from: string; stage: DockerStage }[];
}

function isNodeEnvProduction(value: string | null | undefined): boolean {
  return /^["']?production["']?$/.test((value ?? '').trim());
}

/**
 * What ends up in a stage's image: installs that kept devDependencies (NODE_ENV=production before them,
 * or a later prune, make them production-only) and node_modules copied from such stages.
 */
function stageDeps(ctx: DockerContext, stage: DockerStage, memo: Map<number, StageDeps>): StageDeps {
  const known = memo.get(stage.index);
  if (known) return known;
  const out: StageDeps = { dev: [], installs: false, devCopies: [] };
  memo.set(stage.index, out);
  let nodeEnvProd = false;
  forEachEffective(ctx.model, stage, (ins, s) => {
    if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
      for (const p of properties(ins)) if (p.getName() === 'NODE_ENV' && (ins.keyword === 'ENV' || p.getValue() !== null)) nodeEnvProd = isNodeEnvProduction(p.getValue());
    } else if (ins.keyword === 'RUN') {
      for (const cmd of ctx.commands(ins)) {
        const inst = nodeInstall(cmd);
        if (!inst) continue;
        out.installs = true;
        if (inst.prune) {
          if (inst.productionOnly || nodeEnvProd) {
            out.dev = [];
            out.devCopies = [];
          }
          continue;
        }
        if (!inst.productionOnly && !nodeEnvProd) out.dev.push({ install: inst, stage: s });
      }
    } else if (ins.keyword === 'COPY') {
      const from = copyFromFlag(ins);
      if (!from) return;
      const args = dockerArgValues(ins);
      if (!args.slice(0, -1).some((a) => /(^|\/)node_modules\/?$/.test(a))) return;
      out.installs = true;
      const source = ctx.model.stages.find((x) => x.index < stage.index && (x.name === from.toLowerCase() || String(x.index) === from));
      if (!source) return; // an external image: cannot tell
      const deps = stageDeps(ctx, source, memo);
      if (deps.dev.length > 0 || deps.devCopies.length > 0) out.devCopies.push({ range: ins.range, from, stage: s });
    }
  });
  return out;
}

/**
 * The installs that put devDependencies into the final image (through the stages it builds on), by their
 * start offset. An install that also ignores the lockfile (`npm install`) is docker.deps.npm-ci's to report,
 * with this as a second reason, so that one line is one finding.
 */
export function devInstallsInFinal(ctx: DockerContext): ReadonlySet<number> {
  const deps = finalDeps(ctx);
  return new Set(deps ? deps.dev.map((d) => d.install.start) : []);
}

/** What ends up in the final image ({@link stageDeps}), once per file: the lockfile rule and this one both read it. */
function finalDeps(ctx: DockerContext): StageDeps | undefined {
  return ctx.once('finalDeps', readFinalDeps);
}

function readFinalDeps(ctx: DockerContext): StageDeps | undefined {
  const final = ctx.model.final;
  return final ? stageDeps(ctx, final, new Map()) : undefined;
}

/** The final image holds production dependencies only; an install that ignores the lockfile is left to the lockfile rule. */
export const productionDeps = fileCheck({
  id: 'docker.production-deps',
  description: 'The final stage installs production dependencies only (npm ci --omit=dev / --only=production, yarn --production, pnpm --prod, NODE_ENV=production before the install, or a prune after it), and node_modules copied into it comes from such a stage.',
  params: z.strictObject({}),
  kinds: ['dockerfile'],
  run(file, _params, values) {
    const ctx = dockerContext(file, values);
    const final = ctx?.model.final;
    if (!ctx || !final) return undefined;
    const deps = finalDeps(ctx)!;
    if (!deps.installs) return undefined; // the final image installs no Node dependencies
    const findings: RawFinding[] = [];
    let deferred = 0;
    for (const { install, stage } of deps.dev) {
      if (!install.frozen) {
        deferred++; // docker.deps.npm-ci reports this line, devDependencies included
        continue;
      }
      const hint = install.manager === 'npm' ? 'npm ci --omit=dev' : install.manager === 'yarn' ? 'yarn install --production --frozen-lockfile' : `${install.manager} install --prod --frozen-lockfile`;
      findings.push(dockerFinding(ctx, ctx.index.range(install.start, install.end), `\`${install.text}\` installs devDependencies into the final image${stage === final ? '' : ` (through ${stage.name ? `stage "${stage.name}"` : `stage ${stage.index}`})`}; use \`${hint}\` or set ENV NODE_ENV=production before it.`, final));
    }
    for (const c of deps.devCopies) {
      findings.push(dockerFinding(ctx, c.range, `node_modules comes from stage "${c.from}", which installs devDependencies; copy it from a stage that runs a production-only install (or prune there).`, final));
    }
    // every offending install was reported by the lockfile rule: nothing judged here
    if (findings.length === 0 && deferred > 0) return undefined;
    return passOrFail(findings);
  },
});
