import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { builtinChecklists, kindOf, SHARED } from './helpers';

/** The microservices demo in a fresh engine, audited once. */
function demoEngine(): Engine {
  const engine = new Engine(builtinChecklists());
  const visit = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(a).isDirectory()) visit(a, r);
      else {
        const text = readFileSync(a, 'utf8');
        const kind = kindOf(r, text);
        if (kind) engine.upsert({ path: r, text, kind });
      }
    }
  };
  visit(path.join(SHARED, 'corpus', 'realworld', 'microservices-demo'), '');
  engine.audit();
  return engine;
}

/** The derived values computed by `step`, by name. */
function ran(engine: Engine, step: () => void): string[] {
  const before = new Map(engine.executions);
  step();
  return [...engine.executions].filter(([name, n]) => n !== (before.get(name) ?? 0)).map(([name]) => name);
}

describe('incremental audit: what runs again after a change', () => {
  let engine: Engine;
  before(function () {
    this.timeout(120_000);
    engine = demoEngine();
  });

  const fileItems = () => engine.resolvedItems.filter((ri) => ri.template?.scope === 'file').map((ri) => ri.item.id);
  const edit = (file: string, change: (text: string) => string) => {
    const f = engine.file(file)!;
    assert.equal(engine.upsert({ path: f.path, kind: f.kind, text: change(f.text) }), true);
    engine.audit();
  };

  it('an unchanged file put again and an audit with nothing changed compute nothing', () => {
    const f = engine.file('kubernetes-manifests/adservice.yaml')!;
    assert.deepEqual(
      ran(engine, () => {
        engine.upsert({ path: f.path, kind: f.kind, text: f.text });
        engine.audit();
        engine.audit();
      }),
      [],
    );
  });

  it('a comment added to a manifest re-assembles no file-scope item and touches nothing built from other kinds of file', () => {
    const names = ran(engine, () => edit('kubernetes-manifests/adservice.yaml', (t) => `${t}# reviewed\n`));
    // the manifest's own checks ran, and found what they found before
    assert.ok(names.includes('files of kind kubernetes'));
    assert.ok(names.some((n) => n.endsWith(' on kubernetes')));
    const records = new Set(fileItems().map((id) => `record of ${id}`));
    assert.deepEqual(
      names.filter((n) => records.has(n)),
      [],
    );
    assert.deepEqual(
      names.filter((n) => / on (dockerfile|packageJson|env)$/.test(n) || /^files of kind (dockerfile|packageJson|env)$/.test(n)),
      [],
    );
  });

  it('an edit of a Dockerfile runs no check that reads only manifests', () => {
    const dockerfile = engine.paths.filter((p) => engine.file(p)!.kind === 'dockerfile').sort()[0];
    const names = ran(engine, () => edit(dockerfile, (t) => `${t}\nUSER 1000\n`));
    assert.ok(names.includes('files of kind dockerfile'));
    assert.ok(names.some((n) => n.startsWith('record of docker.')), 'a Dockerfile finding changed');
    assert.deepEqual(
      names.filter((n) => n === 'files of kind kubernetes' || n.endsWith(' on kubernetes') || n.startsWith('workspace run of k8s.')),
      [],
    );
  });

  it('a value built from the manifests is computed once per edit, however many checks read it, and kept when its parts are equal', () => {
    const count = () => engine.executions.get('labels by namespace: workload') ?? 0;
    const before = count();
    const names = ran(engine, () => edit('kubernetes-manifests/cartservice.yaml', (t) => `# owned by the cart team\n${t}`));
    for (const reader of ['k8s.service.selects-pods', 'k8s.networkpolicy.selects-pods', 'k8s.service.target-ports']) assert.ok(names.includes(`workspace run of ${reader}`), reader);
    assert.equal(count(), before + 1);
    // the index kept its identity (no workload changed namespace, name, labels or ports): the Service selector check judged the edited manifest alone and answered as before
    assert.ok(!names.includes('record of k8s.service.selects-pods'));
  });

  it('attesting a manual item re-assembles that item alone', () => {
    const manual = engine.resolvedItems.find((ri) => ri.template === undefined)!.item.id;
    const attestations = new Map([[manual, { by: 'ops', at: '2026-01-01' }]]);
    assert.deepEqual(
      ran(engine, () => engine.audit({ attestations })),
      [`record of ${manual}`],
    );
    assert.deepEqual(
      ran(engine, () => engine.audit({ attestations })),
      [],
    );
  });
});
