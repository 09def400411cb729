import type { Ctx } from './context';
import { commandsFeature } from './commands';
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
 * import it and add one line here.
 */
export const FEATURES: readonly [string, Feature][] = [
  ['diagnostics', diagnosticsFeature],
  ['docs', docsFeature],
  ['tree', treeFeature],
  ['markdown', markdownFeature],
  ['statusBar', statusBarFeature],
  ['commands', commandsFeature],
  ['watch', watchFeature],
];
