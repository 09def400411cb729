import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import type { Checklist, Config } from '../../src/engine/checklist/schema';
import { classifyPath, sniffKubernetes, sniffMarkdownChecklist } from '../../src/engine/discover';
import type { AuditResult, FileKind } from '../../src/engine/model';
import type { SourceFile } from '../../src/engine/workspace';
import { loadBuiltinChecklists, scanFolder } from '../../src/node/host';

export const REPO = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures');
export const SHARED = path.resolve(REPO, '..', 'shared');

let cached: Checklist[] | undefined;
export function builtinChecklists(): Checklist[] {
  if (!cached) {
    const { checklists, problems } = loadBuiltinChecklists(path.join(REPO, 'checklists'));
    if (problems.length) throw new Error(`built-in checklists have problems:\n${problems.map((p) => `${p.file}: ${p.message}`).join('\n')}`);
    cached = checklists;
  }
  return cached;
}

/**
 * The load on the machine per core, at least 1: hang detectors scale their bounds by it, so a busy shared machine is
 * not taken for a hang.
 */
export const LOAD = Math.max(1, loadavg()[0] / Math.max(1, cpus().length));

/** The hang detector's bound for one input (3 s scaled by the load): a hang is minutes; speed is `npm run bench`. */
export const HANG_MS = Math.round(3000 * LOAD);

/** Runs `fn` and fails, naming `what`, when it took longer than {@link HANG_MS}; returns what `fn` returned. */
export function withinHangBound<T>(what: string, fn: () => T): T {
  const started = Date.now();
  const out = fn();
  const ms = Date.now() - started;
  if (ms >= HANG_MS) throw new Error(`${what}: ${ms} ms (hang detector: ${HANG_MS} ms)`);
  return out;
}

/** Classifies a path the way the scanner does (content sniffing included); undefined when it is not scanned. */
export function kindOf(relPath: string, text: string): FileKind | undefined {
  const k = classifyPath(relPath);
  if (k === 'maybeKubernetes') return sniffKubernetes(text, relPath) ? 'kubernetes' : undefined;
  if (k === 'markdown') return sniffMarkdownChecklist(text) ? 'markdown' : undefined;
  return k;
}

/** Audits in-memory files with the built-in checklists. */
export function auditFiles(files: { path: string; text: string }[], options: { strict?: boolean; checklists?: Checklist[]; config?: Config } = {}): AuditResult {
  const engine = new Engine(options.checklists ?? builtinChecklists(), options.config);
  for (const f of files) {
    const kind = kindOf(f.path, f.text);
    if (kind) engine.upsert({ path: f.path, text: f.text, kind } satisfies SourceFile);
  }
  return engine.audit({ strict: options.strict });
}

/** A fixture is a single file (audited alone, under its own name) or a folder (scanned as a repository). */
export async function auditFixture(abs: string, options: { strict?: boolean; config?: Config } = {}): Promise<AuditResult> {
  if (statSync(abs).isDirectory()) {
    if (!options.config) return (await scanFolder(abs, { strict: options.strict })).result;
    // a folder with a config of the test's own (an opt-in rule turned on): handed over as a config file (JSON is YAML)
    const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-fixture-config-'));
    const configFile = path.join(dir, 'config.yaml');
    writeFileSync(configFile, JSON.stringify(options.config));
    try {
      return (await scanFolder(abs, { strict: options.strict, configFile })).result;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return auditFiles([{ path: path.basename(abs), text: readFileSync(abs, 'utf8') }], options);
}

/** Fixture entries of a rule folder: pass* / fail* files or folders (not *.fixed.* files). */
export function ruleFixtures(ruleDir: string): { pass: string[]; fail: string[] } {
  const names = readdirSync(ruleDir).filter((n) => !/\.fixed(\.|$)/.test(n));
  const pick = (prefix: string) => names.filter((n) => n.startsWith(prefix)).map((n) => path.join(ruleDir, n));
  return { pass: pick('pass'), fail: pick('fail') };
}
