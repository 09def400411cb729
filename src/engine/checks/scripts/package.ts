import { z } from 'zod';
import type { RawFinding } from '../../model';
import type { PackageJsonModel } from '../../parse/packageJson';
import { baseName, dirName } from '../../text';
import type { ParsedFile } from '../../workspace';
import { fileCheck, workspaceCheck } from '../template';
import { dependsOn } from './script';

/** `package.engines-node`: package.json pins the Node.js versions it supports. */
export const enginesNodeCheck = fileCheck({
  id: 'package.engines-node',
  description: 'package.json sets engines.node to the supported Node.js range.',
  params: z.strictObject({ skipPrivateWorkspaceRoots: z.boolean().default(false) }),
  kinds: ['packageJson'],
  run(file) {
    const m = (file as ParsedFile<PackageJsonModel>).model;
    if (!m?.json) return undefined;
    const engines = m.json.engines;
    const node = engines && typeof engines === 'object' && !Array.isArray(engines) ? (engines as Record<string, unknown>).node : undefined;
    if (typeof node === 'string' && node.trim() !== '' && node.trim() !== '*') return { findings: [] };
    const range = m.keyRanges.get('engines') ?? m.keyRanges.get('name') ?? m.topRange;
    return { findings: [{ file: file.path, range, message: node === undefined ? 'package.json does not set engines.node (e.g. ">=20")' : 'engines.node accepts any version; set the supported range (e.g. ">=20")' }] };
  },
});

/** `deps.lockfile`: every package has a committed lockfile beside it or in a parent folder (workspaces). */
export const lockfileCheck = workspaceCheck({
  id: 'deps.lockfile',
  description: 'A lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock) is committed for every package.',
  params: z.strictObject({}),
  kinds: ['packageJson', 'lockfile'],
  run(ws) {
    const pkgs = ws.byKind<PackageJsonModel>('packageJson').filter((f) => f.model?.json);
    if (pkgs.length === 0) return undefined;
    const lockDirs = new Set(ws.byKind('lockfile').map((f) => dirName(f.path)));
    const findings: RawFinding[] = [];
    for (const p of pkgs) {
      let dir = dirName(p.path);
      let found = lockDirs.has(dir);
      while (!found && dir) {
        dir = dirName(dir);
        found = lockDirs.has(dir);
      }
      const deps = Object.keys(p.model.dependencies).length + Object.keys(p.model.devDependencies).length;
      if (!found && deps > 0) findings.push({ file: p.path, range: p.model.keyRanges.get('dependencies') ?? p.model.topRange, message: 'No lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml) is committed for this package; installs are not reproducible and npm ci fails' });
    }
    return { findings };
  },
});

const CoverageParams = z.strictObject({
  min: z.number().min(0).max(100).default(80).describe('Lowest acceptable lines/statements threshold (seed 003: 80; seed 004 targets 70).'),
});

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

