import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { ALWAYS_SKIPPED_DIRS, classifyPath } from '../engine/discover';
import { SafeIgnore } from '../engine/parse/ignoreFile';
import type { FileKind, Problem } from '../engine/model';

export interface WalkOptions {
  /** gitignore-style patterns of files not to scan (from config or settings). */
  exclude?: readonly string[];
  /** Stop after this many candidate files (a problem says so). */
  maxFiles?: number;
}

export interface Candidate {
  /** Relative to the root, forward slashes. */
  path: string;
  kind: FileKind | 'maybeKubernetes';
  size: number;
}

/**
 * Walks a folder for files Shipshape reads. Honours .gitignore files (root and nested), skips
 * node_modules, .git and build output, never follows symbolic links to folders (no loops), and
 * reports unreadable folders as problems instead of failing. The file system calls are synchronous on
 * purpose: for thousands of small folders and files they are several times faster than the promise API
 * (no thread-pool round trip per call), and this host serves the CLI, not the editor (see README, Performance).
 */
export async function walk(root: string, options: WalkOptions = {}): Promise<{ files: Candidate[]; problems: Problem[] }> {
  const files: Candidate[] = [];
  const problems: Problem[] = [];
  const excludes = new SafeIgnore(options.exclude ?? [], (i) => problems.push({ file: '.shipshape.yaml', message: `exclude[${i}]: the pattern cannot be compiled; it is not used.`, severity: 'warning' }));
  const maxFiles = options.maxFiles ?? 50000;
  let limited = false;

  function visit(dir: string, rel: string, rules: { base: string; ig: SafeIgnore }[]): void {
    if (limited) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ file: rel || '.', message: `Cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'warning' });
      return;
    }
    let scoped = rules;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
        const file = rel ? `${rel}/.gitignore` : '.gitignore';
        const lines = text.split(/\r?\n/);
        const ig = new SafeIgnore(lines, (i) => problems.push({ file, message: 'This pattern cannot be compiled; it is not used.', range: { start: { line: i, character: 0 }, end: { line: i, character: lines[i].length } }, severity: 'warning' }));
        scoped = [...rules, { base: rel, ig }];
      } catch {
        /* unreadable .gitignore: the walk goes on without it */
      }
    }
    const isIgnored = (relPath: string, isDir: boolean): boolean => {
      if (excludes.ignores(isDir ? `${relPath}/` : relPath)) return true;
      for (const { base, ig } of scoped) {
        const sub = base ? relPath.slice(base.length + 1) : relPath;
        if (sub && ig.ignores(isDir ? `${sub}/` : sub)) return true;
      }
      return false;
    };
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: [string, string][] = [];
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(relPath, true)) continue;
        subdirs.push([path.join(dir, entry.name), relPath]);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const kind = classifyPath(relPath);
      if (!kind) continue;
      if (isIgnored(relPath, false)) continue;
      let size: number;
      try {
        const st = statSync(path.join(dir, entry.name));
        if (!st.isFile()) continue;
        size = st.size;
      } catch (e) {
        problems.push({ file: relPath, message: `Cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'warning' });
        continue;
      }
      if (files.length >= maxFiles) {
        limited = true;
        problems.push({ file: relPath, message: `Stopped after ${maxFiles} files (maxFiles); the rest of the workspace was not scanned.`, severity: 'warning' });
        return;
      }
      files.push({ path: relPath, kind, size });
    }
    for (const [abs, relPath] of subdirs) visit(abs, relPath, scoped);
  }

  visit(root, '', []);
  return { files, problems };
}
