import * as vscode from 'vscode';
import { reportFromAudit, reportFromMarkdown, type ReadinessReport } from '../engine/markdown/readiness';
import { toHtmlReport } from '../engine/report/html';
import { toMarkdownReport } from '../engine/report/markdown';
import type { Ctx, TreeNode } from './context';
import type { MarkdownLinks } from './markdown';
import type { FolderAuditor } from './scan';
import { scoreLabel, totalsOf } from './score';

/**
 * "Export Readiness Report": the same filled-in checklist as `shipshape report`, from the built-in
 * checklists (or, from a Markdown checklist's node in the view, that checklist), opened in an untitled
 * editor; the user saves it where they like. It ends with a marker, so a saved report is never read back as a checklist.
 */

function now(): string {
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

async function pickFolder(ctx: Ctx, target: TreeNode | undefined): Promise<FolderAuditor | undefined> {
  if (target?.folder) return ctx.auditors.get(target.folder.uri.toString());
  const active = vscode.window.activeTextEditor && ctx.auditorFor(vscode.window.activeTextEditor.document.uri);
  const audited = ctx.folders.filter((a) => a.result);
  if (audited.length <= 1) return audited[0] ?? active;
  const pick = await vscode.window.showQuickPick(
    audited.map((a) => ({ label: a.name, description: scoreLabel(totalsOf([a.result])), a })),
    { title: 'Export Readiness Report', placeHolder: 'Which folder?' },
  );
  return pick?.a;
}

/** Arguments for running the command without questions (tasks, other extensions, tests). */
export interface ExportOptions {
  /** Workspace folder name (default: the target's folder, else ask). */
  folder?: string;
  /** `builtin` (the default), or the path of a Markdown checklist in the folder. */
  source?: string;
  format?: 'markdown' | 'html';
  /** Where to write (a uri string); default: an untitled editor. */
  output?: string;
}

export function registerExportReport(ctx: Ctx, links: MarkdownLinks): void {
  ctx.command('shipshape.exportReport', async (target?: TreeNode, options: ExportOptions = {}) => {
    const named = options.folder ? ctx.folders.find((f) => f.name === options.folder) : undefined;
    const a = named ?? (await pickFolder(ctx, target));
    if (!a) return;
    if (!a.result || !a.engine) {
      void vscode.window.showWarningMessage(`Shipshape has not audited ${a.name} yet; try again when the scan has finished.`);
      return;
    }
    // No questions: the built-in checklists, or the Markdown checklist whose node the command was run on.
    const checklists = links.of(a);
    const fromTree = target?.contextValue === 'markdownChecklist' ? checklists.find((c) => target.id.endsWith(`/md:${c.file}`)) : undefined;
    const source = fromTree ?? (options.source && options.source !== 'builtin' ? checklists.find((c) => c.file === options.source) : undefined);
    if (options.source && options.source !== 'builtin' && !source) throw new Error(`${options.source} is not a Markdown checklist of ${a.name}`);
    const html = options.format === 'html';
    const meta = { generatedAt: now(), tool: `Shipshape ${ctx.extension.extension.packageJSON.version as string}` };
    const report: ReadinessReport = source
      ? reportFromMarkdown(source, meta)
      : reportFromAudit(a.result, { ...meta, title: `Production readiness: ${a.name}`, checklistTitles: new Map((a.engine.resolvedItems ?? []).map((ri) => [ri.checklist.id, ri.checklist.title])) });
    const text = html ? toHtmlReport(report) : toMarkdownReport(report);
    if (options.output) {
      const uri = vscode.Uri.parse(options.output);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      ctx.log.info(`${a.name}: readiness report written to ${uri.toString(true)}`);
      return;
    }
    // An untitled editor: nothing is written into the repository unless the user saves it somewhere.
    const doc = await vscode.workspace.openTextDocument({ language: html ? 'html' : 'markdown', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
    ctx.log.info(`${a.name}: readiness report opened in an untitled editor`);
  });
}
