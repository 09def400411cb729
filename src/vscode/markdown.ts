import * as vscode from 'vscode';
import { setCheckedEdit } from '../engine/markdown/edits';
import { linkMarkdownFiles, type LinkedChecklist, type LinkedItem, type MarkdownDiagnostic } from '../engine/markdown/link';
import { unverifiedReason, VERDICT_TEXT } from '../engine/markdown/verdict';
import { isRepositoryFinding, type ItemStatus } from '../engine/model';
import type { Ctx, TreeNode, TreeRootProvider } from './context';
import { docsUri, SOURCE, toLocation, toRange } from './convert';
import { registerExportReport } from './markdownReport';
import type { FolderAuditor } from './scan';
import { revealCommand, statusIcon } from './treeNodes';
import { withTimeout } from './withTimeout';

/**
 * The repository's own Markdown checklists in the editor: diagnostics on their lines (a ticked item whose
 * checks fail, an unticked one whose checks pass), quick fixes that tick or untick, one tree root per
 * checklist, and the "Export readiness report" command. Linking, statuses and edits come from the engine
 * (engine/markdown); this module only converts them.
 */

/** Linked Markdown checklists per folder, recomputed when the folder's audit result changes. */
export class MarkdownLinks {
  private readonly cache = new Map<string, { result: unknown; linked: LinkedChecklist[] }>();

  /** The checklists linked to the folder's latest result: linked now when they are not yet. */
  of(a: FolderAuditor): LinkedChecklist[] {
    const key = a.folder.uri.toString();
    const engine = a.engine;
    if (!engine || !a.result) {
      this.cache.delete(key);
      return [];
    }
    const hit = this.cache.get(key);
    if (hit && hit.result === a.result) return hit.linked;
    const files = engine.paths.filter((p) => engine.file(p)?.kind === 'markdown').map((p) => engine.file(p)!);
    const linked = linkMarkdownFiles(files, a.result, engine.resolvedItems, a.setup?.config.markdown ?? []);
    this.cache.set(key, { result: a.result, linked });
    return linked;
  }

  /** The checklists as last linked for the folder (none before its first linking); never links. */
  shown(a: FolderAuditor): LinkedChecklist[] {
    return a.engine && a.result ? (this.cache.get(a.folder.uri.toString())?.linked ?? []) : [];
  }

  /** True when the folder's checklists were linked at least once (its link index is built). */
  linkedOnce(a: FolderAuditor): boolean {
    return this.cache.has(a.folder.uri.toString());
  }
}

/**
 * How long a folder's first linking waits for the view to take the rows of its first complete result: building the
 * link index takes a few hundred milliseconds, and the checklists' rows and the score should not wait behind it.
 */
const ROWS_WAIT_MS = 1500;

const SEVERITY: Record<MarkdownDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function toDiagnostic(a: FolderAuditor, d: MarkdownDiagnostic, item: LinkedItem | undefined): vscode.Diagnostic {
  const diag = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
  diag.source = SOURCE;
  const rule = item?.links.find((l) => (d.tick === false ? l.status === 'fail' : l.status === 'pass'))?.id;
  diag.code = rule ? { value: d.code, target: docsUri(rule) } : d.code;
  const related = d.related.map((r) => {
    const loc = toLocation(a.resolve, r.file, r.range);
    return loc && new vscode.DiagnosticRelatedInformation(loc, r.message);
  });
  const present = related.filter((r): r is vscode.DiagnosticRelatedInformation => !!r);
  if (present.length) diag.relatedInformation = present;
  return diag;
}

const codeOf = (d: vscode.Diagnostic): string | undefined => (typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code));

/** Quick fixes on Markdown checklist diagnostics: tick an item whose checks pass, untick one whose checks fail. */
class TickActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const code = codeOf(d);
      const tick = code === 'markdown.unticked-passing' ? true : code === 'markdown.ticked-failing' ? false : undefined;
      if (tick === undefined) continue;
      // The edit is computed from the text as it is now, not from the text the audit saw.
      const edit = setCheckedEdit(document.getText(), d.range.start.line, tick);
      if (!edit) continue;
      const action = new vscode.CodeAction(tick ? 'Tick this item: its checks pass' : 'Untick this item: its checks fail', vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = tick;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, toRange(edit.range), edit.newText);
      out.push(action);
    }
    return out;
  }
}

/** Ticks or unticks the item on a line of a Markdown file (from the tree's checkbox); saves a file that was clean. */
async function setTick(uri: vscode.Uri, line: number, checked: boolean): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = setCheckedEdit(doc.getText(), line, checked);
  if (!edit) return;
  const wasDirty = doc.isDirty;
  const we = new vscode.WorkspaceEdit();
  we.replace(uri, toRange(edit.range), edit.newText);
  if ((await vscode.workspace.applyEdit(we)) && !wasDirty) await doc.save();
}

