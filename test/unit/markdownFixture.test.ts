import { strict as assert } from 'node:assert';
import { setCheckedEdit } from '../../src/engine/markdown/edits';
import { linkChecklist, type LinkedChecklist } from '../../src/engine/markdown/link';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { applyEdits } from '../../src/engine/text';
import type { ScanResult } from '../../src/node/host';
import { CHECKLIST, scanMarkdownRepo } from './markdownRepo';

describe('Markdown checklist of a fixture repository, linked to its audit', () => {
  let scan: ScanResult;
  let text: string;
  let linked: LinkedChecklist;
  const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
  const itemAt = (needle: string) => linked.items.find((i) => i.line === lineOf(needle))!;

  before(async () => {
    ({ scan, text, linked } = await scanMarkdownRepo());
  });

  it('the scan picks the checklist up as Markdown and reads every task item (not the one in a code block)', () => {
    assert.equal(scan.engine.file(CHECKLIST)?.kind, 'markdown');
    assert.equal(linked.file, CHECKLIST);
    assert.equal(linked.title, 'Production Checklist: shop');
    assert.equal(linked.items.length, text.split('\n').filter((l) => /^- \[[ x]\] /.test(l)).length - 1);
    assert.ok(!linked.items.some((i) => i.text.includes('kubectl')));
  });

  it('flags a ticked item whose rules fail, naming the failing findings, with related information at each', () => {
    const item = itemAt('Memory limits are configured appropriately');
    assert.equal(item.checked, true);
    assert.equal(item.status, 'fail');
    assert.deepEqual(item.links.map((l) => l.id), ['k8s.resources.limits.memory']);
    const failing = scan.result.findings.filter((f) => f.ruleId === 'k8s.resources.limits.memory');
    assert.ok(failing.length > 0, 'the fixture has no memory limit');
    const diag = linked.diagnostics.find((d) => d.range.start.line === item.line)!;
    assert.equal(diag.code, 'markdown.ticked-failing');
    assert.equal(diag.severity, 'warning');
    assert.equal(diag.tick, false, 'its quick fix unticks');
    assert.match(diag.message, /^Ticked, but k8s\.resources\.limits\.memory fails: /);
    for (const f of failing) assert.ok(diag.message.includes(`${f.message} (${f.file}:${f.range.start.line + 1})`));
    assert.deepEqual(
      diag.related.map((r) => [r.file, r.range]),
      failing.map((f) => [f.file, f.range]),
    );
  });

  it('a pinned catalogue id links every finer rule under it, and a failing one flags the ticked item', () => {
    const item = itemAt('No secrets written into manifests');
    assert.deepEqual(item.links.map((l) => [l.id, l.reason]), [['k8s.secrets.secret-ref', 'pinned (k8s.secrets)']]);
    assert.equal(item.status, 'fail');
    const diag = linked.diagnostics.find((d) => d.range.start.line === item.line)!;
    assert.equal(diag.code, 'markdown.ticked-failing');
    assert.ok(!diag.message.includes('s3cr3t-literal-never-print-me'), 'the secret value stays out of the message');
    assert.deepEqual(diag.related.map((r) => r.file), ['k8s/deployment.yaml']);
  });

  it('hints at unticked items whose rules all pass; ticking them (the quick fix) clears the hint', () => {
    const hinted = linked.diagnostics.filter((d) => d.code === 'markdown.unticked-passing');
    assert.deepEqual(
      hinted.map((d) => d.range.start.line).sort((a, b) => a - b),
      [lineOf('Use readiness and liveness probes'), lineOf('Dockerfile optimized')],
    );
    for (const d of hinted) {
      assert.equal(d.severity, 'hint');
      assert.equal(d.tick, true);
      for (const l of linked.items[d.item].links.filter((x) => x.mode === 'auto')) assert.equal(scan.result.items.find((r) => r.id === l.id)?.status, 'pass');
    }
    const edits = hinted.map((d) => setCheckedEdit(text, linked.items[d.item].line, true)!);
    const ticked = applyEdits(text, edits);
    assert.equal(ticked.split('\n').length, text.split('\n').length);
    const relinked = linkChecklist({ path: CHECKLIST, model: parseMarkdownChecklist(ticked, CHECKLIST).model }, scan.result, scan.engine.resolvedItems);
    assert.deepEqual(relinked.diagnostics.filter((d) => d.code === 'markdown.unticked-passing'), []);
    assert.equal(relinked.diagnostics.filter((d) => d.code === 'markdown.ticked-failing').length, 2);
  });

  it('unticking a failing item (the other quick fix) clears its warning', () => {
    const failing = linked.diagnostics.filter((d) => d.code === 'markdown.ticked-failing');
    const unticked = applyEdits(text, failing.map((d) => setCheckedEdit(text, linked.items[d.item].line, false)!));
    const relinked = linkChecklist({ path: CHECKLIST, model: parseMarkdownChecklist(unticked, CHECKLIST).model }, scan.result, scan.engine.resolvedItems);
    assert.deepEqual(relinked.diagnostics.filter((d) => d.code === 'markdown.ticked-failing'), []);
  });

  it('leaves manual items to people: ticked by hand, signed off, or pinned manual; none links to an automated rule', () => {
    for (const needle of ['On-call rotation defined', 'Automated database backups', 'is replaced from the vault']) {
      const item = itemAt(needle);
      assert.equal(item.status, 'manual', needle);
      assert.deepEqual(item.links.filter((l) => l.mode === 'auto'), [], needle);
      // A ticked one is "ticked, not verified" (a hint), never a pass.
      const codes = linked.diagnostics.filter((d) => d.item === linked.items.indexOf(item) && d.code !== 'markdown.unknown-pin').map((d) => d.code);
      assert.deepEqual(codes, item.checked && !item.attestations.length ? ['markdown.ticked-unverified'] : [], needle);
    }
    assert.deepEqual(itemAt('is replaced from the vault').links, []);
    const backups = itemAt('Automated database backups');
    assert.deepEqual(backups.attestations.map((a) => [a.id, a.by, a.at]), [['backup.schedule', 'alice@example.com', '2026-11-20']]);
  });

  it('reports an unknown pinned id at the pin, and summarises the checklist', () => {
    const unknown = linked.diagnostics.filter((d) => d.code === 'markdown.unknown-pin');
    assert.equal(unknown.length, 1);
    assert.equal(unknown[0].range.start.line, lineOf('no.such.rule'));
    assert.equal(text.split('\n')[unknown[0].range.start.line].slice(unknown[0].range.start.character, unknown[0].range.end.character), '<!-- shipshape: no.such.rule -->');
    const s = linked.summary;
    assert.equal(s.items, linked.items.length);
    assert.equal(s.fail, 2);
    assert.equal(s.pass + s.fail + s.manual + s.notApplicable, s.items);
    assert.equal(s.checked, linked.items.filter((i) => i.checked).length);
  });
});
