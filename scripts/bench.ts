// `npm run bench`: generates a deterministic synthetic monorepo and prints how fast Shipshape scans it.
// Usage: npm run bench -- [--manifests 2000] [--docs 3] [--dockerfiles 1000] [--packages 500] [--envs 500]
//          [--decoy 20000] [--seed 7] [--runs 5] [--edits 50] [--out bench-out] [--no-linters] [--json FILE]
//          [--only dockerfiles|incremental|templates] (the per-Dockerfile comparison, the incremental re-audits, or an
//          in-process audit's time by check template, alone, on the same generated repository)
// Every number comes from fresh child processes (see scripts/bench/child.ts); nothing here is a test.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { writeChecklistCache } from '../src/node/checklistCache';
import { DEFAULT_SPEC, generateRepo, type RepoSpec } from './bench/generate';
import { buildId } from './buildId.mjs';
import { zodTrimmed } from './zodTrimmed.mjs';
import { buildProductionBundles, installLinters, median, percentile, REPO, runChild, timeProcess } from './bench/tools';

const { values: args } = parseArgs({
  options: {
    manifests: { type: 'string' },
    docs: { type: 'string' },
    dockerfiles: { type: 'string' },
    packages: { type: 'string' },
    envs: { type: 'string' },
    decoy: { type: 'string' },
    seed: { type: 'string' },
    runs: { type: 'string', default: '5' },
    edits: { type: 'string', default: '50' },
    out: { type: 'string', default: path.join(REPO, 'bench-out') },
    'no-linters': { type: 'boolean', default: false },
    json: { type: 'string' },
    only: { type: 'string' },
  },
});

const int = (v: string | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${v}"`);
  return n;
};

interface ScanRun {
  ms: number;
  files: number;
  bytes: number;
  findings: number;
  items: number;
  problems: number;
  inNodeModules: number;
  maxRssMb: number;
}
interface ParseRun {
  ms: number;
  files: number;
  bytes: number;
  maxRssMb: number;
}
interface DiscoverRun {
  ms: number;
  candidates: number;
  inNodeModules: number;
}
interface IncrementalRun {
  scanMs: number;
  samples: number[];
  /** The process's CPU time per edit. */
  cpuSamples: number[];
  maxRssMb: number;
}
interface DockerRun {
  files: number;
  rules: number;
  tools: Record<string, { msPerFile: number; findings: number; passesMs: number[]; cpuPassesMs?: number[] }>;
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
const mark = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
/** A tool's time over Shipshape's, in words. */
const speed = (ratio: number): string => (ratio >= 1 ? `${ratio.toFixed(2)}× faster` : `${(1 / ratio).toFixed(2)}× slower`);

/**
 * Per-file times of tens of microseconds: each tool in a process of its own (no tool pays for another's
 * garbage), warmed up until its heap and JIT have settled, then the median of many passes. Prints its section.
 */
/** The incremental re-audits alone: one fresh process per run, each a full scan then the edits; prints each run and all samples together. */
function incrementalRuns(childJs: string, root: string, runs: number, edits: number): void {
  const all: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const inc = runChild<IncrementalRun>(childJs, 'incremental', { root, edits });
    all.push(...inc.samples);
    cpu.push(...inc.cpuSamples);
    console.log(`incremental    run ${r + 1}: median ${fmt(median(inc.samples))}, p95 ${fmt(percentile(inc.samples, 95))} over ${inc.samples.length} edits of one manifest (upsert + audit; CPU median ${fmt(median(inc.cpuSamples))}); scan ${fmt(inc.scanMs)}`);
  }
  console.log(`incremental    all runs: median ${fmt(median(all))}, p95 ${fmt(percentile(all, 95))} over ${all.length} edits; CPU per edit median ${fmt(median(cpu))}, p95 ${fmt(percentile(cpu, 95))}`);
}

interface TemplateRun {
  auditMs: number;
  auditCpuMs: number;
  findings: number;
  rows: { template: string; items: number; calls: number; findings: number; ms: number }[];
}

/** An in-process audit's time by check template: one fresh process per run, the templates in order of their median time. */
function templateRuns(childJs: string, root: string, runs: number): void {
  const all: TemplateRun[] = [];
  for (let r = 0; r < runs; r++) all.push(runChild<TemplateRun>(childJs, 'templates', { root }));
  const auditMs = median(all.map((t) => t.auditMs));
  console.log(`audit (in process, after every file's parse): median ${fmt(auditMs)} wall, CPU ${fmt(median(all.map((t) => t.auditCpuMs)))}, ${all[0].findings} findings; ${runs} process${runs === 1 ? '' : 'es'}`);
  const rows = all[0].rows.map((row) => ({ ...row, ms: median(all.map((t) => t.rows.find((x) => x.template === row.template)?.ms ?? 0)) })).sort((a, b) => b.ms - a.ms);
  const inTemplates = rows.reduce((n, row) => n + row.ms, 0);
  console.log(`in the templates' runs ${fmt(inTemplates)} (${((inTemplates / auditMs) * 100).toFixed(0)}%); the rest is stamping, suppressions, assembly and report order`);
  for (const row of rows.slice(0, 25)) console.log(`  ${fmt(row.ms).padStart(9)} ${((row.ms / auditMs) * 100).toFixed(1).padStart(5)}%  ${row.template} (${row.items} item${row.items === 1 ? '' : 's'}, ${row.calls} runs, ${row.findings} findings)`);
}

