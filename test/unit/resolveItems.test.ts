// Resolving checklist items against their templates: an item the config gives no params is resolved once and
// shared by every later resolution (a new engine, a change of settings); the config's params make an item its own.
import * as assert from 'node:assert/strict';
import { resolveItems } from '../../src/engine/resolve';
import { builtinChecklists } from './helpers';

describe('resolving checklist items', () => {
  const byId = (config = {}) => {
    const { items, problems } = resolveItems(builtinChecklists(), config);
    return { items: new Map(items.map((ri) => [ri.item.id, ri])), problems };
  };

  it('an item without params from the config resolves to the same template, params and fix every time', () => {
    const first = byId();
    const second = byId({ rules: { 'docker.healthcheck': 'warning' } });
    assert.ok(first.items.size > 100, `the built-in checklists resolve (${first.items.size} items)`);
    for (const [id, ri] of first.items) {
      const again = second.items.get(id);
      assert.ok(again, `${id} resolves again`);
      assert.equal(again.params, ri.params, `${id}: the same params object`);
      assert.equal(again.template, ri.template, `${id}: the same template`);
      assert.equal(again.fix, ri.fix, `${id}: the same fix`);
    }
    // a severity set by the config is the resolution's own, whatever is shared
    assert.equal(second.items.get('docker.healthcheck')!.severity, 'warning');
    assert.equal(first.items.get('docker.healthcheck')!.severity, 'info');
  });

  it("the config's params make an item's own params, merged over the checklist's, and leave the others shared", () => {
    const plain = byId();
    const configured = byId({ rules: { 'k8s.replicas.min': { with: { min: 5 } } } });
    const own = configured.items.get('k8s.replicas.min')!;
    assert.notEqual(own.params, plain.items.get('k8s.replicas.min')!.params);
    assert.equal((own.params as { min: number }).min, 5);
    assert.equal((plain.items.get('k8s.replicas.min')!.params as { min: number }).min, 3, 'the shared resolution keeps the checklist value');
    assert.equal(configured.items.get('k8s.probes.liveness')!.params, plain.items.get('k8s.probes.liveness')!.params);
  });

  it('params the template refuses are a located problem and leave the item out, without touching the shared resolution', () => {
    const bad = byId({ rules: { 'k8s.replicas.min': { with: { min: 'three' } } } });
    assert.equal(bad.items.has('k8s.replicas.min'), false);
    const problem = bad.problems.find((p) => p.message.startsWith('rules.k8s.replicas.min.with:'));
    assert.ok(problem, `a problem names the setting: ${bad.problems.map((p) => p.message).join(' | ')}`);
    assert.equal(problem.file, '.shipshape.yaml');
    assert.equal(problem.severity, 'error');
    const after = byId();
    assert.equal((after.items.get('k8s.replicas.min')!.params as { min: number }).min, 3);
  });
});
