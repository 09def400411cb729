import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { auditFiles, builtinChecklists, FIXTURES } from './helpers';

/**
 * External conformance for Dockerfile rules: Checkov's own fixtures (test/fixtures/conformance, labels.jsonl).
 * A rule reports at least one finding on every `fail` file and none on a `pass` file, which it judges.
 */
const DIR = path.join(FIXTURES, 'conformance');

interface Label {
  file: string;
  check: string;
  concept: string;
  expect: 'pass' | 'fail';
  note: string;
}

const labels = readFileSync(path.join(DIR, 'labels.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Label);

describe('Dockerfile conformance with Checkov’s fixtures (test/fixtures/conformance)', () => {
  const checklists = builtinChecklists().filter((c) => c.id === 'dockerfile');
  const ids = new Set(checklists.flatMap((c) => c.sections.flatMap((s) => s.items.map((i) => i.id))));
  const outcome = new Map<string, boolean>();

  after(() => {
    const by = new Map<string, { right: number; all: number }>();
    for (const l of labels) {
      const row = by.get(l.concept) ?? { right: 0, all: 0 };
      row.all++;
      if (outcome.get(l.file)) row.right++;
      by.set(l.concept, row);
    }
    const right = [...by.values()].reduce((a, r) => a + r.right, 0);
    console.log(`\n  Dockerfile conformance: ${right}/${labels.length} labels\n${[...by].map(([c, r]) => `  ${c.padEnd(28)} ${r.right}/${r.all}`).join('\n')}\n`);
  });

  it('has labels, each for a built-in Dockerfile rule', () => {
    assert.ok(labels.length >= 50, `${labels.length} labels`);
    for (const l of labels) assert.ok(ids.has(l.concept), `${l.concept} is a Dockerfile rule`);
  });

  for (const l of labels) {
    it(`${l.concept}: ${l.expect}s ${l.file} (checkov ${l.check})`, () => {
      const text = readFileSync(path.join(DIR, l.file), 'utf8');
      const result = auditFiles([{ path: path.basename(l.file), text }], { checklists });
      const item = result.items.find((i) => i.id === l.concept);
      assert.ok(item, `${l.concept} ran`);
      const shown = item.findings.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('\n');
      outcome.set(l.file, l.expect === 'fail' ? item.findings.length > 0 : item.status === 'pass');
      if (l.expect === 'fail') assert.ok(item.findings.length > 0, `expected a ${l.concept} finding (${l.note}); status ${item.status}`);
      else assert.equal(item.status, 'pass', `expected a pass (${l.note}), got ${item.status}:\n${shown}`);
    });
  }
});
