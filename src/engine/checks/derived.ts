import type { FileKind, Range } from '../model';
import type { ParsedFile, WorkspaceView } from '../workspace';

/**
 * How a workspace check stays proportional to the edited file. A workspace-wide value (the env context,
 * the ports the deployment exposes, a check's evidence) is built from one part per file; the parts are
 * kept with the last value and reused for every ParsedFile still in the lists (a ParsedFile keeps its
 * identity while its text is unchanged), so after an edit only the edited file's part is computed again.
 * When that part equals the one it replaces, the previous value is returned as is (early cutoff): its
 * identity then tells every memo downstream, and the engine, that nothing changed.
 */
export interface DerivedSpec<P, V> {
  /** The file kinds the value is built from, in the order the parts are combined. */
  kinds: readonly FileKind[];
  /** One file's contribution; must depend on nothing but the file. */
  part(file: ParsedFile, kind: FileKind): P;
  /** Are two contributions of the same path interchangeable for `build` and for everything downstream? */
  equal(a: P, b: P): boolean;
  build(parts: readonly (readonly P[])[], lists: readonly (readonly ParsedFile[])[]): V;
}

interface Built<P, V> {
  lists: (readonly ParsedFile[])[];
  parts: P[][];
  value: V;
}

/**
 * A value derived from the files of some kinds. The view's holder keeps it (the engine, as one of its memos,
 * computed once per state of those files whichever checks read it, and recomputed from its last value); a
 * view that keeps nothing gets it computed afresh.
 */
export class Derived<P, V> {
  constructor(
    private readonly spec: DerivedSpec<P, V>,
    /** Names the value in the engine's record of what was computed. */
    readonly name = `derived from ${spec.kinds.join(', ')}`,
  ) {}

  /** The value for the workspace as it is now; reads (and so records) every kind of the spec. */
  get(ws: WorkspaceView): V {
    if (ws.derive) return ws.derive<Built<P, V>>(this, this.name, (last) => this.next(ws, last)).value;
    return this.next(ws, undefined).value;
  }

  /** The last value when every part equals the current one (rebased on the current lists), else a new one built on it. */
  private next(ws: WorkspaceView, last: Built<P, V> | undefined): Built<P, V> {
    const lists = this.spec.kinds.map((k) => ws.byKind(k));
    // parts computed while comparing (changed files), used again by the build
    const fresh = new Map<ParsedFile, P>();
    if (last && this.sameParts(last, lists, fresh)) return last;
    return this.build(lists, last, fresh);
  }

  private sameParts(base: Built<P, V>, lists: (readonly ParsedFile[])[], fresh: Map<ParsedFile, P>): boolean {
    for (let k = 0; k < lists.length; k++) if (lists[k].length !== base.lists[k].length) return false;
    const updates: [number, number, P][] = [];
    for (let k = 0; k < lists.length; k++) {
      const now = lists[k];
      const before = base.lists[k];
      for (let i = 0; i < now.length; i++) {
        if (now[i] === before[i]) continue;
        if (now[i].path !== before[i].path) return false;
        const p = this.spec.part(now[i], this.spec.kinds[k]);
        fresh.set(now[i], p);
        if (!this.spec.equal(p, base.parts[k][i])) return false;
        updates.push([k, i, p]);
      }
    }
    // The base now stands for the current lists, so the next comparison only looks at the next edit.
    for (const [k, i, p] of updates) base.parts[k][i] = p;
    for (let k = 0; k < lists.length; k++) base.lists[k] = lists[k];
    return true;
  }

  /**
   * Builds the value, taking each unchanged file's part from the last value (the parts are kept there, not
   * in a per-file table: thousands of weak entries per value cost the collector more than they save) and
   * computing the others.
   */
  private build(lists: (readonly ParsedFile[])[], base: Built<P, V> | undefined, fresh: ReadonlyMap<ParsedFile, P>): Built<P, V> {
    const parts = lists.map((list, k) => {
      const kind = this.spec.kinds[k];
      if (!base) return list.map((f) => this.spec.part(f, kind));
      const known = lastParts(base.lists[k], base.parts[k], list);
      return list.map((f, i) => {
        const p = known(f, i);
        if (p !== undefined) return p;
        return fresh.has(f) ? (fresh.get(f) as P) : this.spec.part(f, kind);
      });
    });
    return { lists: [...lists], parts, value: this.spec.build(parts, lists) };
  }
}

/**
 * The parts computed last time for a list of files, looked up for the list as it is now: by position while
 * the same file is at the same place (no lookup), and by file once files were added or removed before it.
 * Undefined for a file that is new (or edited: a new ParsedFile).
 */
export function lastParts<P>(files: readonly ParsedFile[] | undefined, parts: readonly P[] | undefined, now: readonly ParsedFile[]): (file: ParsedFile, i: number) => P | undefined {
  if (!files || !parts) return () => undefined;
  let byFile: Map<ParsedFile, P> | undefined;
  return (file, i) => {
    if (files[i] === file) return parts[i];
    if (files.length === now.length) return undefined;
    if (!byFile) {
      byFile = new Map();
      for (let j = 0; j < files.length; j++) byFile.set(files[j], parts[j]);
    }
    return byFile.get(file);
  };
}

/** Derived values per params object (a checklist item's parsed `with:`, which keeps its identity). */
export class DerivedByKey<K extends object, P, V> {
  private readonly instances = new WeakMap<K, Derived<P, V>>();
  constructor(
    private readonly make: (key: K) => DerivedSpec<P, V>,
    private readonly name?: string,
  ) {}
  get(ws: WorkspaceView, key: K): V {
    let d = this.instances.get(key);
    if (!d) this.instances.set(key, (d = new Derived(this.make(key), this.name)));
    return d.get(ws);
  }
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Element-wise equality of two lists (identity unless `eq` is given). */
export function sameList<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean = (x, y) => x === y): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
  return true;
}

/** Concatenates per-file lists in file order. */
export function concat<T>(parts: readonly (readonly (readonly T[])[])[]): T[] {
  const out: T[] = [];
  for (const list of parts) for (const p of list) for (const x of p) out.push(x);
  return out;
}

/** Deep equality of plain data (check outputs: strings, numbers, booleans, arrays, plain objects). */
export function samePlain(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!samePlain(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !samePlain((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** An object literal (or one made with no prototype): anything else (a Map, a RegExp, a class instance) is not compared by its keys. */
function isPlainObject(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return proto === Object.prototype || proto === null;
}
