// A clock for the adapter's timing policies (rowRebuilds.ts, viewMessage.ts) that moves only when a test says.
import type { Timers } from '../../src/vscode/rowRebuilds';

/** A clock that moves only when told, running the timers that come due. */
export class FakeTimers implements Timers {
  time = 1_000_000;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now = (): number => this.time;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.ids;
    this.queue.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.queue = this.queue.filter((t) => t.id !== h);
  };
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.queue[0];
      if (!next || next.at > until) break;
      this.queue.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = until;
  }
}
