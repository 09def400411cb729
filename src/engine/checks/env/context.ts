import type { Node } from 'yaml';
import type { FileKind, Range } from '../../model';
import { Derived, sameList, sameRange } from '../derived';
import { dockerProperties, type DockerfileModel } from '../../parse/dockerfile';
import { envFileRole, pathRole, productionName, type EnvModel } from '../../parse/dotenv';
import { containersOf, isObject, type K8sModel } from '../../parse/kubernetes';
import type { PackageJsonModel } from '../../parse/packageJson';
import { findPair, isMap, isScalar, isSeq, nodeAt, nodeRange, type YamlFile } from '../../parse/yamlSupport';
import { baseName } from '../../text';
import type { ParsedFile, WorkspaceView } from '../../workspace';

/**
 * One variable as the workspace declares it, wherever it comes from: an env file, a Kubernetes
 * ConfigMap or container `env`, a compose service's `environment`, or a Dockerfile's final-stage `ENV`.
 */
/** File kinds the env context reads: every env check declares these so an edit to any of them re-runs it. */
export const ENV_SOURCE_KINDS = ['env', 'kubernetes', 'compose', 'dockerfile', 'packageJson'] as const;

export interface EnvVar {
  key: string;
  /** The literal value; undefined when it comes from a reference (secretKeyRef, configMapKeyRef, `${VAR}`). */
  value: string | undefined;
  file: string;
  keyRange: Range;
  valueRange: Range;
  origin: 'dotenv' | 'k8s' | 'compose' | 'dockerfile';
  /** A production source: its values are what production runs with (see README, Coverage). */
  production: boolean;
  /** An example or template file: values are examples and must be empty or placeholders. */
  template: boolean;
  /** Local, development, test or staging configuration: its values are not judged. */
  nonProduction: boolean;
  /** Comes from a Secret (valueFrom.secretKeyRef) rather than a literal. */
  secretRef: boolean;
  object?: string;
  container?: string;
}

export interface EnvContext {
  vars: EnvVar[];
  byKey: Map<string, EnvVar[]>;
  dotenv: ParsedFile<EnvModel>[];
  /** Env files that are examples to copy (`.env.example`, `.env.production.example`…). */
  templates: ParsedFile<EnvModel>[];
  /** Every file holding at least one production value. */
  productionFiles: string[];
  packageJsons: ParsedFile<PackageJsonModel>[];
  /** Every dependency name of every package.json (dependencies and devDependencies). */
  deps: Set<string>;
  /** Runtime dependencies only. */
  runtimeDeps: Set<string>;
  /** The workspace configures a deployed service (env files, or a package.json with a Dockerfile, manifests or compose file): env rules apply. */
  relevant: boolean;
}

const EMPTY_DEPS: readonly string[] = Object.freeze([]);

/** One file's contribution to the env context. */
interface EnvPart {
  file: ParsedFile;
  /** Has a model the context reads (env, manifests, compose, Dockerfile), or valid JSON (package.json). */
  usable: boolean;
  vars: EnvVar[];
  deps: readonly string[];
  devDeps: readonly string[];
}

function envPart(f: ParsedFile, kind: FileKind): EnvPart {
  const vars: EnvVar[] = [];
  const part: EnvPart = { file: f, usable: !!f.model, vars, deps: EMPTY_DEPS, devDeps: EMPTY_DEPS };
  if (!f.model) return part;
  if (kind === 'env') {
    const role = envFileRole(f.path);
    for (const e of (f as ParsedFile<EnvModel>).model.entries) {
      vars.push({ key: e.key, value: e.value, file: f.path, keyRange: e.keyRange, valueRange: e.valueRange, origin: 'dotenv', production: role.production, template: role.template, nonProduction: role.nonProduction, secretRef: false });
    }
  } else if (kind === 'kubernetes') collectKubernetes(f as ParsedFile<K8sModel>, vars);
  else if (kind === 'compose') collectCompose(f as ParsedFile<YamlFile>, vars);
  else if (kind === 'dockerfile') collectDockerfile(f as ParsedFile<DockerfileModel>, vars);
  else if (kind === 'packageJson') {
    const m = (f as ParsedFile<PackageJsonModel>).model;
    part.usable = !!m.json;
    if (part.usable) {
      part.deps = Object.keys(m.dependencies);
      part.devDeps = Object.keys(m.devDependencies);
    }
  }
  return part;
}

const sameString = (a: string, b: string) => a === b;

