import { z } from 'zod';
import { repositoryFinding, type RawFinding, type Range } from '../../model';
import { envFileRole, type EnvModel } from '../../parse/dotenv';
import { ignoreLines, SafeIgnore, type IgnoreFileModel } from '../../parse/ignoreFile';
import type { PackageJsonModel } from '../../parse/packageJson';
import { baseName, dirName } from '../../text';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { workspaceCheck } from '../template';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const matchers = new WeakMap<ParsedFile, SafeIgnore>();

/** Patterns the ignore library cannot compile are dropped (the walk reports them), never thrown. */
const quiet = () => undefined;

function matcher(f: ParsedFile<IgnoreFileModel>): SafeIgnore {
  let m = matchers.get(f);
  if (!m) matchers.set(f, (m = new SafeIgnore(ignoreLines(f.text), quiet)));
  return m;
}

/** Is a path ignored by the .gitignore files of the workspace (each applies to its own folder)? */
export function gitIgnored(ws: WorkspaceView, path: string): boolean {
  for (const g of ws.byKind<IgnoreFileModel>('gitignore')) {
    const base = dirName(g.path);
    if (base && !path.startsWith(`${base}/`)) continue;
    const rel = base ? path.slice(base.length + 1) : path;
    try {
      if (matcher(g).ignores(rel)) return true;
    } catch {
      /* an odd pattern: treat as not ignoring */
    }
  }
  return false;
}

const Params = z.strictObject({
  mustIgnore: z.array(z.string()).default(['.env', '.env.local', '.env.production']).describe('Paths the root .gitignore must ignore.'),
  mustKeep: z.array(z.string()).default(['.env.example']).describe('Paths it must not ignore (example files are committed).'),
});

/** `repo.gitignore.env`: the root .gitignore ignores real env files and keeps the examples. */
export const gitignoreEnv = workspaceCheck({
  id: 'repo.gitignore.env',
  description: 'The root .gitignore ignores .env and .env.* files while keeping the example files.',
  params: Params,
  kinds: ['gitignore', 'env', 'packageJson'],
  run(ws, p) {
    // (a file at that path read as another kind, such as a host's guess, is not the ignore file)
    const root = ws.get<IgnoreFileModel>('.gitignore');
    const gi = root?.kind === 'gitignore' ? root : undefined;
    if (!gi) {
      const anchor = ws.byKind<EnvModel>('env')[0] ?? ws.get<PackageJsonModel>('package.json');
      if (!anchor) return undefined;
      return { findings: [repositoryFinding('The repository has no root .gitignore, so .env files with real secrets can be committed')] };
    }
    const ig = matcher(gi);
    const findings: RawFinding[] = [];
    const firstLine: Range = gi.model?.lines[0] ? { start: { line: gi.model.lines[0].line, character: 0 }, end: { line: gi.model.lines[0].line, character: 0 } } : ZERO;
    const missing = p.mustIgnore.filter((x) => !ig.ignores(x));
    if (missing.length) findings.push({ file: gi.path, range: firstLine, message: `.gitignore does not ignore ${missing.join(', ')}; add .env and .env.* (and !.env.example)`, data: { missing } });
    for (const keep of p.mustKeep) {
      if (!ig.ignores(keep)) continue;
      const line = gi.model?.lines.filter((l) => !l.negated && new SafeIgnore([l.pattern], quiet).ignores(keep)).pop();
      findings.push({ file: gi.path, range: line ? { start: { line: line.line, character: 0 }, end: { line: line.line, character: line.pattern.length } } : firstLine, message: `.gitignore also ignores ${keep}; add !${keep} so the example stays committed` });
    }
    return { findings };
  },
});

/** `repo.gitignore.env.committed`: no real env file (not an example) sits in the repository unignored. */
export const envFilesCommitted = workspaceCheck({
  id: 'repo.gitignore.env.committed',
  description: 'No real .env file is committed: every env file that is not an example is ignored by git.',
  params: z.strictObject({
    allow: z.array(z.string()).default(['.env.test', '.env.ci', '.env.e2e']).describe('File names that may be committed (test configuration without secrets).'),
  }),
  kinds: ['env', 'gitignore'],
  run(ws, p) {
    const env = ws.byKind<EnvModel>('env');
    if (env.length === 0) return undefined;
    const findings: RawFinding[] = [];
    for (const f of env) {
      if (envFileRole(f.path).template || p.allow.includes(baseName(f.path)) || gitIgnored(ws, f.path)) continue;
      findings.push({ file: f.path, range: ZERO, message: `${f.path} is a real env file and no .gitignore ignores it: it gets committed with its values. Commit an example file instead` });
    }
    return { findings };
  },
});
