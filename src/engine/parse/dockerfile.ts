import { DockerfileParser, type Arg, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
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
  /** Index of the earlier stage this one builds on (`FROM build`), when it does. */
  parent?: number;
}

/** A parser directive (`# syntax=…`, `# escape=…`) at the top of the file. */
export interface DockerDirective {
  name: string;
  value: string;
  range: Range;
}

export interface DockerfileModel {
  stages: DockerStage[];
  /** Instructions before the first FROM (ARG, parser directives aside). */
  preamble: DockerInstruction[];
  final?: DockerStage;
  ast: Dockerfile;
  eol: '\n' | '\r\n';
  /** The escape character (`\\` unless an `# escape=` directive says otherwise). */
  escapeChar: string;
  directives: DockerDirective[];
  /** Defaults of the ARGs declared before the first FROM (`undefined` when an ARG has no default). */
  globalArgs: Record<string, string | undefined>;
  /**
   * The file is a template for generating Dockerfiles (`%%VAR%%` or `{{ … }}` placeholders, or a
   * `.template` / `.tmpl` / `.tpl` / `.j2` name): values holding placeholders are not judged.
   */
  templated: boolean;
}

const PLACEHOLDER_RE = /%%[A-Za-z0-9_.-]+%%|\{\{[^}\n]*\}\}|\$\{\{[^}\n]*\}\}/;
const TEMPLATE_NAME_RE = /\.(template|tmpl|tpl|j2|jinja2?|hbs|mustache|erb)$/i;

/**
 * Does a value hold (part of) a template placeholder (`%%VAR%%`, `{{ … }}`)? A placeholder with spaces
 * is split across arguments (`FROM img/{{ env.variant }}:{{ env.tag }}`), so half of one counts too.
 */
export function hasPlaceholder(value: string): boolean {
  return PLACEHOLDER_RE.test(value) || /\{\{|\}\}|%%[A-Za-z_]/.test(value);
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
      const parent = isStage ? stages.findIndex((st) => st.name === image.toLowerCase()) : -1;
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
        parent: parent >= 0 ? parent : undefined,
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
  const globalArgs: Record<string, string | undefined> = {};
  for (const p of preamble) {
    if (p.keyword !== 'ARG') continue;
    const prop = (p.node as Arg).getProperty?.();
    const name = prop?.getName();
    if (name) globalArgs[name] = prop?.getValue() ?? undefined;
  }
  const directives = ast.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), range: d.getRange() }));
  const templated = TEMPLATE_NAME_RE.test(file) || PLACEHOLDER_RE.test(text);
  return {
    model: { stages, preamble, final: stages[stages.length - 1], ast, eol, escapeChar: ast.getEscapeCharacter(), directives, globalArgs, templated },
    problems,
  };
}
