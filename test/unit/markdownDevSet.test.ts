import { strict as assert } from 'node:assert';
import { linkPart, score, withoutSeeds } from './markdownDevSet';
import { builtinChecklists } from './helpers';

/**
 * The linker on checklists other teams wrote (test/fixtures/markdown-dev, labelled before linking): floors at
 * the level reached, so a change that links fewer lines or more wrongly fails. `npm run eval:linker` prints the
 * numbers and, with --misses, the lines scored wrong.
 */
describe('Markdown linking on public checklists', () => {
  const floors = {
    dev: { recall: 0.38, precision: 0.77, falseAutomated: 0.05 },
    validation: { recall: 0.27, precision: 0.72, falseAutomated: 0.05 },
  };
  for (const part of ['dev', 'validation'] as const) {
    for (const seeds of [true, false]) {
      it(`${part} set${seeds ? '' : ' without the seed checklists'}: recall, precision and operational lines automated hold their floors`, () => {
        const s = score(linkPart(part, seeds ? builtinChecklists() : withoutSeeds(builtinChecklists())));
        const f = floors[part];
        assert.ok(s.recall >= f.recall, `recall ${s.found}/${s.checkable} below ${f.recall}`);
        assert.ok(s.precision >= f.precision, `precision ${s.right}/${s.links} below ${f.precision}`);
        assert.ok(s.falseAutomatedRate <= f.falseAutomated, `operational lines automated ${s.falselyAutomated}/${s.uncheckable} above ${f.falseAutomated}`);
      });
    }
  }

  it('every line of both parts is labelled, and both parts have checkable and operational lines', () => {
    for (const part of ['dev', 'validation'] as const) {
      const s = score(linkPart(part, builtinChecklists()));
      assert.ok(s.checkable >= 90 && s.uncheckable >= 90, `${part}: ${s.checkable} checkable, ${s.uncheckable} not`);
    }
  });
});
