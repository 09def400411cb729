import type { AppliesTo, Runtime } from './checklist/appliesTo';
import { Derived, sameList } from './checks/derived';
import { imageFamily, type Family } from './fixes/docker/images';
import type { DockerfileModel, DockerStage } from './parse/dockerfile';
import type { K8sModel } from './parse/kubernetes';
import { containersOf } from './parse/kubernetes';
import { baseName, dirName } from './text';
import type { ParsedFile, WorkspaceView } from './workspace';

/**
 * The repository's services: each Dockerfile with its build context, the runtime it builds (from its base
 * images and build commands), the family of its final base image, and the Kubernetes containers that run
 * its image when their names match. Rules declare where they apply (`appliesTo` in checklist YAML) against
 * these facts, and messages pick examples that fit the service (no `USER node` on a Go image, no shell
 * command on distroless).
 */

/** What is known about the service a file belongs to; an empty runtime list: not known. */
export interface ServiceFacts {
  runtimes: readonly Runtime[];
  base?: Family;
}

export interface Service extends ServiceFacts {
  dockerfile: string;
  /** The build context assumed: the Dockerfile's folder ('' for the root). */
  context: string;
  /** The image name the service is known by: its folder's name (`src/cartservice/src` → cartservice). */
  name: string;
  /** The Kubernetes containers whose image names the service, as `file#Kind/name/container`. */
  containers: string[];
}

const IMAGE_RUNTIMES: [RegExp, Runtime][] = [
  [/(^|\/)(node|bun|deno)$|^oven\/bun$|^denoland\/deno$/, 'node'],
  [/(^|\/)(golang|go|tinygo)$/, 'go'],
  [/(^|\/)(python|pypy)$|(^|\/)python\d/, 'python'],
  [/(^|\/)(eclipse-temurin|openjdk|amazoncorretto|maven|gradle|ibm-semeru-runtimes|adoptopenjdk|sapmachine)$|(^|\/)(jdk|jre)\d*$/, 'java'],
  [/(^|\/)dotnet\/(sdk|aspnet|runtime|runtime-deps)$/, 'dotnet'],
  [/(^|\/)ruby$/, 'ruby'],
  [/(^|\/)php$/, 'php'],
  [/(^|\/)rust$/, 'rust'],
];

