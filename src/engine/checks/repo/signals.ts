import { z } from 'zod';
import { userPatternSchema } from '../../safeRegex';
import type { Evidence, Range } from '../../model';
import type { DockerfileModel } from '../../parse/dockerfile';
import { containersOf, type K8sModel } from '../../parse/kubernetes';
import type { PackageJsonModel } from '../../parse/packageJson';
import type { YamlFile } from '../../parse/yamlSupport';
import { envContext } from '../env/context';
import { alternatives, safeRegExp } from '../env/values';
import { workspaceCheck } from '../template';
import { allSteps, kindMatches, usesMatches } from './ci';
import { composeServices } from './compose';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const Params = z.strictObject({
  dependencies: z.array(z.string()).default([]).describe('package.json dependencies that suggest the item (a trailing * matches a prefix).'),
  env: z.array(z.string()).default([]).describe('Env keys whose declaration suggests it (A|B alternatives allowed).'),
  scripts: userPatternSchema('i').optional().describe('Regular expression matched against package.json script names and commands.'),
  ci: z.strictObject({ run: z.array(userPatternSchema('im')).default([]), uses: z.array(z.string()).default([]) }).optional().describe('CI steps that suggest it.'),
  k8s: z
    .strictObject({
      kinds: z.array(z.string()).default([]).describe('Object kinds (PrometheusRule, ExternalSecret…).'),
      labels: z.array(z.string()).default([]).describe('Label keys on an object or its pod template.'),
      annotations: z.array(z.string()).default([]).describe('Annotation key prefixes on an object or its pod template.'),
      command: userPatternSchema('i').optional().describe('Regular expression matched against container command + args (pg_dump…).'),
    })
    .optional(),
  compose: z.strictObject({ image: userPatternSchema('i').optional(), command: userPatternSchema('i').optional() }).optional().describe('Compose services whose image / command match these regular expressions.'),
  dockerfile: userPatternSchema('i').optional().describe('Regular expression matched against each final-stage instruction (keyword and arguments).'),
  config: z
    .strictObject({ path: userPatternSchema('i').describe('Regular expression matched against tool config paths (tsconfig.json, .github/dependabot.yml…).'), text: userPatternSchema('im').optional().describe('Regular expression the file text must match.') })
    .optional()
    .describe('Tool configuration files (tsconfig, jest/vitest, ESLint, Dependabot/Renovate) that suggest the item.'),
  files: z.array(z.enum(['ciWorkflow', 'compose', 'dockerfile', 'kubernetes', 'lockfile', 'env', 'gitignore', 'dockerignore', 'toolConfig'])).default([]).describe('File kinds whose mere presence is evidence (a CI workflow, a lockfile).'),
});

/**
 * `evidence.signals`: collects what the files suggest about an item that they cannot prove: a
 * dependency, a declared variable, a script, a CI step, a Kubernetes object or annotation, a compose
 * service, a Dockerfile instruction. Use it with `evidence: true`; a person confirms the item.
 */
