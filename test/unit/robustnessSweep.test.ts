import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { scanFolder } from '../../src/node/host';
import { SHARED } from './helpers';

const CORPUS = path.join(SHARED, 'corpus');
const LIST = path.join(CORPUS, 'robustness', 'robustness.jsonl');

/** The state each hostile file must end in, by what its entry says it is (unknown to peers: unaudited here). */
const UNAUDITED = /UNKNOWN|UNKOWN|malformed|invalid-yaml|bad\.yaml/;
/** The Helm chart is one input: rendered (with helm on PATH) or one unaudited result at Chart.yaml naming helm. */
const CHART = 'robustness/kube-score/score/testdata/helm/app1/Chart.yaml';
const OUT_OF_SCOPE = new Set(['robustness/kube-score/score/testdata/helm/app1/templates/deployment.yaml', 'robustness/checkov/tests/dockerfile/resources/name_variations/.Dockerfile']);

describe('robustness corpus: every hostile file ends audited, unaudited (located, with a reason) or out of scope', () => {
  const entries = existsSync(LIST) ? readFileSync(LIST, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; expectation: string }) : [];

  it('the corpus list is present', () => assert.ok(entries.length >= 20, `${LIST}: ${entries.length} entries`));

  it('each file, in one scan of the corpus folder, never crashes the scan', async () => {
    const { result, engine } = await scanFolder(path.join(CORPUS, 'robustness'));
    assert.ok(!result.problems.some((p) => /Internal error|failed on this file/.test(p.message)));
    const states: string[] = [];
    for (const e of entries) {
      const rel = path.relative('robustness', e.file).split(path.sep).join('/');
      // (a judgement about this file that waits on another, unreadable one says nothing of how this one was read)
      const unaudited = result.unaudited.filter((u) => u.file === rel && u.awaiting === undefined);
      for (const u of unaudited) {
        assert.ok(u.reason.length > 10 && u.range.start.line >= 0, `${rel}: an unaudited entry without a reason or location`);
        assert.ok(u.range.start.line < readFileSync(path.join(CORPUS, e.file), 'utf8').split('\n').length, `${rel}: located outside the file`);
      }
      const state = unaudited.length ? 'unaudited' : engine.has(rel) ? 'audited' : 'out of scope';
      states.push(`${rel}: ${state}`);
      if (e.file === CHART) {
        if (state === 'unaudited') assert.match(unaudited[0].reason, /\bhelm\b/, `${rel}: the reason names helm`);
        else assert.equal(state, 'out of scope', `${rel}: rendered, so its objects are audited at their templates`);
      } else if (OUT_OF_SCOPE.has(e.file)) assert.equal(state, 'out of scope', rel);
      else if (UNAUDITED.test(e.file)) assert.equal(state, 'unaudited', `${rel} (${e.expectation})`);
      else assert.equal(state, 'audited', `${rel} (${e.expectation})`);
    }
    assert.equal(states.length, entries.length);
  });
});
