// `npx tsx scripts/benchMarkdown.ts [--runs 5]`: how fast Markdown checklists are parsed and linked.
// Builds the link index over the built-in checklists, then parses and links the five seed checklists
// (../shared/seeds, 570 task items): first with a cold line cache, then again as a re-audit does.
// Prints medians in milliseconds; nothing here is a test.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveItems } from '../src/engine/audit';
import { linkChecklist, targetsOf } from '../src/engine/markdown/link';
import { LinkIndex } from '../src/engine/markdown/match';
import { parseMarkdownChecklist } from '../src/engine/parse/markdownChecklist';
import { loadBuiltinChecklists } from '../src/node/host';

const REPO = path.resolve(__dirname, '..');
const SEEDS = path.resolve(REPO, '..', 'shared', 'seeds');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs) || 5);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => void): number => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

const { items } = resolveItems(loadBuiltinChecklists(path.join(REPO, 'checklists')).checklists);
const texts = readdirSync(SEEDS)
  .sort()
  .map((f) => ({ file: f, text: readFileSync(path.join(SEEDS, f), 'utf8') }));
const lines = texts.reduce((n, t) => n + parseMarkdownChecklist(t.text, t.file).model.items.length, 0);

const build: number[] = [];
const cold: number[] = [];
const warm: number[] = [];
const parse: number[] = [];
for (let r = 0; r < runs; r++) {
  const targets = targetsOf(items);
  build.push(time(() => new LinkIndex(targets)));
  parse.push(time(() => texts.forEach((t) => parseMarkdownChecklist(t.text, t.file))));
  const parsed = texts.map((t) => ({ path: t.file, model: parseMarkdownChecklist(t.text, t.file).model }));
  const fresh = targetsOf(items); // a new list: a new index with an empty line cache
  cold.push(time(() => parsed.forEach((p) => linkChecklist(p, undefined, fresh))));
  warm.push(time(() => parsed.forEach((p) => linkChecklist(p, undefined, fresh))));
}
console.log(`${items.length} rules, ${texts.length} checklists, ${lines} items, ${runs} runs (medians)`);
console.log(`index build          ${median(build).toFixed(1)} ms`);
console.log(`parse all            ${median(parse).toFixed(1)} ms`);
console.log(`link all (cold)      ${median(cold).toFixed(1)} ms  (${((median(cold) / lines) * 1000).toFixed(0)} µs per item, index build included)`);
console.log(`link all (re-audit)  ${median(warm).toFixed(1)} ms`);