const STATUS_TEXT: Record<ItemStatus, string> = { pass: 'passing', fail: 'failing', unaudited: 'unaudited', manual: 'manual', 'not-applicable': 'not applicable' };

function counts(items: readonly LinkedItem[]): string {
  const n = (s: ItemStatus) => items.filter((i) => i.status === s).length;
  const unverified = items.filter((i) => i.verdict === 'ticked-unverified').length;
  return [`${n('fail')} failing`, `${n('pass')} passing`, `${n('manual')} manual`, ...(unverified ? [`${unverified} ticked, not verified`] : [])].join(' · ');
}

/** The line's verdict in words (the same words the reports use), and why nothing verified it. */
function itemDescription(item: LinkedItem): string {
  const why = unverifiedReason(item);
  return why && item.verdict !== 'signed-off' ? `${VERDICT_TEXT[item.verdict]}: ${why}` : VERDICT_TEXT[item.verdict];
}

function itemTooltip(item: LinkedItem): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendText(item.plain);
  const tick = item.task ? (item.checked ? 'Ticked · ' : 'Not ticked · ') : '';
  md.appendMarkdown(`\n\n${tick}${STATUS_TEXT[item.status]} · ${VERDICT_TEXT[item.verdict]}\n\n`);
  for (const l of item.links) md.appendMarkdown(`- \`${l.id}\` ${l.status ? `(${STATUS_TEXT[l.status]})` : ''}: `).appendText(`${l.reason}\n`);
  if (!item.links.length) md.appendMarkdown('No rule links to this line. Pin rules with `<!-- shipshape: rule-id -->`.');
  return md;
}

function itemNode(a: FolderAuditor, uri: vscode.Uri | undefined, prefix: string, item: LinkedItem): TreeNode {
  const id = `${prefix}/l${item.line}`;
  const results = new Map((a.result?.items ?? []).map((r) => [r.id, r]));
  const links: TreeNode[] = item.links.map((l) => {
    const r = results.get(l.id);
    const findings = l.status === 'fail' ? (r?.findings ?? []) : [];
    return {
      id: `${id}/r:${l.id}`,
      label: r?.title ?? l.id,
      description: `${l.id} · ${l.reason}`,
      icon: statusIcon(l.status ?? 'manual', r?.severity, !!r?.attestation),
      contextValue: `markdownLink rule status-${l.status ?? 'unknown'}`,
      collapsible: findings.length ? 'collapsed' : undefined,
      folder: a.folder,
      ruleId: l.id,
      item: r,
      children: findings.length
        ? () =>
            findings.map((f, i) => {
              const target = isRepositoryFinding(f) ? undefined : a.resolve(f.file);
              return {
                id: `${id}/r:${l.id}/f${i}`,
                label: f.message,
                description: isRepositoryFinding(f) ? 'repository' : `${f.file}:${f.range.start.line + 1}`,
                icon: statusIcon('fail', f.severity),
                contextValue: `finding rule${f.fixable ? ' fixable' : ''}`,
                command: target ? revealCommand(target, f.range) : undefined,
                folder: a.folder,
                ruleId: f.ruleId,
                finding: f,
              } satisfies TreeNode;
            })
        : undefined,
    } satisfies TreeNode;
  });
  return {
    id,
    label: item.plain || '(empty item)',
    description: itemDescription(item),
    tooltip: itemTooltip(item),
    // A hand tick is not a pass: only a sign-off gets the verified icon; a tick no check verified gets its own.
    icon: item.verdict === 'ticked-unverified' ? new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('editorWarning.foreground')) : statusIcon(item.status, item.status === 'fail' ? 'error' : undefined, item.verdict === 'signed-off'),
    contextValue: `markdownItem status-${item.status} verdict-${item.verdict}${item.checked ? ' ticked' : ''}`,
    collapsible: links.length ? (item.status === 'fail' ? 'expanded' : 'collapsed') : undefined,
    children: links.length ? () => links : undefined,
    // a plain list line has no checkbox to tick
    checked: item.task ? item.checked : undefined,
    onCheck: uri && item.task ? (checked) => setTick(uri, item.line, checked) : undefined,
    command: uri ? revealCommand(uri, item.range) : undefined,
    folder: a.folder,
  };
}

