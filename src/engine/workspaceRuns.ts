// A workspace check's run: its output, kept as the very object it was while the check answers with the same one.
import type { WorkspaceCheckTemplate, CheckOutput } from './checks/template';
import { safeRun, stamp, type ItemOut } from './itemOutput';
import type { Finding, Problem, RawFinding } from './model';
import type { ResolvedItem } from './resolve';
import type { WorkspaceView } from './workspace';

export interface WorkspaceRun {
  /** The check's own answer, and its stamped copy. */
  raw: CheckOutput | undefined;
  out: ItemOut;
  /** The stamped copy of each raw finding, for the next run. */
  copies: Map<RawFinding, Finding>;
}

/**
 * Runs a workspace check. The engine runs it inside a memo, which records what the check reads through the
 * view and runs it again only when one of those files or kinds changed. (A memo shared between checks must
 * so be keyed by what it was built from, e.g. the `byKind` arrays, never by the view object.)
 */
export function runWorkspace(view: WorkspaceView, ri: ResolvedItem, t: WorkspaceCheckTemplate<unknown>, last: WorkspaceRun | undefined): WorkspaceRun {
  const problems: Problem[] = [];
  const raw = safeRun(() => t.run(view, ri.params), '', ri.item.id, problems);
  // A check that answers with the very output it gave last time (its memos saw no change): the last run stands.
  if (last && raw !== undefined && raw === last.raw && !problems[0]) return last;
  // Raw findings a check memoises keep their stamped object, so files whose findings did not change keep their order.
  const copies = new Map<RawFinding, Finding>();
  const out = stamp(raw, ri, problems[0], undefined, { before: last?.copies, after: copies });
  return { raw, out, copies };
}
