import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../engine/audit';
import { ATTESTATIONS_FILE, parseAttestations } from '../engine/attestations';
import { loadChecklist, loadConfig } from '../engine/checklist/load';
import type { Checklist, Config } from '../engine/checklist/schema';
import { helmChartDirs, inHelmTemplates, sniffKubernetes, sniffMarkdownChecklist } from '../engine/discover';
import type { Attestation, AuditResult, FileKind, Problem } from '../engine/model';
import type { SourceFile } from '../engine/workspace';
import { walk } from './walk';

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const CONFIG_FILES = ['.shipshape.yaml', '.shipshape.yml'];

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
    names = readdirSync(dir).filter((n) => n.endsWith('.checklist.yaml')).sort();
  } catch {
    problems.push({ file: dir, message: 'Built-in checklists folder not found', severity: 'error' });
  }
  for (const name of names) {
    const r = loadChecklist(readFileSync(path.join(dir, name), 'utf8'), `checklists/${name}`);
    problems.push(...r.problems);
    if (r.checklist) checklists.push(r.checklist);
  }
  return { checklists, problems };
}

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
}

export interface LoadedSetup {
  config: Config;
  checklists: Checklist[];
  problems: Problem[];
  /** A config or checklist error the user must fix (exit code 2 in the CLI). */
  fatal: boolean;
}

/** Reads config and checklists for a root. Located problems for every error; nothing throws. */
export async function loadSetup(root: string, options: ScanOptions = {}): Promise<LoadedSetup> {
  const problems: Problem[] = [];
  let fatal = false;
  let config: Config = {};
  const configPath = options.configFile ? path.resolve(options.configFile) : CONFIG_FILES.map((n) => path.join(root, n)).find((p) => existsSync(p));
  if (configPath) {
    const rel = toRel(root, configPath);
    try {
      const r = loadConfig(await fs.readFile(configPath, 'utf8'), rel);
      problems.push(...r.problems);
      if (r.config) config = r.config;
      else fatal = true;
    } catch (e) {
      problems.push({ file: rel, message: `Cannot read config: ${(e as Error).message}`, severity: 'error' });
      fatal = true;
    }
  }
  const builtin = loadBuiltinChecklists();
  problems.push(...builtin.problems);
  let checklists = builtin.checklists;
  const load = async (abs: string): Promise<Checklist | undefined> => {
    const rel = toRel(root, abs);
    try {
      const r = loadChecklist(await fs.readFile(abs, 'utf8'), rel);
      problems.push(...r.problems);
      if (r.problems.some((p) => p.severity === 'error')) fatal = true;
      return r.checklist;
    } catch (e) {
      problems.push({ file: rel, message: `Cannot read checklist: ${(e as Error).message}`, severity: 'error' });
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
    for (const ref of config.checklists) {
      const b = builtin.checklists.find((c) => c.id === ref);
      if (b) {
        selected.push(b);
        continue;
      }
      const abs = insideRoot(root, ref);
      if (!abs) {
        problems.push({ file: toRel(root, configPath ?? '.shipshape.yaml'), message: `checklists: "${ref}" is outside the workspace; only built-in ids or files inside the repository are allowed`, severity: 'error' });
        fatal = true;
        continue;
      }
      if (!existsSync(abs)) {
        problems.push({ file: toRel(root, configPath ?? '.shipshape.yaml'), message: `checklists: "${ref}" is neither a built-in checklist (${builtin.checklists.map((c) => c.id).join(', ')}) nor a file`, severity: 'error' });
        fatal = true;
        continue;
      }
      const c = await load(abs);
      if (c) selected.push(c);
    }
    checklists = selected;
  }
  return { config, checklists, problems, fatal };
}

function toRel(root: string, abs: string): string {
  const r = path.relative(root, abs).split(path.sep).join('/');
  return r.startsWith('..') ? abs : r;
}

/** Decodes bytes as UTF-8; reports invalid UTF-8 (the text is still audited with replacement characters). */
export function decode(bytes: Uint8Array, rel: string, problems: Problem[]): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push({ file: rel, message: 'File is not valid UTF-8; invalid bytes were replaced while reading it.', severity: 'info' });
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/**
 * Reads the files a scan audits; files that vanish or fail become problems. Reads are synchronous and
 * sequential: for many small files that is several times faster than concurrent promise reads, each of
 * which costs four thread-pool round trips (open, stat, read, close).
 */
export async function readSources(root: string, config: Config, options: ScanOptions = {}): Promise<{ sources: SourceFile[]; problems: Problem[] }> {
  const { files, problems } = await walk(root, { exclude: config.exclude, maxFiles: options.maxFiles });
  const maxSize = config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const markdownPaths = new Set(config.markdown ?? []);
  const sources: SourceFile[] = [];
  const charts = helmChartDirs(files.map((f) => f.path));
  for (const c of files) {
    if (c.kind === 'checklist' || c.kind === 'config') continue;
    const chart = charts.length ? inHelmTemplates(c.path, charts) : undefined;
    if (chart !== undefined && (c.kind === 'maybeKubernetes' || c.kind === 'kubernetes')) {
      problems.push({ file: c.path, message: `Skipped: unrendered Helm chart template (chart ${chart}); render it (helm template) to audit it.`, severity: 'info', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
      continue;
    }
    if (c.kind === 'lockfile') {
      sources.push({ path: c.path, kind: 'lockfile', text: '' });
      continue;
    }
    if (c.size > maxSize) {
      problems.push({ file: c.path, message: `Skipped: ${c.size} bytes is over the ${maxSize}-byte limit (maxFileSize).`, severity: 'info' });
      continue;
    }
    let text: string;
    try {
      text = decode(readFileSync(path.join(root, c.path)), c.path, problems);
    } catch (e) {
      problems.push({ file: c.path, message: `Cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, severity: 'warning' });
      continue;
    }
    let kind: FileKind;
    if (c.kind === 'maybeKubernetes') {
      if (!sniffKubernetes(text, c.path)) continue;
      kind = 'kubernetes';
    } else kind = c.kind;
    if (kind === 'markdown' && !markdownPaths.has(c.path) && !sniffMarkdownChecklist(text)) continue;
    sources.push({ path: c.path, kind, text });
  }
  sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { sources, problems };
}

export async function readAttestations(root: string): Promise<{ attestations: Map<string, Attestation>; problems: Problem[] }> {
  try {
    return parseAttestations(await fs.readFile(path.join(root, ATTESTATIONS_FILE), 'utf8'));
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
  const { sources, problems } = await readSources(absRoot, setup.config, options);
  const engine = new Engine(setup.checklists, setup.config, absRoot);
  for (const s of sources) engine.upsert(s);
  const att = await readAttestations(absRoot);
  const result = engine.audit({ strict: options.strict, attestations: att.attestations, problems: [...setup.problems, ...problems, ...att.problems] });
  return { result, engine, setup };
}
