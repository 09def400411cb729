import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { auditFixture, FIXTURES } from './helpers';

/** A suppression is a real comment token: never text in a Dockerfile heredoc, a quoted argument or a quoted .env value. */
describe('suppressions are comments, not text in a value', () => {
  it('a shipshape-ignore in a heredoc body, a quoted RUN argument or a quoted .env value suppresses nothing; a real comment after a heredoc does', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'suppress-text'));
    const rules = (file: string) => new Set(r.findings.filter((f) => f.file === file).map((f) => f.ruleId));
    assert.ok(rules('Dockerfile').has('docker.user.non-root'), 'the heredoc or quoted text suppressed the non-root finding');
    assert.ok(rules('Dockerfile').has('docker.healthcheck'), 'the heredoc text suppressed the whole file');
    assert.ok(rules('.env').size > 0, 'the quoted value suppressed the whole .env file');
    assert.ok(!rules('suppressed.Dockerfile').has('docker.user.non-root'), 'the comment after the heredoc is a real one');
    assert.equal(r.summary.suppressed, 1);
  });
});
