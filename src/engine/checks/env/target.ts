// Where an env rule's "declare NAME" finding goes: an env file of the service that needs the setting.
import type { Range } from '../../model';
import { envFileRole, type EnvEntry, type EnvModel } from '../../parse/dotenv';
import type { ParsedFile } from '../../workspace';
import type { EnvContext } from './context';
import { dependencyIn, type When } from './values';

/** Where a "declare NAME" finding goes: a place in an env file, or the repository (no env file to declare it in). */
export type DeclarationTarget = { file: string; range: Range; scope?: 'repository' };

const ZERO: Range = Object.freeze({ start: Object.freeze({ line: 0, character: 0 }), end: Object.freeze({ line: 0, character: 0 }) }) as Range;

/** Per context: the folders of the packages each rule is about (by its `when.dependencies`), and the file each target resolved to (null: none). */
const memos = new WeakMap<EnvContext, { dirs: Map<readonly string[] | undefined, string[]>; files: Map<string, ParsedFile<EnvModel> | null> }>();

/**
 * Where "add NAME=" findings point: in the example env file (else any env file; the production one first when
 * asked), next to a related key (one sharing the name's first word: RATE_LIMIT_MAX by RATE_LIMIT_WINDOW), else
 * where a new line goes (after the last entry). With no env file, the repository as a whole.
 *
 * Env files of a service come first: files in the folder of a package.json, below it or above it (of one that
 * depends on what `when.dependencies` names, when the rule says), so that in a repository of several projects a
 * Node setting is not asked of another project's env file.
 */
export function declarationTarget(ctx: EnvContext, preferProduction = false, key?: string, when?: When): DeclarationTarget | undefined {
  let memo = memos.get(ctx);
  if (!memo) memos.set(ctx, (memo = { dirs: new Map(), files: new Map() }));
  const names = when?.dependencies;
  let dirs = memo.dirs.get(names);
  if (!dirs) memo.dirs.set(names, (dirs = serviceDirs(ctx, names)));
  const id = `${preferProduction ? 'production' : 'any'}\0${dirs.join('\0')}`;
  let file = memo.files.get(id);
  if (file === undefined) memo.files.set(id, (file = findTarget(ctx, preferProduction, dirs) ?? null));
  if (!file) return ctx.relevant ? { file: '', range: ZERO, scope: 'repository' } : undefined;
  return { file: file.path, range: insertionPoint(file.model.entries, key) };
}

/** The folders of the package.jsons a rule is about: those depending on one of `names` (the rule's `when`), else every one. */
function serviceDirs(ctx: EnvContext, names: readonly string[] | undefined): string[] {
  const dirs: string[] = [];
  for (const pkg of ctx.packageJsons) {
    const m = pkg.model;
    if (!m) continue;
    if (names && !dependencyIn(new Set([...Object.keys(m.dependencies), ...Object.keys(m.devDependencies)]), names)) continue;
    dirs.push(dirOf(pkg.path));
  }
  return dirs.sort();
}

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** One folder is the other or holds it. */
function related(a: string, b: string): boolean {
  return a === b || a === '' || b === '' || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

function findTarget(ctx: EnvContext, preferProduction: boolean, dirs: readonly string[]): ParsedFile<EnvModel> | undefined {
  const byDepth = (a: ParsedFile, b: ParsedFile) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1);
  const pick = (ofService: (f: ParsedFile) => boolean) => {
    const first = (files: readonly ParsedFile<EnvModel>[]) => files.filter(ofService).sort(byDepth)[0];
    return (preferProduction ? first(ctx.dotenv.filter((f) => envFileRole(f.path).production)) : undefined) ?? first(ctx.templates) ?? first(ctx.dotenv);
  };
  const found = pick((f) => dirs.length === 0 || dirs.some((d) => related(dirOf(f.path), d)));
  // With one package, its env files may sit in a folder beside it (config/.env.example). With several (a monorepo, a
  // collection of samples), an env file in no package's folder is another project's: the repository is asked instead.
  return found ?? (ctx.packageJsons.length <= 1 ? pick(() => true) : undefined);
}

/** An empty range at the end of the last entry related to `key` (same first word), else of the last entry. */
function insertionPoint(entries: readonly EnvEntry[], key: string | undefined): Range {
  if (entries.length === 0) return ZERO;
  const word = key ? key.split(/[_.-]/)[0] : undefined;
  let at = entries[entries.length - 1];
  if (word && word.length > 1) {
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i].key.split(/[_.-]/)[0] === word) {
        at = entries[i];
        break;
      }
    }
  }
  const end = at.valueRange.end;
  return { start: end, end };
}