function perDockerfile(childJs: string, root: string, out: string, runs: number): { docker: DockerRun; speedups: Map<string, number[]> } {
  const dockerWarmup = 10;
  const dockerPasses = 10;
  const dockerProcesses = Math.max(runs, 3);
  let lintersDir: string | undefined;
  let linterNote = 'skipped (--no-linters)';
  if (!args['no-linters']) {
    const dir = path.join(out, 'linters');
    const inst = installLinters(dir);
    linterNote = inst.ok ? Object.entries(inst.versions).map(([n, v]) => `${n}@${v}`).join(', ') : inst.message;
    if (inst.ok) lintersDir = dir;
  }
  const toolNames = ['shipshape', ...(lintersDir ? ['dockerfile-utils', 'dockerfilelint'] : [])];
  // the processes of the tools take turns, so a slow spell of a shared machine falls on every tool alike
  const samples = new Map<string, DockerRun[]>(toolNames.map((t) => [t, []]));
  for (let r = 0; r < dockerProcesses; r++) {
    // a process loads only the tool it measures (Shipshape's does not hold the linters' modules)
    for (const tool of toolNames) samples.get(tool)!.push(runChild<DockerRun>(childJs, 'dockerfiles', { root, lintersDir: tool === 'shipshape' ? undefined : lintersDir, passes: dockerPasses, warmup: dockerWarmup, tool }));
  }
  const first = samples.get('shipshape')![0];
  const docker: DockerRun = { files: first.files, rules: first.rules, tools: {} };
  for (const [tool, rs] of samples) {
    const passesMs = rs.flatMap((r) => r.tools[tool].passesMs);
    const cpuPassesMs = rs.flatMap((r) => r.tools[tool].cpuPassesMs ?? []);
    docker.tools[tool] = { msPerFile: median(passesMs) / Math.max(1, first.files), findings: rs[0].tools[tool].findings, passesMs, cpuPassesMs };
  }
  // As for scan/bound: each round's processes run back to back, so a round's ratio sees one state of the
  // machine; the median of the rounds' ratios is the figure judged.
  const roundMedian = (tool: string, r: number) => median(samples.get(tool)![r].tools[tool].passesMs);
  const speedups = new Map<string, number[]>();
  for (const name of toolNames.filter((n) => n !== 'shipshape')) speedups.set(name, samples.get(name)!.map((_, r) => roundMedian(name, r) / roundMedian('shipshape', r)));
  console.log(`\nper Dockerfile (${docker.files} files, same texts; each tool in ${dockerProcesses} processes of its own, taking turns: median of ${dockerProcesses * dockerPasses} passes, ${dockerPasses} per process after ${dockerWarmup} warm-up passes; linters: ${linterNote})`);
  for (const [name, t] of Object.entries(docker.tools)) {
    const rounds = speedups.get(name);
    const vs = name === 'shipshape' ? ` (parse + ${docker.rules} Dockerfile checklist rules + audit)` : `  → Shipshape is ${speed(median(rounds!))} (median of the rounds' own ratios: ${rounds!.map((x) => x.toFixed(2)).join(', ')})`;
    const cpu = t.cpuPassesMs?.length ? `, CPU ${((median(t.cpuPassesMs) / Math.max(1, docker.files)) * 1000).toFixed(0)} µs/file` : '';
    console.log(`  ${name.padEnd(17)} ${(t.msPerFile * 1000).toFixed(0).padStart(6)} µs/file${cpu}, ${t.findings} findings${vs}`);
  }

  return { docker, speedups };
}