/** The lines/statements thresholds a config text sets after a marker (`coverageThreshold`, `thresholds`). */
function thresholdsIn(text: string, marker: RegExp): number[] {
  const out: number[] = [];
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    const window = text.slice(m.index, m.index + 800);
    for (const t of window.matchAll(/["']?(lines|statements)["']?\s*:\s*(\d+(?:\.\d+)?)/g)) out.push(Number(t[2]));
    if (!marker.global) break;
  }
  return out;
}

/** Thresholds in package.json: jest's coverageThreshold, nyc/c8 keys, c8/nyc/vitest flags in scripts. */
function packageThresholds(m: PackageJsonModel): number[] {
  const values: number[] = [];
  const jest = m.json?.jest as Record<string, unknown> | undefined;
  const global = jest && typeof jest === 'object' ? ((jest.coverageThreshold as Record<string, unknown> | undefined)?.global as Record<string, unknown> | undefined) : undefined;
  if (global) for (const k of ['lines', 'statements']) if (num(global[k]) !== undefined) values.push(num(global[k])!);
  for (const key of ['nyc', 'c8']) {
    const cfg = m.json?.[key] as Record<string, unknown> | undefined;
    if (cfg && typeof cfg === 'object' && (cfg['check-coverage'] === true || cfg.checkCoverage === true)) for (const k of ['lines', 'statements']) if (num(cfg[k]) !== undefined) values.push(num(cfg[k])!);
  }
  for (const cmd of Object.values(m.scripts)) {
    if (/--check-coverage/.test(cmd)) {
      const l = /--(lines|statements)[= ](\d+)/.exec(cmd);
      values.push(l ? Number(l[2]) : 90); // c8 and nyc default to 90 when only --check-coverage is given
    }
    const v = /--coverage\.thresholds\.(lines|statements)[= ](\d+)/.exec(cmd);
    if (v) values.push(Number(v[2]));
  }
  return values;
}

/** Thresholds in tool configs beside the package: jest.config.*, vitest.config.*, .nycrc, .c8rc. */
function configThresholds(text: string, name: string): number[] {
  if (/^jest\.config/.test(name)) return thresholdsIn(text, /coverageThreshold/g);
  if (/^vitest\.config/.test(name)) return thresholdsIn(text, /thresholds/g);
  if (/^\.(nycrc|c8rc)/.test(name) && /["']?check-coverage["']?\s*:\s*true/.test(text)) return thresholdsIn(text, /check-coverage/g).concat(/["']?(lines|statements)["']?\s*:/.test(text) ? [] : [90]);
  return [];
}

/**
 * `tests.coverage-threshold`: a coverage gate is configured: jest coverageThreshold (package.json or
 * jest.config.*), vitest thresholds (vitest.config.* or CLI flags), c8/nyc --check-coverage (flags, .nycrc, .c8rc).
 */
export const coverageThresholdCheck = workspaceCheck({
  id: 'tests.coverage-threshold',
  description: 'A coverage threshold of at least `min`% lines/statements is enforced (jest coverageThreshold, vitest thresholds, c8/nyc --check-coverage).',
  params: CoverageParams,
  kinds: ['packageJson', 'toolConfig'],
  run(ws, p) {
    const pkgs = ws.byKind<PackageJsonModel>('packageJson').filter((f) => f.model?.json && Object.keys(f.model.scripts).some((n) => /^test/.test(n)));
    if (pkgs.length === 0) return undefined;
    const configs = ws.byKind('toolConfig');
    const findings: RawFinding[] = [];
    for (const f of pkgs) {
      const m = f.model;
      const dir = dirName(f.path);
      const values = [...packageThresholds(m), ...configs.filter((c) => dirName(c.path) === dir).flatMap((c) => configThresholds(c.text, baseName(c.path)))];
      // where the gate goes: the jest config in package.json, else the test script that runs the tests
      const at = m.keyRanges.get('jest') ?? m.scriptRanges.get('test') ?? m.scriptRanges.get(Object.keys(m.scripts).find((n) => /^test/.test(n)) ?? '') ?? m.keyRanges.get('scripts') ?? m.topRange;
      if (values.length === 0) findings.push({ file: f.path, range: at, message: `No coverage threshold is enforced (jest coverageThreshold, vitest coverage.thresholds, c8/nyc --check-coverage); require at least ${p.min}% lines` });
      else if (Math.max(...values) < p.min) findings.push({ file: f.path, range: at, message: `The coverage threshold is ${Math.max(...values)}%, below ${p.min}%` });
    }
    return { findings };
  },
});

const DependencyParams = z.strictObject({
  packages: z.array(z.string()).min(1).describe('Packages that meet the rule (a trailing * matches a prefix).'),
  when: z.array(z.string()).default([]).describe('The rule applies only when one of these packages is a dependency.'),
  label: z.string().describe('What the packages provide, for messages.'),
});

/** `package.dependency`: one of the packages that provide something is a dependency (an ORM when a database driver is used…). */
export const dependencyCheck = fileCheck({
  id: 'package.dependency',
  description: 'One of the listed packages is a dependency, when the `when` packages make it relevant.',
  params: DependencyParams,
  kinds: ['packageJson'],
  run(file, p) {
    const m = (file as ParsedFile<PackageJsonModel>).model;
    if (!m?.json) return undefined;
    const trigger = p.when.length ? dependsOn(m, p.when) : 'always';
    if (!trigger) return undefined;
    if (dependsOn(m, p.packages)) return { findings: [] };
    const range = (trigger !== 'always' && m.dependencyRanges.get(trigger)) || m.keyRanges.get('dependencies') || m.topRange;
    return { findings: [{ file: file.path, range, message: `No ${p.label} among the dependencies (${p.packages.slice(0, 6).join(', ')}…)${trigger !== 'always' ? `, although ${trigger} is used` : ''}` }] };
  },
});
