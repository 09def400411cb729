// The sections of `evidence.signals`, one per kind of file that can suggest an item.
import { ciSteps } from '../../parse/ci';
import type { DockerfileModel } from '../../parse/dockerfile';
import { containersOf, type K8sContainer, type K8sModel } from '../../parse/kubernetes';
import type { PackageJsonModel } from '../../parse/packageJson';
import type { YamlFile } from '../../parse/yamlSupport';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { envContext, type EnvContext } from '../env/context';
import { alternatives, safeRegExp } from '../env/values';
import { kindMatcher, kindSpecs, usesMatches } from './ci';
import { composeServices } from './compose';
import { NONE, ZERO, type P, type Part } from './signalParams';
import { IndexedSection, keyIndex, mark, NO_KEYS, section } from './signalIndex';

/** A package.json's keys: its dependency names, script names and script commands. */
const packageIndex = keyIndex('packageJson', (f) => {
  const m = (f as ParsedFile<PackageJsonModel>).model;
  if (!m?.json) return NO_KEYS;
  const scripts = Object.keys(m.scripts);
  return [[...m.dependencyRanges.keys()], scripts, scripts.map((name) => m.scripts[name])];
});

/** What an item looks for in package.json files: exact dependency names, `prefix*` names as prefixes, a script pattern. */
interface PackageSpec {
  exact: Set<string>;
  prefixes: string[];
  re: RegExp | undefined;
}

export const packages = new IndexedSection('packageJson', (p) => {
  const spec: PackageSpec = {
    exact: new Set(p.dependencies.filter((d) => !d.endsWith('*'))),
    prefixes: p.dependencies.filter((d) => d.endsWith('*')).map((d) => d.slice(0, -1)),
    re: p.scripts ? safeRegExp(p.scripts, 'i') : undefined,
  };
  const { exact, prefixes, re } = spec;
  const scriptHit = (text: string) => re!.test(text);
  return {
    part: packagePart(spec),
    pick(ws, marks) {
      const index = packageIndex.get(ws);
      mark(index, 0, exact, marks);
      if (prefixes.length) mark(index, 0, (name) => prefixes.some((x) => name.startsWith(x)), marks);
      if (re) {
        mark(index, 1, scriptHit, marks);
        mark(index, 2, scriptHit, marks);
      }
    },
  };
});

/** A package.json's evidence for an item: its matching dependencies and scripts. */
function packagePart({ exact, prefixes, re }: PackageSpec): (f: ParsedFile) => Part {
  return (f) => {
    const m = (f as ParsedFile<PackageJsonModel>).model;
    if (!m?.json) return NONE;
    const out: Part = [];
    // hits in the file's order (only files the index picked come here)
    if (exact.size > 0 || prefixes.length > 0) {
      for (const [name, range] of m.dependencyRanges) {
        if (!exact.has(name) && !prefixes.some((x) => name.startsWith(x))) continue;
        const dev = name in m.devDependencies && !(name in m.dependencies);
        out.push({ file: f.path, range, message: `${name} is a ${dev ? 'dev ' : ''}dependency` });
      }
    }
    if (re) {
      for (const name of Object.keys(m.scripts)) {
        const cmd = m.scripts[name];
        if (re.test(name) || re.test(cmd)) out.push({ file: f.path, range: m.scriptRanges.get(name) ?? ZERO, message: `script "${name}"` });
      }
    }
    return out;
  };
}

export const ciSection = section(
  () => ['ciWorkflow'],
  (p) => {
    const runs = (p.ci?.run ?? []).map((r) => safeRegExp(r, 'im')).filter((r): r is RegExp => !!r);
    const uses = p.ci?.uses ?? [];
    return (f) => {
      const out: Part = [];
      for (const s of ciSteps(f as ParsedFile<YamlFile>)) {
        const hit = s.kind === 'run' ? runs.some((r) => r.test(s.text)) : uses.some((u) => usesMatches(s, u));
        if (hit) out.push({ file: s.file, range: s.range, message: `CI ${s.kind === 'uses' ? `uses ${s.text}` : 'step'} in job ${s.job || '(top level)'}` });
      }
      return out;
    };
  },
);

/** A manifest's keys: its objects' kinds, label keys and annotation keys (their pod templates' included). */
const manifestIndex = keyIndex('kubernetes', (f) => {
  const model = (f as ParsedFile<K8sModel>).model;
  if (!model?.objects.length) return NO_KEYS;
  const kinds = new Set<string>();
  const labels = new Set<string>();
  const annotations = new Set<string>();
  for (const o of model.objects) {
    kinds.add(o.kind);
    for (const k in o.labels) labels.add(k);
    for (const k in o.podLabels) labels.add(k);
    for (const k in o.annotations) annotations.add(k);
    for (const k in o.podAnnotations) annotations.add(k);
  }
  return [[...kinds], [...labels], [...annotations]];
});

/** A manifest's container command lines (for `k8s.command`; read only when an item has one). */
const commandIndex = keyIndex('kubernetes', (f) => {
  const model = (f as ParsedFile<K8sModel>).model;
  if (!model?.objects.length) return NO_KEYS;
  const lines: string[] = [];
  for (const o of model.objects) for (const c of containersOf(o, { init: true })) lines.push(commandLine(c));
  return [lines];
});

/** A container's command and args as one line, for `k8s.command` patterns (read once per container). */
const commandLines = new WeakMap<K8sContainer, string>();

