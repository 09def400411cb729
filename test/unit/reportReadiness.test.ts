import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { linkChecklist, type LinkedChecklist } from '../../src/engine/markdown/link';
import { redact, reportFromAudit, reportFromMarkdown } from '../../src/engine/markdown/readiness';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { toHtmlReport } from '../../src/engine/report/html';
import { toMarkdownReport } from '../../src/engine/report/markdown';
import type { ScanResult } from '../../src/node/host';
import { runCli } from './cliSupport';
import { CHECKLIST, MARKDOWN_REPO, scanMarkdownRepo } from './markdownRepo';

const SECRETS = ['s3cr3t-literal-never-print-me', 'changeme-in-prod-123'];
const DATE = '2026-11-23 09:00 UTC';

describe('readiness report', () => {
  let scan: ScanResult;
  let linked: LinkedChecklist;
  before(async () => {
    ({ scan, linked } = await scanMarkdownRepo());
  });

  it('redacts secret-looking values and URL passwords, keeps placeholders and prose', () => {
    assert.equal(redact('`JWT_SECRET=abc123def` and DB_PASSWORD: hunter2'), '`JWT_SECRET=•••` and DB_PASSWORD: •••');
    assert.equal(redact('DATABASE_URL=postgres://app:pw123@db:5432/x'), 'DATABASE_URL=postgres://app:•••@db:5432/x');
    assert.equal(redact('JWT_SECRET=<generate> RATE_LIMIT_LIMIT=100 token: missing'), 'JWT_SECRET=<generate> RATE_LIMIT_LIMIT=100 token: missing');
  });

  it('from the repository’s own Markdown checklist: its sections, ✓/✗/manual, findings as file:line, sign-offs', () => {
    const report = reportFromMarkdown(linked, { generatedAt: DATE, tool: 'Shipshape test' });
    const md = toMarkdownReport(report);
    assert.ok(md.startsWith('# Production Checklist: shop\n'));
    assert.match(md, new RegExp(`Verified against the checklist ${CHECKLIST} by Shipshape test on ${DATE}\\.`));
    for (const h of ['## Containers', '## Secrets', '## Operations']) assert.ok(md.includes(`\n${h}\n`), h);
    const line = (needle: string) => md.split('\n').find((l) => l.startsWith('- [') && l.includes(needle))!;
    assert.match(line('Memory limits'), /^- \[ \] ✗ .*ticked in the checklist, but the checks fail/);
    assert.match(line('readiness and liveness'), /^- \[x\] ✓ .*checks pass; not ticked in the checklist yet/);
    assert.match(line('On-call rotation'), /^- \[ \] \(ticked, not verified\) On-call rotation defined — ticked in the checklist, but not verified: no rule speaks of it$/);
    assert.match(line('Load balancer'), /^- \[ \] \(manual\) Load balancer configured$/);
    for (const f of scan.result.findings.filter((x) => x.ruleId === 'k8s.resources.limits.memory')) {
      assert.ok(md.includes(`  - \`${f.file}:${f.range.start.line + 1}\` ${f.message}`), 'each failing finding is listed as file:line');
    }
    assert.match(md, /signed off by alice@example\.com on 2026-11-20: Nightly snapshots verified with the DBA/);
    const s = report.summary;
    assert.equal(s.entries, linked.items.length);
    assert.equal(s.fail, linked.summary.fail);
    assert.equal(s.mismatches, linked.diagnostics.filter((d) => d.code === 'markdown.ticked-failing' || d.code === 'markdown.unticked-passing').length);
    assert.equal(s.tickedUnverified, 1);
    for (const secret of SECRETS) assert.ok(!md.includes(secret), `${secret} leaked`);
    assert.ok(md.includes('`JWT_SECRET=•••`'));
  });

  it('from the built-in checklists: one section per checklist section, every item once, counts add up', () => {
    const titles = new Map(scan.setup.checklists.map((c) => [c.id, c.title]));
    const report = reportFromAudit(scan.result, { checklistTitles: titles, generatedAt: DATE });
    const md = toMarkdownReport(report);
    const entries = md.split('\n').filter((l) => /^- \[[ x]\] /.test(l));
    assert.equal(entries.length, scan.result.items.length);
    assert.equal(report.summary.pass, scan.result.summary.passed);
    assert.equal(report.summary.fail, scan.result.summary.failed);
    assert.equal(report.summary.score, scan.result.summary.score);
    assert.equal(entries.filter((l) => l.includes(' ✗ ')).length, scan.result.summary.failed);
    for (const c of scan.setup.checklists) assert.ok(md.includes(`\n## ${c.title}\n`), c.title);
    const limits = scan.result.items.find((i) => i.id === 'k8s.resources.limits.memory')!;
    assert.ok(md.includes(`- [ ] ✗ ${limits.title} — \`k8s.resources.limits.memory\``));
    const backup = scan.result.items.find((i) => i.id === 'backup.schedule')!;
    assert.ok(md.includes(`- [x] (manual) ${backup.title} — \`backup.schedule\``), 'a signed-off item is ticked');
    for (const secret of SECRETS) assert.ok(!md.includes(secret), `${secret} leaked`);
  });

  it('HTML: a self-contained page with the same entries, every text escaped', () => {
    const text = '# Launch <b>now</b>\n## Safety & "quotes"\n- [x] Use non-root users in containers <script>alert(1)</script>\n- [ ] Memory limits are configured appropriately\n- [ ] Latency < 200ms & errors > 0 (ask "ops")\n';
    const parsed = parseMarkdownChecklist(text, 'LAUNCH.md');
    const own = reportFromMarkdown(linkChecklist({ path: 'LAUNCH.md', model: parsed.model }, scan.result, scan.engine.resolvedItems), { generatedAt: DATE });
    const html = toHtmlReport(own);
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.ok(!html.includes('<script>'), 'no script, the item text is escaped');
    assert.ok(html.includes('Latency &lt; 200ms &amp; errors &gt; 0 (ask &quot;ops&quot;)'));
    assert.ok(html.includes('<h1>Launch now</h1>'));
    assert.ok(html.includes('<h2>Safety &amp; &quot;quotes&quot;</h2>'));
    assert.equal((html.match(/<li class="(pass|fail|manual|not-applicable)"/g) ?? []).length, 3);
    assert.equal((html.match(/<li class="fail"/g) ?? []).length, 1);
    assert.ok(/<li class="fail"[^]*?<code>k8s\/deployment\.yaml:\d+<\/code>/.test(html), 'findings as file:line');
    const full = toHtmlReport(reportFromAudit(scan.result, {}));
    for (const secret of SECRETS) assert.ok(!full.includes(secret) && !html.includes(secret), `${secret} leaked`);
  });

  describe('shipshape report', () => {
    let tmp: string;
    before(() => {
      tmp = mkdtempSync(path.join(tmpdir(), 'shipshape-report-'));
    });
    after(() => rmSync(tmp, { recursive: true, force: true }));

    it('writes the verified Markdown checklist to stdout and names the disagreeing ticks on stderr', async () => {
      const r = await runCli(['report', MARKDOWN_REPO, '--checklist-md', path.join(MARKDOWN_REPO, CHECKLIST)]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.startsWith('# Production Checklist: shop\n'));
      assert.match(r.stderr, new RegExp(`^${CHECKLIST}:5: Ticked, but k8s\\.resources\\.limits\\.memory fails`, 'm'));
      assert.match(r.stderr, /Unknown rule id in pin: no\.such\.rule/);
      for (const secret of SECRETS) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    });

    it('--format html --output writes a page; the default is the built-in checklists', async () => {
      const out = path.join(tmp, 'readiness.html');
      const r = await runCli(['report', MARKDOWN_REPO, '--format', 'html', '--output', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      const html = readFileSync(out, 'utf8');
      assert.match(html, /<title>Production readiness: repo<\/title>/);
      assert.match(html, /Readiness score: \d+%/);
    });

    it('usage errors exit 2 and say what to change', async () => {
      const a = await runCli(['report', MARKDOWN_REPO, '--format', 'pdf']);
      assert.equal(a.code, 2);
      assert.match(a.stderr, /--format must be one of markdown, html/);
      const b = await runCli(['report', MARKDOWN_REPO, '--checklist-md', path.join(tmp, 'missing.md')]);
      assert.equal(b.code, 2);
      assert.match(b.stderr, /cannot read --checklist-md/);
      const c = await runCli(['report', path.join(tmp, 'nope')]);
      assert.equal(c.code, 2);
      assert.match(c.stderr, /is not a folder/);
    });
  });
});
