import * as vscode from 'vscode';
import type { Ctx } from './context';
import { DOCS_SCHEME } from './convert';

/** Renders a rule's documentation (the checklist item's docs, aliases and location) as Markdown. */
export function ruleDocs(ctx: Ctx, ruleId: string): string | undefined {
  for (const a of ctx.folders) {
    const ri = a.engine?.item(ruleId);
    if (!ri) continue;
    const { item } = ri;
    const lines = [`# ${item.title}`, '', `Rule \`${item.id}\` · ${ri.severity} · checklist "${ri.checklist.title}", section "${ri.sectionTitle}"`, ''];
    if (!item.check) lines.push('A manual item: a person confirms it and ticks it in the Readiness view.', '');
    else if (item.evidence) lines.push('The check gathers evidence; a person confirms the item.', '');
    if (item.docs?.why) lines.push('## Why', '', item.docs.why, '');
    if (item.docs?.fix) lines.push('## How to fix', '', item.docs.fix, '');
    if (item.docs?.url) lines.push(`Further reading: ${item.docs.url}`, '');
    if (item.aliases.length) lines.push('## Same check elsewhere', '', ...item.aliases.map((x) => `- \`${x}\``), '');
    lines.push('## Silence it', '', `Add \`# shipshape-ignore ${item.id} -- reason\` on or above the line, or set \`rules: { ${item.id}: off }\` in \`.shipshape.yaml\`.`, '');
    return lines.join('\n');
  }
  return undefined;
}

/** `shipshape-docs:/<rule>.md` documents, the target of every diagnostic's code link. */
export function docsFeature(ctx: Ctx): void {
  const emitter = new vscode.EventEmitter<vscode.Uri>();
  ctx.subscriptions.push(
    emitter,
    vscode.workspace.registerTextDocumentContentProvider(DOCS_SCHEME, {
      onDidChange: emitter.event,
      provideTextDocumentContent: (uri) => {
        const ruleId = uri.path.replace(/^\//, '').replace(/\.md$/, '');
        return ruleDocs(ctx, ruleId) ?? `# ${ruleId}\n\nThis rule is not part of the checklists in use.\n`;
      },
    }),
  );
}
