import * as vscode from 'vscode';
import type { Ctx } from './context';
import { findingToDiagnostic, problemToDiagnostic, SOURCE, toLocation, toRange } from './convert';
import type { FolderAuditor } from './scan';
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

function signatureOf(d: vscode.Diagnostic): unknown[] {
  const code = typeof d.code === 'object' ? [String(d.code.value), d.code.target.toString()] : d.code;
  return [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.message, d.severity, code, (d.relatedInformation ?? []).map((r) => [r.location.uri.toString(), r.location.range.start.line, r.location.range.start.character, r.message])];
}

/**
 * One DiagnosticCollection for every folder: findings on the files they concern, and located problems
 * (config, checklist, read errors) on their files. Each audit replaces exactly its folder's entries.
 */
export function diagnosticsFeature(ctx: Ctx): void {
  const collection = vscode.languages.createDiagnosticCollection('shipshape');
  ctx.subscriptions.push(collection);
  const owned = new Map<string, Set<string>>();
  // What each uri shows now, so an audit only touches the files whose diagnostics changed.
  const shown = new Map<string, string>();
  // Problems without a file of their own go to the log, once each.
  const logged = new Set<string>();

  ctx.on(ctx.onDidAudit, 'Updating diagnostics', (auditor) => {
    const key = auditor.folder.uri.toString();
    const next = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    const add = (uri: vscode.Uri, d: vscode.Diagnostic): void => {
      const k = uri.toString();
      let e = next.get(k);
      if (!e) next.set(k, (e = { uri, diagnostics: [] }));
      e.diagnostics.push(d);
    };
    const result = auditor.result;
    // related information points at the user's own files only
    const userFiles = (file: string): vscode.Uri | undefined => (file.startsWith(BUILTIN_PREFIX) ? undefined : auditor.resolve(file));
    if (result && ctx.auditors.has(key)) {
      const items = new Map(result.items.map((i) => [i.id, i]));
      for (const f of result.findings) {
        // a repository finding has no file to show it on: the readiness tree shows it
        if (f.scope === 'repository') continue;
        const uri = auditor.resolve(f.file);
        if (!uri) continue;
        const item = items.get(f.ruleId);
        add(uri, findingToDiagnostic(f, { resolve: userFiles, docs: item?.docs, itemLocation: itemLocation(auditor, f.ruleId), itemTitle: item?.title }));
      }
      const notAudited = result.unaudited.map((u) => ({ file: u.file, range: u.range, message: `Not audited: ${u.reason}${u.rules ? ` (${u.rules.join(', ')})` : ''}`, severity: unauditedSeverity(result.summary.unauditedPolicy) ?? 'info' }));
      for (const p of [...result.problems, ...notAudited]) {
        const uri = auditor.resolve(p.file);
        if (uri) add(uri, problemToDiagnostic(p));
        else {
          const line = `${auditor.name}: ${p.file ? `${p.file}: ` : ''}${p.message}`;
          if (!logged.has(line)) ctx.log.warn(line);
          logged.add(line);
        }
      }
    }
    const previous = owned.get(key) ?? new Set<string>();
    for (const k of previous) {
      if (next.has(k)) continue;
      collection.delete(vscode.Uri.parse(k));
      shown.delete(k);
    }
    for (const [k, { uri, diagnostics }] of next) {
      const signature = JSON.stringify(diagnostics.map(signatureOf));
      if (shown.get(k) === signature) continue;
      collection.set(uri, diagnostics);
      shown.set(k, signature);
    }
    owned.set(key, new Set(next.keys()));
  });
}
