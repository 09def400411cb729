import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadChecklist } from '../../src/engine/checklist/load';
import { provideLinkReadings } from '../../src/engine/markdown/builtinReadings';
import { buildChecklistCache, CHECKLIST_CACHE_FILE, parseChecklistCache, readChecklistCache, writeChecklistCache } from '../../src/node/checklistCache';
import { loadBuiltinChecklists } from '../../src/node/host';
import { REPO } from './helpers';

const BUILTIN = path.join(REPO, 'checklists');
const NAMES = readdirSync(BUILTIN).filter((n) => n.endsWith('.checklist.yaml')).sort();
const TITLE = '    title: NODE_ENV is production in production\n';

interface CacheJson {
  format: number;
  files: Record<string, { sha256: string; plain: { sections: { items: { id: string; title: string; check?: string }[] }[] } }>;
}

/** A copy of the built-in checklists in a temporary folder, without any cache. */
function copyBuiltins(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-checklist-cache-'));
  for (const name of NAMES) cpSync(path.join(BUILTIN, name), path.join(dir, name));
  return dir;
}

const readCache = (dir: string): CacheJson => JSON.parse(readFileSync(path.join(dir, CHECKLIST_CACHE_FILE), 'utf8')) as CacheJson;
const writeCache = (dir: string, cache: unknown): void => writeFileSync(path.join(dir, CHECKLIST_CACHE_FILE), typeof cache === 'string' ? cache : JSON.stringify(cache));
const envItem = (r: ReturnType<typeof loadBuiltinChecklists>) => r.checklists.find((c) => c.id === 'env')?.sections.flatMap((s) => s.items).find((i) => i.id === 'env.node-env');

