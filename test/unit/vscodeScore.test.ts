// The readiness score as the editor shows it (status bar, view message, badge): one number, the same
// failing count everywhere, and no score where nothing applies. Pure (no vscode import).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scoreExplanation, scoreLabel, scoreLine, totalsOf } from '../../src/vscode/score';
import { auditFixture, REPO } from './helpers';

describe('vscode adapter: readiness score', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'shipshape-score-'));
    mkdirSync(path.join(tmp, 'empty'));
    mkdirSync(path.join(tmp, 'readme'));
    writeFileSync(path.join(tmp, 'readme', 'README.md'), '# A service\n\nNothing else here.\n');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const name of ['empty', 'readme']) {
    it(`a folder with nothing to audit (${name}) has no score, not 100%`, async () => {
      const t = totalsOf([await auditFixture(path.join(tmp, name))]);
      assert.equal(t.score, undefined);
      assert.equal(t.passed + t.failed, 0);
      assert.equal(scoreLabel(t), 'nothing to audit');
      assert.match(scoreLine(t), /^Nothing to audit/);
      assert.doesNotMatch(scoreExplanation(t), /100%/);
    });
  }

  it('the example repository: the label, the view line and the tooltip give the same score and failing count', async () => {
    const result = await auditFixture(path.join(REPO, 'examples', 'shop'));
    const t = totalsOf([result]);
    const expected = Math.round((result.summary.passed / (result.summary.passed + result.summary.failed)) * 100);
    assert.ok(result.summary.failed > 0);
    assert.equal(t.score, expected);
    assert.equal(scoreLabel(t), `${expected}% ready`);
    assert.equal(scoreLine(t), `Readiness ${expected}% · ${result.summary.failed} failing checks of ${result.summary.passed + result.summary.failed}`);
    const tip = scoreExplanation(t);
    assert.match(tip, new RegExp(`^Readiness ${expected}%: ${result.summary.passed} of ${result.summary.passed + result.summary.failed} automated checks pass\\.`));
    assert.match(tip, new RegExp(`${result.summary.failed} failing checks \\(${result.summary.findings} findings in the Problems panel\\)`));
  });

  it('two folders: one score over both, a folder with nothing to audit adds nothing', async () => {
    const shop = await auditFixture(path.join(REPO, 'examples', 'shop'));
    const empty = await auditFixture(path.join(tmp, 'empty'));
    assert.deepEqual(totalsOf([shop, empty, undefined]).score, totalsOf([shop]).score);
    assert.equal(totalsOf([shop, empty]).folders, 2);
  });
});
