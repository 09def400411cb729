// One measurement per process, so that peak RSS and cold start are honest. `npm run bench` bundles this
// file with esbuild (like the shipped CLI) and runs it as: node child.js <mode> <json options>.
// It prints one JSON line on stdout.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { parseFile } from '../../src/engine/parse';
import type { ParsedFile, SourceFile } from '../../src/engine/workspace';
import { loadSetup, readSources, scanFolder } from '../../src/node/host';
import { walk } from '../../src/node/walk';

interface Options {
  root: string;
  edits?: number;
  lintersDir?: string;
  passes?: number;
  /** Passes run before the measured ones (module initialisation, JIT, heap sizing). */
  warmup?: number;
  /** `dockerfiles`: measure this tool only (the bench runs each tool in a process of its own). */
  tool?: string;
  /** `scan`: write the audited files here (`{ abs, kind }` each), for the raw-parse bound (raw.ts). */
  list?: string;
}

const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;
const bytesOf = (texts: Iterable<string>): number => {
  let n = 0;
  for (const t of texts) n += Buffer.byteLength(t);
  return n;
};

async function discover(o: Options) {
  const t0 = performance.now();
  const { files } = await walk(o.root);
  const ms = performance.now() - t0;
  const kinds: Record<string, number> = {};
  for (const f of files) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  return { ms, candidates: files.length, kinds, inNodeModules: files.filter((f) => f.path.split('/').includes('node_modules')).length };
}

async function scan(o: Options) {
  const t0 = performance.now();
  const { result, engine } = await scanFolder(o.root);
  const ms = performance.now() - t0;
  const paths = engine.paths;
  if (o.list) writeFileSync(o.list, JSON.stringify(paths.map((p) => ({ abs: path.join(o.root, p), kind: engine.file(p)!.kind }))));
  return {
    ms,
    files: paths.length,
    bytes: bytesOf(paths.map((p) => engine.file(p)!.text)),
    findings: result.findings.length,
    items: result.items.length,
    problems: result.problems.length,
    inNodeModules: paths.filter((p) => p.split('/').includes('node_modules')).length,
    maxRssMb: maxRssMb(),
  };
}

/** The lower bound: the same walk and reads, every file parsed once, no checks and no audit. */
async function parseOnly(o: Options) {
  const { config } = await loadSetup(o.root);
  const t0 = performance.now();
  const { sources } = await readSources(o.root, config);
  const parsed: ParsedFile[] = sources.map((s) => parseFile(s));
  const ms = performance.now() - t0;
  return { ms, files: parsed.length, bytes: bytesOf(sources.map((s) => s.text)), maxRssMb: maxRssMb() };
}

/** A full scan, then N edits of one manifest each, re-audited the way the editor does it (text in memory). */
async function incremental(o: Options) {
  const t0 = performance.now();
  const { engine } = await scanFolder(o.root);
  const scanMs = performance.now() - t0;
  const manifests = engine.paths.filter((p) => engine.file(p)!.kind === 'kubernetes').sort();
  const samples: number[] = [];
  /** The process's CPU time per edit (all its threads): less sensitive than wall time to other work on the machine. */
  const cpuSamples: number[] = [];
  const n = o.edits ?? 50;
  let findings = 0;
  for (let k = 0; k < n && manifests.length > 0; k++) {
    const file = engine.file(manifests[(k * 37) % manifests.length])!;
    const text = file.text.replace(/replicas: \d+/, `replicas: ${(k % 7) + 1}`).replace(/image: \S+/, k % 2 ? 'image: nginx:latest' : 'image: nginx:1.27.3') + `# edit ${k}\n`;
    const src: SourceFile = { path: file.path, kind: file.kind, text };
    const s = performance.now();
    const c = process.cpuUsage();
    engine.upsert(src);
    const result = engine.audit();
    samples.push(performance.now() - s);
    const used = process.cpuUsage(c);
    cpuSamples.push((used.user + used.system) / 1000);
    findings = result.findings.length;
  }
  return { scanMs, samples, cpuSamples, findings, maxRssMb: maxRssMb() };
}

/**
 * Where an in-process audit's time goes by check template: every file's parse first, then one audit with each
 * template's `run` timed (wall time, `performance.now()`: a clock read per call costs far less than the CPU time
 * of the process). A workspace check's time includes the values it builds that later checks share.
 */
