// The fix of an instruction Docker refuses: a misspelt keyword, or a RUN line that lost its continuation.
import { z } from 'zod';
import { continuationOperator, nearKeyword } from '../../checks/docker/instructionSyntax';
import { triggersRun } from '../../checks/docker/onbuild';
import type { DockerInstruction } from '../../parse/dockerfile';
import { defineFix } from '../template';
import { openDockerfile, textOf } from './common';

export const fixInstruction = defineFix({
  id: 'docker.fix-instruction',
  description: 'Corrects an instruction Docker refuses: a misspelt keyword becomes the one it nearly spells (RUNN: RUN), and a line of a RUN that lost the `\\` continuing the line before it gets it back.',
  params: z.strictObject({}),
  compute({ text, finding }) {
    const t = openDockerfile(text);
    if ('declined' in t) return t;
    // a FROM between two instructions keeps them apart: the line check below sees the gap
    const all: DockerInstruction[] = [...t.model.preamble, ...t.model.stages.flatMap((s) => s.instructions)];
    const at = all.findIndex((i) => i.keywordRange.start.line === finding.range.start.line && i.keywordRange.start.character === finding.range.start.character);
    const ins = all[at];
    if (!ins) return { declined: 'no instruction starts where the finding is' };
    const operator = continuationOperator(ins.keyword);
    if (operator) {
      // the RUN the line belonged to ends on the line right above it, and no shell comment there would swallow the join
      const before = at > 0 ? all[at - 1] : undefined;
      const last = before?.range.end.line;
      if (!before || (before.keyword !== 'RUN' && !triggersRun(before)) || last !== ins.range.start.line - 1) return { declined: `the line before this ${operator} is not the end of a RUN` };
      const end = t.index.offsetAt(before.range.end);
      if (/(^|\s)#/.test(text.slice(t.index.offsetAt({ line: last, character: 0 }), end))) return { declined: 'the line before ends with a shell comment, which would swallow the joined line' };
      return { title: `Continue the RUN of line ${before.range.start.line + 1} with ${t.model.escapeChar}`, edits: [{ file: finding.file, edits: [{ range: t.index.range(end, end), newText: ` ${t.model.escapeChar}` }] }] };
    }
    const near = nearKeyword(ins.keyword);
    if (!near) return { declined: 'no misspelt keyword or lost continuation to correct here (an instruction without its arguments needs them written)' };
    const written = textOf(t, ins.keywordRange);
    const keyword = written === written.toLowerCase() ? near.toLowerCase() : near;
    return { title: `Change ${written} to ${keyword}`, edits: [{ file: finding.file, edits: [{ range: ins.keywordRange, newText: keyword }] }] };
  },
});
