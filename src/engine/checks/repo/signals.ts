import { z } from 'zod';
import { userPatternSchema } from '../../safeRegex';
import type { Evidence, FileKind, Range } from '../../model';
import { ciSteps } from '../../parse/ci';
import type { DockerfileModel } from '../../parse/dockerfile';
import { containersOf, type K8sContainer, type K8sModel } from '../../parse/kubernetes';
import type { PackageJsonModel } from '../../parse/packageJson';
import type { YamlFile } from '../../parse/yamlSupport';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { concat, Derived, DerivedByKey, lastParts, sameList, sameRange } from '../derived';
import { envContext, type EnvContext } from '../env/context';
import { alternatives, safeRegExp } from '../env/values';
import { type CheckOutput, workspaceCheck } from '../template';
import { kindMatcher, kindSpecs, usesMatches } from './ci';
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

type P = z.infer<typeof Params>;
type Part = Evidence[];

const sameEvidence = (a: Evidence, b: Evidence) => a.file === b.file && a.message === b.message && sameRange(a.range, b.range);
const samePart = (a: Part, b: Part) => sameList(a, b, sameEvidence);
const NONE: Part = Object.freeze([]) as unknown as Part;

/** One section of the evidence: a per-file part for each file of some kinds, combined in file order. */
function section(kinds: (p: P) => readonly FileKind[], part: (p: P) => (f: ParsedFile) => Part): DerivedByKey<P, Part, Part> {
  return new DerivedByKey<P, Part, Part>((p) => {
    const of = part(p);
    // most files add nothing: their parts are one shared empty list
    const partOrNone = (f: ParsedFile): Part => {
      const out = of(f);
      return out.length ? out : NONE;
    };
    return { kinds: kinds(p), part: partOrNone, equal: samePart, build: concat };
  });
}

/**
 * Which files of a kind carry each key, one map per type of key (dependency names, script names…): the
 * positions of those files in the kind's list, ascending. The positions stand while every file keeps its
 * keys, and the index then keeps its identity (an edit that leaves them as they were changes nothing).
 */
type KeyIndex = Map<string, number[]>[];
/** One file's keys, one list per type of key. */
type FileKeys = readonly (readonly string[])[];

const sameKeys = (a: FileKeys, b: FileKeys) => a.length === b.length && a.every((list, t) => sameList(list, b[t]));

function keyIndex(kind: FileKind, keys: (f: ParsedFile) => FileKeys): Derived<FileKeys, KeyIndex> {
  return new Derived<FileKeys, KeyIndex>({
    kinds: [kind],
    part: keys,
    equal: sameKeys,
    build: ([parts]) => {
      const index: KeyIndex = [];
      for (let i = 0; i < parts.length; i++) {
        const fileKeys = parts[i];
        for (let t = 0; t < fileKeys.length; t++) {
          const at = (index[t] ??= new Map());
          for (const key of fileKeys[t]) {
            const list = at.get(key);
            if (!list) at.set(key, [i]);
            else if (list[list.length - 1] !== i) list.push(i);
          }
        }
      }
      return index;
    },
  });
}

/** Marks the files that carry a key of one type: the listed keys, or every key that passes a test. */
function mark(index: KeyIndex, type: number, keys: Iterable<string> | ((key: string) => boolean), marks: Uint8Array): void {
  const at = index[type];
  if (!at) return;
  if (typeof keys === 'function') {
    for (const [key, list] of at) if (keys(key)) for (const i of list) marks[i] = 1;
  } else {
    for (const key of keys) for (const i of at.get(key) ?? []) marks[i] = 1;
  }
}

/** How one item reads the files of an indexed section: the files to visit (marked by position), and a file's evidence. */
interface Reader {
  pick(ws: WorkspaceView, marks: Uint8Array): void;
  part(f: ParsedFile): Part;
}