/** One root per Markdown checklist: its sections (heading paths) and items, each with its links and status. */
function markdownRoots(ctx: Ctx, links: MarkdownLinks): TreeRootProvider {
  return {
    id: 'markdown',
    order: 10,
    roots(view) {
      const multi = ctx.folders.length > 1;
      return ctx.folders.flatMap((a) =>
        links.shown(a).map((checklist): TreeNode => {
          const uri = a.resolve(checklist.file);
          const id = `${a.folder.uri.toString()}/md:${checklist.file}`;
          const shown = view.failingOnly ? checklist.items.filter((i) => i.status === 'fail') : checklist.items;
          const sections: { label: string; items: LinkedItem[] }[] = [];
          for (const item of shown) {
            const path = item.headingPath[0] === checklist.title ? item.headingPath.slice(1) : item.headingPath;
            const label = path.join(' › ');
            const last = sections.at(-1);
            if (last && last.label === label) last.items.push(item);
            else sections.push({ label, items: [item] });
          }
          return {
            id,
            label: checklist.title ?? checklist.file,
            description: `${multi ? `${a.name} · ` : ''}${checklist.file} · ${counts(checklist.items)}`,
            tooltip: `${checklist.file}: ${checklist.summary.items} items, ${checklist.summary.automated} linked to automated checks`,
            icon: new vscode.ThemeIcon('markdown', checklist.summary.fail ? new vscode.ThemeColor('testing.iconFailed') : undefined),
            contextValue: 'markdownChecklist',
            collapsible: 'expanded',
            resourceUri: uri,
            folder: a.folder,
            children: () =>
              sections.flatMap((s, si) =>
                s.label === ''
                  ? s.items.map((item) => itemNode(a, uri, `${id}/s${si}`, item))
                  : [
                      {
                        id: `${id}/s${si}:${s.label}`,
                        label: s.label,
                        description: counts(s.items),
                        icon: new vscode.ThemeIcon('list-unordered'),
                        contextValue: 'markdownSection',
                        collapsible: s.items.some((i) => i.status === 'fail') ? 'expanded' : 'collapsed',
                        folder: a.folder,
                        children: () => s.items.map((item) => itemNode(a, uri, `${id}/s${si}`, item)),
                      } satisfies TreeNode,
                    ],
              ),
          };
        }),
      );
    },
  };
}

export function markdownFeature(ctx: Ctx): MarkdownLinks {
  const links = new MarkdownLinks();
  const collection = vscode.languages.createDiagnosticCollection('shipshape-markdown');
  ctx.subscriptions.push(collection);
  const owned = new Map<string, string[]>();
  const publish = (a: FolderAuditor): void => {
    const key = a.folder.uri.toString();
    for (const k of owned.get(key) ?? []) collection.delete(vscode.Uri.parse(k));
    const next: string[] = [];
    if (ctx.auditors.get(key) === a) {
      for (const checklist of links.of(a)) {
        const uri = a.resolve(checklist.file);
        if (!uri) continue;
        // Parse problems of the file (an empty pin) are already shown by the main diagnostics feature.
        collection.set(uri, checklist.diagnostics.map((d) => toDiagnostic(a, d, checklist.items[d.item])));
        next.push(uri.toString());
      }
    }
    owned.set(key, next);
  };
  // Folders whose first linking waits for the view's rows (it links the auditor's latest result when it runs).
  const waiting = new Set<string>();
  let disposed = false;
  ctx.subscriptions.push({ dispose: () => void (disposed = true) });
  ctx.on(ctx.onDidAudit, 'Linking Markdown checklists', (a) => {
    // results so far of a first scan: the checklists' statuses would change with every batch, so they wait for all of it
    if (a.partial) return;
    const key = a.folder.uri.toString();
    if (waiting.has(key)) return;
    if (links.linkedOnce(a) || !a.result) return publish(a);
    // The first linking builds the link index: it runs once the view has taken the rows of this result, which show
    // without the checklists meanwhile; the view is rebuilt with them after.
    waiting.add(key);
    const since = performance.now();
    const linkLater = async (): Promise<void> => {
      await withTimeout(ctx.rowsTaken(), ROWS_WAIT_MS);
      waiting.delete(key);
      // the folder's auditor now (a rescan may have replaced it): results so far wait for its complete result
      const now = ctx.auditors.get(key);
      if (disposed || !now || now.partial || !now.result) return;
      const t0 = performance.now();
      await ctx.log.guard('Linking Markdown checklists', () => publish(now));
      const ms = performance.now() - t0;
      ctx.spent.set('Linking Markdown checklists', (ctx.spent.get('Linking Markdown checklists') ?? 0) + ms);
      ctx.log.info(`${now.name}: Markdown checklists linked in ${Math.round(ms)} ms, ${Math.round(t0 - since)} ms after the complete result`);
      if (links.shown(now).length) ctx.refreshView();
    };
    ctx.trail(linkLater());
  });
  ctx.subscriptions.push(vscode.languages.registerCodeActionsProvider({ language: 'markdown' }, new TickActions(), { providedCodeActionKinds: TickActions.kinds }));
  ctx.subscriptions.push(ctx.addTreeRoots(markdownRoots(ctx, links)));
  registerExportReport(ctx, links);
  return links;
}
