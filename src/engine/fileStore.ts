// The engine's files as memo inputs (each path, each kind's set, the set of paths), and the values derived
// from them that the audit and the workspace checks read.
import type { Slot } from './itemOutput';
import type { Memo, Memos, Input } from './memo';
import type { FileKind, Problem } from './model';
import type { FileSuppressions } from './suppress';
import type { ParsedFile, WorkspaceView } from './workspace';

export interface Entry {
  parsed: ParsedFile;
  /** Replaced by a newer text of its file, or removed. */
  gone: boolean;
  /**
   * File-scope check outputs, by the item's position among the items that read this kind of file; a new
   * entry (new text) or new checklists start empty.
   */
  outs?: (Slot | undefined)[];
  suppressions?: FileSuppressions;
  /**
   * The outputs of the text this entry replaced, while neither text has a suppression, until the next
   * audit: a re-run whose output equals the old one keeps the old object, so what was built from it stands.
   */
  previous?: (Slot | undefined)[];
}

interface KindFiles {
  files: ParsedFile[];
  entries: Entry[];
}

/**
 * The files the engine holds. What a workspace check or a derived value reads through it (`files`,
 * `byKind`, `get`) is recorded, so that it is computed again only after one of those changed. `byKind`
 * returns the same array until a file of that kind changes: checks may memoise work shared across checks
 * by keying a WeakMap on it.
 */
export class FileStore implements WorkspaceView {
  readonly entries = new Map<string, Entry>();
  private readonly kinds = new Map<FileKind, { changed: Input<number>; list: Memo<KindFiles> }>();
  private readonly paths = new Map<string, Input<ParsedFile | undefined>>();
  /** Touched whenever a file comes, changes or goes. */
  private readonly anyFile: Input<number>;
  /** Touched when files come or go. */
  private readonly pathSet: Input<number>;
  /** Touched when a file with parse problems comes, changes or goes. */
  private readonly problemFiles: Input<number>;
  /** Touched when a file whose suppressions differ from its last text's changes, or files come and go. */
  readonly suppressions: Input<number>;
  private readonly all: Memo<ParsedFile[]>;
  private readonly sorted: Memo<string[]>;
  private readonly problems: Memo<Problem[]>;
  /** Values derived from the files for the checks (see `derive`), by their key. */
  private readonly derived = new WeakMap<object, { get(): unknown }>();

  constructor(private readonly memos: Memos) {
    this.anyFile = memos.input(0);
    this.pathSet = memos.input(0);
    this.problemFiles = memos.input(0);
    this.suppressions = memos.input(0);
    this.all = memos.memo('all files', () => {
      this.anyFile.get();
      return [...this.entries.values()].map((e) => e.parsed);
    });
    this.sorted = memos.memo('sorted paths', () => {
      this.pathSet.get();
      return [...this.entries.keys()].sort();
    });
    this.problems = memos.memo('parse problems', () => {
      this.problemFiles.get();
      const out: Problem[] = [];
      for (const e of this.entries.values()) for (let i = 0; i < e.parsed.problems.length; i++) out.push(e.parsed.problems[i]);
      return out;
    });
  }

  get files(): readonly ParsedFile[] {
    return this.all.get();
  }

  byKind<M = unknown>(kind: FileKind): readonly ParsedFile<M>[] {
    return this.kind(kind).list.get().files as ParsedFile<M>[];
  }

  get<M = unknown>(path: string): ParsedFile<M> | undefined {
    return this.path(path).get() as ParsedFile<M> | undefined;
  }

  derive<V>(key: object, name: string, compute: (last: V | undefined) => V): V {
    let memo = this.derived.get(key) as Memo<V> | undefined;
    if (!memo) this.derived.set(key, (memo = this.memos.memo(name, compute)));
    return memo.get();
  }

  /** The entries of a kind, in insertion order. */
  entriesOf(kind: FileKind): readonly Entry[] {
    return this.kind(kind).list.get().entries;
  }

  /** A number that changes whenever a suppression may have changed. */
  suppressionEpoch(): number {
    this.suppressions.get();
    return this.suppressions.changedAt;
  }

  /** Every path, sorted. */
  sortedPaths(): readonly string[] {
    return this.sorted.get();
  }

  /** Every file's parse problems in file order. */
  parseProblems(): Problem[] {
    return this.problems.get();
  }

  /** Puts an entry in place of its file's current one (`old`, if any). */
  put(entry: Entry, old: Entry | undefined, suppressionsChanged: boolean): void {
    const kind = entry.parsed.kind;
    this.touch(kind, !old || old.parsed.kind !== kind);
    if (old && old.parsed.kind !== kind) this.touch(old.parsed.kind, true);
    if (suppressionsChanged) this.suppressions.touch();
    if (entry.parsed.problems.length > 0 || (old && old.parsed.problems.length > 0)) this.problemFiles.touch();
    this.entries.set(entry.parsed.path, entry);
    this.paths.get(entry.parsed.path)?.set(entry.parsed);
  }

  delete(path: string): Entry | undefined {
    const old = this.entries.get(path);
    if (!old) return undefined;
    this.touch(old.parsed.kind, true);
    if (old.parsed.problems.length > 0) this.problemFiles.touch();
    this.entries.delete(path);
    this.paths.get(path)?.set(undefined);
    return old;
  }

  private touch(kind: FileKind, pathsChanged: boolean): void {
    this.kind(kind).changed.touch();
    this.anyFile.touch();
    if (pathsChanged) {
      this.pathSet.touch();
      this.suppressions.touch();
    }
  }

  private kind(kind: FileKind): { changed: Input<number>; list: Memo<KindFiles> } {
    let k = this.kinds.get(kind);
    if (!k) {
      const changed = this.memos.input(0);
      const list = this.memos.memo<KindFiles>(`files of kind ${kind}`, () => {
        changed.get();
        const out: KindFiles = { files: [], entries: [] };
        for (const e of this.entries.values()) {
          if (e.parsed.kind !== kind) continue;
          out.files.push(e.parsed);
          out.entries.push(e);
        }
        return out;
      });
      this.kinds.set(kind, (k = { changed, list }));
    }
    return k;
  }

  private path(path: string): Input<ParsedFile | undefined> {
    let p = this.paths.get(path);
    if (!p) this.paths.set(path, (p = this.memos.input(this.entries.get(path)?.parsed)));
    return p;
  }
}
