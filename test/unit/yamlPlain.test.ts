import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import { parseKubernetes } from '../../src/engine/parse/kubernetes';
import { plainDocument } from '../../src/engine/parse/yamlPlain';
import { PARSE_OPTIONS, parseYaml, plainOf } from '../../src/engine/parse/yamlSupport';
import { FIXTURES, SHARED } from './helpers';

const docsOf = (text: string) => parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];

/** The same value with the same key order, as JSON would show it (NaN and Infinity included). */
function same(actual: unknown, expected: unknown, where: string): void {
  assert.deepStrictEqual(actual, expected, where);
  const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
  assert.equal(show(actual), show(expected), `${where}: key order`);
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === '.git') continue;
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe('plain values read in one walk', () => {
  it('equal what the library reads, key order included, on every YAML file of the rule fixtures and the real-world corpus', () => {
    const dirs = [path.join(FIXTURES, 'rules'), path.join(SHARED, 'corpus', 'realworld')].filter((d) => existsSync(d));
    assert.equal(dirs.length, 2, 'the fixtures and the corpus are present');
    let walked = 0;
    let left = 0;
    for (const file of dirs.flatMap((d) => yamlFiles(d))) {
      for (const doc of docsOf(readFileSync(file, 'utf8'))) {
        if (doc.errors.length) continue;
        const read = plainDocument(doc);
        if (!read) {
          left++;
          continue;
        }
        walked++;
        const expected = plainOf(doc);
        assert.ok('value' in expected, file);
        same(read.value, expected.value, file);
      }
    }
    // most documents are plain data; the rest (aliases, merge keys, tags, duplicates) are left to the library
    assert.ok(walked > 500 && left < walked / 10, `${walked} read in one walk, ${left} left to the library`);
  });

  it('read keys and scalars as the library does: numbers, booleans and null as keys, inherited names, special numbers', () => {
    const text = [
      '1: one',
      'true: yes',
      '~: nothing',
      '__proto__: p',
      'toString: t',
      'constructor: { a: 1 }',
      'n: [.inf, -.inf, .nan, 0x1f, 0o17, 1e3, -0, 007]',
      'q: "tab\\there \\u00e9"',
      "s: 'it''s'",
      'b: |',
      '  line one',
      '  line two',
      'f: >',
      '  folded',
      '  text',
      'e: ',
      'flow: {x: [1, {y: null}], z: []}',
      'pairs: [a: 1, b]',
      '',
    ].join('\n');
    const [doc] = docsOf(text);
    const read = plainDocument(doc);
    assert.ok(read);
    const expected = plainOf(doc);
    assert.ok('value' in expected);
    same(read.value, expected.value, 'mixed');
    assert.equal(Object.getPrototypeOf(read.value), Object.prototype, '__proto__ is a key, not the prototype');
    assert.equal((read.value as Record<string, unknown>)['__proto__'], 'p');
  });

  it('leave to the library what it alone reads exactly: duplicates, aliases, merge keys, tags, complex keys', () => {
    const cases = [
      'a: 1\nb: 2\na: 3\n',
      'a:\n  x: 1\n  x: 2\n',
      '1: a\n"1": b\n',
      '~: a\n"": b\n',
      'a: &x {k: 1}\nb: *x\n',
      'base: &b {k: 1}\nuse:\n  <<: *b\n  j: 2\n',
      'a: !!str 1\n',
      'a: !!binary aGVsbG8=\n',
      '? [a, b]\n: c\n',
    ];
    for (const text of cases) {
      const [doc] = docsOf(text);
      assert.equal(plainDocument(doc), undefined, text);
    }
  });

  it('report a duplicate key as before, at its second occurrence with the line of the first', () => {
    const { problems } = parseYaml('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', 'pod.yaml');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^Duplicate key "name" \(first at line 4\)/);
    assert.deepEqual(problems[0].range, { start: { line: 4, character: 2 }, end: { line: 4, character: 6 } });
  });

  it('keep a manifest whose text has no template marker audited, and still find a marker in one that has', () => {
    const plain = parseKubernetes('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n', 'pod.yaml');
    assert.equal(plain.model.objects.length, 1);
    assert.deepEqual(plain.problems, []);
    const templated = parseKubernetes('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: c\n      image: "{{ .Values.image }}"\n', 'pod.yaml');
    assert.equal(templated.model.objects.length, 0);
    assert.match(templated.problems[0].message, /^Not audited: unrendered Helm\/Go template/);
    // a double-quoted escape spells the marker: the text holds a backslash, so values are looked at
    const escaped = parseKubernetes('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n    - name: c\n      image: "\\x7b{ .Values.image }}"\n', 'pod.yaml');
    assert.equal(escaped.model.objects.length, 0);
    assert.match(escaped.problems[0].message, /^Not audited: unrendered Helm\/Go template/);
  });
});
