import * as vscode from 'vscode';
import type { Ctx } from './context';
import { docsUri, findingToDiagnostic, problemToDiagnostic, SOURCE, toLocation, toRange, type FindingLinks } from './convert';
import type { FolderAuditor } from './scan';
import { batches } from './batches';
import { BUILTIN_PREFIX } from './setup';
import { unauditedSeverity, type Finding } from '../engine/model';

/**
 * Finds the rule's place in its checklist file, for related information: only a checklist of the user's
 * (a file in the folder), never the extension's built-in ones, which the user does not edit.
 */
export function itemLocation(auditor: FolderAuditor, ruleId: string): vscode.Location | undefined {
  const ri = auditor.engine?.item(ruleId);
  const file = ri?.checklist.file;
  if (!file || file.startsWith(BUILTIN_PREFIX)) return undefined;
  const cf = auditor.setup?.files.get(file);
  if (!cf) return undefined;
  return toLocation(auditor.resolve, file, cf.itemRanges.get(ruleId));
}

/** The rule id a Shipshape diagnostic carries in its `code`. */
export function ruleIdOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE || d.code === undefined) return undefined;
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

/** The finding a Shipshape diagnostic on `uri` shows: same file, rule, range and message in the folder's latest result. */
export function findingOf(auditor: FolderAuditor, uri: vscode.Uri, d: vscode.Diagnostic): Finding | undefined {
  const ruleId = ruleIdOf(d);
  const rel = auditor.relative(uri);
  if (!ruleId || !rel) return undefined;
  const candidates = (auditor.result?.findings ?? []).filter((f) => f.file === rel && f.ruleId === ruleId && f.message === d.message);
  return candidates.find((f) => toRange(f.range).isEqual(d.range)) ?? candidates.find((f) => f.range.start.line === d.range.start.line);
}

function signatureOf(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' ? [String(d.code.value), d.code.target.toString()] : d.code;
  return JSON.stringify([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.message, d.severity, code, (d.relatedInformation ?? []).map((r) => [r.location.uri.toString(), r.location.range.start.line, r.location.range.start.character, r.message])]);
}

/**
 * After a first scan's results so far, the complete result's diagnostics are published this long after the view and
 * the status bar were updated. The workbench takes in what the extension sends in order, and a large folder's
 * diagnostics keep it busy for seconds (5,000 files' took it 5.5 s): sent at once, they held the final score back in
 * the view and the status bar until they were all in; sent after this pause, the score showed 0.2 s after the scan.
 */
const AFTER_VIEW_MS = 150;

/** A diagnostic and its signature (what the Problems panel shows of it), made once per finding. */
interface Converted {
  diagnostic: vscode.Diagnostic;
  signature: string;
}

/**
 * One DiagnosticCollection for every folder: findings on the files they concern, and located problems
 * (config, checklist, read errors) on their files. Each audit replaces exactly its folder's entries.
 *
 * An audit after the first keeps most findings (the engine hands back the same finding objects for what did
 * not change), so a finding's diagnostic is made once (again only when its rule's links change) and an
 * unchanged file costs a comparison of strings.
 */
