// Findings in report order (file, line, character, rule), kept per file so that an audit re-sorts only files whose findings changed.
import { sameList } from './checks/derived';
import type { Finding } from './model';

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

/**
 * All findings in report order (file, line, character, rule; ties keep check order): grouped by file
 * while collected, so only each file's few findings are sorted. The paths come pre-sorted unless some
 * findings are about files the engine does not hold (`sortedPaths` undefined).
 */
export function sortedByFile(byFile: Map<string, Finding[]>, sortedPaths: readonly string[] | undefined): Finding[] {
  const keys = sortedPaths ?? [...byFile.keys()].sort();
  let total = 0;
  for (const list of byFile.values()) total += list.length;
  // sized once: this runs after every edit, over every finding of the workspace
  const out = new Array<Finding>(total);
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    const list = byFile.get(keys[i]);
    if (!list) continue;
    for (let j = 0; j < list.length; j++) out[n++] = list[j];
  }
  return out;
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
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
}
