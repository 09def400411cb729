import { z } from 'zod';
import type { RawFinding } from '../../model';
import { isObject } from '../../parse/kubernetes';
import { fileCheck } from '../template';
import { containerCheck, containerFinding, describeContainer, findingAt, forEachPod, listField } from './common';

const WHY: Record<string, string> = {
  hostNetwork: "the host's network namespace (it can bind host ports and reach node-local services)",
  hostPID: "the host's process namespace (it can see and signal every process on the node)",
  hostIPC: "the host's IPC namespace (it can read other processes' shared memory)",
};

/** A pod-level host namespace flag is not true. Only the pod spec is needed (a pod without containers is still judged). */
export const podHostNamespace = fileCheck({
  id: 'k8s.pod-host-namespace',
  description: 'Pods do not share a host namespace: hostNetwork, hostPID or hostIPC is not true.',
  params: z.strictObject({
    field: z.enum(['hostNetwork', 'hostPID', 'hostIPC']),
  }),
  kinds: ['kubernetes'],
  run: (file, p) =>
    forEachPod(file, (ctx, podSpec) => {
      const v = podSpec[p.field];
      if (v !== true) return v === undefined || v === null || typeof v === 'boolean' ? [] : undefined;
      return [findingAt(ctx, ctx.obj.podSpecPath!.concat(p.field), `${ctx.obj.ref} sets ${p.field}: true and shares ${WHY[p.field]}.`, { data: { replace: [p.field], value: false } })];
    }),
});

/** No container port is bound on the node (ports[].hostPort). */
export const hostPort = containerCheck({
  id: 'k8s.host-port',
  description: 'No container binds a port on the node (ports[].hostPort); use a Service instead.',
  params: z.strictObject({
    includeInit: z.boolean().default(true),
  }),
  scope: (p) => ({ init: p.includeInit }),
  check: (ctx) => {
    const ports = listField(ctx.c.value, 'ports');
    if (ports === undefined) return undefined;
    const out: RawFinding[] = [];
    (ports ?? []).forEach((port, i) => {
      if (!isObject(port)) return;
      const hp = port.hostPort;
      if (hp === undefined || hp === null || hp === 0) return;
      out.push(containerFinding(ctx, ['ports', i, 'hostPort'], `${describeContainer(ctx.c)} of ${ctx.obj.ref} binds hostPort ${String(hp)} on the node; it limits scheduling to one pod per node and bypasses network policy. Expose it with a Service.`));
    });
    return out;
  },
});
