import { LineCounter } from 'yaml';
import { isJenkinsfile } from '../discover';
import type { FileKind, Problem } from '../model';
import type { ParsedFile, SourceFile } from '../workspace';
import { parseDockerfile } from './dockerfile';
import { parseDotenv } from './dotenv';
import { parseIgnoreFile } from './ignoreFile';
import { parseKubernetes } from './kubernetes';
import { releaseNamespaceOf } from '../render/releaseNamespace';
import { parseMarkdownChecklist } from './markdownChecklist';
import { parsePackageJson } from './packageJson';
import type { CiModel } from './ci';
import { jenkinsSteps } from './jenkins';
import { parseYaml, tooDeep, type YamlFile } from './yamlSupport';

type Parser = (text: string, file: string) => { model: unknown; problems: Problem[] };

const PARSERS: Partial<Record<FileKind, Parser>> = {
  dockerfile: parseDockerfile,
  kubernetes: parseKubernetes,
  env: parseDotenv,
  packageJson: parsePackageJson,
  gitignore: parseIgnoreFile,
  dockerignore: parseIgnoreFile,
  compose: yamlModel,
  ciWorkflow: ciModel,
  markdown: parseMarkdownChecklist,
};

/** Compose files and CI workflows: the YAML documents with positions, as a YamlFile model. */
function yamlModel(text: string, file: string): { model: YamlFile; problems: Problem[] } {
  const parsed = parseYaml(text, file);
  return { model: parsed, problems: parsed.problems };
}

/** CI workflows: YAML, but a Jenkinsfile is Groovy: no YAML documents, its steps read from its text (parse/jenkins.ts). */
function ciModel(text: string, file: string): { model: CiModel; problems: Problem[] } {
  return isJenkinsfile(file) ? { model: { docs: [], lineCounter: new LineCounter(), problems: [], jenkinsSteps: jenkinsSteps(text) }, problems: [] } : yamlModel(text, file);
}

const NUL = String.fromCharCode(0);

/** Problems kept per file: a damaged file can yield one per line, which helps nobody in a report or editor. */
export const MAX_PROBLEMS_PER_FILE = 100;

function capProblems(problems: Problem[], file: string): Problem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return problems;
  const kept = problems.slice(0, MAX_PROBLEMS_PER_FILE);
  const last = kept[kept.length - 1];
  kept.push({ file, message: `${problems.length - MAX_PROBLEMS_PER_FILE} more problems in this file are not shown.`, severity: 'info', range: last.range ? { start: last.range.start, end: last.range.start } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  return kept;
}

/** Parses a file by kind. Never throws: a parser failure becomes a problem and an empty model. */
export function parseFile(src: SourceFile): ParsedFile {
  // before the parser lookup: a binary file is reported whatever its kind (a NUL byte in a Dockerfile-named blob)
  if ((src.text.length > 8192 ? src.text.slice(0, 8192) : src.text).includes(NUL)) {
    return { path: src.path, kind: src.kind, text: src.text, model: undefined, problems: [{ file: src.path, message: 'Binary file (NUL bytes); not audited.', severity: 'warning', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, unaudited: 'file' }] };
  }
  const parser = PARSERS[src.kind];
  if (!parser) return { path: src.path, kind: src.kind, text: src.text, model: undefined, problems: [] };
  try {
    // a rendered chart or kustomization is the deployed objects: `{{ }}` in it is data (a ConfigMap's template), not an unrendered template
    const { model, problems } = src.rendered && src.kind === 'kubernetes' ? parseKubernetes(src.text, src.path, { rendered: true, releaseNamespace: src.rendered.tool === 'helm' ? releaseNamespaceOf(src.rendered.from) : undefined }) : parser(src.text, src.path);
    return { path: src.path, kind: src.kind, text: src.text, model, problems: capProblems(problems, src.path) };
  } catch (e) {
    return { path: src.path, kind: src.kind, text: src.text, model: undefined, problems: [{ file: src.path, message: tooDeep((e as Error).message, 'file') ?? `Internal error while parsing: ${(e as Error).message}`, severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, unaudited: 'file' }] };
  }
}
