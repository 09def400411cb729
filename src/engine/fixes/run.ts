import type { AuditOptions, Engine } from '../audit';
import type { FileEdit, Finding, TextEdit } from '../model';
import { applyEdits } from '../text';
import { renderedOrigin, renderedFix } from './rendered';
import { RenderedTexts } from './renderedDocs';
import { shiftLines } from '../render/sourceMap';
import { clashes, spans, type Span } from './spans';
import type { FixOutput } from './template';
import { fileKind, fixedTextProblem } from './verify';
import { placeKey, verifyAll } from './cleared';

export type ReadFile = (path: string) => string | undefined;

export { fileKind };

/** Why a file may not be written (a symbolic link to outside the folder…), or undefined when it may. */
export type Unwritable = (file: string) => string | undefined;

/**
 * The fix for a finding, computed from the current text the engine holds (or `readFile`). Declines
 * when the item has no fix, the target moved, a file it would edit may not be written (`unwritable`), or
 * the edit would leave a file that no longer parses. `rendered`: what the run has read of its texts (rendered
 * outputs, and the YAML files its fixes locate objects in), shared by its fixes.
 */
export function computeFix(engine: Engine, finding: Finding, readFile?: ReadFile, unwritable?: Unwritable, rendered?: RenderedTexts): FixOutput {
  const fix = engine.item(finding.ruleId)?.fix;
  if (!fix) return { declined: `${finding.ruleId} has no automatic fix` };
  const read = (p: string): string | undefined => engine.file(p)?.text ?? readFile?.(p);
  const origin = renderedOrigin(finding);
  const output = origin ? engine.file(origin.file) : undefined;
  if (origin && !output?.rendered) return { declined: `the output of ${origin.from} changed; audit again` };
  // a repository finding is in no file: its fix creates or edits the files it names
  const repository = finding.scope === 'repository';
  const text = repository ? '' : read(finding.file);
  if (text === undefined) return { declined: `${finding.file} cannot be read` };
  const kind = repository ? undefined : fileKind(engine, finding.file, text);
  let out: FixOutput;
  try {
    out = origin && output ? renderedFix(fix.template, fix.params, finding, origin, { text: output.text, info: output.rendered }, read, rendered) : fix.template.compute({ text, finding, params: fix.params, kind, readFile: read, yaml: rendered?.yaml });
  } catch (e) {
    return { declined: `the fix failed: ${(e as Error).message}` };
  }
  if ('declined' in out) return out;
  for (const fe of out.edits) {
    const refused = unwritable?.(fe.file);
    if (refused) return { declined: refused };
  }
  for (const fe of out.edits) {
    const before = fe.create ? undefined : read(fe.file);
    if (before === undefined && !fe.create) return { declined: `${fe.file} cannot be read` };
    const after = applyEdits(before ?? '', fe.edits);
    const why = fixedTextProblem(fe.file, before, after, fileKind(engine, fe.file, after));
    if (why) return { declined: why };
  }
  const changesBehaviour = engine.item(finding.ruleId)?.item.fix?.changesBehaviour;
  return changesBehaviour ? { ...out, changesBehaviour } : out;
}

export interface FixAllOptions {
  /** Only findings of these rule ids (default: every fixable rule). */
  rules?: ReadonlySet<string>;
  /** Only findings in these files. */
  files?: ReadonlySet<string>;
  /** Only findings this accepts (e.g. the findings of one container); applied with `rules` and `files`. */
  where?: (f: Finding) => boolean;
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
  /** Told each round's edits of a file, against its text before that round (for tests that follow every byte). */
  onEdits?: (file: string, edits: readonly TextEdit[]) => void;
}

export interface FixAllResult {
  /** Changed files: text before (undefined when the fix creates the file) and after. */
  files: Map<string, { before: string | undefined; after: string }>;
  applied: { ruleId: string; file: string; line: number; title: string; changesBehaviour?: string }[];
  declined: { ruleId: string; file: string; line: number; reason: string }[];
}

function findingKey(f: Finding): string {
  // a rendered finding's place in the output moves when a fix before it adds lines there
  const origin = renderedOrigin(f);
  const data = origin ? { ...f.data, rendered: { file: origin.file, data: origin.data } } : (f.data ?? null);
  return JSON.stringify([f.ruleId, f.file, f.object ?? '', f.container ?? '', f.message, data]);
}

interface Planned {
  f: Finding;
  edits: FileEdit[];
  title: string;
  changesBehaviour?: string;
  /** Edits of rendered output that predict the next rendering (see FixOutput). */
  predicted?: FileEdit[];
}

