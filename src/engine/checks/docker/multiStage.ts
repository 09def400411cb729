import { z } from 'zod';
import type { RawFinding, RelatedInfo } from '../../model';
import { copyFromFlag, dockerLines, type DockerfileModel, type DockerStage } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import type { ShellCommand, Word } from './shell';
import { program, subcommand } from './shellProgram';
import { dockerContext, dockerFinding, flags, fromRange, stageChain, type DockerContext } from './util';

const Params = z.strictObject({
  /** Fail a single-stage Dockerfile even when it runs no build step. */
  always: z.boolean().default(false),
});

const SCRIPT_RUNNERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
const BUILD_TOOLS: Record<string, (cmd: ShellCommand, at: number) => boolean> = {
  tsc: () => true,
  nest: (c, at) => c.words[at + 1]?.value === 'build',
  next: (c, at) => c.words[at + 1]?.value === 'build',
  vite: (c, at) => c.words[at + 1]?.value === 'build',
  ng: (c, at) => c.words[at + 1]?.value === 'build',
  webpack: () => true,
  go: (c, at) => c.words[at + 1]?.value === 'build',
  cargo: (c, at) => c.words[at + 1]?.value === 'build',
  dotnet: (c, at) => ['build', 'publish'].includes(c.words[at + 1]?.value ?? ''),
  mvn: (c) => c.words.some((w) => ['package', 'install', 'verify'].includes(w.value)),
  mvnw: (c) => c.words.some((w) => ['package', 'install', 'verify'].includes(w.value)),
  gradle: (c) => c.words.some((w) => /^(build|assemble|bootJar|shadowJar|installDist)$/.test(w.value)),
  gradlew: (c) => c.words.some((w) => /^(build|assemble|bootJar|shadowJar|installDist)$/.test(w.value)),
};

/** The first build command (compile / bundle step) of a RUN, if any. */
export function buildStep(cmd: ShellCommand): Word | undefined {
  const p = program(cmd);
  if (!p) return undefined;
  if (SCRIPT_RUNNERS.has(p.name)) {
    const sub = subcommand(cmd, p.at);
    const script = sub.name?.value === 'run' || sub.name?.value === 'run-script' ? sub.args.find((a) => !a.value.startsWith('-') && a !== sub.name) : sub.name;
    if (script && /^build(:|$)|^build-/.test(script.value)) return cmd.words[p.at];
    return undefined;
  }
  const test = BUILD_TOOLS[p.name];
  return test?.(cmd, p.at) ? cmd.words[p.at] : undefined;
}

/** The finding with its related locations, when there are some (set on it: a spread copy takes V8's slow path). */
function withRelated(f: RawFinding, related: RelatedInfo[] | undefined): RawFinding {
  if (related) f.related = related;
  return f;
}

/** The final stage takes something from an earlier stage: FROM <stage>, COPY --from=<stage>, or RUN --mount=from=<stage>. */
function usesEarlierStage(model: DockerfileModel, stage: DockerStage): boolean {
  if (stage.parent !== undefined) return true;
  const earlier = new Set(model.stages.filter((s) => s.index < stage.index).flatMap((s) => [String(s.index), ...(s.name ? [s.name] : [])]));
  return stage.instructions.some((i) => {
    if (i.keyword !== 'COPY' && i.keyword !== 'ADD') return false;
    const from = copyFromFlag(i)?.toLowerCase();
    return !!from && earlier.has(from);
  }) || stage.instructions.some((i) => i.keyword === 'RUN' && flags(i).some((f) => f.name === 'mount' && earlier.has((/(?:^|,)from=([^,]+)/.exec(f.value)?.[1] ?? '').toLowerCase())));
}

function firstBuildStep(ctx: DockerContext, stage: DockerStage): Word | undefined {
  for (const s of stageChain(ctx.model, stage)) {
    for (const ins of s.instructions) {
      if (ins.keyword !== 'RUN') continue;
      for (const cmd of ctx.commands(ins)) {
        const w = buildStep(cmd);
        if (w) return w;
      }
    }
  }
  return undefined;
}

/** A Dockerfile that compiles or bundles does so in a build stage and copies the output into a lean final stage. */
export const multiStage = fileCheck({
  id: 'docker.multi-stage',
  description: 'A Dockerfile with a build step (npm run build, tsc, go build, mvn package…) is multi-stage, and its final stage takes the output from an earlier stage (COPY --from) instead of compiling in place.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    const final = ctx?.model.final;
    if (!ctx || !final) return undefined;
    const step = firstBuildStep(ctx, final);
    const related = step ? [{ file: file.path, range: ctx.index.range(step.start, step.end), message: 'build step' }] : undefined;
    if (ctx.model.stages.length < 2) {
      if (!step && !params.always) return undefined;
      const what = step ? `runs its build step (${step.value}) in the only stage, so compilers and sources ship in the image` : 'has a single stage';
      return passOrFail([withRelated(dockerFinding(ctx, fromRange(final), `This Dockerfile ${what}; build in a separate stage and COPY --from=<build> only the output into the final stage.`, final), related)]);
    }
    if (step) {
      // by lines, without making each instruction's range
      const line = ctx.index.lineAt(step.start);
      const inFinal = final.instructions.some((i) => {
        const { first, last } = dockerLines(i, ctx.index);
        return first <= line && line <= last;
      });
      const where = inFinal ? 'The final stage runs a build step' : 'The final stage builds on a stage that runs a build step';
      return passOrFail([withRelated(dockerFinding(ctx, fromRange(final), `${where} (${step.value}), so compilers and sources ship in the image; build in a separate stage and COPY --from=<build> only the output.`, final), related)]);
    }
    if (params.always && !usesEarlierStage(ctx.model, final)) {
      return passOrFail([dockerFinding(ctx, fromRange(final), 'The final stage takes nothing from the earlier stages; COPY --from=<build> the build output into it.', final)]);
    }
    return passOrFail([]);
  },
});
