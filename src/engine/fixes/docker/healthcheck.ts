import { z } from 'zod';
import { defineFix } from '../template';
import { baseImage, insertLines, kw, openDockerfile } from './common';

const Params = z.strictObject({
  path: z.string().startsWith('/').default('/health'),
  /** Port when the final stage exposes none (else the container's $PORT at run time, with defaultPort as fallback). */
  port: z.number().int().positive().optional(),
  defaultPort: z.number().int().positive().default(3000),
  /** Timings from the seeds' liveness probe. */
  interval: z.string().default('10s'),
  timeout: z.string().default('5s'),
  startPeriod: z.string().default('30s'),
  retries: z.number().int().positive().default(3),
});

export const addHealthcheck = defineFix({
  id: 'docker.add-healthcheck',
  description: 'Adds a HEALTHCHECK to the final stage that requests the health path on the exposed port, with a tool the base image has (node, python, wget or curl).',
  params: Params,
  compute({ text, finding, params }) {
    const t = openDockerfile(text);
    if ('declined' in t) return t;
    const stage = t.model.final!;
    const existing = stage.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    if (existing && !/^\s*none\s*$/i.test(existing.args)) return { declined: 'the final stage already has a HEALTHCHECK' };
    const env = new Map<string, string>();
    for (const i of stage.instructions) {
      if (i.keyword !== 'ENV' && i.keyword !== 'ARG') continue;
      for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)[= ]["']?(\d+)["']?/g)) env.set(m[1], m[2]);
    }
    let port: number | undefined;
    for (const i of stage.instructions.filter((x) => x.keyword === 'EXPOSE')) {
      for (const a of i.args.split(/\s+/)) {
        const v = a.replace(/\/(tcp|udp)$/i, '');
        const n = /^\d+$/.test(v) ? Number(v) : env.has(v.replace(/^\$\{?|\}$/g, '')) ? Number(env.get(v.replace(/^\$\{?|\}$/g, ''))) : undefined;
        if (n && !/\/udp$/i.test(a)) {
          port = n;
          break;
        }
      }
      if (port) break;
    }
    port ??= params.port ?? (env.has('PORT') ? Number(env.get('PORT')) : undefined);
    // no known port: the app's $PORT at run time, as the seeds' example does
    const shellUrl = port ? `http://localhost:${port}${params.path}` : `http://localhost:\${PORT:-${params.defaultPort}}${params.path}`;
    const base = baseImage(t, stage);
    let cmd: string;
    if (/distroless|chainguard|^scratch$/.test(base.name)) return { declined: `${base.name} has no shell or HTTP client for a HEALTHCHECK; rely on Kubernetes probes` };
    if (/(^|\/)node$/.test(base.name)) {
      const url = port ? `'${shellUrl}'` : `'http://localhost:'+(process.env.PORT||${params.defaultPort})+'${params.path}'`;
      cmd = `node -e "require('http').get(${url},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"`;
    } else if (/(^|\/)python$/.test(base.name)) {
      const url = port ? `'${shellUrl}'` : `'http://localhost:%s${params.path}' % os.environ.get('PORT', '${params.defaultPort}')`;
      cmd = `python -c "import os,sys,urllib.request; sys.exit(0 if urllib.request.urlopen(${url}, timeout=4).status == 200 else 1)"`;
    } else if (/alpine|busybox/.test(base.name + ':' + base.tag)) cmd = `wget -q -O /dev/null ${shellUrl} || exit 1`;
    else cmd = `curl -fsS ${shellUrl} || exit 1`;
    const line = `${kw(t, 'HEALTHCHECK')} --interval=${params.interval} --timeout=${params.timeout} --start-period=${params.startPeriod} --retries=${params.retries} ${kw(t, 'CMD')} ${cmd}`;
    const edit = existing ? { range: existing.range, newText: line } : insertLines(t, stage, [line]);
    return { title: `Add HEALTHCHECK on ${shellUrl}`, edits: [{ file: finding.file, edits: [edit] }] };
  },
});
