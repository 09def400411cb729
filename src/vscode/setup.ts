import * as vscode from 'vscode';
import { ATTESTATIONS_FILE, parseAttestations } from '../engine/attestations';
import { loadChecklist, loadConfig } from '../engine/checklist/load';
import { defaultChecklists, type Checklist, type Config } from '../engine/checklist/schema';
import type { Attestation, Problem, Range } from '../engine/model';
import { readFileSync } from 'node:fs';
import { provideKubernetesApi, type KubernetesApi } from '../engine/checks/k8s/schema';
import { CHECKLIST_CACHE_FILE, parseChecklistCache } from '../node/checklistCache';
import { itemIdRanges } from './checklistIndex';
import { mergeConfig, type Settings } from './settings';
import { listDirectory, readDiskText, readText, refusedLink, resolveRelative } from './files';

export const CONFIG_FILES = ['.shipshape.yaml', '.shipshape.yml'];
/** File labels of built-in checklists start with this, so they never collide with repository paths. */
export const BUILTIN_PREFIX = 'builtin:';

export interface ChecklistFile {
  /** Label used in problems and as `checklist.file`: a repo-relative path, or `builtin:checklists/x.checklist.yaml`. */
  label: string;
  uri: vscode.Uri;
  checklist?: Checklist;
  problems: Problem[];
  itemRanges: Map<string, Range>;
}

/** A checklist file whose item ranges are found on first use (a YAML parse of its own, off the loading path). */
function lazyRanges(file: Omit<ChecklistFile, 'itemRanges'>, text: string): ChecklistFile {
  let ranges: Map<string, Range> | undefined;
  return {
    ...file,
    get itemRanges() {
      return (ranges ??= itemIdRanges(text));
    },
  };
}

export interface Builtins {
  files: ChecklistFile[];
  problems: Problem[];
}

/** Reads the built-in checklists shipped in the extension (`<extension>/checklists`): through node:fs when local, as the CLI. */
export async function loadBuiltins(extensionUri: vscode.Uri): Promise<Builtins> {
  const dir = vscode.Uri.joinPath(extensionUri, 'checklists');
  // the Kubernetes schema data ships beside the checklists; read (synchronously, once) only when a manifest is checked
  provideKubernetesApi(() => JSON.parse(readFileSync(vscode.Uri.joinPath(dir, 'kubernetes-api.json').fsPath, 'utf8')) as KubernetesApi);
  const problems: Problem[] = [];
  // The build's cache of their parsed YAML (used only where a file's hash matches; missing or bad, nothing is found),
  // read while the folder is listed.
  const cacheText = readDiskText(vscode.Uri.joinPath(dir, CHECKLIST_CACHE_FILE), CHECKLIST_CACHE_FILE, []);
  let names: string[] = [];
  try {
    names = (await listDirectory(dir)).map(([n]) => n).filter((n) => n.endsWith('.checklist.yaml')).sort();
  } catch {
    problems.push({ file: `${BUILTIN_PREFIX}checklists`, message: 'Built-in checklists folder not found', severity: 'error' });
  }
  const cached = parseChecklistCache(await cacheText);
  const files = await Promise.all(
    names.map(async (name) => {
      const uri = vscode.Uri.joinPath(dir, name);
      const label = `${BUILTIN_PREFIX}checklists/${name}`;
      const text = (await readDiskText(uri, label, problems)) ?? '';
      const r = loadChecklist(text, label, cached(name, text));
      return lazyRanges({ label, uri, checklist: r.checklist, problems: r.problems }, text);
    }),
  );
  return { files, problems };
}

/** A folder's configuration (see {@link FolderConfig}) with its checklists and sign-offs. */
export interface FolderSetup extends FolderConfig {
  checklists: Checklist[];
  /** Every checklist file read for this folder (built-in and repository), by label. */
  files: Map<string, ChecklistFile>;
  attestations: Map<string, Attestation>;
}

/** Paths whose edits change the setup (config, repository checklists, attestations) rather than the audited files. */
export function isSetupPath(rel: string): boolean {
  const lower = rel.toLowerCase();
  return CONFIG_FILES.includes(lower) || lower.endsWith('.checklist.yaml') || lower.endsWith('.checklist.yml') || rel === ATTESTATIONS_FILE;
}

/**
 * A setup file's text, as `readText`; a symbolic link to a path outside the folder is not read (as in the
 * CLI): a problem at the file, and `refused`.
 */
async function readSetupFile(folder: vscode.Uri, rel: string, problems: Problem[], severity: Problem['severity']): Promise<{ text?: string; refused?: true }> {
  const uri = resolveRelative(folder, rel);
  const refused = refusedLink(folder, uri);
  if (refused) {
    problems.push({ file: rel, message: refused, severity });
    return { refused: true };
  }
  return { text: await readText(uri, rel, problems) };
}

