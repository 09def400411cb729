// A report Shipshape wrote and the user saved into the repository is never read back as a checklist:
// the next scan links no line of it and reports no Markdown finding on it.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isShipshapeReport, REPORT_MARKER } from '../../src/engine/report/markdown';
import { runCli } from './cliSupport';
import { CHECKLIST, MARKDOWN_REPO } from './markdownRepo';

describe('a saved readiness report is not read as a checklist', () => {
  let repo: string;
  before(() => {
    repo = path.join(mkdtempSync(path.join(tmpdir(), 'shipshape-saved-report-')), 'repo');
    cpSync(MARKDOWN_REPO, repo, { recursive: true });
  });
  after(() => rmSync(path.dirname(repo), { recursive: true, force: true }));

  it('the report ends with the marker; saved as READINESS_CHECKLIST.md, the next scan leaves it alone', async () => {
    const report = await runCli(['report', repo, '--checklist-md', path.join(repo, CHECKLIST)]);
    assert.equal(report.code, 0, report.stderr);
    assert.ok(report.stdout.trimEnd().endsWith(REPORT_MARKER));
    assert.ok(isShipshapeReport(report.stdout));
    // the team's own checklist is still one: it has ticked lines whose checks fail
    const before = JSON.parse((await runCli(['scan', repo, '--format', 'json', '--fail-on', 'never'])).stdout) as { findings: { file: string; ruleId: string }[] };
    assert.ok(before.findings.some((f) => f.file === CHECKLIST && f.ruleId.startsWith('markdown.')));
    writeFileSync(path.join(repo, 'READINESS_CHECKLIST.md'), report.stdout);
    const after = JSON.parse((await runCli(['scan', repo, '--format', 'json', '--fail-on', 'never'])).stdout) as { findings: { file: string; ruleId: string }[] };
    assert.deepEqual(after.findings.filter((f) => f.file === 'READINESS_CHECKLIST.md'), []);
    assert.deepEqual(after.findings.filter((f) => f.file === CHECKLIST), before.findings.filter((f) => f.file === CHECKLIST));
    assert.ok(readFileSync(path.join(repo, CHECKLIST), 'utf8').length > 0);
  });
});
