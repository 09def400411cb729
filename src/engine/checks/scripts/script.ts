import { z } from 'zod';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import type { Evidence, RawFinding } from '../../model';
import type { PackageJsonModel } from '../../parse/packageJson';
import type { ParsedFile } from '../../workspace';
import { fileCheck } from '../template';

/** Dependencies of one package.json (runtime and dev), matching names with an optional trailing `*`. */
export function dependsOn(model: PackageJsonModel, names: readonly string[]): string | undefined {
  const { all, set } = dependencyNames(model);
  for (const n of names) {
    const hit = n.endsWith('*') ? all.find((d) => d.startsWith(n.slice(0, -1))) : set.has(n) ? n : undefined;
    if (hit) return hit;
  }
  return undefined;
}

const namesMemo = new WeakMap<PackageJsonModel, { all: string[]; set: Set<string> }>();

/** Every dependency name (runtime, dev, optional, peer, in that order), listed once per model: many items ask. */
function dependencyNames(model: PackageJsonModel): { all: string[]; set: Set<string> } {
  let names = namesMemo.get(model);
  if (!names) {
    const all = [...Object.keys(model.dependencies), ...Object.keys(model.devDependencies), ...Object.keys(strings(model.json?.optionalDependencies)), ...Object.keys(strings(model.json?.peerDependencies))];
    namesMemo.set(model, (names = { all, set: new Set(all) }));
  }
  return names;
}

function strings(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function regex(source: string | undefined): RegExp | undefined {
  if (!source) return undefined;
  return userRegExp(source, 'i');
}

/** A workspace-root package with `workspaces` only orchestrates: its scripts are often delegations. */
export function isPackage(file: ParsedFile<PackageJsonModel>): boolean {
  return !!file.model?.json;
}

const Params = z.strictObject({
  names: z.array(z.string()).default([]).describe('Script names that meet the rule (any of them).'),
  command: userPatternSchema('i').optional().describe('Regular expression: any script whose command matches meets the rule too.'),
  placeholder: userPatternSchema('i').optional().describe('Regular expression of placeholder commands that do not count (npm init\'s "no test specified").'),
  runners: z.array(z.string()).default([]).describe('At least one of these packages must be a dependency (a trailing * matches a prefix); empty: no requirement.'),
  runnerCommand: userPatternSchema('i').optional().describe('Regular expression: a matching script command also counts as having a runner (node --test).'),
  when: z.array(z.string()).default([]).describe('The rule applies only when one of these packages is a dependency (empty: always).'),
  label: z.string().default('script').describe('What the script does, for messages ("test script").'),
});

/**
 * `scripts.script`: package.json has a script for a job (build, test, lint, typecheck, migrations…),
 * optionally backed by a runner dependency and only when some dependency makes it relevant.
 */
export const scriptCheck = fileCheck({
  id: 'scripts.script',
  description: 'package.json has a script for the job (by name, a variant of a name such as test:e2e:ci, or by command), not a placeholder, with its runner installed.',
  params: Params,
  kinds: ['packageJson'],
  run(file, p) {
    const f = file as ParsedFile<PackageJsonModel>;
    const m = f.model;
    if (!m?.json) return undefined;
    if (p.when.length && !dependsOn(m, p.when)) return undefined;
    const findings: RawFinding[] = [];
    const evidence: Evidence[] = [];
    const cmdRe = regex(p.command);
    const placeholder = regex(p.placeholder);
    // a variant of a named script counts as it (`test:e2e:live` for `test:e2e`); not of a one-word name (`start:dev` is no `start`)
    const named = (name: string): boolean => p.names.some((n) => name === n || (n.includes(':') && name.startsWith(`${n}:`)));
    const candidates = Object.entries(m.scripts).filter(([name, cmd]) => named(name) || (cmdRe?.test(cmd) ?? false));
    const real = candidates.filter(([, cmd]) => !(placeholder?.test(cmd) ?? false));
    for (const [name, cmd] of candidates) {
      if (placeholder?.test(cmd)) findings.push({ file: f.path, range: m.scriptValueRanges.get(name) ?? m.scriptRanges.get(name) ?? m.topRange, message: `The "${name}" script is a placeholder (${cmd.length > 60 ? 'npm init default' : cmd}); replace it with the real ${p.label}`, data: { script: name } });
    }
    if (real.length === 0 && findings.length === 0) {
      const at = m.keyRanges.get('scripts') ?? m.topRange;
      findings.push({ file: f.path, range: at, message: `package.json has no ${p.label}${p.names.length ? ` (${p.names.map((n) => `"${n}"`).join(', ')})` : ''}`, data: { script: p.names[0] } });
    }
    if (real.length > 0 && p.runners.length > 0) {
      const runnerRe = regex(p.runnerCommand);
      const viaCommand = real.some(([, cmd]) => runnerRe?.test(cmd));
      if (!dependsOn(m, p.runners) && !viaCommand) {
        const [name] = real[0];
        findings.push({ file: f.path, range: m.scriptRanges.get(name) ?? m.topRange, message: `The "${name}" script has no runner among the dependencies (${p.runners.slice(0, 6).join(', ')}…)`, data: { script: name } });
      }
    }
    for (const [name] of real) evidence.push({ file: f.path, range: m.scriptRanges.get(name) ?? m.topRange, message: `script "${name}"` });
    return { findings, evidence };
  },
});

const StartParams = z.strictObject({
  names: z.array(z.string()).default(['start', 'start:prod', 'start:production']).describe('Scripts that start the service in production.'),
  forbidden: z.string().default('\\b(nodemon|ts-node-dev|ts-node|tsx\\s+watch|node\\s+--watch|--watch)\\b').describe('Regular expression of development runners.'),
});

/** `scripts.start.production`: the start scripts run built code, not a development watcher. */
export const startCheck = fileCheck({
  id: 'scripts.start.production',
  description: 'The start scripts run the built code, not nodemon, ts-node-dev or a watcher.',
  params: StartParams,
  kinds: ['packageJson'],
  run(file, p) {
    const m = (file as ParsedFile<PackageJsonModel>).model;
    if (!m?.json) return undefined;
    const present = p.names.filter((n) => n in m.scripts);
    if (present.length === 0) return undefined;
    const re = regex(p.forbidden);
    const findings: RawFinding[] = [];
    for (const name of present) {
      const hit = re?.exec(m.scripts[name]);
      if (hit) findings.push({ file: file.path, range: m.scriptValueRanges.get(name) ?? m.scriptRanges.get(name) ?? m.topRange, message: `The "${name}" script runs ${hit[1] ?? hit[0]}, a development runner; run the built output (node dist/main.js)`, data: { script: name } });
    }
    return { findings };
  },
});
