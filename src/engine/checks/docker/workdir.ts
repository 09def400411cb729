import { z } from 'zod';
import type { RawFinding } from '../../model';
import { hasPlaceholder } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, stageVariables, substitute } from './util';

/**
 * Absolute on Linux (`/app`) or Windows (`C:\app`, `C:/app`, `\app`). A drive letter alone counts: with the default
 * escape character, `C:\app` reads as `C:app`.
 */
export function isAbsolutePath(p: string): boolean {
  return /^["']?(\/|[A-Za-z]:|\\)/.test(p);
}

/** WORKDIR paths are absolute, so the directory does not depend on an inherited one (hadolint DL3000). */
export const workdirAbsolute = fileCheck({
  id: 'docker.workdir-absolute',
  description: 'WORKDIR paths are absolute (Linux or Windows); paths built from variables are resolved from ARG/ENV defaults where possible (hadolint DL3000).',
  params: z.strictObject({}),
  kinds: ['dockerfile'],
  run(file, _params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx) return undefined;
    const findings: RawFinding[] = [];
    let seen = false;
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'WORKDIR') continue;
        seen = true;
        const written = ins.args.trim();
        if (!written || hasPlaceholder(written)) continue;
        const { value, unresolved } = written.includes('$') ? substitute(written, stageVariables(ctx.model, stage, ins)) : { value: written, unresolved: [] };
        if (unresolved.length > 0 || isAbsolutePath(value)) continue;
        findings.push(dockerFinding(ctx, ins.argsRange ?? ins.range, `WORKDIR ${written} is relative, so it depends on the directory inherited from the base image; use an absolute path such as /app.`, stage));
      }
    }
    return seen ? passOrFail(findings) : undefined;
  },
});
