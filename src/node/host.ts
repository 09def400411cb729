import { closeSync, existsSync, fstatSync, openSync, promises as fs, lstatSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../engine/audit';
import { ATTESTATIONS_FILE, parseAttestations } from '../engine/attestations';
import { checkRuleOverrides, loadChecklist, loadConfig } from '../engine/checklist/load';
import { defaultChecklists, type Checklist, type Config } from '../engine/checklist/schema';
import { presenceOnly, sniffKubernetes, sniffMarkdownChecklist } from '../engine/discover';
import { under, type RenderPlan } from '../engine/render/plan';
import type { Attestation, AuditResult, FileKind, Problem, Range } from '../engine/model';
import type { SourceFile } from '../engine/workspace';
import { provideKubernetesApi, type KubernetesApi } from '../engine/checks/k8s/schema';
import { builtinChecklistNames, readChecklistCache } from './checklistCache';
import { planFor, renderPlan, type RenderOptions } from './render';
import { decodeText } from './textFile';
import { oversizedFile, unreadableFile } from './unreadable';
import { phaseDone } from './phases';
import { realRoot, resolveInside, walk } from './walk';

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const CONFIG_FILES = ['.shipshape.yaml', '.shipshape.yml'];
const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The folder of built-in checklists, next to the bundle (dist/../checklists) or the sources. */
export function builtinChecklistDir(): string {
  const candidates = [path.join(__dirname, '..', 'checklists'), path.join(__dirname, '..', '..', 'checklists')];
  return candidates.find((d) => existsSync(d)) ?? candidates[0];
}

export function loadBuiltinChecklists(dir = builtinChecklistDir()): { checklists: Checklist[]; problems: Problem[] } {
  const checklists: Checklist[] = [];
  const problems: Problem[] = [];
  let names: string[] = [];
  try {
    names = builtinChecklistNames(dir);
  } catch {
    problems.push({ file: dir, message: 'Built-in checklists folder not found', severity: 'error' });
  }
  const cached = readChecklistCache(dir);
  for (const name of names) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const r = loadChecklist(text, `checklists/${name}`, cached(name, text));
    problems.push(...r.problems);
    if (r.checklist) checklists.push(r.checklist);
  }
  return { checklists, problems };
}

/** The Kubernetes API schema data shipped beside the built-in checklists, read on first use. */
export const KUBERNETES_API_FILE = 'kubernetes-api.json';
provideKubernetesApi(() => JSON.parse(readFileSync(path.join(builtinChecklistDir(), KUBERNETES_API_FILE), 'utf8')) as KubernetesApi);

/** Resolves a repo-relative path, refusing anything outside the root (config may not point the scanner elsewhere). */
export function insideRoot(root: string, rel: string): string | undefined {
  const abs = path.resolve(root, rel);
  const r = path.relative(path.resolve(root), abs);
  if (r.startsWith('..') || path.isAbsolute(r)) return undefined;
  return abs;
}

export interface ScanOptions {
  /** Path of a config file; default: .shipshape.yaml at the root when present. */
  configFile?: string;
  /** Extra checklist files (CLI --checklist); they are used instead of the built-ins when given. */
  checklistFiles?: string[];
  strict?: boolean;
  maxFiles?: number;
  /** Overrides config maxFileSize (CLI --max-file-size). */
  maxFileSize?: number;
  /**
   * Reads a file's bytes, or gives its size when that is over the limit passed (default: from the open file).
   * Tests pass one that fails, to simulate unreadable or vanishing files.
   */
  readFile?: (abs: string, maxSize: number) => Uint8Array | number;
  /** Rendering of charts and kustomizations (default: on, trusted, tools from the config or PATH); false: not rendered. */
  render?: false | Partial<RenderOptions>;
}

export interface LoadedSetup {
  config: Config;
  checklists: Checklist[];
  problems: Problem[];
  /** A config or checklist error the user must fix (exit code 2 in the CLI). */
  fatal: boolean;
}

/**
 * Reads config and checklists for a root. Located problems for every error; nothing throws. Invalid parts
 * are reported and left out, and the rest is still used (`fatal` tells the CLI to exit 2 after auditing).
 * Files named by the repository itself (the default config, checklists listed in it, attestations) are
 * read only when their real path is inside the root: a symbolic link may not point the scanner elsewhere.
 * Files named on the command line (`--config`, `--checklist`) are the user's choice and read as given.
 */
