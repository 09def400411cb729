import type { AnyTemplate, CheckOutput, FileCheckTemplate } from './checks/template';
import type { Checklist, Config } from './checklist/schema';
import { samePlain } from './checks/derived';
import { sortProblems, summarize, withUnauditedInputs, ZERO_RANGE } from './auditSummary';
import { NOT_APPLICABLE, NOTHING_FOUND, checkFailed, itemResult, stamp, type ItemOut } from './itemOutput';
import type { Attestation, AuditResult, Evidence, FileKind, Finding, ItemResult, Problem, Unaudited, UnauditedPolicy } from './model';
import { parseFile } from './parse';
import { presentRendered } from './render/present';
import { changedFiles, FindingOrder, group, type ReportedPart } from './reportOrder';
import { resolveItems, type ResolvedItem } from './resolve';
import { KeptFindings, sameSuppressions } from './keptFindings';
import { readSuppressions, type FileSuppressions } from './suppress';
import { WorkspaceRuns } from './workspaceRuns';
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

interface Entry {
  parsed: ParsedFile;
  /** Replaced by a newer text of its file, or removed. */
  gone: boolean;
  /** Unique per content version; cached workspace-check results remember the versions they read. */
  version: number;
  /**
   * File-scope check outputs, by the item's position among the items that read this kind of file (see
   * `slotIndex`); a new entry (new text) or new checklists start empty.
   */
  outs?: (ItemOut | undefined)[];
  suppressions?: FileSuppressions;
  /**
   * The outputs of the text this entry replaced, while neither text has a suppression: a re-run whose
   * output equals the old one keeps the old object, so the item's assembled result can be kept too.
   */
  previous?: (ItemOut | undefined)[];
}

const NO_FILES: ReadonlyMap<string, Finding[]> = new Map();

/** An item's part of the last audit, kept while nothing it was assembled from changed. */
class ItemCache implements ReportedPart {
  /**
   * The reported findings by file (auto items only), made when an audit first compares them: a first audit
   * has nothing to compare with and needs none.
   */
  private groups?: ReadonlyMap<string, Finding[]>;
  constructor(
    /** File scope: the version of each kind read. */
    readonly versions: number[] | undefined,
    /** Workspace scope: the output taken. */
    readonly out: ItemOut | undefined,
    readonly strict: boolean,
    readonly suppressionEpoch: number,
    readonly attestation: Attestation | undefined,
    readonly result: ItemResult,
    readonly reported: Finding[],
    groups: ReadonlyMap<string, Finding[]> | undefined,
    readonly suppressed: number,
    readonly problems: Problem[],
    readonly unaudited: Unaudited[],
  ) {
    this.groups = groups;
  }

  get mode(): ItemResult['mode'] {
    return this.result.mode;
  }

  byFile(): ReadonlyMap<string, Finding[]> {
    return (this.groups ??= this.result.mode === 'auto' ? group(this.reported) : NO_FILES);
  }
}

/**
 * The audit engine: keeps parsed files and per-file check results keyed by content, so that after an
 * edit only the changed file's checks and the workspace-wide checks run again.
 */
