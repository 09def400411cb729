import ignore, { type Ignore } from 'ignore';
import { ALWAYS_SKIPPED_DIRS, classifyPath, sniffKubernetes, sniffMarkdownChecklist } from '../engine/discover';
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
  if (kind === 'markdown' && !markdownPaths.has(rel) && !sniffMarkdownChecklist(text)) return undefined;
  if (kind === 'lockfile') return { path: rel, kind, text: '' };
  return { path: rel, kind, text };
}

/** Decides whether a path is excluded by settings/config globs or a .gitignore on its way from the root. */
export class IgnoreRules {
  private readonly excludes: Ignore;
  private readonly gitignores = new Map<string, Ignore>();
  constructor(exclude: readonly string[] = []) {
    this.excludes = ignore().add([...exclude]);
  }

  setGitignore(dir: string, text: string | undefined): void {
    if (text === undefined) this.gitignores.delete(dir);
    else this.gitignores.set(dir, ignore().add(text));
  }

  ignores(rel: string, isDir = false): boolean {
    const parts = rel.split('/');
    if (parts.slice(0, isDir ? parts.length : -1).some((p) => ALWAYS_SKIPPED_DIRS.has(p))) return true;
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

