// The model from dockerfile-ast, for the files the line reader declines, and the limits that keep the parser safe.
import { DockerfileParser, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import type { Problem } from '../model';
import type { DockerInstruction, DockerStage } from './dockerfileTypes';
import { addStage, type Built } from './dockerfileBuilt';

/**
 * Longest instruction (lines joined by a trailing escape character) the parser is given. dockerfile-ast
 * is quadratic in the words of one instruction: a 100,000-character RUN line took over a second, a
 * 1 MB one minutes. Real instructions are a few kilobytes.
 */
export const MAX_INSTRUCTION_CHARS = 65536;

/** The first line and length of an instruction longer than the limit, if any. Linear, no regex. */
export function overlongInstruction(text: string): { line: number; length: number } | undefined {
  let start = 0;
  let line = 0;
  let runStart = 0;
  let runLine = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let last = end - 1;
    while (last >= start && (text[last] === ' ' || text[last] === '\t' || text[last] === '\r')) last--;
    const continues = last >= start && (text[last] === '\\' || text[last] === '`');
    if (end - runStart > MAX_INSTRUCTION_CHARS) return { line: runLine, length: end - runStart };
    if (!continues) {
      runStart = end + 1;
      runLine = line + 1;
    }
    start = end + 1;
    line++;
  }
  return undefined;
}

export function safeAst(text: string, problems?: Problem[], file = ''): Dockerfile {
  try {
    return DockerfileParser.parse(text);
  } catch (e) {
    problems?.push({ file, message: `Cannot parse Dockerfile: ${(e as Error).message}`, severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, unaudited: 'file' });
    return DockerfileParser.parse('');
  }
}

export function astInstruction(i: Instruction): DockerInstruction {
  return {
    keyword: i.getKeyword().toUpperCase(),
    args: i.getRawArgumentsContent() ?? '',
    range: i.getRange(),
    keywordRange: i.getInstructionRange(),
    argsRange: i.getArgumentsRange() ?? undefined,
    node: i,
  };
}

/** The model from dockerfile-ast (files the line reader declines). */
export function fromAst(ast: Dockerfile): Built {
  const stages: DockerStage[] = [];
  const preamble: DockerInstruction[] = [];
  for (const ins of ast.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const from = ins as From;
      const name = from.getBuildStage()?.toLowerCase() ?? undefined;
      const image = from.getImage() ?? '';
      const range = ins.getRange();
      addStage(stages, image, name, range, (isStage) => ({
        image,
        imageName: from.getImageName() ?? undefined,
        tag: from.getImageTag() ?? undefined,
        digest: from.getImageDigest() ?? undefined,
        range,
        imageRange: from.getImageRange() ?? undefined,
        isStage,
        args: from.getRawArgumentsContent() ?? '',
        tagRange: from.getImageTagRange() ?? undefined,
        node: from,
      }));
      continue;
    }
    const di = astInstruction(ins);
    const stage = stages[stages.length - 1];
    if (!stage) preamble.push(di);
    else {
      stage.instructions.push(di);
      stage.range = { start: stage.range.start, end: di.range.end };
    }
  }
  const directives = ast.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), range: d.getRange() }));
  return { stages, preamble, preambleCount: preamble.length, directives, escapeChar: ast.getEscapeCharacter(), astSource: { ast } };
}
