import * as vscode from 'vscode';
import type { AuditResult } from '../engine/model';
import { codeActionsFeature } from './codeActions';
import { commandsFeature } from './commands';
import { Ctx, type TreeNode } from './context';
import { diagnosticsFeature } from './diagnostics';
import { docsFeature } from './docs';
import { markdownFeature } from './markdown';
import { statusBarFeature } from './statusBar';
import { treeFeature } from './tree';
import { watchFeature } from './watch';

/** A feature module: registers its providers, commands and listeners on the context (which owns them). */
export type Feature = (ctx: Ctx) => unknown;

/**
 * Every feature of the extension, in registration order. To add one (quick fixes, Markdown checklists…),
 * import it above and add one line here. A feature that throws is logged; the others still start.
 */
const FEATURES: readonly [string, Feature][] = [
  ['diagnostics', diagnosticsFeature],
  ['docs', docsFeature],
  ['tree', treeFeature],
  ['markdown', markdownFeature],
  ['statusBar', statusBarFeature],
  ['commands', commandsFeature],
  ['codeActions', codeActionsFeature],
  ['watch', watchFeature],
];

/** What the extension exports (used by the integration tests and by other extensions). */
export interface ShipshapeApi {
  /** Resolves when no scan or queued change is outstanding. */
  whenIdle(): Promise<void>;
  /** The latest result per workspace folder (keyed by folder uri). */
  results(): Map<string, AuditResult>;
  /** The readiness tree as the view shows it: roots, and the children of a node. */
  tree: { roots(): TreeNode[]; children(node: TreeNode): TreeNode[] };
  onDidAudit: vscode.Event<{ folder: vscode.WorkspaceFolder; result: AuditResult | undefined }>;
  /** Test support: what the extension wrote to its output channel (latest lines, every level) and shows in the status bar. */
  inspect(): { log: string[]; statusBar: { text: string; tooltip: string } | undefined; timings: { activated: number; progress?: number; partial?: number; complete?: number } };
}

/**
 * Activation registers features and returns at once: no file is read before it returns. The first scan
 * starts in the background, with progress in the readiness view.
 */
export function activate(context: vscode.ExtensionContext): ShipshapeApi {
  const ctx = new Ctx(context);
  context.subscriptions.push(ctx);
  ctx.syncFolders();
  let tree: { getChildren(node?: TreeNode): TreeNode[] } | undefined;
  for (const [name, feature] of FEATURES) {
    try {
      const r = feature(ctx);
      if (name === 'tree') tree = r as typeof tree;
    } catch (e) {
      ctx.log.error(`Feature ${name} failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  void vscode.commands.executeCommand('setContext', 'shipshape.groupBy', ctx.view.groupBy);
  void vscode.commands.executeCommand('setContext', 'shipshape.failingOnly', ctx.view.failingOnly);
  ctx.log.info(`Shipshape ${context.extension.packageJSON.version as string} activated (${vscode.env.appName}, ${ctx.folders.length} folder${ctx.folders.length === 1 ? '' : 's'})`);
  setTimeout(() => void ctx.log.guard('Initial scan', () => ctx.scan()), 0);
  return {
    whenIdle: () => ctx.whenIdle(),
    results: () => new Map(ctx.folders.flatMap((a) => (a.result ? [[a.folder.uri.toString(), a.result] as [string, AuditResult]] : []))),
    tree: { roots: () => tree?.getChildren() ?? [], children: (node) => tree?.getChildren(node) ?? [] },
    inspect: () => {
      const item = ctx.statusBarItem;
      const tooltip = typeof item?.tooltip === 'string' ? item.tooltip : (item?.tooltip?.value ?? '');
      return { log: ctx.log.lines(), statusBar: item && { text: item.text, tooltip }, timings: { ...ctx.timings } };
    },
    onDidAudit: (listener, thisArg, disposables) => ctx.onDidAudit((a) => listener.call(thisArg, { folder: a.folder, result: a.result }), undefined, disposables),
  };
}

export function deactivate(): void {
  /* the context is disposed through context.subscriptions */
}
