import type { Node, Pair, YAMLMap } from 'yaml';
import { z } from 'zod';
import { repositoryFinding, type RawFinding, type Range } from '../../model';
import type { PackageJsonModel } from '../../parse/packageJson';
import { findPair, isMap, isScalar, nodeAt, nodeRange, type YamlFile } from '../../parse/yamlSupport';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { isProductionCompose } from '../env/context';
import { workspaceCheck, type CheckOutput } from '../template';

export interface ComposeService {
  name: string;
  file: string;
  map: YAMLMap;
  keyRange: Range;
  image?: string;
  imageRange?: Range;
  build: boolean;
}

/** The services of a compose file, with positions. */
export function composeServices(f: ParsedFile<YamlFile>): ComposeService[] {
  const root = f.model?.docs[0]?.contents;
  if (!isMap(root)) return [];
  const services = findPair(root, 'services')?.value;
  if (!isMap(services)) return [];
  const out: ComposeService[] = [];
  for (const pair of services.items as Pair<Node, Node | null>[]) {
    if (!isScalar(pair.key) || !isMap(pair.value)) continue;
    const keyRange = nodeRange(f.model.lineCounter, pair.key);
    if (!keyRange) continue;
    const image = findPair(pair.value, 'image')?.value;
    out.push({
      name: String(pair.key.value),
      file: f.path,
      map: pair.value,
      keyRange,
      image: isScalar(image) && image.value !== null ? String(image.value) : undefined,
      imageRange: isScalar(image) ? nodeRange(f.model.lineCounter, image) : undefined,
      build: !!findPair(pair.value, 'build'),
    });
  }
  return out;
}

const Scope = z.enum(['all', 'production']).describe('Which compose files: every one, or the production ones (docker-compose.prod.yml…; all when there is none).');

function filesIn(ws: WorkspaceView, scope: 'all' | 'production'): ParsedFile<YamlFile>[] {
  const all = ws.byKind<YamlFile>('compose').filter((f) => f.model);
  if (scope === 'all') return all;
  const prod = all.filter((f) => isProductionCompose(f.path));
  return prod.length ? prod : all;
}

/** Runs `check` on every service of the compose files in scope; not applicable when there is no such file. */
function eachService(ws: WorkspaceView, scope: 'all' | 'production', check: (s: ComposeService) => RawFinding | undefined): CheckOutput | undefined {
  const files = filesIn(ws, scope);
  if (files.length === 0) return undefined;
  const findings: RawFinding[] = [];
  for (const f of files) {
    for (const s of composeServices(f)) {
      const finding = check(s);
      if (finding) findings.push(finding);
    }
  }
  return { findings };
}

const DEV_IMAGE_SERVICES = /^(adminer|pgadmin|mailhog|mailpit|redis-commander|mongo-express|localstack|maildev)/i;

/** `compose.healthcheck`: every compose service defines a healthcheck (not disabled). */
export const composeHealthcheck = workspaceCheck({
  id: 'compose.healthcheck',
  description: 'Every docker-compose service defines a healthcheck.',
  params: z.strictObject({ scope: Scope.default('all'), ignore: z.array(z.string()).default([]).describe('Service names to skip.') }),
  kinds: ['compose'],
  run: (ws, p) =>
    eachService(ws, p.scope, (s) => {
      if (p.ignore.includes(s.name) || (s.image && DEV_IMAGE_SERVICES.test(s.image.split('/').pop() ?? ''))) return undefined;
      const hc = findPair(s.map, 'healthcheck')?.value;
      const disabled = isMap(hc) && isScalar(findPair(hc, 'disable')?.value) && (findPair(hc, 'disable')!.value as { value: unknown }).value === true;
      if (isMap(hc) && !disabled) return undefined;
      return { file: s.file, range: s.keyRange, message: `Service ${s.name} has no healthcheck${disabled ? ' (it is disabled)' : ''}; depends_on: condition: service_healthy and restarts rely on it`, object: `service/${s.name}` };
    }),
});

