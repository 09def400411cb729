import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveItems } from '../../src/engine/audit';
import { linkChecklist, targetsOf } from '../../src/engine/markdown/link';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { builtinChecklists, REPO, SHARED } from './helpers';

/**
 * The five seed checklists, linked to the built-in checklists and compared with the seed analysis
 * (shared/seed-analysis/items.tsv): A items are settled by rules from repository files, C items are
 * operational. A link "gets" an expected rule id when it is that id or a finer item under it
 * (`k8s.resources.limits.cpu` counts as `k8s.resources.limits`).
 */

interface Row {
  ref: string;
  category: string;
  ruleIds: string[];
  text: string;
}

function readRows(): Map<string, Row> {
  const lines = readFileSync(path.join(SHARED, 'seed-analysis', 'items.tsv'), 'utf8').trim().split('\n').slice(1);
  return new Map(
    lines.map((l) => {
      const [ref, , , text, category, ruleId] = l.split('\t');
      return [ref, { ref, category, text, ruleIds: ruleId ? ruleId.split(';') : [] }];
    }),
  );
}

const covers = (linkId: string, ruleId: string) => linkId === ruleId || linkId.startsWith(`${ruleId}.`);

export interface SeedStats {
  seed: string;
  items: number;
  automated: number;
  linked: number;
  a: number;
  aHit: number;
  c: number;
  cAuto: number;
  aMisses: string[];
  cFalse: string[];
}

/**
 * Links every seed and counts, per seed, A items that get one of their rule ids and C items that link to an
 * automated rule. `generic`: leave out the opt-in operations checklist (manual items), as for a
 * repository whose checklist Shipshape has never seen.
 */
export function seedStats(generic = false): SeedStats[] {
  const rows = readRows();
  const { items } = resolveItems(builtinChecklists().filter((c) => !generic || !c.optIn));
  const targets = targetsOf(items);
  const seedDir = path.join(SHARED, 'seeds');
  const out: SeedStats[] = [];
  for (const name of readdirSync(seedDir).sort()) {
    const seed = name.slice(0, 3);
    const parsed = parseMarkdownChecklist(readFileSync(path.join(seedDir, name), 'utf8'), name);
    const linked = linkChecklist({ path: name, model: parsed.model }, undefined, targets);
    const s: SeedStats = { seed, items: 0, automated: 0, linked: 0, a: 0, aHit: 0, c: 0, cAuto: 0, aMisses: [], cFalse: [] };
    for (const item of linked.items) {
      const row = rows.get(`${seed}:${item.line + 1}`);
      assert.ok(row, `${seed}:${item.line + 1} missing from items.tsv`);
      s.items++;
      const auto = item.links.filter((l) => l.mode === 'auto');
      if (auto.length) s.automated++;
      if (item.links.length) s.linked++;
      if (row.category === 'A') {
        s.a++;
        if (item.links.some((l) => row.ruleIds.some((r) => covers(l.id, r)))) s.aHit++;
        else s.aMisses.push(`${row.ref} "${row.text}" wants ${row.ruleIds.join('|')}, got ${item.links.map((l) => l.id).join(', ') || 'nothing'}`);
      } else if (row.category === 'C') {
        s.c++;
        if (auto.length) {
          s.cAuto++;
          s.cFalse.push(`${row.ref} "${row.text}" -> ${auto.map((l) => `${l.id} (${l.reason})`).join(', ')}`);
        }
      }
    }
    out.push(s);
  }
  return out;
}

/** The table docs/markdown-checklists.md's `markdown` section shows (regenerate: SHIPSHAPE_SEED_TABLE=1 npx mocha test/unit/markdownSeeds.test.ts). */
export function seedTable(stats: readonly SeedStats[]): string {
  const pct = (n: number, d: number) => `${n}/${d} (${d ? Math.round((n / d) * 100) : 0}%)`;
  const rows = stats.map((s) => `| ${s.seed} | ${s.items} | ${s.automated} | ${s.linked} | ${pct(s.aHit, s.a)} | ${pct(s.cAuto, s.c)} |`);
  const t = (k: keyof Pick<SeedStats, 'items' | 'automated' | 'linked' | 'a' | 'aHit' | 'c' | 'cAuto'>) => stats.reduce((n, s) => n + s[k], 0);
  return [
    '| checklist | items | linked to an automated rule | linked to any rule | A items given one of their rule ids | C items linked to an automated rule |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    `| **all** | ${t('items')} | ${t('automated')} | ${t('linked')} | ${pct(t('aHit'), t('a'))} | ${pct(t('cAuto'), t('c'))} |`,
  ].join('\n');
}

describe('Markdown linking over the five seed checklists', () => {
  let stats: SeedStats[] = [];
  before(() => {
    stats = seedStats();
  });
  const sum = (k: 'a' | 'aHit' | 'c' | 'cAuto') => stats.reduce((n, s) => n + s[k], 0);

  it('links at least 90% of the A items to one of their rule ids', () => {
    const rate = sum('aHit') / sum('a');
    assert.ok(rate >= 0.9, `A items linked: ${sum('aHit')}/${sum('a')} (${(rate * 100).toFixed(1)}%). Misses:\n${stats.flatMap((s) => s.aMisses).join('\n')}`);
  });

  it('links at most 5% of the C (operational) items to an automated rule', () => {
    const rate = sum('cAuto') / sum('c');
    assert.ok(rate <= 0.05, `C items linked to automated rules: ${sum('cAuto')}/${sum('c')} (${(rate * 100).toFixed(1)}%):\n${stats.flatMap((s) => s.cFalse).join('\n')}`);
  });

  it('stays within both bounds with the generic checklists alone (no operations checklist to absorb operational lines)', () => {
    const generic = seedStats(true);
    const g = (k: 'a' | 'aHit' | 'c' | 'cAuto') => generic.reduce((n, s) => n + s[k], 0);
    assert.ok(g('aHit') / g('a') >= 0.9, `A: ${g('aHit')}/${g('a')}\n${generic.flatMap((s) => s.aMisses).join('\n')}`);
    assert.ok(g('cAuto') / g('c') <= 0.05, `C: ${g('cAuto')}/${g('c')}\n${generic.flatMap((s) => s.cFalse).join('\n')}`);
  });

  it('every seed has items linked to automated rules, and docs/markdown-checklists.md reports the current counts', () => {
    for (const s of stats) assert.ok(s.automated > 0, `seed ${s.seed}: no item links to an automated rule`);
    const table = seedTable(stats);
    if (process.env.SHIPSHAPE_SEED_TABLE) console.log(table);
    const page = readFileSync(path.join(REPO, 'docs', 'markdown-checklists.md'), 'utf8');
    const section = page.slice(page.indexOf('<!-- section:markdown -->'), page.indexOf('<!-- /section:markdown -->'));
    assert.ok(section.includes(table), `docs/markdown-checklists.md section "markdown" is stale; put this table in it:\n${table}`);
  });
});
