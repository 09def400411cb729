import type { FileKind, Problem } from '../model';
import type { ParsedFile, SourceFile } from '../workspace';
import { parseDockerfile } from './dockerfile';
import { parseDotenv } from './dotenv';
import { parseIgnoreFile } from './ignoreFile';
import { parseKubernetes } from './kubernetes';
import { parseMarkdownChecklist } from './markdownChecklist';
import { parsePackageJson } from './packageJson';
import { parseYaml, type YamlFile } from './yamlSupport';

type Parser = (text: string, file: string) => { model: unknown; problems: Problem[] };

const PARSERS: Partial<Record<FileKind, Parser>> = {
  dockerfile: parseDockerfile,
  kubernetes: parseKubernetes,
  env: parseDotenv,
  packageJson: parsePackageJson,
  gitignore: parseIgnoreFile,
  dockerignore: parseIgnoreFile,
  compose: yamlModel,
  ciWorkflow: yamlModel,
  markdown: parseMarkdownChecklist,
};

/** Compose files and CI workflows: the YAML documents with positions, as a YamlFile model. */
function yamlModel(text: string, file: string): { model: YamlFile; problems: Problem[] } {
  const parsed = parseYaml(text, file);
  return { model: parsed, problems: parsed.problems };
}

const NUL = String.fromCharCode(0);

/** Parses a file by kind. Never throws: a parser failure becomes a problem and an empty model. */
export function parseFile(src: SourceFile): ParsedFile {
  const parser = PARSERS[src.kind];
  if (!parser) return { path: src.path, kind: src.kind, text: src.text, model: undefined, problems: [] };
  if ((src.text.length > 8192 ? src.text.slice(0, 8192) : src.text).includes(NUL)) {
    return { path: src.path, kind: src.kind, text: src.text, model: undefined, problems: [{ file: src.path, message: 'Binary file (NUL bytes); skipped.', severity: 'warning', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] };
  }
  try {
    const { model, problems } = parser(src.text, src.path);
    return { path: src.path, kind: src.kind, text: src.text, model, problems };
  } catch (e) {
    return { path: src.path, kind: src.kind, text: src.text, model: undefined, problems: [{ file: src.path, message: `Internal error while parsing: ${(e as Error).message}`, severity: 'error' }] };
  }
}
