import { strict as assert } from 'node:assert';
import type { Finding, FileKind } from '../../src/engine/model';
import { parseFile } from '../../src/engine/parse';
import { findSuppression, readSuppressions } from '../../src/engine/suppress';

function finding(ruleId: string, line: number, file = 'f'): Finding {
  return { ruleId, severity: 'error', fixable: false, file, message: 'm', range: { start: { line, character: 2 }, end: { line, character: 6 } } };
}

function sup(kind: FileKind, path: string, text: string) {
  return readSuppressions(parseFile({ path, kind, text }));
}

describe('suppressions', () => {
  it('a comment on the line above silences the named rule only, and keeps its reason', () => {
    const s = sup('dockerfile', 'Dockerfile', 'FROM node:20\n# shipshape-ignore docker.user.non-root -- runs as root on purpose\nCMD ["node"]\n');
    assert.deepEqual(findSuppression(s, finding('docker.user.non-root', 2), []), { by: 'shipshape-ignore', reason: 'runs as root on purpose' });
    assert.equal(findSuppression(s, finding('docker.healthcheck', 2), []), undefined);
    assert.equal(findSuppression(s, finding('docker.user.non-root', 0), []), undefined, 'not other lines');
  });

  it('a trailing comment on the same line, several ids, and blank lines between comment and target', () => {
    const s = sup('env', '.env.production', 'LOG_LEVEL=debug # shipshape-ignore env.log-level, env.other\n# shipshape-ignore env.node-env\n\nNODE_ENV=dev\n');
    assert.ok(findSuppression(s, finding('env.log-level', 0), []));
    assert.ok(findSuppression(s, finding('env.other', 0), []));
    assert.ok(findSuppression(s, finding('env.node-env', 3), []));
  });

  it('the file-level form silences a rule anywhere in the file', () => {
    const s = sup('kubernetes', 'd.yaml', '# shipshape-ignore-file k8s.probes.liveness -- batch-like worker\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n');
    assert.ok(findSuppression(s, finding('k8s.probes.liveness', 4), []));
    assert.equal(findSuppression(s, finding('k8s.probes.readiness', 4), []), undefined);
  });

  it("honours hadolint's ignore comment through the item's aliases", () => {
    const s = sup('dockerfile', 'Dockerfile', 'FROM node:20\n# hadolint ignore=DL3002,DL3008\nUSER root\n');
    assert.ok(findSuppression(s, finding('docker.user.non-root', 2), ['hadolint:DL3002']));
    assert.equal(findSuppression(s, finding('docker.user.non-root', 2), ['hadolint:DL3007']), undefined);
  });

  it('honours Kubernetes annotations (own, kube-linter, polaris, checkov) on the object or its pod template', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: a',
      '  annotations:',
      '    shipshape/ignore: "k8s.replicas.min"',
      '    ignore-check.kube-linter.io/no-liveness-probe: "probe lives in the sidecar"',
      'spec:',
      '  template:',
      '    metadata:',
      '      annotations:',
      '        polaris.fairwinds.com/readinessProbeMissing-exempt: "true"',
      '        checkov.io/skip1: CKV_K8S_20=not needed',
      '    spec:',
      '      containers:',
      '        - name: c',
      '          image: x',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: b',
      'spec:',
      '  containers:',
      '    - name: c',
    ].join('\n');
    const s = sup('kubernetes', 'd.yaml', text);
    assert.ok(findSuppression(s, finding('k8s.replicas.min', 15), []));
    assert.deepEqual(findSuppression(s, finding('k8s.probes.liveness', 15), ['kube-linter:no-liveness-probe']), { by: 'annotation ignore-check.kube-linter.io/no-liveness-probe', reason: 'probe lives in the sidecar' });
    assert.ok(findSuppression(s, finding('k8s.probes.readiness', 15), ['polaris:readinessProbeMissing']));
    assert.ok(findSuppression(s, finding('k8s.pod-security.allow-privilege-escalation', 15), ['checkov:CKV_K8S_20']));
    assert.equal(findSuppression(s, finding('k8s.replicas.min', 24), []), undefined, 'the annotation covers only its own object');
  });
});