function commandLine(c: K8sContainer): string {
  let line = commandLines.get(c);
  if (line === undefined) commandLines.set(c, (line = [c.value.command, c.value.args].flat().filter((x) => typeof x === 'string').join(' ')));
  return line;
}

export const k8sSection = new IndexedSection('kubernetes', (p) => {
  const k8s = p.k8s!;
  const cmd = k8s.command ? safeRegExp(k8s.command, 'i') : undefined;
  const kinds = kindSpecs(k8s.kinds).map((k) => k.kind);
  const annotated = (key: string) => k8s.annotations.some((x) => key.startsWith(x));
  const runs = (line: string) => cmd!.test(line);
  return {
    part: k8sPart(p, cmd),
    pick(ws, marks) {
      const index = manifestIndex.get(ws);
      mark(index, 0, kinds, marks);
      mark(index, 1, k8s.labels, marks);
      if (k8s.annotations.length) mark(index, 2, annotated, marks);
      if (cmd) mark(commandIndex.get(ws), 0, runs, marks);
    },
  };
});

/** A manifest's evidence for an item: its objects of the kinds, with the labels or annotations, or running the command. */
function k8sPart(p: P, cmd: RegExp | undefined): (f: ParsedFile) => Part {
  const k8s = p.k8s!;
  const kindHit = kindMatcher(k8s.kinds);
  return (f) => {
    const model = (f as ParsedFile<K8sModel>).model;
    if (!model?.objects.length) return NONE;
    const out: Part = [];
    for (const o of model.objects) {
      const kind = kindHit(o);
      // the object's labels, then its pod template's (no merged copy per object and item)
      const label = k8s.labels.length ? k8s.labels.find((l) => l in o.labels || l in o.podLabels) : undefined;
      const ann = k8s.annotations.length ? annotationMatching(o.annotations, o.podAnnotations, k8s.annotations) : undefined;
      if (!kind && !label && !ann && !cmd) continue;
      const range = o.range ? { start: o.range.start, end: o.range.start } : ZERO;
      if (kind) out.push({ file: f.path, range, message: `${o.ref}` });
      if (label) out.push({ file: f.path, range, message: `${o.ref} has label ${label}` });
      if (ann) out.push({ file: f.path, range, message: `${o.ref} has annotation ${ann}` });
      if (cmd) {
        for (const c of containersOf(o, { init: true })) {
          if (cmd.test(commandLine(c))) out.push({ file: f.path, range, message: `${o.ref} container ${c.name} runs a matching command` });
        }
      }
    }
    return out;
  };
}

/** The first annotation key (the object's, then its pod template's) that starts with one of the prefixes. */
function annotationMatching(own: Record<string, string>, pod: Record<string, string>, prefixes: readonly string[]): string | undefined {
  const hit = (a: string) => prefixes.some((x) => a.startsWith(x));
  for (const a of Object.keys(own)) if (hit(a)) return a;
  for (const a of Object.keys(pod)) if (!Object.hasOwn(own, a) && hit(a)) return a;
  return undefined;
}

export const composeSection = section(
  () => ['compose'],
  (p) => {
    const img = p.compose?.image ? safeRegExp(p.compose.image, 'i') : undefined;
    const cmd = p.compose?.command ? safeRegExp(p.compose.command, 'i') : undefined;
    return (f) => {
      if (!img && !cmd) return NONE;
      const out: Part = [];
      for (const s of composeServices(f as ParsedFile<YamlFile>)) {
        if (img && !(s.image && img.test(s.image))) continue;
        const command = s.map.get('command');
        const text = command === undefined || command === null ? '' : JSON.stringify((command as { toJSON?: () => unknown }).toJSON?.() ?? command);
        if (cmd && !cmd.test(text)) continue;
        out.push({ file: f.path, range: s.keyRange, message: `compose service ${s.name}` });
      }
      return out;
    };
  },
);

export const dockerfileSection = section(
  () => ['dockerfile'],
  (p) => {
    const re = safeRegExp(p.dockerfile!, 'i');
    return (f) => {
      const out: Part = [];
      for (const ins of (f as ParsedFile<DockerfileModel>).model?.final?.instructions ?? []) if (re?.test(`${ins.keyword} ${ins.args}`)) out.push({ file: f.path, range: ins.keywordRange, message: `${ins.keyword} in the final stage` });
      return out;
    };
  },
);

export const configSection = section(
  () => ['toolConfig'],
  (p) => {
    const config = p.config!;
    const pathRe = safeRegExp(config.path, 'i');
    const textRe = config.text ? safeRegExp(config.text, 'im') : undefined;
    return (f) => {
      if (!pathRe?.test(f.path) || (config.text && !textRe?.test(f.text))) return NONE;
      return [{ file: f.path, range: ZERO, message: config.text ? `${f.path} has the setting` : `${f.path} is present` }];
    };
  },
);

export const presence = section(
  (p) => p.files,
  () => (f) => [{ file: f.path, range: ZERO, message: `${f.path} is present` }],
);

const envEvidence = new WeakMap<EnvContext, WeakMap<P, Part>>();

export function envSection(ws: WorkspaceView, p: P): Part {
  const ctx = envContext(ws);
  let byParams = envEvidence.get(ctx);
  if (!byParams) envEvidence.set(ctx, (byParams = new WeakMap()));
  let out = byParams.get(p);
  if (!out) {
    out = [];
    for (const spec of p.env) for (const key of alternatives(spec)) for (const v of ctx.byKey.get(key) ?? []) out.push({ file: v.file, range: v.keyRange, message: `${key} is declared` });
    byParams.set(p, out);
  }
  return out;
}
