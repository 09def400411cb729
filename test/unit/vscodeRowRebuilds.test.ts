// When the readiness view rebuilds its rows from the results so far of a first scan (src/vscode/rowRebuilds.ts),
// on a clock of the test's own: at most once a second, not while VS Code still fetches the last rows, and again
// at least every FETCH_RETRY_MS while the results are partial (seen in the workbench: a rebuild right after the
// view opened never fetched, and rows fetched but not shown, the view without rows until later results).
import * as assert from 'node:assert/strict';
import { FETCH_RETRY_MS, REBUILD_EVERY_MS, ROOTS, RowRebuilds } from '../../src/vscode/rowRebuilds';
import { FakeTimers } from './fakeTimers';

function setup(options: { visible?: boolean } = {}) {
  const timers = new FakeTimers();
  const state = { partial: true, visible: options.visible ?? true };
  const at: number[] = [];
  const start = timers.time;
  const rebuilds = new RowRebuilds({ rebuild: () => at.push(timers.time - start), partial: () => state.partial, visible: () => state.visible }, timers);
  return { timers, state, at, rebuilds };
}

describe('vscode adapter: rebuilding the readiness rows from results so far', () => {
  it('rebuilds at once for the first results, then at most once a second while VS Code fetches each time', () => {
    const { timers, at, rebuilds } = setup();
    for (let t = 0; t < 3500; t += 250) {
      rebuilds.soon();
      timers.advance(10);
      // VS Code fetches the roots a moment after each rebuild; no row is open
      if (at.length && at.at(-1)! >= t) rebuilds.fetched(ROOTS, []);
      timers.advance(240);
    }
    assert.deepEqual(at, [0, REBUILD_EVERY_MS, 2 * REBUILD_EVERY_MS, 3 * REBUILD_EVERY_MS]);
  });

  it('waits while VS Code has not fetched the last rows, and rebuilds as soon as it has', () => {
    const { timers, at, rebuilds } = setup();
    rebuilds.soon();
    timers.advance(0);
    assert.deepEqual(at, [0]);
    rebuilds.soon();
    timers.advance(1500);
    assert.deepEqual(at, [0], 'no rebuild while the roots are not fetched');
    rebuilds.fetched(ROOTS, ['checklist-a']);
    timers.advance(300);
    assert.deepEqual(at, [0], 'nor while an open row\'s children are not fetched');
    rebuilds.fetched('checklist-a', []);
    timers.advance(100);
    assert.deepEqual(at, [0, 1900]);
  });

  it('rebuilds again when VS Code does not fetch the rows of a rebuild (the view would show none until the complete result)', () => {
    const { timers, at, rebuilds } = setup();
    rebuilds.soon();
    timers.advance(0);
    // a later result so far; VS Code never asks for the rows of the first rebuild
    rebuilds.soon();
    timers.advance(FETCH_RETRY_MS + 100);
    assert.deepEqual(at, [0, FETCH_RETRY_MS], 'rebuilt again once the wait for the fetch ran out');
    rebuilds.fetched(ROOTS, []);
    rebuilds.soon();
    timers.advance(REBUILD_EVERY_MS);
    assert.deepEqual(at, [0, FETCH_RETRY_MS, FETCH_RETRY_MS + REBUILD_EVERY_MS]);
  });

  it('rebuilds again when VS Code does not fetch the rows, also when no later result so far comes', () => {
    const { timers, state, at, rebuilds } = setup();
    rebuilds.soon();
    timers.advance(0);
    timers.advance(2 * FETCH_RETRY_MS + 100);
    assert.deepEqual(at, [0, FETCH_RETRY_MS, 2 * FETCH_RETRY_MS], 'rebuilt again each time the wait ran out');
    // a complete result ends the looking
    rebuilds.fetched(ROOTS, []);
    rebuilds.soon();
    timers.advance(REBUILD_EVERY_MS);
    assert.equal(at.length, 4);
    state.partial = false;
    timers.advance(3 * FETCH_RETRY_MS);
    assert.equal(at.length, 4, 'no rebuild once the results are complete');
  });

  it('rebuilds rows VS Code fetched again while no later result so far comes (a fetch the workbench dropped is not seen), not while the view is hidden', () => {
    const { timers, state, at, rebuilds } = setup();
    rebuilds.soon();
    timers.advance(0);
    rebuilds.fetched(ROOTS, []);
    timers.advance(2 * FETCH_RETRY_MS + 100);
    assert.deepEqual(at, [0, FETCH_RETRY_MS, 2 * FETCH_RETRY_MS], 'rebuilt at least every FETCH_RETRY_MS while partial');
    state.visible = false;
    timers.advance(3 * FETCH_RETRY_MS);
    assert.equal(at.length, 3, 'a hidden view is not rebuilt for nothing (VS Code refreshes it when shown)');
    state.visible = true;
    rebuilds.soon();
    timers.advance(REBUILD_EVERY_MS);
    assert.equal(at.length, 4, 'the next results so far rebuild it');
  });

  it('a closed row is not waited for, and a hidden view (which fetches nothing) is not waited for', () => {
    const closed = setup();
    closed.rebuilds.soon();
    closed.timers.advance(0);
    closed.rebuilds.fetched(ROOTS, ['a', 'b']);
    closed.rebuilds.fetched('a', []);
    closed.rebuilds.soon();
    closed.timers.advance(1200);
    assert.deepEqual(closed.at, [0]);
    closed.rebuilds.closed('b');
    closed.timers.advance(100);
    assert.equal(closed.at.length, 2, 'rebuilt once the closed row is no longer waited for');
    assert.ok(closed.at[1] > 1200 && closed.at[1] <= 1300, `at the next look (${closed.at[1]} ms)`);

    const hidden = setup({ visible: false });
    hidden.rebuilds.soon();
    hidden.timers.advance(0);
    hidden.rebuilds.soon();
    hidden.timers.advance(REBUILD_EVERY_MS);
    assert.deepEqual(hidden.at, [0, REBUILD_EVERY_MS]);
  });

  it('a complete result rebuilds at once and drops the waiting rebuild of results so far', () => {
    const { timers, state, at, rebuilds } = setup();
    rebuilds.soon();
    timers.advance(0);
    rebuilds.fetched(ROOTS, []);
    rebuilds.soon();
    timers.advance(400);
    state.partial = false;
    rebuilds.now();
    timers.advance(5000);
    assert.deepEqual(at, [0, 400], 'the complete result\'s rebuild, and no rebuild of results so far after it');
    // results so far that arrive when nothing is partial any more rebuild nothing
    rebuilds.soon();
    timers.advance(5000);
    assert.deepEqual(at, [0, 400]);
  });
  it('a wait for the rows ends when VS Code fetches the roots of the next rebuild, not a fetch before it; at once when hidden', async () => {
    const { timers, state, rebuilds } = setup();
    let done = false;
    const waiting = rebuilds.nextFetch().then(() => (done = true));
    // a fetch still in flight from before the rebuild does not count
    rebuilds.fetched(ROOTS, []);
    await Promise.resolve();
    assert.equal(done, false);
    rebuilds.soon();
    timers.advance(0);
    await Promise.resolve();
    assert.equal(done, false, 'rebuilt, not fetched yet');
    rebuilds.fetched(ROOTS, []);
    await waiting;
    assert.equal(done, true);
    state.visible = false;
    await rebuilds.nextFetch();
  });

  it('disposing lets every wait for the rows go on', async () => {
    const { rebuilds } = setup();
    const waiting = rebuilds.nextFetch();
    rebuilds.dispose();
    await waiting;
  });
});
