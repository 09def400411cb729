import type { AuditOptions, Engine } from '../audit';
import { classifyPath, sniffKubernetes } from '../discover';
import type { FileEdit, FileKind, Finding } from '../model';
import { parseFile } from '../parse';
import { applyEdits, LineIndex } from '../text';
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

/** Errors of a file as the engine parsed it (no second parse), else parsed now. */
function currentErrors(engine: Engine, path: string, text: string, kind: FileKind | undefined): number {
  const f = engine.file(path);
  if (f && f.text === text) return f.problems.filter((p) => p.severity === 'error').length;
  return errorCount(path, text, kind);
}

/** Why a file may not be written (a symbolic link to outside the folder…), or undefined when it may. */
export type Unwritable = (file: string) => string | undefined;

/**
 * The fix for a finding, computed from the current text the engine holds (or `readFile`). Declines
 * when the item has no fix, the target moved, a file it would edit may not be written (`unwritable`), or
 * the edit would leave a file that no longer parses.
 */
export function computeFix(engine: Engine, finding: Finding, readFile?: ReadFile, unwritable?: Unwritable): FixOutput {
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
    const refused = unwritable?.(fe.file);
    if (refused) return { declined: refused };
  }
  for (const fe of out.edits) {
    const before = fe.create ? '' : read(fe.file);
    if (before === undefined) return { declined: `${fe.file} cannot be read` };
    const after = applyEdits(before, fe.edits);
    const k = engine.file(fe.file)?.kind ?? kindFor(fe.file, after);
    if (errorCount(fe.file, after, k) > (fe.create ? 0 : currentErrors(engine, fe.file, before, k))) return { declined: `the edit would leave ${fe.file} unparseable; not applied` };
  }
  return out;
}

export interface FixAllOptions {
  /** Only findings of these rule ids (default: every fixable rule). */
  rules?: ReadonlySet<string>;
  /** Only findings in these files. */
  files?: ReadonlySet<string>;
  readFile?: ReadFile;
  /** Files the fixes may not write: a fix that would edit one is declined with the reason. */
  unwritable?: Unwritable;
  audit?: AuditOptions;
  /** Keep the fixed texts in the engine (default: restore the engine to the original texts). */
  keep?: boolean;
  /** Upper bound on fixes applied (guards against fixes that keep finding work). */
  maxFixes?: number;
  /** Apply one fix per round (slower; the same keys and values, sibling keys possibly in another order). */
  sequential?: boolean;
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

interface Span {
  start: number;
  end: number;
  /** For an insert that adds whole lines after a line (`\n  key: …`): its first line (indentation and key). */
  adds?: string;
}

/** The offsets a fix's edits occupy, per file (a created file takes the whole file). */
function spans(edits: readonly FileEdit[], read: ReadFile): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const fe of edits) {
    const list = out.get(fe.file) ?? [];
    const text = read(fe.file);
    if (fe.create || text === undefined) list.push({ start: -Infinity, end: Infinity });
    else {
      const index = new LineIndex(text);
      for (const e of fe.edits) {
        const start = index.offsetAt(e.range.start);
        const end = index.offsetAt(e.range.end);
        const m = start === end ? /^\r?\n([^\r\n]*\S[^\r\n]*)/.exec(e.newText.replace(/^,/, '')) : null;
        list.push({ start, end, adds: m ? m[1].trimEnd() : undefined });
      }
    }
    out.set(fe.file, list);
  }
  return out;
}

