import picomatch from 'picomatch';
import { z } from 'zod';
import type { RawFinding } from '../../model';
import { RUNTIMES } from '../../checklist/appliesTo';
import { FreshFinding } from '../../keptRange';
import type { DockerfileModel } from '../../parse/dockerfile';
import { contextFacts } from '../../services';
import { parseIgnoreFile, type IgnoreFileModel } from '../../parse/ignoreFile';
import { baseName, dirName, joinPath, LineIndex, ZERO_RANGE } from '../../text';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { workspaceCheck, passOrFail } from '../template';
import { fromRange, stageData } from './util';

const Params = z.strictObject({
  /** Paths (relative to the build context) the .dockerignore must exclude. */
  mustExclude: z.array(z.string().min(1)).default(['.git', '.env', '.env.production']),
  byRuntime: z
    .partialRecord(z.enum(RUNTIMES), z.array(z.string().min(1)))
    .default({ node: ['node_modules'] })
    .describe('More paths to exclude for a Dockerfile that builds one of these runtimes (also asked when its runtime cannot be told).'),
});

/** The paths one Dockerfile's context must exclude: its runtime's (every listed runtime's when it cannot be told), then the common ones. */
function excludesFor(ws: WorkspaceView, df: ParsedFile<DockerfileModel>, p: z.infer<typeof Params>): readonly string[] {
  const { runtimes } = contextFacts(ws, df);
  // a repository has a few runtime lists: each list's paths are made once per params (the callers only read them)
  let byList = EXCLUDES.get(p);
  if (!byList) EXCLUDES.set(p, (byList = new Map()));
  const key = runtimes.join(',');
  let out = byList.get(key);
  if (!out) {
    const extra = runtimes.length ? runtimes.flatMap((r) => p.byRuntime[r] ?? []) : Object.values(p.byRuntime).flat();
    byList.set(key, (out = [...new Set([...extra, ...p.mustExclude])]));
  }
  return out;
}

const EXCLUDES = new WeakMap<object, Map<string, readonly string[]>>();

/** What a build context without a .dockerignore sends, in words; made once per list of paths. */
function sentOf(excludes: readonly string[]): string {
  let words = SENT.get(excludes);
  if (words === undefined) SENT.set(excludes, (words = sentence(excludes.filter((x) => x !== '.env.production').map((x) => (x === '.env' ? '.env files' : x)))));
  return words;
}

const SENT = new WeakMap<readonly string[], string>();

