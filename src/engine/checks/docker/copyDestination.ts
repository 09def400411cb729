import { z } from 'zod';
import { dockerArgValues, dockerJson, type DockerfileModel, type DockerInstruction, type DockerStage } from '../../parse/dockerfile';
import { fileCheck } from '../template';
import { isAbsolutePath } from './workdir';
import { flags, perStage, stageChain, type DockerContext } from './util';

/** Sources and destination of a COPY or ADD (flags excluded); undefined for a heredoc. */
function copyArgs({ index }: DockerContext, ins: DockerInstruction): { sources: string[]; dest: string } | undefined {
  // both heredoc shapes need `<<`: most instructions skip the patterns and the split
  if (ins.args.includes('<<') && (/^\s*<</.test(ins.args) || /\s<<-?["']?\w+["']?(\s|$)/.test(ins.args.split('\n')[0]))) return undefined;
  const json = dockerJson(ins, index);
  const values = json ? json.map((s) => s.value.replace(/^"|"$/g, '')) : dockerArgValues(ins);
  if (values.length < 2) return undefined;
  return { sources: values.slice(0, -1), dest: values[values.length - 1].replace(/^["']|["']$/g, '') };
}

/** A WORKDIR in a stage this one builds on (FROM <stage>), which the stage inherits. */
function parentHasWorkdir(model: DockerfileModel, stage: DockerStage): boolean {
  if (stage.parent === undefined) return false;
  const chain = stageChain(model, stage);
  for (let c = 1; c < chain.length; c++) for (const i of chain[c].instructions) if (i.keyword === 'WORKDIR') return true;
  return false;
}

/** Where COPY and ADD put files: several sources into a folder (`/`), relative paths under a WORKDIR, never a whole stage's filesystem. */
export const copyDestination = fileCheck({
  id: 'docker.copy-destination',
  description: 'COPY/ADD destinations: with several sources the destination is a folder ending in /; a relative destination follows a WORKDIR; COPY --from never copies a stage\'s whole filesystem (/ to /). Each aspect is a param.',
  params: z.strictObject({
    multiSourceFolder: z.boolean().default(false).describe('With several sources the destination ends in /.'),
    relativeNeedsWorkdir: z.boolean().default(false).describe('A relative destination comes after a WORKDIR of the stage (or a stage it builds on).'),
    wholeFilesystem: z.boolean().default(false).describe('COPY --from does not copy / to /.'),
  }),
  kinds: ['dockerfile'],
  run(file, params, values) {
    return perStage(file, values, (ctx, stage, report) => {
      // a WORKDIR in a stage this one builds on counts
      let workdir = params.relativeNeedsWorkdir && parentHasWorkdir(ctx.model, stage);
      for (const ins of stage.instructions) {
        if (ins.keyword === 'WORKDIR') workdir = true;
        if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
        const a = ctx.memo('copyArgs', ins, copyArgs); // three items read them
        if (!a || a.dest.includes('$')) continue;
        if (params.multiSourceFolder && a.sources.length > 1 && !/[/\\]$/.test(a.dest)) {
          report(ins.argsRange ?? ins.range, `${ins.keyword} has ${a.sources.length} sources, so its destination ${a.dest} must be a folder ending in /; Docker rejects it otherwise.`);
        }
        if (params.relativeNeedsWorkdir && !workdir && !isAbsolutePath(a.dest)) {
          report(ins.argsRange ?? ins.range, `${ins.keyword} to the relative path ${a.dest} without a WORKDIR lands in whatever directory the base image left; set WORKDIR /app first or use an absolute path.`);
        }
        // from a stage of this Dockerfile (by name or number) only: an image copied whole (`COPY --from=docker/cli / /`) is
        // a bundle made to be copied so, not a build stage's compilers and caches
        const from = params.wholeFilesystem ? flags(ins).find((f) => f.name === 'from')?.value : undefined;
        if (from !== undefined && ins.keyword === 'COPY' && a.dest === '/' && isStageRef(ctx.model.stages, stage, from) && a.sources.some((s) => s.replace(/^["']|["']$/g, '') === '/')) {
          report(ins.argsRange ?? ins.range, 'COPY --from copies the other stage\'s whole filesystem into this one, build tools and caches included; copy only the files the image needs.');
        }
      }
    });
  },
});

/** Whether a `--from` value names a stage before this one (its `AS` name, or its number), not an image. */
function isStageRef(stages: readonly DockerStage[], stage: DockerStage, from: string): boolean {
  const ref = from.replace(/^["']|["']$/g, '').toLowerCase();
  return stages.some((s) => s.index < stage.index && (s.name === ref || String(s.index) === ref));
}
