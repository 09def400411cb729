import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sniffMarkdownChecklist } from '../../src/engine/discover';
import { isReadinessChecklist, linkMarkdownFiles, type LinkedChecklist } from '../../src/engine/markdown/link';
import { MAX_ITEMS, parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { reportFromMarkdown } from '../../src/engine/markdown/readiness';
import { markdownFindings } from '../../src/engine/report/markdownFindings';
import { scanFolder, type ScanResult } from '../../src/node/host';
import { FIXTURES, withinHangBound } from './helpers';

/** A checklist kept as a plain bulleted and numbered list, without checkboxes, beside a README with bullets. */
const REPO = path.join(FIXTURES, 'markdown', 'plain-list');
const CHECKLIST = 'docs/go-live-checklist.md';

describe('Markdown checklists kept as plain lists (no checkboxes)', () => {
  let scan: ScanResult;
  let linked: LinkedChecklist[];
  let text: string;
  const item = (needle: string) => linked[0].items.find((i) => i.text.includes(needle))!;

  before(async () => {
    scan = await scanFolder(REPO);
    linked = linkMarkdownFiles(scan.engine.paths.map((p) => scan.engine.file(p)!), scan.result, scan.engine.resolvedItems);
    text = readFileSync(path.join(REPO, CHECKLIST), 'utf8');
  });

  it('reads a file named as a checklist, not a README whose bullets say the same things', () => {
    assert.deepEqual(linked.map((l) => l.file), [CHECKLIST]);
    assert.equal(scan.engine.file('README.md'), undefined, 'the README is not read as Markdown checklist');
    assert.equal(sniffMarkdownChecklist(readFileSync(path.join(REPO, 'README.md'), 'utf8'), 'README.md'), false);
    assert.equal(sniffMarkdownChecklist(text, CHECKLIST), true);
    assert.equal(sniffMarkdownChecklist('- one\n- two\n', 'PROD_CHECKLIST.md'), false, 'fewer than three list lines');
  });

  it('every list line is an item (nested ones under their line, numbered ones too), a contents link is not', () => {
    const texts = linked[0].items.map((i) => i.text);
    assert.deepEqual(texts, [
      'Containers never run as root',
      'Every container declares CPU and memory limits',
      'Pods expose a liveness endpoint the kubelet can poll',
      'Image hygiene:',
      'Builds use a multi-stage Dockerfile',
      'The final image declares a HEALTHCHECK',
      'On-call rotation agreed with the team',
      'Runbook written for the first incident',
    ]);
    for (const i of linked[0].items) {
      assert.equal(i.task, false);
      assert.equal(i.checked, false);
      // no checkbox: an empty range where the text starts
      assert.deepEqual(i.checkboxRange.start, i.checkboxRange.end);
      assert.equal(text.split('\n')[i.line].slice(i.checkboxRange.start.character), i.text);
    }
    const model = parseMarkdownChecklist(text, CHECKLIST).model;
    assert.equal(model.items[4].parent, 3, 'a nested line belongs to the line it is nested under');
    assert.deepEqual(model.items[6].headingPath, ['Go-live checklist', 'Operations']);
  });

  it('each line gets its checks: a failing one is a hint naming the findings, a passing one reads "passing"', () => {
    const limits = item('CPU and memory limits');
    assert.equal(limits.status, 'fail');
    assert.equal(limits.verdict, 'failing');
    const diag = linked[0].diagnostics.find((d) => d.range.start.line === limits.line)!;
    assert.equal(diag.code, 'markdown.failing');
    assert.equal(diag.severity, 'hint');
    assert.match(diag.message, /k8s\.resources\.limits\.(cpu|memory)/);
    assert.ok(diag.related.every((r) => r.file === 'k8s/deployment.yaml'));
    const root = item('never run as root');
    assert.equal(root.status, 'pass');
    assert.equal(root.verdict, 'passing');
    assert.ok(!linked[0].diagnostics.some((d) => d.code === 'markdown.unticked-passing'), 'nothing to tick on a plain line');
    assert.equal(item('HEALTHCHECK').status, 'pass');
    assert.equal(item('On-call rotation').status, 'manual');
    // hints are not findings of a scan
    assert.deepEqual(markdownFindings(linked), []);
  });

  it('the report tells each line the truth without calling a plain line ticked or unticked', () => {
    const report = reportFromMarkdown(linked[0]);
    const entries = report.sections.flatMap((s) => s.entries);
    assert.equal(entries.length, 8);
    assert.ok(entries.every((e) => e.ticked === false && e.mismatch === undefined));
    assert.equal(entries.find((e) => e.text.includes('never run as root'))!.verdict, 'passing');
  });

  it('a file with any task item keeps its plain lines as headings of its task items', () => {
    const { model } = parseMarkdownChecklist('# Release checklist\n\n- Build\n  - [ ] Lint code\n- Deploy\n', 'RELEASE_CHECKLIST.md');
    assert.deepEqual(model.items.map((i) => [i.text, i.task, i.headingPath]), [['Lint code', true, ['Release checklist', 'Build']]]);
  });

  it('plain lines are a checklist only in a file named as one, or configured', () => {
    const { model } = parseMarkdownChecklist('# Production\n\n- Containers never run as root\n- Images are pinned\n- Probes set\n', 'docs/guide.md');
    assert.equal(model.items.length, 3);
    const [guide] = linkMarkdownFiles([{ path: 'docs/guide.md', kind: 'markdown', text: '', model, problems: [] }], scan.result, scan.engine.resolvedItems, ['docs/guide.md']);
    assert.equal(guide.file, 'docs/guide.md', 'configured under markdown:');
    assert.equal(isReadinessChecklist(guide), false, 'not named as a checklist');
    assert.equal(isReadinessChecklist({ ...guide, file: 'docs/PRODUCTION_READINESS.md' }), true);
  });

  it('a checklist of more items than are read says where reading stopped (a located warning), task list or plain', () => {
    for (const box of ['[ ] ', '']) {
      const text = `# Huge checklist\n\n${Array.from({ length: MAX_ITEMS + 500 }, (_, i) => `- ${box}Containers never run as root ${i}`).join('\n')}\n`;
      const { model, problems } = parseMarkdownChecklist(text, 'HUGE_CHECKLIST.md');
      assert.equal(model.items.length, MAX_ITEMS);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].severity, 'warning');
      assert.equal(problems[0].range!.start.line, 2 + MAX_ITEMS, 'at the first line not read');
      assert.match(problems[0].message, /more than 2,000 items/);
    }
  });

  it('a long line of links, brackets or spaces is read in one pass (no hang), and links alone are no item', () => {
    for (const body of ['[a](b) '.repeat(20000) + 'x', `[a](b)${' '.repeat(100000)}x`, '['.repeat(200000), `[${'](' .repeat(100000)}`]) {
      const { model } = withinHangBound(`a list line of ${body.length} characters`, () => parseMarkdownChecklist(`# Launch checklist\n\n- ${body}\n- one\n- two\n`, 'LAUNCH_CHECKLIST.md'));
      assert.equal(model.items.length, 3);
    }
    assert.deepEqual(parseMarkdownChecklist('- ![logo](logo.png) [Security](#security)\n- one\n- two\n', 'LAUNCH_CHECKLIST.md').model.items.map((i) => i.text), ['one', 'two']);
  });
});
