import { strict as assert } from 'node:assert';
import { suppressionEdit, ignoreScopes } from '../../src/engine/fixes/ignore';
import type { Finding, FileKind } from '../../src/engine/model';
import { parseFile } from '../../src/engine/parse';
import { findSuppression, readSuppressions } from '../../src/engine/suppress';
import { applyEdits } from '../../src/engine/text';

function finding(file: string, line: number, character = 0): Finding {
  return { file, ruleId: 'k8s.probes.liveness', severity: 'warning', fixable: false, message: 'm', range: { start: { line, character }, end: { line, character: character + 4 } } };
}

/** Applies the suppression and checks, with the engine's own reader, that it silences the finding. */
function suppress(path: string, kind: FileKind, text: string, f: Finding, reason: string | undefined, scope: 'line' | 'object' = 'line'): string {
  const out = suppressionEdit({ path, text, kind }, f, reason, scope);
  if ('declined' in out) throw new Error(out.declined);
  const after = applyEdits(text, out.edits[0].edits);
  const shifted = scope === 'line' ? { ...f, range: { start: { ...f.range.start, line: f.range.start.line + 1 }, end: { ...f.range.end, line: f.range.end.line + 1 } } } : f;
  const sup = readSuppressions(parseFile({ path, text: after, kind }));
  const hit = findSuppression(sup, scope === 'object' ? { ...f, range: shiftFor(after, text, f) } : shifted, []);
  assert.ok(hit, `the suppression silences the finding:\n${after}`);
  if (reason && scope === 'line') assert.equal(hit.reason, reason.replace(/\s*\n\s*/g, ' '));
  return after;
}

/** Where the finding's line moved to after an annotation was inserted above it. */
function shiftFor(after: string, before: string, f: Finding): Finding['range'] {
  const added = after.split('\n').length - before.split('\n').length;
  return { start: { ...f.range.start, line: f.range.start.line + added }, end: { ...f.range.end, line: f.range.end.line + added } };
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: x:1\n';

describe('ignore edits', () => {
  it('writes the comment above the finding at its indentation, with the reason', () => {
    const out = suppress('pod.yaml', 'kubernetes', POD, finding('pod.yaml', 6, 6), 'sidecar has no HTTP endpoint');
    assert.equal(out, POD.replace('    - name: app', '    # shipshape-ignore k8s.probes.liveness -- sidecar has no HTTP endpoint\n    - name: app'));
  });

  it('keeps CRLF and works for Dockerfiles and .env files', () => {
    const df = 'FROM node:20\r\nCMD ["node"]\r\n';
    assert.equal(suppress('Dockerfile', 'dockerfile', df, finding('Dockerfile', 1), undefined), 'FROM node:20\r\n# shipshape-ignore k8s.probes.liveness\r\nCMD ["node"]\r\n');
    assert.equal(suppress('.env.production', 'env', 'A=1\nLOG_LEVEL=debug\n', finding('.env.production', 1), 'needed\nfor now'), 'A=1\n# shipshape-ignore k8s.probes.liveness -- needed for now\nLOG_LEVEL=debug\n');
  });

  it('annotates the Kubernetes object that holds the finding', () => {
    const out = suppress('pod.yaml', 'kubernetes', POD, finding('pod.yaml', 6, 6), 'batch-like', 'object');
    assert.ok(out.includes('metadata:\n  name: p\n  annotations:\n    shipshape/ignore: k8s.probes.liveness # batch-like\nspec:'), out);
    const again = suppressionEdit({ path: 'pod.yaml', text: out, kind: 'kubernetes' }, { ...finding('pod.yaml', 8, 6), ruleId: 'k8s.resources.limits' }, undefined, 'object');
    assert.ok(!('declined' in again));
    assert.ok(applyEdits(out, again.edits[0].edits).includes('shipshape/ignore: k8s.probes.liveness,k8s.resources.limits # batch-like'));
  });

  it('picks the right object in a multi-document file', () => {
    const two = POD + '---\n' + POD.replace('name: p', 'name: q');
    const out = suppress('pods.yaml', 'kubernetes', two, finding('pods.yaml', 15, 6), undefined, 'object');
    assert.equal(out.split('shipshape/ignore').length, 2);
    assert.ok(out.includes('  name: q\n  annotations:\n    shipshape/ignore: k8s.probes.liveness\n'));
  });

  it('offers no comment in JSON files', () => {
    assert.deepEqual(ignoreScopes('packageJson', 'package.json'), []);
    assert.deepEqual(ignoreScopes('kubernetes', 'k8s/pod.json'), ['object']);
    const out = suppressionEdit({ path: 'package.json', text: '{}', kind: 'packageJson' }, finding('package.json', 0), 'x', 'line');
    assert.ok('declined' in out && /JSON/.test(out.declined));
  });
});
