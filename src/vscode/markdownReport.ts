import * as vscode from 'vscode';
import { reportFromAudit, reportFromMarkdown, type ReadinessReport } from '../engine/markdown/readiness';
import { toHtmlReport } from '../engine/report/html';
import { toMarkdownReport } from '../engine/report/markdown';
import type { Ctx, TreeNode } from './context';
import type { MarkdownLinks } from './markdown';
import type { FolderAuditor } from './scan';

/**
 * "Export readiness report": the same filled-in checklist as `shipshape report`, from the built-in
 * checklists or from one of the folder's Markdown checklists, saved where the user chooses.
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
    audited.map((a) => ({ label: a.name, description: `score ${a.result!.summary.score}%`, a })),
    { title: 'Export readiness report', placeHolder: 'Which folder?' },
  );
  return pick?.a;
}

/** Arguments for running the command without questions (tasks, other extensions, tests). */
export interface ExportOptions {
  /** Workspace folder name (default: the target's folder, else ask). */
  folder?: string;
  /** `builtin`, or the path of a Markdown checklist in the folder (default: ask when there is one). */
  source?: string;
  format?: 'markdown' | 'html';
  /** Where to write (a uri string); default: ask. */
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
    const checklists = links.of(a);
    const fromTree = target?.contextValue === 'markdownChecklist' ? checklists.find((c) => target.id.endsWith(`/md:${c.file}`)) : undefined;
    let source = fromTree ?? (options.source && options.source !== 'builtin' ? checklists.find((c) => c.file === options.source) : undefined);
    if (options.source && options.source !== 'builtin' && !source) throw new Error(`${options.source} is not a Markdown checklist of ${a.name}`);
    if (!source && !options.source && checklists.length) {
      const pick = await vscode.window.showQuickPick(
        [{ label: 'Built-in checklists', description: `${a.result.items.length} items`, file: undefined as string | undefined }, ...checklists.map((c) => ({ label: c.title ?? c.file, description: `${c.file} · ${c.items.length} items`, file: c.file as string | undefined }))],
        { title: 'Export readiness report', placeHolder: 'Fill in which checklist?' },
      );
      if (!pick) return;
      source = checklists.find((c) => c.file === pick.file);
    }
    const formats = [
      { label: 'Markdown', ext: 'md', id: 'markdown' },
      { label: 'HTML', ext: 'html', id: 'html' },
    ];
    const format = formats.find((f) => f.id === options.format) ?? (await vscode.window.showQuickPick(formats, { title: 'Export readiness report', placeHolder: 'Format' }));
    if (!format) return;
    const meta = { generatedAt: now(), tool: `Shipshape ${ctx.extension.extension.packageJSON.version as string}` };
    const report: ReadinessReport = source
      ? reportFromMarkdown(source, meta)
      : reportFromAudit(a.result, { ...meta, title: `Production readiness: ${a.name}`, checklistTitles: new Map((a.engine.resolvedItems ?? []).map((ri) => [ri.checklist.id, ri.checklist.title])) });
    const text = format.ext === 'html' ? toHtmlReport(report) : toMarkdownReport(report);
    const uri = options.output ? vscode.Uri.parse(options.output) : await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(a.folder.uri, `readiness-report.${format.ext}`),
      filters: format.ext === 'html' ? { HTML: ['html'] } : { Markdown: ['md'] },
      title: 'Export readiness report',
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    ctx.log.info(`${a.name}: readiness report written to ${uri.toString(true)}`);
    if (options.output) return;
    if (format.ext === 'md') await vscode.window.showTextDocument(uri, { preview: false });
    else {
      const open = await vscode.window.showInformationMessage(`Readiness report saved to ${vscode.workspace.asRelativePath(uri)}.`, 'Open in browser');
      if (open) await vscode.env.openExternal(uri);
    }
  });
}
