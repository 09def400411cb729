import { z } from 'zod';
import type { RawFinding } from '../../model';
import type { DockerfileModel } from '../../parse/dockerfile';
import { containersOf, isObject, type K8sModel } from '../../parse/kubernetes';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { Derived, sameList } from '../derived';
import { envCheck } from './check';
import type { EnvVar } from './context';
import { declarationTarget } from './target';
import { asInteger, finding, isPlaceholder, varsOf, WhenSchema } from './values';

interface PortPart {
  ports: number[];
  /** Where they come from (`path EXPOSE`, `path containerPort`), once per file and source. */
  source?: string;
}

const samePorts = (a: PortPart, b: PortPart) => a.source === b.source && sameList(a.ports, b.ports, (x, y) => x === y);

function dockerfilePorts(f: ParsedFile<DockerfileModel>): number[] {
  const ports: number[] = [];
  for (const ins of f.model?.final?.instructions ?? []) {
    if (ins.keyword !== 'EXPOSE') continue;
    for (const tok of ins.args.split(/\s+/)) {
      const n = asInteger(tok.replace(/\/(tcp|udp)$/i, ''));
      if (n !== undefined) ports.push(n);
    }
  }
  return ports;
}

function containerPorts(f: ParsedFile<K8sModel>): number[] {
  const ports: number[] = [];
  for (const obj of f.model?.objects ?? []) {
    for (const c of containersOf(obj)) {
      if (!Array.isArray(c.value.ports)) continue;
      for (const port of c.value.ports) if (isObject(port) && typeof port.containerPort === 'number') ports.push(port.containerPort);
    }
  }
  return ports;
}

export interface ExposedPorts {
  ports: Set<number>;
  sources: string[];
}

/** Ports the deployment exposes: Dockerfile final-stage EXPOSE and Kubernetes containerPorts. */
const exposed = new Derived<PortPart, ExposedPorts>({
  kinds: ['dockerfile', 'kubernetes'],
  part(f, kind) {
    const ports = kind === 'dockerfile' ? dockerfilePorts(f as ParsedFile<DockerfileModel>) : containerPorts(f as ParsedFile<K8sModel>);
    return { ports, source: ports.length ? `${f.path} ${kind === 'dockerfile' ? 'EXPOSE' : 'containerPort'}` : undefined };
  },
  equal: samePorts,
  build(parts) {
    const ports = new Set<number>();
    const sources = new Set<string>();
    for (const list of parts) {
      for (const p of list) {
        for (const n of p.ports) ports.add(n);
        if (p.source) sources.add(p.source);
      }
    }
    return { ports, sources: [...sources] };
  },
});

/** How many ports and sources a message names; a monorepo may expose hundreds. */
const NAMED = 8;

/** The first few of a list, then how many more. */
function someOf(items: readonly string[], sep: string): string {
  return items.length <= NAMED ? items.join(sep) : `${items.slice(0, NAMED).join(sep)}${sep}… ${items.length - NAMED} more`;
}

const exposedTexts = new WeakMap<ExposedPorts, string>();

/** "8080, 9090 (Dockerfile EXPOSE; k8s/app.yaml containerPort)", ports in ascending order; once per value. */
function exposedText(e: ExposedPorts): string {
  let text = exposedTexts.get(e);
  if (text === undefined) {
    const ports = [...e.ports].sort((a, b) => a - b).map(String);
    exposedTexts.set(e, (text = `${someOf(ports, ', ')} (${someOf(e.sources, '; ')})`));
  }
  return text;
}

export function exposedPorts(ws: WorkspaceView): ExposedPorts {
  return exposed.get(ws);
}

/** Every Kubernetes containerPort. */
const k8sPorts = new Derived<PortPart, { ports: Set<number> }>({
  kinds: ['kubernetes'],
  part: (f) => ({ ports: containerPorts(f as ParsedFile<K8sModel>) }),
  equal: samePorts,
  build: ([parts]) => ({ ports: new Set(parts.flatMap((p) => p.ports)) }),
});

interface Grace {
  /** The shortest terminationGracePeriodSeconds of a long-running workload, and where it is set. */
  min?: { seconds: number; where: string };
}

/** The shortest grace period per manifest, then over the workspace (the first file wins ties). */
const grace = new Derived<Grace, Grace>({
  kinds: ['kubernetes'],
  part(f) {
    let min: Grace['min'];
    for (const obj of (f as ParsedFile<K8sModel>).model?.objects ?? []) {
      if (!obj.podSpec || obj.batch) continue;
      const s = typeof obj.podSpec.terminationGracePeriodSeconds === 'number' ? obj.podSpec.terminationGracePeriodSeconds : 30;
      if (!min || s < min.seconds) min = { seconds: s, where: `${obj.ref} in ${f.path}` };
    }
    return { min };
  },
  equal: (a, b) => a.min?.seconds === b.min?.seconds && a.min?.where === b.min?.where,
  build([parts]) {
    let min: Grace['min'];
    for (const p of parts) if (p.min && (!min || p.min.seconds < min.seconds)) min = p.min;
    return { min };
  },
});

