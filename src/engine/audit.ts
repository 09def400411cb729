import type { Checklist, Config } from './checklist/schema';
import { sortProblems, summarize, withUnauditedInputs } from './auditSummary';
import { FileOutputs, type KindOutputs } from './fileOutputs';
import { FileStore, type Entry } from './fileStore';
import { assembleItem, type ItemOutputs, type ItemRecord } from './itemRecord';
import { KeptFindings, sameSuppressions } from './keptFindings';
import { Memos, type Input, type Memo } from './memo';
import type { Attestation, AuditResult, Problem, Unaudited, UnauditedPolicy } from './model';
import { parseFile } from './parse';
import { presentRendered } from './render/present';
import { FindingOrder } from './reportOrder';
import { resolveItems, sameDefinition, type ResolvedItem } from './resolve';
import { readSuppressions } from './suppress';
import { runWorkspace, type WorkspaceRun } from './workspaceRuns';
import type { ParsedFile, SourceFile } from './workspace';

export { summarize } from './auditSummary';
export { sortFindings } from './reportOrder';
export { resolveItems, type ResolvedItem } from './resolve';

export interface AuditOptions {
  /** Ignore every suppression. */
  strict?: boolean;
  attestations?: ReadonlyMap<string, Attestation>;
  /** Problems found by the host (unreadable files, config errors) to report alongside. */
  problems?: readonly Problem[];
  /** Inputs the host could not audit (unreadable, too large, unrendered): reported and counted with the engine's own. */
  unaudited?: readonly Unaudited[];
}


/**
 * The audit engine. Its inputs are the files (see FileStore), the checklists and config (`configure`), and
 * per audit `strict` and the attestations; everything else is a memo derived from them (memo.ts): each
 * item's outputs on each kind of file, each workspace check's run, each item's assembled record. After an
 * edit only the edited file's checks run again, and only the items whose outputs changed are assembled again.
 */
export class Engine {
  private readonly memos = new Memos();
  private readonly store = new FileStore(this.memos);
  private items: ResolvedItem[] = [];
  private itemProblems: Problem[] = [];
  private itemById = new Map<string, ResolvedItem>();
  /** Each workspace item's run, by id: kept by `configure` while the item's definition stays the same. */
  private workspaceRuns = new Map<string, Memo<WorkspaceRun>>();
  private outputs = new FileOutputs([]);
  private readonly strict: Input<boolean> = this.memos.input(false);
  private attested: Input<Attestation | undefined>[] = [];
  /** Per item slot, its record of the last audit: recomputed only when something it read changed. */
  private records: Memo<ItemRecord>[] = [];
  /** The findings no suppression silences, remembered per finding while no suppression changed. */
  private readonly silencing = new KeptFindings((file) => {
    const entry = this.store.entries.get(file);
    return entry && (entry.suppressions ??= readSuppressions(entry.parsed));
  });
  /** Entries whose file checks have not run yet (new text, or new checklists). */
  private pending: Entry[] = [];
  /** Entries keeping the outputs of the text they replaced until the next audit. */
  private withPrevious: Entry[] = [];
  /** The reported findings in report order, rebuilt only for files whose findings changed. */
  private readonly order = new FindingOrder();
  /** During an audit: the files whose reported findings changed, and whether every list is built anew. */
  private dirty = new Set<string>();
  private rebuildAll = false;
  /** Bumped by `configure`: check outputs kept on a replaced entry belong to the checklists of their epoch. */
  private configureEpoch = 0;
  private unauditedPolicy: UnauditedPolicy = 'error';

  constructor(
    checklists: readonly Checklist[],
    config: Config = {},
    readonly root = '.',
  ) {
    this.configure(checklists, config);
  }

  /** How many times each derived value was computed, by name: what re-ran after a change. */
  get executions(): ReadonlyMap<string, number> {
    return this.memos.executions;
  }

