import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { TEMPLATES } from '../../src/engine/checks';
import type { AnyTemplate } from '../../src/engine/checks/template';
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

/**
 * Counts the check runs of `step` by item id (the params a run is given are the item's own object), and
 * '(other)' for runs with params no item of the engine holds now (an earlier configuration's).
 */
function checkRuns(engine: Engine, step: () => void): Map<string, number> {
  const counts = new Map<string, number>();
  const restore: (() => void)[] = [];
  try {
    // the items at the time of the run (`step` may configure the engine anew)
    let items: unknown;
    let byParams = new Map<unknown, string>();
    const idOf = (p: unknown): string | undefined => {
      if (items !== engine.resolvedItems) byParams = new Map((items = engine.resolvedItems) && engine.resolvedItems.map((ri) => [ri.params, ri.item.id]));
      return byParams.get(p);
    };
    const templates = new Set<AnyTemplate>([...TEMPLATES.values()]);
    for (const ri of engine.resolvedItems) if (ri.template) templates.add(ri.template);
    for (const t of templates) {
      const run = t.run as (x: unknown, p: unknown) => unknown;
      (t as { run: unknown }).run = (x: unknown, p: unknown) => {
        const id = idOf(p) ?? '(other)';
        counts.set(id, (counts.get(id) ?? 0) + 1);
        return run(x, p);
      };
      restore.push(() => ((t as { run: unknown }).run = run));
    }
    step();
  } finally {
    for (const undo of restore) undo();
  }
  return counts;
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
    // the checks that judge objects against the index judged the edited manifest again, found what they found
    // before, and so their runs did not run again
    assert.ok(names.includes('objects judged against shared facts'));
    for (const reader of ['k8s.service.selects-pods', 'k8s.networkpolicy.selects-pods', 'k8s.service.target-ports']) assert.ok(!names.includes(`workspace run of ${reader}`), reader);
    assert.equal(count(), before + 1);
    // the index kept its identity (no workload changed namespace, name, labels or ports): the Service selector check judged the edited manifest alone and answered as before
    assert.ok(!names.includes('record of k8s.service.selects-pods'));
  });

  it("a change of one rule's severity runs that rule's check alone, a setting that changes nothing runs nothing; the audit equals a fresh one", function () {
    this.timeout(120_000);
    const own = demoEngine();
    const failing = own.audit().items.filter((i) => i.status === 'fail');
    const scopeOf = (id: string) => own.item(id)?.template?.scope;
    const fileItem = failing.find((i) => scopeOf(i.id) === 'file' && i.severity !== 'info')!;
    const wsItem = failing.find((i) => scopeOf(i.id) === 'workspace' && i.severity !== 'info')!;
    assert.ok(fileItem && wsItem, 'the demo fails a file-scope and a workspace rule');
    for (const { id, config } of [
      { id: fileItem.id, config: { rules: { [fileItem.id]: 'info' as const } } },
      { id: wsItem.id, config: { rules: { [fileItem.id]: 'info' as const, [wsItem.id]: 'info' as const } } },
    ]) {
      let result: ReturnType<Engine['audit']> | undefined;
      const runs = checkRuns(own, () => {
        own.configure(builtinChecklists(), config);
        result = own.audit();
      });
      assert.deepEqual([...runs.keys()], [id], `only ${id} ran`);
      assert.ok(result!.findings.some((f) => f.ruleId === id && f.severity === 'info'), 'its findings have the new severity');
      const fresh = new Engine(builtinChecklists(), config);
      for (const p of own.paths) {
        const f = own.file(p)!;
        fresh.upsert({ path: p, kind: f.kind, text: f.text });
      }
      assert.deepEqual(result, fresh.audit());
    }
    // back to the built-in settings: the two rules run again, nothing else does
    const back = checkRuns(own, () => {
      own.configure(builtinChecklists(), {});
      own.audit();
    });
    assert.deepEqual([...back.keys()].sort(), [fileItem.id, wsItem.id].sort());
    // a setting that names a rule's own severity changes nothing it computes
    const same = checkRuns(own, () => {
      own.configure(builtinChecklists(), { rules: { [fileItem.id]: { severity: fileItem.severity } } });
      own.audit();
    });
    assert.deepEqual([...same.keys()], []);
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