/** A tag or digest that names one release: not missing, not latest. */
export function imagePinProblem(image: string): string | undefined {
  if (/\$\{?[A-Za-z_]/.test(image)) return undefined; // set by a variable: judged where it is defined
  if (image.includes('@sha256:')) return undefined;
  const last = image.split('/').pop() ?? image;
  const colon = last.lastIndexOf(':');
  if (colon === -1) return 'has no tag (it means :latest)';
  const tag = last.slice(colon + 1);
  if (tag === 'latest') return 'uses the :latest tag';
  return undefined;
}

/** `compose.image-pinned`: compose images carry an explicit version tag or digest. */
export const composeImagePinned = workspaceCheck({
  id: 'compose.image-pinned',
  description: 'Every docker-compose image has an explicit version tag or digest (not :latest, not untagged).',
  params: z.strictObject({ scope: Scope.default('all') }),
  kinds: ['compose'],
  run: (ws, p) =>
    eachService(ws, p.scope, (s) => {
      const problem = s.image ? imagePinProblem(s.image) : undefined;
      return problem ? { file: s.file, range: s.imageRange ?? s.keyRange, message: `Image of service ${s.name} ${problem}; pin a version (e.g. postgres:16.4-alpine) or a digest`, object: `service/${s.name}` } : undefined;
    }),
});

/** `compose.resources.limits`: compose services set memory and CPU limits. */
export const composeResourceLimits = workspaceCheck({
  id: 'compose.resources.limits',
  description: 'docker-compose services set memory and CPU limits (deploy.resources.limits, or mem_limit / cpus).',
  params: z.strictObject({ scope: Scope.default('production'), ignore: z.array(z.string()).default([]) }),
  kinds: ['compose'],
  run: (ws, p) =>
    eachService(ws, p.scope, (s) => {
      if (p.ignore.includes(s.name)) return undefined;
      const limits = nodeAt(s.map, ['deploy', 'resources', 'limits']);
      const memory = (isMap(limits) && findPair(limits, 'memory')) || findPair(s.map, 'mem_limit');
      const cpus = (isMap(limits) && findPair(limits, 'cpus')) || findPair(s.map, 'cpus');
      const missing = [!memory && 'memory', !cpus && 'CPU'].filter(Boolean);
      return missing.length ? { file: s.file, range: s.keyRange, message: `Service ${s.name} sets no ${missing.join(' or ')} limit (deploy.resources.limits)`, object: `service/${s.name}` } : undefined;
    }),
});

const BACKING: { label: string; deps: string[]; images: RegExp }[] = [
  { label: 'PostgreSQL', deps: ['pg', 'postgres', 'pg-promise', 'slonik', '@mikro-orm/postgresql'], images: /(^|\/)(postgres|postgis|timescale\/timescaledb)/i },
  { label: 'MySQL', deps: ['mysql', 'mysql2', '@mikro-orm/mysql'], images: /(^|\/)(mysql|mariadb)/i },
  { label: 'MongoDB', deps: ['mongodb', 'mongoose', '@mikro-orm/mongodb'], images: /(^|\/)mongo/i },
  { label: 'Redis', deps: ['ioredis', 'redis', 'bull', 'bullmq', 'connect-redis', 'cache-manager-redis-store', 'cache-manager-ioredis'], images: /(^|\/)(redis|valkey|keydb)/i },
  { label: 'NATS', deps: ['nats'], images: /(^|\/)nats/i },
];

/** `compose.present`: a compose file defines the app and the backing services its dependencies need. */
export const composePresent = workspaceCheck({
  id: 'compose.present',
  description: 'A docker-compose file runs the service locally with the backing services its dependencies need (database, Redis, NATS).',
  params: z.strictObject({}),
  kinds: ['compose', 'packageJson'],
  run(ws) {
    const pkgs = ws.byKind<PackageJsonModel>('packageJson').filter((f) => f.model?.json);
    if (pkgs.length === 0) return undefined;
    const files = ws.byKind<YamlFile>('compose').filter((f) => f.model);
    if (files.length === 0) return { findings: [repositoryFinding('No docker-compose.yml / compose.yaml runs the service and its backing services locally')] };
    const services = files.flatMap((f) => composeServices(f));
    const findings: RawFinding[] = [];
    if (services.length === 0) findings.push({ file: files[0].path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: 'The compose file defines no services' });
    const deps = new Set(pkgs.flatMap((p) => Object.keys(p.model.dependencies)));
    for (const b of BACKING) {
      const dep = b.deps.find((d) => deps.has(d));
      if (!dep || services.some((s) => s.image && b.images.test(s.image))) continue;
      findings.push({ file: files[0].path, range: services[0]?.keyRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `package.json depends on ${dep}, but no compose service runs ${b.label}` });
    }
    return { findings };
  },
});