  /**
   * New checklists or config. What was computed for an item defined as before (same check, params,
   * severity and fixability; see sameDefinition) is kept: its outputs on every file and its workspace run.
   */
  configure(checklists: readonly Checklist[], config: Config = {}): void {
    const { items, problems } = resolveItems(checklists, config);
    const before = this.itemById;
    const outputsBefore = this.outputs;
    // per new slot, the old slot of the same item defined as before, else -1
    const slotBefore = new Map(this.items.map((ri, slot) => [ri, slot]));
    const carried = Int32Array.from(items, (ri) => {
      const old = before.get(ri.item.id);
      return old && sameDefinition(old, ri) ? slotBefore.get(old)! : -1;
    });
    this.unauditedPolicy = config.unaudited ?? 'error';
    this.items = items;
    this.itemProblems = problems;
    this.itemById = new Map(items.map((ri) => [ri.item.id, ri]));
    this.outputs = new FileOutputs(items);
    this.configureEpoch++;
    this.pending = [];
    for (const e of this.store.entries.values()) {
      e.outs = e.outs && this.outputs.carry(outputsBefore, e.parsed.kind, e.outs, carried);
      e.previous = undefined;
      this.pending.push(e);
    }
    const runs = this.workspaceRuns;
    this.workspaceRuns = new Map();
    for (const [slot, ri] of items.entries()) {
      const run = carried[slot] < 0 ? undefined : runs.get(ri.item.id);
      if (run) this.workspaceRuns.set(ri.item.id, run);
    }
    this.attested = items.map(() => this.memos.input<Attestation | undefined>(undefined));
    this.records = items.map((ri, slot) => this.recordOf(ri, slot));
    this.order.reset();
  }

  /** An item's record as a memo over its outputs (per kind of file, or its workspace run), `strict`, its attestation and the suppressions. */
  private recordOf(ri: ResolvedItem, slot: number): Memo<ItemRecord> {
    const t = ri.template;
    const id = ri.item.id;
    let outputs: () => ItemOutputs[] = () => [];
    if (t?.scope === 'file') {
      const perKind = t.kinds.map((kind) => ({ kind, outs: this.memos.memo<KindOutputs>(`outputs of ${id} on ${kind}`, (last) => this.outputs.of(this.store.entriesOf(kind), kind, slot, last)) }));
      outputs = () => perKind.map(({ kind, outs }) => ({ kind, onFiles: outs.get() }));
    } else if (t?.scope === 'workspace') {
      let run = this.workspaceRuns.get(id);
      if (!run) this.workspaceRuns.set(id, (run = this.memos.memo<WorkspaceRun>(`workspace run of ${id}`, (last) => runWorkspace(this.store, ri, t, last))));
      outputs = () => [{ outs: [run.get().out] }];
    }
    return this.memos.memo(`record of ${id}`, (previous) =>
      assembleItem({
        ri,
        strict: this.strict.get(),
        attestation: this.attested[slot].get(),
        silencing: this.silencing,
        suppressionEpoch: this.store.suppressionEpoch(),
        outputs: outputs(),
        previous,
        dirty: this.dirty,
        rebuildAll: this.rebuildAll,
      }),
    );
  }

  get resolvedItems(): readonly ResolvedItem[] {
    return this.items;
  }

  item(id: string): ResolvedItem | undefined {
    return this.itemById.get(id);
  }

  /** Adds or updates a file. Returns false when the content is unchanged (nothing to re-run). */
  upsert(src: SourceFile): boolean {
    const old = this.store.entries.get(src.path);
    if (old && old.parsed.text === src.text && old.parsed.kind === src.kind) {
      // the same output from changed sources (a comment moved in a template): only the source map changes
      if (old.parsed.rendered !== src.rendered) {
        old.parsed.rendered = src.rendered;
        this.renderEpoch++;
      }
      return false;
    }
    const parsed = parseFile(src);
    if (src.rendered) parsed.rendered = src.rendered;
    // every field named up front: one added later would need a separate properties store per entry
    this.install({ parsed, gone: false, outs: undefined, suppressions: undefined, previous: undefined }, old);
    return true;
  }

  /** Bumped whenever a rendered file or its source map comes, changes or goes (see presentRendered). */
  renderEpoch = 0;

  /** Whether any file the engine holds is a rendered chart or kustomization. */
  get hasRendered(): boolean {
    if (this.renderedCount === undefined) {
      let n = 0;
      for (const e of this.store.entries.values()) if (e.parsed.rendered) n++;
      this.renderedCount = n;
      this.renderedCountEpoch = this.renderEpoch;
    }
    return this.renderedCount > 0;
  }
  private renderedCount?: number;
  private renderedCountEpoch = -1;

