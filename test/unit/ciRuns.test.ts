import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runnableCommands } from '../../src/engine/parse/shellText';
import { auditFixture, FIXTURES } from './helpers';

/** Only CI steps that run count: not `if: false`, not `when: never`, not an unextended template, not a tool named in an echo or a comment. */

const statusOf = (r: Awaited<ReturnType<typeof auditFixture>>, id: string) => r.items.find((i) => i.id === id)?.status;

describe('CI checks: only steps that run count', () => {
  it('GitHub Actions: if: false steps and jobs, echo/printf text and shell comments do not meet a requirement', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'ci-runs', 'not-run'));
    assert.equal(statusOf(r, 'ci.test'), 'pass', 'npm ci and npm test run');
    for (const id of ['ci.lint', 'ci.security-scan', 'ci.image-scan', 'ci.image-signing']) assert.equal(statusOf(r, id), 'fail', id);
  });

  it('GitLab CI: steps merged in with <<: *anchor and templates a job extends count; when: never and unextended templates do not', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'ci-runs', 'gitlab'));
    assert.equal(statusOf(r, 'ci.test'), 'pass', 'npm ci comes from <<: *node');
    assert.equal(statusOf(r, 'ci.security-scan'), 'pass', 'npm audit comes from <<: [*node, *audit]');
    assert.equal(statusOf(r, 'ci.lint'), 'pass', 'lint extends .lint-template');
    assert.equal(statusOf(r, 'ci.image-scan'), 'fail', 'trivy image runs only in an unextended template and a when: never job');
  });

  it('the commands of a script: comments, heredoc bodies and echo/printf are left out, the rest kept one per line', () => {
    assert.equal(runnableCommands('echo "trivy cosign"'), '');
    assert.equal(runnableCommands('trivy image x # scan'), 'trivy image x');
    assert.equal(runnableCommands('# trivy fs .\nnpm test'), 'npm test');
    assert.equal(runnableCommands('echo hi && trivy fs .'), 'trivy fs .');
    assert.equal(runnableCommands('printf "cosign sign"; npm ci'), 'npm ci');
    assert.equal(runnableCommands('cat <<EOF > notes\ntrivy image x\nEOF\nnpm test'), 'cat <<EOF > notes\nnpm test');
    assert.equal(runnableCommands('echo "a; trivy fs ."'), '');
    assert.equal(runnableCommands('docker run --rm aquasec/trivy image app'), 'docker run --rm aquasec/trivy image app');
    assert.equal(runnableCommands('CI=1 npm audit --audit-level=high'), 'CI=1 npm audit --audit-level=high');
  });
});
