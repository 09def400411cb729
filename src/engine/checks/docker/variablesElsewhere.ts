// Variables a RUN reads that are set only outside what it sees: in another stage, before the first FROM without
// being declared again in the stage, or later in the stage. Docker expands them to nothing.
import type { DockerInstruction, DockerStage } from '../../parse/dockerfile';
import type { ShellCommand } from './shell';
import { properties, stageVariables, type DockerContext } from './util';

/** Commands after which a RUN may have set any variable (a sourced file, eval). */
const SETS_ANY = new Set(['.', 'source', 'eval']);
/** Commands whose operands name variables they set (`export v=1`, `read v`, `for v in …`). */
const SETS_NAMED = new Set(['export', 'read', 'for', 'declare', 'typeset', 'local', 'readonly', 'set', 'getopts', 'mapfile', 'readarray']);

/**
 * The names that are empty when this RUN runs although the Dockerfile sets them elsewhere: ENV and ARG values of
 * other stages (or of this stage after the RUN) and global ARGs the stage does not declare, less anything the
 * stage declares before the RUN or the RUN itself may set. Empty when the RUN sources a file or evals.
 */
export function setOnlyElsewhere(ctx: DockerContext, stage: DockerStage, ins: DockerInstruction, commands: readonly ShellCommand[]): ReadonlySet<string> {
  return ctx.memo('varsElsewhere', ins, () => {
    const out = new Set<string>();
    for (const name of Object.keys(ctx.model.globalArgs)) out.add(name);
    let after = false;
    for (const s of ctx.model.stages) {
      for (const i of s.instructions) {
        if (i === ins) after = true;
        const counts = s !== stage || after;
        if (counts && (i.keyword === 'ENV' || i.keyword === 'ARG')) for (const p of properties(i)) if (i.keyword === 'ENV' || p.getValue() !== null) out.add(p.getName());
      }
      if (s === stage) after = false;
    }
    if (out.size === 0) return out;
    for (const name of Object.keys(stageVariables(ctx.model, stage, ins))) out.delete(name);
    for (const cmd of commands) {
      for (const a of cmd.assignments) out.delete(a.value.slice(0, a.value.indexOf('=')));
      const head = cmd.words[0]?.value ?? '';
      if (SETS_ANY.has(head)) return new Set<string>();
      if (SETS_NAMED.has(head)) for (const w of cmd.words.slice(1)) out.delete(w.value.replace(/=.*$/, ''));
    }
    return out;
  });
}