const COMMAND_RUNTIMES: [RegExp, Runtime][] = [
  [/(^|[\s;&|(])(npm|npx|yarn|pnpm|bun)\s/, 'node'],
  [/(^|[\s;&|(])go\s+(build|mod|install|get)\b/, 'go'],
  [/(^|[\s;&|(])(pip3?|pipenv|poetry|uv)\s|python3?\s+-m\s+pip\b/, 'python'],
  [/(^|[\s;&|(])(mvn|mvnw|\.\/mvnw|gradle|gradlew|\.\/gradlew)\b/, 'java'],
  [/(^|[\s;&|(])dotnet\s/, 'dotnet'],
  [/(^|[\s;&|(])bundle\s+install\b/, 'ruby'],
  [/(^|[\s;&|(])composer\s+install\b/, 'php'],
  [/(^|[\s;&|(])cargo\s+(build|install)\b/, 'rust'],
];

/** A word every pattern of COMMAND_RUNTIMES needs: a RUN without one is not tried against each of them. */
const COMMAND_WORDS_RE = /npm|npx|yarn|bun|go|pip|poetry|uv|python|mvn|gradle|dotnet|bundle|composer|cargo/;

/**
 * The facts objects, one per combination of runtimes and base (a repository has a handful), frozen and
 * shared by the Dockerfiles that have it: the engine keeps every open file's model with its facts.
 */
const SHARED_FACTS = new Map<string, ServiceFacts>();

function sharedFacts(runtimes: Runtime[], base: Family | undefined): ServiceFacts {
  const key = base === undefined ? runtimes.join(',') : `${runtimes.join(',')}|${base}`;
  let facts = SHARED_FACTS.get(key);
  if (!facts) {
    if (SHARED_FACTS.size >= 256) SHARED_FACTS.clear(); // bounded, though runtimes and families are few
    SHARED_FACTS.set(key, (facts = Object.freeze({ runtimes: Object.freeze(runtimes), base })));
  }
  return facts;
}

/**
 * The runtimes a Dockerfile builds, the final stage's first: from each stage's base image (node, golang,
 * python, eclipse-temurin, dotnet/sdk…), else its RUN commands (npm, go build, pip, gradle, dotnet…).
 * Computed once per model and kept on it (`serviceFacts`): read by every rule that declares where it applies.
 */
export function dockerfileFacts(model: DockerfileModel): ServiceFacts {
  const known = model.serviceFacts as ServiceFacts | undefined;
  if (known !== undefined) return known;
  const final = model.final;
  const stages = model.stages;
  const found: Runtime[] = [];
  const add = (r: Runtime | undefined) => {
    if (r && !found.includes(r)) found.push(r);
  };
  // the final stage first, then the others from the last
  if (final) add(stageRuntime(model, final));
  for (let s = stages.length - 1; s >= 0; s--) if (stages[s] !== final) add(stageRuntime(model, stages[s]));
  const facts = sharedFacts(found, final ? imageFamily({ model }, final) : undefined);
  model.serviceFacts = facts;
  return facts;
}

function stageRuntime(model: DockerfileModel, stage: DockerStage): Runtime | undefined {
  if (!stage.from.isStage) {
    const name = (stage.from.imageName ?? stage.from.image).toLowerCase().replace(/^(docker\.io\/)?(library\/)?/, '');
    const hit = IMAGE_RUNTIMES.find(([re]) => re.test(name));
    if (hit) return hit[1];
  }
  for (const i of stage.instructions) {
    if (i.keyword !== 'RUN' || !COMMAND_WORDS_RE.test(i.args)) continue;
    const text = ` ${i.args}`; // one string for the patterns, which may match at its start
    const hit = COMMAND_RUNTIMES.find(([re]) => re.test(text));
    if (hit) return hit[1];
  }
  // a stage built on an earlier one runs what that one built
  const parent = stage.parent !== undefined ? model.stages[stage.parent] : undefined;
  return parent && parent !== stage ? stageRuntime(model, parent) : undefined;
}

/** What a build or dependency file's name says its folder's service runs (go.mod → Go, *.csproj → .NET…). */
const MANIFEST_RUNTIMES: [RegExp, Runtime][] = [
  [/^go\.mod$/, 'go'],
  [/^(requirements\.txt|pyproject\.toml|pipfile)$/, 'python'],
  [/^(pom\.xml|build\.gradle(\.kts)?)$/, 'java'],
  [/\.(csproj|fsproj|vbproj|sln)$/, 'dotnet'],
  [/^gemfile$/, 'ruby'],
  [/^cargo\.toml$/, 'rust'],
  [/^composer\.json$/, 'php'],
];

export function manifestRuntime(path: string): Runtime | undefined {
  const name = baseName(path).toLowerCase();
  return MANIFEST_RUNTIMES.find(([re]) => re.test(name))?.[1];
}

/** Whether facts match a rule's `appliesTo`: what cannot be told (no runtime, no base) matches. */
export function matches(facts: ServiceFacts, where: AppliesTo | undefined): boolean {
  if (!where) return true;
  if (where.runtime && facts.runtimes.length > 0 && !facts.runtimes.some((r) => where.runtime!.includes(r))) return false;
  if (where.base && facts.base !== undefined && facts.base !== 'unknown' && !where.base.includes(facts.base)) return false;
  return true;
}

/**
 * The facts of one file: a Dockerfile's own (its images and commands; see {@link contextFacts} for what its
 * build context adds); a package.json or lockfile is Node; a build file its language; other files: unknown.
 */
export function fileFacts(f: ParsedFile): ServiceFacts {
  if (f.kind === 'dockerfile') {
    const model = f.model as DockerfileModel | undefined;
    return model && Array.isArray(model.stages) ? dockerfileFacts(model) : UNKNOWN;
  }
  if (f.kind === 'packageJson' || f.kind === 'lockfile') return NODE;
  if (f.kind === 'buildManifest') {
    const r = manifestRuntime(f.path);
    return r ? { runtimes: [r] } : UNKNOWN;
  }
  return UNKNOWN;
}

const UNKNOWN: ServiceFacts = Object.freeze({ runtimes: [] });
const NODE: ServiceFacts = Object.freeze({ runtimes: ['node'] as Runtime[] });

/** The service name of a Dockerfile: its folder's name, or the folder above a `src`/`docker` folder. */
function serviceName(path: string): string {
  let dir = dirName(path);
  if (/^(src|docker|build)$/i.test(baseName(dir)) && dirName(dir) !== '') dir = dirName(dir);
  return baseName(dir).toLowerCase();
}

/** The last path segment of an image name, without tag or digest (`us-docker.pkg.dev/x/adservice:v1` → adservice). */
function imageShortName(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.split('/').pop() ?? noDigest;
  const colon = last.indexOf(':');
  return (colon === -1 ? last : last.slice(0, colon)).toLowerCase();
}

/** One file's contribution to the build contexts: a Dockerfile's own facts, or the runtime a build file names. */
type ContextPart = { dockerfile: string; facts: ServiceFacts } | { dir: string; runtime: Runtime } | undefined;

/** The runtimes the build files of a context tell: those in its folder and the folders right below it, unless that folder is another Dockerfile's context. */
function contextRuntimes(context: string, markers: readonly { dir: string; runtime: Runtime }[], contexts: ReadonlySet<string>): Runtime[] {
  const found = new Set<Runtime>();
  for (const m of markers) {
    if (m.dir === context || (m.dir !== '' && dirName(m.dir) === context && !contexts.has(m.dir))) found.add(m.runtime);
  }
  return RUNTIME_ORDER.filter((r) => found.has(r));
}

const RUNTIME_ORDER: readonly Runtime[] = ['node', 'go', 'python', 'java', 'dotnet', 'ruby', 'php', 'rust'];

/**
 * Each Dockerfile's facts with its build context: a Dockerfile whose images and commands tell no runtime (a
 * prebuilt binary copied onto alpine or distroless) takes the runtimes of the build files beside it (go.mod,
 * requirements.txt, pyproject.toml, Pipfile, pom.xml, build.gradle(.kts), *.csproj, *.sln, Gemfile,
 * Cargo.toml, composer.json, package.json) or one folder below. Those files are read by name only. Built from
 * one part per file, so an edit that changes no Dockerfile's facts and no build file keeps the value.
 */
const contexts = new Derived<ContextPart, ReadonlyMap<string, ServiceFacts>>({
  kinds: ['dockerfile', 'buildManifest', 'packageJson', 'lockfile'],
  part: (file) => {
    if (file.kind === 'dockerfile') return { dockerfile: file.path, facts: fileFacts(file) };
    const runtime = fileFacts(file).runtimes[0];
    return runtime ? { dir: dirName(file.path), runtime } : undefined;
  },
  equal: (a, b) => {
    if (!a || !b) return a === b;
    if ('dockerfile' in a) return 'dockerfile' in b && a.facts.base === b.facts.base && sameList(a.facts.runtimes, b.facts.runtimes);
    return 'dir' in b && a.dir === b.dir && a.runtime === b.runtime;
  },
  build: (parts) => {
    const dockerfiles: { dockerfile: string; facts: ServiceFacts }[] = [];
    const markers: { dir: string; runtime: Runtime }[] = [];
    for (const list of parts) {
      for (const p of list) {
        if (!p) continue;
        if ('dockerfile' in p) dockerfiles.push(p);
        else markers.push(p);
      }
    }
    const dirs = new Set(dockerfiles.map((d) => dirName(d.dockerfile)));
    const out = new Map<string, ServiceFacts>();
    for (const d of dockerfiles) {
      if (d.facts.runtimes.length > 0) {
        out.set(d.dockerfile, d.facts);
        continue;
      }
      const runtimes = contextRuntimes(dirName(d.dockerfile), markers, dirs);
      out.set(d.dockerfile, runtimes.length ? { ...d.facts, runtimes } : d.facts);
    }
    return out;
  },
});

/** A Dockerfile's facts, its build context's build files included (see {@link contexts}). */
export function contextFacts(ws: WorkspaceView, dockerfile: ParsedFile): ServiceFacts {
  return contexts.get(ws).get(dockerfile.path) ?? fileFacts(dockerfile);
}

const servicesMemo = new WeakMap<readonly ParsedFile[], { manifests: readonly ParsedFile[]; facts: ReadonlyMap<string, ServiceFacts>; out: Service[] }>();

/** Every Dockerfile of the workspace as a service, with the Kubernetes containers that run its image. */
export function services(ws: WorkspaceView): Service[] {
  const dockerfiles = ws.byKind<DockerfileModel>('dockerfile');
  const manifests = ws.byKind<K8sModel>('kubernetes');
  const facts = contexts.get(ws);
  const last = servicesMemo.get(dockerfiles);
  if (last && last.manifests === manifests && last.facts === facts) return last.out;
  const out: Service[] = [];
  const byName = new Map<string, Service[]>();
  for (const f of dockerfiles) {
    if (!f.model || !Array.isArray(f.model.stages) || f.model.stages.length === 0) continue;
    const s: Service = { dockerfile: f.path, context: dirName(f.path), name: serviceName(f.path), containers: [], ...(facts.get(f.path) ?? dockerfileFacts(f.model)) };
    out.push(s);
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
  }
  if (byName.size > 0) {
    for (const m of manifests) {
      for (const o of m.model?.objects ?? []) {
        for (const c of containersOf(o, { init: true })) {
          const image = c.value.image;
          if (typeof image !== 'string') continue;
          for (const s of byName.get(imageShortName(image)) ?? []) s.containers.push(`${m.path}#${o.ref}/${c.name}`);
        }
      }
    }
  }
  servicesMemo.set(dockerfiles, { manifests, facts, out });
  return out;
}

/**
 * The facts of the repository: every Dockerfile's runtimes and base together, Node when it has a
 * package.json, and the language of every build file (go.mod, pom.xml, *.csproj…). Built from one part per Dockerfile and package.json (no manifest is read), so an edit
 * elsewhere keeps the value, and an edit that leaves a Dockerfile's facts as they were keeps it too.
 */
const repository = new Derived<ServiceFacts, { runtimes: Set<Runtime>; bases: Set<Family> }>({
  kinds: ['dockerfile', 'packageJson', 'buildManifest'],
  part: (file) => fileFacts(file),
  equal: (a, b) => a.base === b.base && sameList(a.runtimes, b.runtimes),
  build: (parts) => {
    const runtimes = new Set<Runtime>();
    const bases = new Set<Family>();
    for (const list of parts) {
      for (const facts of list) {
        for (const r of facts.runtimes) runtimes.add(r);
        if (facts.base) bases.add(facts.base);
      }
    }
    return { runtimes, bases };
  },
});

export function repositoryFacts(ws: WorkspaceView): { runtimes: Set<Runtime>; bases: Set<Family> } {
  return repository.get(ws);
}