/** The texts a round's fixes leave, file by file, and why a file's combined text may not be kept. */
function combine(batch: readonly Planned[], read: ReadFile, engine: Engine): { texts: Map<string, string>; failing: Map<string, string>; byFile: Map<string, TextEdit[]> } {
  const byFile = new Map<string, TextEdit[]>();
  for (const b of batch) for (const fe of [...b.edits, ...(b.predicted ?? [])]) byFile.set(fe.file, [...(byFile.get(fe.file) ?? []), ...fe.edits]);
  const texts = new Map<string, string>();
  const failing = new Map<string, string>();
  for (const [file, edits] of byFile) {
    const before = read(file);
    const after = applyEdits(before ?? '', edits);
    texts.set(file, after);
    const why = fixedTextProblem(file, before, after, fileKind(engine, file, after));
    if (why) failing.set(file, why);
  }
  return { texts, failing, byFile };
}

/**
 * Fixes every fixable finding (optionally of some rules / files) until no fix applies. Each round
 * audits, computes the fixes from the current texts, and applies together those whose edits do not
 * meet and whose combined text still parses strictly; the others wait for the next round and are
 * recomputed from the text the first one left. At the end every changed file must parse strictly and
 * re-audit without the findings its fixes fixed. A fix whose finding is still there is declined and the run
 * made again without it, so the file's other fixes are kept; a file that still fails is left as it was, and
 * its fixes (and fixes that edited it together with other files) are declined. Idempotent: a second run finds
 * nothing to do.
 */
export function fixAll(engine: Engine, opts: FixAllOptions = {}): FixAllResult {
  // a fix that did not clear its finding is left out and the run made again, so that the file's other fixes are kept
  const skip = new Map<string, FixAllResult['declined'][number]>();
  for (let tries = 0; ; tries++) {
    const run = fixRounds(engine, opts, skip);
    const fresh = run.uncleared.filter((f) => !skip.has(placeKey(f)));
    if (fresh.length && tries < MAX_RETRIES) {
      run.restore();
      for (const f of fresh) skip.set(placeKey(f), { ruleId: f.ruleId, file: f.file, line: f.range.start.line, reason: `its fix did not clear the finding; ${f.file} was fixed without it` });
      continue;
    }
    if (!opts.keep) run.restore();
    return { ...run.result, declined: [...skip.values(), ...run.result.declined] };
  }
}

/** How often a run is made again without the fixes that did not clear their findings. */
const MAX_RETRIES = 3;

interface Rounds {
  result: FixAllResult;
  /** Findings whose fix was applied but which are still there when the files are audited again. */
  uncleared: Finding[];
  /** Puts back the texts the engine held before the first fix. */
  restore: () => void;
}