function sentence(list: string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/** Docker's pattern cleaning: no leading `/` or `./`, no trailing `/`. */
function clean(pattern: string): string {
  return pattern.trim().replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

const matchers = new Map<string, ((p: string) => boolean) | null>();

/** A pattern compiled once (ignore files repeat the same few patterns); null when picomatch refuses it. */
function compiled(pattern: string): ((p: string) => boolean) | null {
  let m = matchers.get(pattern);
  if (m === undefined) {
    try {
      m = picomatch(pattern, { dot: true });
    } catch {
      m = null;
    }
    if (matchers.size > 5000) matchers.clear();
    matchers.set(pattern, m);
  }
  return m;
}

/**
 * Is `path` excluded by the ignore file? Follows .dockerignore semantics: patterns are anchored at the
 * context root, a pattern that matches a parent folder excludes what is inside, the last match wins
 * and `!` re-includes.
 */
export function dockerignoreExcludes(model: IgnoreFileModel, path: string): boolean {
  const parts = path.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const line of model.lines) {
    const pattern = clean(line.pattern);
    if (!pattern) continue;
    const matcher = compiled(pattern);
    if (!matcher) continue;
    if (candidates.some((c) => matcher(c))) excluded = !line.negated;
  }
  return excluded;
}

/** The ignore files of a workspace by path (those read as another kind too: a host may not know `<name>.dockerignore`). */
function ignoreFilesOf(ws: WorkspaceView): Map<string, ParsedFile> {
  const byPath = new Map<string, ParsedFile>();
  for (const f of ws.byKind('dockerignore')) byPath.set(f.path, f);
  for (const f of ws.byKind('dockerfile')) if (f.path.toLowerCase().endsWith('.dockerignore')) byPath.set(f.path, f);
  return byPath;
}

/** The ignore file of a Dockerfile's build context: `<Dockerfile>.dockerignore` beside it, else the nearest `.dockerignore` up the tree. */
export function ignoreFileFor(ignoreFiles: ReadonlyMap<string, ParsedFile>, dockerfilePath: string): { path: string; text: string; model: IgnoreFileModel } | undefined {
  if (ignoreFiles.size === 0) return undefined;
  const own = asIgnoreFile(ignoreFiles.get(`${dockerfilePath}.dockerignore`));
  if (own) return own;
  let d: string | undefined = dirName(dockerfilePath);
  while (d !== undefined) {
    const f = asIgnoreFile(ignoreFiles.get(joinPath(d, '.dockerignore')));
    if (f) return f;
    d = d === '' ? undefined : dirName(d);
  }
  return undefined;
}

/** An ignore file's patterns, whatever kind the file was read as (a host may not know `<name>.dockerignore`). */
function asIgnoreFile(f: ParsedFile | undefined): { path: string; text: string; model: IgnoreFileModel } | undefined {
  if (!f) return undefined;
  const model = f.model as IgnoreFileModel | undefined;
  return { path: f.path, text: f.text, model: model && Array.isArray(model.lines) ? model : parseIgnoreFile(f.text).model };
}

/** Each Dockerfile's build context has a .dockerignore that keeps .git, .env files and its runtime's local dependencies (node_modules) out of the image. */
export const dockerignore = workspaceCheck({
  id: 'docker.dockerignore',
  description: 'Every Dockerfile has a .dockerignore in its build context (its own <name>.dockerignore, or the nearest .dockerignore from its folder up) that excludes .git, .env files and, for a Node build (or one whose runtime cannot be told), node_modules.',
  params: Params,
  kinds: ['dockerfile', 'dockerignore', 'buildManifest', 'packageJson', 'lockfile'],
  run(ws, params) {
    const dockerfiles = ws.byKind<DockerfileModel>('dockerfile').filter((f) => f.model && f.model.stages?.length > 0 && !f.path.toLowerCase().endsWith('.dockerignore'));
    if (dockerfiles.length === 0) return undefined;
    const findings: RawFinding[] = [];
    // per ignore file: the Dockerfiles built with it and what each needs excluded, reported once per file
    const shared = new Map<string, { ignore: NonNullable<ReturnType<typeof ignoreFileFor>>; df: ParsedFile<DockerfileModel>; excludes: Set<string> }>();
    // one lookup table rather than a read per folder level of every Dockerfile
    const ignoreFiles = ignoreFilesOf(ws);
    for (const df of dockerfiles) {
      const ignore = ignoreFileFor(ignoreFiles, df.path);
      const excludes = excludesFor(ws, df, params);
      if (!ignore) {
        // kept until the audit with every Dockerfile's: stamped in place, its range as four numbers
        findings.push(
          new FreshFinding(
            df.path,
            fromRange(df.model.stages[0]),
            `No .dockerignore in the build context of ${baseName(df.path)}, so ${sentOf(excludes)} are sent to the daemon and can end up in the image; add one beside it.`,
            undefined,
            // the stage alone, shared: the fix finds the .dockerignore beside the finding's file
            stageData(0),
          ),
        );
        continue;
      }
      const entry = shared.get(ignore.path);
      if (entry) for (const x of excludes) entry.excludes.add(x);
      else shared.set(ignore.path, { ignore, df, excludes: new Set(excludes) });
    }
    for (const { ignore, df, excludes } of shared.values()) {
      const missing = [...excludes].filter((p) => !dockerignoreExcludes(ignore.model, p));
      if (missing.length === 0) continue;
      const index = new LineIndex(ignore.text);
      findings.push({
        file: ignore.path,
        range: ignore.text.length ? index.lineRange(0) : ZERO_RANGE,
        message: `${baseName(ignore.path)} does not exclude ${missing.join(', ')}; add ${missing.length === 1 ? 'it' : 'them'} so local dependencies, history and secrets stay out of the image.`,
        data: { missing, dockerfile: df.path },
        related: [{ file: df.path, range: fromRange(df.model.stages[0]), message: 'Dockerfile built with this context' }],
      });
    }
    return passOrFail(findings);
  },
});
