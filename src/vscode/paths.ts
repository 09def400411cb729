import ignore, { type Ignore } from 'ignore';
import { ALWAYS_SKIPPED_DIRS, classifyPath, presenceOnly, skipsFolder, sniffKubernetes, sniffMarkdownChecklist } from '../engine/discover';
import type { FileKind } from '../engine/model';
import type { SourceFile } from '../engine/workspace';

/**
 * Which paths the extension audits and how: pure rules (no vscode import) shared by the full scan and the
 * incremental updates, mirroring src/node/walk.ts and host.ts. Paths are folder-relative with forward slashes.
 */

/** Turns a path and its text into a SourceFile, or undefined when Shipshape does not audit it. */
export function toSource(rel: string, text: string, markdownPaths: ReadonlySet<string> = new Set()): SourceFile | undefined {
  const k = classifyPath(rel);
  if (!k || k === 'checklist' || k === 'config') return undefined;
  let kind: FileKind;
  if (k === 'maybeKubernetes') {
    if (!sniffKubernetes(text, rel)) return undefined;
    kind = 'kubernetes';
  } else kind = k;
  if (kind === 'markdown' && !markdownPaths.has(rel) && !sniffMarkdownChecklist(text, rel)) return undefined;
  if (presenceOnly(kind)) return { path: rel, kind, text: '' };
  return { path: rel, kind, text };
}

/** Decides whether a path is excluded by settings/config globs or a .gitignore on its way from the root. */
export class IgnoreRules {
  private readonly excludes: Ignore;
  private readonly gitignores = new Map<string, Ignore>();
  /** Folders skipped as build output (a `dist` or `build` beside a package.json), as the walk found them. */
  private readonly outputs = new Set<string>();
  constructor(exclude: readonly string[] = []) {
    this.excludes = ignore().add([...exclude]);
  }

  setGitignore(dir: string, text: string | undefined): void {
    if (text === undefined) this.gitignores.delete(dir);
    else this.gitignores.set(dir, ignore().add(text));
  }

  /** Whether the walk skips the folder `rel` (named `name`), given whether its parent holds a package.json; remembered for later updates. */
  skipsFolder(rel: string, name: string, besidePackageJson: boolean): boolean {
    if (!skipsFolder(name, besidePackageJson)) return false;
    if (!ALWAYS_SKIPPED_DIRS.has(name)) this.outputs.add(rel);
    return true;
  }

  ignores(rel: string, isDir = false): boolean {
    const parts = rel.split('/');
    const dirs = parts.slice(0, isDir ? parts.length : -1);
    if (dirs.some((p) => ALWAYS_SKIPPED_DIRS.has(p))) return true;
    if (this.outputs.size && dirs.some((_, i) => this.outputs.has(dirs.slice(0, i + 1).join('/')))) return true;
    if (this.excludes.ignores(isDir ? `${rel}/` : rel)) return true;
    // Each ancestor folder may carry a .gitignore; its patterns apply to the path below it.
    for (let i = 0; i < parts.length; i++) {
      const ig = this.gitignores.get(parts.slice(0, i).join('/'));
      const sub = parts.slice(i).join('/');
      if (ig?.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  }
}