export class Engine {
  private readonly entries = new Map<string, Entry>();
  private items: ResolvedItem[] = [];
  private itemProblems: Problem[] = [];
  private readonly itemById = new Map<string, ResolvedItem>();
  /** Bumped on every change; per kind as well, so cached workspace-check results know when to re-run. */
  private version = 0;
  private readonly kindVersions = new Map<FileKind, number>();
  /** The findings no suppression silences, remembered per finding while no suppression changed. */
  private readonly silencing = new KeptFindings((file) => {
    const entry = this.entries.get(file);
    return entry && (entry.suppressions ??= readSuppressions(entry.parsed));
  });
  /** Per workspace item: its last output, kept while nothing it read changed. */
  private readonly workspaceRuns = new WorkspaceRuns({
    files: () => (this.allFiles ??= [...this.entries.values()].map((e) => e.parsed)),
    byKind: (k) => this.kindList(k).files,
    get: (p) => this.entries.get(p)?.parsed,
    version: () => this.version,
    kindVersion: (k) => this.kindVersions.get(k) ?? 0,
    pathVersion: (p) => this.entries.get(p)?.version ?? -1,
  });
  /**
   * Files and entries per kind, in insertion order. A kind's lists are rebuilt only after a file of that
   * kind changes, so the array `byKind` returns keeps its identity until then: checks may memoise work
   * shared across checks by keying a WeakMap on it.
   */
  private readonly kindLists = new Map<FileKind, { version: number; files: ParsedFile[]; entries: Entry[] }>();
  private allFiles?: ParsedFile[];
  private sortedPaths?: string[];
  /** Item results of the last audit, and what changed since: edits in place (entry replaced) and kinds whose file set changed. */
  private itemCache: (ItemCache | undefined)[] = [];
  private edited: { entry: Entry; before: (ItemOut | undefined)[] | undefined }[] = [];
  private readonly reshaped = new Set<FileKind>();
  /** Bumped when a file with suppressions changes, or files come and go: cached suppression results expire. */
  private suppressionEpoch = 0;
  /** The reported findings in report order, rebuilt only for files whose findings changed. */
  private readonly order = new FindingOrder();
  /** The slots of file-scope items by the kind of file they read. */
  private fileSlots = new Map<FileKind, number[]>();
  /**
   * Per kind, each item slot's position in `fileSlots` (-1: the item does not read the kind). An entry's
   * outputs are indexed by it: a file holds a slot for each item that reads it, not for every item.
   */
  private slotIndex = new Map<FileKind, Int32Array>();
  /** Entries whose file checks have not run yet (new text, or new checklists). */
  private pending: Entry[] = [];
  /** Every file's parse problems in file order; dropped when a file with problems comes, changes or goes. */
  private parseProblems?: Problem[];
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

  configure(checklists: readonly Checklist[], config: Config = {}): void {
    const { items, problems } = resolveItems(checklists, config);
    this.unauditedPolicy = config.unaudited ?? 'error';
    this.items = items;
    this.itemProblems = problems;
    this.itemById.clear();
    for (const i of items) this.itemById.set(i.item.id, i);
    this.fileSlots = new Map();
    this.slotIndex = new Map();
    items.forEach((ri, slot) => {
      if (ri.template?.scope !== 'file') return;
      for (const kind of ri.template.kinds) {
        let slots = this.fileSlots.get(kind);
        let index = this.slotIndex.get(kind);
        if (!slots || !index) {
          this.fileSlots.set(kind, (slots = []));
          this.slotIndex.set(kind, (index = new Int32Array(items.length).fill(-1)));
        }
        index[slot] = slots.length;
        slots.push(slot);
      }
    });
    this.configureEpoch++;
    this.pending = [];
    for (const e of this.entries.values()) {
      e.outs = e.previous = undefined;
      this.pending.push(e);
    }
    this.workspaceRuns.reset();
    this.itemCache = [];
    this.order.reset();
  }

  get resolvedItems(): readonly ResolvedItem[] {
    return this.items;
  }

  item(id: string): ResolvedItem | undefined {
    return this.itemById.get(id);
  }

  /** Adds or updates a file. Returns false when the content is unchanged (nothing to re-run). */
  upsert(src: SourceFile): boolean {
    const old = this.entries.get(src.path);
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
    this.install({ parsed, gone: false, version: 0, outs: undefined, suppressions: undefined, previous: undefined }, old);
    return true;
  }

  /** Bumped whenever a rendered file or its source map comes, changes or goes (see presentRendered). */
  renderEpoch = 0;

