import { strict as assert } from 'node:assert';
import { builtinSet, linkPart, score } from './markdownDevSet';
import { builtinChecklists } from './helpers';

/**
 * The linker on checklists other teams wrote (test/fixtures/markdown-dev, labelled before linking): floors at
 * the level reached, so a change that links fewer lines or more wrongly fails. `npm run eval:linker` prints the
 * numbers and, with --misses, the lines scored wrong.
 */
describe('Markdown linking on public checklists', () => {
  // Floors at the level reached (with and without the operations checklist, the lower of the two): dev 92%/87%
  // recall, 88%/87.4% precision, 6.9% operational lines automated; validation 62.2%/60.5%, 74.8%/73.7%, 4.5%/5.1%.
  const floors = {
    dev: { recall: 0.86, precision: 0.87, falseAutomated: 0.07 },
    validation: { recall: 0.6, precision: 0.73, falseAutomated: 0.052 },
  };
  for (const part of ['dev', 'validation'] as const) {
    for (const operations of [false, true]) {
      it(`${part} set${operations ? ' with the operations checklist' : ''}: recall, precision and operational lines automated hold their floors`, () => {
        const s = score(linkPart(part, builtinSet(builtinChecklists(), operations)));
        const f = floors[part];
        assert.ok(s.recall >= f.recall, `recall ${s.found}/${s.checkable} below ${f.recall}`);
        assert.ok(s.precision >= f.precision, `precision ${s.right}/${s.links} below ${f.precision}`);
        assert.ok(s.falseAutomatedRate <= f.falseAutomated, `operational lines automated ${s.falselyAutomated}/${s.uncheckable} above ${f.falseAutomated}`);
      });
    }
  }

  it('every line of both parts is labelled, and both parts have checkable and operational lines', () => {
    for (const part of ['dev', 'validation'] as const) {
      const s = score(linkPart(part, builtinSet(builtinChecklists(), false)));
      assert.ok(s.checkable >= 90 && s.uncheckable >= 90, `${part}: ${s.checkable} checkable, ${s.uncheckable} not`);
    }
  });
});