async function templates(o: Options) {
  const { config, checklists } = await loadSetup(o.root);
  const { sources } = await readSources(o.root, config);
  const engine = new Engine(checklists, config, o.root);
  for (const s of sources) engine.upsert(s);
  const byTemplate = new Map<string, { items: number; calls: number; findings: number; ms: number }>();
  const wrapped = new Set<object>();
  for (const ri of engine.resolvedItems) {
    const t = ri.template;
    if (!t) continue;
    const key = `${t.scope === 'file' ? 'file' : 'workspace'} ${t.id}`;
    const row = byTemplate.get(key) ?? { items: 0, calls: 0, findings: 0, ms: 0 };
    row.items++;
    byTemplate.set(key, row);
    if (wrapped.has(t)) continue;
    wrapped.add(t);
    const run = t.run as (...a: unknown[]) => { findings?: unknown[] } | undefined;
    (t as { run: unknown }).run = (...a: unknown[]) => {
      const s = performance.now();
      const out = run(...a);
      row.ms += performance.now() - s;
      row.calls++;
      row.findings += out?.findings?.length ?? 0;
      return out;
    };
  }
  const c = process.cpuUsage();
  const s = performance.now();
  const result = engine.audit();
  const auditMs = performance.now() - s;
  const used = process.cpuUsage(c);
  const rows = [...byTemplate].map(([template, r]) => ({ template, ...r })).sort((a, b) => b.ms - a.ms);
  return { auditMs, auditCpuMs: (used.user + used.system) / 1000, findings: result.findings.length, rows };
}

interface Tool {
  name: string;
  /** Lints every file once; returns the number of findings. */
  pass(files: { abs: string; text: string }[]): number;
}

/** Per-Dockerfile speed on the same texts: Shipshape (parse + every Dockerfile check + audit) and the npm linters. */
async function dockerfiles(o: Options) {
  const { config, checklists } = await loadSetup(o.root);
  const { sources } = await readSources(o.root, config);
  const files = sources.filter((s) => s.kind === 'dockerfile').map((s) => ({ abs: path.join(o.root, s.path), text: s.text, path: s.path }));
  // The Dockerfile rules (the built-in `dockerfile` checklist), as the linters run only theirs.
  const dockerChecklists = checklists.filter((c) => c.id === 'dockerfile');
  const rules = new Engine(dockerChecklists, config).resolvedItems.length;
  const tools: Tool[] = [
    {
      name: 'shipshape',
      pass(list) {
        const engine = new Engine(dockerChecklists, config, o.root);
        for (const f of list as typeof files) engine.upsert({ path: f.path, kind: 'dockerfile', text: f.text });
        return engine.audit().findings.length;
      },
    },
  ];
  if (o.lintersDir) {
    const req = createRequire(path.join(o.lintersDir, 'package.json'));
    const utils = req('dockerfile-utils') as { validate(content: string): unknown[] };
    const lint = req('dockerfilelint') as { run(configDir: string, content: string): unknown[] };
    tools.push({ name: 'dockerfile-utils', pass: (list) => list.reduce((n, f) => n + utils.validate(f.text).length, 0) });
    // dockerfilelint looks for a .dockerfilelintrc in the folder it is given, as its CLI does per file.
    tools.push({ name: 'dockerfilelint', pass: (list) => list.reduce((n, f) => n + lint.run(path.dirname(f.abs), f.text).length, 0) });
  }
  const passes = o.passes ?? 3;
  const out: Record<string, { msPerFile: number; findings: number; passesMs: number[]; cpuPassesMs: number[] }> = {};
  for (const tool of tools) {
    if (o.tool !== undefined && tool.name !== o.tool) continue;
    // warm-up, the same for every tool: module initialisation, JIT and heap sizing on the very texts measured
    for (let w = 0; w < (o.warmup ?? 2); w++) tool.pass(files);
    const times: number[] = [];
    // the process's CPU time per pass (all its threads, the collector's included): steadier than wall time on a shared machine
    const cpuTimes: number[] = [];
    let findings = 0;
    for (let p = 0; p < passes; p++) {
      const c = process.cpuUsage();
      const s = performance.now();
      findings = tool.pass(files);
      times.push(performance.now() - s);
      const used = process.cpuUsage(c);
      cpuTimes.push((used.user + used.system) / 1000);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
    out[tool.name] = { msPerFile: median / Math.max(1, files.length), findings, passesMs: times, cpuPassesMs: cpuTimes };
  }
  return { files: files.length, rules, tools: out };
}

const MODES: Record<string, (o: Options) => Promise<unknown>> = { discover, scan, parse: parseOnly, incremental, dockerfiles, templates };

async function main(): Promise<void> {
  const [mode, json] = process.argv.slice(2);
  const run = MODES[mode];
  if (!run) throw new Error(`unknown mode ${mode}`);
  const result = await run(JSON.parse(json) as Options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
