import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { classifyPath, skipsFolder } from '../engine/discover';
import { ignoreLines, SafeIgnore } from '../engine/parse/ignoreFile';
import type { FileKind, Problem } from '../engine/model';
import { unreadableFile, unreadableFolder } from './unreadable';

export interface WalkOptions {
  /** gitignore-style patterns of files not to scan (from config or settings). */
  exclude?: readonly string[];
  /** Stop after this many candidate files (a problem says so). */
  maxFiles?: number;
}

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Where a path really is, when that is inside the root (both real paths); otherwise why not. */
export function resolveInside(rootReal: string, abs: string): { real: string } | { outside: string } | { error: string } {
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ELOOP' ? 'ELOOP (a symbolic link loop)' : code === 'ENOENT' ? 'ENOENT (a dangling symbolic link)' : (code ?? (e as Error).message) };
  }
  const rel = path.relative(rootReal, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { outside: real };
  return { real };
}

/** The real path of a folder (symbolic links resolved), or the folder itself when it cannot be resolved. */
export function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

/**
 * A symbolic link's target when the scanner may read it, else why not (a problem message): its target is
 * outside the root (`rootReal`, the root's real path), or the link cannot be followed.
 */
export function followLink(rootReal: string, abs: string): { real: string } | { refused: string } {
  const r = resolveInside(rootReal, abs);
  if ('error' in r) return { refused: `Skipped: symbolic link cannot be followed: ${r.error}.` };
  if ('outside' in r) return { refused: 'Skipped: symbolic link to a path outside the workspace; it is not read.' };
  return r;
}

/**
 * The link rule for a file under `root` that may be a symbolic link: undefined when it is not one, or when
 * its target may be read. Only a link costs more than one `lstat` (the root's real path is looked up then).
 */
export function linkRefusal(root: string, abs: string): string | undefined {
  try {
    if (!lstatSync(abs).isSymbolicLink()) return undefined;
  } catch {
    return undefined; // gone or unreadable: reading it reports that
  }
  const r = followLink(realRoot(root), abs);
  return 'refused' in r ? r.refused : undefined;
}

export interface Candidate {
  /** Relative to the root, forward slashes. */
  path: string;
  /** For a symbolic link: the real path of its target (inside the root); read this, not the link. */
  target?: string;
  kind: FileKind | 'maybeKubernetes';
  /** Bytes, for a symbolic link (its target's, read by the walk); a file's own size is read with its bytes. */
  size?: number;
}

/**
 * Walks a folder for files Shipshape reads. Honours .gitignore files (root and nested), skips
 * node_modules, .git and build output (see skipsFolder), audits a file reached through links once, never follows symbolic links to folders (no loops), never reads
 * through a symbolic link whose target is outside the root (an info problem at the link), and reports
 * unreadable folders, link loops and dangling links as problems instead of failing. The file system calls are synchronous on
 * purpose: for thousands of small folders and files they are several times faster than the promise API
 * (no thread-pool round trip per call), and this host serves the CLI, not the editor (see README, Performance).
 */
export async function walk(root: string, options: WalkOptions = {}): Promise<{ files: Candidate[]; problems: Problem[] }> {
  const files: Candidate[] = [];
  const problems: Problem[] = [];
  const excludes = new SafeIgnore(options.exclude ?? [], (i) => problems.push({ file: '.shipshape.yaml', message: `exclude[${i}]: the pattern cannot be compiled; it is not used.`, severity: 'warning' }));
  const maxFiles = options.maxFiles ?? 50000;
  let limited = false;
  let rootReal: string | undefined;
  const realRootOnce = (): string => (rootReal ??= realRoot(root));

  function visit(dir: string, rel: string, rules: { base: string; ig: SafeIgnore }[]): void {
    if (limited) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(unreadableFolder(rel, (e as NodeJS.ErrnoException).code, (e as Error).message));
      return;
    }
    let scoped = rules;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
        const file = rel ? `${rel}/.gitignore` : '.gitignore';
        const lines = ignoreLines(text); // an over-long line is reported by the engine, not matched
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
    const besidePackage = entries.some((e) => e.name === 'package.json' && !e.isDirectory());
    const subdirs: [string, string][] = [];
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (skipsFolder(entry.name, besidePackage) || isIgnored(relPath, true)) continue;
        subdirs.push([path.join(dir, entry.name), relPath]);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const kind = classifyPath(relPath);
      let target: string | undefined;
      if (!entry.isSymbolicLink()) {
        if (!kind || isIgnored(relPath, false)) continue;
      } else {
        if (isIgnored(relPath, false) || isIgnored(relPath, true) || skipsFolder(entry.name, besidePackage)) continue;
        const r = followLink(realRootOnce(), path.join(dir, entry.name));
        if ('refused' in r) {
          // out of scope: a link out of the workspace, or one that leads to nothing (dangling, a loop)
          problems.push({ file: relPath, message: r.refused, severity: 'info', range: ZERO });
          continue;
        }
        target = r.real;
      }
      // a link's target is looked at here; a file's size is learnt when it is read (see readSources)
      let size: number | undefined;
      if (target) {
        try {
          const st = statSync(target);
          if (st.isDirectory()) {
            problems.push({ file: relPath, message: 'Skipped: symbolic link to a folder; links to folders are not followed (no loops, no double counting).', severity: 'info', range: ZERO });
            continue;
          }
          if (!kind || !st.isFile()) continue;
          size = st.size;
        } catch (e) {
          if (!kind) continue;
          problems.push(unreadableFile(relPath, (e as NodeJS.ErrnoException).code, (e as Error).message));
          continue;
        }
      } else if (!kind) continue;
      if (files.length >= maxFiles) {
        limited = true;
        problems.push({ file: relPath, message: `Stopped after ${maxFiles} files (maxFiles); the rest of the workspace was not scanned.`, severity: 'warning', range: ZERO, unaudited: 'file' });
        return;
      }
      files.push(target ? { path: relPath, kind, size, target } : { path: relPath, kind });
    }
    for (const [abs, relPath] of subdirs) visit(abs, relPath, scoped);
  }

  visit(root, '', []);
  return { files: onePerRealFile(files, realRootOnce, problems), problems };
}

/**
 * Each real file once: a symbolic link to a file the walk also reaches at its own path (or through an
 * earlier link) is not audited again, since its findings and fixes would be the target's twice over. The
 * link gets an info problem naming the path it is audited at.
 */
export function onePerRealFile<T extends { path: string; target?: string }>(files: T[], rootReal: () => string, problems: Problem[]): T[] {
  if (!files.some((f) => f.target)) return files;
  const base = rootReal();
  const seen = new Map<string, string>();
  for (const f of files) if (!f.target) seen.set(path.join(base, f.path), f.path);
  return files.filter((f) => {
    if (!f.target) return true;
    const at = seen.get(f.target);
    if (at !== undefined) {
      problems.push({ file: f.path, message: `Skipped: symbolic link to ${at}, which is audited at its own path.`, severity: 'info', range: ZERO });
      return false;
    }
    seen.set(f.target, f.path);
    return true;
  });
}
