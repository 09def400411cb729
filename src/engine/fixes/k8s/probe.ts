import { z } from 'zod';
import { isObject, type JsonObject } from '../../parse/kubernetes';
import { defineFix } from '../template';
import type { PlainObject } from '../yamlEdit';
import { locateK8s, perContainer } from './common';

/** Timings from the seed checklists (seed 001's probe block); startup follows the Kubernetes docs' example. */
const TIMINGS: Record<Kind, PlainObject> = {
  liveness: { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
  readiness: { initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, successThreshold: 1, failureThreshold: 3 },
  startup: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
};
type Kind = 'liveness' | 'readiness' | 'startup';
const HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc'];

const NOT_HTTP_NAME = /grpc|tcp|udp|redis|postgres|pg|mysql|maria|mongo|amqp|kafka|zookeeper|zk|dns|smtp|imap|memcache|nats|jdbc|ldap|ssh|sql|db|cql|mqtt|raft|gossip|cluster|peer/i;
const HTTP_NAME = /http|web|api|rest|ui|app|server|metrics|health/i;
const APP_NAME = /^https?$|http|web|api|app|server|rest|ui/i;
const NOT_HTTP_PORT = new Set([21, 22, 25, 53, 110, 143, 389, 1433, 1521, 2181, 2379, 2380, 3306, 4222, 5432, 5672, 6379, 6380, 7000, 7001, 9042, 9092, 9093, 9300, 11211, 15672, 26379, 27017, 50051]);

export interface PortChoice {
  port: string | number;
  http: boolean;
}

/** The port a probe should use: an HTTP port (named preferred), else any TCP port for tcpSocket. */
export function choosePort(container: JsonObject): PortChoice | undefined {
  const ports = (Array.isArray(container.ports) ? container.ports : []).filter(isObject).filter((p) => p.protocol === undefined || p.protocol === 'TCP');
  const numbered = ports.filter((p) => typeof p.containerPort === 'number' || (typeof p.containerPort === 'string' && /^\d+$/.test(p.containerPort)));
  const isHttp = (p: JsonObject): boolean => {
    const name = typeof p.name === 'string' ? p.name : '';
    if (name && NOT_HTTP_NAME.test(name) && !HTTP_NAME.test(name)) return false;
    if (name && HTTP_NAME.test(name)) return true;
    return !NOT_HTTP_PORT.has(Number(p.containerPort));
  };
  const http = numbered.filter(isHttp);
  // the app's own port first (http, web, api…), then other named ports, metrics/health ports, unnamed ones
  const rank = (p: JsonObject): number => {
    const name = typeof p.name === 'string' ? p.name : '';
    if (!name) return 3;
    if (/metrics|health|admin|debug|prom/i.test(name)) return 2;
    return APP_NAME.test(name) ? 0 : 1;
  };
  const pick = (list: JsonObject[]): string | number | undefined => {
    const best = [...list].sort((a, b) => rank(a) - rank(b))[0];
    if (!best) return undefined;
    return typeof best.name === 'string' && best.name ? best.name : Number(best.containerPort);
  };
  const h = pick(http);
  if (h !== undefined) return { port: h, http: true };
  const t = pick(numbered);
  return t === undefined ? undefined : { port: t, http: false };
}

const Params = z.strictObject({
  probe: z.enum(['liveness', 'readiness', 'startup']).default('liveness'),
  /** HTTP path probed; default from the seeds' simplest form. */
  path: z.string().startsWith('/').default('/health'),
  /** Port to use when the container declares none. */
  port: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
  initialDelaySeconds: z.number().int().nonnegative().optional(),
  periodSeconds: z.number().int().positive().optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  successThreshold: z.number().int().positive().optional(),
  failureThreshold: z.number().int().positive().optional(),
});

export const insertProbe = defineFix({
  id: 'k8s.insert-probe',
  description: 'Adds a liveness, readiness or startup probe: httpGet on the container’s HTTP port (named port preferred), tcpSocket when it has no HTTP port.',
  params: Params,
  compute({ text, finding, params, yaml }) {
    const t = locateK8s(text, finding, yaml);
    if ('declined' in t) return t;
    const key = `${params.probe}Probe`;
    const used: string[] = [];
    const r = perContainer(t.containers, (c) => {
      const existing = c.value[key];
      const handlerless = isObject(existing) && !HANDLERS.some((h) => existing[h] !== undefined && existing[h] !== null);
      if (existing !== undefined && existing !== null && !handlerless) return undefined;
      const choice = choosePort(c.value) ?? (params.port !== undefined ? { port: params.port, http: true } : undefined);
      if (!choice) return { declined: `container "${c.name}" declares no port; add a containerPort (or set the fix's port) first` };
      const timings: PlainObject = { ...TIMINGS[params.probe] };
      for (const k of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const) {
        if (params[k] !== undefined) timings[k] = params[k];
      }
      if (params.probe === 'liveness' && timings.successThreshold !== undefined && timings.successThreshold !== 1) delete timings.successThreshold;
      const action: PlainObject = choice.http ? { httpGet: { path: params.path, port: choice.port } } : { tcpSocket: { port: choice.port } };
      used.push(choice.http ? `httpGet ${params.path} on port ${choice.port}` : `tcpSocket on port ${choice.port}`);
      // a probe without a handler gets one; its own timings stay
      if (handlerless) return t.ed.insert(c.docIndex, [...c.path, key], action, { first: true });
      // `livenessProbe:` with no value: filled in place, never a second key
      if (existing === null) return t.ed.insert(c.docIndex, [...c.path, key], { ...action, ...timings });
      return t.ed.insert(c.docIndex, c.path, { [key]: { ...action, ...timings } });
    });
    if ('declined' in r) return r;
    if (r.edits.length === 0) return { declined: `every container already has a ${key}` };
    return { title: `Add ${key} (${[...new Set(used)].join('; ')})`, edits: [{ file: finding.file, edits: r.edits }] };
  },
});
