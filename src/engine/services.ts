import type { AppliesTo, Runtime } from './checklist/appliesTo';
import { Derived, sameList } from './checks/derived';
import { imageFacts, type Family } from './fixes/docker/images';
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

const factsMemo = new WeakMap<DockerfileModel, ServiceFacts>();

/**
 * The runtimes a Dockerfile builds, the final stage's first: from each stage's base image (node, golang,
 * python, eclipse-temurin, dotnet/sdk…), else its RUN commands (npm, go build, pip, gradle, dotnet…).
 */
export function dockerfileFacts(model: DockerfileModel): ServiceFacts {
  let facts = factsMemo.get(model);
  if (facts) return facts;
  const final = model.final;
  const order = final ? [final, ...model.stages.filter((s) => s !== final).reverse()] : [...model.stages];
  const found: Runtime[] = [];
  for (const stage of order) {
    const r = stageRuntime(model, stage);
    if (r && !found.includes(r)) found.push(r);
  }
  facts = { runtimes: found, base: final ? imageFacts({ model }, final).family : undefined };
  factsMemo.set(model, facts);
  return facts;
}

function stageRuntime(model: DockerfileModel, stage: DockerStage): Runtime | undefined {
  if (!stage.from.isStage) {
    const name = (stage.from.imageName ?? stage.from.image).toLowerCase().replace(/^(docker\.io\/)?(library\/)?/, '');
    const hit = IMAGE_RUNTIMES.find(([re]) => re.test(name));
    if (hit) return hit[1];
  }
  for (const i of stage.instructions) {
    if (i.keyword !== 'RUN') continue;
    const hit = COMMAND_RUNTIMES.find(([re]) => re.test(` ${i.args}`));
    if (hit) return hit[1];
  }
  // a stage built on an earlier one runs what that one built
  const parent = stage.parent !== undefined ? model.stages[stage.parent] : undefined;
  return parent && parent !== stage ? stageRuntime(model, parent) : undefined;
}

/** Whether facts match a rule's `appliesTo`: what cannot be told (no runtime, no base) matches. */
export function matches(facts: ServiceFacts, where: AppliesTo | undefined): boolean {
  if (!where) return true;
  if (where.runtime && facts.runtimes.length > 0 && !facts.runtimes.some((r) => where.runtime!.includes(r))) return false;
  if (where.base && facts.base !== undefined && facts.base !== 'unknown' && !where.base.includes(facts.base)) return false;
  return true;
}

/** The facts of one file: a Dockerfile's own; a package.json or lockfile is Node; other files: unknown. */
export function fileFacts(f: ParsedFile): ServiceFacts {
  if (f.kind === 'dockerfile') {
    const model = f.model as DockerfileModel | undefined;
    return model && Array.isArray(model.stages) ? dockerfileFacts(model) : UNKNOWN;
  }
  if (f.kind === 'packageJson' || f.kind === 'lockfile') return NODE;
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

const servicesMemo = new WeakMap<readonly ParsedFile[], { manifests: readonly ParsedFile[]; out: Service[] }>();

/** Every Dockerfile of the workspace as a service, with the Kubernetes containers that run its image. */
export function services(ws: WorkspaceView): Service[] {
  const dockerfiles = ws.byKind<DockerfileModel>('dockerfile');
  const manifests = ws.byKind<K8sModel>('kubernetes');
  const last = servicesMemo.get(dockerfiles);
  if (last && last.manifests === manifests) return last.out;
  const out: Service[] = [];
  const byName = new Map<string, Service[]>();
  for (const f of dockerfiles) {
    if (!f.model || !Array.isArray(f.model.stages) || f.model.stages.length === 0) continue;
    const s: Service = { dockerfile: f.path, context: dirName(f.path), name: serviceName(f.path), containers: [], ...dockerfileFacts(f.model) };
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
  servicesMemo.set(dockerfiles, { manifests, out });
  return out;
}

/**
 * The facts of the repository: every Dockerfile's runtimes and base together, and Node when it has a
 * package.json. Built from one part per Dockerfile and package.json (no manifest is read), so an edit
 * elsewhere keeps the value, and an edit that leaves a Dockerfile's facts as they were keeps it too.
 */
const repository = new Derived<ServiceFacts, { runtimes: Set<Runtime>; bases: Set<Family> }>({
  kinds: ['dockerfile', 'packageJson'],
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
