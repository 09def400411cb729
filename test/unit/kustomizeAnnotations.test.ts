import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseYaml, toPlain } from '../../src/engine/parse/yamlSupport';
import { annotationLines, cutLines, printed, type CleanRendering } from '../../src/engine/render/annotationLines';
import { keysOf } from '../../src/engine/render/sourceMap';
import { FIXTURES, SHARED } from './helpers';
import { kubectlBinary } from './renderSupport';

/** `kubectl kustomize` of a folder with the source-map annotations, as the host renders it. */
function annotatedBuild(dir: string): string {
  const wrapper = mkdtempSync(path.join(tmpdir(), 'shipshape-annotations-'));
  try {
    writeFileSync(path.join(wrapper, 'kustomization.yaml'), `resources:\n- ${JSON.stringify(path.relative(wrapper, dir))}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n`);
    return execFileSync(kubectlBinary(), ['kustomize', wrapper], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(wrapper, { recursive: true, force: true });
  }
}

const keyList = (r: CleanRendering, withLines: boolean): string[] => r.rendered.keys.map((k) => `${k.docIndex}:${k.path.join('.')}${withLines ? `@${k.line}` : ''}`);

/** The cut rendering against the documents printed and parsed again (the way it was done before). */
function compare(output: string): { cut: CleanRendering; print: CleanRendering } {
  const once = parseYaml(output, 'rendered');
  const lines = annotationLines(output, once.docs, once.lineCounter);
  assert.ok(lines, 'kubectl output: the annotations fill whole lines');
  const cut = cutLines(output, once.docs, once.lineCounter, lines);
  const again = parseYaml(output, 'rendered');
  return { cut, print: printed(again.docs) };
}

function assertSameRendering(output: string): void {
  const { cut, print } = compare(output);
  assert.ok(!/config\.kubernetes\.io\/(origin|transformations)/.test(cut.text));
  const reparsed = parseYaml(cut.text, 'cut');
  assert.deepEqual(reparsed.docs.map(toPlain), parseYaml(print.text, 'printed').docs.map(toPlain), 'the same objects as printing them');
  assert.deepEqual(keyList(cut, false), keyList(print, false), 'the same keys');
  const fresh: CleanRendering = { text: cut.text, rendered: { keys: keysOf(reparsed.docs, reparsed.lineCounter), lineCount: reparsed.lineCounter.lineStarts.length } };
  assert.deepEqual(keyList(cut, true), keyList(fresh, true), 'every key at the line a parse of the cut text gives it');
  assert.equal(cut.rendered.lineCount, fresh.rendered.lineCount);
}

describe('Kustomize source-map annotations taken out of a rendering', function () {
  this.timeout(60000);

  it('overlapping components (microservices-demo): the same objects and keys as printing, each key at its line in the text handed on', () => {
    assertSameRendering(annotatedBuild(path.join(SHARED, 'corpus', 'realworld', 'microservices-demo', 'kustomize', 'tests', 'spanner-with-all-components')));
  });

  it('overlays with patches, images and a name prefix (fixtures)', () => {
    assertSameRendering(annotatedBuild(path.join(FIXTURES, 'kustomize', 'overlays', 'prod')));
  });

  it('other annotations stay; annotations: goes only when nothing else is in it', () => {
    const output = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  annotations:',
      '    alpha.config.kubernetes.io/transformations: |',
      '      - configuredIn: kustomization.yaml',
      '        configuredBy:',
      '          apiVersion: builtin',
      '          kind: PatchTransformer',
      '    config.kubernetes.io/origin: |',
      '      path: a.yaml',
      '    team: payments',
      '  name: a',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  annotations:',
      '    config.kubernetes.io/origin: |',
      '      path: b.yaml',
      '  name: b',
      'data:',
      '  note: "two\\nlines"',
      '',
    ].join('\n');
    const { cut } = compare(output);
    assert.equal(cut.text, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    team: payments\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  note: "two\\nlines"\n');
    assert.deepEqual(keyList(cut, true).slice(0, 6), ['0:apiVersion@0', '0:kind@1', '0:metadata@2', '0:metadata.annotations@3', '0:metadata.annotations.team@4', '0:metadata.name@5']);
  });

  it('annotations that share a line with other text (a flow map) are printed instead, with the same result', () => {
    const output = 'kind: ConfigMap\nmetadata:\n  annotations: {config.kubernetes.io/origin: "path: a.yaml", team: x}\n  name: a\n';
    const once = parseYaml(output, 'rendered');
    assert.equal(annotationLines(output, once.docs, once.lineCounter), undefined);
    const print = printed(once.docs);
    assert.deepEqual(parseYaml(print.text, 'printed').docs.map(toPlain), [{ kind: 'ConfigMap', metadata: { annotations: { team: 'x' }, name: 'a' } }]);
    assert.deepEqual(keyList(print, true), ['0:kind@0', '0:metadata@1', '0:metadata.annotations@2', '0:metadata.annotations.team@2', '0:metadata.name@3']);
  });
});
