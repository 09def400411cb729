import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import type { SourceFile } from '../../src/engine/workspace';
import { builtinChecklists, FIXTURES, kindOf } from './helpers';

/** Every rule fixture file (folder fixtures included), as one big workspace: `<rule>/<entry…>`. */
function fixtureWorkspace(): SourceFile[] {
  const out: SourceFile[] = [];
  const visit = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(a).isDirectory()) visit(a, r);
      else if (!/\.fixed(\.|$)/.test(name)) {
        const text = readFileSync(a, 'utf8');
        const kind = kindOf(r, text);
        if (kind) out.push({ path: r, text, kind });
      }
    }
  };
  visit(path.join(FIXTURES, 'rules'), '');
  return out;
}

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

/** A fresh engine over the same files in the same order: what the incremental engine must equal. */
function fresh(files: ReadonlyMap<string, SourceFile>, strict: boolean) {
  const engine = new Engine(builtinChecklists());
  for (const f of files.values()) engine.upsert(f);
  return engine.audit({ strict });
}

describe('incremental audit', () => {
  // Every fourth fixture file keeps each fresh audit below a second while mixing all kinds and rules.
  const all = fixtureWorkspace().filter((_, i) => i % 4 === 0);

  it('the fixture workspace exercises several file kinds', () => {
    const kinds = new Set(all.map((f) => f.kind));
    for (const k of ['kubernetes', 'dockerfile', 'env']) assert.ok(kinds.has(k as SourceFile['kind']), `no ${k} fixture`);
  });

  it('after every edit, removal and re-addition, equals a fresh audit of the same files', function () {
    this.timeout(180_000);
    const r = rng(42);
    const current = new Map<string, SourceFile>();
    const engine = new Engine(builtinChecklists());
    for (const f of all) {
      current.set(f.path, f);
      engine.upsert(f);
    }
    assert.deepEqual(engine.audit(), fresh(current, false));
    const removed: SourceFile[] = [];
    let changedFindings = 0;
    let before = engine.audit().findings.length;
    for (let step = 0; step < 14; step++) {
      const roll = r();
      const paths = [...current.keys()];
      const target = current.get(paths[Math.floor(r() * paths.length)])!;
      if (roll < 0.15) {
        engine.remove(target.path);
        current.delete(target.path);
        removed.push(target);
      } else if (roll < 0.25 && removed.length > 0) {
        const back = removed.shift()!;
        engine.upsert(back);
        current.set(back.path, back);
      } else {
        // Give the file the text of another file of its kind (a pass fixture may become a fail one).
        const same = all.filter((f) => f.kind === target.kind && f.text !== target.text);
        if (same.length === 0) continue;
        const next = { ...target, text: same[Math.floor(r() * same.length)].text };
        assert.equal(engine.upsert(next), true);
        current.set(next.path, next);
      }
      const strict = step % 5 === 4;
      const got = engine.audit({ strict });
      assert.deepEqual(got, fresh(current, strict), `step ${step}`);
      if (got.findings.length !== before) changedFindings++;
      before = got.findings.length;
    }
    assert.ok(changedFindings >= 3, 'the edits changed the findings');
  });

  it('an unchanged upsert re-runs nothing and the result stays the same', () => {
    const engine = new Engine(builtinChecklists());
    for (const f of all) engine.upsert(f);
    const first = engine.audit();
    assert.equal(engine.upsert(all[0]), false);
    assert.deepEqual(engine.audit(), first);
  });
});
