import * as yaml from 'yaml';
import { LineCounter, parseAllDocuments, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Position, Problem, Range } from '../model';
import { isAlias, isMap, isPair, isScalar, isSeq } from './yamlNodes';
import { plainDocument } from './yamlPlain';

/** yaml's node guards, by class (see yamlNodes.ts). */
export { isAlias, isMap, isPair, isScalar, isSeq };

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
 * How every YAML text is parsed. `merge`: `<<: *base` and `<<: [*a, *b]` merge keys are resolved, as
 * Kubernetes (sigs.k8s.io/yaml), Docker Compose and GitLab CI resolve them, so checks see merged values.
 * Duplicate keys are not left to the parser (its check is quadratic in a map's size): see duplicateKey.
 */
export const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, strict: false, merge: true, logLevel: 'error' } as const;

/** What an alias of a parsed document stands for: the node of the latest anchor of that name before it. */
const aliasTargets = new WeakMap<Alias, Node>();

/**
 * One pass over a parsed document (iterative: nesting may be thousands deep): resolves its aliases (when the
 * text has a merge key or an alias) and, in a document without errors, reports the first duplicate key as
 * the document's error, at the second occurrence: checks would read one value while ranges and fixes use the
 * other, so the document is not audited.
 */
export function indexDocument(doc: Document.Parsed, text: string, lineOf?: (offset: number) => number): void {
  const aliases = text.includes('*');
  const anchors = new Map<string, Node>();
  const stack: unknown[] = [doc.contents];
  let duplicate: { key: Node; first: Node } | undefined;
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (aliases && isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) aliasTargets.set(node, target);
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (aliases && anchor) anchors.set(anchor, node as Node);
    if (isMap(node)) {
      const seen = duplicate || doc.errors.length ? undefined : new Map<unknown, Node>();
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i];
        stack.push(pair.value, pair.key);
      }
      if (seen)
        for (const pair of node.items) {
          const k = pair.key;
          if (!isScalar(k) || typeof k.value === 'symbol' || k.value === null || typeof k.value === 'object') continue;
          const id = typeof k.value === 'string' ? k.value : `\0${String(k.value)}`;
          const first = seen.get(id);
          if (first) {
            duplicate = { key: k, first };
            break;
          }
          seen.set(id, k);
        }
    } else if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  if (duplicate?.key.range) {
    const name = String((duplicate.key as yaml.Scalar).value);
    const [start, end] = duplicate.key.range;
    const first = duplicate.first.range && lineOf ? ` (first at line ${lineOf(duplicate.first.range[0]) + 1})` : '';
    doc.errors.push(new yaml.YAMLParseError([start, end], 'DUPLICATE_KEY', `Duplicate key "${name.length > 80 ? name.slice(0, 80) + '…' : name}"${first}`));
  }
}

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

export interface YamlOptions {
  /** The reason a document with a syntax error is not audited, from its text (e.g. a template). */
  explain?: (docText: string) => string | undefined;
  /**
   * Also give the plain values of the documents, read in the walk that looks for duplicate keys (see
   * plainDocument): `plain[i]` is undefined for a document with errors and for one that walk does not read.
   */
  plain?: boolean;
}

/**
 * Parses every document with positions. Errors become located problems; the function never throws. A
 * document with a syntax error is unaudited (its first error); `options.explain` may give the reason from its text.
 */
