import type { LineCounter } from 'yaml';
import { isMap, isPair, isScalar, isSeq, parseYaml, toRange, type YamlFile, type YamlPath } from '../parse/yamlSupport';
import type { Range, RelatedInfo, TextEdit } from '../model';
import type { HelmHomes, KustomizeHomes } from './homes';

/** Where a rendered line comes from: a template, a values line, a Kustomize base or patch. */
export interface SourceLocation {
  file: string;
  range: Range;
  /** The values line a template reads, the patch over a base… */
  related?: RelatedInfo[];
}

/**
 * What the host hands the engine with a rendered text: the tool, what was rendered, and where each
 * rendered line comes from. Findings on the rendered text are reported at those places instead.
 */
export interface RenderInfo {
  tool: 'helm' | 'kustomize';
  /** The chart folder or kustomization file that was rendered (relative, forward slashes). */
  from: string;
  /** Per rendered line (0-based): its source, or null (the nearest line above with one is used). */
  lines: LineSources;
  /** Where anything else goes (the chart's Chart.yaml, the kustomization file). */
  fallback: SourceLocation;
  /** What a fix needs to find the one source place an edit of the rendered output belongs in (see homes.ts). */
  homes?: HelmHomes | KustomizeHomes;
}

/** The path of the engine's entry for a rendered chart or kustomization: not a file on disk. */
export function renderedPath(tool: RenderInfo['tool'], from: string): string {
  return `${from} (${tool === 'helm' ? 'helm template' : 'kustomize build'})`;
}

export interface RenderedKey {
  docIndex: number;
  /** From the document root. */
  path: YamlPath;
  line: number;
}

/** The keys of a rendered text and its line count: what its line table is built from. */
export interface RenderedKeys {
  keys: RenderedKey[];
  lineCount: number;
}

/** Every key (and list item) of every document of a YAML text, with its path and line. */
export function renderedKeys(text: string): RenderedKeys & { docs: ReturnType<typeof parseYaml>['docs'] } {
  const { docs, lineCounter } = parseYaml(text, 'rendered');
  return { keys: keysOf(docs, lineCounter), docs, lineCount: lineCounter.lineStarts.length };
}

/**
 * Every key (and list item) of parsed documents, with its path and line; `lineOf` gives the line a key has in
 * the text handed on (undefined: the key is not in it, e.g. a line taken out).
 */
export function keysOf(docs: YamlFile['docs'], lineCounter: LineCounter, lineOf: (line: number) => number | undefined = (l) => l): RenderedKey[] {
  const keys: RenderedKey[] = [];
  docs.forEach((doc, docIndex) => {
    const add = (path: YamlPath, offset: number): void => {
      const line = lineOf(toRange(lineCounter, offset, offset).start.line);
      if (line !== undefined) keys.push({ docIndex, path, line });
    };
    const visit = (node: unknown, path: YamlPath): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
          const p = [...path, String(pair.key.value)];
          add(p, pair.key.range[0]);
          visit(pair.value, p);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => {
          const p = [...path, i];
          const r = (item as { range?: [number, number] } | null)?.range;
          if (r) add(p, r[0]);
          visit(item, p);
        });
      }
    };
    visit(doc.contents, []);
  });
  return keys;
}

/**
 * Where each rendered line comes from, found when a line is first asked about (findings are on a few of the
 * lines; the others are never looked up): the first key of the line with a source decides.
 */
export class LineSources {
  private constructor(
    private readonly found: (SourceLocation | null | undefined)[],
    private readonly keys: readonly (RenderedKey[] | undefined)[] = [],
    private readonly locate?: (key: RenderedKey) => SourceLocation | undefined,
  ) {}

  /** A table of known sources. */
  static of(lines: readonly (SourceLocation | null)[]): LineSources {
    return new LineSources([...lines]);
  }

  /** The table of a rendered text's keys, each line located on first use. */
  static fromKeys({ keys, lineCount }: RenderedKeys, locate: (key: RenderedKey) => SourceLocation | undefined): LineSources {
    const byLine: (RenderedKey[] | undefined)[] = new Array(lineCount);
    for (const k of keys) (byLine[k.line] ??= []).push(k);
    return new LineSources(new Array(lineCount), byLine, locate);
  }

  get length(): number {
    return this.found.length;
  }

  at(line: number): SourceLocation | null {
    let at = this.found[line];
    if (at === undefined) {
      at = null;
      for (const k of this.keys[line] ?? []) if ((at = this.locate?.(k) ?? null)) break;
      this.found[line] = at;
    }
    return at;
  }

  /** Every line's source. */
  all(): (SourceLocation | null)[] {
    return Array.from({ length: this.length }, (_, l) => this.at(l));
  }
}

/** Builds the per-line table of a RenderInfo: the first key of each line with a source decides. */
export function lineTable(rendered: RenderedKeys, locate: (key: RenderedKey) => SourceLocation | undefined): LineSources {
  return LineSources.fromKeys(rendered, locate);
}

/** The source of a rendered range: its line's, else the nearest line above with one, else the fallback. */
export function sourceOf(info: RenderInfo, range: Range | undefined): SourceLocation {
  if (!range) return info.fallback;
  for (let l = Math.min(range.start.line, info.lines.length - 1); l >= 0; l--) {
    const at = info.lines.at(l);
    if (at) return at;
  }
  return info.fallback;
}

/** A zero-width range at the start of a line. */
export function lineStart(line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

/**
 * The source map of a rendered text after edits of it (a fix's prediction of the next rendering): lines an
 * edit adds have no source of their own (the nearest line above with one counts), the others keep theirs.
 */
export function shiftLines(info: RenderInfo, edits: readonly TextEdit[]): RenderInfo {
  const lines = info.lines.all();
  const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  for (const e of sorted) {
    const { start, end } = e.range;
    const added: null[] = new Array((e.newText.match(/\n/g) ?? []).length).fill(null);
    // text inserted at the start of a line pushes that line down; otherwise the new lines follow it
    const at = start.character === 0 && end.character === 0 ? start.line : start.line + 1;
    lines.splice(at, end.line - start.line, ...added);
  }
  return { ...info, lines: LineSources.of(lines) };
}
