import { z } from 'zod';
import { defineFix } from '../template';
import { insertLines, kw, openDockerfile } from './common';
import { imageFacts } from './images';

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
  description: 'Adds a HEALTHCHECK to the final stage that requests the health path on the exposed port, with a tool the base image has (node, python, wget or curl); none where the image has none, or for Windows and distroless images.',
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
    const img = imageFacts(t, stage);
    if (img.family === 'windows') return { declined: `${img.image} is a Windows image; write its HEALTHCHECK by hand` };
    if (img.family === 'noShell') return { declined: `${img.image} has no shell or HTTP client for a HEALTHCHECK; rely on Kubernetes probes` };
    port ??= params.port ?? (env.has('PORT') ? Number(env.get('PORT')) : img.port);
    const tool = (['node', 'python', 'wget', 'curl'] as const).find((x) => img.tools.has(x));
    if (!tool) return { declined: `${img.image || 'the base image'} has no known HTTP client (curl, wget) or runtime for a HEALTHCHECK; install one or write it by hand` };
    // no known port: a Node app's $PORT at run time, as the seeds' example does; other servers need one
    if (!port && tool !== 'node') return { declined: 'the final stage exposes no port; add EXPOSE (or set the fix\'s port) first' };
    const shellUrl = port ? `http://localhost:${port}${params.path}` : `http://localhost:\${PORT:-${params.defaultPort}}${params.path}`;
    let cmd: string;
    if (tool === 'node') {
      const url = port ? `'${shellUrl}'` : `'http://localhost:'+(process.env.PORT||${params.defaultPort})+'${params.path}'`;
      cmd = `node -e "require('http').get(${url},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"`;
    } else if (tool === 'python') cmd = `python -c "import sys,urllib.request; sys.exit(0 if urllib.request.urlopen('${shellUrl}', timeout=4).status == 200 else 1)"`;
    else if (tool === 'wget') cmd = `wget -q -O /dev/null ${shellUrl} || exit 1`;
    else cmd = `curl -fsS ${shellUrl} || exit 1`;
    const line = `${kw(t, 'HEALTHCHECK')} --interval=${params.interval} --timeout=${params.timeout} --start-period=${params.startPeriod} --retries=${params.retries} ${kw(t, 'CMD')} ${cmd}`;
    const edit = existing ? { range: existing.range, newText: line } : insertLines(t, stage, [line]);
    return { title: `Add HEALTHCHECK on ${shellUrl}`, edits: [{ file: finding.file, edits: [edit] }] };
  },
});
