import * as vscode from 'vscode';
import { z } from 'zod';
import { ignoreScopes, suppressionEdit, type IgnoreScope } from '../engine/fixes/ignore';
import { renderedOrigin } from '../engine/fixes/rendered';
import { computeFix, fileKind } from '../engine/fixes/run';
import type { Finding } from '../engine/model';
import type { Ctx, TreeNode } from './context';
import { toRange } from './convert';
import { findingOf, ruleIdOf } from './diagnostics';
import { countText, relocate } from './fixPlan';
import { docsTitle, ignoreTitle, quickFixMenu, type Offer } from './quickFixMenu';
import { applyPlan, linkedOutside, planFix, planFixAll, planIgnore, planOf, planSummary, staleFiles, TextSource, toWorkspaceEdit, unwritableIn, type ApplyResult, type FixPlan } from './fixSession';
import type { FolderAuditor } from './scan';

/** `source.fixAll.shipshape`: every fix of one file, for `editor.codeActionsOnSave` and the Source Action menu. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('shipshape');
const QUICK_FIX = vscode.CodeActionKind.QuickFix;
const HELP_URI = vscode.Uri.from({ scheme: 'shipshape-help', path: '/Shipshape fixes.md' });

/** `shipshape.fixes.saveUnopenedFiles` (default true): save files a fix-all or tree command edits that are not open in an editor. */
export function saveUnopenedFiles(ctx: Ctx, a: FolderAuditor): boolean {
  const raw = vscode.workspace.getConfiguration('shipshape', a.folder).get<unknown>('fixes.saveUnopenedFiles');
  const parsed = z.boolean().optional().safeParse(raw);
  if (parsed.success) return parsed.data ?? true;
  ctx.log.warn(`Setting shipshape.fixes.saveUnopenedFiles is invalid (${JSON.stringify(raw)}); using the default true.`);
  return true;
}

/** A code action whose edit is computed for one document version and recomputed when resolved against another. */
class FixAction extends vscode.CodeAction {
  constructor(
    title: string,
    kind: vscode.CodeActionKind,
    readonly document: vscode.TextDocument,
    readonly version: number,
    readonly plan: FixPlan | undefined,
    readonly recompute: () => Promise<FixPlan | { message: string }>,
  ) {
    super(title, kind);
  }
}

class ShipshapeCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [QUICK_FIX, FIX_ALL_KIND],
    documentation: [
      { kind: QUICK_FIX, command: { command: 'shipshape.showFixHelp', title: 'Learn more about Shipshape quick fixes' } },
      { kind: FIX_ALL_KIND, command: { command: 'shipshape.showFixHelp', title: 'Learn more about Shipshape fix-all' } },
    ],
  };

  constructor(private readonly ctx: Ctx) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    const a = this.ctx.auditorFor(document.uri);
    const rel = a?.relative(document.uri);
    if (!a?.engine || !rel) return [];
    const wantFixAll = !!context.only?.intersects(FIX_ALL_KIND);
    const wantQuick = !context.only || context.only.intersects(QUICK_FIX);
    const shown = wantQuick ? context.diagnostics.flatMap((d) => (ruleIdOf(d) ? [{ d, finding: findingOf(a, document.uri, d) }] : [])) : [];
    if (!shown.length && !wantFixAll) return [];
    const version = document.version;
    const plans = new Map<Finding, FixPlan>();
    const whereTo: { diagnostic: vscode.Diagnostic; finding: Finding; reason: string }[] = [];
    // One pass over the current texts: where each finding is now, its fix, and the suppressions it can take.
    const now = await new TextSource(a).run((engine, read) => {
      const current = engine.audit().findings.filter((f) => f.file === rel);
      const text = read(rel) ?? document.getText();
      const kind = fileKind(engine, rel, text);
      const offers = shown.flatMap(({ d, finding }): Offer<vscode.Diagnostic>[] => {
        const cur = finding && relocate(current, finding);
        if (!cur) return [];
        // (no light bulb for a fix that would write through a symbolic link to outside the folder)
        const fix = cur.fixable ? computeFix(engine, cur, read, unwritableIn(a)) : undefined;
        const scopes = ignoreScopes(kind, rel).filter((s) => !('declined' in suppressionEdit({ path: rel, text, kind }, cur, undefined, s)));
        // a chart's or kustomization's finding whose fix has no single safe place in the source: show the place
        if (fix && 'declined' in fix && renderedOrigin(cur)) whereTo.push({ diagnostic: d, finding: cur, reason: fix.declined });
        if (!fix || !('edits' in fix)) return [{ diagnostic: d, finding: cur, scopes }];
        const plan = planOf(a, read, fix.edits, [{ ruleId: cur.ruleId, file: cur.file, line: cur.range.start.line, title: fix.title, changesBehaviour: fix.changesBehaviour }]);
        plans.set(cur, plan);
        return [{ diagnostic: d, finding: cur, scopes, fix: { title: fix.title, changesBehaviour: fix.changesBehaviour, groupTitle: engine.item(cur.ruleId)?.fix?.template.groupTitle } }];
      });
      return { offers, fixable: current.filter((f) => f.fixable).length };
    });
    if (token.isCancellationRequested || document.version !== version) return [];
    const menu = quickFixMenu(now.offers);
    const actions: vscode.CodeAction[] = [];
    for (const entry of menu.fixes) {
      const findings = entry.offers.map((o) => o.finding);
      const rules = new Set(findings.map((f) => f.ruleId));
      const [first] = findings;
      // a group is computed when chosen: its fixes applied one after the other, for this object and container only
      const fix = entry.grouped
        ? new FixAction(entry.title, QUICK_FIX, document, version, undefined, () => planFixAll(a, { files: new Set([rel]), onlyFiles: true, rules, where: (f) => f.object === first.object && f.container === first.container }))
        : new FixAction(entry.title, QUICK_FIX, document, version, plans.get(first), () => planFix(a, first));
      fix.diagnostics = entry.offers.map((o) => o.diagnostic);
      fix.isPreferred = entry.preferred;
      actions.push(fix);
      // "Fix all in this file" right after the preferred fix
      if (entry.preferred && wantQuick && now.fixable > 1) actions.push(this.fileFixAll(a, document, version, rel, now.offers.map((o) => o.diagnostic)));
    }
    // one entry per place to change by hand, after the fixes
    const places = new Map<string, { diagnostics: vscode.Diagnostic[]; finding: Finding; reasons: string[] }>();
    for (const w of whereTo) {
      const key = `${w.finding.file}:${w.finding.range.start.line}`;
      const place = places.get(key) ?? { diagnostics: [], finding: w.finding, reasons: [] };
      place.diagnostics.push(w.diagnostic);
      place.reasons.push(`${w.finding.ruleId}: ${w.reason}`);
      places.set(key, place);
    }
    for (const place of places.values()) {
      const target = a.resolve(place.finding.file);
      if (!target) continue;
      const show = new vscode.CodeAction('Show Where to Change It', QUICK_FIX);
      show.diagnostics = place.diagnostics;
      // (plain data: command arguments may cross to the workbench and back)
      show.command = { command: 'shipshape.showWhereToChange', title: show.title, arguments: [{ uri: target.toString(), range: place.finding.range, reasons: place.reasons }] };
      actions.push(show);
    }
    if (menu.ignore.length) {
      const ignore = new vscode.CodeAction(ignoreTitle(menu.ignore), QUICK_FIX);
      ignore.diagnostics = [...new Set(menu.ignore.map((c) => c.diagnostic))];
      const choices = menu.ignore.map((c) => ({ finding: c.finding, scope: c.scope, label: c.label }));
      ignore.command = { command: 'shipshape.ignoreHere', title: ignore.title, arguments: [choices.length === 1 ? { uri: document.uri, ...choices[0] } : { uri: document.uri, choices }] };
      actions.push(ignore);
    }
    if (menu.docs.length) {
      const docs = new vscode.CodeAction(docsTitle(menu.docs), QUICK_FIX);
      docs.diagnostics = now.offers.map((o) => o.diagnostic);
      docs.command = { command: 'shipshape.openDocs', title: docs.title, arguments: [menu.docs.length === 1 ? menu.docs[0] : menu.docs] };
      actions.push(docs);
    }
    if (wantFixAll && now.fixable) actions.push(new FixAction('Fix all Shipshape findings', FIX_ALL_KIND, document, version, undefined, () => planFixAll(a, { files: new Set([rel]), onlyFiles: true })));
    return actions;
  }

  /** Every fix of the file, computed when chosen. */
  private fileFixAll(a: FolderAuditor, document: vscode.TextDocument, version: number, rel: string, diagnostics: vscode.Diagnostic[]): FixAction {
    const all = new FixAction('Fix all auto-fixable Shipshape findings in this file', QUICK_FIX, document, version, undefined, () => planFixAll(a, { files: new Set([rel]), onlyFiles: true }));
    all.diagnostics = diagnostics;
    return all;
  }

  /** The edit, computed when the action is chosen: from the plan while its texts are unchanged, else afresh. */
  async resolveCodeAction(action: vscode.CodeAction): Promise<vscode.CodeAction> {
    if (!(action instanceof FixAction)) return action;
    return (
      (await this.ctx.log.guard(`Computing "${action.title}"`, async () => {
        let plan = action.plan;
        if (!plan || action.document.version !== action.version || (await staleFiles(plan)).length) {
          const r = await action.recompute();
          if ('message' in r) {
            void vscode.window.showInformationMessage(`Shipshape: ${r.message}`);
            return action;
          }
          plan = r;
        }
        const linked = linkedOutside(plan);
        if (linked) {
          void vscode.window.showWarningMessage(`Shipshape: ${linked}`);
          return action;
        }
        action.edit = toWorkspaceEdit(plan);
        return action;
      })) ?? action
    );
  }
}

