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

const PERCENT_PLACEHOLDER_RE = /%%[A-Za-z0-9_.-]+%%/;

/**
 * `%%VAR%%`, or `{{ … }}` / `${{ … }}` on one line. A scan rather than `/\{\{[^}\n]*\}\}/`, which
 * backtracks quadratically on a long run of `{` (20,000 of them took seconds).
 */
function placeholderIn(text: string): boolean {
  if (PERCENT_PLACEHOLDER_RE.test(text)) return true;
  let newline = -2;
  for (let i = text.indexOf('{{'); i !== -1; ) {
    const close = text.indexOf('}', i + 2);
    if (close === -1) return false;
    if (newline !== -1 && newline < i + 2) newline = text.indexOf('\n', i + 2);
    if (newline === -1 || close < newline) {
      if (text[close + 1] === '}') return true;
      i = text.indexOf('{{', close);
    } else i = text.indexOf('{{', newline);
  }
  return false;
}
const TEMPLATE_NAME_RE = /\.(template|tmpl|tpl|j2|jinja2?|hbs|mustache|erb)$/i;

/**
 * Does a value hold (part of) a template placeholder (`%%VAR%%`, `{{ … }}`)? A placeholder with spaces
 * is split across arguments (`FROM img/{{ env.variant }}:{{ env.tag }}`), so half of one counts too.
 */
export function hasPlaceholder(value: string): boolean {
  return /\{\{|\}\}|%%[A-Za-z_]/.test(value) || placeholderIn(value);
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

/**
 * Longest instruction (lines joined by a trailing escape character) the parser is given. dockerfile-ast
 * is quadratic in the words of one instruction: a 100,000-character RUN line took over a second, a
 * 1 MB one minutes. Real instructions are a few kilobytes.
 */
export const MAX_INSTRUCTION_CHARS = 65536;

/** The first line and length of an instruction longer than the limit, if any. Linear, no regex. */
function overlongInstruction(text: string): { line: number; length: number } | undefined {
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

/** Parses a Dockerfile (stages, final stage, heredocs, CRLF, any keyword case). Never throws. */
export function parseDockerfile(text: string, file: string): { model: DockerfileModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  let ast: Dockerfile;
  const overlong = overlongInstruction(text);
  try {
    if (overlong) {
      const at = { line: overlong.line, character: 0 };
      problems.push({ file, message: `Not audited: an instruction of ${overlong.length} characters is longer than the ${MAX_INSTRUCTION_CHARS}-character limit.`, range: { start: at, end: at }, severity: 'warning' });
      text = '';
    }
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
  const templated = TEMPLATE_NAME_RE.test(file) || placeholderIn(text);
  return {
    model: { stages, preamble, final: stages[stages.length - 1], ast, eol, escapeChar: ast.getEscapeCharacter(), directives, globalArgs, templated },
    problems,
  };
}
