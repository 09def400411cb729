import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShipshapeApi } from '../../src/vscode/extension';
import type { TreeNode } from '../../src/vscode/context';

export const EXTENSION_ID = 'shipshape.shipshape';

export async function api(): Promise<ShipshapeApi> {
  const ext = vscode.extensions.getExtension<ShipshapeApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.activate();
}

/** The fixture is a multi-root workspace: `shop` (failing items, a manual item) and `api` (all passing). */
export function folder(name = 'shop'): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  assert.ok(f, `workspace folder ${name} is open`);
  return f;
}

export function uri(rel: string, folderName = 'shop'): vscode.Uri {
  return vscode.Uri.joinPath(folder(folderName).uri, ...rel.split('/'));
}

/** The latest audit result of a folder. */
export function resultOf(a: ShipshapeApi, name = 'shop'): import('../../src/engine/model').AuditResult | undefined {
  return a.results().get(folder(name).uri.toString());
}

export function shipshapeDiagnostics(u: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(u).filter((d) => d.source === 'shipshape');
}

export function ruleIds(u: vscode.Uri): string[] {
  return shipshapeDiagnostics(u)
    .map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '')))
    .sort();
}

/** Waits for an event-driven condition: checks now, then after every diagnostics change; fails after `ms`. */
export function waitForDiagnostics(u: vscode.Uri, predicate: (ds: vscode.Diagnostic[]) => boolean, what: string, ms = 20000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = shipshapeDiagnostics(u);
      if (!predicate(ds)) return false;
      clearTimeout(timer);
      sub.dispose();
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((x) => x.toString() === u.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; diagnostics on ${vscode.workspace.asRelativePath(u)}: ${JSON.stringify(ruleIds(u))}`));
    }, ms);
    check();
  });
}

/** Waits for the next audit whose result satisfies a predicate (checked on the current result first). */
export async function waitForAudit(predicate: (api: ShipshapeApi) => boolean, what: string, ms = 20000): Promise<void> {
  const a = await api();
  if (predicate(a)) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const sub = a.onDidAudit(() => {
      if (!predicate(a)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** The tree below a folder's node (multi-root workspaces have one root per folder). */
export function folderNodes(a: ShipshapeApi, name = 'shop'): TreeNode[] {
  const root = a.tree.roots().find((n) => labelOf(n) === name);
  assert.ok(root, `the tree has a root for folder ${name}`);
  return a.tree.children(root);
}

export function labelOf(node: TreeNode): string {
  return typeof node.label === 'string' ? node.label : node.label.label;
}

/** Depth-first list of the tree's nodes below the given ones. */
export function flatten(a: ShipshapeApi, nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(a, a.tree.children(n))]);
}

export async function readText(u: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(u));
  } catch {
    return undefined;
  }
}

export async function writeText(u: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(u, new TextEncoder().encode(text));
}