describe('built-in checklist cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyBuiltins();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    // (a cache of a build provides the link index's readings for the process: none is left behind)
    provideLinkReadings(() => undefined);
  });

  it('has an entry for every built-in checklist, and loading through it equals loading without it', () => {
    assert.equal(NAMES.length, 7);
    const cached = parseChecklistCache(buildChecklistCache(BUILTIN));
    for (const name of NAMES) {
      const text = readFileSync(path.join(BUILTIN, name), 'utf8');
      const entry = cached(name, text);
      assert.ok(entry, `${name} has a cache entry`);
      const slow = loadChecklist(text, `checklists/${name}`);
      assert.ok(slow.checklist, name);
      assert.deepEqual(loadChecklist(text, `checklists/${name}`, entry), slow, name);
    }
  });

  it('loadBuiltinChecklists gives the same checklists and problems with the cache as without it', () => {
    const without = loadBuiltinChecklists(dir);
    writeChecklistCache(dir);
    const withCache = loadBuiltinChecklists(dir);
    assert.equal(withCache.checklists.length, NAMES.length);
    assert.deepEqual(withCache, without);
  });

  it('a matching entry is used without parsing the text', () => {
    const name = 'env.checklist.yaml';
    const text = readFileSync(path.join(BUILTIN, name), 'utf8');
    const entry = parseChecklistCache(buildChecklistCache(BUILTIN))(name, text);
    assert.ok(entry);
    // The text is not YAML at all: only the cached plain value can give this result.
    assert.deepEqual(loadChecklist(': [ not yaml', `checklists/${name}`, entry), loadChecklist(text, `checklists/${name}`));
    // And through the folder: a cached value edited by hand (hash unchanged) shows in the result.
    writeChecklistCache(dir);
    const cache = readCache(dir);
    cache.files[name].plain.sections[0].items[0].title = 'Title from the cache';
    writeCache(dir, cache);
    assert.equal(envItem(loadBuiltinChecklists(dir))?.title, 'Title from the cache');
  });

  it('does not use an entry whose file text changed', () => {
    writeChecklistCache(dir);
    const file = path.join(dir, 'env.checklist.yaml');
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(TITLE));
    writeFileSync(file, text.replace(TITLE, '    title: NODE_ENV is set to production\n'));
    assert.equal(readChecklistCache(dir)('env.checklist.yaml', readFileSync(file, 'utf8')), undefined);
    const r = loadBuiltinChecklists(dir);
    assert.deepEqual(r.problems, []);
    assert.equal(envItem(r)?.title, 'NODE_ENV is set to production');
    rmSync(path.join(dir, CHECKLIST_CACHE_FILE));
    assert.deepEqual(r, loadBuiltinChecklists(dir));
  });

  it('a missing, malformed or wrong-format cache gives the same result as no cache', () => {
    const expected = loadBuiltinChecklists(dir);
    writeChecklistCache(dir);
    const good = readCache(dir);
    const firstName = NAMES[0];
    const bad: unknown[] = [
      '{ "format": 1, "files": {',
      '',
      'null',
      '[]',
      { format: 2, files: good.files },
      { files: good.files },
      { format: 1, files: [] },
      { format: 1, files: { [firstName]: { plain: good.files[firstName].plain } } },
      { format: 1, files: { [firstName]: { sha256: 42, plain: good.files[firstName].plain } } },
      { format: 1, files: { [firstName]: { sha256: 'f'.repeat(64), plain: { id: 'other', title: 'Other', sections: [] } } } },
      { format: 1, files: { [firstName]: 'not an entry' } },
    ];
    for (const cache of bad) {
      writeCache(dir, cache);
      assert.deepEqual(loadBuiltinChecklists(dir), expected, JSON.stringify(cache).slice(0, 80));
    }
    unlinkSync(path.join(dir, CHECKLIST_CACHE_FILE));
    assert.deepEqual(loadBuiltinChecklists(dir), expected);
    assert.equal(parseChecklistCache(undefined)(firstName, readFileSync(path.join(dir, firstName), 'utf8')), undefined);
  });

  it('a cached value that fails validation falls back to the located path', () => {
    const expected = loadBuiltinChecklists(dir);
    writeChecklistCache(dir);
    const cache = readCache(dir);
    // Hand-edited: the cache is wrong, the text is right; the text wins, as if there were no cache.
    cache.files['env.checklist.yaml'].plain.sections[0].items[0].check = 'no.such.template';
    cache.files['repo.checklist.yaml'].plain = { id: 'repo' } as never;
    writeCache(dir, cache);
    assert.deepEqual(loadBuiltinChecklists(dir), expected);
  });

  it('a checklist with problems still gets located problems when its cache entry matches', () => {
    const file = path.join(dir, 'env.checklist.yaml');
    const text = readFileSync(file, 'utf8').replace('    check: env.production-value\n', '    check: no.such.template\n');
    writeFileSync(file, text);
    writeChecklistCache(dir);
    const entry = readChecklistCache(dir)('env.checklist.yaml', text);
    assert.ok(entry, 'the edited file is cached (it is valid YAML)');
    assert.equal(readCache(dir).files['env.checklist.yaml'].plain.sections[0].items[0].check, 'no.such.template');
    const r = loadBuiltinChecklists(dir);
    const problem = r.problems.find((p) => p.message.includes('no.such.template'));
    assert.ok(problem, 'the unknown template is reported');
    assert.equal(problem.file, 'checklists/env.checklist.yaml');
    assert.ok(problem.range, 'the problem is located');
    assert.equal(text.split('\n')[problem.range.start.line], '    check: no.such.template');
    assert.equal(envItem(r), undefined, 'the invalid item is dropped');
    assert.deepEqual(loadChecklist(text, 'checklists/env.checklist.yaml', entry), loadChecklist(text, 'checklists/env.checklist.yaml'));
  });

  it('a zod-invalid plain value given to loadChecklist gives the same result as parsing the text', () => {
    const text = readFileSync(path.join(BUILTIN, 'app.checklist.yaml'), 'utf8');
    const slow = loadChecklist(text, 'checklists/app.checklist.yaml');
    for (const plain of [undefined, null, 42, {}, { id: 'app', title: 'App', sections: [{ id: 's', title: 'S', items: [{ id: 'x' }] }] }]) {
      assert.deepEqual(loadChecklist(text, 'checklists/app.checklist.yaml', { plain }), slow, JSON.stringify(plain));
    }
  });

  it('a cache written for a build holds each checklist as loaded, used as it is by that build alone', () => {
    writeChecklistCache(dir);
    assert.ok(Object.values(readCache(dir).files).every((e) => !('checklist' in e)), 'code run from source writes no loaded checklists');
    writeChecklistCache(dir, 'build-a');
    const json = readFileSync(path.join(dir, CHECKLIST_CACHE_FILE), 'utf8');
    const cache = JSON.parse(json) as CacheJson & { build: string; files: Record<string, { checklist?: { title: string } }> };
    assert.equal(cache.build, 'build-a');
    for (const name of NAMES) {
      const text = readFileSync(path.join(dir, name), 'utf8');
      const entry = parseChecklistCache(json, 'build-a')(name, text);
      assert.ok(entry?.checklist, `${name} has its loaded checklist`);
      assert.deepEqual(loadChecklist(text, `checklists/${name}`, entry), loadChecklist(text, `checklists/${name}`), name);
      assert.equal(loadChecklist(text, `other/${name}`, entry).checklist?.file, `other/${name}`, 'the file is the one named when loading');
      assert.equal(parseChecklistCache(json, 'build-b')(name, text)?.checklist, undefined, 'another build validates the plain value');
      assert.equal(parseChecklistCache(json, undefined)(name, text)?.checklist, undefined, 'code run from source validates the plain value');
    }
    // Hand-edited loaded checklist: the build that wrote it takes it as it is, another build does not.
    cache.files['env.checklist.yaml'].checklist!.title = 'Title from the loaded cache';
    writeCache(dir, cache);
    const text = readFileSync(path.join(dir, 'env.checklist.yaml'), 'utf8');
    assert.equal(loadChecklist(text, 'e', readChecklistCache(dir, 'build-a')('env.checklist.yaml', text)).checklist?.title, 'Title from the loaded cache');
    assert.notEqual(loadChecklist(text, 'e', readChecklistCache(dir, 'build-b')('env.checklist.yaml', text)).checklist?.title, 'Title from the loaded cache');
    // A changed text is never served from the cache, whatever the build.
    writeFileSync(path.join(dir, 'env.checklist.yaml'), text.replace(TITLE, '    title: NODE_ENV is set to production\n'));
    assert.equal(readChecklistCache(dir, 'build-a')('env.checklist.yaml', readFileSync(path.join(dir, 'env.checklist.yaml'), 'utf8')), undefined);
  });

  it('a build does not cache a checklist that loads with problems', () => {
    const file = path.join(dir, 'env.checklist.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    check: env.production-value\n', '    check: no.such.template\n'));
    writeChecklistCache(dir, 'build-a');
    const cache = readCache(dir) as CacheJson & { files: Record<string, { checklist?: unknown }> };
    assert.equal(cache.files['env.checklist.yaml'].checklist, undefined);
    assert.ok(cache.files['app.checklist.yaml'].checklist);
    const text = readFileSync(file, 'utf8');
    const r = loadChecklist(text, 'checklists/env.checklist.yaml', readChecklistCache(dir, 'build-a')('env.checklist.yaml', text));
    assert.ok(r.problems.some((p) => p.message.includes('no.such.template') && p.range), 'the problem is still reported, located');
  });

  it('caches exactly the files that are loaded as built-in checklists', () => {
    writeFileSync(path.join(dir, 'extra.checklist.yml'), 'id: extra\ntitle: Extra\nsections: []\n');
    writeFileSync(path.join(dir, 'notes.yaml'), 'id: notes\n');
    writeChecklistCache(dir);
    assert.deepEqual(Object.keys(readCache(dir).files), NAMES);
    assert.deepEqual(loadBuiltinChecklists(dir).checklists.map((c) => path.basename(c.file ?? '')), NAMES);
  });

  it('leaves out of the cache a file that is not valid YAML, which is then reported as without a cache', () => {
    writeFileSync(path.join(dir, 'broken.checklist.yaml'), 'id: broken\ntitle: [unclosed\n');
    writeChecklistCache(dir);
    assert.equal(readCache(dir).files['broken.checklist.yaml'], undefined);
    assert.equal(Object.keys(readCache(dir).files).length, NAMES.length);
    const r = loadBuiltinChecklists(dir);
    const broken = r.problems.filter((p) => p.file === 'checklists/broken.checklist.yaml');
    assert.ok(broken.length && broken.every((p) => p.range), 'located YAML problems');
    rmSync(path.join(dir, CHECKLIST_CACHE_FILE));
    assert.deepEqual(loadBuiltinChecklists(dir), r);
  });
});
