import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { scanFolder } from '../../src/node/host';
import { SHARED } from './helpers';

const CORPUS = path.join(SHARED, 'corpus');

describe('real-world corpus', () => {
  it('the corpus is present beside the repository', () => {
    assert.ok(existsSync(CORPUS), `${CORPUS} is missing`);
  });

  it('scans every corpus file without a crash; what cannot be parsed is a located problem', async () => {
    // no helm here (a path that does not exist): each chart is one located "not audited" problem
    const { result } = await scanFolder(CORPUS, { render: { helm: path.join(CORPUS, 'no-such-helm') } });
    assert.ok(result.summary.files > 400, `read ${result.summary.files} files`);
    for (const p of result.problems) {
      assert.ok(p.file && p.message, 'every problem names a file and says what is wrong');
      if (/^YAML:|invalid JSON|Skipped: unrendered|Not audited/.test(p.message)) assert.ok(p.range, `located: ${p.file}: ${p.message}`);
    }
    // Parse errors and skipped templates are reported for the files that have them.
    const byFile = new Map(result.problems.map((p) => [p.file, p.message]));
    for (const u of result.unaudited) byFile.set(u.file, u.reason);
    assert.match(byFile.get('robustness/kube-score/score/testdata/helm/app1/Chart.yaml') ?? '', /^Helm chart not rendered: helm was not found/);
    assert.ok(!byFile.has('robustness/kube-score/score/testdata/helm/app1/templates/deployment.yaml'), 'a chart template is not audited, nor reported, on its own');
    assert.match(byFile.get('robustness/polaris/pkg/kube/test_files/test_3/bad.yaml') ?? '', /YAML/);
    assert.match(byFile.get('robustness/kube-score/parser/testdata/invalid-yaml.yaml') ?? '', /\$\{/);
    assert.ok(!result.problems.some((p) => /Internal error|failed on this file/.test(p.message)), result.problems.filter((p) => /Internal error|failed on this file/.test(p.message)).map((p) => `${p.file}: ${p.message}`).join('\n'));
  });

  it('unwraps kind: List and skips empty documents', async () => {
    const { engine } = await scanFolder(path.join(CORPUS, 'robustness', 'kube-score', 'score', 'testdata'));
    const list = engine.file('list.yaml');
    assert.ok(list, 'list.yaml is read as a Kubernetes manifest');
    const model = list.model as { objects: { kind: string }[] };
    assert.deepEqual(model.objects.map((o) => o.kind).sort(), ['Deployment', 'Service']);
    const multi = (await scanFolder(path.join(CORPUS, 'robustness', 'polaris', 'pkg', 'kube', 'test_files', 'test_2'))).engine.file('multi.yaml');
    assert.deepEqual((multi?.model as { objects: { kind: string }[] }).objects.map((o) => o.kind).sort(), ['Deployment', 'Namespace', 'Namespace']);
  });

  it('discovers Dockerfile.prod and prod.dockerfile but not .Dockerfile', async () => {
    const { engine } = await scanFolder(path.join(CORPUS, 'robustness', 'checkov', 'tests', 'dockerfile', 'resources', 'name_variations'));
    assert.deepEqual(engine.paths.sort(), ['Dockerfile.prod', 'prod.dockerfile']);
  });
});