/** What a fix or ignore command acts on: a tree node, or `{ uri, finding }` from a code action. */
interface FindingTarget {
  uri?: vscode.Uri;
  finding?: Finding;
  folder?: vscode.WorkspaceFolder;
  scope?: IgnoreScope;
  /** Several findings to choose from (asked with a quick pick). */
  choices?: { finding: Finding; scope: IgnoreScope; label: string }[];
}

function auditorOf(ctx: Ctx, target: FindingTarget | TreeNode | undefined): FolderAuditor | undefined {
  if (target?.folder) return ctx.auditors.get(target.folder.uri.toString());
  if (target && 'uri' in target && target.uri) return ctx.auditorFor(target.uri);
  const editor = vscode.window.activeTextEditor;
  return editor ? ctx.auditorFor(editor.document.uri) : undefined;
}

/**
 * Computes and applies a plan; when a file it edits changed in between, computes it again from the new
 * text (up to three times) instead of applying stale edits, then refuses with a message.
 */
async function computeAndApply(ctx: Ctx, a: FolderAuditor, compute: () => Promise<FixPlan | { message: string }>, quiet = false): Promise<ApplyResult & { plan?: FixPlan }> {
  for (let attempt = 1; ; attempt++) {
    const plan = await compute();
    if ('message' in plan) {
      if (!quiet) void vscode.window.showInformationMessage(`Shipshape: ${plan.message}`);
      return { applied: false, stale: [], saved: [], message: plan.message };
    }
    if (!plan.files.length) return { applied: false, stale: [], saved: [], plan };
    const r = await applyPlan(plan, saveUnopenedFiles(ctx, a));
    if (r.applied || !r.stale.length || attempt >= 3) {
      if (!r.applied && !quiet) void vscode.window.showWarningMessage(`Shipshape: ${r.message ?? 'nothing was applied.'} Run the command again.`);
      return { ...r, plan };
    }
    ctx.log.info(`${a.name}: ${r.stale.join(', ')} changed while fixes were computed; computing them again`);
  }
}

