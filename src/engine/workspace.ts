import type { FileKind, Problem } from './model';
import type { RenderInfo } from './render/sourceMap';

/** A file as read by a host: path relative to the workspace root, forward slashes. */
export interface SourceFile {
  path: string;
  text: string;
  kind: FileKind;
  /** Set for the output of a chart or kustomization rendered by the host: where each line comes from. */
  rendered?: RenderInfo;
}

export interface ParsedFile<M = unknown> {
  path: string;
  kind: FileKind;
  text: string;
  model: M;
  problems: Problem[];
  rendered?: RenderInfo;
}

/**
 * What workspace-wide checks see: every parsed file, indexed by kind and path. The engine records what
 * each check reads to know when to re-run it; `byKind` returns the same array until a file of that kind
 * changes, so work shared between checks can be memoised in a WeakMap keyed by that array, or, better,
 * as a `Derived` value (checks/derived.ts), which the engine keeps among its memos.
 */
export interface WorkspaceView {
  readonly files: readonly ParsedFile[];
  byKind<M = unknown>(kind: FileKind): readonly ParsedFile<M>[];
  get<M = unknown>(path: string): ParsedFile<M> | undefined;
  /**
   * A value derived from the files, kept under `key` by whoever holds them (the engine: one of its memos),
   * computed from the last value (`last`) and again only after something `compute` read changed. Absent
   * when the view keeps nothing: the value is then computed afresh.
   */
  derive?<V>(key: object, name: string, compute: (last: V | undefined) => V): V;
}

export class WorkspaceIndex implements WorkspaceView {
  private readonly kinds = new Map<FileKind, ParsedFile[]>();
  private readonly paths = new Map<string, ParsedFile>();
  constructor(readonly files: readonly ParsedFile[]) {
    for (const f of files) {
      this.paths.set(f.path, f);
      let list = this.kinds.get(f.kind);
      if (!list) this.kinds.set(f.kind, (list = []));
      list.push(f);
    }
  }
  byKind<M = unknown>(kind: FileKind): readonly ParsedFile<M>[] {
    return (this.kinds.get(kind) ?? []) as ParsedFile<M>[];
  }
  get<M = unknown>(path: string): ParsedFile<M> | undefined {
    return this.paths.get(path) as ParsedFile<M> | undefined;
  }
}
