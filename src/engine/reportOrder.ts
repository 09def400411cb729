// Findings in report order (file, line, character, rule), kept so that an audit re-sorts only files whose findings changed.
import { sameList } from './checks/derived';
import { findingStartCharacter, findingStartLine } from './keptRange';
import type { Finding } from './model';

/** What the order reads of an item's part of the last audit: its reported findings, in check order and by file. */
export interface ReportedPart {
  mode: 'auto' | 'evidence' | 'manual';
  reported: readonly Finding[];
  byFile(): ReadonlyMap<string, Finding[]>;
}

/**
 * The findings of the last audit in report order, so that an audit rebuilds and sorts only the files whose
 * findings changed: each file's findings are its run of the last order (no list kept per file). Findings
 * about files the engine does not hold (strays) are kept too, and put in order among the others.
 */
export class FindingOrder {
  private strays = new Set<string>();
  private last?: Ordered;

  /** Nothing reported so far (a first audit, or new checklists): every file's list is built, none compared. */
  get empty(): boolean {
    return this.last === undefined || this.last.findings.length === 0;
  }

  reset(): void {
    this.strays = new Set();
    this.last = undefined;
  }

  /** A file the engine no longer holds: findings still listed for it are strays until the next audit drops them. */
  removed(path: string): void {
    const last = this.last;
    const i = last ? indexOf(last.paths, path) : -1;
    if (last && i >= 0 && last.starts[i + 1] > last.starts[i]) this.strays.add(path);
  }

  /**
   * Every finding in report order: the lists of the `dirty` files (every file's when undefined) are rebuilt
   * from the items' parts, in item order, then sorted. `held`: whether the engine holds a file; `sortedPaths`:
   * every file it holds, sorted.
   */
  update(parts: readonly (ReportedPart | undefined)[], dirty: ReadonlySet<string> | undefined, held: (path: string) => boolean, sortedPaths: () => readonly string[]): Finding[] {
    const lists = new Map<string, Finding[]>();
    if (!dirty || dirty.size > 64) {
      // every file, or many (new checklists, many edits): one pass over every item's files, rather than every item per file
      for (const c of parts) {
        if (!c || c.mode !== 'auto') continue;
        // the item's findings in order: per file, the same order as its groups by file (a file's come together)
        let file: string | undefined;
        let list: Finding[] | undefined;
        for (const f of c.reported) {
          if (f.file !== file) {
            if (dirty && !dirty.has(f.file)) continue;
            file = f.file;
            list = lists.get(file);
            if (!list) lists.set(file, (list = []));
          }
          list!.push(f);
        }
      }
    } else {
      for (const file of dirty) {
        const list: Finding[] = [];
        for (const c of parts) {
          const part = c && c.byFile().get(file);
          if (part) for (const f of part) list.push(f);
        }
        if (list.length) lists.set(file, list);
      }
    }
    for (const file of dirty ?? lists.keys()) {
      const list = lists.get(file);
      if (!list) {
        this.strays.delete(file);
        continue;
      }
      if (list.length > 1) sortInFile(list);
      if (!held(file)) this.strays.add(file);
    }
    for (const file of this.strays) if (held(file)) this.strays.delete(file);
    this.last = sortedByFile(lists, this.strays.size > 0 ? undefined : sortedPaths(), dirty, this.last);
    return this.last.findings;
  }
}

export function group(reported: readonly Finding[]): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  for (const f of reported) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  return byFile;
}

/** Adds the files whose findings differ between an item's last and new result. */
export function changedFiles(before: ReadonlyMap<string, Finding[]> | undefined, after: ReadonlyMap<string, Finding[]>, dirty: Set<string>): void {
  for (const [file, list] of after) if (!before || !sameList(before.get(file) ?? [], list)) dirty.add(file);
  if (before) for (const file of before.keys()) if (!after.has(file)) dirty.add(file);
}

/** All findings in report order, with where each file's run of them starts (`starts[i]` for `paths[i]`, then the total). */
export interface Ordered {
  paths: readonly string[];
  starts: Int32Array;
  findings: Finding[];
}

/**
 * All findings in report order (file, line, character, rule; ties keep check order): grouped by file
 * while collected, so only each file's few findings are sorted. `byFile` holds the lists of the `dirty`
 * files (of every file when `dirty` is undefined); every other file keeps its run of the `last` order.
 * The paths come pre-sorted unless some findings are about files the engine does not hold (`sortedPaths`
 * undefined). Given the last order over the same paths, the list is the last one with the changed files'
 * runs replaced: no lookup per file.
 */
