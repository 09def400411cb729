import * as vscode from 'vscode';
import { VIEW_ID, type Ctx } from './context';
import { totals } from './tree';

/** The readiness score in the status bar; a spinner while scanning; click focuses the readiness view. */
export function statusBarFeature(ctx: Ctx): void {
  const item = vscode.window.createStatusBarItem('shipshape.score', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Shipshape readiness score';
  item.command = `${VIEW_ID}.focus`;
  ctx.subscriptions.push(item);
  ctx.statusBarItem = item;
  const update = (): void => {
    const t = totals(ctx);
    if (ctx.scanning && t.score === undefined) {
      item.text = '$(sync~spin) Shipshape';
      item.tooltip = 'Scanning for production readiness…';
      item.backgroundColor = undefined;
      item.accessibilityInformation = { label: 'Shipshape is scanning' };
    } else if (t.score === undefined) {
      item.hide();
      return;
    } else {
      item.text = `$(checklist) ${t.score}%`;
      item.tooltip = `Readiness score ${t.score}% · ${t.failing} failing item${t.failing === 1 ? '' : 's'} · ${t.findings} finding${t.findings === 1 ? '' : 's'}${t.unaudited ? ` · ${t.unaudited} not audited` : ''}`;
      if (t.unaudited) item.text += ` $(question) ${t.unaudited}`;
      item.backgroundColor = t.failing || t.unaudited ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      item.accessibilityInformation = { label: `Shipshape readiness score ${t.score}%, ${t.failing} failing`, role: 'button' };
    }
    item.show();
  };
  ctx.on(ctx.onDidAudit, 'Updating the status bar', update);
  ctx.on(ctx.onDidChangeScanning, 'Updating the status bar', update);
  update();
}