export function sameVar(a: EnvVar, b: EnvVar): boolean {
  return (
    a.key === b.key &&
    a.value === b.value &&
    a.file === b.file &&
    a.origin === b.origin &&
    a.production === b.production &&
    a.template === b.template &&
    a.nonProduction === b.nonProduction &&
    a.secretRef === b.secretRef &&
    a.object === b.object &&
    a.container === b.container &&
    sameRange(a.keyRange, b.keyRange) &&
    sameRange(a.valueRange, b.valueRange)
  );
}

/**
 * Two contributions are interchangeable when everything env checks read from them is equal: the vars
 * (for env files they are the entries, in order), the dependencies, and package.json's top range.
 */
function samePart(a: EnvPart, b: EnvPart): boolean {
  if (a.usable !== b.usable || !sameList(a.vars, b.vars, sameVar) || !sameList(a.deps, b.deps, sameString) || !sameList(a.devDeps, b.devDeps, sameString)) return false;
  if (a.file.kind === 'packageJson' && a.usable) return sameRange((a.file as ParsedFile<PackageJsonModel>).model.topRange, (b.file as ParsedFile<PackageJsonModel>).model.topRange);
  return true;
}

const context = new Derived<EnvPart, EnvContext>({ kinds: ENV_SOURCE_KINDS, part: envPart, equal: samePart, build: buildContext });

/**
 * Gathers every env declaration of the workspace. Each file's declarations are read once per content
 * version; an edit that leaves a file's declarations as they were (same keys, values and positions)
 * returns the very same context, so the env checks' memos (keyed by it) answer without running.
 */
export function envContext(ws: WorkspaceView): EnvContext {
  return context.get(ws);
}

function buildContext(parts: readonly (readonly EnvPart[])[], lists: readonly (readonly ParsedFile[])[]): EnvContext {
  const [envParts, , , , pkgParts] = parts;
  const vars: EnvVar[] = [];
  for (let k = 0; k < 4; k++) for (const p of parts[k]) for (const v of p.vars) vars.push(v);
  const dotenv = envParts.filter((p) => p.usable).map((p) => p.file as ParsedFile<EnvModel>);
  const byKey = new Map<string, EnvVar[]>();
  for (const v of vars) {
    const list = byKey.get(v.key);
    if (list) list.push(v);
    else byKey.set(v.key, [v]);
  }
  const usablePkgs = pkgParts.filter((p) => p.usable);
  const packageJsons = usablePkgs.map((p) => p.file as ParsedFile<PackageJsonModel>);
  const deps = new Set<string>();
  const runtimeDeps = new Set<string>();
  for (const p of usablePkgs) {
    for (const d of p.deps) {
      deps.add(d);
      runtimeDeps.add(d);
    }
    for (const d of p.devDeps) deps.add(d);
  }
  const [, k8s, compose, dockerfiles] = lists;
  const productionFiles = new Set<string>();
  for (const v of vars) if (v.production) productionFiles.add(v.file);
  return {
    vars,
    byKey,
    dotenv,
    templates: dotenv.filter((f) => envFileRole(f.path).template),
    productionFiles: [...productionFiles],
    packageJsons,
    deps,
    runtimeDeps,
    relevant: dotenv.length > 0 || (packageJsons.length > 0 && (dockerfiles.length > 0 || k8s.length > 0 || compose.length > 0)),
  };
}

function k8sProduction(path: string): boolean {
  const role = pathRole(path);
  return !role.nonProduction || role.production;
}

