// The RUN instructions an ONBUILD triggers, read as RUNs at their own place in the file.
import { parseDockerfile, type DockerfileModel, type DockerInstruction } from '../../parse/dockerfile';
import type { LineIndex } from '../../text';

/** An `ONBUILD RUN …`: the instruction triggers a RUN in the images built from this one. */
export function triggersRun(ins: DockerInstruction): boolean {
  return ins.keyword === 'ONBUILD' && /^RUN\s/i.test(ins.args);
}

/** Onbuild triggers of a file without any (most files): one shared map, never written. */
const NO_TRIGGERS: ReadonlyMap<DockerInstruction, DockerInstruction> = new Map();

/**
 * The RUN each `ONBUILD RUN` instruction triggers, as a RUN instruction at the very place of its own words: the
 * file is parsed again with each ONBUILD keyword blanked out (spaces of the same length), so every offset and
 * range stays as in the file and the checks of commands read the trigger like any RUN.
 */
export function onbuildRuns(text: string, path: string, model: DockerfileModel, index: LineIndex): ReadonlyMap<DockerInstruction, DockerInstruction> {
  const onbuild: DockerInstruction[] = [];
  for (const s of model.stages) for (const i of s.instructions) if (triggersRun(i)) onbuild.push(i);
  if (onbuild.length === 0) return NO_TRIGGERS;
  // one pass over the text, keyword by keyword in file order (instructions never overlap)
  const parts: string[] = [];
  let from = 0;
  for (const i of onbuild) {
    const start = index.offsetAt(i.keywordRange.start);
    const end = index.offsetAt(i.keywordRange.end);
    parts.push(text.slice(from, start), ' '.repeat(end - start));
    from = end;
  }
  parts.push(text.slice(from));
  const blanked = parts.join('');
  const at = new Map<number, DockerInstruction>();
  const { model: reread } = parseDockerfile(blanked, path);
  for (const s of reread.stages) for (const i of s.instructions) if (i.keyword === 'RUN') at.set(index.offsetAt(i.keywordRange.start), i);
  const triggers = new Map<DockerInstruction, DockerInstruction>();
  for (const i of onbuild) {
    const run = i.argsRange && at.get(index.offsetAt(i.argsRange.start));
    if (run) triggers.set(i, run);
  }
  return triggers;
}
