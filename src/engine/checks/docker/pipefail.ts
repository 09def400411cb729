import { z } from 'zod';
import type { RawFinding } from '../../model';
import { dockerArgsOffsets, dockerJson, type DockerInstruction, type DockerStage } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import type { ShellCommand } from './shell';
import { dockerContext, dockerFinding, stageChain, type DockerContext } from './util';

/** Offset of the first unquoted pipe (`|`, not `||`) in shell text, or -1. */
export function pipeAt(src: string): number {
  let quote = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === 92 && quote === 34) i++; // backslash inside double quotes
      continue;
    }
    if (c === 39 || c === 34) quote = c;
    else if (c === 92) i++;
    else if (c === 35 && (i === 0 || /\s/.test(src[i - 1]))) {
      while (i < src.length && src.charCodeAt(i) !== 10) i++; // a comment
    } else if (c === 124) {
      if (src.charCodeAt(i + 1) === 124) i++;
      else if (src.charCodeAt(i - 1) !== 62) return i; // `>|` is a redirection
    }
  }
  return -1;
}


/** A `set -o pipefail` (or `set -eo pipefail`, `set -euxo pipefail`) among the commands before an offset. */
function setsPipefail(commands: readonly ShellCommand[], before: number): boolean {
  for (const c of commands) {
    const w = c.words;
    if (w.length === 0 || w[0].start >= before) break;
    if (w[0].value !== 'set') continue;
    for (let k = 1; k + 1 < w.length; k++) if (/^-[a-z]*o$/.test(w[k].value) && w[k + 1].value === 'pipefail') return true;
  }
  return false;
}

/** The SHELL in effect for an instruction (the last one before it in the stage chain), as its JSON words. */
function shellFor(ctx: DockerContext, stage: DockerStage, ins: DockerInstruction): string[] | undefined {
  let shell: string[] | undefined;
  const chain = stageChain(ctx.model, stage);
  for (let c = chain.length - 1; c >= 0; c--) {
    for (const i of chain[c].instructions) {
      if (i === ins) return shell;
      if (i.keyword === 'SHELL') shell = dockerJson(i, ctx.index)?.map((w) => w.value.replace(/^"|"$/g, ''));
    }
  }
  return shell;
}

/** A RUN with a pipe runs with pipefail (SHELL with -o pipefail, or set -o pipefail first), so a failing left side fails the build. */
export const pipefail = fileCheck({
  id: 'docker.pipefail',
  description: 'A shell-form RUN with a pipe runs with pipefail: a SHELL ["/bin/bash", "-o", "pipefail", "-c"] before it, or set -o pipefail at its start; otherwise only the last command\'s status counts (curl … | sh succeeds when the download fails). Not applicable without piped RUNs; PowerShell and cmd shells are skipped.',
  params: z.strictObject({}),
  kinds: ['dockerfile'],
  run(file, _params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const findings: RawFinding[] = [];
    let piped = false;
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'RUN' || !ins.args.includes('|') || /^\s*\[/.test(ins.args)) continue;
        const at = dockerArgsOffsets(ins, ctx.index);
        if (!at) continue;
        const body = ctx.file.text.slice(at.start, at.end);
        const pipe = pipeAt(body);
        if (pipe === -1) continue;
        const shell = shellFor(ctx, stage, ins);
        if (shell && !/(^|\/)(ba|z|k|a|da)?sh$/.test(shell[0] ?? '')) continue; // pwsh, cmd: pipefail is a POSIX-shell matter
        piped = true;
        if (shell && shell.some((w, k) => (w === '-o' || /^-[a-z]*o$/.test(w)) && shell[k + 1] === 'pipefail')) continue;
        if (setsPipefail(ctx.commands(ins), at.start + pipe)) continue;
        findings.push(dockerFinding(ctx, ctx.index.range(at.start + pipe, at.start + pipe + 1), 'This RUN pipes without pipefail, so a failure left of | is ignored; add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before it (or start the RUN with set -o pipefail && on a shell that supports it).', stage));
      }
    }
    return piped ? passOrFail(findings) : undefined;
  },
});