function collectKubernetes(f: ParsedFile<K8sModel>, out: EnvVar[]): void {
  const production = k8sProduction(f.path);
  for (const obj of f.model.objects) {
    const doc = f.model.docs[obj.docIndex];
    if (obj.kind === 'ConfigMap' && isObject(obj.value.data)) {
      // the data map's node once per ConfigMap; each key's ranges are found in it. Key ranges only when
      // every step to it is a map (inside `kind: List` the object's range stands in, as before).
      const data = nodeAt(doc?.contents, obj.base.concat('data'));
      const dataMap = isMap(data) ? data : undefined;
      const keysInMaps = obj.base.every((seg) => typeof seg === 'string');
      const lc = f.model.lineCounter;
      for (const [key, value] of Object.entries(obj.value.data)) {
        const pair = dataMap && findPair(dataMap, key);
        const keyRange = (keysInMaps && pair && nodeRange(lc, pair.key)) || obj.range;
        out.push({ key, value: value === null ? '' : String(value), file: f.path, keyRange, valueRange: (pair && nodeRange(lc, pair.value)) || keyRange, origin: 'k8s', production, template: false, nonProduction: !production, secretRef: false, object: obj.ref });
      }
    }
    for (const c of containersOf(obj, { init: false })) {
      const env = c.value.env;
      if (!Array.isArray(env)) continue;
      // the env list's node once per container; each variable's ranges are found from its item
      const envNode = nodeAt(doc?.contents, c.path.concat('env'));
      const items = isSeq(envNode) ? envNode.items : undefined;
      const lc = f.model.lineCounter;
      for (let i = 0; i < env.length; i++) {
        const e = env[i];
        if (!isObject(e) || typeof e.name !== 'string') continue;
        const item = items?.[i];
        const map = isMap(item) ? item : undefined;
        const keyRange = (map && nodeRange(lc, findPair(map, 'name')?.value)) || obj.range;
        const literal = e.value !== undefined && e.value !== null ? String(e.value) : undefined;
        const from = e.valueFrom;
        const secretRef = isObject(from) && from.secretKeyRef !== undefined;
        const valueRange = (literal !== undefined && map && nodeRange(lc, findPair(map, 'value')?.value)) || keyRange;
        out.push({ key: e.name, value: literal, file: f.path, keyRange, valueRange, origin: 'k8s', production, template: false, nonProduction: !production, secretRef, object: obj.ref, container: c.name });
      }
    }
  }
}

/** Is a compose file the production one (`docker-compose.prod.yml`, `compose.production.yaml`)? */
export function isProductionCompose(path: string): boolean {
  return productionName(baseName(path)) || pathRole(path).production;
}

const REF_RE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}?$/;

function collectCompose(f: ParsedFile<YamlFile>, out: EnvVar[]): void {
  const production = isProductionCompose(f.path);
  const root = f.model.docs[0]?.contents;
  if (!isMap(root)) return;
  const services = findPair(root, 'services')?.value;
  if (!isMap(services)) return;
  const lc = f.model.lineCounter;
  for (const svc of services.items) {
    if (!isMap(svc.value)) continue;
    const object = `service/${isScalar(svc.key) ? String(svc.key.value) : '?'}`;
    const env = findPair(svc.value, 'environment')?.value;
    const push = (key: string, value: string | undefined, keyRange: Range | undefined, vr: Range | undefined) => {
      if (!keyRange) return;
      out.push({ key, value: value !== undefined && REF_RE.test(value) ? undefined : value, file: f.path, keyRange, valueRange: vr ?? keyRange, origin: 'compose', production, template: false, nonProduction: !production && /(^|[.\-_])(dev|development|local|test|ci)([.\-_]|$)/i.test(baseName(f.path)), secretRef: false, object });
    };
    if (isMap(env)) {
      for (const pair of env.items) {
        if (!isScalar(pair.key)) continue;
        const v = isScalar(pair.value) ? (pair.value.value === null ? '' : String(pair.value.value)) : undefined;
        push(String(pair.key.value), v, nodeRange(lc, pair.key), nodeRange(lc, pair.value as Node));
      }
    } else if (isSeq(env)) {
      for (const item of env.items) {
        if (!isScalar(item) || typeof item.value !== 'string') continue;
        const r = nodeRange(lc, item);
        const eq = item.value.indexOf('=');
        const key = eq === -1 ? item.value : item.value.slice(0, eq);
        if (!r) continue;
        const keyRange: Range = { start: r.start, end: { line: r.start.line, character: r.start.character + key.length + (item.type === 'PLAIN' ? 0 : 1) } };
        push(key, eq === -1 ? undefined : item.value.slice(eq + 1), keyRange, r);
      }
    }
  }
}

function collectDockerfile(f: ParsedFile<DockerfileModel>, out: EnvVar[]): void {
  const stage = f.model.final;
  if (!stage) return;
  const role = envFileRole(f.path);
  for (const ins of stage.instructions) {
    if (ins.keyword !== 'ENV') continue;
    for (const p of dockerProperties(ins)) {
      const value = p.getValue() ?? '';
      const keyRange = p.getNameRange();
      out.push({ key: p.getName(), value: /^\$\{?[A-Za-z_]/.test(value) ? undefined : value, file: f.path, keyRange, valueRange: p.getValueRange() ?? keyRange, origin: 'dockerfile', production: !role.nonProduction, template: false, nonProduction: role.nonProduction, secretRef: false, object: `stage ${stage.index}` });
    }
  }
}
