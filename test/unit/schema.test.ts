import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { schemaFiles } from '../../src/engine/checklist/jsonSchema';
import { loadChecklist, loadConfig } from '../../src/engine/checklist/load';
import { REPO } from './helpers';

describe('checklist format', () => {
  it('the generated JSON schemas are up to date (npm run schema)', () => {
    for (const [rel, content] of Object.entries(schemaFiles())) assert.equal(readFileSync(path.join(REPO, rel), 'utf8'), content, `${rel} is stale: run npm run schema`);
  });

  it('locates an unknown key at the key', () => {
    const text = 'id: demo\ntitle: Demo\nsections:\n  - id: s\n    title: S\n    items:\n      - id: a.b\n        title: A\n        severty: error\n';
    const { problems } = loadChecklist(text, 'demo.checklist.yaml');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /unknown key "severty"/);
    assert.deepEqual(problems[0].range?.start, { line: 8, character: 8 });
  });

  it('locates a bad enum value at the value', () => {
    const text = 'id: demo\ntitle: Demo\nsections:\n  - id: s\n    title: S\n    items:\n      - id: a.b\n        title: A\n        severity: fatal\n';
    const { problems } = loadChecklist(text, 'demo.checklist.yaml');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /severity: expected one of "error", "warning", "info"/);
    assert.deepEqual(problems[0].range?.start, { line: 8, character: 18 });
  });

  it('reports an unknown check template at the check', () => {
    const text = 'id: demo\ntitle: Demo\nsections:\n  - id: s\n    title: S\n    items:\n      - id: a.b\n        title: A\n        check: no.such.template\n';
    const { checklist, problems } = loadChecklist(text, 'demo.checklist.yaml');
    assert.match(problems[0].message, /unknown check template "no.such.template"/);
    assert.equal(problems[0].range?.start.line, 8);
    assert.equal(checklist?.sections[0].items.length, 0, 'the bad item is dropped, the checklist stays');
  });

  it('reports malformed YAML with a position', () => {
    const { checklist, problems } = loadChecklist('id: [unclosed\n', 'x.checklist.yaml');
    assert.equal(checklist, undefined);
    assert.ok(problems[0].range);
  });

  it('a manual item (no check) loads', () => {
    const { checklist, problems } = loadChecklist('id: ops\ntitle: Ops\nsections:\n  - id: oncall\n    title: On-call\n    items:\n      - id: ops.oncall\n        title: On-call rotation defined\n', 'ops.checklist.yaml');
    assert.deepEqual(problems, []);
    assert.equal(checklist?.sections[0].items[0].check, undefined);
  });

  it('config: rejects an unknown key and a bad severity with positions', () => {
    const { config, problems } = loadConfig('rules:\n  k8s.probe.liveness: loud\nexlude: [a]\n', '.shipshape.yaml');
    assert.equal(config, undefined);
    assert.ok(problems.some((p) => /unknown key "exlude"/.test(p.message) && p.range?.start.line === 2));
    assert.ok(problems.some((p) => /rules\.k8s\.probe\.liveness/.test(p.message) && p.range?.start.line === 1));
  });
});
