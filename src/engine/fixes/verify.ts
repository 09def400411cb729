import { parseAllDocuments } from 'yaml';
import type { Engine } from '../audit';
import { classifyPath, sniffKubernetes } from '../discover';
import type { FileKind } from '../model';
import { parseFile } from '../parse';
import { withoutStacks } from '../parse/yamlSupport';
import { LineIndex } from '../text';

/**
 * The strict parse a fixed file must pass: JSON text with `JSON.parse`, YAML with unique keys and no
 * errors, other kinds with no more parse errors than the text before the fix. Used on the combined result
 * of every edit of a file, not on one edit alone.
 */

function isJson(path: string, kind: FileKind | undefined, text: string): boolean {
  return kind === 'packageJson' || /\.json$/i.test(path) || (kind === 'kubernetes' && /^\uFEFF?\s*[{[]/.test(text));
}

function isYaml(path: string, kind: FileKind | undefined): boolean {
  return kind === 'kubernetes' || kind === 'compose' || kind === 'ciWorkflow' || /\.ya?ml$/i.test(path);
}

function errorCount(path: string, text: string, kind: FileKind | undefined): number {
  if (!kind) return 0;
  return parseFile({ path, text, kind }).problems.filter((p) => p.severity === 'error').length;
}

/** The last texts judged (a fix run judges the same text before each of its fixes): text → verdict. */
const recent = new Map<string, string | undefined>();

/** Why `text` does not parse strictly as the file it is (with the line), or undefined when it does. */
export function strictProblem(path: string, text: string, kind: FileKind | undefined): string | undefined {
  const key = `${kind ?? ''}\0${path}\0${text}`;
  if (recent.has(key)) return recent.get(key);
  const verdict = judge(path, text, kind);
  if (recent.size >= 8) recent.delete(recent.keys().next().value!);
  recent.set(key, verdict);
  return verdict;
}

function judge(path: string, text: string, kind: FileKind | undefined): string | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (isJson(path, kind, text)) {
    try {
      JSON.parse(body);
      return undefined;
    } catch (e) {
      return `is not valid JSON (${(e as Error).message.replace(/ in JSON at position \d+.*$/s, '')})`;
    }
  }
  if (isYaml(path, kind)) {
    const docs = withoutStacks(() => parseAllDocuments(body, { uniqueKeys: true, merge: true, prettyErrors: false }));
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) {
      const err = d.errors[0];
      if (!err) continue;
      const line = new LineIndex(body).positionAt(err.pos[0]).line + 1;
      return err.code === 'DUPLICATE_KEY' ? `has a duplicate key at line ${line}` : `does not parse as YAML at line ${line} (${err.message.split('\n')[0]})`;
    }
    return undefined;
  }
  return undefined;
}

/**
 * Why the fixed text `after` of a file may not be kept, or undefined when it may: it must parse strictly
 * (a text that did not parse strictly before the fix is not fixed at all), and a kind without a strict
 * form (Dockerfile, .env) may not gain parse errors.
 */
export function fixedTextProblem(path: string, before: string | undefined, after: string, kind: FileKind | undefined): string | undefined {
  if (before !== undefined) {
    const was = strictProblem(path, before, kind);
    if (was) return `${path} ${was}; fix that first`;
  }
  const now = strictProblem(path, after, kind);
  if (now) return `the fix would leave ${path} invalid: it ${now}`;
  if (isJson(path, kind, after) || isYaml(path, kind)) return undefined;
  if (errorCount(path, after, kind) > (before === undefined ? 0 : errorCount(path, before, kind))) return `the fix would leave ${path} unparseable`;
  return undefined;
}

/** A file's kind as the engine knows it, else from its path and (fixed) text as the scanner would see it. */
export function fileKind(engine: Pick<Engine, 'file'>, path: string, text: string): FileKind | undefined {
  return engine.file(path)?.kind ?? kindFor(path, text);
}

/** A file's kind from its path and text, as the scanner would see it. */
export function kindFor(path: string, text: string): FileKind | undefined {
  const k = classifyPath(path);
  if (k === 'maybeKubernetes') return sniffKubernetes(text, path) ? 'kubernetes' : undefined;
  return k;
}
