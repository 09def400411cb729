import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Config } from '../engine/checklist/schema';
import type { Problem } from '../engine/model';
import { helmRenderInfo } from '../engine/render/helm';
import { openReleaseNamespace, RELEASE_NAMESPACE_PLACEHOLDER } from '../engine/render/releaseNamespace';
import { kustomizeRenderInfo } from '../engine/render/kustomize';
import { sourceYaml } from '../engine/render/yamlFiles';
import { joinPath, planRendering, type ChartEntry, type KustomizationEntry, type RenderPlan } from '../engine/render/plan';
import { lineStart, renderedPath } from '../engine/render/sourceMap';
import type { SourceFile } from '../engine/workspace';
import { OffThreadRunner, runHere, type ToolExit } from './toolRun';
import { chartWithout, missingDependencies, type MissingDependency } from './chartDependencies';

export interface RenderOptions {
  /** Running helm and kubectl is allowed (a trusted workspace); otherwise charts and kustomizations are not audited, with the reason. */
  trusted: boolean;
  /** Binaries over the config's (the editor's settings). */
  helm?: string;
  kubectl?: string;
  signal?: AbortSignal;
  /** Why rendering is not allowed, for the message (default: the workspace is not trusted). */
  untrustedReason?: string;
  /** Start the tools from a thread of their own (the editor: its host thread has other work meanwhile). */
  offThread?: boolean;
}

export interface Rendered {
  sources: SourceFile[];
  problems: Problem[];
  /** Milliseconds spent running the tools (cache hits cost nothing). */
  ms: number;
}

interface ToolRun {
  stdout: string;
  error?: string;
}

const cache = new Map<string, Promise<ToolRun>>();
const MAX_CACHE = 200;

/** Forgets every cached rendering (benchmarks measure cold runs with it). */
export function clearRenderCache(): void {
  cache.clear();
}

/** An empty folder for HELM_PLUGINS and the tools' home: no plugin, no user config. */
let sandbox: string | undefined;
function sandboxDir(): string {
  if (!sandbox) {
    sandbox = mkdtempSync(path.join(tmpdir(), 'shipshape-render-'));
    for (const d of ['plugins', 'home', 'cache', 'config', 'data']) mkdirSync(path.join(sandbox, d));
    process.once('exit', () => rmSync(sandbox!, { recursive: true, force: true }));
  }
  return sandbox;
}

/** The environment the tools run with: PATH and an empty home, nothing of the user's (no plugins, no kube config, no credentials). */
function cleanEnv(): Record<string, string> {
  const box = sandboxDir();
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(box, 'home'),
    HELM_PLUGINS: path.join(box, 'plugins'),
    HELM_CACHE_HOME: path.join(box, 'cache'),
    HELM_CONFIG_HOME: path.join(box, 'config'),
    HELM_DATA_HOME: path.join(box, 'data'),
    KUBECONFIG: path.join(box, 'home', 'kubeconfig'),
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
  };
}

let offThread: OffThreadRunner | undefined;

/** Runs a tool in `cwd` on the repository at `root` (the root its error's paths are written from). */
function run(bin: string, args: string[], cwd: string, root: string, timeoutMs: number, { signal, offThread: elsewhere }: RenderOptions): Promise<ToolRun> {
  const call = { bin, args, cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 };
  const exit = elsewhere ? (offThread ??= new OffThreadRunner()).run(call, signal) : runHere(call, signal);
  return exit.then((x) => toolRun(x, timeoutMs, (text) => inRepository(text, root, cwd)));
}

function toolRun({ stdout, stderr, failure: e }: ToolExit, timeoutMs: number, relative: (text: string) => string): ToolRun {
  if (!e) return { stdout };
  if (e.code === 'ENOENT') return { stdout: '', error: 'ENOENT' };
  if (e.name === 'AbortError') return { stdout: '', error: 'ABORTED' };
  if (e.killed) return { stdout: '', error: `it took longer than ${Math.round(timeoutMs / 1000)} s (render.timeout)` };
  return { stdout: '', error: firstLines(relative(stderr || e.message)) };
}

/**
 * A tool's error with the repository's own paths written from its root: as an absolute path, and as the path from
 * the folder the tool ran in (`../../home/me/shop/k8s/base` → `k8s/base`).
 */
