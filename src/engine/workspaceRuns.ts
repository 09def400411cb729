// Workspace checks' last outputs, each kept while no file kind or path the check read has a new version.
import type { WorkspaceCheckTemplate, CheckOutput } from './checks/template';
import { safeRun, stamp, type ItemOut } from './itemOutput';
import type { FileKind, Finding, Problem, RawFinding } from './model';
import type { ResolvedItem } from './resolve';
import { TrackingView, type VersionedFiles, type WorkspaceDeps } from './trackingView';

interface Run {
  /** What the check read, with the versions it saw. */
  deps: WorkspaceDeps;
  /** The check's own answer, and its stamped copy. */
  raw: CheckOutput | undefined;
  out: ItemOut;
  /** The stamped copy of each raw finding, for the next run. */
  copies: Map<RawFinding, Finding>;
}

export class WorkspaceRuns {
  private runs: (Run | undefined)[] = [];

  constructor(private readonly files: VersionedFiles) {}

  /** New checklists: no output is kept. */
  reset(): void {
    this.runs = [];
  }

  /**
   * An item's output: re-run only when a file kind or path it read has changed since its last run. Each
   * run gets its own view, which records what the check reads. (A memo shared between checks must so be
   * keyed by what it was built from, e.g. the `byKind` arrays, never by the view object.)
   */
  run(slot: number, ri: ResolvedItem, t: WorkspaceCheckTemplate<unknown>): ItemOut {
    const cached = this.runs[slot];
    if (cached && this.unchanged(cached.deps)) return cached.out;
    const view = new TrackingView(this.files);
    const problems: Problem[] = [];
    const out = safeRun(() => t.run(view, ri.params), '', ri.item.id, problems);
    // A check that answers with the very output it gave last time (its memos saw no change): keep the stamped result.
    if (cached && out !== undefined && out === cached.raw && !problems[0]) {
      cached.deps = view.deps;
      return cached.out;
    }
    // Raw findings a check memoises keep their stamped object, so files whose findings did not change keep their order.
    const copies = new Map<RawFinding, Finding>();
    const stamped = stamp(out, ri, problems[0], undefined, { before: cached?.copies, after: copies });
    this.runs[slot] = { deps: view.deps, raw: out, out: stamped, copies };
    return stamped;
  }

  private unchanged(deps: WorkspaceDeps): boolean {
    const files = this.files;
    if (deps.all !== undefined && deps.all !== files.version()) return false;
    for (const [k, v] of deps.kinds) if (files.kindVersion(k as FileKind) !== v) return false;
    for (const [p, v] of deps.paths) if (files.pathVersion(p) !== v) return false;
    return true;
  }
}
