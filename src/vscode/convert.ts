import * as vscode from 'vscode';
import type { FileEdit, Finding, Position, Problem, Range, RelatedInfo, Severity, TextEdit } from '../engine/model';

/**
 * The one place that converts engine data (0-based UTF-16 ranges, plain objects) into VS Code types.
 * Adapters call these; nothing else builds a vscode.Range from engine data.
 */

export const SOURCE = 'shipshape';
export const DOCS_SCHEME = 'shipshape-docs';

export function toPosition(p: Position): vscode.Position {
  return new vscode.Position(Math.max(0, p.line), Math.max(0, p.character));
}

export function toRange(r: Range | undefined): vscode.Range {
  if (!r) return new vscode.Range(0, 0, 0, 0);
  return new vscode.Range(toPosition(r.start), toPosition(r.end));
}

export function fromRange(r: vscode.Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

export function toSeverity(s: Severity | undefined): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
    default:
      return vscode.DiagnosticSeverity.Warning;
  }
}

/** Where a rule's documentation opens: its `docs.url`, else a generated page (see docs.ts). */
export function docsUri(ruleId: string, url?: string): vscode.Uri {
  if (url && /^https?:\/\//.test(url)) return vscode.Uri.parse(url);
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${ruleId}.md` });
}

/** Resolves an engine file label (repo-relative path, or a built-in checklist label) to a uri. */
export type UriResolver = (file: string) => vscode.Uri | undefined;

export function toLocation(resolve: UriResolver, file: string, range: Range | undefined): vscode.Location | undefined {
  const uri = resolve(file);
  return uri ? new vscode.Location(uri, toRange(range)) : undefined;
}

export interface FindingLinks {
  resolve: UriResolver;
  docs?: { url?: string };
  /** The item's place in its checklist file. */
  itemLocation?: vscode.Location;
  itemTitle?: string;
  /** The rule's docs uri when already made (one per rule, not one per finding). */
  docsTarget?: vscode.Uri;
}

export function findingToDiagnostic(f: Finding, links: FindingLinks): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, toSeverity(f.severity));
  d.source = SOURCE;
  d.code = { value: f.ruleId, target: links.docsTarget ?? docsUri(f.ruleId, links.docs?.url) };
  const related: vscode.DiagnosticRelatedInformation[] = [];
  if (links.itemLocation) related.push(new vscode.DiagnosticRelatedInformation(links.itemLocation, `Rule ${f.ruleId}${links.itemTitle ? `: ${links.itemTitle}` : ''}`));
  for (const r of f.related ?? []) {
    const loc = relatedLocation(links.resolve, r);
    if (loc) related.push(new vscode.DiagnosticRelatedInformation(loc, r.message));
  }
  if (related.length) d.relatedInformation = related;
  return d;
}

function relatedLocation(resolve: UriResolver, r: RelatedInfo): vscode.Location | undefined {
  return toLocation(resolve, r.file, r.range);
}

/** A config, checklist or read problem as a diagnostic on its file. */
export function problemToDiagnostic(p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.range), p.message, toSeverity(p.severity ?? 'error'));
  d.source = SOURCE;
  return d;
}

export function toTextEdit(e: TextEdit): vscode.TextEdit {
  return new vscode.TextEdit(toRange(e.range), e.newText);
}

/** Engine file edits (relative to a folder) as one WorkspaceEdit. */
export function toWorkspaceEdit(resolve: UriResolver, edits: readonly FileEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const fe of edits) {
    const uri = resolve(fe.file);
    if (!uri) continue;
    if (fe.create) we.createFile(uri, { ignoreIfExists: true });
    for (const e of fe.edits) we.replace(uri, toRange(e.range), e.newText);
  }
  return we;
}
