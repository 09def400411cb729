// File-scope check outputs: kept on each file's entry, one slot per item that reads the file's kind.
import { samePlain } from './checks/derived';
import { FileValues } from './checks/fileValues';
import type { CheckOutput, FileCheckTemplate } from './checks/template';
import type { Entry } from './fileStore';
import { checkFailed, isOutput, stamp, type Slot } from './itemOutput';
import type { FileKind, Finding, Problem } from './model';
import type { ResolvedItem } from './resolve';

/**
 * An item's outputs on the files of one kind: each entry's slot `at` (undefined for a file without a model).
 * The outputs themselves stay on the entries: no list per item is kept beside them.
 */
export interface KindOutputs {
  entries: readonly Entry[];
  at: number;
}

/** The output of a {@link KindOutputs} on one of its entries, once `FileOutputs.of` has run it. */
export function outputOf(entry: Entry, at: number): Slot | undefined {
  return entry.parsed.model === undefined ? undefined : entry.outs?.[at];
}

export class FileOutputs {
  /** The slots of file-scope items by the kind of file they read. */
  private readonly slots = new Map<FileKind, number[]>();
  /**
   * Per kind, each item slot's position in `slots` (-1: the item does not read the kind). An entry's
   * outputs are indexed by it: a file holds a slot for each item that reads it, not for every item.
   */
  private readonly index = new Map<FileKind, Int32Array>();

  constructor(private readonly items: readonly ResolvedItem[]) {
    items.forEach((ri, slot) => {
      if (ri.template?.scope !== 'file') return;
      for (const kind of ri.template.kinds) {
        let slots = this.slots.get(kind);
        let index = this.index.get(kind);
        if (!slots || !index) {
          this.slots.set(kind, (slots = []));
          this.index.set(kind, (index = new Int32Array(items.length).fill(-1)));
        }
        index[slot] = slots.length;
        slots.push(slot);
      }
    });
  }

  /**
   * An entry's outputs under these slots, carried over from `from`'s slots (an earlier configuration):
   * `carried[slot]` is the earlier slot of an item defined as before, or -1 (its outputs are dropped).
   * Undefined when nothing is carried.
   */
  carry(from: FileOutputs, kind: FileKind, outs: readonly (Slot | undefined)[], carried: Int32Array): (Slot | undefined)[] | undefined {
    const slots = this.slots.get(kind);
    const earlier = from.index.get(kind);
    if (!slots || !earlier) return undefined;
    let next: (Slot | undefined)[] | undefined;
    for (let i = 0; i < slots.length; i++) {
      const old = carried[slots[i]];
      const out = old < 0 ? undefined : outs[earlier[old]];
      if (out) (next ??= new Array<Slot | undefined>(slots.length))[i] = out;
    }
    return next;
  }

  /**
   * Runs the checks of new entries file by file, before items are assembled item by item: all the checks
   * of one file read its model while it is fresh in memory (item by item, each would reload it).
   */
  runAll(entries: readonly Entry[]): void {
    for (const entry of entries) {
      if (entry.parsed.model === undefined || entry.gone) continue;
      const slots = this.slots.get(entry.parsed.kind);
      if (!slots) continue;
      // the kind's slots in order: position i is where `index` puts slots[i]
      const outs = (entry.outs ??= new Array<Slot | undefined>(slots.length));
      // what the checks derive from the file, shared by them and dropped after them
      const values = new FileValues(entry.parsed);
      for (let i = 0; i < slots.length; i++) outs[i] ??= this.run(entry, slots[i], values);
      values.release();
    }
  }

  /**
   * An item's outputs on the entries of a kind (undefined for a file without a model): run on first use,
   * then kept until the entry is replaced. Given the last outputs, only the positions whose entry was
   * replaced are looked at, and the last value itself is returned (rebased on the current entries) when
   * their outputs are the very objects the replaced entries hold.
   */
  of(entries: readonly Entry[], kind: FileKind, slot: number, last: KindOutputs | undefined): KindOutputs {
    const at = this.index.get(kind)![slot];
    const size = this.slots.get(kind)!.length;
    if (last && last.entries.length === entries.length) {
      let changed: number[] | undefined;
      let same = true;
      for (let i = 0; i < entries.length && same; i++) {
        if (entries[i] === last.entries[i]) continue;
        if (entries[i].parsed.path !== last.entries[i].parsed.path) same = false;
        else (changed ??= []).push(i);
      }
      if (same) {
        if (!changed) return last;
        let equal = true;
        for (const i of changed) if (this.outOf(entries[i], at, slot, size) !== outputOf(last.entries[i], at)) equal = false;
        if (equal) {
          last.entries = entries;
          return last;
        }
        return { entries, at };
      }
    }
    for (let i = 0; i < entries.length; i++) this.outOf(entries[i], at, slot, size);
    return { entries, at };
  }

  /** An entry's output at position `at` of its kind's slots (the item's `slot`), run on first use. */
  private outOf(entry: Entry, at: number, slot: number, size: number): Slot | undefined {
    if (entry.parsed.model === undefined) return undefined;
    return ((entry.outs ??= new Array<Slot | undefined>(size))[at] ??= this.run(entry, slot));
  }

  private run(entry: Entry, slot: number, values?: FileValues): Slot {
    const ri = this.items[slot];
    const t = ri.template as FileCheckTemplate<unknown>;
    let out: CheckOutput | undefined;
    let problem: Problem | undefined;
    try {
      out = t.run(entry.parsed, ri.params, values);
    } catch (e) {
      problem = checkFailed(entry.parsed.path, ri.item.id, e);
    }
    const stamped = stamp(out, ri, problem, entry.parsed.path);
    // the output of the text this entry replaced: kept when equal, so what was built from it stands
    const before = entry.previous?.[this.index.get(entry.parsed.kind)![slot]];
    return before && sameSlot(before, stamped) ? before : stamped;
  }
}

/** Two outputs of a check that say the same: a finding alone only equals a finding alone. */
function sameSlot(a: Slot, b: Slot): boolean {
  if (!isOutput(a) || !isOutput(b)) return !isOutput(a) && !isOutput(b) && samePlain(a as Finding, b as Finding);
  return samePlain(a.applicable, b.applicable) && samePlain(a.findings, b.findings) && samePlain(a.evidence, b.evidence) && samePlain(a.problem, b.problem) && samePlain(a.unaudited, b.unaudited);
}
