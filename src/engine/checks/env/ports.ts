import { z } from 'zod';
import type { RawFinding } from '../../model';
import type { DockerfileModel } from '../../parse/dockerfile';
import { containersOf, isObject, type K8sModel } from '../../parse/kubernetes';
import { workspaceCheck } from '../template';
import type { WorkspaceView } from '../../workspace';
import { declarationTarget, envContext, type EnvVar, ENV_SOURCE_KINDS } from './context';
import { applies, asInteger, finding, isPlaceholder, varsOf, WhenSchema } from './values';

/** Ports the deployment exposes: Dockerfile final-stage EXPOSE and Kubernetes containerPorts. */
export function exposedPorts(ws: WorkspaceView): { ports: Set<number>; sources: string[] } {
  const ports = new Set<number>();
  const sources: string[] = [];
  for (const f of ws.byKind<DockerfileModel>('dockerfile')) {
    for (const ins of f.model?.final?.instructions ?? []) {
      if (ins.keyword !== 'EXPOSE') continue;
      for (const tok of ins.args.split(/\s+/)) {
        const n = asInteger(tok.replace(/\/(tcp|udp)$/i, ''));
        if (n === undefined) continue;
        ports.add(n);
        sources.push(`${f.path} EXPOSE`);
      }
    }
  }
  for (const f of ws.byKind<K8sModel>('kubernetes')) {
    for (const obj of f.model?.objects ?? []) {
      for (const c of containersOf(obj)) {
        if (!Array.isArray(c.value.ports)) continue;
        for (const port of c.value.ports) {
          if (!isObject(port) || typeof port.containerPort !== 'number') continue;
          ports.add(port.containerPort);
          sources.push(`${f.path} containerPort`);
        }
      }
    }
  }
  return { ports, sources: [...new Set(sources)] };
}

function literalPorts(vars: EnvVar[]): { v: EnvVar; n: number | undefined }[] {
  return vars.filter((v) => v.value !== undefined && !isPlaceholder(v.value) && !v.nonProduction).map((v) => ({ v, n: asInteger(v.value!) }));
}

const PortParams = z.strictObject({
  key: z.string().default('PORT').describe('The port setting (A|B alternatives allowed).'),
  required: z.boolean().default(true),
  when: WhenSchema,
});

/** `env.port`: PORT is declared, numeric, and matches what the Dockerfile and Kubernetes expose. */
export const portCheck = workspaceCheck({
  id: 'env.port',
  description: 'PORT is declared as a number and matches the Dockerfile EXPOSE and Kubernetes containerPort.',
  params: PortParams,
  kinds: ENV_SOURCE_KINDS,
  run(ws, p) {
    const ctx = envContext(ws);
    if (!applies(ctx, p.when)) return undefined;
    const findings: RawFinding[] = [];
    const vars = varsOf(ctx, p.key);
    if (vars.length === 0) {
      const target = declarationTarget(ctx);
      if (p.required && target) findings.push({ ...target, message: `${p.key.split('|')[0]} is not declared in any env file`, data: { key: p.key.split('|')[0] } });
      return { findings };
    }
    const exposed = exposedPorts(ws);
    for (const { v, n } of literalPorts(vars)) {
      if (n === undefined || n < 1 || n > 65535) findings.push(finding(v, `${v.key} must be a port number (1-65535)`, true));
      else if (exposed.ports.size > 0 && !exposed.ports.has(n)) findings.push(finding(v, `${v.key} is ${n}, but the deployment exposes ${[...exposed.ports].join(', ')} (${exposed.sources.join('; ')})`, true));
    }
    return { findings };
  },
});

const MetricsParams = z.strictObject({
  key: z.string().default('METRICS_PORT'),
  port: z.string().default('PORT'),
});

/** `env.metrics-port`: an optional separate metrics port is numeric, differs from PORT and is exposed. */
export const metricsPortCheck = workspaceCheck({
  id: 'env.metrics-port',
  description: 'When METRICS_PORT is declared it is numeric, differs from PORT and is a containerPort.',
  params: MetricsParams,
  kinds: ENV_SOURCE_KINDS,
  run(ws, p) {
    const ctx = envContext(ws);
    if (!ctx.relevant) return undefined;
    const findings: RawFinding[] = [];
    const appPorts = new Set(literalPorts(varsOf(ctx, p.port)).map((x) => x.n));
    const k8sPorts = new Set<number>();
    for (const f of ws.byKind<K8sModel>('kubernetes')) for (const obj of f.model?.objects ?? []) for (const c of containersOf(obj)) if (Array.isArray(c.value.ports)) for (const port of c.value.ports) if (isObject(port) && typeof port.containerPort === 'number') k8sPorts.add(port.containerPort);
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
export const shutdownTimeoutCheck = workspaceCheck({
  id: 'env.shutdown-timeout',
  description: 'SHUTDOWN_TIMEOUT (ms) is declared and shorter than terminationGracePeriodSeconds of the Kubernetes workloads.',
  params: ShutdownParams,
  kinds: ENV_SOURCE_KINDS,
  run(ws, p) {
    const ctx = envContext(ws);
    if (!applies(ctx, p.when)) return undefined;
    const findings: RawFinding[] = [];
    const vars = varsOf(ctx, p.key);
    if (vars.length === 0) {
      const target = declarationTarget(ctx);
      if (p.required && target) findings.push({ ...target, message: `${p.key.split('|')[0]} (graceful shutdown timeout, ms) is not declared in any env file`, data: { key: p.key.split('|')[0] } });
      return { findings };
    }
    let grace: { seconds: number; where: string } | undefined;
    for (const f of ws.byKind<K8sModel>('kubernetes')) {
      for (const obj of f.model?.objects ?? []) {
        if (!obj.podSpec || obj.batch) continue;
        const s = typeof obj.podSpec.terminationGracePeriodSeconds === 'number' ? obj.podSpec.terminationGracePeriodSeconds : 30;
        if (!grace || s < grace.seconds) grace = { seconds: s, where: `${obj.ref} in ${f.path}` };
      }
    }
    for (const { v, n } of literalPorts(vars)) {
      if (n === undefined || n <= 0) findings.push(finding(v, `${v.key} must be a positive number of milliseconds`, true));
      else if (grace && n / 1000 >= grace.seconds) findings.push(finding(v, `${v.key} is ${n} ms, not shorter than terminationGracePeriodSeconds ${grace.seconds} of ${grace.where}: Kubernetes kills the pod before shutdown finishes`, true));
    }
    return { findings };
  },
});
