import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { setCheckedEdit } from '../../src/engine/markdown/edits';
import { parseFile } from '../../src/engine/parse';
import { parseMarkdownChecklist, type MarkdownChecklistModel } from '../../src/engine/parse/markdownChecklist';
import { plainText } from '../../src/engine/parse/markdownText';
import { applyEdits, LineIndex } from '../../src/engine/text';
import { SHARED, withinHangBound } from './helpers';

const parse = (text: string) => parseMarkdownChecklist(text, 'CHECKLIST.md');

describe('Markdown checklist parser', () => {
  it('reads items with their heading path, checked state and the exact checkbox position', () => {
    const text = '# Release\n\n## Containers\n### Limits\n- [ ] Memory limits set\n* [x] CPU limits set\n1. [X] Probes\n';
    const { model, problems } = parse(text);
    assert.deepEqual(problems, []);
    assert.equal(model.title, 'Release');
    assert.deepEqual(
      model.items.map((i) => [i.text, i.checked, i.headingPath.join(' > '), i.line]),
      [
        ['Memory limits set', false, 'Release > Containers > Limits', 4],
        ['CPU limits set', true, 'Release > Containers > Limits', 5],
        ['Probes', true, 'Release > Containers > Limits', 6],
      ],
    );
    const lines = new LineIndex(text);
    for (const item of model.items) {
      const box = lines.lineText(item.line).slice(item.checkboxRange.start.character, item.checkboxRange.end.character);
      assert.equal(box, item.checked ? lines.lineText(item.line).includes('[X]') ? 'X' : 'x' : ' ');
      assert.equal(lines.lineText(item.line).slice(item.textRange.start.character, item.textRange.end.character), item.text);
    }
  });

  it('ignores task-like lines in fenced code and HTML comments, and reads setext headings', () => {
    const text = ['Deploy', '======', '', '```md', '- [ ] not an item', '```', '<!--', '- [ ] hidden', '-->', 'Checks', '------', '~~~', '- [x] also code', '~~~', '- [x] real item'].join('\n');
    const { model } = parse(text);
    assert.deepEqual(
      model.items.map((i) => [i.text, i.headingPath]),
      [['real item', ['Deploy', 'Checks']]],
    );
  });

  it('puts a plain list item that holds task items into their path (as the seeds number pipeline stages)', () => {
    const text = '## Pipeline Stages\n1. **Build**\n   - [ ] Lint code\n   - [ ] Run unit tests\n\n2. **Test**\n   - [ ] Integration tests\n- [ ] Top level\n';
    const { model } = parse(text);
    assert.deepEqual(
      model.items.map((i) => `${i.headingPath.join(' > ')} | ${i.text}`),
      ['Pipeline Stages > Build | Lint code', 'Pipeline Stages > Build | Run unit tests', 'Pipeline Stages > Test | Integration tests', 'Pipeline Stages | Top level'],
    );
  });

  it('nests task items and joins continuation lines', () => {
    const text = '- [ ] Parent item\n  continues here\n  - [x] Child item\n- [ ] Sibling\n';
    const { model } = parse(text);
    assert.equal(model.items[0].text, 'Parent item continues here');
    assert.equal(model.items[1].parent, 0);
    assert.equal(model.items[2].parent, undefined);
  });

  it('reads pins, strips them from the text, and reports an empty pin', () => {
    const text = '- [ ] Limits everywhere <!-- shipshape: k8s.resources.limits, k8s.resources.requests -->\n- [ ] Talk to legal <!-- shipshape: manual -->\n- [ ] Odd <!-- shipshape: -->\n';
    const { model, problems } = parse(text);
    assert.deepEqual(model.items[0].pin?.ids, ['k8s.resources.limits', 'k8s.resources.requests']);
    assert.equal(model.items[0].text, 'Limits everywhere');
    assert.equal(model.items[1].pin?.manual, true);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].range?.start.line, 2);
    const line0 = text.split('\n')[0];
    const pin = model.items[0].pin!;
    assert.ok(line0.slice(pin.range.start.character, pin.range.end.character).startsWith('<!-- shipshape:'));
  });

  it('keeps positions right with CRLF, a BOM, tabs and characters outside the BMP', () => {
    const text = '\uFEFF# T\r\n\t- [ ] 🚀 Launch `NODE_ENV=production`\r\n- [x] Done\r\n';
    const { model } = parse(text);
    assert.equal(model.eol, '\r\n');
    assert.deepEqual(model.items.map((i) => i.text), ['🚀 Launch `NODE_ENV=production`', 'Done']);
    assert.equal(model.items[0].plain, '🚀 Launch NODE_ENV=production');
    const edit = setCheckedEdit(text, model.items[0].line, true)!;
    assert.deepEqual(edit.range, model.items[0].checkboxRange);
    const ticked = applyEdits(text, [edit]);
    assert.equal(ticked, text.replace('- [ ] 🚀', '- [x] 🚀'));
    assert.equal(parse(ticked).model.items[0].checked, true);
  });

  it('tick and untick edits change one character and are idempotent', () => {
    const text = '# T\n- [x] Done\n- [ ] Todo\nplain line\n';
    const untick = setCheckedEdit(text, 1, false)!;
    assert.equal(applyEdits(text, [untick]), '# T\n- [ ] Done\n- [ ] Todo\nplain line\n');
    assert.equal(setCheckedEdit(text, 1, true), undefined, 'already ticked');
    assert.equal(setCheckedEdit(text, 3, true), undefined, 'not a task line');
    assert.equal(setCheckedEdit(text, 99, true), undefined, 'past the end');
  });

  it('strips inline Markdown for matching', () => {
    assert.equal(plainText('**Use** `non-root` [users](http://x) in _containers_ <br> \\*really\\*'), 'Use non-root users in containers *really*');
  });

  it('is registered for the markdown kind and never throws on odd input', () => {
    const parsed = parseFile({ path: 'README.md', kind: 'markdown', text: '- [ ] a\n- [x] b\n- [ ] c\n' });
    assert.equal((parsed.model as MarkdownChecklistModel).items.length, 3);
    for (const odd of ['', '\n\n', '- [', '- [ ]', '```\n- [ ] open fence', '#'.repeat(10) + ' x', '- [x]\n  - [ ]\n    - [x] deep', '\u0000- [ ] nul']) {
      assert.doesNotThrow(() => parse(odd));
    }
    assert.equal(parse('- [ ]').model.items.length, 1, 'an empty item is still an item');
  });

  it('reads headings with a closing run of #, and hostile layouts (long runs of spaces, deep nesting, long wrapped items) whole, without stalling', () => {
    const { model } = parse('## Limits ##\n### Probes #1\n#### ###\n#hashtag\n- [ ] x\n');
    assert.deepEqual(model.headings.map((h) => [h.level, h.text]), [[2, 'Limits'], [3, 'Probes #1'], [4, '']]);
    // A hang detector (withinHangBound): each of these took seconds to minutes when a pattern backtracked over a
    // line's spaces or an item's text was re-read at each of its wrapped lines.
    const hostile: [string, string, (m: MarkdownChecklistModel) => void][] = [
      ['a heading with a long run of spaces', `# Go${' '.repeat(300_000)}live\n- [ ] Probes\n`, (m) => assert.deepEqual(m.items[0].headingPath, ['Go live'])],
      ['items nested a thousand deep', Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- [ ] Limits ${i}`).join('\n'), (m) => assert.equal(m.items[999].parent, 998)],
      ['a line of brackets', `- [ ] Limits ${'(['.repeat(100_000)}`, (m) => assert.equal(m.items.length, 1)],
      ['a run of unclosed comments', `- [ ] Limits ${'<!--'.repeat(50_000)}`, (m) => assert.equal(m.items[0].plain, 'Limits')],
      ['a run of tag openers', `- [ ] Limits ${'<a'.repeat(100_000)}`, (m) => assert.ok(m.items[0].plain.startsWith('Limits <a<a'))],
      ['a pin with a long run of spaces', `- [ ] Limits <!-- shipshape: k8s.resources.limits${' '.repeat(200_000)}-->`, (m) => assert.deepEqual(m.items[0].pin?.ids, ['k8s.resources.limits'])],
      ['an item wrapped over two thousand lines', `- [ ] Limits\n${'   set    on every container\n'.repeat(2000)}`, (m) => assert.equal(m.items[0].plain, `Limits${' set on every container'.repeat(2000)}`)],
    ];
    for (const [what, text, check] of hostile) check(withinHangBound(what, () => parse(text)).model);
  });

  it('reads every item of the five seed checklists with the sections items.tsv gives', () => {
    const rows = readFileSync(path.join(SHARED, 'seed-analysis', 'items.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const byRef = new Map(rows.map((r) => [r[0], r]));
    const seedDir = path.join(SHARED, 'seeds');
    let count = 0;
    for (const name of readdirSync(seedDir).sort()) {
      const { model } = parse(readFileSync(path.join(seedDir, name), 'utf8'));
      for (const item of model.items) {
        const row = byRef.get(`${name.slice(0, 3)}:${item.line + 1}`);
        assert.ok(row, `${name}:${item.line + 1} is not in items.tsv`);
        assert.equal(item.text, row[3].trim());
        // items.tsv leaves out the document title and emoji that start some headings
        const section = item.headingPath.slice(1).map((h) => h.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9)]+$/, '')).join(' > ');
        assert.equal(section, row[2]);
        count++;
      }
    }
    assert.equal(count, rows.length);
  });
});