export function parseYaml(text: string, file: string): YamlFile;
export function parseYaml(text: string, file: string, options: YamlOptions & { plain: true }): YamlFile & { plain: unknown[] };
export function parseYaml(text: string, file: string, options?: YamlOptions): YamlFile & { plain?: unknown[] };
export function parseYaml(text: string, file: string, options: YamlOptions = {}): YamlFile & { plain?: unknown[] } {
  const { explain } = options;
  const plain: unknown[] | undefined = options.plain ? [] : undefined;
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  const result = (docs: Document.Parsed[]): YamlFile & { plain?: unknown[] } => (plain ? { docs, lineCounter, problems, plain } : { docs, lineCounter, problems });
  let docs: Document.Parsed[];
  const long = longLine(text);
  if (long) {
    const at = { line: long.line, character: 0 };
    problems.push({ file, message: `Line ${long.line + 1} has ${long.length} characters, over the ${MAX_YAML_LINE}-character limit; the file is not parsed.`, range: { start: at, end: at }, severity: 'warning', unaudited: 'file' });
    return result([]);
  }
  try {
    docs = withoutStacks(() => parseAllDocuments(text, { lineCounter, ...PARSE_OPTIONS })) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      const read = plain && doc.errors.length === 0 ? plainDocument(doc) : undefined;
      if (read) plain![i] = read.value;
      else indexDocument(doc, text, (o) => positionAt(lineCounter, o).line);
    }
  } catch (e) {
    problems.push({ file, message: `Cannot parse YAML: ${(e as Error).message}`, severity: 'error', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, unaudited: 'file' });
    return result([]);
  }
  for (const doc of docs) {
    // a document with a syntax error is not audited: its first error says where and why
    const why = doc.errors.length && explain ? explain(text.slice(doc.range[0], doc.range[2])) : undefined;
    doc.errors.forEach((err, i) => {
      const [start, end] = err.pos;
      const range = toRange(lineCounter, start, Math.max(end, start));
      const what = err.code === 'DUPLICATE_KEY' ? `${err.message}: checks and fixes would not agree on its value, so the document is not audited` : (tooDeep(err.message, 'document') ?? `YAML syntax error, the document is not audited: ${firstLine(err.message)}`);
      if (i === 0) problems.push({ file, message: why ? `${why} (YAML: ${firstLine(err.message)})` : what, range, severity: 'error', unaudited: 'document' });
      else problems.push({ file, message: `YAML: ${firstLine(err.message)}`, range, severity: 'error' });
    });
  }
  return result(docs);
}

/** Why a file or document is not audited when a parser's error says it ran out of stack (the text may be valid); else undefined. */
export function tooDeep(error: string, what: 'file' | 'document'): string | undefined {
  return /Maximum call stack size exceeded/.test(error) ? `The ${what} is nested too deeply to read (the parser ran out of stack); it is not audited.` : undefined;
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
  const r = plainOf(doc);
  return 'value' in r ? r.value : undefined;
}

/** A document as plain JS, or why it cannot be: an alias bomb, or a merge key whose value is not a map (`<<: text`). */
export function plainOf(doc: Document.Parsed): { value: unknown } | { error: string } {
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    const message = firstLine((e as Error).message);
    return { error: /excessive alias/i.test(message) ? 'it expands too many aliases (more than the alias limit)' : message.replace(/\.$/, '') };
  }
}

/** What an alias stands for (see indexDocument), or the node itself when it is not an alias. */
export function resolved(node: unknown): unknown {
  return isAlias(node) ? aliasTargets.get(node) : node;
}

/**
 * The node at a path through maps and sequences. Aliases and merge keys are followed (a value brought in by
 * `<<: *base` is found in the anchor), unless `own`: then only what is written in each map itself counts, as
 * a fix that edits the text needs.
 */
export function nodeAt(root: unknown, path: YamlPath, own = false): Node | undefined {
  let cur: unknown = own ? root : resolved(root);
  for (const seg of path) {
    if (isMap(cur)) {
      const pair = own ? ownPair(cur, String(seg)) : findPair(cur, String(seg));
      cur = pair?.value ?? undefined;
    } else if (isSeq(cur) && typeof seg === 'number') {
      cur = cur.items[seg];
    } else return undefined;
    if (!own) cur = resolved(cur);
    if (cur === undefined || cur === null) return undefined;
  }
  return cur as Node;
}

