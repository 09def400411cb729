// The readiness view's built-in roots: each folder's checklists (or files) as rows, and the totals they add up to.
import * as vscode from 'vscode';
import type { Finding, ItemResult } from '../engine/model';
import type { Ctx, TreeNode, TreeRootProvider, ViewState } from './context';
import type { FolderAuditor } from './scan';
import { checklistLabel } from './labels';
import { scoreLabel, totalsOf, type Totals } from './score';
import { countsText, failWeight, findingIds, findingNode, isRepositoryLevel, manualNode, sectionNode } from './treeNodes';

/**
 * One root per checklist, the ones with failing checks first (errors before warnings); inside, the sections
 * with checks, then the manual items in one node. Checks that do not apply are left out (the checklist's
 * tooltip counts them), and so is a checklist with nothing else.
 */
function byChecklist(a: FolderAuditor, prefix: string, view: ViewState): TreeNode[] {
  const result = a.result;
  if (!result) return [];
  const checklists = new Map<string, ItemResult[]>();
  for (const item of result.items) {
    let items = checklists.get(item.checklist);
    if (!items) checklists.set(item.checklist, (items = []));
    items.push(item);
  }
  const roots: { node: TreeNode; weight: number; order: number }[] = [];
  for (const [checklistId, all] of checklists) {
    const id = `${prefix}/c:${checklistId}`;
    const checks = all.filter((i) => i.mode === 'auto' && (view.failingOnly ? i.status === 'fail' || i.status === 'unaudited' : i.status !== 'not-applicable'));
    const manual = view.failingOnly ? [] : all.filter((i) => i.mode !== 'auto');
    if (!checks.length && !manual.length) continue;
    const sections = new Map<string, ItemResult[]>();
    for (const item of checks) {
      let items = sections.get(item.section);
      if (!items) sections.set(item.section, (items = []));
      items.push(item);
    }
    const failing = checks.filter((i) => i.status === 'fail').length;
    const notApplicable = all.filter((i) => i.status === 'not-applicable').length;
    const title = a.checklistTitle(checklistId) ?? checklistId;
    const children = [...sections].map(([section, items]) => sectionNode(a, id, section, items));
    if (manual.length) children.push(manualNode(a, id, manual));
    roots.push({
      weight: failWeight(checks),
      order: roots.length,
      node: {
        id,
        // (cut to what reads whole at the side bar's default width; the tooltip has the full title)
        label: checklistLabel(title),
        description: countsText(all),
        tooltip: `${title}: ${countsText(all)}${notApplicable ? ` · ${notApplicable} not applicable to these files (hidden)` : ''}`,
        icon: new vscode.ThemeIcon('checklist', failing ? new vscode.ThemeColor('testing.iconFailed') : undefined),
        contextValue: 'checklist',
        collapsible: failing && !a.partial ? 'expanded' : 'collapsed',
        folder: a.folder,
        children: () => children,
      },
    });
  }
  return roots.sort((x, y) => y.weight - x.weight || x.order - y.order).map((r) => r.node);
}

function byFile(a: FolderAuditor, prefix: string): TreeNode[] {
  const result = a.result;
  if (!result) return [];
  const files = new Map<string, Finding[]>();
  for (const f of result.findings) {
    if (isRepositoryLevel(f)) continue;
    let list = files.get(f.file);
    if (!list) files.set(f.file, (list = []));
    list.push(f);
  }
  // the repository's own findings first, in a node of their own (they have no file)
  const repo = result.findings.filter(isRepositoryLevel);
  const entries: [string | undefined, Finding[]][] = [...(repo.length ? [[undefined, repo] as [undefined, Finding[]]] : []), ...files];
  return entries.map(([file, findings]) => {
    const id = file === undefined ? `${prefix}/repository` : `${prefix}/file:${file}`;
    const uri = file === undefined ? undefined : a.resolve(file);
    return {
      id,
      label: file ?? 'Repository',
      description: `${findings.length} finding${findings.length === 1 ? '' : 's'}`,
      tooltip: file === undefined ? 'Findings about the repository as a whole (a CI workflow, a compose file, a setting declared nowhere): they belong to no file.' : undefined,
      resourceUri: uri,
      icon: file === undefined ? new vscode.ThemeIcon('repo') : vscode.ThemeIcon.File,
      contextValue: 'file',
      collapsible: a.partial ? 'collapsed' : 'expanded',
      folder: a.folder,
      children: () => {
        const ids = findingIds(id, findings);
        return findings.map((f, i) => findingNode(a, ids[i], f, true));
      },
    } satisfies TreeNode;
  });
}

/** The built-in roots: checklists (or files) of every workspace folder; one level per folder when multi-root. */
export function checklistRoots(ctx: Ctx): TreeRootProvider {
  return {
    id: 'checklists',
    order: 0,
    roots(view) {
      // A folder where nothing applies shows no rows: the view's welcome text says so. A folder whose first
      // scan is still reading files shows the results of the files read so far (refreshed at most once a second).
      const auditors = ctx.folders.filter((a) => a.result && totalsOf([a.result]).score !== undefined);
      // Rows of results so far are closed (VS Code shows a tree once it has fetched every open row, which takes
      // a round trip per row: the checklists with their counts show at once) and have ids of their own, so the
      // complete result's rows open as they should (VS Code keeps a row's expansion by id).
      const build = (a: FolderAuditor, folderId: string): TreeNode[] => {
        const prefix = a.partial ? `${folderId}#scanning` : folderId;
        return view.groupBy === 'file' ? byFile(a, prefix) : byChecklist(a, prefix, view);
      };
      // Multi-root workspaces get one node per audited folder, single folders show their checklists at the top.
      if (ctx.folders.length <= 1) return auditors.flatMap((a) => build(a, a.folder.uri.toString()));
      return auditors.map((a) => ({
        id: a.folder.uri.toString(),
        label: a.name,
        description: a.partial ? `scanning… ${a.reading.done}/${a.reading.total} files` : scoreLabel(totalsOf([a.result])),
        icon: new vscode.ThemeIcon('root-folder'),
        contextValue: 'folder',
        collapsible: 'expanded',
        folder: a.folder,
        children: () => build(a, a.folder.uri.toString()),
      }));
    },
  };
}

/** The combined score and counts over every folder (see score.ts); while a first scan reads files, of the files read so far. */
export function totals(ctx: Ctx): Totals {
  return totalsOf(ctx.folders.map((a) => a.result));
}

/** Files read so far, of how many, by the first scans still running; undefined when no folder's result is partial. */
export function readingProgress(ctx: Ctx): { done: number; total: number } | undefined {
  const partial = ctx.folders.filter((a) => a.partial && a.result);
  if (!partial.length) return undefined;
  return partial.reduce((p, a) => ({ done: p.done + a.reading.done, total: p.total + a.reading.total }), { done: 0, total: 0 });
}