  /** Whether any file the engine holds is a rendered chart or kustomization. */
  get hasRendered(): boolean {
    if (this.renderedCount === undefined) {
      let n = 0;
      for (const e of this.entries.values()) if (e.parsed.rendered) n++;
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
    const old = this.entries.get(src.path);
    if (!this.upsert(src)) return undefined;
    if (!old) return () => void this.remove(src.path);
    const epoch = this.configureEpoch;
    return () => {
      const cur = this.entries.get(src.path);
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
    this.touch(kind, !old || old.parsed.kind !== kind);
    if (old && old.parsed.kind !== kind) this.touch(old.parsed.kind, true);
    entry.version = this.version;
    entry.gone = false;
    entry.previous = undefined;
    if (old) old.gone = true;
    if (entry.parsed.problems.length > 0 || (old && old.parsed.problems.length > 0)) this.parseProblems = undefined;
    if (old && old.parsed.kind === kind) {
      entry.suppressions ??= readSuppressions(entry.parsed);
      if (!sameSuppressions(entry.suppressions, (old.suppressions ??= readSuppressions(old.parsed)))) this.suppressionEpoch++;
      else entry.previous = old.outs;
      this.edited.push({ entry, before: old.outs });
    }
    this.entries.set(entry.parsed.path, entry);
    this.pending.push(entry);
    // many upserts without an audit: drop the entries already replaced again
    if (this.pending.length > 2 * this.entries.size + 64) this.pending = this.pending.filter((e) => !e.gone);
  }

  remove(path: string): boolean {
    const old = this.entries.get(path);
    if (!old) return false;
    if (old.parsed.rendered) this.renderEpoch++;
    this.touch(old.parsed.kind, true);
    old.gone = true;
    if (old.parsed.problems.length > 0) this.parseProblems = undefined;
    this.order.removed(path);
    return this.entries.delete(path);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  file(path: string): ParsedFile | undefined {
    return this.entries.get(path)?.parsed;
  }

  get paths(): string[] {
    return [...this.entries.keys()];
  }

  private touch(kind: FileKind, pathsChanged: boolean): void {
    this.version++;
    this.kindVersions.set(kind, this.version);
    this.allFiles = undefined;
    if (pathsChanged) {
      this.sortedPaths = undefined;
      this.reshaped.add(kind);
      this.suppressionEpoch++;
    }
  }

  private kindList(kind: FileKind): { files: ParsedFile[]; entries: Entry[] } {
    const version = this.kindVersions.get(kind) ?? 0;
    let list = this.kindLists.get(kind);
    if (!list || list.version !== version) {
      list = { version, files: [], entries: [] };
      for (const e of this.entries.values()) {
        if (e.parsed.kind !== kind) continue;
        list.files.push(e.parsed);
        list.entries.push(e);
      }
      this.kindLists.set(kind, list);
    }
    return list;
  }

  /**
   * Audits every file. File-scope results are cached per file content and workspace-scope results per
   * version of what the check read, so after an edit only the edited file's checks and the workspace
   * checks that read it run again; the rest of the work is linear in the number of findings.
   */
  audit(options: AuditOptions = {}): AuditResult {
    const strict = options.strict === true;
    const results: ItemResult[] = [];
    const dirty = new Set<string>();
    const runProblems: Problem[] = [];
    const checkUnaudited: Unaudited[] = [];
    let suppressed = 0;
    // Nothing reported so far (a first audit): every list of findings is built, none is compared.
    const rebuildAll = this.order.empty;
    this.runPending();
    for (let slot = 0; slot < this.items.length; slot++) {
      const ri = this.items[slot];
      const { item } = ri;
      const t = ri.template;
      const attestation = options.attestations?.get(item.id);
      const wsOut = t?.scope === 'workspace' ? this.workspaceRuns.run(slot, ri, t) : undefined;
      const cached = this.itemCache[slot];
      if (cached && cached.strict === strict && cached.suppressionEpoch === this.suppressionEpoch && cached.attestation === attestation && (t?.scope === 'workspace' ? cached.out === wsOut : this.fileItemUnchanged(slot, cached, t))) {
        for (const p of cached.problems) runProblems.push(p);
        for (const u of cached.unaudited) checkUnaudited.push(u);
        suppressed += cached.suppressed;
        results.push(cached.result);
        continue;
      }
      const suppressedBefore = suppressed;
      const problemsBefore = runProblems.length;
      const unauditedBefore = checkUnaudited.length;
      const reported: Finding[] = [];
      const evidence: Evidence[] = [];
      let applicable = false;
      const take = (out: ItemOut, entry?: Entry) => {
        if (out.problem) {
          runProblems.push(out.problem);
          checkUnaudited.push({ file: out.problem.file, range: ZERO_RANGE, reason: out.problem.message, scope: 'file', kind: entry?.parsed.kind, rules: [item.id] });
        }
        if (out.unaudited) for (const u of out.unaudited) checkUnaudited.push(u);
        if (!out.applicable) return;
        applicable = true;
        const kept = strict ? out.findings : this.silencing.kept(out, item.aliases, this.suppressionEpoch);
        suppressed += out.findings.length - kept.length;
        for (let i = 0; i < kept.length; i++) reported.push(kept[i]);
        if (out.evidence) for (let i = 0; i < out.evidence.length; i++) evidence.push(out.evidence[i]);
      };
      if (t?.scope === 'file') {
        for (const kind of t.kinds) {
          const at = this.at(kind, slot);
          for (const entry of this.kindList(kind).entries) {
            if (entry.parsed.model === undefined) continue;
            const out = this.outOf(entry, slot, at);
            // most files pass or are out of scope: the shared outputs need no bookkeeping
            if (out === NOTHING_FOUND) applicable = true;
            else if (out !== NOT_APPLICABLE) take(out, entry);
          }
        }
      } else if (wsOut) {
        take(wsOut);
      }
      const result = itemResult(ri, reported, evidence, applicable, checkUnaudited.length > unauditedBefore, attestation);
      const auto = result.mode === 'auto';
      let byFile: ReadonlyMap<string, Finding[]> | undefined;
      if (!cached) {
        // nothing to compare with: every file the item reports on changed
        if (auto && !rebuildAll) for (let i = 0; i < reported.length; i++) dirty.add(reported[i].file);
      } else {
        const now = auto ? group(reported) : NO_FILES;
        changedFiles(cached.byFile(), now, dirty);
        byFile = now;
      }
      results.push(result);
      this.itemCache[slot] = new ItemCache(
        t?.scope === 'file' ? t.kinds.map((k) => this.kindVersions.get(k) ?? 0) : undefined,
        wsOut,
        strict,
        this.suppressionEpoch,
        attestation,
        result,
        reported,
        byFile,
        suppressed - suppressedBefore,
        runProblems.slice(problemsBefore),
        checkUnaudited.slice(unauditedBefore),
      );
    }
    for (const { entry } of this.edited) entry.previous = undefined;
    this.edited = [];
    this.reshaped.clear();
    const findings = this.order.update(this.itemCache, rebuildAll ? undefined : dirty, (p) => this.entries.has(p), () => (this.sortedPaths ??= [...this.entries.keys()].sort()));
    const { problems, unaudited } = sortProblems(
      { host: options.problems ?? [], items: this.itemProblems, checks: runProblems, parse: (this.parseProblems ??= this.collectParseProblems()), checkUnaudited },
      (file) => this.entries.get(file)?.parsed.kind,
    );
    const items = withUnauditedInputs(results, this.items, unaudited);
    const summary = summarize(this.entries.size, findings, items, suppressed, { unaudited: unaudited.length, policy: this.unauditedPolicy });
    if (this.renderedCountEpoch !== this.renderEpoch) this.renderedCount = undefined;
    return presentRendered({ root: this.root, summary, items, findings, problems, unaudited }, this);
  }

  /**
   * Runs the file checks of new entries file by file, before items are assembled item by item: all the
   * checks of one file read its model while it is fresh in memory (item by item, each would reload it).
   */
  private runPending(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    for (const entry of pending) {
      if (entry.parsed.model === undefined || entry.gone) continue;
      const slots = this.fileSlots.get(entry.parsed.kind);
      if (!slots) continue;
      // the kind's slots in order: position i is where `slotIndex` puts slots[i]
      const outs = (entry.outs ??= new Array<ItemOut | undefined>(slots.length));
      for (let i = 0; i < slots.length; i++) outs[i] ??= this.runFile(entry, slots[i]);
    }
  }

  /** A file-scope item's output on an entry: run on first use, then kept until the entry is replaced. */
  private outOf(entry: Entry, slot: number, at = this.at(entry.parsed.kind, slot)): ItemOut {
    const outs = (entry.outs ??= new Array<ItemOut | undefined>(this.fileSlots.get(entry.parsed.kind)!.length));
    return (outs[at] ??= this.runFile(entry, slot));
  }

  /** Where an item slot's output sits in the outputs of a file of this kind (see `slotIndex`). */
  private at(kind: FileKind, slot: number): number {
    return this.slotIndex.get(kind)![slot];
  }

  /** An entry's output for an item slot in an outputs array of its kind. */
  private outAt(outs: readonly (ItemOut | undefined)[] | undefined, kind: FileKind, slot: number): ItemOut | undefined {
    return outs?.[this.at(kind, slot)];
  }

  private runFile(entry: Entry, slot: number): ItemOut {
    const ri = this.items[slot];
    const t = ri.template as FileCheckTemplate<unknown>;
    let out: CheckOutput | undefined;
    let problem: Problem | undefined;
    try {
      out = t.run(entry.parsed, ri.params);
    } catch (e) {
      problem = checkFailed(entry.parsed.path, ri.item.id, e);
    }
    const stamped = stamp(out, ri, problem, entry.parsed.path);
    const before = this.outAt(entry.previous, entry.parsed.kind, slot);
    return before && samePlain(before.applicable, stamped.applicable) && samePlain(before.findings, stamped.findings) && samePlain(before.evidence, stamped.evidence) && samePlain(before.problem, stamped.problem) && samePlain(before.unaudited, stamped.unaudited) ? before : stamped;
  }

  /**
   * A file-scope item's last result still stands when no kind it reads changed, or when the only changes
   * are edits in place whose outputs for this item are the very objects they replaced.
   */
  private fileItemUnchanged(slot: number, cached: ItemCache, t: AnyTemplate | undefined): boolean {
    if (t?.scope !== 'file' || !cached.versions) return t === undefined;
    let same = true;
    for (let i = 0; i < t.kinds.length; i++) {
      if ((this.kindVersions.get(t.kinds[i]) ?? 0) === cached.versions[i]) continue;
      if (this.reshaped.has(t.kinds[i])) return false;
      same = false;
    }
    if (same) return true;
    for (const { entry, before } of this.edited) {
      if (!t.kinds.includes(entry.parsed.kind) || entry.gone) {
        if (t.kinds.includes(entry.parsed.kind)) return false;
        continue;
      }
      if (entry.parsed.model === undefined) {
        if (this.outAt(before, entry.parsed.kind, slot) !== undefined) return false;
        continue;
      }
      if (this.outOf(entry, slot) !== this.outAt(before, entry.parsed.kind, slot)) return false;
    }
    for (let i = 0; i < t.kinds.length; i++) cached.versions[i] = this.kindVersions.get(t.kinds[i]) ?? 0;
    return true;
  }

  private collectParseProblems(): Problem[] {
    const out: Problem[] = [];
    for (const e of this.entries.values()) for (let i = 0; i < e.parsed.problems.length; i++) out.push(e.parsed.problems[i]);
    return out;
  }
}
