import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../../src/engine/fixes/run';
import { parseFile } from '../../src/engine/parse';
import { builtinChecklists, FIXTURES, kindOf, ruleFixtures } from './helpers';
import { filesUnder, fixFixture, goldenOf } from './fixHelpers';

const RULES_DIR = path.join(FIXTURES, 'rules');
/** Extra fix cases (CRLF, 4-space indentation, flush sequences, comments…), laid out like rule fixtures. */
const FIX_DIR = path.join(FIXTURES, 'fix');
const fixable = builtinChecklists().flatMap((c) => c.sections.flatMap((s) => s.items.filter((i) => i.check && i.fix)));

/** Fail fixtures of a rule (rule fixtures and extra fix cases) that have a golden. */
function casesOf(id: string): string[] {
  return [RULES_DIR, FIX_DIR].flatMap((root) => {
    const dir = path.join(root, id);
    return existsSync(dir) ? ruleFixtures(dir).fail.filter((f) => existsSync(goldenOf(f))) : [];
  });
}

function errors(p: string, text: string): number {
  const kind = kindOf(p, text);
  return kind ? parseFile({ path: p, text, kind }).problems.filter((x) => x.severity === 'error').length : 0;
}

describe('fix golden files', () => {
  it('every fixable built-in item has at least one fail fixture with a .fixed golden', () => {
    const missing = fixable.filter((i) => casesOf(i.id).length === 0);
    assert.deepEqual(missing.map((i) => i.id), []);
  });

  it('every rule with golden files has a fix in the built-in checklists (a regenerated checklist must keep its fix entries)', () => {
    const ids = new Set(fixable.map((i) => i.id));
    const withGoldens = [RULES_DIR, FIX_DIR].flatMap((root) => (existsSync(root) ? readdirSync(root) : []).filter((id) => casesOf(id).length > 0));
    assert.deepEqual([...new Set(withGoldens)].filter((id) => !ids.has(id)), []);
  });

  for (const item of fixable) {
    const cases = casesOf(item.id);
    describe(item.id, () => {
      for (const fail of cases) {
        const golden = goldenOf(fail);
        it(`${path.basename(fail)} + fix = ${path.basename(golden)}; again changes nothing; re-audits clean and parses`, async () => {
          const rules = new Set([item.id]);
          // an opt-in rule is audited, and so fixed, only when the configuration names it
          const fixed = await fixFixture(fail, { rules }, item.optIn ? { rules: { [item.id]: item.severity } } : {});
          assert.ok(fixed.result.applied.length > 0, `no fix applied; declined: ${JSON.stringify(fixed.result.declined)}`);
          if (statSync(fail).isDirectory()) {
            const want = filesUnder(golden);
            assert.deepEqual([...fixed.texts.keys()].sort(), want, 'the fixed repository has exactly the golden files');
            for (const rel of want) assert.equal(fixed.texts.get(rel), readFileSync(path.join(golden, rel), 'utf8'), rel);
          } else {
            const name = path.basename(fail);
            assert.equal([...fixed.result.files.keys()].join(), name, 'only the fixture file changes');
            assert.equal(fixed.texts.get(name), readFileSync(golden, 'utf8'));
          }
          const again = fixAll(fixed.engine, { rules, keep: true });
          assert.equal(again.files.size, 0, `a second run changed ${[...again.files.keys()].join(', ')}`);
          const audit = fixed.audit();
          const r = audit.items.find((i) => i.id === item.id);
          assert.ok(r && r.status !== 'fail', `${item.id} still fails: ${r?.findings.map((f) => f.message).join('; ')}`);
          for (const [p, { before, after }] of fixed.result.files) assert.ok(errors(p, after) <= (before === undefined ? 0 : errors(p, before)), `${p} no longer parses`);
        });
      }
    });
  }
});
