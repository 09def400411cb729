import type { RelatedInfo } from '../model';
import { deepestKey, nodeAt, nodeRange, parseYaml, type YamlFile, type YamlPath } from '../parse/yamlSupport';
import { lineStart, lineTable, renderedKeys, type RenderedKey, type RenderInfo, type SourceLocation } from './sourceMap';
import type { HelmHomes } from './homes';
import { locateInOutline, outlineTemplate, type OutlineLine, type TemplateDoc } from './templateOutline';

export type ReadText = (path: string) => string | undefined;

export interface HelmRender {
  /** The chart folder, relative to the root ('' for the root itself). */
  chartDir: string;
  /** `helm template`'s output. */
  output: string;
  /** The values files given to helm, in order (the chart's values.yaml first), relative to the root. */
  valuesFiles: readonly string[];
  /** The chart's template files (`_helpers.tpl`…, subcharts' too), where `include`d definitions are looked up. */
  templates?: readonly string[];
}

const SOURCE_RE = /^# Source: (.+)$/gm;
const VALUES_RE = /\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/g;
const WITH_RE = /\{\{-?\s*with\s+\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/;

export function join(dir: string, rel: string): string {
  return dir && dir !== '.' ? `${dir}/${rel}` : rel;
}

/**
 * The source map of a chart's rendered output: each rendered document goes to the template named by its
 * `# Source:` line, each key to the template line that writes it (or its nearest written ancestor), and
 * a value a template reads from `.Values` to the values line that sets it (related information).
 */
export function helmRenderInfo(r: HelmRender, read: ReadText): RenderInfo {
  const chartFile = join(r.chartDir, 'Chart.yaml');
  const fallback: SourceLocation = { file: chartFile, range: lineStart(0) };
  const rendered = renderedKeys(r.output);
  const { docs } = rendered;
  // the `# Source:` line before each document
  const markers: { offset: number; source: string }[] = [];
  for (const m of r.output.matchAll(SOURCE_RE)) markers.push({ offset: m.index, source: m[1].trim() });
  const docSource: (string | undefined)[] = [];
  const docPart: (TemplateDoc | undefined)[] = [];
  const outlines = new Map<string, TemplateDoc[] | undefined>();
  const seen = new Map<string, number>();
  let mi = 0;
  let current: string | undefined;
  docs.forEach((doc, i) => {
    const start = (doc.contents as { range?: [number, number] } | null)?.range?.[0] ?? doc.range[0];
    while (mi < markers.length && markers[mi].offset < start) current = markers[mi++].source;
    // `chart/templates/x.yaml`, `chart/charts/sub/templates/x.yaml`: the first part is the chart's name
    const file = current ? join(r.chartDir, current.slice(current.indexOf('/') + 1)) : undefined;
    docSource[i] = file;
    if (!file) return;
    if (!outlines.has(file)) {
      const text = read(file);
      outlines.set(file, text === undefined ? undefined : outlineTemplate(text));
    }
    const parts = outlines.get(file);
    if (!parts?.length) return;
    const kind = String((doc.contents as { get?: (k: string) => unknown } | null)?.get?.('kind') ?? '');
    const sameKind = parts.filter((p) => p.kind === kind);
    const key = `${file}\u0000${sameKind.length ? kind : '*'}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const pool = sameKind.length ? sameKind : parts;
    docPart[i] = pool[Math.min(n, pool.length - 1)];
  });
  const values = new ValuesIndex(r, read);
  const texts = new Map<string, string[]>();
  const linesOf = (file: string): string[] => {
    let l = texts.get(file);
    if (!l) texts.set(file, (l = (read(file) ?? '').split(/\r?\n/)));
    return l;
  };
  const defines = new Defines(r.templates ?? [], linesOf);
  const locate = (k: RenderedKey): SourceLocation | undefined => {
    const file = docSource[k.docIndex];
    const part = docPart[k.docIndex];
    if (!file) return undefined;
    if (!part) return { file, range: lineStart(0) };
    const found = templateSpot(file, part, k.path, defines, linesOf);
    if (!found) return { file, range: lineStart(part.lines[0]?.line ?? part.from) };
    const { at_, hit } = found;
    const at: SourceLocation = { file: at_.file, range: { start: { line: hit.at.line, character: hit.at.start }, end: { line: hit.at.line, character: hit.at.end } } };
    const refs = valueRefs(linesOf(at_.file), at_.part, hit.at.line, hit.depth < at_.path.length);
    const related: RelatedInfo[] = [];
    for (const ref of refs.slice(0, 3)) {
      const rest = ref.block ? at_.path.slice(hit.depth) : [];
      const v = values.locate(at_.file, [...ref.path, ...rest]);
      if (v) related.push(v);
    }
    if (related.length) at.related = related;
    return at;
  };
  const homes: HelmHomes = {
    tool: 'helm',
    chartDir: r.chartDir,
    valuesFiles: r.valuesFiles,
    templates: r.templates ?? [],
    docs: docSource.map((file, i) => {
      const part = file ? docPart[i] : undefined;
      return file && part ? { file, part: outlines.get(file)!.indexOf(part) } : null;
    }),
  };
  return { tool: 'helm', from: r.chartDir || '.', lines: lineTable(rendered, locate), fallback, homes };
}

/**
 * The template line that writes a rendered key (`at_`: the template, or the `define` body an `include`
 * leads to, with the key's path there; `hit.depth`: how much of that path the template writes literally).
 */
export function templateSpot(file: string, part: TemplateDoc, path: YamlPath, defines: Defines, linesOf: (file: string) => string[]): { at_: { file: string; part: TemplateDoc; path: YamlPath }; hit: { at: OutlineLine; depth: number } } | undefined {
  let hit = locateInOutline(part, path);
  if (!hit) return undefined;
  // a field written by `include "name"` (a _helpers.tpl definition): on into the definition
  let at_ = { file, part, path };
  for (let hops = 0; hops < 4 && hit.depth < at_.path.length; hops++) {
    const name = includedUnder(linesOf(at_.file), at_.part, hit.at.line);
    const def = name ? defines.find(name) : undefined;
    const sub = at_.path.slice(hit.depth);
    const inner = def && locateInOutline(def.part, sub);
    if (!def || !inner) break;
    at_ = { file: def.file, part: def.part, path: sub };
    hit = inner;
  }
  return { at_, hit };
}

/**
 * The `.Values` paths a template line reads: on the line itself, else (for a key whose field comes from
 * a block, `block`) in the template actions right under it; `toYaml .` inside `with .Values.x` reads x.
 */
export function valueRefs(lines: readonly string[], part: TemplateDoc, line: number, missing: boolean): { path: string[]; block: boolean }[] {
  const out: { path: string[]; block: boolean }[] = [];
  const scan = (text: string, block: boolean, at: number): void => {
    for (const m of text.matchAll(VALUES_RE)) out.push({ path: m[1].slice(1).split('.'), block });
    if (!out.length && /(toYaml|tpl)\s+\.\s*[|}]|\{\{-?\s*\.\s*\}\}/.test(text)) {
      for (let i = at - 1; i >= part.from; i--) {
        const w = WITH_RE.exec(lines[i] ?? '');
        if (w) {
          out.push({ path: w[1].slice(1).split('.'), block });
          break;
        }
      }
    }
  };
  scan(lines[line] ?? '', missing, line);
  // a key whose value the actions under it write (`resources:` then `toYaml`) reads them too
  if (out.length || !(missing || /:\s*$/.test(lines[line] ?? ''))) return out;
  for (const i of blockActions(lines, part, line)) {
    scan(lines[i], true, i);
    if (out.length) break;
  }
  return out;
}

/** The lines right under a key that are only template actions (what writes the key's missing fields). */
function blockActions(lines: readonly string[], part: TemplateDoc, line: number): number[] {
  const out: number[] = [];
  const indent = /^ */.exec(lines[line] ?? '')?.[0].length ?? 0;
  for (let i = line + 1; i <= part.to && i < lines.length; i++) {
    const t = lines[i];
    if (!t.trim()) continue;
    const isAction = /^\s*\{\{.*\}\}\s*$/.test(t);
    if (!isAction && (/^ */.exec(t)?.[0].length ?? 0) <= indent) break;
    if (isAction) out.push(i);
  }
  return out;
}

const INCLUDE_RE = /\b(?:include|template)\s+"([^"]+)"/;

/** The definition a key's line or the actions under it include, if any. */
function includedUnder(lines: readonly string[], part: TemplateDoc, line: number): string | undefined {
  for (const i of [line, ...blockActions(lines, part, line)]) {
    const m = INCLUDE_RE.exec(lines[i] ?? '');
    if (m) return m[1];
  }
  return undefined;
}

const ACTION_RE = /\{\{-?\s*(if|with|range|define|block|end)\b/g;

/** The line of the `{{ end }}` that closes the definition opened on `start` (nested if/with/range counted). */
function definitionEnd(lines: readonly string[], start: number): number {
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    for (const m of lines[i].matchAll(ACTION_RE)) {
      depth += m[1] === 'end' ? -1 : 1;
      if (depth === 0) return i;
    }
  }
  return lines.length;
}

/** `{{ define "name" }}` bodies of a chart's template files, outlined in their files' line numbers. */
export class Defines {
  private readonly found = new Map<string, { file: string; part: TemplateDoc } | undefined>();
  constructor(
    private readonly files: readonly string[],
    private readonly linesOf: (file: string) => string[],
  ) {}

  find(name: string): { file: string; part: TemplateDoc } | undefined {
    if (this.found.has(name)) return this.found.get(name);
    let hit: { file: string; part: TemplateDoc } | undefined;
    const opener = `"${name}"`;
    for (const file of [...this.files].sort((a, b) => Number(b.endsWith('.tpl')) - Number(a.endsWith('.tpl')))) {
      const lines = this.linesOf(file);
      const start = lines.findIndex((l) => /\{\{-?\s*define\s+"/.test(l) && l.includes(opener));
      if (start < 0) continue;
      const end = definitionEnd(lines, start);
      const part = outlineTemplate(lines.slice(start + 1, end).join('\n'))[0];
      if (!part) continue;
      const shift = start + 1;
      hit = { file, part: { ...part, from: part.from + shift, to: part.to + shift, lines: part.lines.map((l) => ({ ...l, line: l.line + shift })) } };
      break;
    }
    this.found.set(name, hit);
    return hit;
  }
}

/** The values files of a chart, parsed once, and where a `.Values` path is set. */
class ValuesIndex {
  private readonly parsed = new Map<string, YamlFile | undefined>();
  constructor(
    private readonly r: HelmRender,
    private readonly read: ReadText,
  ) {}

  private file(path: string): YamlFile | undefined {
    if (!this.parsed.has(path)) {
      const text = this.read(path);
      this.parsed.set(path, text === undefined ? undefined : parseYaml(text, path));
    }
    return this.parsed.get(path);
  }

  /** The values line that sets `path` for a template (a subchart's under its name in the parent, or its own values.yaml). */
  locate(template: string, path: YamlPath): RelatedInfo | undefined {
    const sub = subchartOf(this.r.chartDir, template);
    const candidates: { file: string; path: YamlPath }[] = [];
    for (const f of [...this.r.valuesFiles].reverse()) candidates.push({ file: f, path: sub ? [...sub.names, ...path] : path });
    if (sub) candidates.push({ file: join(sub.dir, 'values.yaml'), path });
    let partial: RelatedInfo | undefined;
    for (const c of candidates) {
      const y = this.file(c.file);
      const root = y?.docs[0]?.contents;
      if (!y || !root) continue;
      const exact = nodeAt(root, c.path);
      const key = deepestKey(root, c.path);
      const range = key ? nodeRange(y.lineCounter, key) : undefined;
      if (!range) continue;
      const name = `.Values.${path.join('.')}`;
      if (exact) return { file: c.file, range, message: `${name} is set here` };
      partial ??= { file: c.file, range, message: `${name} is read by the template; it is not set in ${c.file}` };
    }
    return partial;
  }
}

/** For a template of a subchart (`charts/a/charts/b/templates/x.yaml`), its folder and value prefix (`a.b`). */
export function subchartOf(chartDir: string, template: string): { dir: string; names: string[] } | undefined {
  const rel = chartDir && chartDir !== '.' ? template.slice(chartDir.length + 1) : template;
  const parts = rel.split('/');
  const names: string[] = [];
  let i = 0;
  while (parts[i] === 'charts' && i + 1 < parts.length) {
    names.push(parts[i + 1]);
    i += 2;
  }
  if (!names.length) return undefined;
  return { dir: join(chartDir, parts.slice(0, i).join('/')), names };
}