function inRepository(text: string, root: string, cwd: string): string {
  const abs = path.resolve(root);
  const fromCwd = path.relative(cwd, abs).split(path.sep).join('/');
  let out = text;
  for (const f of [abs, fromCwd].filter((f) => f.length > 1).sort((a, b) => b.length - a.length)) out = out.split(`${f}/`).join('').split(f).join('.');
  return out;
}

/** A tool's error, short, with temporary and absolute paths taken out. */
function firstLines(text: string): string {
  const box = sandbox ?? '\u0000';
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 3)
    .join(' ')
    .split(box)
    .join('')
    .replace(/(?:\.\.\/)+|\/tmp\/[^\s'"]+/g, '')
    // kubectl's log header (severity, date, time, thread, source line): the same error reads the same every run
    .replace(/\b[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.-]+:\d+\] /g, '')
    .slice(0, 400);
}

/** Hashes files (absolute paths) for the render cache: a change to any input renders again. */
function hashInputs(parts: string[], files: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  for (const f of files) {
    h.update(f).update('\u0000');
    try {
      h.update(readFileSync(f));
    } catch {
      h.update('\u0001missing');
    }
  }
  return h.digest('hex');
}

function filesUnder(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name === '.git' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function cached(key: string, make: () => Promise<ToolRun>, signal?: AbortSignal): Promise<ToolRun> {
  let p = cache.get(key);
  if (!p) {
    const made = (p = make());
    cache.set(key, p);
    // a rendering that supersedes this one (same inputs, a newer save) runs the tool again rather than awaiting a cancelled run
    signal?.addEventListener('abort', () => cache.get(key) === made && cache.delete(key), { once: true });
    if (cache.size > MAX_CACHE) cache.delete(cache.keys().next().value!);
    // an aborted or failed-to-start run is not kept
    void p.then((r) => {
      if (r.error === 'ABORTED' || r.error === 'ENOENT') cache.delete(key);
    });
  }
  return p;
}

/** What to render in a folder: the plan over the scanned paths, kustomization files read from disk. */
export function planFor(root: string, paths: readonly string[]): RenderPlan {
  return planRendering(paths, (p) => {
    try {
      return readFileSync(path.join(root, p), 'utf8');
    } catch {
      return undefined;
    }
  });
}

/**
 * Renders every chart and entry kustomization of a plan (helm template, kubectl kustomize), out of
 * process, with a clean environment and no network, cached by the content of their inputs. What cannot
 * be rendered is one problem at the chart or kustomization, with the reason and how to enable it.
 */
export async function renderPlan(root: string, plan: RenderPlan, config: Config, options: RenderOptions): Promise<Rendered> {
  const sources: SourceFile[] = [];
  const problems: Problem[] = [];
  const started = Date.now();
  const settings = config.render ?? {};
  const read = (p: string): string | undefined => {
    try {
      return readFileSync(path.join(root, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  // overlapping kustomizations share their bases and components: each is read and parsed once per batch
  const kustomizeSources = sourceYaml(read);
  // one unaudited result per chart or kustomization, at its Chart.yaml or kustomization file
  const notAudited = (file: string, why: string): void => {
    const what = /(^|\/)Chart\.ya?ml$/.test(file) ? 'Helm chart' : 'Kustomization';
    problems.push({ file, message: `${what} not rendered: ${why}.`, severity: 'warning', range: lineStart(0), unaudited: 'file' });
  };
  // a chart whose dependencies are not in charts/ is rendered from a copy without them (chartDependencies.ts)
  const vendoredOnly = (chart: ChartEntry, files: string[]): { dir?: string; missing: readonly MissingDependency[] } => {
    const dir = path.join(root, chart.dir);
    const missing = missingDependencies(dir);
    if (missing.length === 0) return { missing };
    return { missing, dir: chartWithout(dir, files, missing, path.join(sandboxDir(), 'charts', hashInputs(['chart', dir], files).slice(0, 16), path.basename(dir) || 'chart')) };
  };
  // once the chart rendered without them, each missing dependency is unaudited where it is declared
  const missingReported = new Set<ChartEntry>();
  const reportMissing = (chart: ChartEntry, missing: readonly MissingDependency[]): void => {
    if (missingReported.has(chart)) return;
    missingReported.add(chart);
    for (const m of missing) {
      problems.push({ file: chart.dir ? `${chart.dir}/${m.file}` : m.file, message: `Dependency ${m.name} is not in charts/ (helm dependency build fetches it): its objects are not rendered or audited; the chart's own templates are.`, severity: 'warning', range: lineStart(m.line), unaudited: 'object' });
    }
  };
  const targets: { file: string; what: string }[] = [...plan.charts.map((c) => ({ file: chartFile(c), what: 'Helm chart' })), ...plan.kustomizations.map((k) => ({ file: k.file, what: 'kustomization' }))];
  if (!targets.length) return { sources, problems, ms: 0 };
  if (settings.enabled === false) {
    for (const t of targets) notAudited(t.file, `${t.what} rendering is off (render.enabled: false in .shipshape.yaml)`);
    return { sources, problems, ms: 0 };
  }
  if (!options.trusted) {
    for (const t of targets) notAudited(t.file, `rendering this ${t.what} runs ${t.what === 'Helm chart' ? 'helm' : 'kubectl'}, which Shipshape does only in a trusted workspace${options.untrustedReason ? ` (${options.untrustedReason})` : ''}; trust the folder to audit it`);
    return { sources, problems, ms: 0 };
  }
  const timeout = (settings.timeout ?? 30) * 1000;
  const helm = options.helm || settings.helm || 'helm';
  const kubectl = options.kubectl || settings.kubectl || 'kubectl';
  // a binary named by the repository's own config must not be a program in the repository
  const inRepo = (key: string, bin: string, own: boolean): string | undefined => {
    if (!own || !bin.includes('/')) return undefined;
    const rel = path.relative(root, path.resolve(root, bin));
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return `${key} in .shipshape.yaml names a program inside the repository (${bin}); Shipshape runs no program from the repository: name one installed on the machine`;
  };
  const helmRefused = inRepo('render.helm', helm, !options.helm);
  const kubectlRefused = inRepo('render.kubectl', kubectl, !options.kubectl);
  const jobs: Promise<void>[] = [];
  for (const chart of plan.charts) {
    if (helmRefused) {
      notAudited(chartFile(chart), helmRefused);
      continue;
    }
    const chartConf = settings.charts?.[chart.dir || '.'] ?? settings.charts?.[chart.dir];
    const envs: [string | undefined, { values?: string[]; set?: Record<string, string | number | boolean> }][] = chartConf?.environments ? Object.entries(chartConf.environments) : [[undefined, {}]];
    const files = filesUnder(path.join(root, chart.dir));
    const templates = files.map((f) => path.relative(root, f).split(path.sep).join('/')).filter((f) => f.includes('/templates/') || f.startsWith('templates/'));
    const deps = vendoredOnly(chart, files);
    for (const [env, envConf] of envs) {
      const valuesRel = [...(chartConf?.values ?? []), ...(envConf.values ?? [])];
      const values: string[] = [];
      let bad: string | undefined;
      for (const v of valuesRel) {
        const rel = joinPath(chart.dir, v);
        if (rel === undefined) bad ??= `values file ${v} is outside the workspace`;
        else values.push(rel);
      }
      const set = { ...(chartConf?.set ?? {}), ...(envConf.set ?? {}) };
      const from = env ? `${chart.dir || '.'} [${env}]` : chart.dir || '.';
      if (bad) {
        notAudited(chartFile(chart), bad);
        continue;
      }
      jobs.push(renderChart(root, chart, files, values, set, helm, timeout, options, deps.dir).then((r) => {
        // (a template that needs a missing dependency's helpers fails: the chart is unaudited, saying which are missing)
        const unvendored = deps.missing.length ? `; its dependencies ${deps.missing.map((m) => m.name).join(', ')} are not in charts/ (helm dependency build fetches them)` : '';
        if (r.error) return void notAudited(chartFile(chart), chartError(r.error, helm, env) + unvendored);
        reportMissing(chart, deps.missing);
        const valuesFiles = [joinPath(chart.dir, 'values.yaml')!, ...values];
        const output = openReleaseNamespace(r.stdout);
        const info = helmRenderInfo({ chartDir: chart.dir, output, valuesFiles, templates }, read);
        info.from = from;
        sources.push({ path: renderedPath('helm', from), kind: 'kubernetes', text: output, rendered: info });
      }));
    }
  }
  for (const k of plan.kustomizations) {
    if (k.refused || kubectlRefused) {
      notAudited(k.file, (k.refused ?? kubectlRefused)!);
      continue;
    }
    jobs.push(renderKustomization(root, k, kubectl, timeout, options).then((r) => {
      if (r.out.error) return void notAudited(k.file, kustomizeError(r.out.error, kubectl));
      const resolve = (p: string): string | undefined => {
        const rel = path.relative(root, path.resolve(r.cwd, p)).split(path.sep).join('/');
        return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
      };
      const { text, info } = kustomizeRenderInfo(r.out.stdout, k.file, resolve, kustomizeSources);
      sources.push({ path: renderedPath('kustomize', k.file), kind: 'kubernetes', text, rendered: info });
    }));
  }
  await Promise.all(jobs);
  sources.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { sources, problems, ms: Date.now() - started };
}

function chartFile(c: ChartEntry): string {
  return c.dir ? `${c.dir}/Chart.yaml` : 'Chart.yaml';
}

function chartError(error: string, helm: string, env: string | undefined): string {
  const where = env ? ` for environment ${env}` : '';
  if (error === 'ENOENT') return `helm was not found (${helm}); install helm, or set render.helm in .shipshape.yaml (shipshape.render.helm in the editor) to render and audit this chart`;
  if (error === 'ABORTED') return 'rendering was cancelled';
  if (/unknown flag: --skip-tests/.test(error)) return `helm template failed${where}: this helm is older than 3.5 (it has no --skip-tests); install helm 3.5 or later, or set render.helm in .shipshape.yaml (shipshape.render.helm in the editor)`;
  return `helm template failed${where}: ${error.replaceAll(RELEASE_NAMESPACE_PLACEHOLDER, "<release namespace>")}`;
}

function kustomizeError(error: string, kubectl: string): string {
  if (error === 'ENOENT') return `kubectl was not found (${kubectl}); install kubectl, or set render.kubectl in .shipshape.yaml (shipshape.render.kubectl in the editor) to render and audit this kustomization`;
  if (error === 'ABORTED') return 'rendering was cancelled';
  return `kubectl kustomize failed: ${error}`;
}

function renderChart(root: string, chart: ChartEntry, files: string[], values: string[], set: Record<string, string | number | boolean>, helm: string, timeout: number, options: RenderOptions, dir = path.join(root, chart.dir)): Promise<ToolRun> {
  // The release's namespace is chosen at install time: rendered as a placeholder, left open after (releaseNamespace.ts).
  // Test hooks run only on `helm test`, not in the release: left out, as `helm install` leaves them (Helm 3.5 and later).
  const args = ['template', chart.name, dir, '--namespace', RELEASE_NAMESPACE_PLACEHOLDER, '--skip-tests'];
  for (const v of values) args.push('--values', path.join(root, v));
  for (const [k, v] of Object.entries(set)) args.push('--set', `${k}=${String(v)}`);
  const key = hashInputs(['helm', helm, ...args], [...files, ...values.map((v) => path.join(root, v))]);
  return cached(key, () => run(helm, args, sandboxDir(), root, timeout, options), options.signal);
}

async function renderKustomization(root: string, k: KustomizationEntry, kubectl: string, timeout: number, options: RenderOptions): Promise<{ out: ToolRun; cwd: string }> {
  // a wrapper kustomization that adds origin and transformer annotations (the source map); the entry itself is not changed
  const key = hashInputs(['kustomize', kubectl, k.file], k.inputs.map((f) => path.join(root, f)));
  const wrapper = path.join(sandboxDir(), 'kustomize', key.slice(0, 16));
  mkdirSync(wrapper, { recursive: true });
  const rel = path.relative(wrapper, path.join(root, k.dir)).split(path.sep).join('/');
  writeFileSync(path.join(wrapper, 'kustomization.yaml'), `resources:\n- ${JSON.stringify(rel)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`);
  const out = await cached(key, () => run(kubectl, ['kustomize', wrapper], wrapper, root, timeout, options), options.signal);
  return { out, cwd: wrapper };
}

/** Plans and renders a folder's charts and kustomizations. */
export async function renderFolder(root: string, paths: readonly string[], config: Config, options: RenderOptions): Promise<Rendered & { plan: RenderPlan }> {
  const plan = planFor(root, paths);
  return { plan, ...(await renderPlan(root, plan, config, options)) };
}