async function main(): Promise<void> {
  const spec: RepoSpec = {
    manifests: int(args.manifests, DEFAULT_SPEC.manifests),
    docs: Math.max(1, int(args.docs, DEFAULT_SPEC.docs)),
    dockerfiles: int(args.dockerfiles, DEFAULT_SPEC.dockerfiles),
    packages: int(args.packages, DEFAULT_SPEC.packages),
    envs: int(args.envs, DEFAULT_SPEC.envs),
    decoy: int(args.decoy, DEFAULT_SPEC.decoy),
    seed: int(args.seed, DEFAULT_SPEC.seed),
  };
  const runs = Math.max(1, int(args.runs, 5));
  const edits = Math.max(1, int(args.edits, 50));
  const out = path.resolve(args.out ?? 'bench-out');
  mkdirSync(out, { recursive: true });
  const root = path.join(out, 'repo');

  const gen = generateRepo(root, spec);
  const c = gen.counts;
  // the ratios depend on how many cores the process has to itself (V8 optimises and collects on other threads)
  const machine = { cores: os.availableParallelism(), load: os.loadavg()[0] };
  console.log(`Shipshape benchmark — node ${process.version}, ${process.platform}/${process.arch}, ${machine.cores} cores, load ${machine.load.toFixed(2)} at start`);
  console.log(`repo      ${path.relative(process.cwd(), root) || root} (${gen.regenerated ? `generated in ${fmt(gen.ms)}` : 'reused'}): ${c.kubernetes ?? 0} manifests × ${spec.docs} docs, ${c.dockerfile ?? 0} Dockerfiles, ${c.packageJson ?? 0} package.json, ${c.env ?? 0} env, ${c.dockerignore ?? 0} .dockerignore, ${c.yamlNotKubernetes ?? 0} non-Kubernetes YAML, ${c.decoy ?? 0} node_modules decoys; ${(gen.bytes / 1e6).toFixed(1)} MB in all`);

  // as `npm run build` does: runs load the built-in checklists from it, the bundles below (of this build) without validating them
  const build = buildId(path.join(REPO, 'src'));
  writeChecklistCache(path.join(REPO, 'checklists'), build);
  // The measured code is bundled like the shipped CLI, so tsx's on-the-fly compilation is not timed.
  const childJs = path.join(REPO, 'bench-out', 'child.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, 'bench', 'child.ts')], outfile: childJs, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', define: { __SHIPSHAPE_VERSION__: '"bench"', __SHIPSHAPE_BUILD__: JSON.stringify(build) }, plugins: [zodTrimmed] });

  if (args.only !== undefined) {
    if (args.only !== 'dockerfiles' && args.only !== 'incremental' && args.only !== 'templates') throw new Error(`--only takes dockerfiles, incremental or templates, got "${args.only}"`);
    if (args.only === 'dockerfiles') perDockerfile(childJs, root, out, runs);
    else if (args.only === 'templates') templateRuns(childJs, root, runs);
    else incrementalRuns(childJs, root, runs, edits);
    console.log(`load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at end`);
    return;
  }

  // The shipped CLI, built and minified as `npm run package` does (its bundle sizes are reported below).
  const cliJs = path.join(REPO, 'bench-out', 'dist', 'cli.js');
  const bundle = buildProductionBundles(cliJs);
  if (bundle.error) throw new Error(`production build failed: ${bundle.error}`);
  // The bound parses the very files a scan audits: an in-process scan (which also gives the counts and peak RSS) lists them.
  const listJson = path.join(out, 'files.json');
  const scanOutput = path.join(out, 'scan.json');
  const inProcess = runChild<ScanRun>(childJs, 'scan', { root, list: listJson });
  const rawJs = path.join(REPO, 'bench-out', 'raw.js');
  await esbuild.build({ entryPoints: [path.join(__dirname, 'bench', 'raw.ts')], outfile: rawJs, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'warning' });

  const discover: DiscoverRun[] = [];
  const raw: number[] = [];
  const cli: number[] = [];
  // A run times the raw parse, the CLI's scan, the scan again and the raw parse again (each a fresh process,
  // timed from its start to its exit), and its ratio is the sum of its scans over the sum of its bounds: a
  // machine whose speed drifts during the run (it may be shared) weighs on both halves alike.
  const runRatios: number[] = [];
  const rawParse = () => timeProcess([rawJs, listJson]).ms;
  const cliArgs = [cliJs, 'scan', root, '--format', 'json', '--output', scanOutput, '--fail-on', 'never'];
  const cliScan = () => timeProcess(cliArgs).ms;
  for (let i = 0; i < runs; i++) {
    discover.push(runChild<DiscoverRun>(childJs, 'discover', { root }));
    const p1 = rawParse();
    const s1 = cliScan();
    const s2 = cliScan();
    const p2 = rawParse();
    raw.push(p1, p2);
    cli.push(s1, s2);
    runRatios.push((s1 + s2) / (p1 + p2));
  }
  // for the record: one more CLI scan with the phase timer on (src/node/phases.ts), its CPU time per phase
  const phases = [...timeProcess(cliArgs, { SHIPSHAPE_PHASES: '1' }).stderr.matchAll(/^phase (\S+) +wall +(\d+) ms +cpu +(\d+) ms$/gm)].map((m) => ({ phase: m[1], wallMs: Number(m[2]), cpuMs: Number(m[3]) }));
  // for the record: Shipshape's own parse layer (walk, read, parse into its models) on the same files, in process
  const parseLayer = runChild<ParseRun>(childJs, 'parse', { root });
  const inc = runChild<IncrementalRun>(childJs, 'incremental', { root, edits });

  const discoverMs = median(discover.map((r) => r.ms));
  const rawMs = median(raw);
  const scanMs = median(cli);
  const s0 = inProcess;
  const peakRss = inProcess.maxRssMb;
  const incMedian = median(inc.samples);
  const incP95 = percentile(inc.samples, 95);
  // the median of the runs' own ratios is the figure judged
  const ratio = median(runRatios);

  console.log(`\n${runs === 1 ? '1 run' : `${runs} runs, each`} of raw parse, CLI scan, CLI scan, raw parse in fresh processes timed from start to exit; times are medians of all ${runs * 2} processes of a kind`);
  console.log(`discovery      ${fmt(discoverMs)}  (${discover[0].candidates} candidate files; ${discover[0].inNodeModules} under node_modules)`);
  console.log(`CLI scan       ${fmt(scanMs)}  \`shipshape scan --format json --output\`: ${s0.files} files, ${(s0.bytes / 1e6).toFixed(1)} MB → ${Math.round(s0.files / (scanMs / 1000))} files/s, ${(s0.bytes / 1e6 / (scanMs / 1000)).toFixed(1)} MB/s; ${s0.items} items, ${s0.findings} findings, ${s0.problems} problems; ${s0.inNodeModules} files read under node_modules`);
  console.log(`raw parse      ${fmt(rawMs)}  (the same files read and parsed by yaml, dockerfile-ast and JSON.parse alone, one process)`);
  console.log(`scan / raw     ${ratio.toFixed(2)}×  (median of the runs' own ratios: ${runRatios.map((r) => r.toFixed(2)).join(', ')}; ratio of the medians ${(scanMs / rawMs).toFixed(2)}×)`);
  console.log(`CLI phases     CPU ${phases.map((p) => `${p.phase} ${fmt(p.cpuMs)}`).join(', ')} (one more scan, SHIPSHAPE_PHASES=1)`);
  console.log(`in process     scan ${fmt(inProcess.ms)} (walk, read, parse, audit; no report), of which Shipshape's parse layer alone ${fmt(parseLayer.ms)}; one process each`);
  console.log(`peak RSS       ${peakRss.toFixed(0)} MB (in-process scan, maxRSS; parse layer alone ${parseLayer.maxRssMb.toFixed(0)} MB)`);
  console.log(`incremental    median ${fmt(incMedian)}, p95 ${fmt(incP95)} over ${inc.samples.length} edits of one manifest (upsert + audit) = ${((incMedian / inProcess.ms) * 100).toFixed(2)}% of an in-process scan`);

  const { docker, speedups } = perDockerfile(childJs, root, out, runs);

  const kb = (n?: number) => (n === undefined ? 'n/a' : `${(n / 1024).toFixed(0)} KB`);
  console.log(`\nbundles (scripts/build.mjs --production into a temp folder): extension.js ${bundle.extension === undefined ? 'n/a (no src/vscode/extension.ts yet)' : kb(bundle.extension)}, cli.js ${kb(bundle.cli)}`);

  const targets: [string, boolean | undefined][] = [
    ['CLI scan ≤ 1.5× the raw parse', ratio <= 1.5],
    ['incremental median < 20 ms', incMedian < 20],
    ['incremental median < 2% of a full scan', incMedian / inProcess.ms < 0.02],
    ['peak RSS < 400 MB', peakRss < 400],
    ['no file under node_modules read', s0.inNodeModules === 0 && discover[0].inNodeModules === 0],
    ['faster per Dockerfile than both npm linters', speedups.size === 2 ? [...speedups.values()].every((rounds) => median(rounds) > 1) : undefined],
    ['extension bundle < 1 MB minified', bundle.extension === undefined ? undefined : bundle.extension < 1024 * 1024],
  ];
  console.log('\ntargets');
  for (const [name, ok] of targets) console.log(`  ${ok === undefined ? 'n/a ' : mark(ok)}  ${name}`);

  const report = { machine: { ...machine, loadAtEnd: os.loadavg()[0] }, spec, runs, discover, raw, cli, inProcess, parseLayer, phases, runRatios, dockerSpeedups: Object.fromEntries(speedups), incremental: { ...inc, median: incMedian, p95: incP95 }, dockerfiles: docker, bundle, targets: Object.fromEntries(targets) };
  writeFileSync(args.json ? path.resolve(args.json) : path.join(out, 'last.json'), JSON.stringify(report, null, 2));
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exit(1);
});