function indent(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/**
 * Two fixes can share a round when their edits neither overlap nor touch, except whole-line inserts at
 * the same spot that add different keys to the same map (a liveness and a readiness probe after the
 * same container): siblings, so their order does not change the structure.
 */
function clashes(a: Map<string, Span[]>, b: Map<string, Span[]>): boolean {
  for (const [file, list] of a) {
    for (const x of list) {
      for (const y of b.get(file) ?? []) {
        if (x.start === x.end && y.start === y.end && x.start === y.start && x.adds && y.adds && x.adds !== y.adds && indent(x.adds) === indent(y.adds)) continue;
        if (x.start <= y.end && y.start <= x.end) return true;
      }
    }
  }
  return false;
}

/**
 * Fixes every fixable finding (optionally of some rules / files) until no fix applies. Each round
 * audits, computes the fixes from the current texts, and applies together those whose edits do not
 * meet; fixes that do (the same key added twice to one map) wait for the next round and are recomputed
 * from the text the first one left. Idempotent: a second run finds nothing to do.
 */
export function fixAll(engine: Engine, opts: FixAllOptions = {}): FixAllResult {
  const originals = new Map<string, string | undefined>();
  const applied: FixAllResult['applied'] = [];
  const pending = new Map<string, string>();
  const read: ReadFile = (p) => engine.file(p)?.text ?? pending.get(p) ?? opts.readFile?.(p);
  // a finding once fixed is never fixed again (a fix that does not clear its finding cannot loop);
  // a declined one is retried after another fix changed its file (privileged: false first, then allowPrivilegeEscalation)
  const attempted = new Set<string>();
  const declinedAt = new Map<string, number>();
  const lastDeclined = new Map<string, FixAllResult['declined'][number]>();
  const changes = new Map<string, number>();
  /** Per file the engine was given a fixed text of, what puts back the file it held before the first fix. */
  const undos = new Map<string, () => void>();
  const version = (f: Finding): number => changes.get(f.file) ?? 0;
  const max = opts.maxFixes ?? 1000;
  while (applied.length < max) {
    const result = engine.audit(opts.audit);
    const candidates = result.findings.filter((f) => f.fixable && (!opts.rules || opts.rules.has(f.ruleId)) && (!opts.files || opts.files.has(f.file)) && !attempted.has(findingKey(f)) && declinedAt.get(findingKey(f)) !== version(f));
    if (!candidates.length) break;
    const batch: { f: Finding; edits: FileEdit[]; title: string }[] = [];
    let taken = new Map<string, Span[]>();
    for (const f of candidates) {
      if (applied.length + batch.length >= max) break;
      const key = findingKey(f);
      if (batch.some((b) => findingKey(b.f) === key)) continue;
      const out = computeFix(engine, f, read, opts.unwritable);
      if ('declined' in out) {
        declinedAt.set(key, version(f));
        lastDeclined.set(key, { ruleId: f.ruleId, file: f.file, line: f.range.start.line, reason: out.declined });
        continue;
      }
      const s = spans(out.edits, read);
      if (batch.length && (opts.sequential || clashes(s, taken))) continue; // next round, from the new text
      batch.push({ f, edits: out.edits, title: out.title });
      taken = new Map([...taken, ...[...s].map(([file, list]) => [file, [...(taken.get(file) ?? []), ...list]] as [string, Span[]])]);
    }
    if (!batch.length) continue;
    // all edits of the round against the round's texts, file by file
    const byFile = new Map<string, FileEdit>();
    for (const b of batch) {
      for (const fe of b.edits) {
        const cur = byFile.get(fe.file);
        byFile.set(fe.file, cur ? { ...cur, create: cur.create || fe.create, edits: [...cur.edits, ...fe.edits] } : { ...fe, edits: [...fe.edits] });
      }
    }
    for (const fe of byFile.values()) {
      const current = read(fe.file);
      if (!originals.has(fe.file)) originals.set(fe.file, current);
      const after = applyEdits(current ?? '', fe.edits);
      const kind = engine.file(fe.file)?.kind ?? kindFor(fe.file, after);
      if (kind) {
        // lent, so that putting the file back (without `keep`) costs no parse and no checks
        const undo = engine.lend({ path: fe.file, text: after, kind });
        if (undo && !undos.has(fe.file)) undos.set(fe.file, undo);
      } else pending.set(fe.file, after);
      changes.set(fe.file, (changes.get(fe.file) ?? 0) + 1);
    }
    for (const b of batch) {
      const key = findingKey(b.f);
      attempted.add(key);
      declinedAt.delete(key);
      lastDeclined.delete(key);
      applied.push({ ruleId: b.f.ruleId, file: b.f.file, line: b.f.range.start.line, title: b.title });
    }
  }
  const files: FixAllResult['files'] = new Map();
  for (const [path, before] of originals) {
    const after = engine.file(path)?.text ?? pending.get(path);
    if (after !== undefined && after !== before) files.set(path, { before, after });
  }
  if (!opts.keep) {
    // each file's first undo puts back the text it had before the first fix
    for (const undo of [...undos.values()].reverse()) undo();
  }
  return { files, applied, declined: [...lastDeclined.values()] };
}
