import type { LineCounter, Node, Pair } from 'yaml';
import { isMap, isPair, isScalar, ownPair, toRange, type YamlFile } from '../parse/yamlSupport';
import { keysOf, renderedKeys, type RenderedKeys } from './sourceMap';

/** The annotations kustomize adds for the source map (buildMetadata: originAnnotations, transformerAnnotations). */
export const ORIGIN = 'config.kubernetes.io/origin';
export const TRANSFORMATIONS = 'alpha.config.kubernetes.io/transformations';
const SOURCE_MAP_KEYS: readonly string[] = [ORIGIN, TRANSFORMATIONS];

/** A rendering as handed on: its text without the source-map annotations, and its keys' lines in that text. */
export interface CleanRendering {
  text: string;
  rendered: RenderedKeys;
}

/**
 * The lines of a rendering that hold its source-map annotations (and `annotations:` itself when they are all
 * it holds); undefined when one of them shares a line with something else (then the documents are printed).
 */
export function annotationLines(text: string, docs: YamlFile['docs'], lc: LineCounter): Set<number> | undefined {
  const cut = new Set<number>();
  for (const doc of docs) {
    const meta = isMap(doc.contents) ? ownPair(doc.contents, 'metadata') : undefined;
    const ann = meta && isMap(meta.value) ? ownPair(meta.value, 'annotations') : undefined;
    if (!ann || !isMap(ann.value)) continue;
    const items = ann.value.items;
    const pairs = items.filter((p) => isPair(p) && isScalar(p.key) && SOURCE_MAP_KEYS.includes(String(p.key.value)));
    if (!pairs.length) continue;
    for (const p of pairs.length === items.length ? [ann] : pairs) {
      const lines = wholeLines(text, lc, p as Pair<Node, Node | null>);
      if (!lines) return undefined;
      for (let l = lines.from; l <= lines.to; l++) cut.add(l);
    }
  }
  return cut;
}

/** The lines a pair fills, when nothing else is on them. */
function wholeLines(text: string, lc: LineCounter, pair: Pair<Node, Node | null>): { from: number; to: number } | undefined {
  const start = pair.key?.range?.[0];
  const end = pair.value?.range?.[1] ?? pair.key?.range?.[1];
  if (start === undefined || end === undefined || end <= start) return undefined;
  const from = toRange(lc, start, start).start.line;
  if (text.slice(lc.lineStarts[from], start).trim()) return undefined;
  // a block scalar ends with its line break; anything else must end its line
  const closed = text[end - 1] === '\n';
  if (!closed) {
    const eol = text.indexOf('\n', end);
    if (text.slice(end, eol === -1 ? text.length : eol).trim()) return undefined;
  }
  return { from, to: toRange(lc, closed ? end - 1 : end, closed ? end - 1 : end).start.line };
}

/** The text without the given lines; every key keeps the position the parse gave it, moved up past the lines taken out. */
export function cutLines(text: string, docs: YamlFile['docs'], lc: LineCounter, cut: ReadonlySet<number>): CleanRendering {
  const lines = text.split('\n');
  const moved: (number | undefined)[] = new Array(lines.length);
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (cut.has(i)) continue;
    moved[i] = kept.length;
    kept.push(lines[i]);
  }
  return { text: kept.join('\n'), rendered: { keys: keysOf(docs, lc, (l) => moved[l]), lineCount: kept.length } };
}

/** The documents printed without the source-map annotations, and parsed again for their keys' lines (the slow way). */
export function printed(docs: YamlFile['docs']): CleanRendering {
  const parts = docs.map((doc) => {
    for (const k of SOURCE_MAP_KEYS) if (doc.hasIn(['metadata', 'annotations', k])) doc.deleteIn(['metadata', 'annotations', k]);
    const annNode = doc.getIn(['metadata', 'annotations']);
    if (isMap(annNode) && annNode.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
    return doc.toString({ lineWidth: 0 }).replace(/^---\r?\n/, '');
  });
  const text = parts.join('---\n');
  const { keys, lineCount } = renderedKeys(text);
  return { text, rendered: { keys, lineCount } };
}
