import { strict as assert } from 'node:assert';
import { coverage, NOT_ALIASED, peerIds, readPeerNote } from '../../scripts/peerCoverage';
import { builtinChecklists } from './helpers';

/**
 * Closure of the peer comparison note (../shared/notes/peer-rule-gaps.md, sections 2a–2e): every check it does not mark
 * low impact is covered by a rule that carries the peer's id as an alias, and every peer id it names is some rule's
 * alias or is listed, with its reason, in NOT_ALIASED (scripts/peerCoverage.ts, shown in docs/peer-coverage.md).
 */
describe('peer coverage (sections 2a–2e of the comparison note)', () => {
  const rows = readPeerNote();
  const judged = rows.filter((r) => !r.lowImpact && r.ids.length > 0);
  const checklists = builtinChecklists();
  const covered = coverage(judged, checklists);

  it('reads the note: its checks, the low-impact ones marked, the abbreviated peer ids expanded', () => {
    assert.ok(rows.length >= 50, `${rows.length} rows`);
    assert.ok(rows.some((r) => r.lowImpact && r.section.startsWith('2a')) && rows.some((r) => r.lowImpact && r.section.startsWith('2c')));
    for (const s of ['2a', '2b', '2c', '2d', '2e']) assert.ok(judged.some((r) => r.section.startsWith(s)), s);
    assert.deepEqual(peerIds('Checkov CKV_K8S_155–158, CKV2_K8S_1'), ['checkov:CKV_K8S_155', 'checkov:CKV_K8S_156', 'checkov:CKV_K8S_157', 'checkov:CKV_K8S_158', 'checkov:CKV2_K8S_1']);
    assert.deepEqual(peerIds('Checkov CKV2_DOCKER_2,3; hadolint DL3048–DL3050, DL3058'), ['checkov:CKV2_DOCKER_2', 'checkov:CKV2_DOCKER_3', 'hadolint:DL3048', 'hadolint:DL3049', 'hadolint:DL3050', 'hadolint:DL3058']);
    assert.deepEqual(peerIds('kube-score deployment-/statefulset-has-host-podantiaffinity, pod-topology-spread-constraints (opt); Polaris topologySpreadConstraint'), [
      'kube-score:deployment-has-host-podantiaffinity',
      'kube-score:statefulset-has-host-podantiaffinity',
      'kube-score:pod-topology-spread-constraints',
      'polaris:topologySpreadConstraint',
    ]);
    assert.deepEqual(peerIds('hadolint (ShellCheck SCxxxx)'), ['shellcheck:SCxxxx']);
    assert.deepEqual(peerIds('Checkov CKV2_DOCKER_17; hadolint DL3027, Checkov CKV_DOCKER_9'), ['checkov:CKV2_DOCKER_17', 'hadolint:DL3027', 'checkov:CKV_DOCKER_9']);
  });

  it('covers every check not marked low impact with a rule that aliases one of its peer ids (or lists every id with a reason)', () => {
    const open = covered.filter((c) => c.rules.length === 0 && !c.row.ids.every((id) => NOT_ALIASED[id])).map((c) => `${c.row.section.slice(0, 2)} ${c.row.check}: ${c.row.ids.join(' ')}`);
    assert.deepEqual(open, []);
  });

  it('gives every peer id of those checks to a rule as an alias, or says why not', () => {
    const missing = covered.flatMap((c) => c.unaliased.filter((id) => !NOT_ALIASED[id]).map((id) => `${c.row.section.slice(0, 2)} ${id}`));
    assert.deepEqual(missing, []);
  });

  it('lists no reason for an id that is aliased or that the note does not name', () => {
    const unaliased = new Set(covered.flatMap((c) => c.unaliased));
    assert.deepEqual(Object.keys(NOT_ALIASED).filter((id) => !unaliased.has(id)), []);
  });

  it('uses no alias that names a check the peer does not have', () => {
    const wrong = new Set(['kube-linter:no-startup-probe', 'kube-linter:configmap-with-credentials', 'kube-linter:image-not-pinned-by-digest']);
    const items = checklists.flatMap((c) => c.sections.flatMap((s) => s.items));
    assert.deepEqual(items.flatMap((i) => i.aliases.filter((a) => wrong.has(a)).map((a) => `${i.id} ${a}`)), []);
  });
});
