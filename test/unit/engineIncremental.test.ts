import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { fixAll } from '../../src/engine/fixes/run';
import type { SourceFile } from '../../src/engine/workspace';
import { filesUnder, rng } from './engineWorkspace';
import { builtinChecklists, FIXTURES } from './helpers';

/** Every rule fixture file (folder fixtures included), as one big workspace: `<rule>/<entry…>`. */
const fixtureWorkspace = (): SourceFile[] => filesUnder(path.join(FIXTURES, 'rules'));

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

  it('parse problems follow edits, removals and re-additions, in file order, as in a fresh audit', () => {
    const broken = (name: string): SourceFile => ({ path: `k8s/${name}.yaml`, kind: 'kubernetes', text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: [unclosed\n` });
    const fine = (name: string): SourceFile => ({ path: `k8s/${name}.yaml`, kind: 'kubernetes', text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  A: "1"\n` });
    const current = new Map<string, SourceFile>();
    const engine = new Engine(builtinChecklists());
    const put = (f: SourceFile) => {
      current.set(f.path, f);
      engine.upsert(f);
    };
    // a syntax error leaves its document unaudited (reported there, not among the problems)
    const parseProblems = (r: ReturnType<Engine['audit']>) => [...r.problems.map((p) => p.file), ...r.unaudited.map((u) => u.file)].filter((f) => f.startsWith('k8s/'));
    put(fine('a'));
    put(broken('b'));
    put(fine('c'));
    const steps: [string, () => void, string[]][] = [
      ['one broken file', () => undefined, ['k8s/b.yaml']],
      ['a file before it breaks', () => put(broken('a')), ['k8s/a.yaml', 'k8s/b.yaml']],
      ['a broken file is fixed', () => put(fine('b')), ['k8s/a.yaml']],
      ['a file that never had problems is edited', () => put({ ...fine('c'), text: `${fine('c').text}# edited\n` }), ['k8s/a.yaml']],
      ['the broken file is removed', () => (engine.remove('k8s/a.yaml'), current.delete('k8s/a.yaml')), []],
      ['it comes back, now after the others', () => put(broken('a')), ['k8s/a.yaml']],
    ];
    for (const [what, step, expected] of steps) {
      step();
      const got = engine.audit();
      assert.deepEqual(parseProblems(got), expected, what);
      const again = fresh(current, false);
      assert.deepEqual(got.problems, again.problems, what);
      assert.deepEqual(got.unaudited, again.unaudited, what);
    }
  });

  it('an unchanged upsert re-runs nothing and the result stays the same', () => {
    const engine = new Engine(builtinChecklists());
    for (const f of all) engine.upsert(f);
    const first = engine.audit();
    assert.equal(engine.upsert(all[0]), false);
    assert.deepEqual(engine.audit(), first);
  });

  describe('lent texts (an unsaved document a fix is computed from, a fix-all round)', () => {
    const isFileItem = (engine: Engine, ruleId: string) => engine.item(ruleId)?.template?.scope === 'file';

    it('undoing puts the file back without parsing or checking it again, and the audits equal fresh ones', () => {
      const current = new Map(all.map((f) => [f.path, f]));
      const engine = new Engine(builtinChecklists());
      for (const f of all) engine.upsert(f);
      const first = engine.audit();
      // a manifest with findings of file checks, given the text of another manifest
      const target = all.find((f) => f.kind === 'kubernetes' && first.findings.some((x) => x.file === f.path && isFileItem(engine, x.ruleId)))!;
      const other = all.find((f) => f.kind === 'kubernetes' && f.text !== target.text && fresh(new Map([[target.path, { ...target, text: f.text }]]), false).findings.length !== fresh(new Map([[target.path, target]]), false).findings.length)!;
      const parsed = engine.file(target.path);
      const mine = first.findings.filter((x) => x.file === target.path && isFileItem(engine, x.ruleId));
      const undo = engine.lend({ ...target, text: other.text });
      assert.ok(undo, 'a new text is lent');
      const lentAudit = engine.audit();
      assert.deepEqual(lentAudit, fresh(new Map([...current, [target.path, { ...target, text: other.text }]]), false), 'the audit with the lent text');
      assert.notDeepEqual(lentAudit.findings, first.findings, 'the lent text changed the findings');
      undo();
      assert.equal(engine.file(target.path), parsed, 'the file was parsed again');
      const back = engine.audit();
      assert.deepEqual(back, first);
      assert.deepEqual(back, fresh(current, false));
      // the file checks' findings are the very objects of the first audit: nothing ran again on the file
      const again = back.findings.filter((x) => x.file === target.path && isFileItem(engine, x.ruleId));
      assert.equal(again.length, mine.length);
      again.forEach((x, i) => assert.equal(x, mine[i], `finding ${x.ruleId} at line ${x.range.start.line} was made again`));
    });

    it('a lent new file goes on undo, an unchanged text lends nothing, and new checklists in between are honoured', () => {
      const engine = new Engine(builtinChecklists());
      for (const f of all) engine.upsert(f);
      const first = engine.audit();
      assert.equal(engine.lend(all[0]), undefined, 'the same text: nothing to undo');
      // objects of their own (another name): the same object in two files would be reported once
      const copied = all.find((f) => f.kind === 'kubernetes' && first.findings.some((x) => x.file === f.path))!.text;
      const extra: SourceFile = { path: 'lent/new.yaml', kind: 'kubernetes', text: copied.replace(/^(\s*name:\s*)(\S+)/gm, '$1$2-lent') };
      const undoNew = engine.lend(extra)!;
      assert.ok(engine.audit().findings.some((x) => x.file === extra.path));
      undoNew();
      assert.equal(engine.has(extra.path), false);
      assert.deepEqual(engine.audit(), first);
      // checklists change while a text is lent: the file put back is checked against the new ones
      const target = all.find((f) => f.kind === 'dockerfile')!;
      const undo = engine.lend({ ...target, text: `${target.text}\n# lent\n` })!;
      engine.audit();
      const fewer = builtinChecklists().filter((c) => c.id !== 'dockerfile');
      engine.configure(fewer);
      undo();
      const only = new Engine(fewer);
      for (const f of all) only.upsert(f);
      assert.deepEqual(engine.audit(), only.audit());
    });

    it('random lends, undos (last first), edits and removals: every audit equals a fresh one', function () {
      this.timeout(180_000);
      const r = rng(7);
      const current = new Map(all.map((f) => [f.path, f]));
      const engine = new Engine(builtinChecklists());
      for (const f of all) engine.upsert(f);
      const lent: { undo: () => void; path: string; before: SourceFile | undefined }[] = [];
      for (let step = 0; step < 16; step++) {
        const roll = r();
        const paths = [...current.keys()];
        const target = current.get(paths[Math.floor(r() * paths.length)])!;
        if (roll < 0.45 || lent.length === 0) {
          const same = all.filter((f) => f.kind === target.kind && f.text !== target.text);
          if (same.length === 0) continue;
          const next = { ...target, text: same[Math.floor(r() * same.length)].text };
          const undo = engine.lend(next)!;
          lent.push({ undo, path: target.path, before: target });
          current.set(target.path, next);
        } else if (roll < 0.85) {
          const last = lent.pop()!;
          last.undo();
          if (last.before) current.set(last.path, last.before);
          else current.delete(last.path);
        } else {
          // a plain upsert of a file not lent right now
          if (lent.some((l) => l.path === target.path)) continue;
          const same = all.filter((f) => f.kind === target.kind && f.text !== target.text);
          if (same.length === 0) continue;
          const next = { ...target, text: same[Math.floor(r() * same.length)].text };
          engine.upsert(next);
          current.set(next.path, next);
        }
        if (step % 2 === 1) assert.deepEqual(engine.audit(), fresh(current, false), `step ${step}`);
      }
      while (lent.length) {
        const last = lent.pop()!;
        last.undo();
        if (last.before) current.set(last.path, last.before);
      }
      assert.deepEqual(engine.audit(), fresh(current, false), 'all undone');
    });

    it('a fix-all that does not keep its texts leaves every file as it was, parse included', () => {
      const engine = new Engine(builtinChecklists());
      for (const f of all) engine.upsert(f);
      const first = engine.audit();
      const parsed = new Map(engine.paths.map((p) => [p, engine.file(p)]));
      const result = fixAll(engine, {});
      assert.ok(result.applied.length > 5 && result.files.size > 3, `the fix-all fixed files (${result.applied.length} fixes, ${result.files.size} files)`);
      assert.deepEqual(engine.paths.sort(), [...parsed.keys()].sort());
      for (const [p, f] of parsed) assert.equal(engine.file(p), f, `${p} was parsed again`);
      assert.deepEqual(engine.audit(), first);
    });
  });

  describe('workspace checks after edits in one file', () => {
    const manifest = (port: number, extra = '', env = ['LOG_LEVEL']) =>
      [
        ...(extra ? [extra] : []),
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: api',
        'spec:',
        '  replicas: 3',
        '  template:',
        '    metadata:',
        '      labels: { app: api }',
        '    spec:',
        '      containers:',
        '        - name: api',
        '          image: ghcr.io/acme/api:1.2.3',
        '          ports:',
        `            - containerPort: ${port}`,
        '          env:',
        ...env.flatMap((k) => [`            - name: ${k}`, '              value: "1"']),
        '',
      ].join('\n');
    const base: SourceFile[] = [
      { path: '.env.example', kind: 'env', text: 'PORT=\nDATABASE_URL=\n' },
      { path: '.env.production', kind: 'env', text: 'NODE_ENV=production\nPORT=8080\n' },
      { path: 'deploy/api.yaml', kind: 'kubernetes', text: manifest(8080) },
      { path: 'Dockerfile', kind: 'dockerfile', text: 'FROM node:20.11-alpine\nUSER node\nCMD ["node", "server.js"]\n' },
      { path: 'deploy/pdb.yaml', kind: 'kubernetes', text: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: { app: api }\n' },
      { path: 'package.json', kind: 'packageJson', text: '{\n  "name": "api",\n  "dependencies": { "express": "^4.19.0" }\n}\n' },
    ];
    const item = (r: ReturnType<Engine['audit']>, id: string) => r.items.find((i) => i.id === id)!;

    it('follow edits, removals and re-additions exactly as fresh audits do', () => {
      const current = new Map(base.map((f) => [f.path, f]));
      const engine = new Engine(builtinChecklists());
      for (const f of base) engine.upsert(f);
      const check = (label: string) => {
        const got = engine.audit();
        assert.deepEqual(got, fresh(current, false), label);
        return got;
      };
      const edit = (path: string, text: string) => {
        const f = { ...current.get(path)!, text };
        current.set(path, f);
        engine.upsert(f);
      };
      let r = check('start');
      assert.equal(item(r, 'env.port').status, 'pass');
      assert.equal(item(r, 'metrics.endpoint').evidence.length, 0);

      // A containerPort edit in the manifest makes PORT in .env.production wrong, and back.
      edit('deploy/api.yaml', manifest(9090));
      r = check('containerPort 9090');
      assert.ok(item(r, 'env.port').findings.some((f) => f.file === '.env.production'), 'env.port reports the env file');
      edit('deploy/api.yaml', manifest(8080));
      r = check('containerPort back');
      assert.equal(item(r, 'env.port').status, 'pass');

      // A PodDisruptionBudget edited in its own file uncovers the workload in another, and covers it again.
      const pdb = current.get('deploy/pdb.yaml')!.text;
      edit('deploy/pdb.yaml', pdb.replace('app: api', 'app: web'));
      r = check('PDB selects other pods');
      assert.ok(item(r, 'k8s.pdb').findings.some((f) => f.file === 'deploy/api.yaml'), 'k8s.pdb reports the workload');
      edit('deploy/pdb.yaml', `# a comment line\n${pdb}`);
      r = check('PDB back, shifted');
      assert.ok(!item(r, 'k8s.pdb').findings.some((f) => f.file === 'deploy/api.yaml'));

      // A key declared in the manifest is evidence elsewhere; lines shift when a comment is added above.
      edit('deploy/api.yaml', manifest(8080, '', ['LOG_LEVEL', 'METRICS_PORT']));
      r = check('METRICS_PORT declared');
      assert.ok(item(r, 'metrics.endpoint').evidence.some((e) => e.file === 'deploy/api.yaml' && /METRICS_PORT/.test(e.message)));
      edit('deploy/api.yaml', manifest(8080, '# moved down a line', ['LOG_LEVEL', 'METRICS_PORT']));
      const shifted = check('lines shifted');
      assert.notDeepEqual(item(shifted, 'metrics.endpoint').evidence, item(r, 'metrics.endpoint').evidence, 'evidence follows the shifted line');
      edit('deploy/api.yaml', manifest(8080, '# moved down a line'));
      r = check('METRICS_PORT removed');
      assert.ok(!item(r, 'metrics.endpoint').evidence.some((e) => /METRICS_PORT/.test(e.message)));

      // A dependency appears and disappears as evidence.
      const pkg = current.get('package.json')!.text;
      edit('package.json', pkg.replace('"express": "^4.19.0"', '"express": "^4.19.0", "prom-client": "^15.1.0"'));
      r = check('prom-client added');
      assert.ok(item(r, 'metrics.endpoint').evidence.some((e) => e.file === 'package.json'));
      edit('package.json', pkg);
      r = check('prom-client removed');
      assert.ok(!item(r, 'metrics.endpoint').evidence.some((e) => e.file === 'package.json'));

      // Evidence found through the index of each file's keys (dependency and script names, object kinds,
      // labels, annotations, command lines): it follows edits that move it without changing the keys.
      const pkgWith = pkg.replace('"express": "^4.19.0"', '"express": "^4.19.0", "prom-client": "^15.1.0"').replace('"name": "api",', '"name": "api",\n  "scripts": { "build": "tsc" },');
      edit('package.json', pkgWith);
      r = check('a build script and prom-client');
      assert.ok(item(r, 'scripts.build.confirmed').evidence.some((e) => e.file === 'package.json' && e.message === 'script "build"'));
      const deps = item(r, 'metrics.endpoint').evidence.find((e) => e.file === 'package.json')!;
      edit('package.json', `\n${pkgWith}`);
      r = check('package.json shifted a line');
      assert.equal(item(r, 'metrics.endpoint').evidence.find((e) => e.file === 'package.json')!.range.start.line, deps.range.start.line + 1, 'dependency evidence follows its line');
      edit('package.json', pkgWith.replace('"build": "tsc"', '"compile": "tsc"'));
      r = check('build script renamed');
      assert.ok(!item(r, 'scripts.build.confirmed').evidence.some((e) => e.file === 'package.json'));
      edit('package.json', pkg);
      check('package.json back');
      const scraped = manifest(8080).replace('      labels: { app: api }', '      labels: { app: api }\n      annotations: { prometheus.io/scrape: "true" }');
      edit('deploy/api.yaml', scraped);
      r = check('scrape annotation');
      const annotated = item(r, 'metrics.endpoint').evidence.find((e) => e.file === 'deploy/api.yaml' && /prometheus\.io\/scrape/.test(e.message));
      assert.ok(annotated, 'the annotation is evidence');
      edit('deploy/api.yaml', `# two lines\n# down\n${scraped}`);
      r = check('scrape annotation shifted');
      assert.equal(item(r, 'metrics.endpoint').evidence.find((e) => e.file === 'deploy/api.yaml' && /prometheus\.io\/scrape/.test(e.message))!.range.start.line, annotated.range.start.line + 2);
      edit('deploy/api.yaml', manifest(8080));
      r = check('scrape annotation removed');
      assert.ok(!item(r, 'metrics.endpoint').evidence.some((e) => e.file === 'deploy/api.yaml'));
      const backup = (command: string) => `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: dump\n              image: postgres:16.2\n              command: ["sh", "-c", "${command}"]\n`;
      current.set('deploy/backup.yaml', { path: 'deploy/backup.yaml', kind: 'kubernetes', text: backup('pg_dump -Fc app > /backup/app.dump') });
      engine.upsert(current.get('deploy/backup.yaml')!);
      r = check('a backup CronJob');
      assert.ok(item(r, 'backup.schedule').evidence.some((e) => e.file === 'deploy/backup.yaml' && /runs a matching command/.test(e.message)));
      edit('deploy/backup.yaml', backup('echo nothing to back up'));
      r = check('the CronJob no longer dumps');
      assert.ok(!item(r, 'backup.schedule').evidence.some((e) => e.file === 'deploy/backup.yaml'));
      edit('deploy/backup.yaml', backup('pg_dump -Fc app > /backup/app.dump').replace('kind: CronJob', 'kind: CronJob\n# a comment'));
      r = check('dumps again, shifted');
      assert.ok(item(r, 'backup.schedule').evidence.some((e) => e.file === 'deploy/backup.yaml'));
      engine.remove('deploy/backup.yaml');
      current.delete('deploy/backup.yaml');
      check('the CronJob removed');

      // PORT removed from one env file: the finding moves; a suppression comment on the same line silences it.
      edit('.env.production', 'NODE_ENV=production\nPORT=abc\n');
      r = check('PORT not a number');
      assert.ok(item(r, 'env.port').findings.some((f) => f.file === '.env.production'));
      edit('.env.production', 'NODE_ENV=production\nPORT=abc # shipshape-ignore env.port\n');
      r = check('suppressed on its line');
      assert.equal(r.summary.suppressed > 0, true);
      edit('.env.production', 'NODE_ENV=production\nPORT=8080\n');
      check('PORT back');

      // Cross-object references in other files (a Service's selector and named targetPort, an HPA's target)
      // follow the names, pod labels and port names of the workload they point at.
      const named = (name: string, label: string, portName: string) =>
        manifest(8080).replace('  name: api', `  name: ${name}`).replace('labels: { app: api }', `labels: { app: ${label} }`).replace('            - containerPort: 8080', `            - containerPort: 8080\n              name: ${portName}`);
      edit('deploy/api.yaml', named('api', 'api', 'http'));
      current.set('deploy/svc.yaml', { path: 'deploy/svc.yaml', kind: 'kubernetes', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: { app: api }\n  ports:\n    - port: 80\n      targetPort: http\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }\n  minReplicas: 3\n  maxReplicas: 6\n' });
      engine.upsert(current.get('deploy/svc.yaml')!);
      r = check('a Service and an HPA for the workload');
      for (const id of ['k8s.service.selects-pods', 'k8s.service.target-ports', 'k8s.hpa.target-exists']) assert.equal(item(r, id).status, 'pass', id);
      edit('deploy/api.yaml', named('api', 'api', 'web'));
      r = check('container port renamed');
      assert.ok(item(r, 'k8s.service.target-ports').findings.some((f) => f.file === 'deploy/svc.yaml'));
      edit('deploy/api.yaml', named('api', 'web', 'http'));
      r = check('pod labels changed');
      assert.ok(item(r, 'k8s.service.selects-pods').findings.some((f) => f.file === 'deploy/svc.yaml'));
      edit('deploy/api.yaml', named('api-v2', 'api', 'http'));
      r = check('workload renamed');
      assert.ok(item(r, 'k8s.hpa.target-exists').findings.some((f) => f.file === 'deploy/svc.yaml'));
      edit('deploy/api.yaml', `# shifted\n${named('api', 'api', 'http')}`);
      r = check('all resolved again');
      for (const id of ['k8s.service.selects-pods', 'k8s.service.target-ports', 'k8s.hpa.target-exists']) assert.equal(item(r, id).status, 'pass', id);
      engine.remove('deploy/svc.yaml');
      current.delete('deploy/svc.yaml');
      check('Service and HPA removed');

      // Files removed and added back (at the end of the order, in both engines).
      for (const path of ['.env.example', 'Dockerfile', 'deploy/pdb.yaml', 'deploy/api.yaml']) {
        const f = current.get(path)!;
        engine.remove(path);
        current.delete(path);
        check(`${path} removed`);
        engine.upsert(f);
        current.set(path, f);
        check(`${path} added back`);
      }
    });

    it('repeats of a finding on the same object in two files merge, and part when one object moves to another namespace', () => {
      // `labels` and `namespace` take the same line: the findings stay where they were, only the namespace changes
      const other = (meta: string) => manifest(8080).replace('  name: api\n', `  name: api\n  ${meta}\n`);
      const files = [...base, { path: 'deploy/copy.yaml', kind: 'kubernetes' as const, text: other('labels: { team: a }') }];
      const current = new Map(files.map((f) => [f.path, f]));
      const engine = new Engine(builtinChecklists());
      for (const f of files) engine.upsert(f);
      const repeats = (r: ReturnType<Engine['audit']>) => item(r, 'k8s.service-account.automount-token').findings.flatMap((f) => (f.related ?? []).filter((x) => x.file === 'deploy/copy.yaml'));
      let r = engine.audit();
      assert.deepEqual(r, fresh(current, false), 'start');
      assert.equal(repeats(r).length, 1, 'the copy is a repeat of the same object');
      const edit = (text: string) => {
        const f = { ...current.get('deploy/copy.yaml')!, text };
        current.set(f.path, f);
        engine.upsert(f);
      };
      edit(other('namespace: shop'));
      r = engine.audit();
      assert.deepEqual(r, fresh(current, false), 'the copy in another namespace');
      assert.equal(repeats(r).length, 0, 'an object in another namespace is no repeat');
      assert.ok(item(r, 'k8s.service-account.automount-token').findings.some((f) => f.file === 'deploy/copy.yaml'));
      edit(other('labels: { team: b }'));
      r = engine.audit();
      assert.deepEqual(r, fresh(current, false), 'back in the same namespace');
      assert.equal(repeats(r).length, 1);
    });
  });
});