export function diagnosticsFeature(ctx: Ctx): void {
  const collection = vscode.languages.createDiagnosticCollection('shipshape');
  ctx.subscriptions.push(collection);
  const owned = new Map<string, Set<string>>();
  // What each uri shows now, so an audit only touches the files whose diagnostics changed.
  const shown = new Map<string, string>();
  // Problems without a file of their own go to the log, once each.
  const logged = new Set<string>();
  // A finding's diagnostic, with what its links were made from (its rule's docs and place in a checklist).
  const converted = new WeakMap<Finding, Converted & { links: string }>();

  // Folders whose first scan has shown results so far: their complete result's diagnostics wait (see AFTER_VIEW_MS).
  const reading = new Set<string>();
  // Folders whose publication waits (it publishes the auditor's latest result when it comes).
  const waiting = new Set<string>();
  let disposed = false;
  ctx.subscriptions.push({ dispose: () => void (disposed = true) });
  ctx.on(ctx.onDidAudit, 'Updating diagnostics', (auditor) => {
    const key = auditor.folder.uri.toString();
    if (auditor.partial) reading.add(key);
    else if (reading.delete(key) && !waiting.has(key)) {
      waiting.add(key);
      const publishLater = async (): Promise<void> => {
        await new Promise((resolve) => setTimeout(resolve, AFTER_VIEW_MS));
        waiting.delete(key);
        if (!disposed) await ctx.log.guard('Updating diagnostics', () => publish(auditor));
      };
      ctx.trail(publishLater());
      return;
    }
    // (while a publication waits, it shows the latest result when it comes)
    if (!waiting.has(key)) publish(auditor);
  });

  /** Publishes a folder's diagnostics: only the files whose diagnostics changed. */
  const publish = (auditor: FolderAuditor): void => {
    const key = auditor.folder.uri.toString();
    const next = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[]; signatures: string[] }>();
    // The results so far of a first scan show on the files open in editors only; the Problems panel fills when every
    // file is read. Thousands of files' diagnostics at once keep the workbench busy for seconds (the view's rows and
    // typing wait behind them), and a large folder's first scan would send them several times over.
    const open = auditor.partial ? new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString())) : undefined;
    const uris = new Map<string, vscode.Uri | undefined>();
    const uriOf = (file: string): vscode.Uri | undefined => {
      if (!uris.has(file)) uris.set(file, auditor.resolve(file));
      return uris.get(file);
    };
    const add = (uri: vscode.Uri, c: Converted): void => {
      const k = uri.toString();
      if (open && !open.has(k)) return;
      let e = next.get(k);
      if (!e) next.set(k, (e = { uri, diagnostics: [], signatures: [] }));
      e.diagnostics.push(c.diagnostic);
      e.signatures.push(c.signature);
    };
    const result = auditor.result;
    // related information points at the user's own files only
    const userFiles = (file: string): vscode.Uri | undefined => (file.startsWith(BUILTIN_PREFIX) ? undefined : uriOf(file));
    if (result && ctx.auditors.has(key)) {
      const items = new Map(result.items.map((i) => [i.id, i]));
      // what a rule's diagnostics link to (its docs, its place in the user's checklist), once per rule
      const rules = new Map<string, { links: FindingLinks; key: string }>();
      const linksOf = (ruleId: string): { links: FindingLinks; key: string } => {
        let r = rules.get(ruleId);
        if (!r) {
          const item = items.get(ruleId);
          const location = itemLocation(auditor, ruleId);
          const key = JSON.stringify([item?.docs?.url, item?.title, location?.uri.toString(), location?.range.start.line, location?.range.start.character]);
          rules.set(ruleId, (r = { links: { resolve: userFiles, docs: item?.docs, itemLocation: location, itemTitle: item?.title, docsTarget: docsUri(ruleId, item?.docs?.url) }, key }));
        }
        return r;
      };
      for (const f of result.findings) {
        // a repository finding has no file to show it on: the readiness tree shows it
        if (f.scope === 'repository') continue;
        const uri = uriOf(f.file);
        if (!uri) continue;
        const { links, key } = linksOf(f.ruleId);
        let c = converted.get(f);
        if (!c || c.links !== key) {
          const diagnostic = findingToDiagnostic(f, links);
          converted.set(f, (c = { diagnostic, signature: signatureOf(diagnostic), links: key }));
        }
        add(uri, c);
      }
      const notAudited = result.unaudited.map((u) => ({ file: u.file, range: u.range, message: `Not audited: ${u.reason}${u.rules ? ` (${u.rules.join(', ')})` : ''}`, severity: unauditedSeverity(result.summary.unauditedPolicy) ?? 'info' }));
      for (const p of [...result.problems, ...notAudited]) {
        const uri = uriOf(p.file);
        if (uri) {
          const diagnostic = problemToDiagnostic(p);
          add(uri, { diagnostic, signature: signatureOf(diagnostic) });
        } else {
          const line = `${auditor.name}: ${p.file ? `${p.file}: ` : ''}${p.message}`;
          if (!logged.has(line)) ctx.log.warn(line);
          logged.add(line);
        }
      }
    }
    // The changes of this audit in few calls: VS Code sends one message to the workbench per call, and thousands
    // of them (a first scan's files) keep the workbench busy long after the audit, the view's rows waiting behind them.
    const changes: [vscode.Uri, vscode.Diagnostic[]][] = [];
    const previous = owned.get(key) ?? new Set<string>();
    for (const k of previous) {
      if (next.has(k)) continue;
      changes.push([vscode.Uri.parse(k), []]);
      shown.delete(k);
    }
    for (const [k, { uri, diagnostics, signatures }] of next) {
      const signature = signatures.join('\n');
      if (shown.get(k) === signature) continue;
      changes.push([uri, diagnostics]);
      shown.set(k, signature);
    }
    for (const batch of batches(changes)) collection.set(batch);
    owned.set(key, new Set(next.keys()));
  };
}
