import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import type { Checklist, Config } from '../../src/engine/checklist/schema';
import type { SourceFile } from '../../src/engine/workspace';
import { filesUnder, rng } from './engineWorkspace';
import { builtinChecklists, FIXTURES, SHARED } from './helpers';

/** A fresh engine over the same checklists, config and files in the same order: what the incremental engine must equal. */
function fresh(checklists: readonly Checklist[], config: Config, files: ReadonlyMap<string, SourceFile>, strict: boolean) {
  const engine = new Engine(checklists, config);
  for (const f of files.values()) engine.upsert(f);
  return engine.audit({ strict });
}

/** The manifest moved to another namespace: an existing `namespace:` changed, or one added to its first object. */
function moveNamespace(text: string, to: string): string | undefined {
  if (/^ {2}namespace: \S+$/m.test(text)) return text.replace(/^ {2}namespace: \S+$/m, `  namespace: ${to}`);
  if (/^metadata:\n/m.test(text)) return text.replace(/^metadata:\n/m, `metadata:\n  namespace: ${to}\n`);
  return undefined;
}

type Step = 'edit' | 'add' | 'delete' | 'rename' | 'namespace' | 'checklists' | 'strict';
const STEPS: Step[] = ['edit', 'edit', 'add', 'delete', 'rename', 'namespace', 'namespace', 'checklists', 'strict'];

describe('incremental audit: random edit sequences over real repositories', () => {
  // The microservices demo (manifests, Dockerfiles, package.json, unrendered Helm templates, kustomize) and a sample of the rule fixtures.
  const demo = filesUnder(path.join(SHARED, 'corpus', 'realworld', 'microservices-demo'), 'demo/');
  const fixtures = filesUnder(path.join(FIXTURES, 'rules'), 'rules/', (_, i) => i % 9 === 0);
  const all = [...demo, ...fixtures];
  const builtins = builtinChecklists();
  const ruleIds = builtins.flatMap((c) => c.sections.flatMap((s) => s.items.map((i) => i.id)));

  it('the repositories hold manifests with and without a namespace, and several kinds of file', () => {
    const kinds = new Set(all.map((f) => f.kind));
    for (const k of ['kubernetes', 'dockerfile', 'packageJson'] as const) assert.ok(kinds.has(k), `no ${k} file`);
    const manifests = all.filter((f) => f.kind === 'kubernetes');
    assert.ok(manifests.some((f) => /^ {2}namespace: /m.test(f.text)) && manifests.some((f) => !/^ {2}namespace: /m.test(f.text)));
  });

  for (const seed of [7, 23]) {
    it(`seed ${seed}: after every add, delete, rename, edit, namespace move and checklist change, equals a fresh audit`, function () {
      this.timeout(300_000);
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
      let checklists: readonly Checklist[] = builtins;
      let config: Config = {};
      let strict = false;
      const current = new Map<string, SourceFile>();
      const engine = new Engine(checklists, config);
      for (const f of all) {
        current.set(f.path, f);
        engine.upsert(f);
      }
      assert.deepEqual(engine.audit(), fresh(checklists, config, current, false));
      const done = new Map<Step, number>();
      let added = 0;
      // twelve steps, or more until five kinds of step were taken (which kinds a seed picks depends on the files)
      for (let step = 0; step < 12 || (done.size < 5 && step < 40); step++) {
        const kind = pick(STEPS);
        const target = current.get(pick([...current.keys()]))!;
        if (kind === 'edit') {
          // the text of another file of its kind (a pass fixture may become a fail one), or a comment line more
          const same = all.filter((f) => f.kind === target.kind && f.text !== target.text);
          const text = same.length && r() < 0.6 ? pick(same).text : `${target.text}${target.kind === 'packageJson' ? '\n' : `\n# edited ${step}\n`}`;
          const next = { ...target, text };
          engine.upsert(next);
          current.set(next.path, next);
        } else if (kind === 'add') {
          const from = pick(all);
          const next = { ...from, path: `copies/${added++}/${path.posix.basename(from.path)}` };
          engine.upsert(next);
          current.set(next.path, next);
        } else if (kind === 'delete') {
          engine.remove(target.path);
          current.delete(target.path);
        } else if (kind === 'rename') {
          const next = { ...target, path: `moved/${step}/${path.posix.basename(target.path)}` };
          engine.remove(target.path);
          current.delete(target.path);
          engine.upsert(next);
          current.set(next.path, next);
        } else if (kind === 'namespace') {
          const manifests = [...current.values()].filter((f) => f.kind === 'kubernetes');
          const m = pick(manifests);
          const text = moveNamespace(m.text, pick(['default', 'shop', 'staging']));
          if (text === undefined || text === m.text) continue;
          const next = { ...m, text };
          engine.upsert(next);
          current.set(next.path, next);
        } else if (kind === 'checklists') {
          // one checklist left out, or one rule's severity changed or turned off
          const roll = r();
          if (roll < 0.3) {
            const dropped = pick(builtins).id;
            checklists = builtins.filter((c) => c.id !== dropped);
          } else {
            checklists = builtins;
            config = { rules: { [pick(ruleIds)]: roll < 0.65 ? 'off' : pick(['error', 'warning', 'info'] as const) } };
          }
          engine.configure(checklists, config);
        } else {
          strict = !strict;
        }
        done.set(kind, (done.get(kind) ?? 0) + 1);
        assert.deepEqual(engine.audit({ strict }), fresh(checklists, config, current, strict), `step ${step} (${kind})`);
      }
      assert.ok(done.size >= 5, `the sequence took several kinds of step: ${[...done.keys()].join(', ')}`);
    });
  }
});