export function sortedByFile(byFile: Map<string, Finding[]>, sortedPaths: readonly string[] | undefined, dirty?: ReadonlySet<string>, last?: Ordered): Ordered {
  if (sortedPaths && dirty && last && last.paths === sortedPaths) {
    const spliced = splice(byFile, last, dirty);
    if (spliced) return spliced;
  }
  // the last order's runs of the files not rebuilt, in its (sorted) order: read by walking both lists of paths
  const kept = dirty && last ? last : undefined;
  let paths = sortedPaths;
  if (!paths) {
    const names = [...byFile.keys()];
    if (kept) for (let i = 0; i < kept.paths.length; i++) if (kept.starts[i + 1] > kept.starts[i] && !dirty!.has(kept.paths[i])) names.push(kept.paths[i]);
    paths = names.sort();
  }
  let total = 0;
  for (const list of byFile.values()) total += list.length;
  if (kept) for (let i = 0; i < kept.paths.length; i++) if (!dirty!.has(kept.paths[i])) total += kept.starts[i + 1] - kept.starts[i];
  // sized once: this runs after every edit, over every finding of the workspace
  const out = new Array<Finding>(total);
  const starts = new Int32Array(paths.length + 1);
  let n = 0;
  let k = 0;
  for (let i = 0; i < paths.length; i++) {
    starts[i] = n;
    const path = paths[i];
    if (!kept || dirty!.has(path)) {
      const list = byFile.get(path);
      if (list) for (let j = 0; j < list.length; j++) out[n++] = list[j];
      continue;
    }
    while (k < kept.paths.length && kept.paths[k] < path) k++;
    if (k < kept.paths.length && kept.paths[k] === path) for (let j = kept.starts[k]; j < kept.starts[k + 1]; j++) out[n++] = kept.findings[j];
  }
  starts[paths.length] = n;
  return { paths, starts, findings: n === total ? out : out.slice(0, n) };
}

/** The last order with the runs of the changed files replaced; undefined when one of them is not among its paths. */
function splice(byFile: Map<string, Finding[]>, last: Ordered, dirty: ReadonlySet<string>): Ordered | undefined {
  const { paths, starts } = last;
  const at: number[] = [];
  let total = last.findings.length;
  for (const file of dirty) {
    const i = indexOf(paths, file);
    if (i < 0) return undefined;
    at.push(i);
    total += (byFile.get(file)?.length ?? 0) - (starts[i + 1] - starts[i]);
  }
  at.sort((a, b) => a - b);
  const out = new Array<Finding>(total);
  const next = new Int32Array(starts.length);
  let n = 0;
  let from = 0;
  const copy = (to: number) => {
    // the unchanged files from `from` up to `to`, shifted by what the changed files before them added or dropped
    const shift = n - starts[from];
    for (let j = starts[from]; j < starts[to]; j++) out[n++] = last.findings[j];
    for (let k = from; k < to; k++) next[k] = starts[k] + shift;
  };
  for (const i of at) {
    copy(i);
    next[i] = n;
    const list = byFile.get(paths[i]);
    if (list) for (let j = 0; j < list.length; j++) out[n++] = list[j];
    from = i + 1;
  }
  copy(paths.length);
  next[paths.length] = n;
  return { paths, starts: next, findings: out };
}

/** A path's index in a sorted list of paths, or -1. */
function indexOf(paths: readonly string[], file: string): number {
  let low = 0;
  let high = paths.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const p = paths[mid];
    if (p === file) return mid;
    if (p < file) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** A file's findings in report order: an insertion sort for the usual few (stable, no scratch array), else `sort`. */
export function sortInFile(list: Finding[]): void {
  if (list.length > 16) {
    list.sort(compareInFile);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const f = list[i];
    let j = i - 1;
    while (j >= 0 && compareInFile(list[j], f) > 0) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = f;
  }
}

function compareInFile(a: Finding, b: Finding): number {
  return findingStartLine(a) - findingStartLine(b) || findingStartCharacter(a) - findingStartCharacter(b) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : findingStartLine(a) - findingStartLine(b) || findingStartCharacter(a) - findingStartCharacter(b) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
}
