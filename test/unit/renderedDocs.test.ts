import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { locateK8s } from '../../src/engine/fixes/k8s/common';
import { docsAfter, RenderedTexts } from '../../src/engine/fixes/renderedDocs';
import { YamlEditor } from '../../src/engine/fixes/yamlEdit';
import type { Finding } from '../../src/engine/model';
import type { TextEdit } from '../../src/engine/model';
import { applyEdits } from '../../src/engine/text';

const plain = (text: string): unknown[] => parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown);

/** A rendered output of several objects: the demo's plain manifests, one file of many documents. */
const DEMO = path.resolve(__dirname, '../../../shared/corpus/realworld/microservices-demo');
const text = readFileSync(path.join(DEMO, 'release/kubernetes-manifests.yaml'), 'utf8');

const insertAt = (line: number, newText: string): TextEdit => ({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText });

describe('A rendered output before and after a fix', () => {
  const texts = new RenderedTexts();
  const before = texts.of(text);

  it('reads every document once per text, with its place in the text', () => {
    assert.ok(before.values.length > 20, `${before.values.length} documents`);
    assert.deepEqual(before.values, plain(text));
    assert.equal(texts.of(text), before, 'the same text is read once');
    for (const [s, e] of before.spans) assert.ok(s < e && e <= text.length);
  });

  it('an edit inside one document gives the same documents as parsing the whole edited text, and keeps the others as they were', () => {
    const lines = text.split('\n');
    let checked = 0;
    for (let i = 0; i < lines.length; i++) {
      if (!/^ {4}spec:$/.test(lines[i])) continue;
      const edits = [insertAt(i + 1, '      priorityClassName: high\n')];
      const docIndex = before.spans.findIndex(([s, e]) => s <= before.index.offsetAt({ line: i, character: 0 }) && before.index.offsetAt({ line: i, character: 0 }) < e);
      const edited = applyEdits(text, edits);
      const after = docsAfter(before, docIndex, edits);
      assert.deepEqual(after, plain(edited));
      assert.ok(after.every((d, k) => k === docIndex || d === before.values[k]), 'other documents are the values read before');
      assert.notDeepEqual(after[docIndex], before.values[docIndex]);
      checked++;
    }
    assert.ok(checked >= 10, `${checked} pod templates edited`);
  });

  it('an edit that adds a document, or lies outside the object, is read from the whole edited text', () => {
    const first = before.spans[0];
    const line = before.index.positionAt(first[1]).line;
    for (const edits of [[insertAt(line, '---\nkind: ConfigMap\n')], [insertAt(0, '# header\n')]]) {
      const edited = applyEdits(text, edits);
      assert.deepEqual(docsAfter(before, 0, edits), plain(edited));
    }
    const split = [insertAt(before.index.positionAt(first[0]).line + 2, '---\n')];
    assert.equal(docsAfter(before, 0, split).length, before.values.length + 1);
  });

  it('the fixes of a run locate their objects in one reading of each text, the same as a reading of their own', () => {
    const shared = new RenderedTexts();
    const ed = shared.yaml(text);
    assert.equal(shared.yaml(text), ed, 'the same text is read for editing once');
    let located = 0;
    for (let docIndex = 0; docIndex < before.values.length; docIndex++) {
      const finding: Finding = { ruleId: 'k8s.probe', severity: 'warning', fixable: true, message: 'm', file: 'rendered.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, data: { docIndex, objectPath: [] } };
      const own = locateK8s(text, finding);
      const viaRun = locateK8s(text, finding, shared.yaml);
      if ('declined' in own || 'declined' in viaRun) {
        assert.deepEqual(viaRun, own);
        continue;
      }
      assert.equal(viaRun.ed, ed);
      const { ed: a, ...ownTarget } = own;
      const { ed: b, ...runTarget } = viaRun;
      assert.deepEqual(runTarget, ownTarget);
      assert.deepEqual([b.unit, b.indentSeq, b.eol], [a.unit, a.indentSeq, a.eol]);
      located++;
    }
    assert.ok(located > 10, `${located} objects located`);
    const edited = applyEdits(text, [insertAt(0, '# header\n')]);
    assert.notEqual(shared.yaml(edited), ed, 'an edited text is read afresh');
    assert.equal(shared.yaml(edited).text, new YamlEditor(edited).text);
  });
});
