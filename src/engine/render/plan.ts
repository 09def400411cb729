import { isObject } from '../parse/kubernetes';
import { parseYaml, toPlain } from '../parse/yamlSupport';
import { baseName } from '../text';

/** A chart to render with `helm template`. */
export interface ChartEntry {
  /** Folder relative to the root ('' for the root). */
  dir: string;
  name: string;
}

/** A kustomization to render with `kubectl kustomize`: one that no other kustomization uses. */
export interface KustomizationEntry {
  /** The kustomization file, relative to the root. */
  file: string;
  dir: string;
  /** Every file it reads (itself, its bases, components, resources, patches…), for the render cache key. */
  inputs: string[];
  /** Why it cannot be rendered here (a remote base), when it cannot. */
  refused?: string;
}

export interface RenderPlan {
  charts: ChartEntry[];
  kustomizations: KustomizationEntry[];
  /** Files that are rendered as part of a chart or kustomization, not audited on their own. */
  consumed: ReadonlySet<string>;
  /** Chart folders, library charts and subcharts included: everything under them is a chart's. */
  chartDirs: readonly string[];
}

export const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

const REMOTE_RE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/\?|\.git(?:\/\/|$)/i;
const FILE_LISTS = ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'configurations', 'transformers', 'generators', 'validators'];

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function joinPath(dir: string, rel: string): string | undefined {
  const out: string[] = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.join('/');
}

/** Whether a path lies in (or is) a folder. */
export function under(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/**
 * Which charts and kustomizations to render, and which files they consume, from the scanned paths and a
 * reader for kustomization files. Subcharts render with their parent and library charts with the charts
 * that use them; kustomizations used as a base or component by another render with it.
 */
export function planRendering(paths: readonly string[], read: (p: string) => string | undefined): RenderPlan {
  const consumed = new Set<string>();
  const pathSet = new Set(paths);
  const chartDirs: string[] = [];
  const chartNames = new Map<string, string>();
  const libraries = new Set<string>();
  for (const p of paths) {
    const name = baseName(p);
    if (name !== 'Chart.yaml' && name !== 'Chart.yml') continue;
    const dir = dirOf(p);
    chartDirs.push(dir);
    const v = docOf(read(p));
    chartNames.set(dir, isObject(v) && typeof v.name === 'string' ? v.name : baseName(dir) || 'chart');
    if (isObject(v) && v.type === 'library') libraries.add(dir);
  }
  const charts: ChartEntry[] = [];
  for (const dir of chartDirs) {
    if (libraries.has(dir)) continue;
    // a subchart (…/charts/<name>/Chart.yaml under another chart) renders with its parent
    if (chartDirs.some((d) => d !== dir && under(dir, d) && dir.slice(d ? d.length + 1 : 0).startsWith('charts/'))) continue;
    charts.push({ dir, name: chartNames.get(dir) ?? 'chart' });
  }
  for (const p of paths) if (chartDirs.some((d) => under(p, d))) consumed.add(p);

  const kustomizations = paths.filter((p) => KUSTOMIZATION_NAMES.has(baseName(p)) && !chartDirs.some((d) => under(p, d)));
  const kustomizationIn = (dir: string): string | undefined => [...KUSTOMIZATION_NAMES].map((n) => (dir ? `${dir}/${n}` : n)).find((f) => pathSet.has(f));
  const refs = new Map<string, { files: string[]; kustomizations: string[]; remote?: string; component: boolean }>();
  for (const k of kustomizations) {
    consumed.add(k);
    const v = docOf(read(k));
    const dir = dirOf(k);
    const out = { files: [] as string[], kustomizations: [] as string[], remote: undefined as string | undefined, component: isObject(v) && v.kind === 'Component' };
    refs.set(k, out);
    if (!isObject(v)) continue;
    const add = (ref: unknown): void => {
      if (typeof ref !== 'string' || ref.includes('\n')) return;
      if (REMOTE_RE.test(ref)) {
        out.remote ??= ref;
        return;
      }
      const target = joinPath(dir, ref);
      if (target === undefined) return;
      const sub = kustomizationIn(target);
      if (sub && !pathSet.has(target)) out.kustomizations.push(sub);
      else out.files.push(target);
    };
    for (const key of FILE_LISTS) if (Array.isArray(v[key])) v[key].forEach(add);
    for (const key of ['patches', 'patchesJson6902', 'replacements']) if (Array.isArray(v[key])) for (const p of v[key]) if (isObject(p)) add(p.path);
    for (const key of ['configMapGenerator', 'secretGenerator']) {
      if (!Array.isArray(v[key])) continue;
      for (const g of v[key]) {
        if (!isObject(g)) continue;
        for (const list of ['files', 'envs']) if (Array.isArray(g[list])) for (const f of g[list]) if (typeof f === 'string') add(f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
        if (typeof g.env === 'string') add(g.env);
      }
    }
  }
  const used = new Set<string>();
  for (const r of refs.values()) for (const k of r.kustomizations) used.add(k);
  const entries: KustomizationEntry[] = [];
  for (const k of kustomizations) {
    const r = refs.get(k)!;
    for (const f of r.files) consumed.add(f);
    if (used.has(k) || r.component) continue;
    const inputs = new Set<string>();
    let refused: string | undefined;
    const visit = (file: string): void => {
      if (inputs.has(file)) return;
      inputs.add(file);
      const rr = refs.get(file);
      if (!rr) return;
      if (rr.remote && !refused) refused = `it uses a remote resource (${rr.remote}), which is not fetched: rendering runs offline`;
      for (const f of rr.files) inputs.add(f);
      for (const s of rr.kustomizations) visit(s);
    };
    visit(k);
    entries.push({ file: k, dir: dirOf(k), inputs: [...inputs].sort(), refused });
  }
  return { charts, kustomizations: entries, consumed, chartDirs };
}

function docOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const { docs } = parseYaml(text, 'kustomization');
  return docs[0] && docs[0].errors.length === 0 ? toPlain(docs[0]) : undefined;
}
