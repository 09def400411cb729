// How `evidence.signals` builds a section: per-file parts combined in file order, and indexes of the keys files hold.
import type { FileKind } from '../../model';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { concat, Derived, DerivedByKey, lastParts, sameList } from '../derived';
import { NONE, samePart, type P, type Part } from './signalParams';

/** One section of the evidence: a per-file part for each file of some kinds, combined in file order. */
export function section(kinds: (p: P) => readonly FileKind[], part: (p: P) => (f: ParsedFile) => Part): DerivedByKey<P, Part, Part> {
  return new DerivedByKey<P, Part, Part>((p) => {
    const of = part(p);
    // most files add nothing: their parts are one shared empty list
    const partOrNone = (f: ParsedFile): Part => {
      const out = of(f);
      return out.length ? out : NONE;
    };
    return { kinds: kinds(p), part: partOrNone, equal: samePart, build: concat };
  });
}

/**
 * Which files of a kind carry each key, one map per type of key (dependency names, script names…): the
 * positions of those files in the kind's list, ascending. The positions stand while every file keeps its
 * keys, and the index then keeps its identity (an edit that leaves them as they were changes nothing).
 */
type KeyIndex = Map<string, number[]>[];
/** One file's keys, one list per type of key. */
type FileKeys = readonly (readonly string[])[];

const sameKeys = (a: FileKeys, b: FileKeys) => a.length === b.length && a.every((list, t) => sameList(list, b[t]));

export function keyIndex(kind: FileKind, keys: (f: ParsedFile) => FileKeys): Derived<FileKeys, KeyIndex> {
  return new Derived<FileKeys, KeyIndex>({
    kinds: [kind],
    part: keys,
    equal: sameKeys,
    build: ([parts]) => {
      const index: KeyIndex = [];
      for (let i = 0; i < parts.length; i++) {
        const fileKeys = parts[i];
        for (let t = 0; t < fileKeys.length; t++) {
          const at = (index[t] ??= new Map());
          for (const key of fileKeys[t]) {
            const list = at.get(key);
            if (!list) at.set(key, [i]);
            else if (list[list.length - 1] !== i) list.push(i);
          }
        }
      }
      return index;
    },
  });
}

/** Marks the files that carry a key of one type: the listed keys, or every key that passes a test. */
export function mark(index: KeyIndex, type: number, keys: Iterable<string> | ((key: string) => boolean), marks: Uint8Array): void {
  const at = index[type];
  if (!at) return;
  if (typeof keys === 'function') {
    for (const [key, list] of at) if (keys(key)) for (const i of list) marks[i] = 1;
  } else {
    for (const key of keys) for (const i of at.get(key) ?? []) marks[i] = 1;
  }
}

/** How one item reads the files of an indexed section: the files to visit (marked by position), and a file's evidence. */
interface Reader {
  pick(ws: WorkspaceView, marks: Uint8Array): void;
  part(f: ParsedFile): Part;
}

interface Picked {
  list: readonly ParsedFile[];
  files: ParsedFile[];
  parts: Part[];
  out: Part;
}

/**
 * A section whose items visit only the files that an index of their keys picks, rather than every file of
 * the kind (a file without one of the keys adds no evidence). A picked file's part is kept with the section
 * while that ParsedFile is in the list, so an edit computes the edited file's part alone, and equal parts
 * give the same section.
 */
export class IndexedSection {
  private readonly states = new WeakMap<P, { reader: Reader; last?: Picked }>();
  constructor(
    private readonly kind: FileKind,
    private readonly reader: (p: P) => Reader,
  ) {}

  get(ws: WorkspaceView, p: P): Part {
    const list = ws.byKind(this.kind);
    let st = this.states.get(p);
    if (!st) this.states.set(p, (st = { reader: this.reader(p) }));
    const { reader, last } = st;
    if (last?.list === list) return last.out;
    const marks = new Uint8Array(list.length);
    reader.pick(ws, marks);
    const files = list.filter((_, i) => marks[i] === 1);
    const known = lastParts(last?.files, last?.parts, files);
    const parts = files.map((f, i) => known(f, i) ?? reader.part(f));
    // the same files with equal parts: the same section, so the check's output keeps its identity
    const same = last !== undefined && sameList(files, last.files, (a, b) => a.path === b.path) && sameList(parts, last.parts, samePart);
    st.last = { list, files, parts, out: same ? last.out : concat([parts]) };
    return st.last.out;
  }
}

export const NO_KEYS: FileKeys = [];
