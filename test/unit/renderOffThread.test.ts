import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearRenderCache, renderFolder, type RenderOptions } from '../../src/node/render';
import { OffThreadRunner } from '../../src/node/toolRun';
import { walk } from '../../src/node/walk';
import { FIXTURES, SHARED } from './helpers';
import { helmBinary, kubectlBinary } from './renderSupport';

const DEMO = path.join(SHARED, 'corpus', 'realworld', 'microservices-demo');

async function render(root: string, options: Partial<RenderOptions>): Promise<Awaited<ReturnType<typeof renderFolder>>> {
  clearRenderCache();
  const { files } = await walk(root, {});
  return renderFolder(root, files.map((f) => f.path), {}, { trusted: true, helm: helmBinary(), kubectl: kubectlBinary(), ...options });
}

/** What a rendering hands the engine and the problems it reports, comparable between runs. */
function outcome(r: Awaited<ReturnType<typeof renderFolder>>): unknown {
  return { sources: r.sources.map((s) => ({ path: s.path, text: s.text, from: s.rendered?.from })), problems: r.problems };
}

describe('Helm and kubectl started from a thread of their own (the editor)', function () {
  this.timeout(120000);

  for (const [name, root] of [
    ['microservices-demo (a chart and five kustomizations)', DEMO],
    ['the chart fixture', path.join(FIXTURES, 'charts')],
    ['the Kustomize fixture', path.join(FIXTURES, 'kustomize')],
  ] as const) {
    it(`${name}: the same rendered objects and problems as started from this thread`, async () => {
      const here = await render(root, {});
      const elsewhere = await render(root, { offThread: true });
      assert.ok(here.sources.length > 0, 'something rendered');
      assert.deepEqual(outcome(elsewhere), outcome(here));
    });
  }

  describe('failures read the same', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'shipshape-offthread-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const messages = async (options: Partial<RenderOptions>): Promise<string[]> => (await render(path.join(FIXTURES, 'charts'), options)).problems.map((p) => p.message);

    it('a missing tool and a tool that fails', async () => {
      const failing = path.join(dir, 'helm-fails');
      writeFileSync(failing, '#!/bin/sh\necho "Error: chart is broken" >&2\nexit 1\n');
      chmodSync(failing, 0o755);
      for (const helm of [path.join(dir, 'no-such-helm'), failing]) {
        const here = await messages({ helm });
        assert.ok(here.length > 0 && here.every((m) => /^Helm chart not rendered: /.test(m)), here.join('\n'));
        assert.deepEqual(await messages({ helm, offThread: true }), here);
      }
    });

    it('a cancelled rendering says so', async () => {
      const slow = path.join(dir, 'helm-slow');
      writeFileSync(slow, '#!/bin/sh\nexec sleep 20\n');
      chmodSync(slow, 0o755);
      const ac = new AbortController();
      const pending = messages({ helm: slow, offThread: true, signal: ac.signal });
      setTimeout(() => ac.abort(), 200);
      const got = await pending;
      assert.ok(got.length > 0 && got.every((m) => m === 'Helm chart not rendered: rendering was cancelled.'), got.join('\n'));
    });
  });

  for (const offThread of [false, true]) {
    it(`a rendering superseded by one of the same inputs: the newer one runs the tool again rather than awaiting the cancelled run${offThread ? ' (own thread)' : ''}`, async () => {
      const root = path.join(FIXTURES, 'kustomize');
      clearRenderCache();
      const { files } = await walk(root, {});
      const paths = files.map((f) => f.path);
      const older = new AbortController();
      const first = renderFolder(root, paths, {}, { trusted: true, kubectl: kubectlBinary(), offThread, signal: older.signal });
      older.abort();
      const newer = await renderFolder(root, paths, {}, { trusted: true, kubectl: kubectlBinary(), offThread, signal: new AbortController().signal });
      assert.deepEqual(newer.problems.map((p) => p.message), []);
      assert.ok(newer.sources.length > 0, 'the newer rendering rendered');
      assert.ok((await first).problems.every((p) => /rendering was cancelled/.test(p.message)));
    });
  }

  it('the thread ends with its last run and starts again for the next', async () => {
    const runner = new OffThreadRunner();
    const call = { bin: '/bin/sh', args: ['-c', 'echo "$GREETING"'], cwd: tmpdir(), env: { GREETING: 'hello', PATH: '/usr/bin:/bin' }, timeout: 10000, maxBuffer: 1024 };
    assert.deepEqual(await runner.run(call), { stdout: 'hello\n', stderr: '', failure: undefined });
    assert.equal(runner.running, false);
    const [a, b] = await Promise.all([runner.run({ ...call, env: { ...call.env, GREETING: 'a' } }), runner.run({ ...call, env: { ...call.env, GREETING: 'b' } })]);
    assert.deepEqual([a.stdout, b.stdout], ['a\n', 'b\n']);
    assert.equal(runner.running, false);
    const missing = await runner.run({ ...call, bin: path.join(tmpdir(), 'no-such-tool') });
    assert.equal(missing.failure?.code, 'ENOENT');
  });
});
