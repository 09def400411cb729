// The Dockerfile model: stages, instructions, FROMs and directives, as the checks read them.
import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import type { Range } from '../model';
import type { LineIndex } from '../text';
import type { LineWord } from './dockerfileLines';

export interface DockerInstruction {
  /** Upper-cased keyword (RUN, COPY…), whatever case the file uses. */
  keyword: string;
  /** Arguments as written (continuations joined, heredoc bodies included). */
  args: string;
  range: Range;
  keywordRange: Range;
  argsRange?: Range;
  /**
   * The dockerfile-ast node, for what the model does not carry (heredocs, fixes). For files the line
   * reader read, dockerfile-ast parses the file on first use of a `node`; prefer the helpers below.
   */
  readonly node: Instruction;
  /** Words after the keyword (flags included), for instructions the line reader read. */
  words?: readonly LineWord[];
  /** A comment line inside the continuation lines (line-read instructions only). */
  innerComment?: boolean;
}

export interface DockerStage {
  index: number;
  /** `AS name`, lower-cased, when given. */
  name?: string;
  from: DockerFrom;
  instructions: DockerInstruction[];
  range: Range;
  /** Index of the earlier stage this one builds on (`FROM build`), when it does. */
  parent?: number;
}

/** A stage's FROM. */
export interface DockerFrom {
  /** The image reference as written (`node:20-alpine`, `$BASE`, `build`). */
  image: string;
  imageName?: string;
  tag?: string;
  digest?: string;
  range: Range;
  imageRange?: Range;
  /** The FROM names an earlier stage rather than an image. */
  isStage: boolean;
  /** The FROM arguments as written (flags excluded). */
  args: string;
  tagRange?: Range;
  readonly node: From;
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
  /** The dockerfile-ast tree (parsed on first use for files the line reader read). */
  readonly ast: Dockerfile;
  /** Line offsets of the text, shared by the checks. */
  lines?: LineIndex;
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
  /** What the service facts (services.ts) derive from the model, kept with it once computed. */
  serviceFacts?: unknown;
}