function literalPorts(vars: EnvVar[]): { v: EnvVar; n: number | undefined }[] {
  return vars.filter((v) => v.value !== undefined && !isPlaceholder(v.value) && !v.nonProduction).map((v) => ({ v, n: asInteger(v.value!) }));
}

const PortParams = z.strictObject({
  key: z.string().default('PORT').describe('The port setting (A|B alternatives allowed).'),
  required: z.boolean().default(true),
  when: WhenSchema,
});

/** `env.port`: PORT is declared, numeric, and matches what the Dockerfile and Kubernetes expose. */
export const portCheck = envCheck({
  id: 'env.port',
  description: 'PORT is declared as a number and matches the Dockerfile EXPOSE and Kubernetes containerPort.',
  params: PortParams,
  facts: exposedPorts,
  check(ctx, p, exposed) {
    const findings: RawFinding[] = [];
    const vars = varsOf(ctx, p.key);
    if (vars.length === 0) {
      const target = declarationTarget(ctx, false, p.key.split('|')[0], p.when);
      if (p.required && target) findings.push({ ...target, message: `${p.key.split('|')[0]} is not declared in any env file`, data: { key: p.key.split('|')[0] } });
      return { findings };
    }
    for (const { v, n } of literalPorts(vars)) {
      if (n === undefined || n < 1 || n > 65535) findings.push(finding(v, `${v.key} must be a port number (1-65535)`, true));
      else if (exposed.ports.size > 0 && !exposed.ports.has(n)) findings.push(finding(v, `${v.key} is ${n}, but the deployment exposes ${exposedText(exposed)}`, true));
    }
    return { findings };
  },
});

const MetricsParams = z.strictObject({
  key: z.string().default('METRICS_PORT'),
  port: z.string().default('PORT'),
});

/** `env.metrics-port`: an optional separate metrics port is numeric, differs from PORT and is exposed. */
export const metricsPortCheck = envCheck({
  id: 'env.metrics-port',
  description: 'When METRICS_PORT is declared it is numeric, differs from PORT and is a containerPort.',
  params: MetricsParams,
  applies: (ctx) => ctx.relevant,
  facts: (ws) => k8sPorts.get(ws),
  check(ctx, p, { ports: k8sPorts }) {
    const findings: RawFinding[] = [];
    const appPorts = new Set(literalPorts(varsOf(ctx, p.port)).map((x) => x.n));
    for (const { v, n } of literalPorts(varsOf(ctx, p.key))) {
      if (n === undefined || n < 1 || n > 65535) findings.push(finding(v, `${v.key} must be a port number (1-65535)`, true));
      else if (appPorts.has(n)) findings.push(finding(v, `${v.key} equals ${p.port}; drop it (metrics served on ${p.port}) or use a separate port`, true));
      else if (k8sPorts.size > 0 && !k8sPorts.has(n)) findings.push(finding(v, `${v.key} ${n} is not a containerPort of any Kubernetes container, so Prometheus cannot scrape it`, true));
    }
    return { findings };
  },
});

const ShutdownParams = z.strictObject({
  key: z.string().default('SHUTDOWN_TIMEOUT|GRACEFUL_SHUTDOWN_TIMEOUT|SHUTDOWN_TIMEOUT_MS'),
  required: z.boolean().default(true),
  when: WhenSchema,
});

/** `env.shutdown-timeout`: a graceful-shutdown timeout (ms) is declared and shorter than the pod's grace period. */
export const shutdownTimeoutCheck = envCheck({
  id: 'env.shutdown-timeout',
  description: 'SHUTDOWN_TIMEOUT (ms) is declared and shorter than terminationGracePeriodSeconds of the Kubernetes workloads.',
  params: ShutdownParams,
  facts: (ws) => grace.get(ws),
  check(ctx, p, facts) {
    const findings: RawFinding[] = [];
    const vars = varsOf(ctx, p.key);
    if (vars.length === 0) {
      const target = declarationTarget(ctx, false, p.key.split('|')[0], p.when);
      if (p.required && target) findings.push({ ...target, message: `${p.key.split('|')[0]} (graceful shutdown timeout, ms) is not declared in any env file`, data: { key: p.key.split('|')[0] } });
      return { findings };
    }
    const grace = facts.min;
    for (const { v, n } of literalPorts(vars)) {
      if (n === undefined || n <= 0) findings.push(finding(v, `${v.key} must be a positive number of milliseconds`, true));
      else if (grace && n / 1000 >= grace.seconds) findings.push(finding(v, `${v.key} is ${n} ms, not shorter than terminationGracePeriodSeconds ${grace.seconds} of ${grace.where}: Kubernetes kills the pod before shutdown finishes`, true));
    }
    return { findings };
  },
});
