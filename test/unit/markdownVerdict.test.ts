import { strict as assert } from 'node:assert';
import type { LinkedChecklist } from '../../src/engine/markdown/link';
import { reportFromMarkdown } from '../../src/engine/markdown/readiness';
import { lineVerdict, unverifiedReason, VERDICT_TEXT, type VerdictInput } from '../../src/engine/markdown/verdict';
import { toHtmlReport } from '../../src/engine/report/html';
import { toMarkdownReport } from '../../src/engine/report/markdown';
import { runCli } from './cliSupport';
import { CHECKLIST, MARKDOWN_REPO, scanMarkdownRepo } from './markdownRepo';

/**
 * "Ticked, not verified": a line ticked by hand that no check verified is never shown as a pass. One function
 * (lineVerdict) decides every line's verdict; the report, its JSON and the editor tree all read it.
 */
describe('Markdown checklist lines: ticked, not verified', () => {
  const line = (checked: boolean, status: VerdictInput['status'], links: VerdictInput['links'] = [], attestations: unknown[] = []): VerdictInput => ({ checked, status, links, attestations });

  it('a hand tick is verified only by passing checks or a sign-off', () => {
    assert.equal(lineVerdict(line(true, 'pass')), 'verified');
    assert.equal(lineVerdict(line(true, 'fail')), 'ticked-failing');
    assert.equal(lineVerdict(line(false, 'fail')), 'failing');
    assert.equal(lineVerdict(line(false, 'pass')), 'passing-unticked');
    for (const status of ['manual', 'not-applicable', 'unaudited'] as const) {
      assert.equal(lineVerdict(line(true, status)), 'ticked-unverified', status);
      assert.equal(lineVerdict(line(false, status)), 'open', status);
    }
    assert.equal(lineVerdict(line(true, 'manual', [{ mode: 'manual' }], [{ id: 'x' }])), 'signed-off');
  });

  it('says why nothing verified a line', () => {
    assert.equal(unverifiedReason(line(true, 'manual')), 'no rule speaks of it');
    assert.equal(unverifiedReason(line(true, 'unaudited', [{ mode: 'auto', status: 'unaudited' }])), 'its checks could not be audited');
    assert.equal(unverifiedReason(line(true, 'not-applicable', [{ mode: 'auto', status: 'not-applicable' }])), 'its checks found nothing to check');
    assert.equal(unverifiedReason(line(true, 'manual', [{ mode: 'evidence', status: 'manual' }])), 'only evidence for a person to confirm');
    assert.equal(unverifiedReason(line(true, 'pass', [{ mode: 'auto', status: 'pass' }])), undefined);
  });

  describe('on a fixture repository', () => {
    let linked: LinkedChecklist;
    before(async () => {
      ({ linked } = await scanMarkdownRepo());
    });

    it('the report, its Markdown, HTML and JSON agree with the linked lines line by line', async () => {
      const report = reportFromMarkdown(linked);
      const entries = report.sections.flatMap((s) => s.entries);
      assert.equal(entries.length, linked.items.length);
      const md = toMarkdownReport(report).split('\n').filter((l) => /^- \[[ x]\] /.test(l));
      const html = toHtmlReport(report);
      for (const [i, item] of linked.items.entries()) {
        assert.equal(item.verdict, lineVerdict(item), item.plain);
        assert.equal(entries[i].verdict, item.verdict, item.plain);
        // The report ticks a line only when checks or a sign-off prove it.
        assert.equal(md[i].startsWith('- [x]'), item.verdict === 'verified' || item.verdict === 'passing-unticked' || item.verdict === 'signed-off', md[i]);
        if (item.verdict === 'ticked-unverified') {
          assert.ok(md[i].startsWith(`- [ ] (${VERDICT_TEXT['ticked-unverified']})`), md[i]);
          assert.ok(md[i].endsWith(`not verified: ${unverifiedReason(item)}`), md[i]);
        }
      }
      assert.deepEqual(
        linked.items.filter((i) => i.verdict === 'ticked-unverified').map((i) => i.plain),
        ['On-call rotation defined'],
      );
      assert.match(html, /<li class="manual" title="manual"><input type="checkbox" disabled aria-label="not ticked"> <span class="mark">\(ticked, not verified\)<\/span> On-call rotation defined/);
      const json = await runCli(['report', MARKDOWN_REPO, '--checklist-md', `${MARKDOWN_REPO}/${CHECKLIST}`, '--format', 'json']);
      assert.equal(json.code, 0, json.stderr);
      const parsed = JSON.parse(json.stdout) as typeof report;
      const fromJson = parsed.sections.flatMap((s) => s.entries);
      assert.deepEqual(
        fromJson.map((e) => [e.text, e.verdict, e.status, e.ids, e.reasons]),
        entries.map((e) => [e.text, e.verdict, e.status, e.ids, e.reasons]),
      );
      assert.equal(parsed.summary.tickedUnverified, 1);
    });

    it('the editor gets a hint on a ticked line no check verified, not a pass', () => {
      const item = linked.items.find((i) => i.plain === 'On-call rotation defined')!;
      const diag = linked.diagnostics.find((d) => d.item === linked.items.indexOf(item))!;
      assert.equal(diag.code, 'markdown.ticked-unverified');
      assert.equal(diag.severity, 'hint');
      assert.equal(diag.message, 'Ticked, not verified: no rule speaks of it.');
      assert.equal(linked.summary.tickedUnverified, 1);
    });
  });
});