export async function loadSetup(root: string, options: ScanOptions = {}): Promise<LoadedSetup> {
  const problems: Problem[] = [];
  let fatal = false;
  let config: Config = {};
  const rootReal = realRoot(root);
  const configPath = options.configFile ? path.resolve(options.configFile) : CONFIG_FILES.map((n) => path.join(root, n)).find((p) => existsSync(p) || isLink(p));
  const configRel = toRel(root, configPath ?? path.join(root, CONFIG_FILES[0]));
  let locate: (p: (string | number)[]) => Range | undefined = () => undefined;
  if (configPath) {
    const where = options.configFile ? { real: configPath } : resolveInside(rootReal, configPath);
    if ('real' in where) {
      try {
        // a FIFO or device named like the config would block the read forever
        if (!(await fs.stat(where.real)).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
        const r = loadConfig(await fs.readFile(where.real, 'utf8'), configRel);
        problems.push(...r.problems);
        locate = r.locate;
        config = r.config ?? r.salvaged ?? {};
        if (!r.config || r.problems.some((p) => p.severity === 'error')) fatal = true;
      } catch (e) {
        problems.push({ file: configRel, message: `Cannot read config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'error', range: ZERO });
        fatal = true;
      }
    } else {
      problems.push({ file: configRel, message: `Config not read: ${'outside' in where ? 'it is a symbolic link to a path outside the workspace' : where.error}.`, severity: 'error', range: ZERO });
      fatal = true;
    }
  }
  const builtin = loadBuiltinChecklists();
  problems.push(...builtin.problems);
  let checklists = defaultChecklists(builtin.checklists, config);
  const load = async (abs: string, at?: Range): Promise<Checklist | undefined> => {
    const rel = toRel(root, abs);
    try {
      const r = loadChecklist(await fs.readFile(abs, 'utf8'), rel);
      problems.push(...r.problems);
      if (r.problems.some((p) => p.severity === 'error')) fatal = true;
      return r.checklist;
    } catch (e) {
      problems.push({ file: at ? configRel : rel, message: `Cannot read checklist ${rel}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'error', range: at ?? ZERO });
      fatal = true;
      return undefined;
    }
  };
  if (options.checklistFiles?.length) {
    checklists = [];
    for (const f of options.checklistFiles) {
      const c = await load(path.resolve(f));
      if (c) checklists.push(c);
    }
  } else if (config.checklists) {
    const selected: Checklist[] = [];
    for (const [i, ref] of config.checklists.entries()) {
      const b = builtin.checklists.find((c) => c.id === ref);
      if (b) {
        selected.push(b);
        continue;
      }
      const at = locate(['checklists', i]) ?? ZERO;
      const abs = insideRoot(root, ref);
      const where = abs && existsSync(abs) ? resolveInside(rootReal, abs) : undefined;
      if (!abs || (where && 'outside' in where)) {
        problems.push({ file: configRel, message: `checklists: "${ref}" is outside the workspace; only built-in ids or files inside the repository are allowed`, range: at, severity: 'error' });
        fatal = true;
        continue;
      }
      if (!where || 'error' in where) {
        problems.push({ file: configRel, message: `checklists: "${ref}" is neither a built-in checklist (${builtin.checklists.map((c) => c.id).join(', ')}) nor a file${where ? ` (${where.error})` : ''}`, range: at, severity: 'error' });
        fatal = true;
        continue;
      }
      const c = await load(where.real, at);
      if (c) selected.push(c);
    }
    checklists = selected;
  }
  const overrides = checkRuleOverrides(config, checklists, configRel, locate);
  problems.push(...overrides.problems);
  config = overrides.config;
  if (overrides.problems.some((p) => p.severity === 'error')) fatal = true;
  return { config, checklists, problems, fatal };
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function toRel(root: string, abs: string): string {
  const r = path.relative(root, abs).split(path.sep).join('/');
  return r.startsWith('..') ? abs : r;
}

/**
 * Decodes bytes as UTF-8 (without its byte order mark); text that is not valid UTF-8 is read as Latin-1, one
 * character per byte, and reported, so that a fix writes back every byte it did not edit.
 */
export function decode(bytes: Uint8Array, rel: string, problems: Problem[]): string {
  const d = decodeText(bytes);
  if (d.encoding === 'latin1') problems.push({ file: rel, message: 'File is not valid UTF-8; it was read as Latin-1 (ISO-8859-1).', severity: 'info' });
  return d.text;
}

/**
 * A file's bytes, or its size when that is over `max` (then it is not read): its size is asked of the open
 * file, so a file costs no `stat` of its own (the walk stats only symbolic links).
 */
function readUpTo(abs: string, max: number): Uint8Array | number {
  const fd = openSync(abs, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > max) return size;
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    for (let n = -1; read < size && n !== 0; read += n) n = readSync(fd, bytes, read, size - read, null);
    return read < size ? bytes.subarray(0, read) : bytes;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the files a scan audits; files that vanish or fail become problems. Reads are synchronous and
 * sequential: for many small files that is several times faster than concurrent promise reads, each of
 * which costs four thread-pool round trips (open, stat, read, close).
 */
export async function readSources(root: string, config: Config, options: ScanOptions = {}): Promise<{ sources: SourceFile[]; problems: Problem[]; plan: RenderPlan }> {
  const { files, problems } = await walk(root, { exclude: config.exclude, maxFiles: options.maxFiles });
  phaseDone('walk');
  const maxSize = options.maxFileSize ?? config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const read = options.readFile ?? readUpTo;
  const markdownPaths = new Set(config.markdown ?? []);
  const sources: SourceFile[] = [];
  // charts and kustomizations are audited as rendered: the files they consume are not audited on their own
  const plan = planFor(root, files.map((f) => f.path));
  for (const c of files) {
    if (c.kind === 'checklist' || c.kind === 'config') continue;
    if ((c.kind === 'maybeKubernetes' || c.kind === 'kubernetes') && (plan.consumed.has(c.path) || plan.chartDirs.some((d) => under(c.path, d)))) continue;
    if (presenceOnly(c.kind)) {
      sources.push({ path: c.path, kind: c.kind as FileKind, text: '' });
      continue;
    }
    if (c.size !== undefined && c.size > maxSize) {
      problems.push(oversizedFile(c.path, c.size, maxSize));
      continue;
    }
    let bytes: Uint8Array | number;
    try {
      bytes = read(c.target ?? path.join(root, c.path), maxSize);
    } catch (e) {
      problems.push(unreadableFile(c.path, (e as NodeJS.ErrnoException).code, (e as Error).message));
      continue;
    }
    if (typeof bytes === 'number' || bytes.length > maxSize) {
      const size = typeof bytes === 'number' ? bytes : bytes.length;
      problems.push(oversizedFile(c.path, size, maxSize));
      continue;
    }
    const text = decode(bytes, c.path, problems);
    let kind: FileKind;
    if (c.kind === 'maybeKubernetes') {
      if (!sniffKubernetes(text, c.path)) continue;
      kind = 'kubernetes';
    } else kind = c.kind;
    if (kind === 'markdown' && !markdownPaths.has(c.path) && !sniffMarkdownChecklist(text, c.path)) continue;
    sources.push({ path: c.path, kind, text });
  }
  sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  phaseDone('read');
  return { sources, problems, plan };
}

export async function readAttestations(root: string): Promise<{ attestations: Map<string, Attestation>; problems: Problem[] }> {
  const file = path.join(root, ATTESTATIONS_FILE);
  if (!existsSync(file)) return { attestations: new Map(), problems: [] };
  const where = resolveInside(realRoot(root), file);
  if (!('real' in where)) return { attestations: new Map(), problems: [{ file: ATTESTATIONS_FILE, message: `Not read: ${'outside' in where ? 'a symbolic link to a path outside the workspace' : where.error}.`, severity: 'warning', range: ZERO }] };
  try {
    return parseAttestations(await fs.readFile(where.real, 'utf8'));
  } catch {
    return { attestations: new Map(), problems: [] };
  }
}

export interface ScanResult {
  result: AuditResult;
  engine: Engine;
  setup: LoadedSetup;
}

/** The whole scan of a folder: config, checklists, files, attestations, audit. */
export async function scanFolder(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const absRoot = path.resolve(root);
  const setup = await loadSetup(absRoot, options);
  phaseDone('setup');
  const { sources, problems, plan } = await readSources(absRoot, setup.config, options);
  if (options.render !== false) {
    const r = await renderPlan(absRoot, plan, setup.config, { trusted: true, ...options.render });
    sources.push(...r.sources);
    problems.push(...r.problems);
  }
  phaseDone('render');
  const engine = new Engine(setup.checklists, setup.config, absRoot);
  for (const s of sources) engine.upsert(s);
  phaseDone('parse');
  const att = await readAttestations(absRoot);
  const result = engine.audit({ strict: options.strict, attestations: att.attestations, problems: [...setup.problems, ...problems, ...att.problems] });
  phaseDone('audit');
  return { result, engine, setup };
}
