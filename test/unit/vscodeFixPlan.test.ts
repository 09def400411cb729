import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Engine } from '../../src/engine/audit';
import { fixAll } from '../../src/engine/fixes/run';
import type { Finding } from '../../src/engine/model';
import { applyEdits } from '../../src/engine/text';
import { contentHash, findingIdentity, relocate, textEdits } from '../../src/vscode/fixPlan';
import { builtinChecklists } from './helpers';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

function finding(line: number, extra: Partial<Finding> = {}): Finding {
  return { file: 'k8s/app.yaml', ruleId: 'k8s.probes.liveness', severity: 'error', fixable: true, message: 'Container web has no liveness probe', range: { start: { line, character: 4 }, end: { line, character: 9 } }, ...extra };
}

describe('vscode fixes: edits between texts', () => {
  it('turns a fix-all result into edits of the changed lines only (the fixture Deployment)', () => {
    const before = readFileSync(path.join(FIXTURES, 'workspaces', 'shop', 'k8s', 'deployment.yaml'), 'utf8');
    const engine = new Engine(builtinChecklists());
    engine.upsert({ path: 'k8s/deployment.yaml', text: before, kind: 'kubernetes' });
    const result = fixAll(engine, { rules: new Set(['k8s.probes.liveness', 'k8s.probes.readiness']) });
    const after = result.files.get('k8s/deployment.yaml')!.after;
    const edits = textEdits(before, after);
    assert.equal(applyEdits(before, edits), after);
    const firstChanged = before.split('\n').findIndex((l, i) => l !== after.split('\n')[i]);
    assert.ok(edits.every((e) => e.range.start.line >= firstChanged - 1), 'no edit before the first changed line');
    assert.ok(edits.length >= 1 && edits.length <= 2);
  });

  it('keeps CRLF, a missing final newline and separate edits apart', () => {
    const before = 'a: 1\r\nb: 2\r\nc: 3\r\nd: 4';
    const after = 'a: 1\r\nx: 0\r\nb: 2\r\nc: 3\r\nd: 5';
    const edits = textEdits(before, after);
    assert.equal(edits.length, 2);
    assert.equal(applyEdits(before, edits), after);
    assert.deepEqual(textEdits(before, before), []);
    assert.equal(applyEdits('', textEdits('', 'node_modules\n.git\n')), 'node_modules\n.git\n', 'a created file is one insert');
  });

  it('applyEdits(before, textEdits(before, after)) === after for any texts', () => {
    const line = fc.constantFrom('', 'a', 'b: 1', '  - c', '# note', 'x'.repeat(30));
    const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([ls, nl, end]) => ls.join(nl) + (end && ls.length ? nl : ''));
    fc.assert(
      fc.property(text, text, (before, after) => applyEdits(before, textEdits(before, after)) === after),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('vscode fixes: finding identity and content hashes', () => {
  it('relocates a finding after lines were inserted above it, by rule, object, container and data', () => {
    const target = finding(15, { object: 'Deployment/shop', container: 'web', data: { docIndex: 0, containerPath: ['spec', 'template', 'spec', 'containers', 0] } });
    const moved = { ...target, range: { start: { line: 18, character: 4 }, end: { line: 18, character: 9 } } };
    const other = { ...target, container: 'sidecar', range: { start: { line: 15, character: 4 }, end: { line: 15, character: 9 } } };
    assert.equal(relocate([other, moved], target), moved);
    assert.equal(relocate([other], target), undefined, 'gone once the container has its probe');
    assert.notEqual(findingIdentity(target), findingIdentity(other));
  });

  it('prefers the nearest of several equal findings', () => {
    const a = finding(3);
    const b = finding(30);
    assert.equal(relocate([b, a], finding(5)), a);
    assert.equal(relocate([a, b], finding(28)), b);
  });

  it('hashes tell changed and absent files apart', () => {
    assert.equal(contentHash('a\n'), contentHash('a\n'));
    assert.notEqual(contentHash('a\n'), contentHash('a\r\n'));
    assert.equal(contentHash(undefined), 'absent');
    assert.notEqual(contentHash(''), 'absent');
  });
});
