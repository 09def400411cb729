import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import type { DockerfileModel } from '../../src/engine/parse/dockerfile';
import type { AuditResult } from '../../src/engine/model';
import { LineIndex } from '../../src/engine/text';
import { builtinChecklists, SHARED } from './helpers';

const CORPUS = path.join(SHARED, 'corpus');

/** Every file under the corpus whose name says Dockerfile or Containerfile (templates and odd names included). */
function dockerfiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) dockerfiles(abs, out);
    else if (/dockerfile|containerfile/i.test(name)) out.push(abs);
  }
  return out;
}

describe('Dockerfile rules over the shared corpus', function () {
  if (!existsSync(CORPUS)) return;
  const files = dockerfiles(CORPUS).map((abs) => ({ rel: path.relative(CORPUS, abs).split(path.sep).join('/'), text: readFileSync(abs, 'utf8') }));
  let result: AuditResult;
  let engine: Engine;

  before(() => {
    engine = new Engine(builtinChecklists().filter((c) => c.id === 'dockerfile'));
    // Read every one as a Dockerfile, whatever discovery would call it (templates, `.Dockerfile`).
    for (const f of files) engine.upsert({ path: f.rel, text: f.text, kind: 'dockerfile' });
    result = engine.audit();
  });

  it('finds the corpus Dockerfiles', () => {
    assert.ok(files.length >= 100, `only ${files.length} Dockerfiles found`);
  });

  it('runs every Dockerfile check on every file without a crash', () => {
    const crashes = result.problems.filter((p) => /failed on this file|Internal error/.test(p.message));
    assert.deepEqual(crashes, []);
  });

  it('reads a stage for every FROM, and keeps every finding inside its file', () => {
    for (const f of files) {
      const model = engine.file(f.rel)?.model as DockerfileModel;
      const froms = f.text.split('\n').filter((l) => /^\s*from\s+\S/i.test(l)).length;
      assert.equal(model.stages.length, froms, `${f.rel}: ${model.stages.length} stages for ${froms} FROM lines`);
    }
    const lines = new Map(files.map((f) => [f.rel, new LineIndex(f.text).lineCount]));
    for (const finding of result.findings) {
      assert.ok(finding.message.length > 0);
      assert.ok(finding.range.start.line < (lines.get(finding.file) ?? Infinity), `${finding.file}:${finding.range.start.line}`);
    }
  });

  it('an empty Dockerfile gives no findings and no problems', () => {
    const empty = 'robustness/checkov/tests/dockerfile/resources/empty_dockerfile/Dockerfile';
    assert.deepEqual(result.findings.filter((f) => f.file === empty), []);
    assert.deepEqual(result.problems.filter((p) => p.file === empty), []);
  });

  it('sees apt update inside a RUN heredoc as well as in a plain RUN', () => {
    const file = 'robustness/checkov/tests/dockerfile/resources/multiline_command/Dockerfile';
    const lines = result.findings.filter((f) => f.file === file && f.ruleId === 'docker.apt.update-install').map((f) => f.range.start.line);
    assert.deepEqual(lines, [8, 12]);
  });

  it('does not judge template placeholders as unpinned images', () => {
    const templated = result.findings.filter((f) => f.ruleId === 'docker.image.pinned' && /\{\{|%%/.test(f.message));
    assert.deepEqual(templated, []);
  });

  it('does not report placeholder credentials, and never prints a secret value', () => {
    const secrets = result.findings.filter((f) => f.ruleId === 'docker.secrets.env-arg');
    assert.ok(!secrets.some((f) => f.file === 'realworld/hoppscotch/prod.Dockerfile'), 'postgresql://placeholder:placeholder@… is a placeholder');
    for (const f of secrets) {
      const text = files.find((x) => x.rel === f.file)!.text;
      const line = text.split('\n')[f.range.start.line];
      const value = /=\s*"?([^"\s]+)/.exec(line)?.[1];
      if (value) assert.ok(!f.message.includes(value), f.message);
    }
  });

  it('reads Windows images as Windows: no USER means ContainerAdministrator, C:\\ paths are absolute', () => {
    const windows = files.filter((f) => /^FROM\s+mcr\.microsoft\.com\/windows\/\w+:/im.test(f.text));
    assert.ok(windows.length > 0, 'the corpus has Windows Dockerfiles');
    for (const f of windows) {
      const user = result.findings.filter((x) => x.file === f.rel && x.ruleId === 'docker.user.non-root');
      assert.equal(user.length, 1, f.rel);
      assert.match(user[0].message, /ContainerAdministrator/);
      assert.deepEqual(result.findings.filter((x) => x.file === f.rel && x.ruleId === 'docker.workdir.absolute'), []);
    }
  });
});
