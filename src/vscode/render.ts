import * as vscode from 'vscode';
import type { Engine } from '../engine/audit';
import type { Config } from '../engine/checklist/schema';
import type { Problem } from '../engine/model';
import { KUSTOMIZATION_NAMES, under, type RenderPlan } from '../engine/render/plan';
import { baseName } from '../engine/text';
import { planFor, renderPlan } from '../node/render';
import type { Settings } from './settings';

/**
 * A folder's Helm charts and kustomizations in the editor: which files they consume (not audited on
 * their own), rendering them out of process (only in a trusted workspace, on a folder on this machine),
 * again when one of their files is saved (debounced), a newer rendering cancelling an older one.
 */
export class FolderRenderer implements vscode.Disposable {
  private plan: RenderPlan | undefined;
  private paths = new Set<string>();
  private abort: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  problems: Problem[] = [];
  /** Milliseconds the last rendering took (0 when every result came from the cache). */
  ms = 0;

  constructor(private readonly folder: vscode.WorkspaceFolder) {}

  private get local(): boolean {
    return this.folder.uri.scheme === 'file';
  }

  /** Works out what to render from the scanned paths (kustomization files are read from disk). */
  planFrom(paths: readonly string[]): void {
    this.plan = this.local ? planFor(this.folder.uri.fsPath, paths) : undefined;
  }

  /** Files a chart or kustomization renders: not audited as plain manifests. */
  consumes(rel: string): boolean {
    const plan = this.plan;
    return !!plan && (plan.consumed.has(rel) || plan.chartDirs.some((d) => under(rel, d)));
  }

  /** True when a removed folder held a chart, a kustomization or a file one of them renders (a removed file: its own event tells). */
  heldUnder(dir: string): boolean {
    const plan = this.plan;
    if (!plan) return false;
    return (
      plan.charts.some((c) => under(c.dir, dir)) ||
      plan.kustomizations.some((k) => under(k.dir, dir)) ||
      [...plan.consumed].some((p) => p.startsWith(`${dir}/`))
    );
  }

  /** A chart or kustomization file itself: when one comes or goes, what renders changes (a rescan). */
  static isEntryFile(rel: string): boolean {
    const name = baseName(rel);
    return name === 'Chart.yaml' || name === 'Chart.yml' || KUSTOMIZATION_NAMES.has(name);
  }

  /**
   * Renders every chart and kustomization into the engine; false when a newer rendering superseded this one. A
   * full scan starts rendering before its engine is made (`engine` a promise of it): the tools run meanwhile.
   */
  async render(engine: Engine | PromiseLike<Engine>, config: Config, settings: Settings): Promise<boolean> {
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    if (!this.plan) {
      this.drop(await engine);
      return true;
    }
    const r = await renderPlan(this.folder.uri.fsPath, this.plan, config, {
      trusted: vscode.workspace.isTrusted,
      helm: settings.renderHelm || undefined,
      kubectl: settings.renderKubectl || undefined,
      signal: ac.signal,
      offThread: true,
    });
    if (ac.signal.aborted) return false;
    const target = await engine;
    if (ac.signal.aborted) return false;
    const now = new Set(r.sources.map((s) => s.path));
    for (const p of this.paths) if (!now.has(p)) target.remove(p);
    for (const s of r.sources) target.upsert(s);
    this.paths = now;
    this.problems = r.problems;
    this.ms = r.ms;
    return true;
  }

  private drop(engine: Engine): void {
    for (const p of this.paths) engine.remove(p);
    this.paths.clear();
    this.problems = [];
  }

  /** Renders again after a save of a file it reads, once saves have stopped for a moment. */
  schedule(run: () => Promise<void>, delay = 500): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void run();
    }, delay);
  }

  /** True when the plan has charts or kustomizations to render. */
  get pending(): boolean {
    return !!this.plan && (this.plan.charts.length > 0 || this.plan.kustomizations.length > 0);
  }

  get busy(): boolean {
    return !!this.timer;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
  }
}