  /**
   * `upsert` for a while: the text of an unsaved document a fix is computed from, or a fix's result while
   * more fixes are computed. Returns what undoes it: the file is put back as it was before, its parse and
   * its check outputs included, so that nothing is parsed or checked again (a file that was not there is
   * removed). Undoing after other upserts of the file puts back the same earlier state. Undefined when the
   * text is the one the engine holds (nothing to undo).
   */
  lend(src: SourceFile): (() => void) | undefined {
    const old = this.store.entries.get(src.path);
    if (!this.upsert(src)) return undefined;
    if (!old) return () => void this.remove(src.path);
    const epoch = this.configureEpoch;
    return () => {
      const cur = this.store.entries.get(src.path);
      if (cur === old) return;
      // outputs of other checklists are not kept
      if (epoch !== this.configureEpoch) old.outs = undefined;
      this.install(old, cur);
    };
  }

  /**
   * Puts an entry in place of its file's current one (`old`, if any): a new parse (`upsert`), or an entry
   * that was replaced, back with its parse and outputs (`lend`). Its checks run at the next audit, only
   * those whose outputs it lacks.
   */
  private install(entry: Entry, old: Entry | undefined): void {
    const kind = entry.parsed.kind;
    if (entry.parsed.rendered || old?.parsed.rendered) this.renderEpoch++;
    entry.gone = false;
    entry.previous = undefined;
    if (old) old.gone = true;
    let suppressionsChanged = false;
    if (old && old.parsed.kind === kind) {
      entry.suppressions ??= readSuppressions(entry.parsed);
      if (!sameSuppressions(entry.suppressions, (old.suppressions ??= readSuppressions(old.parsed)))) suppressionsChanged = true;
      else if (old.outs) {
        entry.previous = old.outs;
        this.withPrevious.push(entry);
      }
    }
    this.store.put(entry, old, suppressionsChanged);
    this.pending.push(entry);
    // many upserts without an audit: drop the entries already replaced again
    if (this.pending.length > 2 * this.store.entries.size + 64) this.pending = this.pending.filter((e) => !e.gone);
  }

  remove(path: string): boolean {
    const old = this.store.delete(path);
    if (!old) return false;
    if (old.parsed.rendered) this.renderEpoch++;
    old.gone = true;
    this.order.removed(path);
    return true;
  }

  has(path: string): boolean {
    return this.store.entries.has(path);
  }

  file(path: string): ParsedFile | undefined {
    return this.store.entries.get(path)?.parsed;
  }

  get paths(): string[] {
    return [...this.store.entries.keys()];
  }

  /**
   * Audits every file: the new entries' checks run file by file, then each item's record is read, which
   * assembles it again only when its outputs, `strict`, its attestation or the suppressions changed.
   */
  audit(options: AuditOptions = {}): AuditResult {
    this.strict.set(options.strict === true);
    for (let slot = 0; slot < this.items.length; slot++) this.attested[slot].set(options.attestations?.get(this.items[slot].item.id));
    // Nothing reported so far (a first audit): every list of findings is built, none is compared.
    this.rebuildAll = this.order.empty;
    this.dirty = new Set();
    if (this.pending.length > 0) {
      this.outputs.runAll(this.pending);
      this.pending = [];
    }
    const records = this.records.map((r) => r.get());
    for (const entry of this.withPrevious) entry.previous = undefined;
    this.withPrevious = [];
    const runProblems: Problem[] = [];
    const checkUnaudited: Unaudited[] = [];
    let suppressed = 0;
    for (const r of records) {
      for (const p of r.problems) runProblems.push(p);
      for (const u of r.unaudited) checkUnaudited.push(u);
      suppressed += r.suppressed;
    }
    const findings = this.order.update(records, this.rebuildAll ? undefined : this.dirty, (p) => this.store.entries.has(p), () => this.store.sortedPaths());
    const { problems, unaudited } = sortProblems(
      { host: options.problems ?? [], items: this.itemProblems, checks: runProblems, parse: this.store.parseProblems(), checkUnaudited },
      (file) => this.store.entries.get(file)?.parsed.kind,
    );
    const items = withUnauditedInputs(
      records.map((r) => r.result),
      this.items,
      unaudited,
    );
    const summary = summarize(this.store.entries.size, findings, items, suppressed, { unaudited: unaudited.length, policy: this.unauditedPolicy });
    if (this.renderedCountEpoch !== this.renderEpoch) this.renderedCount = undefined;
    return presentRendered({ root: this.root, summary, items, findings, problems, unaudited }, this);
  }
}
