import * as vscode from 'vscode';
import { VIEW_ID, type Ctx } from './context';
import { scoreExplanation, scoreLabel } from './score';
import { readingProgress, totals } from './treeRoots';

/** The readiness score in the status bar; a spinner while scanning; click focuses the readiness view. */
export function statusBarFeature(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('shipshape.score', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Shipshape readiness score';
  item.command = `${VIEW_ID}.focus`;
  ctx.subscriptions.push(item);
  ctx.statusBarItem = item;
  const update = (): void => {
    const t = totals(ctx);
    const reading = readingProgress(ctx);
    if (reading) {
      // results so far: the score of the files read, and how many are left
      const so = t.score === undefined ? 'Shipshape' : `${scoreLabel(t)} so far`;
      item.text = `$(sync~spin) ${so} · ${reading.done}/${reading.total} files`;
      item.tooltip = new vscode.MarkdownString(`Scanning: ${reading.done} of ${reading.total} files read.\n\n${scoreExplanation(t).split('\n').join('\n\n')}\n\nThe score is final when every file is read.`);
      item.backgroundColor = undefined;
      item.accessibilityInformation = { label: `Shipshape is scanning: ${so}, ${reading.done} of ${reading.total} files read` };
    } else if (ctx.scanning && !t.folders) {
      item.text = '$(sync~spin) Shipshape';
      item.tooltip = 'Shipshape is reading the workspace for its production-readiness audit…';
      item.backgroundColor = undefined;
      item.accessibilityInformation = { label: 'Shipshape is scanning' };
    } else if (!t.folders) {
      item.hide();
      return;
    } else {
      item.text = `${ctx.scanning ? '$(sync~spin)' : '$(checklist)'} ${t.score === undefined ? 'Shipshape' : scoreLabel(t)}`;
      const tooltip = new vscode.MarkdownString(`${scoreExplanation(t).split('\n').join('\n\n')}\n\nClick to open the Readiness view.`);
      item.tooltip = tooltip;
      if (t.unaudited) item.text += ` $(question) ${t.unaudited}`;
      item.backgroundColor = t.failed || t.unaudited ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      item.accessibilityInformation = { label: `Shipshape readiness: ${scoreLabel(t)}, ${t.failed} failing`, role: 'button' };
    }
    item.show();
  };
  ctx.on(ctx.onDidAudit, 'Updating the status bar', update);
  ctx.on(ctx.onDidChangeScanning, 'Updating the status bar', update);
  ctx.on(ctx.onDidRead, 'Updating the status bar', update);
  update();
}
