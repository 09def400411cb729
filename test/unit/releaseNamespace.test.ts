import { strict as assert } from 'node:assert';
import { openReleaseNamespace, RELEASE_NAMESPACE_PLACEHOLDER as NS, releaseNamespaceOf, shownNamespace } from '../../src/engine/render/releaseNamespace';
import { parseKubernetes } from '../../src/engine/parse/kubernetes';

describe("a rendered chart's release namespace", () => {
  it('a value that is the release namespace alone is left empty; inside a longer value it reads as helm renders it without -n', () => {
    const out = [
      'metadata:',
      `  namespace: ${NS}`,
      `  other: "${NS}"  # quoted, with a comment`,
      'spec:',
      '  namespaceSelector:',
      '    matchNames:',
      `      - '${NS}'`,
      `  args: ["--addr=web.${NS}.svc:80"]`,
      `  url: http://api.${NS}.svc.cluster.local`,
      '',
    ].join('\n');
    assert.equal(
      openReleaseNamespace(out),
      ['metadata:', '  namespace: ""', '  other: ""  # quoted, with a comment', 'spec:', '  namespaceSelector:', '    matchNames:', '      - ""', '  args: ["--addr=web.default.svc:80"]', '  url: http://api.default.svc.cluster.local', ''].join('\n'),
    );
    assert.equal(openReleaseNamespace(out).split('\n').length, out.split('\n').length, 'lines keep their number');
    const plain = 'metadata:\n  namespace: shop\n';
    assert.equal(openReleaseNamespace(plain), plain);
  });

  it("a rendered chart's objects that name no namespace, or the release's, are in the release's; a namespace written in stays", () => {
    const text = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: a, namespace: ""}', '---', 'apiVersion: v1', 'kind: Service', 'metadata: {name: b}', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c, namespace: shop}', ''].join('\n');
    const release = releaseNamespaceOf('charts/web [prod]');
    const { model } = parseKubernetes(text, 'charts/web [prod] (helm template)', { rendered: true, releaseNamespace: release });
    assert.deepEqual(model.objects.map((o) => o.namespace), [release, release, 'shop']);
    assert.notEqual(releaseNamespaceOf('charts/web [staging]'), release, 'each environment is a release of its own');
    assert.deepEqual(parseKubernetes(text, 'k8s/all.yaml').model.objects.map((o) => o.namespace), ['', undefined, 'shop'], 'plain manifests keep what they say');
    assert.deepEqual([shownNamespace(release), shownNamespace(''), shownNamespace(undefined), shownNamespace('shop')], [undefined, undefined, undefined, 'shop']);
  });
});