function keyIs(k: unknown, key: string): boolean {
  // a string key compares as is; anything else as its string form
  if (!isScalar(k)) return String(k) === key;
  const v = k.value;
  return v === key || (typeof v !== 'string' && typeof v !== 'symbol' && String(v) === key);
}

/** A merge key's pair (`<<: *base`, `<<: [*a, *b]`). */
export function isMergePair(pair: unknown): pair is Pair<Node, Node | null> {
  return isPair(pair) && isScalar(pair.key) && (typeof pair.key.value === 'symbol' || (pair.key.value === '<<' && pair.key.type === 'PLAIN'));
}

/** The pair of `key` written in the map itself (merge keys not followed). */
export function ownPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isPair(item) && keyIs(item.key, key)) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

/** The pair of `key` in a map: its own, or one a merge key brings in (earlier sources win, as in YAML). */
export function findPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return ownPair(map, key) ?? mergedPair(map, key)?.pair;
}

/**
 * The pairs of a map as it reads after merging: its own (merge keys left out), then those its merge keys
 * bring in that it does not hold itself, first source first.
 */
export function mergedPairs(map: YAMLMap, depth = 0): Pair<Node, Node | null>[] {
  const own: Pair<Node, Node | null>[] = [];
  for (const p of map.items as Pair<Node, Node | null>[]) if (isPair(p) && !isMergePair(p)) own.push(p);
  if (depth > 20 || own.length === map.items.length) return own;
  const seen = new Set(own.map((p) => (isScalar(p.key) ? p.key.value : p.key)));
  const out = own;
  for (const item of map.items) {
    if (!isMergePair(item)) continue;
    const v = resolved(item.value);
    for (const src of isSeq(v) ? v.items.map(resolved) : [v]) {
      if (!isMap(src)) continue;
      for (const p of mergedPairs(src, depth + 1)) {
        const k = isScalar(p.key) ? p.key.value : p.key;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(p);
      }
    }
  }
  return out;
}

/** For a key the map does not hold itself: the pair a merge key of the map brings in, and that merge key's pair. */
export function mergedPair(map: YAMLMap, key: string, depth = 0): { pair: Pair<Node, Node | null>; via: Pair<Node, Node | null> } | undefined {
  if (depth > 20) return undefined;
  for (const item of map.items) {
    if (!isMergePair(item)) continue;
    const v = resolved(item.value);
    const sources = isSeq(v) ? v.items.map(resolved) : [v];
    for (const src of sources) {
      if (!isMap(src)) continue;
      const found = ownPair(src, key) ?? mergedPair(src, key, depth + 1)?.pair;
      if (found) return { pair: found, via: item };
    }
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
  // past an alias or a merge key, the key that brought the value in stays the place to point at
  let locked = false;
  let cur: unknown = resolved(root);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(cur)) {
      let pair = ownPair(cur, String(seg));
      if (!pair) {
        const merged = mergedPair(cur, String(seg));
        pair = merged?.pair;
        if (!locked && merged) {
          at = merged.via.key;
          locked = true;
        }
      }
      if (!locked && pair && isScalar(pair.key)) at = pair.key;
      cur = pair?.value ?? undefined;
    } else if (isSeq(cur) && typeof seg === 'number') {
      const item = cur.items[seg] as Node | undefined;
      if (!locked) {
        if (isMap(item) && item.items.length > 0 && isPair(item.items[0]) && isScalar(item.items[0].key)) at = (ownPair(item, 'name') ?? item.items[0]).key as Node;
        else if (item?.range) at = item;
      }
      cur = item;
    } else break;
    if (isAlias(cur)) {
      locked = true;
      cur = resolved(cur);
    }
    if (cur === undefined || cur === null) break;
  }
  return at;
}

/** The range of the value at a path, when present. */
export function valueRangeAt(lc: LineCounter, root: unknown, path: YamlPath): Range | undefined {
  return nodeRange(lc, nodeAt(root, path));
}