/** A folder's configuration: its `.shipshape.yaml` (or the last valid one while it is invalid) with the settings merged in. */
export interface FolderConfig {
  config: Config;
  /**
   * The config file's own content (before settings are merged in) when it is valid, else the last valid one
   * (`fallback`) while a config file is there: the next read's fallback.
   */
  fileConfig?: Config;
  /** The config file in use (repo-relative), if any. */
  configFile?: string;
  problems: Problem[];
}

/**
 * Reads a folder's configuration alone (what the walk and rendering need). While the file is invalid (mid-edit,
 * a typo) the last valid config (`fallback`) stays in force, so the audit does not jump to every built-in
 * checklist; the error is a problem on the file.
 */
export async function readFolderConfig(folder: vscode.Uri, settings: Settings, fallback?: Config): Promise<FolderConfig> {
  const problems: Problem[] = [];
  let config: Config = {};
  let fileConfig: Config | undefined;
  let configFile: string | undefined;
  for (const name of CONFIG_FILES) {
    const { text, refused } = await readSetupFile(folder, name, problems, 'error');
    if (refused) {
      // the config file is there but not read: no other is looked for, and the last valid one is not kept
      configFile = name;
      break;
    }
    if (text === undefined) continue;
    configFile = name;
    const r = loadConfig(text, name);
    problems.push(...r.problems);
    if (r.config) config = fileConfig = r.config;
    else if (fallback) config = fallback;
    break;
  }
  return { config: mergeConfig(config, settings), fileConfig: fileConfig ?? (configFile ? fallback : undefined), configFile, problems };
}

/**
 * Reads config (unless `read` is given), checklists and attestations for one folder. Every error is a located
 * problem; nothing throws. `repoChecklists` are the repository's checklist files found by the walk: they are
 * validated (so authors see their errors) even when the config does not select them.
 */
export async function loadSetup(folder: vscode.Uri, builtins: Builtins, settings: Settings, repoChecklists: readonly string[], fallback?: Config, read?: FolderConfig): Promise<FolderSetup> {
  const problems: Problem[] = [...builtins.problems];
  const files = new Map<string, ChecklistFile>();
  for (const f of builtins.files) {
    files.set(f.label, f);
    problems.push(...f.problems);
  }
  const { config, fileConfig, configFile, problems: configProblems } = read ?? (await readFolderConfig(folder, settings, fallback));
  problems.push(...configProblems);

  // checklists that are links to outside: reported once, even when both selected and found by the walk
  const refusedChecklists = new Set<string>();
  const readChecklist = async (rel: string): Promise<ChecklistFile | 'refused' | undefined> => {
    if (files.has(rel)) return files.get(rel);
    if (refusedChecklists.has(rel)) return 'refused';
    const uri = resolveRelative(folder, rel);
    const readProblems: Problem[] = [];
    const { text, refused } = await readSetupFile(folder, rel, readProblems, 'error');
    if (refused) {
      refusedChecklists.add(rel);
      problems.push(...readProblems);
      return 'refused';
    }
    if (text === undefined) return undefined;
    const r = loadChecklist(text, rel);
    const f = lazyRanges({ label: rel, uri, checklist: r.checklist, problems: [...readProblems, ...r.problems] }, text);
    files.set(rel, f);
    problems.push(...f.problems);
    return f;
  };

  const builtinChecklists = builtins.files.flatMap((f) => (f.checklist ? [f.checklist] : []));
  let checklists = defaultChecklists(builtinChecklists, config);
  if (config.checklists) {
    checklists = [];
    const where = configFile ?? '.shipshape.yaml';
    for (const ref of config.checklists) {
      const b = builtinChecklists.find((c) => c.id === ref);
      if (b) {
        checklists.push(b);
        continue;
      }
      const rel = ref.replace(/^\.\//, '');
      if (rel.startsWith('/') || rel.split('/').includes('..') || /^[a-z]+:/i.test(rel)) {
        problems.push({ file: where, message: `checklists: "${ref}" is outside the workspace; only built-in ids or files inside the repository are allowed`, severity: 'error' });
        continue;
      }
      const f = await readChecklist(rel);
      if (f === 'refused') continue;
      if (!f) {
        problems.push({ file: where, message: `checklists: "${ref}" is neither a built-in checklist (${builtinChecklists.map((c) => c.id).join(', ') || 'none'}) nor a file`, severity: 'error' });
        continue;
      }
      if (f.checklist) checklists.push(f.checklist);
    }
  }
  for (const rel of repoChecklists) await readChecklist(rel);

  const { text: attText } = await readSetupFile(folder, ATTESTATIONS_FILE, problems, 'warning');
  let attestations = new Map<string, Attestation>();
  if (attText !== undefined) {
    const r = parseAttestations(attText);
    attestations = r.attestations;
    problems.push(...r.problems);
  }
  return { config, fileConfig, configFile, checklists, files, attestations, problems };
}
