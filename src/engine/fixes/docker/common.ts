import type { Finding, Range, TextEdit } from '../../model';
import { parseDockerfile, type DockerInstruction, type DockerStage, type DockerfileModel } from '../../parse/dockerfile';
import { eol, LineIndex } from '../../text';

export interface DockerTarget {
  model: DockerfileModel;
  index: LineIndex;
  eol: string;
  /** Upper- or lower-case keywords, as the file writes them. */
  lower: boolean;
  text: string;
}

export function openDockerfile(text: string): DockerTarget | { declined: string } {
  const { model } = parseDockerfile(text, '');
  if (!model.final) return { declined: 'the Dockerfile has no FROM' };
  const index = new LineIndex(text);
  const kw = model.stages[0].from.node.getInstructionRange();
  const written = text.slice(index.offsetAt(kw.start), index.offsetAt(kw.end));
  return { model, index, eol: eol(text), lower: written === written.toLowerCase(), text };
}

export function kw(t: DockerTarget, keyword: string): string {
  return t.lower ? keyword.toLowerCase() : keyword;
}

/** The stage a finding names (`data.stage`), else the final stage. */
export function stageOf(t: DockerTarget, finding: Finding): DockerStage {
  const i = finding.data?.stage;
  return (typeof i === 'number' && t.model.stages[i]) || t.model.final!;
}

/** The image a stage ultimately builds on, following `FROM <earlier stage>`. */
export function baseImage(t: Pick<DockerTarget, 'model'>, stage: DockerStage): { name: string; tag: string } {
  let s: DockerStage | undefined = stage;
  for (let hops = 0; s && s.from.isStage && hops < 50; hops++) {
    const ref = s.from.image.toLowerCase();
    s = t.model.stages.find((x) => x.name === ref && x.index < s!.index);
  }
  const name = (s?.from.imageName ?? s?.from.image ?? '').toLowerCase();
  return { name: name.replace(/^(docker\.io\/)?(library\/)?/, ''), tag: (s?.from.tag ?? '').toLowerCase() };
}

const TRAILING = new Set(['CMD', 'ENTRYPOINT']);

/**
 * Where a new instruction line goes in a stage: before its closing CMD/ENTRYPOINT (after the last RUN),
 * else after its last instruction.
 */
export function insertionPoint(stage: DockerStage): { before?: DockerInstruction; after: Range } {
  const ins = stage.instructions;
  let lastRun = -1;
  ins.forEach((i, n) => {
    if (!TRAILING.has(i.keyword) && i.keyword !== 'EXPOSE' && i.keyword !== 'HEALTHCHECK' && i.keyword !== 'LABEL' && i.keyword !== 'STOPSIGNAL') lastRun = n;
  });
  const before = ins.find((i, n) => n > lastRun && TRAILING.has(i.keyword));
  return { before, after: ins.length ? ins[ins.length - 1].range : stage.from.range };
}

/** An edit that adds whole lines at a stage's insertion point. */
export function insertLines(t: DockerTarget, stage: DockerStage, lines: string[]): TextEdit {
  const p = insertionPoint(stage);
  if (p.before) {
    const line = p.before.range.start.line;
    // keep comments written right above CMD with it
    let at = line;
    while (at > 0 && /^\s*#/.test(t.index.lineText(at - 1)) && !/^\s*#\s*(syntax|escape|check)=/.test(t.index.lineText(at - 1))) at--;
    const pos = { line: at, character: 0 };
    return { range: { start: pos, end: pos }, newText: lines.join(t.eol) + t.eol };
  }
  const end = t.index.positionAt(t.index.lineEnd(p.after.end.line));
  return { range: { start: end, end }, newText: t.eol + lines.join(t.eol) };
}

export function textOf(t: DockerTarget, r: Range): string {
  return t.text.slice(t.index.offsetAt(r.start), t.index.offsetAt(r.end));
}
