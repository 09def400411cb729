// Deterministic synthetic monorepo for `npm run bench`: same sizes and seed give byte-identical files.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { seededRandom } from '../../test/support/seededRandom';

export interface RepoSpec {
  manifests: number;
  /** YAML documents per manifest file. */
  docs: number;
  dockerfiles: number;
  packages: number;
  envs: number;
  /** Files under node_modules folders that a scan must skip. */
  decoy: number;
  seed: number;
}

export const DEFAULT_SPEC: RepoSpec = { manifests: 2000, docs: 3, dockerfiles: 1000, packages: 500, envs: 500, decoy: 20000, seed: 7 };

/** Bump when the generated content changes, so a stale repository is regenerated. */
const GENERATOR_VERSION = 1;

export interface GeneratedRepo {
  root: string;
  /** Files written per kind (decoy included), for the report. */
  counts: Record<string, number>;
  bytes: number;
  regenerated: boolean;
  ms: number;
}

const IMAGES = ['nginx', 'node', 'python', 'golang', 'redis', 'postgres', 'ghcr.io/acme/api', 'registry.example.com/team/worker', 'busybox', 'envoyproxy/envoy'];
const TAGS = ['1.27.3', '20-alpine', '3.12-slim', 'latest', '', '7.2', '16.4', 'v2.3.1', '1.36', 'v1.31.0'];
const WORDS = ['orders', 'billing', 'search', 'auth', 'catalog', 'payments', 'inventory', 'shipping', 'notify', 'reports', 'gateway', 'profile'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

function serviceDir(s: number): string {
  return `services/area-${s % 10}/team-${Math.floor(s / 10) % 5}/svc-${s}`;
}

function image(r: () => number): string {
  const name = pick(r, IMAGES);
  const roll = r();
  if (roll < 0.15) return `${name}@sha256:${'0123456789abcdef'.repeat(4)}`;
  const tag = pick(r, TAGS);
  return tag ? `${name}:${tag}` : name;
}

function container(r: () => number, name: string, indent: string): string {
  const lines = [`- name: ${name}`, `  image: ${image(r)}`];
  if (r() < 0.5) lines.push('  imagePullPolicy: IfNotPresent');
  lines.push('  ports:', `    - containerPort: ${8000 + Math.floor(r() * 1000)}`, '      protocol: TCP');
  if (r() < 0.6) lines.push('  env:', '    - name: LOG_LEVEL', '      value: info', '    - name: DB_HOST', `      value: db-${Math.floor(r() * 50)}.internal`);
  if (r() < 0.7) {
    lines.push('  resources:', '    requests:', `      cpu: ${50 + Math.floor(r() * 10) * 50}m`, `      memory: ${64 * (1 + Math.floor(r() * 8))}Mi`);
    if (r() < 0.7) lines.push('    limits:', `      memory: ${128 * (1 + Math.floor(r() * 8))}Mi`);
  }
  if (r() < 0.6) lines.push('  livenessProbe:', '    httpGet:', '      path: /healthz', '      port: http', '    initialDelaySeconds: 10', '    periodSeconds: 10');
  if (r() < 0.6) lines.push('  readinessProbe:', '    httpGet:', '      path: /ready', '      port: http', '    periodSeconds: 5');
  if (r() < 0.5) {
    lines.push('  securityContext:', `    runAsNonRoot: ${r() < 0.8}`, `    allowPrivilegeEscalation: ${r() < 0.2}`, `    readOnlyRootFilesystem: ${r() < 0.6}`);
    if (r() < 0.5) lines.push('    capabilities:', '      drop:', '        - ALL');
    if (r() < 0.05) lines.push('    privileged: true');
  }
  if (r() < 0.1) lines.push('  volumeMounts:', '    - name: data', '      mountPath: /var/lib/data');
  return lines.map((l) => indent + l).join('\n');
}

function podSpec(r: () => number, app: string, indent: string): string {
  const out: string[] = [];
  if (r() < 0.3) out.push(`${indent}serviceAccountName: ${app}`);
  if (r() < 0.2) out.push(`${indent}automountServiceAccountToken: false`);
  if (r() < 0.05) out.push(`${indent}hostNetwork: true`);
  if (r() < 0.3) out.push(`${indent}securityContext:`, `${indent}  runAsUser: 10001`, `${indent}  fsGroup: 10001`);
  if (r() < 0.15) out.push(`${indent}initContainers:`, container(r, 'migrate', `${indent}  `));
  out.push(`${indent}containers:`, container(r, app, `${indent}  `));
  if (r() < 0.25) out.push(container(r, 'sidecar', `${indent}  `));
  if (r() < 0.1) out.push(`${indent}volumes:`, `${indent}  - name: data`, `${indent}    emptyDir: {}`);
  return out.join('\n');
}

function labels(app: string, indent: string, team: number): string {
  return [`${indent}labels:`, `${indent}  app.kubernetes.io/name: ${app}`, `${indent}  app.kubernetes.io/part-of: shop`, `${indent}  team: team-${team}`].join('\n');
}

function workload(r: () => number, app: string, ns: string, team: number): string {
  const roll = r();
  const meta = (kind: string, api: string) => [`apiVersion: ${api}`, `kind: ${kind}`, 'metadata:', `  name: ${app}`, `  namespace: ${ns}`, labels(app, '  ', team)];
  if (roll < 0.1) {
    return [...meta('CronJob', 'batch/v1'), 'spec:', `  schedule: "${Math.floor(r() * 60)} * * * *"`, '  jobTemplate:', '    spec:', '      template:', '        spec:', '          restartPolicy: OnFailure', podSpec(r, app, '          ')].join('\n');
  }
  const kind = roll < 0.2 ? 'StatefulSet' : roll < 0.25 ? 'DaemonSet' : 'Deployment';
  const lines = [...meta(kind, 'apps/v1')];
  if (r() < 0.2) lines.splice(4, 0, '  annotations:', '    shipshape/ignore: k8s.image.latest-tag', '    description: "generated for the benchmark"');
  lines.push('spec:');
  if (kind !== 'DaemonSet') lines.push(`  replicas: ${1 + Math.floor(r() * 5)}`);
  if (kind === 'StatefulSet') lines.push(`  serviceName: ${app}`);
  lines.push('  selector:', '    matchLabels:', `      app.kubernetes.io/name: ${app}`, '  template:', '    metadata:', labels(app, '      ', team), '    spec:', podSpec(r, app, '      '));
  return lines.join('\n');
}

function extraDoc(r: () => number, app: string, ns: string, i: number): string {
  const roll = (i + Math.floor(r() * 4)) % 4;
  if (roll === 0) return ['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${app}`, `  namespace: ${ns}`, 'spec:', `  type: ${r() < 0.1 ? 'LoadBalancer' : 'ClusterIP'}`, '  selector:', `    app.kubernetes.io/name: ${app}`, '  ports:', '    - name: http', '      port: 80', '      targetPort: http'].join('\n');
  if (roll === 1) return ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${app}-config-${i}`, `  namespace: ${ns}`, 'data:', `  FEATURE_FLAGS: "${pick(r, WORDS)},${pick(r, WORDS)}"`, `  TIMEOUT_MS: "${1000 + Math.floor(r() * 9000)}"`, '  # comment: tuned for staging', '  RETRIES: "3"'].join('\n');
  if (roll === 2) return ['apiVersion: policy/v1', 'kind: PodDisruptionBudget', 'metadata:', `  name: ${app}`, `  namespace: ${ns}`, 'spec:', '  minAvailable: 1', '  selector:', '    matchLabels:', `      app.kubernetes.io/name: ${app}`].join('\n');
  return ['apiVersion: autoscaling/v2', 'kind: HorizontalPodAutoscaler', 'metadata:', `  name: ${app}`, `  namespace: ${ns}`, 'spec:', '  scaleTargetRef:', '    apiVersion: apps/v1', '    kind: Deployment', `    name: ${app}`, '  minReplicas: 2', `  maxReplicas: ${3 + Math.floor(r() * 10)}`, '  metrics:', '    - type: Resource', '      resource:', '        name: cpu', '        target:', '          type: Utilization', '          averageUtilization: 70'].join('\n');
}

function manifest(r: () => number, spec: RepoSpec, s: number, j: number): string {
  const app = `${pick(r, WORDS)}-${s}-${j}`;
  const ns = `team-${Math.floor(s / 10) % 5}`;
  const docs = [`# ${app}: generated manifest ${j} of service ${s}\n${workload(r, app, ns, Math.floor(s / 10) % 5)}`];
  for (let d = 1; d < spec.docs; d++) docs.push(extraDoc(r, app, ns, d + j));
  return docs.join('\n---\n') + '\n';
}

function dockerfile(r: () => number, s: number): string {
  const base = pick(r, ['node:20-alpine', 'node:20', 'python:3.12-slim', 'golang:1.22', 'ubuntu:latest', 'debian:bookworm-slim', 'alpine:3.20', 'node']);
  const multi = r() < 0.5;
  const lines = [`# syntax=docker/dockerfile:1`, `# service ${s}`];
  if (r() < 0.3) lines.push('ARG BUILD_VERSION=dev');
  lines.push(`FROM ${base}${multi ? ' AS build' : ''}`, 'WORKDIR /app');
  if (r() < 0.4) lines.push('RUN apt-get update && apt-get install -y curl ca-certificates \\', '    && rm -rf /var/lib/apt/lists/*');
  else if (r() < 0.5) lines.push('RUN apk add --no-cache curl');
  lines.push('COPY package*.json ./', r() < 0.5 ? 'RUN npm ci --omit=dev' : 'RUN npm install', r() < 0.3 ? 'ADD . .' : 'COPY . .');
  if (r() < 0.2) lines.push('RUN curl -fsSL https://example.com/install.sh | sh');
  if (r() < 0.2) lines.push('ENV API_TOKEN=changeme', 'ENV NODE_ENV=production');
  if (multi) {
    lines.push('RUN npm run build', '', `FROM ${pick(r, ['gcr.io/distroless/nodejs20-debian12', 'node:20-alpine', 'nginx:1.27'])}`, 'WORKDIR /app', 'COPY --from=build /app/dist ./dist');
  }
  if (r() < 0.6) lines.push(`USER ${r() < 0.2 ? 'root' : 'node'}`);
  if (r() < 0.5) lines.push('HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost:8080/healthz || exit 1');
  lines.push(`EXPOSE ${8000 + (s % 1000)}`);
  if (r() < 0.1) lines.push('# hadolint ignore=DL3025');
  lines.push(r() < 0.7 ? 'CMD ["node", "dist/server.js"]' : 'CMD node dist/server.js');
  return lines.join('\n') + '\n';
}

function packageJson(r: () => number, s: number, j: number): string {
  const scripts: Record<string, string> = { build: 'tsc -p .', test: 'mocha', start: 'node dist/server.js' };
  if (r() < 0.5) scripts.lint = 'eslint .';
  if (r() < 0.3) scripts.postinstall = 'node scripts/setup.js';
  if (r() < 0.2) scripts.deploy = 'curl -s https://example.com/deploy.sh | bash';
  const pkg = {
    name: `@shop/${pick(r, WORDS)}-${s}-${j}`,
    version: `1.${Math.floor(r() * 20)}.0`,
    private: r() < 0.8,
    ...(r() < 0.6 ? { engines: { node: '>=20' } } : {}),
    scripts,
    dependencies: { express: '^4.19.2', zod: '^3.23.0', ...(r() < 0.3 ? { lodash: '*' } : {}) },
    devDependencies: { typescript: '~5.5.0', mocha: '^10.0.0' },
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}

function envFile(r: () => number, s: number): string {
  const lines = [`# environment for service ${s}`, 'NODE_ENV=production', `PORT=${8000 + (s % 1000)}`, `DATABASE_URL=postgres://app@db-${s % 50}:5432/app`];
  if (r() < 0.3) lines.push('API_KEY=sk_live_0123456789abcdef0123456789');
  if (r() < 0.5) lines.push('SECRET_KEY=');
  if (r() < 0.3) lines.push('DEBUG=true');
  if (r() < 0.2) lines.push('export REDIS_URL="redis://cache:6379"');
  if (r() < 0.1) lines.push('PORT=9000');
  lines.push('LOG_LEVEL=info', '');
  return lines.join('\n');
}

function decoyFile(i: number): [string, string] {
  const inService = i % 5 === 4;
  const pkg = Math.floor(i / 20);
  const base = inService ? `${serviceDir(pkg % 97)}/node_modules/dep-${pkg}` : `node_modules/pkg-${pkg}`;
  switch (i % 20) {
    case 0:
      return [`${base}/package.json`, JSON.stringify({ name: `pkg-${pkg}`, version: '1.0.0', scripts: { postinstall: 'node install.js' } }, null, 2)];
    case 1:
      return [`${base}/Dockerfile`, 'FROM node:latest\nRUN npm install\n'];
    case 2:
      return [`${base}/deploy.yaml`, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: decoy\nspec:\n  containers:\n    - name: c\n      image: nginx\n'];
    case 3:
      return [`${base}/.env`, 'SECRET=decoy\n'];
    case 4:
      return [`${base}/README.md`, `# pkg-${pkg}\n`];
    default:
      return [`${base}/lib/file-${i % 20}.js`, `module.exports = ${i};\n`];
  }
}

/** Writes the repository under root (wiped first) unless a repository of the same spec is already there. */
export function generateRepo(root: string, spec: RepoSpec): GeneratedRepo {
  const t0 = performance.now();
  // The stamp sits beside the repository, not in it, so the scan never reads it.
  const stampPath = `${root}.spec.json`;
  const wanted = JSON.stringify({ ...spec, version: GENERATOR_VERSION });
  if (existsSync(stampPath)) {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { spec: string; counts: Record<string, number>; bytes: number };
    if (stamp.spec === wanted) return { root, counts: stamp.counts, bytes: stamp.bytes, regenerated: false, ms: performance.now() - t0 };
  }
  rmSync(stampPath, { force: true });
  rmSync(root, { recursive: true, force: true });
  const counts: Record<string, number> = {};
  let bytes = 0;
  const made = new Set<string>();
  const write = (rel: string, text: string, kind: string) => {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(abs, text);
    counts[kind] = (counts[kind] ?? 0) + 1;
    bytes += Buffer.byteLength(text);
  };
  const r = seededRandom(spec.seed);
  const services = Math.max(1, spec.packages, spec.envs, Math.ceil(spec.dockerfiles / 2), Math.ceil(spec.manifests / 4));
  write('.gitignore', 'node_modules/\n*.log\ntmp/\n', 'gitignore');
  write('README.md', '# Synthetic monorepo\n\nGenerated by `npm run bench`. Do not edit.\n', 'other');
  for (let i = 0; i < spec.manifests; i++) {
    const s = i % services;
    const j = Math.floor(i / services);
    const nested = s % 3 === 0 ? `deploy/k8s/overlays/env-${j % 3}` : 'deploy/k8s';
    write(`${serviceDir(s)}/${nested}/manifest-${j}.yaml`, manifest(r, spec, s, j), 'kubernetes');
  }
  for (let i = 0; i < spec.dockerfiles; i++) {
    const s = i % services;
    const j = Math.floor(i / services);
    const name = j === 0 ? 'Dockerfile' : j === 1 ? 'worker.Dockerfile' : `docker/Dockerfile.variant-${j}`;
    write(`${serviceDir(s)}/${name}`, dockerfile(r, s), 'dockerfile');
    if (j === 0 && s % 2 === 0) write(`${serviceDir(s)}/.dockerignore`, 'node_modules\n.git\n.env\n*.log\n', 'dockerignore');
  }
  for (let i = 0; i < spec.packages; i++) {
    const s = i % services;
    const j = Math.floor(i / services);
    write(`${serviceDir(s)}/${j === 0 ? '' : `packages/p${j}/`}package.json`, packageJson(r, s, j), 'packageJson');
  }
  for (let i = 0; i < spec.envs; i++) {
    const s = i % services;
    const j = Math.floor(i / services);
    write(`${serviceDir(s)}/${j === 0 ? '.env.example' : j === 1 ? '.env.production' : `config/.env.variant-${j}`}`, envFile(r, s), 'env');
  }
  // Files a scan must not audit or must sniff and drop: sources and YAML that is not Kubernetes.
  for (let s = 0; s < services; s++) {
    write(`${serviceDir(s)}/src/server.ts`, `export const port = ${8000 + (s % 1000)};\n`, 'other');
    if (s % 2 === 1) write(`${serviceDir(s)}/openapi.yaml`, `openapi: 3.0.0\ninfo:\n  title: svc-${s}\n  version: 1.0.0\npaths: {}\n`, 'yamlNotKubernetes');
  }
  for (let i = 0; i < spec.decoy; i++) {
    const [rel, text] = decoyFile(i);
    write(rel, text, 'decoy');
  }
  writeFileSync(stampPath, JSON.stringify({ spec: wanted, counts, bytes }));
  return { root, counts, bytes, regenerated: true, ms: performance.now() - t0 };
}
