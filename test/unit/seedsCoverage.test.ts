import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { builtinItems, classify, readCatalogue, readSeedRows, renderDocs } from '../../scripts/genDocs';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { builtinChecklists, REPO } from './helpers';

const rows = readSeedRows();
const catalogue = readCatalogue();
const OTHERS = /^(k8s\.|docker\.|repo\.dockerignore$)/;

describe('seed coverage', () => {
  const items = builtinItems(builtinChecklists(), catalogue);

  it('docs/coverage.md and docs/rules.md are up to date (npm run docs)', () => {
    const read = (page: string): string => readFileSync(path.join(REPO, page), 'utf8');
    for (const [page, text] of Object.entries(renderDocs(read))) assert.equal(text, read(page), `${page} is stale: run npm run docs`);
  });

  it('reads all 570 seed items and 113 catalogue rules', () => {
    assert.equal(rows.length, 570);
    assert.equal(catalogue.length, 113);
  });

  it('implements every automatable (A) catalogue rule outside Kubernetes and Dockerfiles with an automated item', () => {
    const missing = catalogue.filter((r) => r.category === 'A' && !OTHERS.test(r.id) && !items.some((i) => i.rule === r.id && i.mode === 'auto'));
    assert.deepEqual(missing.map((r) => r.id), []);
  });

  it('covers every seed item, except A items whose Kubernetes or Dockerfile rule is still missing', () => {
    const uncovered = rows.filter((r) => classify(r, items).coverage === 'pending' && !(r.rules.length > 0 && r.rules.every((x) => OTHERS.test(x))));
    assert.deepEqual(uncovered.map((r) => r.ref), []);
  });

  it('never lets an automated rule tick an item the analysis says files cannot settle', () => {
    const wrong = items.filter((i) => i.mode === 'auto' && !OTHERS.test(i.item.id)).flatMap((i) => (i.item.sources ?? []).filter((ref) => rows.find((r) => r.ref === ref)?.category !== 'A' && !ref.includes('(')).map((ref) => `${i.item.id} ${ref}`));
    assert.deepEqual(wrong, []);
  });

  it('gives each seed item to exactly one of the items this area owns', () => {
    const owners = new Map<string, string[]>();
    for (const i of items.filter((x) => !OTHERS.test(x.item.id))) for (const ref of i.item.sources ?? []) if (!ref.includes('(')) owners.set(ref, [...(owners.get(ref) ?? []), i.item.id]);
    assert.deepEqual([...owners].filter(([, ids]) => ids.length > 1), []);
    const known = new Set(rows.map((r) => r.ref));
    assert.deepEqual([...owners.keys()].filter((ref) => !known.has(ref)), [], 'every seed ref exists in items.tsv');
  });

  it('puts the manual operational items in one opt-in checklist, each item once, not used by default', () => {
    const all = builtinChecklists();
    const ops = all.find((c) => c.id === 'operations');
    assert.ok(ops, 'operations checklist');
    assert.equal(ops.optIn, true);
    assert.deepEqual(all.filter((c) => c.optIn).map((c) => c.id), ['operations']);
    assert.ok(!defaultChecklists(all, {}).includes(ops));
    assert.ok(defaultChecklists(all, { operations: true }).includes(ops));
    const opsItems = ops.sections.flatMap((s) => s.items);
    assert.ok(opsItems.length > 300, `${opsItems.length} items`);
    assert.deepEqual(opsItems.filter((i) => i.check !== undefined || !i.id.startsWith('ops.')).map((i) => i.id), []);
    const titles = opsItems.map((i) => i.title.toLowerCase());
    assert.equal(new Set(titles).size, titles.length, 'no item twice');
  });

  it('classifies a ticked A item with an automated rule as automated and a C item as manual', () => {
    const a = rows.find((r) => r.ref === '000:160')!;
    assert.equal(a.category, 'A');
    assert.equal(classify(a, items).coverage, 'automated');
    const c = rows.find((r) => r.ref === '000:103')!;
    assert.equal(c.category, 'C');
    assert.equal(classify(c, items).coverage, 'manual');
    const b = rows.find((r) => r.ref === '000:25')!;
    assert.equal(classify(b, items).coverage, 'evidence');
  });
});
