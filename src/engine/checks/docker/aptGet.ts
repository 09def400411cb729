import { z } from 'zod';
import type { RawFinding } from '../../model';
import { hasPlaceholder, type DockerInstruction, type DockerStage } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import type { ShellCommand, Word } from './shell';
import { program, subcommand } from './shellProgram';
import { dockerContext, dockerFinding, flags, stageChain, type DockerContext } from './util';

const Params = z.strictObject({
  /** `apt-get update` only in the same RUN as an `apt-get install` (a cached update layer installs stale lists). */
  updateWithInstall: z.boolean().default(false),
  /** Every `apt-get install` passes --no-install-recommends. */
  noInstallRecommends: z.boolean().default(false),
  /** A RUN that installs with apt-get also removes /var/lib/apt/lists (final image only). */
  cleanLists: z.boolean().default(false),
});

/** Front ends of APT: they share /var/lib/apt/lists, APT::Install-Recommends and the need to update before installing. */
const APT_FRONTENDS = new Set(['apt-get', 'apt', 'aptitude']);

interface AptUse {
  /** The first `update`: the program's word and name (`apt-get`, `aptitude`), as for installs. */
  update?: { word: Word; program: string };
  installs: { cmd: ShellCommand; at: number; sub: Word; program: string }[];
  /** Another sub-command that uses the fresh lists in the same RUN (upgrade, build-dep…). */
  consumes?: boolean;
  cleans: boolean;
}

/** What a RUN does with apt-get; the three apt-get items share it (memoised per instruction). */
function aptUse(ctx: DockerContext, ins: DockerInstruction): AptUse {
  return ctx.memo('aptUse', ins, readAptUse);
}

function readAptUse(ctx: DockerContext, ins: DockerInstruction): AptUse {
  const use: AptUse = { installs: [], cleans: false };
  // A cache mount on /var/lib/apt keeps the lists out of the layer.
  if (flags(ins).some((f) => f.name === 'mount' && /(^|,)(target|dst|destination)=\/var\/lib\/apt(\/lists)?\/?(,|$)/.test(f.value))) use.cleans = true;
  for (const cmd of ctx.commands(ins)) {
    const p = program(cmd);
    if (!p) continue;
    if (APT_FRONTENDS.has(p.name)) {
      const sub = subcommand(cmd, p.at);
      if (sub.name?.value === 'update') use.update ??= { word: cmd.words[p.at], program: p.name };
      else if (sub.name?.value === 'install') use.installs.push({ cmd, at: p.at, sub: sub.name, program: p.name });
      else if (/^(upgrade|dist-upgrade|full-upgrade|safe-upgrade|build-dep|source|download|reinstall)$/.test(sub.name?.value ?? '')) use.consumes = true;
      else if (sub.name?.value === 'dist-clean') use.cleans = true;
    } else if (p.name === 'rm' && cmd.words.some((w) => /^\/var\/lib\/apt\/lists(\/\*?)?$/.test(w.value))) use.cleans = true;
  }
  return use;
}

/**
 * The words from `from` turn recommended packages off (`--no-install-recommends`, aptitude's `-R` or
 * `--without-recommends`, `-o APT::Install-Recommends=false`).
 */
function recommendsOff(words: readonly Word[], from: number, aptitude: boolean): boolean {
  for (let k = from; k < words.length; k++) {
    const o = words[k].value;
    if (o === '--no-install-recommends' || o === '--without-recommends') return true;
    if (aptitude && /^-[A-Za-z]*R[A-Za-z]*$/.test(o)) return true;
    if (/^APT::Install-Recommends=("?)(false|0)\1$/i.test(o) && ((k > from && words[k - 1].value === '-o') || o.startsWith('-o'))) return true;
    if (/^-oAPT::Install-Recommends=/i.test(o)) return true;
  }
  return false;
}

/** apt-get usage that keeps builds reproducible and images small: update+install together, no recommends, lists removed. */
export const aptGet = fileCheck({
  id: 'docker.apt-get',
  description: 'apt-get in RUN: update only together with install in one RUN, install with --no-install-recommends, and remove /var/lib/apt/lists in the same RUN (stages that ship in the final image); each aspect is a param.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const shipped: readonly DockerStage[] = ctx.model.final ? stageChain(ctx.model, ctx.model.final) : []; // a few stages: no set
    const findings: RawFinding[] = [];
    let applicable = false;
    for (const stage of ctx.model.stages) {
      for (const ins of ctx.runsOf(stage)) {
        const use = aptUse(ctx, ins);
        if (!use.update && use.installs.length === 0) continue;
        applicable = true;
        if (params.updateWithInstall && use.update && use.installs.length === 0 && !use.consumes) {
          findings.push(dockerFinding(ctx, ctx.index.range(use.update.word.start, use.update.word.end), `${use.update.program} update runs alone in this RUN; its cached layer makes later installs use stale package lists. Update and install in one RUN.`, stage));
        }
        if (params.noInstallRecommends) {
          for (const i of use.installs) {
            if (recommendsOff(i.cmd.words, i.at + 1, i.program === 'aptitude')) continue;
            const w = i.cmd.words[i.at];
            const option = i.program === 'aptitude' ? '--without-recommends' : '--no-install-recommends';
            findings.push(dockerFinding(ctx, ctx.index.range(w.start, i.sub.end), `${i.program} install without ${option} pulls in recommended packages the image does not need.`, stage));
          }
        }
        // In a template the cleanup may come from a placeholder (`{{ clean_apt }}`): do not judge its absence.
        if (params.cleanLists && shipped.includes(stage) && !use.cleans && use.installs.length > 0 && !hasPlaceholder(ins.args)) {
          const w = use.installs[0].cmd.words[use.installs[0].at];
          findings.push(dockerFinding(ctx, ctx.index.range(w.start, use.installs[0].sub.end), `This RUN installs with ${use.installs[0].program} but leaves /var/lib/apt/lists in the layer; end it with && rm -rf /var/lib/apt/lists/*.`, stage));
        }
      }
    }
    return applicable ? passOrFail(findings) : undefined;
  },
});
