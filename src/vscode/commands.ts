import * as vscode from 'vscode';
import type { Ctx, TreeNode } from './context';
import { docsUri } from './convert';
import { setAttestation } from './attest';
import type { FolderAuditor } from './scan';

/** A command's target: a tree node, a rule id, or a diagnostic-like object with a `code`. */
type Target = TreeNode | string | { code?: string | number | { value: string | number } } | undefined;

function ruleIdOf(target: Target): string | undefined {
  if (!target) return undefined;
  if (typeof target === 'string') return target;
  if ('ruleId' in target && target.ruleId) return target.ruleId;
  if ('code' in target && target.code !== undefined) return String(typeof target.code === 'object' ? target.code.value : target.code);
  return undefined;
}

function auditorOf(ctx: Ctx, target: Target): FolderAuditor | undefined {
  if (target && typeof target === 'object' && 'folder' in target && target.folder) return ctx.auditors.get(target.folder.uri.toString());
  const editor = vscode.window.activeTextEditor;
  return (editor && ctx.auditorFor(editor.document.uri)) ?? ctx.folders[0];
}

export function commandsFeature(ctx: Ctx): void {
  ctx.command('shipshape.rescan', () => ctx.scan());
  ctx.command('shipshape.cancelScan', () => ctx.cancelScan());
  ctx.command('shipshape.groupByFile', () => ctx.setView({ groupBy: 'file' }));
  ctx.command('shipshape.groupByChecklist', () => ctx.setView({ groupBy: 'checklist' }));
  ctx.command('shipshape.showFailingOnly', () => ctx.setView({ failingOnly: true }));
  ctx.command('shipshape.showAll', () => ctx.setView({ failingOnly: false }));
  ctx.command('shipshape.showLog', () => ctx.log.channel.show(true));

  ctx.command('shipshape.openDocs', async (target: Target | string[]) => {
    // several rules (the light bulb's one docs entry for a line): pick one
    const ruleId = Array.isArray(target) ? await vscode.window.showQuickPick(target, { title: 'Show Shipshape rule docs', placeHolder: 'Rule' }) : (ruleIdOf(target) ?? (await vscode.window.showInputBox({ prompt: 'Rule id' })));
    if (!ruleId) return;
    const item = ctx.folders.map((a) => a.result?.items.find((i) => i.id === ruleId)).find(Boolean);
    const uri = docsUri(ruleId, item?.docs?.url);
    if (uri.scheme === 'http' || uri.scheme === 'https') {
      await vscode.env.openExternal(uri);
      return;
    }
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
  });

  ctx.command('shipshape.copyRuleId', async (target: Target) => {
    const ruleId = ruleIdOf(target);
    if (!ruleId) return;
    await vscode.env.clipboard.writeText(ruleId);
    vscode.window.setStatusBarMessage(`Copied ${ruleId}`, 2000);
  });

  /** Signs off a manual item (or withdraws the sign-off). Arguments: a tree node or an item id, then the state (default: toggle). */
  ctx.command('shipshape.signOff', async (target: Target, checked?: boolean) => {
    const a = auditorOf(ctx, target);
    const ruleId = ruleIdOf(target);
    if (!a || !ruleId) return;
    const item = a.result?.items.find((i) => i.id === ruleId);
    if (!item || item.mode === 'auto') throw new Error(`${ruleId} is not a manual item`);
    await setAttestation(a, ruleId, checked ?? !item.attestation);
  });
}
