import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Range } from '../../src/engine/model';
import { parsePackageJson } from '../../src/engine/parse/packageJson';
import { findPair, isMap, isScalar, nodeRange, parseYaml } from '../../src/engine/parse/yamlSupport';
import { FIXTURES, SHARED } from './helpers';

function packageFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === '.git') continue;
    if (statSync(p).isDirectory()) packageFiles(p, out);
    else if (name === 'package.json') out.push(p);
  }
  return out;
}

/** What the YAML parser (which reads JSON with positions) says: the ranges and the duplicate-key error. */
function byYaml(text: string): { keys: [string, Range][]; scripts: [string, Range][]; values: [string, Range][]; deps: [string, Range][]; duplicate?: { message: string; range: Range } } {
  const parsed = parseYaml(text, 'package.json');
  const doc = parsed.docs[0];
  const err = doc?.errors[0];
  const out = { keys: [] as [string, Range][], scripts: [] as [string, Range][], values: [] as [string, Range][], deps: [] as [string, Range][] };
  if (err?.code === 'DUPLICATE_KEY') return { ...out, duplicate: { message: err.message, range: parsed.problems.find((p) => p.unaudited)!.range! } };
  assert.equal(doc.errors.length, 0, 'the YAML parser reads the JSON');
  const root = doc.contents;
  assert.ok(isMap(root));
  const pairs = (key: string) => {
    const v = findPair(root, key)?.value;
    return isMap(v) ? v.items : [];
  };
  for (const item of root.items) if (isScalar(item.key)) out.keys.push([String(item.key.value), nodeRange(parsed.lineCounter, item.key)!]);
  for (const item of pairs('scripts')) {
    if (!isScalar(item.key)) continue;
    out.scripts.push([String(item.key.value), nodeRange(parsed.lineCounter, item.key)!]);
    out.values.push([String(item.key.value), nodeRange(parsed.lineCounter, item.value as never)!]);
  }
  const seen = new Set<string>();
  for (const section of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'])
    for (const item of pairs(section)) {
      const name = String((item.key as { value: unknown }).value);
      if (!seen.has(name)) out.deps.push([name, nodeRange(parsed.lineCounter, item.key as never)!]);
      seen.add(name);
    }
  return out;
}

function sameAsYaml(text: string, where: string): void {
  const expected = byYaml(text);
  const { model, problems } = parsePackageJson(text, 'package.json');
  if (expected.duplicate) {
    assert.equal(model.json, undefined, where);
    assert.deepEqual(problems.map((p) => [p.message, p.range]), [[`package.json: ${expected.duplicate.message}; npm keeps the last value, so the file is not audited`, expected.duplicate.range]], where);
    return;
  }
  assert.deepEqual(problems, [], where);
  assert.deepEqual([...model.keyRanges], expected.keys, `${where}: keys`);
  assert.deepEqual([...model.scriptRanges], expected.scripts, `${where}: scripts`);
  assert.deepEqual([...model.scriptValueRanges], expected.values, `${where}: script values`);
  assert.deepEqual([...model.dependencyRanges], expected.deps, `${where}: dependencies`);
}

describe('package.json places', () => {
  it('are where the YAML parser puts them, on every package.json of the fixtures, the examples and the real-world corpus', () => {
    const dirs = [FIXTURES, path.join(FIXTURES, '..', '..', 'examples'), path.join(SHARED, 'corpus', 'realworld')].filter((d) => existsSync(d));
    assert.equal(dirs.length, 3, 'the fixtures, the examples and the corpus are present');
    let n = 0;
    for (const file of dirs.flatMap((d) => packageFiles(d))) {
      const text = readFileSync(file, 'utf8');
      try {
        JSON.parse(text);
      } catch {
        continue; // invalid JSON gets no places
      }
      sameAsYaml(text, file);
      n++;
    }
    assert.ok(n > 100, `${n} files compared`);
  });

  it('handle escapes, nesting, every kind of value, CRLF, a byte order mark and non-ASCII text as the YAML parser does', () => {
    const texts = [
      '{"name":"a","scripts":{"test":"jest","b\\u0075ild":"tsc \\"x\\"","n":1,"o":{"a":[1,{"b":null}]},"l":[],"e":{}},"dependencies":{"x":"^1"},"devDependencies":{"x":"^2","y":"1"}}',
      '\ufeff{\r\n  "name": "é😀",\r\n  "scripts": {\r\n    "start": "node \\\\ index.js",\r\n    "t": true, "f": false, "z": -1.5e+3\r\n  },\r\n  "peerDependencies": { "p": "*" }\r\n}\r\n',
      '{\n\t"scripts" : { } ,\n\t"a\\/b" : [ "x" , { } , [ ] ] ,\n\t"optionalDependencies" : {\n\t\t"q" : "1"\n\t}\n}',
      '{}',
      '{"scripts": []}',
    ];
    for (const text of texts) sameAsYaml(text, JSON.stringify(text));
  });

  it('report the first repeated key as the YAML parser does: the earliest object to repeat one, at the repeat, with the first one\'s line', () => {
    const texts = [
      '{"name":"a",\n"name":"b"}',
      '{"a":{"x":1,\n"x":2},\n"b":1,\n"b":2}',
      '{"a":{"x":{"y":1,"y":2},\n"x":2}}',
      '{"a":[{"k":1},{"k":1,\n"k":2}],"z":{"q":1,"q":1}}',
      `{"${'k'.repeat(100)}":1,\n"${'k'.repeat(100)}":2}`,
      '{"a\\u0062":1,\n"ab":2}',
    ];
    for (const text of texts) {
      assert.ok(byYaml(text).duplicate, `the YAML parser finds a repeated key in ${text}`);
      sameAsYaml(text, JSON.stringify(text));
    }
  });

  it('read a package.json nested thousands of levels deep (valid JSON) without running out of stack: its scripts keep their places', () => {
    const deep = '{"a":['.repeat(5000) + '1' + ']}'.repeat(5000);
    const text = `{\n  "name": "deep",\n  "config": ${deep},\n  "scripts": {\n    "start": "node server.js"\n  },\n  "z": "}]\\"{["\n}\n`;
    assert.doesNotThrow(() => JSON.parse(text));
    const { model, problems } = parsePackageJson(text, 'package.json');
    assert.deepEqual(problems, []);
    assert.equal(model.scripts?.start, 'node server.js');
    assert.deepEqual(model.scriptRanges.get('start'), { start: { line: 4, character: 4 }, end: { line: 4, character: 11 } });
  });
});
