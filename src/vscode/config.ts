import * as vscode from 'vscode';
import { validateSettings, type Settings } from './settings';

export type { Settings } from './settings';

/** Reads and validates the `shipshape.*` settings for a folder (see settings.ts). Never throws. */
export function readSettings(scope: vscode.ConfigurationScope | undefined): { settings: Settings; warnings: string[] } {
  const config = vscode.workspace.getConfiguration('shipshape', scope);
  return validateSettings((key) => config.get(key));
}