interface Picked {
  list: readonly ParsedFile[];
  files: ParsedFile[];
  parts: Part[];
  out: Part;
}

/**
 * A section whose items visit only the files that an index of their keys picks, rather than every file of
 * the kind (a file without one of the keys adds no evidence). A picked file's part is kept with the section
 * while that ParsedFile is in the list, so an edit computes the edited file's part alone, and equal parts
 * give the same section.
 */
class IndexedSection {
  private readonly states = new WeakMap<P, { reader: Reader; last?: Picked }>();
  constructor(
    private readonly kind: FileKind,
    private readonly reader: (p: P) => Reader,
  ) {}

  get(ws: WorkspaceView, p: P): Part {
    const list = ws.byKind(this.kind);
    let st = this.states.get(p);
    if (!st) this.states.set(p, (st = { reader: this.reader(p) }));
    const { reader, last } = st;
    if (last?.list === list) return last.out;
    const marks = new Uint8Array(list.length);
    reader.pick(ws, marks);
    const files = list.filter((_, i) => marks[i] === 1);
    const known = lastParts(last?.files, last?.parts, files);
    const parts = files.map((f, i) => known(f, i) ?? reader.part(f));
    // the same files with equal parts: the same section, so the check's output keeps its identity
    const same = last !== undefined && sameList(files, last.files, (a, b) => a.path === b.path) && sameList(parts, last.parts, samePart);
    st.last = { list, files, parts, out: same ? last.out : concat([parts]) };
    return st.last.out;
  }
}

const NO_KEYS: FileKeys = [];

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

const packages = new IndexedSection('packageJson', (p) => {
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

const ciSection = section(
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

const k8sSection = new IndexedSection('kubernetes', (p) => {
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

const composeSection = section(
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

const dockerfileSection = section(
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

const configSection = section(
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

const presence = section(
  (p) => p.files,
  () => (f) => [{ file: f.path, range: ZERO, message: `${f.path} is present` }],
);

const envEvidence = new WeakMap<EnvContext, WeakMap<P, Part>>();

function envSection(ws: WorkspaceView, p: P): Part {
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

/** The last sections and output per params: the same sections give the same output object. */
const outputs = new WeakMap<P, { sections: Part[]; out: CheckOutput }>();

/**
 * `evidence.signals`: collects what the files suggest about an item that they cannot prove: a
 * dependency, a declared variable, a script, a CI step, a Kubernetes object or annotation, a compose
 * service, a Dockerfile instruction. Use it with `evidence: true`; a person confirms the item.
 * Each section is built from per-file parts (see ../derived), so an edit costs the edited file's part.
 */
export const signalsCheck = workspaceCheck({
  id: 'evidence.signals',
  description: 'Evidence only: dependencies, env keys, scripts, CI steps, Kubernetes objects, compose services or Dockerfile instructions that suggest an item.',
  params: Params,
  kinds: ['packageJson', 'env', 'ciWorkflow', 'kubernetes', 'compose', 'dockerfile', 'toolConfig'],
  run(ws, p) {
    const sections: Part[] = [];
    if (p.dependencies.length || p.scripts) sections.push(packages.get(ws, p));
    if (p.env.length) sections.push(envSection(ws, p));
    if (p.ci && (p.ci.run.length || p.ci.uses.length)) sections.push(ciSection.get(ws, p));
    if (p.k8s) sections.push(k8sSection.get(ws, p));
    if (p.compose) sections.push(composeSection.get(ws, p));
    if (p.dockerfile) sections.push(dockerfileSection.get(ws, p));
    if (p.config) sections.push(configSection.get(ws, p));
    if (p.files.length) sections.push(presence.get(ws, p));
    const last = outputs.get(p);
    if (last && sameList(last.sections, sections, (a, b) => a === b)) return last.out;
    const out: CheckOutput = { findings: [], evidence: concat([sections]) };
    outputs.set(p, { sections, out });
    return out;
  },
});
