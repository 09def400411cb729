import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { auditFixture, builtinChecklists, FIXTURES, ruleFixtures } from './helpers';

const RULES_DIR = path.join(FIXTURES, 'rules');
const automated = builtinChecklists().flatMap((c) => c.sections.flatMap((s) => s.items.filter((i) => i.check)));

describe('rule fixtures', () => {
  it('every automated or evidence item of the built-in checklists has a pass and a fail fixture', () => {
    const missing = automated.filter((i) => {
      const dir = path.join(RULES_DIR, i.id);
      if (!existsSync(dir)) return true;
      const { pass, fail } = ruleFixtures(dir);
      return pass.length === 0 || fail.length === 0;
    });
    assert.deepEqual(missing.map((i) => i.id), []);
  });

  it('every fixture folder belongs to a built-in item', () => {
    const ids = new Set(automated.map((i) => i.id));
    const orphans = existsSync(RULES_DIR) ? readdirSync(RULES_DIR).filter((d) => !ids.has(d)) : [];
    assert.deepEqual(orphans, []);
  });

  for (const item of automated) {
    const dir = path.join(RULES_DIR, item.id);
    if (!existsSync(dir)) continue;
    const { pass, fail } = ruleFixtures(dir);
    // an opt-in rule is off unless the config gives it a severity: its fixtures turn it on
    const options = item.optIn ? { config: { rules: { [item.id]: item.severity } } } : {};
    describe(item.id, () => {
      for (const f of fail) {
        it(`fails on ${path.basename(f)}`, async () => {
          const result = await auditFixture(f, options);
          const r = result.items.find((i) => i.id === item.id);
          assert.ok(r, `item ${item.id} is in the audit`);
          if (item.evidence) assert.equal(r.evidence.length, 0, `no evidence expected, got ${JSON.stringify(r.evidence)}`);
          else {
            assert.equal(r.status, 'fail', `expected fail, got ${r.status}`);
            assert.ok(r.findings.length > 0);
            for (const finding of r.findings) assert.ok(finding.range.start.line >= 0 && finding.message.length > 0);
          }
        });
      }
      for (const f of pass) {
        it(`passes on ${path.basename(f)}`, async () => {
          const result = await auditFixture(f, options);
          const r = result.items.find((i) => i.id === item.id);
          assert.ok(r, `item ${item.id} is in the audit`);
          if (item.evidence) assert.ok(r.evidence.length > 0, 'evidence expected');
          else assert.equal(r.status, 'pass', `expected pass, got ${r.status}: ${r.findings.map((x) => `${x.file}:${x.range.start.line + 1} ${x.message}`).join('; ')}`);
        });
      }
    });
  }
});
