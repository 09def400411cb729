import { z } from 'zod';
import type { RawFinding } from '../../model';
import { getIn, isObject } from '../../parse/kubernetes';
import { fileCheck } from '../template';
import { containerCheck, containerFinding, describeContainer, findingAt, forEachPod, listField, mapField } from './common';
import { describeSelector, labelSelector, mapSelector, selectorMatches } from './selectors';

/** Kinds whose spec.selector must select their own pod template (apps/v1 requires it; batch/v1 generates one unless manualSelector). */
const SELECTED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout', 'Job']);
/** Kinds whose selector is a plain label map. */
const MAP_SELECTOR = new Set(['ReplicationController', 'DeploymentConfig']);

/** An apps/ workload without spec.selector: reported here (the schema check leaves that required field to this rule). */
export function missingSelectorIsOurs(obj: { kind: string; apiVersion: string }): boolean {
  return SELECTED.has(obj.kind) && obj.kind !== 'Job' && !MAP_SELECTOR.has(obj.kind) && obj.apiVersion.startsWith('apps/');
}

/** A workload's spec.selector matches the labels of its own pod template. */
export const selectorMatchesTemplate = fileCheck({
  id: 'k8s.selector-matches-template',
  description: "A workload's spec.selector is set where the API requires it and matches the labels of its own pod template.",
  params: z.strictObject({}),
  kinds: ['kubernetes'],
  reads: () => ['matchLabels'],
  run: (file) =>
    forEachPod(file, (ctx) => {
      const obj = ctx.obj;
      if (!SELECTED.has(obj.kind)) return undefined;
      const raw = getIn(obj.value, ['spec', 'selector']);
      const at = obj.base.concat('spec', 'selector');
      const sel = MAP_SELECTOR.has(obj.kind) ? mapSelector(raw) : labelSelector(raw);
      if (sel === undefined) return undefined;
      if (sel === null) {
        // Jobs get a generated selector; ReplicationControllers default to the template labels
        if (!missingSelectorIsOurs(obj)) return [];
        return [findingAt(ctx, obj.base.concat('spec'), `${obj.ref} has no spec.selector; ${obj.apiVersion} rejects it. Select the pod template labels.`)];
      }
      if (sel.reqs.length === 0) return [findingAt(ctx, at, `${obj.ref} has an empty spec.selector; it would claim every pod of the namespace. Select the pod template labels.`)];
      if (selectorMatches(sel, obj.podLabels)) return [];
      return [findingAt(ctx, at, `${obj.ref}: spec.selector (${describeSelector(sel)}) does not match its pod template labels (${Object.entries(obj.podLabels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}); the API rejects it, or the controller never sees its own pods.`)];
    }),
});

const PROBES = { livenessProbe: 'liveness', readinessProbe: 'readiness', startupProbe: 'startup' } as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

/** A probe's port (named or numbered) is a port the container declares (TCP). */
export const probePort = containerCheck({
  id: 'k8s.probe-port',
  description: 'A probe targets a port the container declares: a named port must exist, a number must be listed when the container lists its ports; UDP ports do not count.',
  params: z.strictObject({
    probe: z.enum(['livenessProbe', 'readinessProbe', 'startupProbe']),
  }),
  scope: () => ({ init: false }),
  check: (ctx, p) => {
    const probe = mapField(ctx.c.value, p.probe);
    const ports = listField(ctx.c.value, 'ports');
    if (probe === undefined || ports === undefined) return undefined;
    if (probe === null) return [];
    const names = new Set<string>();
    const numbers = new Set<number>();
    for (const port of ports ?? []) {
      if (!isObject(port) || (typeof port.protocol === 'string' && port.protocol !== 'TCP')) continue;
      if (typeof port.name === 'string') names.add(port.name);
      if (typeof port.containerPort === 'number') numbers.add(port.containerPort);
    }
    const out: RawFinding[] = [];
    for (const h of HANDLERS) {
      const handler = mapField(probe, h);
      if (!handler) continue;
      const port = handler.port;
      const missing = typeof port === 'string' && !/^\d+$/.test(port) ? !names.has(port) : typeof port === 'number' ? (ports?.length ?? 0) > 0 && !numbers.has(port) : false;
      if (missing) out.push(containerFinding(ctx, [p.probe, h, 'port'], `${describeContainer(ctx.c)} of ${ctx.obj.ref}: the ${PROBES[p.probe]} probe (${h}) targets port ${String(port)}, which the container does not declare as a TCP port; the probe ${typeof port === 'string' ? 'cannot resolve it' : 'may reach nothing'}.`));
    }
    return out;
  },
});

/** No environment variable name is given twice in one container. */
export const envUnique = containerCheck({
  id: 'k8s.env-unique',
  description: 'No container lists the same environment variable name twice in env (the last one silently wins).',
  params: z.strictObject({ includeInit: z.boolean().default(true) }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx) => {
    const env = listField(ctx.c.value, 'env');
    if (env === undefined) return undefined;
    const seen = new Map<string, number>();
    const out: RawFinding[] = [];
    (env ?? []).forEach((e, i) => {
      if (!isObject(e) || typeof e.name !== 'string') return;
      const first = seen.get(e.name);
      if (first === undefined) seen.set(e.name, i);
      else out.push(containerFinding(ctx, ['env', i, 'name'], `${describeContainer(ctx.c)} of ${ctx.obj.ref} sets ${e.name} twice (env[${first}] and env[${i}]); only the last value takes effect.`));
    });
    return out;
  },
});

/** What the API accepts as a port name (an IANA service name): 1 to 15 lower-case letters, digits and single inner dashes, at least one letter. */
export const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Every container port is one the API accepts: a containerPort from 1 to 65535, a valid name, and no name used
 * twice in the container (the API rejects the pod, so the rollout fails at apply time).
 */
export const containerPorts = containerCheck({
  id: 'k8s.container-ports',
  description: 'Every container port has a containerPort from 1 to 65535 and, when named, a valid name (at most 15 lower-case letters, digits and single inner dashes, with a letter) used once in the container.',
  params: z.strictObject({}),
  scope: () => ({ init: true }),
  check: (ctx) => {
    const ports = listField(ctx.c.value, 'ports');
    if (ports === undefined) return undefined;
    const out: RawFinding[] = [];
    const seen = new Map<string, number>();
    const who = `${describeContainer(ctx.c)} of ${ctx.obj.ref}`;
    (ports ?? []).forEach((port, i) => {
      if (!isObject(port)) return;
      const n = port.containerPort;
      if (n === undefined || n === null) out.push(containerFinding(ctx, ['ports', i], `${who}: ports[${i}] has no containerPort; the API rejects the pod.`));
      else if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) out.push(containerFinding(ctx, ['ports', i, 'containerPort'], `${who}: containerPort ${JSON.stringify(n)} is not a port number from 1 to 65535; the API rejects the pod.`));
      const name = port.name;
      if (name === undefined || name === null) return;
      if (typeof name !== 'string' || !PORT_NAME.test(name)) {
        out.push(containerFinding(ctx, ['ports', i, 'name'], `${who}: port name ${JSON.stringify(name)} is not valid; a port name has at most 15 lower-case letters, digits and single inner dashes, with at least one letter.`));
        return;
      }
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else out.push(containerFinding(ctx, ['ports', i, 'name'], `${who} names two ports "${name}" (ports[${first}] and ports[${i}]); the API rejects the pod, and a Service targetPort "${name}" could not tell them apart.`));
    });
    return out;
  },
});