function logDeclined(ctx: Ctx, a: FolderAuditor, plan: FixPlan | undefined): void {
  for (const d of plan?.declined ?? []) ctx.log.info(`${a.name}: not fixed ${d.file}:${d.line + 1} ${d.ruleId}: ${d.reason}`);
}

async function fixAllCommand(ctx: Ctx, auditors: FolderAuditor[], scope: { rules?: ReadonlySet<string> }, what: string): Promise<{ applied: number; files: string[]; refused: string[]; declined: string[] }> {
  await ctx.whenIdle();
  const total = { applied: 0, files: [] as string[], refused: [] as string[], declined: [] as string[] };
  let declined = 0;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Shipshape: ${what}` }, async () => {
    for (const a of auditors) {
      if (!a.engine) continue;
      const r = await computeAndApply(ctx, a, () => planFixAll(a, scope), true);
      logDeclined(ctx, a, r.plan);
      declined += r.plan?.declined.length ?? 0;
      total.declined.push(...(r.plan?.declined ?? []).map((d) => `${a.name}/${d.file}:${d.line + 1} ${d.ruleId}: ${d.reason}`));
      if (r.applied && r.plan) {
        total.applied += r.plan.applied.length;
        total.files.push(...r.plan.files.map((f) => (ctx.folders.length > 1 ? `${a.name}/${f.rel}` : f.rel)));
        ctx.log.info(`${a.name}: applied ${planSummary(r.plan)}${r.saved.length ? ` (saved ${r.saved.join(', ')})` : ''}`);
      } else if (r.message) total.refused.push(`${a.name}: ${r.message}`);
    }
  });
  const manual = declined ? `; ${countText(declined, 'finding')} need${declined === 1 ? 's' : ''} a manual fix (see the log)` : '';
  if (total.refused.length) void vscode.window.showWarningMessage(`Shipshape: ${total.refused.join(' ')} Run the command again.`);
  else if (total.applied) void vscode.window.showInformationMessage(`Shipshape: applied ${countText(total.applied, 'fix', 'fixes')} to ${countText(total.files.length, 'file')}${manual}.`);
  else void vscode.window.showInformationMessage(`Shipshape: nothing to fix${manual}.`);
  return total;
}

const HELP = `# Shipshape fixes

- **Quick fix** (light bulb, Ctrl+.): the fix of one finding, computed from the text you see when you choose it.
- **Ignore here…**: asks for a reason and writes \`# shipshape-ignore <rule> -- <reason>\` above the line, or the
  \`shipshape/ignore\` annotation on a Kubernetes object.
- **Fix all in a file**: the Source Action \`source.fixAll.shipshape\`; on save with
  \`"editor.codeActionsOnSave": { "source.fixAll.shipshape": "explicit" }\`. It edits only that file.
- **Shipshape: Fix All in Workspace** and the Readiness view's menus (Apply Fix, Ignore Here…, Fix All for This Item).

A fix is applied only to the text it was computed for: when a file changed in between, Shipshape computes the
fix again from the new text. Files that are not open are edited through VS Code (so Undo works) and saved
when \`shipshape.fixes.saveUnopenedFiles\` is true (the default).
`;

export function codeActionsFeature(ctx: Ctx): void {
  ctx.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ pattern: '**' }, new ShipshapeCodeActions(ctx), ShipshapeCodeActions.metadata),
    vscode.workspace.registerTextDocumentContentProvider(HELP_URI.scheme, { provideTextDocumentContent: () => HELP }),
  );

  // A fix declined on a chart's or kustomization's output: the source line to change by hand, and why.
  ctx.command('shipshape.showWhereToChange', async (target: { uri: string; range: Finding['range']; reasons: string[] }) => {
    await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), { selection: toRange(target.range), preview: false });
    void vscode.window.showInformationMessage(`Shipshape: no automatic fix here. ${target.reasons.join(' · ')}.`);
  });
  ctx.command('shipshape.showFixHelp', () => vscode.commands.executeCommand('markdown.showPreview', HELP_URI));

  /** Applies the fix of one finding (a tree node or `{ uri, finding }`). */
  ctx.command('shipshape.applyFix', async (target: FindingTarget | TreeNode) => {
    const a = auditorOf(ctx, target);
    if (!a || !target?.finding) return undefined;
    const finding = target.finding;
    return computeAndApply(ctx, a, () => planFix(a, finding));
  });

  /** Asks for a reason (Escape cancels) and writes the suppression of one finding. */
  ctx.command('shipshape.ignoreHere', async (target: FindingTarget | TreeNode): Promise<ApplyResult | undefined> => {
    const a = auditorOf(ctx, target);
    if (!a) return undefined;
    // the light bulb's one ignore entry for several findings: which one, and where
    if (target && 'choices' in target && target.choices?.length) {
      const pick = await vscode.window.showQuickPick(
        target.choices.map((c) => ({ label: c.label, detail: c.finding.message, choice: c })),
        { title: 'Ignore a Shipshape finding', placeHolder: 'Which finding to ignore (a reason is asked next)' },
      );
      if (!pick) return { applied: false, stale: [], saved: [], message: 'cancelled' };
      target = { ...target, finding: pick.choice.finding, scope: pick.choice.scope };
    }
    if (!target?.finding) return undefined;
    const finding = target.finding;
    const scope = 'scope' in target ? target.scope : undefined;
    const reason = await vscode.window.showInputBox({
      title: `Ignore ${finding.ruleId}${scope === 'object' && finding.object ? ` for ${finding.object}` : ` at ${finding.file}:${finding.range.start.line + 1}`}`,
      prompt: 'Why is this finding acceptable here? The reason is written next to the suppression for reviewers.',
      placeHolder: 'e.g. a batch job with no HTTP endpoint',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give a reason: reviewers read it next to the suppression.'),
    });
    if (reason === undefined || !reason.trim()) return { applied: false, stale: [], saved: [], message: 'cancelled' };
    return computeAndApply(ctx, a, () => planIgnore(a, finding, reason, scope));
  });

  /** Every fix of one item (tree item node or rule id) in its folder. */
  ctx.command('shipshape.fixItem', async (target: TreeNode | string) => {
    const ruleId = typeof target === 'string' ? target : target?.ruleId;
    if (!ruleId) return undefined;
    const auditors = typeof target === 'string' ? ctx.folders : [auditorOf(ctx, target)].filter((x): x is FolderAuditor => !!x);
    return fixAllCommand(ctx, auditors, { rules: new Set([ruleId]) }, `fixing ${ruleId}…`);
  });

  ctx.command('shipshape.fixAllInWorkspace', () => fixAllCommand(ctx, ctx.folders, {}, 'fixing the workspace…'));

  // Building blocks (not in the palette): a plan computed now, and applying a plan only if still current.
  ctx.command('shipshape.computeFixes', async (opts?: { folder?: string; rules?: string[]; files?: string[] }) => {
    const a = ctx.folders.find((x) => !opts?.folder || x.name === opts.folder || x.folder.uri.toString() === opts.folder);
    if (!a?.engine) return undefined;
    await a.whenIdle();
    return planFixAll(a, { rules: opts?.rules && new Set(opts.rules), files: opts?.files && new Set(opts.files) });
  });
  ctx.command('shipshape.applyFixes', async (plan: FixPlan): Promise<ApplyResult | undefined> => {
    const a = plan ? ctx.auditors.get(plan.folder.uri.toString()) : undefined;
    if (!a) return undefined;
    const r = await applyPlan(plan, saveUnopenedFiles(ctx, a));
    if (!r.applied && r.message) {
      void vscode.window.showWarningMessage(`Shipshape: ${r.message}`, 'Fix again').then((pick) => {
        if (pick) void vscode.commands.executeCommand('shipshape.fixAllInWorkspace');
      });
    }
    return r;
  });
}