/** The rounds of one run of `fixAll`, leaving out the findings in `skip`; the engine keeps the fixed texts until `restore`. */
function fixRounds(engine: Engine, opts: FixAllOptions, skip: ReadonlyMap<string, unknown>): Rounds {
  const originals = new Map<string, string | undefined>();
  const applied: (FixAllResult['applied'][number] & { finding: Finding; files: string[] })[] = [];
  const pending = new Map<string, string>();
  const read: ReadFile = (p) => engine.file(p)?.text ?? pending.get(p) ?? opts.readFile?.(p);
  // a finding once fixed is never fixed again (a fix that does not clear its finding cannot loop);
  // a declined one is retried after another fix changed its file (privileged: false first, then allowPrivilegeEscalation)
  const attempted = new Set<string>();
  const declinedAt = new Map<string, number>();
  const lastDeclined = new Map<string, FixAllResult['declined'][number]>();
  const changes = new Map<string, number>();
  /** Rendered outputs given a predicted text. */
  const rendered = new Set<string>();
  /** Per file the engine was given a fixed text of, what puts back the file it held before the first fix. */
  const undos = new Map<string, () => void>();
  const version = (f: Finding): number => changes.get(f.file) ?? 0;
  const decline = (f: Finding, reason: string): void => {
    declinedAt.set(findingKey(f), version(f));
    lastDeclined.set(findingKey(f), { ruleId: f.ruleId, file: f.file, line: f.range.start.line, reason });
  };
  const max = opts.maxFixes ?? 1000;
  const renderedTexts = new RenderedTexts();
  let before: readonly Finding[] | undefined;
  while (applied.length < max) {
    const result = engine.audit(opts.audit);
    before ??= result.findings;
    const candidates = result.findings.filter((f) => f.fixable && (!opts.rules || opts.rules.has(f.ruleId)) && (!opts.files || opts.files.has(f.file)) && (!opts.where || opts.where(f)) && !attempted.has(findingKey(f)) && !skip.has(placeKey(f)) && declinedAt.get(findingKey(f)) !== version(f));
    if (!candidates.length) break;
    let batch: Planned[] = [];
    let taken = new Map<string, Span[]>();
    for (const f of candidates) {
      if (applied.length + batch.length >= max) break;
      const key = findingKey(f);
      if (batch.some((b) => findingKey(b.f) === key)) continue;
      const out = computeFix(engine, f, read, opts.unwritable, renderedTexts);
      if ('declined' in out) {
        decline(f, out.declined);
        continue;
      }
      const s = spans([...out.edits, ...(out.predicted ?? [])], read);
      if (batch.length && (opts.sequential || clashes(s, taken))) continue; // next round, from the new text
      batch.push({ f, edits: out.edits, title: out.title, changesBehaviour: out.changesBehaviour, predicted: out.predicted });
      taken = new Map([...taken, ...[...s].map(([file, list]) => [file, [...(taken.get(file) ?? []), ...list]] as [string, Span[]])]);
    }
    if (!batch.length) continue;
    // all edits of the round against the round's texts, file by file; where the combined text of a file
    // does not parse strictly (two keys filled into one `{}`), only the first of its fixes is applied now
    let round = combine(batch, read, engine);
    while (round.failing.size) {
      const touches = (b: Planned): boolean => b.edits.some((fe) => round.failing.has(fe.file));
      if (batch.length === 1) {
        decline(batch[0].f, [...round.failing.values()][0]);
        batch = [];
        break;
      }
      const first = batch.find(touches);
      batch = batch.filter((b) => b === first || !touches(b));
      round = combine(batch, read, engine);
    }
    for (const [file, after] of round.texts) {
      opts.onEdits?.(file, batch.flatMap((b) => b.edits.filter((fe) => fe.file === file).flatMap((fe) => fe.edits)));
      if (!originals.has(file)) originals.set(file, read(file));
      const info = engine.file(file)?.rendered;
      if (info) rendered.add(file);
      // a values or base file a rendered fix edits is not audited on its own (the rendering consumes it)
      const consumed = !engine.file(file) && batch.some((b) => b.predicted && b.edits.some((fe) => fe.file === file));
      const kind = consumed ? undefined : fileKind(engine, file, after);
      if (kind) {
        // lent, so that putting the file back (without `keep`) costs no parse and no checks
        const undo = engine.lend(info ? { path: file, text: after, kind, rendered: shiftLines(info, round.byFile.get(file) ?? []) } : { path: file, text: after, kind });
        if (undo && !undos.has(file)) undos.set(file, undo);
      } else pending.set(file, after);
      changes.set(file, (changes.get(file) ?? 0) + 1);
    }
    for (const b of batch) {
      const key = findingKey(b.f);
      attempted.add(key);
      declinedAt.delete(key);
      lastDeclined.delete(key);
      const files = [...new Set([...b.edits, ...(b.predicted ?? [])].map((fe) => fe.file))];
      applied.push({ ruleId: b.f.ruleId, file: b.f.file, line: b.f.range.start.line, title: b.title, ...(b.changesBehaviour ? { changesBehaviour: b.changesBehaviour } : {}), finding: b.f, files });
    }
  }
  const { refused, uncleared } = verifyAll(engine, opts, originals, (p) => engine.file(p)?.text ?? pending.get(p), applied, before ?? []);
  // a file that fails, and every file edited by a fix that also edited it, are put back as they were
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of applied) {
      const bad = a.files.find((f) => refused.has(f));
      if (!bad) continue;
      for (const f of a.files) {
        if (refused.has(f)) continue;
        refused.set(f, `it goes with a fix of ${bad} that was not applied (${refused.get(bad)})`);
        grew = true;
      }
    }
  }
  for (const file of refused.keys()) {
    undos.get(file)?.();
    undos.delete(file);
    pending.delete(file);
  }
  const declined = [...lastDeclined.values()];
  const kept: FixAllResult['applied'] = [];
  for (const a of applied) {
    const bad = a.files.find((f) => refused.has(f));
    if (bad) declined.push({ ruleId: a.ruleId, file: a.file, line: a.line, reason: refused.get(bad)! });
    else kept.push({ ruleId: a.ruleId, file: a.file, line: a.line, title: a.title, ...(a.changesBehaviour ? { changesBehaviour: a.changesBehaviour } : {}) });
  }
  const files: FixAllResult['files'] = new Map();
  for (const [path, before] of originals) {
    // a rendered output's predicted text is never written: rendering again gives it
    if (refused.has(path) || rendered.has(path)) continue;
    const after = engine.file(path)?.text ?? pending.get(path);
    if (after !== undefined && after !== before) files.set(path, { before, after });
  }
  // each file's first undo puts back the text it had before the first fix
  const restore = (): void => {
    for (const undo of [...undos.values()].reverse()) undo();
  };
  return { result: { files, applied: kept, declined }, uncleared, restore };
}
