import type { AuditOptions, Engine } from '../audit';
import { classifyPath, sniffKubernetes } from '../discover';
import type { FileEdit, FileKind, Finding } from '../model';
import { parseFile } from '../parse';
import { applyEdits } from '../text';
import type { FixOutput } from './template';

export type ReadFile = (path: string) => string | undefined;

/** A file's kind from its path and text, as the scanner would see it. */
export function kindFor(path: string, text: string): FileKind | undefined {
  const k = classifyPath(path);
  if (k === 'maybeKubernetes') return sniffKubernetes(text, path) ? 'kubernetes' : undefined;
  return k;
}

function errorCount(path: string, text: string, kind: FileKind | undefined): number {
  if (!kind) return 0;
  return parseFile({ path, text, kind }).problems.filter((p) => p.severity === 'error').length;
}

/**
 * The fix for a finding, computed from the current text the engine holds (or `readFile`). Declines
 * when the item has no fix, the target moved, or the edit would leave a file that no longer parses.
 */
export function computeFix(engine: Engine, finding: Finding, readFile?: ReadFile): FixOutput {
  const fix = engine.item(finding.ruleId)?.fix;
  if (!fix) return { declined: `${finding.ruleId} has no automatic fix` };
  const read = (p: string): string | undefined => engine.file(p)?.text ?? readFile?.(p);
  const text = read(finding.file);
  if (text === undefined) return { declined: `${finding.file} cannot be read` };
  const kind = engine.file(finding.file)?.kind ?? kindFor(finding.file, text);
  let out: FixOutput;
  try {
    out = fix.template.compute({ text, finding, params: fix.params, kind, readFile: read });
  } catch (e) {
    return { declined: `the fix failed: ${(e as Error).message}` };
  }
  if ('declined' in out) return out;
  for (const fe of out.edits) {
    const before = fe.create ? '' : read(fe.file);
    if (before === undefined) return { declined: `${fe.file} cannot be read` };
    const after = applyEdits(before, fe.edits);
    const k = engine.file(fe.file)?.kind ?? kindFor(fe.file, after);
    if (errorCount(fe.file, after, k) > (fe.create ? 0 : errorCount(fe.file, before, k))) return { declined: `the edit would leave ${fe.file} unparseable; not applied` };
  }
  return out;
}

export interface FixAllOptions {
  /** Only findings of these rule ids (default: every fixable rule). */
  rules?: ReadonlySet<string>;
  /** Only findings in these files. */
  files?: ReadonlySet<string>;
  readFile?: ReadFile;
  audit?: AuditOptions;
  /** Keep the fixed texts in the engine (default: restore the engine to the original texts). */
  keep?: boolean;
  /** Upper bound on fixes applied (guards against fixes that keep finding work). */
  maxFixes?: number;
}

export interface FixAllResult {
  /** Changed files: text before (undefined when the fix creates the file) and after. */
  files: Map<string, { before: string | undefined; after: string }>;
  applied: { ruleId: string; file: string; line: number; title: string }[];
  declined: { ruleId: string; file: string; line: number; reason: string }[];
}

function findingKey(f: Finding): string {
  return JSON.stringify([f.ruleId, f.file, f.object ?? '', f.container ?? '', f.message, f.data ?? null]);
}

/** Applies one fix's file edits to the engine's texts; returns the paths it changed. */
export function applyToEngine(engine: Engine, edits: readonly FileEdit[], readFile: ReadFile | undefined, originals: Map<string, string | undefined>): void {
  for (const fe of edits) {
    const current = engine.file(fe.file)?.text ?? readFile?.(fe.file);
    const base = current ?? '';
    if (!originals.has(fe.file)) originals.set(fe.file, current);
    const after = applyEdits(base, fe.edits);
    const kind = engine.file(fe.file)?.kind ?? kindFor(fe.file, after);
    if (kind) engine.upsert({ path: fe.file, text: after, kind });
    else pending.set(fe.file, after);
  }
}

/** Texts of changed files the engine does not audit (kept here so later fixes and the result see them). */
const pending = new Map<string, string>();

/**
 * Fixes every fixable finding (optionally of some rules / files), recomputing each fix from the text
 * left by the previous one and auditing again, until no fix applies. Idempotent: a second run finds
 * nothing to do.
 */
export function fixAll(engine: Engine, opts: FixAllOptions = {}): FixAllResult {
  const originals = new Map<string, string | undefined>();
  const applied: FixAllResult['applied'] = [];
  const declined: FixAllResult['declined'] = [];
  const attempted = new Set<string>();
  pending.clear();
  const read: ReadFile = (p) => pending.get(p) ?? opts.readFile?.(p);
  const max = opts.maxFixes ?? 1000;
  while (applied.length < max) {
    const result = engine.audit(opts.audit);
    const next = result.findings.find((f) => f.fixable && (!opts.rules || opts.rules.has(f.ruleId)) && (!opts.files || opts.files.has(f.file)) && !attempted.has(findingKey(f)));
    if (!next) break;
    attempted.add(findingKey(next));
    const out = computeFix(engine, next, read);
    if ('declined' in out) {
      declined.push({ ruleId: next.ruleId, file: next.file, line: next.range.start.line, reason: out.declined });
      continue;
    }
    applyToEngine(engine, out.edits, read, originals);
    applied.push({ ruleId: next.ruleId, file: next.file, line: next.range.start.line, title: out.title });
  }
  const files: FixAllResult['files'] = new Map();
  for (const [path, before] of originals) {
    const after = engine.file(path)?.text ?? pending.get(path);
    if (after !== undefined && after !== before) files.set(path, { before, after });
  }
  if (!opts.keep) {
    for (const [path, before] of originals) {
      const kind = engine.file(path)?.kind;
      if (before === undefined) engine.remove(path);
      else if (kind) engine.upsert({ path, text: before, kind });
    }
  }
  pending.clear();
  return { files, applied, declined };
}
