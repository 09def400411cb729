import { strict as assert } from 'node:assert';
import { diffLines } from 'diff';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { computeFix, fixAll } from '../../src/engine/fixes/run';
import type { FileKind, TextEdit } from '../../src/engine/model';
import { parseFile } from '../../src/engine/parse';
import type { K8sModel } from '../../src/engine/parse/kubernetes';
import { applyEdits } from '../../src/engine/text';
import { builtinChecklists, kindOf, SHARED } from './helpers';

/** Every scanned file of the shared corpus and the conformance fixtures, with its kind. */
function corpusFiles(): { rel: string; abs: string; kind: FileKind }[] {
  const out: { rel: string; abs: string; kind: FileKind }[] = [];
  for (const top of ['corpus', 'conformance']) {
    const root = path.join(SHARED, top);
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) walk(abs);
        else {
          const rel = path.relative(root, abs).split(path.sep).join('/');
          const kind = kindOf(rel, readFileSync(abs, 'utf8'));
          if (kind && kind !== 'markdown' && kind !== 'lockfile') out.push({ rel: `${top}/${rel}`, abs, kind });
        }
      }
    };
    walk(root);
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : 1));
}

function parseErrors(p: string, text: string, kind: FileKind): number {
  return parseFile({ path: p, text, kind }).problems.filter((x) => x.severity === 'error').length;
}

function objects(p: string, text: string, kind: FileKind): number {
  return kind === 'kubernetes' ? ((parseFile({ path: p, text, kind }).model as K8sModel | undefined)?.objects.length ?? 0) : 0;
}

/** Lines of `before` that an independent line diff says were removed or changed. */
function touchedLines(before: string, after: string): number[] {
  const out: number[] = [];
  let line = 0;
  for (const part of diffLines(before, after)) {
    const n = part.count ?? 0;
    if (part.removed) for (let i = 0; i < n; i++) out.push(line + i);
    if (!part.added) line += n;
  }
  return out;
}

function named(edits: readonly TextEdit[], line: number): boolean {
  return edits.some((e) => e.range.start.line <= line && line <= e.range.end.line);
}

const files = corpusFiles();
let offered = 0;

describe('fixes on the shared corpus and conformance fixtures', function () {
  this.timeout(120000);
  after(() => {
    // the property must have been exercised, not vacuously true
    assert.ok(offered > 100, `only ${offered} fixes were offered over ${files.length} files`);
  });

  it('finds the corpus', () => assert.ok(files.length > 300, `${files.length} files`));

  for (const file of files) {
    it(`${file.rel}: every offered fix keeps the file parseable and touches only the lines it names; fix-all is idempotent`, () => {
      const text = readFileSync(file.abs, 'utf8');
      const name = path.basename(file.rel);
      const engine = new Engine(builtinChecklists());
      engine.upsert({ path: name, text, kind: file.kind });
      const before = { errors: parseErrors(name, text, file.kind), objects: objects(name, text, file.kind) };
      const fixable = engine.audit().findings.filter((x) => x.fixable && x.file === name);
      for (const f of fixable) {
        const out = computeFix(engine, f);
        if ('declined' in out) {
          assert.doesNotMatch(out.declined, /unparseable|failed/, `${f.ruleId} at line ${f.range.start.line + 1}`);
          continue;
        }
        offered++;
        for (const fe of out.edits.filter((e) => e.file === name)) {
          const after = applyEdits(text, fe.edits);
          assert.notEqual(after, text, `${f.ruleId}: an offered fix changes the text`);
          const stray = touchedLines(text, after).filter((l) => !named(fe.edits, l));
          assert.deepEqual(stray, [], `${f.ruleId} changed lines it does not name`);
          assert.ok(parseErrors(name, after, file.kind) <= before.errors, `${f.ruleId} left the file unparseable`);
          assert.equal(objects(name, after, file.kind), before.objects, `${f.ruleId} changed the number of Kubernetes objects`);
        }
      }
      if (!fixable.length) return;
      const all = fixAll(engine, { keep: true });
      const fixed = all.files.get(name)?.after ?? text;
      assert.ok(parseErrors(name, fixed, file.kind) <= before.errors, 'fix-all left the file unparseable');
      assert.equal(objects(name, fixed, file.kind), before.objects);
      const again = fixAll(engine, { keep: true });
      assert.equal(again.files.size, 0, `a second fix-all still changed ${[...again.files.keys()].join(', ')}: ${again.applied.map((a) => a.title).join('; ')}`);
    });
  }
});