export const signalsCheck = workspaceCheck({
  id: 'evidence.signals',
  description: 'Evidence only: dependencies, env keys, scripts, CI steps, Kubernetes objects, compose services or Dockerfile instructions that suggest an item.',
  params: Params,
  kinds: ['packageJson', 'env', 'ciWorkflow', 'kubernetes', 'compose', 'dockerfile', 'toolConfig'],
  run(ws, p) {
    const evidence: Evidence[] = [];
    const pkgs = ws.byKind<PackageJsonModel>('packageJson').filter((f) => f.model?.json);
    for (const pkg of pkgs) {
      for (const [name, range] of pkg.model.dependencyRanges) {
        if (!p.dependencies.some((d) => (d.endsWith('*') ? name.startsWith(d.slice(0, -1)) : name === d))) continue;
        const dev = name in pkg.model.devDependencies && !(name in pkg.model.dependencies);
        evidence.push({ file: pkg.path, range, message: `${name} is a ${dev ? 'dev ' : ''}dependency` });
      }
      const re = p.scripts ? safeRegExp(p.scripts, 'i') : undefined;
      if (re) for (const [name, cmd] of Object.entries(pkg.model.scripts)) if (re.test(name) || re.test(cmd)) evidence.push({ file: pkg.path, range: pkg.model.scriptRanges.get(name) ?? ZERO, message: `script "${name}"` });
    }
    if (p.env.length) {
      const ctx = envContext(ws);
      for (const spec of p.env) for (const key of alternatives(spec)) for (const v of ctx.byKey.get(key) ?? []) evidence.push({ file: v.file, range: v.keyRange, message: `${key} is declared` });
    }
    if (p.ci && (p.ci.run.length || p.ci.uses.length)) {
      const runs = p.ci.run.map((r) => safeRegExp(r, 'im')).filter((r): r is RegExp => !!r);
      for (const s of allSteps(ws).steps) {
        const hit = s.kind === 'run' ? runs.some((r) => r.test(s.text)) : p.ci.uses.some((u) => usesMatches(s, u));
        if (hit) evidence.push({ file: s.file, range: s.range, message: `CI ${s.kind === 'uses' ? `uses ${s.text}` : 'step'} in job ${s.job || '(top level)'}` });
      }
    }
    if (p.k8s) {
      const cmd = p.k8s.command ? safeRegExp(p.k8s.command, 'i') : undefined;
      for (const f of ws.byKind<K8sModel>('kubernetes')) {
        for (const o of f.model?.objects ?? []) {
          const range = o.range ? { start: o.range.start, end: o.range.start } : ZERO;
          if (p.k8s.kinds.some((k) => kindMatches(o.apiVersion, o.kind, k))) evidence.push({ file: f.path, range, message: `${o.ref}` });
          const labels = { ...o.labels, ...o.podLabels };
          const annotations = { ...o.annotations, ...o.podAnnotations };
          const label = p.k8s.labels.find((l) => l in labels);
          if (label) evidence.push({ file: f.path, range, message: `${o.ref} has label ${label}` });
          const ann = Object.keys(annotations).find((a) => p.k8s!.annotations.some((x) => a.startsWith(x)));
          if (ann) evidence.push({ file: f.path, range, message: `${o.ref} has annotation ${ann}` });
          if (cmd) {
            for (const c of containersOf(o, { init: true })) {
              const text = [c.value.command, c.value.args].flat().filter((x) => typeof x === 'string').join(' ');
              if (cmd.test(text)) evidence.push({ file: f.path, range, message: `${o.ref} container ${c.name} runs a matching command` });
            }
          }
        }
      }
    }
    if (p.compose) {
      const img = p.compose.image ? safeRegExp(p.compose.image, 'i') : undefined;
      const cmd = p.compose.command ? safeRegExp(p.compose.command, 'i') : undefined;
      for (const f of ws.byKind<YamlFile>('compose')) {
        for (const s of composeServices(f)) {
          if (img && !(s.image && img.test(s.image))) continue;
          const command = s.map.get('command');
          const text = command === undefined || command === null ? '' : JSON.stringify((command as { toJSON?: () => unknown }).toJSON?.() ?? command);
          if (cmd && !cmd.test(text)) continue;
          if (img || cmd) evidence.push({ file: f.path, range: s.keyRange, message: `compose service ${s.name}` });
        }
      }
    }
    if (p.dockerfile) {
      const re = safeRegExp(p.dockerfile, 'i');
      for (const f of ws.byKind<DockerfileModel>('dockerfile')) for (const ins of f.model?.final?.instructions ?? []) if (re?.test(`${ins.keyword} ${ins.args}`)) evidence.push({ file: f.path, range: ins.keywordRange, message: `${ins.keyword} in the final stage` });
    }
    if (p.config) {
      const pathRe = safeRegExp(p.config.path, 'i');
      const textRe = p.config.text ? safeRegExp(p.config.text, 'im') : undefined;
      for (const f of ws.byKind('toolConfig')) {
        if (!pathRe?.test(f.path) || (p.config.text && !textRe?.test(f.text))) continue;
        evidence.push({ file: f.path, range: ZERO, message: p.config.text ? `${f.path} has the setting` : `${f.path} is present` });
      }
    }
    for (const kind of p.files) for (const f of ws.byKind(kind)) evidence.push({ file: f.path, range: ZERO, message: `${f.path} is present` });
    return { findings: [], evidence };
  },
});
