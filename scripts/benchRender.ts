// `npx tsx scripts/benchRender.ts [--runs 5]`: how long rendering takes, apart from the audit. Renders the
// chart and the kustomizations of ../shared/corpus/realworld/microservices-demo (helm template, kubectl
// kustomize, each in its own process) and builds their source maps: cold (a new cache each run) and warm
// (the cache of the run before: the inputs are hashed, nothing runs). Prints medians in milliseconds;
// nothing here is a test. Tools: scripts/tools.mjs's helm, Debian's kubectl.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { clearRenderCache, planFor, renderPlan } from '../src/node/render';
import { walk } from '../src/node/walk';

const REPO = path.resolve(__dirname, '..');
const DEMO = path.resolve(REPO, '..', 'shared', 'corpus', 'realworld', 'microservices-demo');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs) || 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const helm = execFileSync(process.execPath, [path.join(REPO, 'scripts', 'tools.mjs')], { encoding: 'utf8' }).trim();
  const kubectl = existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : path.join(path.dirname(helm), 'kubectl');
  const { files } = await walk(DEMO);
  const plan = planFor(DEMO, files.map((f) => f.path));
  const cold: number[] = [];
  const warm: number[] = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    clearRenderCache();
    let t = performance.now();
    const r = await renderPlan(DEMO, plan, {}, { trusted: true, helm, kubectl });
    cold.push(performance.now() - t);
    lines = r.sources.reduce((n, s) => n + s.text.split('\n').length, 0);
    if (r.problems.length) throw new Error(r.problems.map((p) => `${p.file}: ${p.message}`).join('\n'));
    t = performance.now();
    await renderPlan(DEMO, plan, {}, { trusted: true, helm, kubectl });
    warm.push(performance.now() - t);
  }
  console.log(`rendering microservices-demo: ${plan.charts.length} chart(s), ${plan.kustomizations.length} kustomization(s), ${lines} rendered lines`);
  console.log(`cold (tools run)      median ${median(cold).toFixed(0)} ms over ${runs} runs`);
  console.log(`warm (cached inputs)  median ${median(warm).toFixed(0)} ms (hashing inputs and building source maps)`);
}

void main();
