import { DockerfileParser, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import type { Problem, Range } from '../model';

export interface DockerInstruction {
  /** Upper-cased keyword (RUN, COPY…), whatever case the file uses. */
  keyword: string;
  /** Arguments as written (continuations joined, heredoc bodies included). */
  args: string;
  range: Range;
  keywordRange: Range;
  argsRange?: Range;
  /** The dockerfile-ast node, for templates that need more (flags, JSON form, heredocs). */
  node: Instruction;
}

export interface DockerStage {
  index: number;
  /** `AS name`, lower-cased, when given. */
  name?: string;
  from: {
    /** The image reference as written (`node:20-alpine`, `$BASE`, `build`). */
    image: string;
    imageName?: string;
    tag?: string;
    digest?: string;
    range: Range;
    imageRange?: Range;
    /** The FROM names an earlier stage rather than an image. */
    isStage: boolean;
    node: From;
  };
  instructions: DockerInstruction[];
  range: Range;
}

export interface DockerfileModel {
  stages: DockerStage[];
  /** Instructions before the first FROM (ARG, parser directives aside). */
  preamble: DockerInstruction[];
  final?: DockerStage;
  ast: Dockerfile;
  eol: '\n' | '\r\n';
}

function toInstruction(i: Instruction): DockerInstruction {
  return {
    keyword: i.getKeyword().toUpperCase(),
    args: i.getRawArgumentsContent() ?? '',
    range: i.getRange(),
    keywordRange: i.getInstructionRange(),
    argsRange: i.getArgumentsRange() ?? undefined,
    node: i,
  };
}

/** Parses a Dockerfile (stages, final stage, heredocs, CRLF, any keyword case). Never throws. */
export function parseDockerfile(text: string, file: string): { model: DockerfileModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  let ast: Dockerfile;
  try {
    ast = DockerfileParser.parse(text);
  } catch (e) {
    problems.push({ file, message: `Cannot parse Dockerfile: ${(e as Error).message}`, severity: 'error' });
    ast = DockerfileParser.parse('');
  }
  const stages: DockerStage[] = [];
  const preamble: DockerInstruction[] = [];
  const stageNames = new Set<string>();
  for (const ins of ast.getInstructions()) {
    const keyword = ins.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const from = ins as From;
      const name = from.getBuildStage()?.toLowerCase() ?? undefined;
      const image = from.getImage() ?? '';
      const isStage = stageNames.has(image.toLowerCase());
      const range = ins.getRange();
      stages.push({
        index: stages.length,
        name,
        from: {
          image,
          imageName: from.getImageName() ?? undefined,
          tag: from.getImageTag() ?? undefined,
          digest: from.getImageDigest() ?? undefined,
          range,
          imageRange: from.getImageRange() ?? undefined,
          isStage,
          node: from,
        },
        instructions: [],
        range,
      });
      if (name) stageNames.add(name);
      continue;
    }
    const di = toInstruction(ins);
    const stage = stages[stages.length - 1];
    if (!stage) preamble.push(di);
    else {
      stage.instructions.push(di);
      stage.range = { start: stage.range.start, end: di.range.end };
    }
  }
  if (text.trim() && stages.length === 0 && !/^\s*(#.*)?$/s.test(text)) {
    problems.push({ file, message: 'Dockerfile has no FROM instruction', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'warning' });
  }
  return { model: { stages, preamble, final: stages[stages.length - 1], ast, eol }, problems };
}
