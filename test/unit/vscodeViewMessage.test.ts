// The readiness view's message (src/vscode/viewMessage.ts), on a clock of the test's own: while the results are
// partial it changes at most once a second, the latest text winning, so that its changes never hold back the
// refreshes of the rows VS Code sends through the same debounced event; a complete result's message shows at once.
import * as assert from 'node:assert/strict';
import { MESSAGE_EVERY_MS, ViewMessage } from '../../src/vscode/viewMessage';
import { FakeTimers } from './fakeTimers';

function setup() {
  const timers = new FakeTimers();
  const start = timers.time;
  const sets: [number, string | undefined][] = [];
  const message = new ViewMessage((m) => sets.push([timers.time - start, m]), timers);
  return { timers, sets, message };
}

describe('vscode adapter: the readiness view\'s message', () => {
  it('while results are partial, counts of files read four times a second change the message once a second, the latest text winning', () => {
    const { timers, sets, message } = setup();
    for (let n = 1; n <= 12; n++) {
      message.update(`Scanning… ${n * 100}/2000 files read.`, true);
      timers.advance(250);
    }
    assert.deepEqual(sets, [
      [0, 'Scanning… 100/2000 files read.'],
      [MESSAGE_EVERY_MS, 'Scanning… 400/2000 files read.'],
      [2 * MESSAGE_EVERY_MS, 'Scanning… 800/2000 files read.'],
      [3 * MESSAGE_EVERY_MS, 'Scanning… 1200/2000 files read.'],
    ]);
    // no two changes closer than the debounce that carries the rows' refreshes (200 ms) and then some
    for (let i = 1; i < sets.length; i++) assert.ok(sets[i][0] - sets[i - 1][0] >= MESSAGE_EVERY_MS);
  });

  it('the first message of results so far shows at once, also right after another message', () => {
    const { timers, sets, message } = setup();
    message.update(undefined, false);
    message.update('scanning…', false);
    timers.advance(300);
    message.update('Scanning… 5/2000 files read.', true);
    message.update('Scanning… 9/2000 files read.', true);
    timers.advance(MESSAGE_EVERY_MS);
    assert.deepEqual(sets, [[0, 'scanning…'], [300, 'Scanning… 5/2000 files read.'], [300 + MESSAGE_EVERY_MS, 'Scanning… 9/2000 files read.']]);
  });

  it('a complete result\'s message shows at once and drops the waiting one; the same text is not sent again', () => {
    const { timers, sets, message } = setup();
    message.update('Scanning… 10/20 files read.', true);
    timers.advance(100);
    message.update('Scanning… 15/20 files read.', true);
    timers.advance(100);
    message.update('Readiness 60% · 3 failing checks of 9', false);
    timers.advance(5000);
    assert.deepEqual(sets, [[0, 'Scanning… 10/20 files read.'], [200, 'Readiness 60% · 3 failing checks of 9']]);
    message.update('Readiness 60% · 3 failing checks of 9', false);
    message.update('Readiness 60% · 3 failing checks of 9', true);
    timers.advance(5000);
    assert.equal(sets.length, 2, 'an unchanged message is not sent (each send restarts the debounce)');
    message.update(undefined, false);
    assert.deepEqual(sets.at(-1), [10200, undefined]);
  });
});
