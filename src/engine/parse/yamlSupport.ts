import * as yaml from 'yaml';
import { LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Position, Problem, Range } from '../model';

/**
 * yaml's node guards, bound once. The bundle loads yaml as CommonJS, and each use of a named import from
 * it would be a getter call; the checks call these for every key they look up.
 */
export const { isMap, isPair, isScalar, isSeq } = yaml;

/** Alias expansion beyond this many nodes is treated as an alias bomb. */
export const MAX_ALIAS_COUNT = 1000;

export interface YamlFile {
  docs: Document.Parsed[];
  lineCounter: LineCounter;
  problems: Problem[];
}

/** Longest YAML line parsed: the parser slows to seconds on lines of a few hundred kilobytes. */
export const MAX_YAML_LINE = 65536;

function longLine(text: string): { line: number; length: number } | undefined {
  if (text.length <= MAX_YAML_LINE) return undefined;
  let start = 0;
  for (let line = 0; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end - start > MAX_YAML_LINE) return { line, length: end - start };
    start = end + 1;
  }
  return undefined;
}

export type YamlPath = readonly (string | number)[];

/**
 * Runs a YAML parse without stack traces on the errors it creates. The parser makes an Error object per
 * syntax error, and a damaged file has thousands (a key repeated 180 times: 1,074 errors in 36 KB); each
 * captures a stack, which with `Error.stackTraceLimit = Infinity` (mocha, some hosts) and source maps costs
 * 1–2 ms. Positions and messages are all we keep, so the stacks are skipped.
 */
export function withoutStacks<T>(fn: () => T): T {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  E.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    E.stackTraceLimit = limit;
  }
}

/**
 * Parses every document with positions. Errors become located problems; the function never throws. A
 * document with a syntax error is unaudited (its first error); `explain` may give the reason from its text.
 */
export function parseYaml(text: string, file: string, explain?: (docText: string) => string | undefined): YamlFile {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  let docs: Document.Parsed[];
  const long = longLine(text);
  if (long) {
    const at = { line: long.line, character: 0 };
    problems.push({ file, message: `Line ${long.line + 1} has ${long.length} characters, over the ${MAX_YAML_LINE}-character limit; the file is not parsed.`, range: { start: at, end: at }, severity: 'warning', unaudited: 'file' });
    return { docs: [], lineCounter, problems };
  }
  try {
    docs = withoutStacks(() => parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: false, logLevel: 'error' })) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  } catch (e) {
    problems.push({ file, message: `Cannot parse YAML: ${(e as Error).message}`, severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, unaudited: 'file' });
    return { docs: [], lineCounter, problems };
  }
  for (const doc of docs) {
    // a document with a syntax error is not audited: its first error says where and why
    const why = doc.errors.length && explain ? explain(text.slice(doc.range[0], doc.range[2])) : undefined;
    doc.errors.forEach((err, i) => {
      const [start, end] = err.pos;
      const range = toRange(lineCounter, start, Math.max(end, start));
      if (i === 0) problems.push({ file, message: why ? `${why} (YAML: ${firstLine(err.message)})` : `YAML syntax error, the document is not audited: ${firstLine(err.message)}`, range, severity: 'error', unaudited: 'document' });
      else problems.push({ file, message: `YAML: ${firstLine(err.message)}`, range, severity: 'error' });
    });
  }
  return { docs, lineCounter, problems };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i === -1 ? s : s.slice(0, i);
}

export function toRange(lc: LineCounter, start: number, end: number): Range {
  return { start: positionAt(lc, start), end: positionAt(lc, end) };
}

/** `lc.linePos(offset)`, zero-based, as a position: the same search without its intermediate object. */
function positionAt(lc: LineCounter, offset: number): Position {
  const starts = lc.lineStarts;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid] < offset) low = mid + 1;
    else high = mid;
  }
  if (starts[low] === offset) return { line: low, character: 0 };
  if (low === 0) return { line: -1, character: offset - 1 };
  return { line: low - 1, character: offset - starts[low - 1] };
}

export function nodeRange(lc: LineCounter, node: Node | null | undefined): Range | undefined {
  if (!node || !node.range) return undefined;
  return toRange(lc, node.range[0], node.range[1]);
}

/** Converts a document to plain JS with the alias bomb limit; undefined when it cannot. */
export function toPlain(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
}

/** The node at a path, following only maps and sequences (no alias resolution). */
export function nodeAt(root: unknown, path: YamlPath): Node | undefined {
  let cur: unknown = root;
  for (const seg of path) {
    if (isMap(cur)) {
      const pair = findPair(cur, String(seg));
      cur = pair?.value ?? undefined;
    } else if (isSeq(cur) && typeof seg === 'number') {
      cur = cur.items[seg];
    } else return undefined;
    if (cur === undefined || cur === null) return undefined;
  }
  return cur as Node;
}

export function findPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPair(item)) continue;
    const k = item.key;
    // a string key compares as is; anything else as its string form
    if (isScalar(k) ? k.value === key || (typeof k.value !== 'string' && String(k.value) === key) : String(k) === key) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

/**
 * The range of the key at the end of a path when it exists (e.g. the `image` key of a container);
 * otherwise the key range of the deepest ancestor that exists. Good for squiggles. One walk down the
 * path keeps the deepest usable key; only that one is turned into a range.
 */
export function keyRangeAt(lc: LineCounter, root: unknown, path: YamlPath): Range | undefined {
  const at = deepestKey(root, path);
  if (at) return nodeRange(lc, at);
  const r = nodeRange(lc, root as Node);
  return r ? { start: r.start, end: r.start } : undefined;
}

/**
 * The node `keyRangeAt` points at: the deepest usable key along the path below `root` (a map's key, a
 * sequence item's `name` or first key, else the item), or undefined when no step of the path exists.
 */
export function deepestKey(root: unknown, path: YamlPath): Node | undefined {
  let at: Node | undefined;
  let cur: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(cur)) {
      const pair = findPair(cur, String(seg));
      if (pair && isScalar(pair.key)) at = pair.key;
      cur = pair?.value ?? undefined;
    } else if (isSeq(cur) && typeof seg === 'number') {
      const item = cur.items[seg] as Node | undefined;
      if (isMap(item) && item.items.length > 0 && isPair(item.items[0]) && isScalar(item.items[0].key)) at = (findPair(item, 'name') ?? item.items[0]).key as Node;
      else if (item?.range) at = item;
      cur = item;
    } else break;
    if (cur === undefined || cur === null) break;
  }
  return at;
}

/** The range of the value at a path, when present. */
export function valueRangeAt(lc: LineCounter, root: unknown, path: YamlPath): Range | undefined {
  return nodeRange(lc, nodeAt(root, path));
}
