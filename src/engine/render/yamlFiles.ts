import type { Range } from '../model';
import { isObject } from '../parse/kubernetes';
import { keyRangeAt, parseYaml, toPlain, type YamlFile, type YamlPath } from '../parse/yamlSupport';
import { lineStart } from './sourceMap';

/** A YAML file read through the host, parsed once per map of files. */
export function readYaml(files: Map<string, YamlFile | undefined>, file: string, read: (p: string) => string | undefined): YamlFile | undefined {
  if (!files.has(file)) {
    const text = read(file);
    files.set(file, text === undefined ? undefined : parseYaml(text, file));
  }
  return files.get(file);
}

/** The source files a rendering's map reads, parsed once for every rendering of a batch: files by path, inline patches by text. */
export interface SourceYaml {
  file(path: string): YamlFile | undefined;
  inline(text: string, file: string): YamlFile;
}

/** Source files read through `read`, each read and parsed once (a render batch's files do not change under it). */
export function sourceYaml(read: (p: string) => string | undefined): SourceYaml {
  const files = new Map<string, YamlFile | undefined>();
  const { inline } = textYaml(read);
  return { file: (path) => readYaml(files, path, read), inline };
}

/**
 * Source files read through `read` and parsed once per text they have, so a file edited in the meantime is
 * parsed again; `store` (file → text → parse) may be shared by the calls of one run of fixes.
 */
export function textYaml(read: (p: string) => string | undefined, store = new Map<string, Map<string, YamlFile>>()): SourceYaml {
  const parsed = (text: string, file: string): YamlFile => {
    let texts = store.get(file);
    if (!texts) store.set(file, (texts = new Map()));
    let y = texts.get(text);
    if (!y) texts.set(text, (y = parseYaml(text, file)));
    return y;
  };
  return {
    file: (path) => {
      const text = read(path);
      return text === undefined ? undefined : parsed(text, path);
    },
    inline: parsed,
  };
}

/** The key at a path of a document (or its deepest existing ancestor); the document's start when none. */
export function keyAt(y: YamlFile, docIndex: number, path: YamlPath): Range {
  const doc = y.docs[docIndex];
  return (doc && keyRangeAt(y.lineCounter, doc.contents, path)) ?? lineStart(0);
}

/**
 * A rendered object's path in a source object: list items are matched by their `name` (containers, env,
 * ports), since patches and bases may order them differently. Stops at the first step the source lacks.
 */
export function translatePath(rendered: unknown, source: unknown, path: YamlPath): YamlPath {
  const out: (string | number)[] = [];
  let r = rendered;
  let s = source;
  for (const seg of path) {
    if (typeof seg === 'number' && Array.isArray(r) && Array.isArray(s)) {
      const item = r[seg];
      let j = seg;
      if (isObject(item) && typeof item.name === 'string') j = s.findIndex((x) => isObject(x) && x.name === item.name);
      else if (j >= s.length) j = -1;
      if (j < 0) return out;
      out.push(j);
      r = item;
      s = s[j];
    } else if (typeof seg === 'string' && isObject(r) && isObject(s)) {
      if (!(seg in s)) return out;
      out.push(seg);
      r = r[seg];
      s = s[seg];
    } else return out;
  }
  return out;
}

const plainDocs = new WeakMap<YamlFile, unknown[]>();

/** The documents of a parsed file as plain values, converted once per file. */
export function plainOf(y: YamlFile): unknown[] {
  let docs = plainDocs.get(y);
  if (!docs) plainDocs.set(y, (docs = y.docs.map((d) => toPlain(d))));
  return docs;
}
