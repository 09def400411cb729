import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { linkIndexFor } from '../../src/engine/markdown/link';
import { lineIds, peerIdKey } from '../../src/engine/markdown/peerIds';
import { builtinChecklists } from './helpers';

/**
 * Lines copied from another tool's rule list name its check ids (`no-read-only-root-fs`, `DL3002`); the rules carry
 * those ids as aliases in their data. The lines are written for this test, not taken from a labelled set.
 */
describe("Markdown linking: a peer tool's check ids", () => {
  const { index } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const links = (text: string) => index.link(text).map((l) => `${l.id} [${l.reason}]`).sort();
  const ids = (text: string) => index.link(text).map((l) => l.id).sort();

  it('reads id-shaped tokens of a line, with or without the tool, and files an alias under its id', () => {
    assert.deepEqual(lineIds('`kube-linter:no-read-only-root-fs` and DL3002 - up-to-date').map((i) => i.key), ['no-read-only-root-fs', 'dl3002', 'up-to-date']);
    assert.equal(peerIdKey('hadolint:DL3002'), 'dl3002');
    // one plain word is everyday English, not an id of its own
    assert.equal(peerIdKey('polaris:privileged'), undefined);
    // a file or an image reference is not an id
    assert.deepEqual(lineIds('Copy `docker-compose.yml` and `node:20-alpine`'), []);
  });

  it('a line that is only an id links the rules carrying it, with the alias as the reason', () => {
    assert.deepEqual(links('no-read-only-root-fs'), ['k8s.pod-security.read-only-root-filesystem [names kube-linter:no-read-only-root-fs]']);
    assert.deepEqual(ids('`kube-linter:privileged-container`'), ['k8s.pod-security.privileged']);
  });

  it('an id with a description links when the description speaks of the rule, not when another tool numbered it so', () => {
    assert.deepEqual(links('DL3002 - Last USER should not be root'), ['docker.user.non-root [names hadolint:DL3002]']);
    // hadolint's DL3043 is about ONBUILD; a list numbering its own checks may give the number to another one
    assert.ok(!ids('DL3043 - Specify the OS version tag for base images').includes('docker.structure.onbuild'));
  });
});
