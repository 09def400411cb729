import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { fixAll, type FixAllOptions, type FixAllResult } from '../../src/engine/fixes/run';
import type { Config } from '../../src/engine/checklist/schema';
import type { AuditResult } from '../../src/engine/model';
import { scanFolder } from '../../src/node/host';
import { builtinChecklists, kindOf } from './helpers';

/** The golden output next to a fail fixture: `fail-x.yaml` → `fail-x.fixed.yaml`, folder `fail-x` → `fail-x.fixed`. */
export function goldenOf(entry: string): string {
  const dir = path.dirname(entry);
  const name = path.basename(entry);
  if (existsSync(entry) && statSync(entry).isDirectory()) return path.join(dir, `${name}.fixed`);
  const dot = name.lastIndexOf('.');
  return path.join(dir, dot > 0 ? `${name.slice(0, dot)}.fixed${name.slice(dot)}` : `${name}.fixed`);
}

export function filesUnder(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesUnder(root, r));
    else out.push(r);
  }
  return out.sort();
}

export interface FixedFixture {
  engine: Engine;
  /** Every file of the fixture after fixing (relative paths). */
  texts: Map<string, string>;
  result: FixAllResult;
  audit(): AuditResult;
}

/** Loads a rule fixture (file: audited alone under its own name; folder: scanned as a repository) into an engine. */
export async function loadFixture(abs: string, config: Config = {}): Promise<{ engine: Engine; texts: Map<string, string>; readFile: (p: string) => string | undefined }> {
  const texts = new Map<string, string>();
  if (statSync(abs).isDirectory()) {
    const { engine } = await scanFolder(abs);
    for (const rel of filesUnder(abs)) texts.set(rel, readFileSync(path.join(abs, rel), 'utf8'));
    return { engine, texts, readFile: (p) => texts.get(p) };
  }
  const engine = new Engine(builtinChecklists(), config);
  const name = path.basename(abs);
  const text = readFileSync(abs, 'utf8');
  const kind = kindOf(name, text);
  if (kind) engine.upsert({ path: name, text, kind });
  texts.set(name, text);
  return { engine, texts, readFile: (p) => texts.get(p) };
}

/** Applies every fix (of the given rules) to a fixture until none applies; `config` turns on opt-in rules of a file fixture. */
export async function fixFixture(abs: string, opts: Omit<FixAllOptions, 'readFile' | 'keep'> = {}, config: Config = {}): Promise<FixedFixture> {
  const { engine, texts, readFile } = await loadFixture(abs, config);
  const result = fixAll(engine, { ...opts, readFile, keep: true });
  for (const [p, { after }] of result.files) texts.set(p, after);
  return { engine, texts, result, audit: () => engine.audit() };
}
