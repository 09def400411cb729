/**
 * When the readiness view rebuilds its rows from the results so far of a first scan (pure: no vscode import, so
 * the policy is tested with a clock of its own in test/unit/vscodeRowRebuilds.test.ts).
 *
 * A rebuild cancels what VS Code is still fetching of the previous rows (a fetch in flight comes back empty), so
 * a rebuild waits until VS Code has fetched the rows of the last one: the roots, then the children of every row
 * shown open. But what VS Code fetches does not always reach the view: a rebuild right after the view opened was
 * seen not fetched for eleven seconds, and rows fetched from the extension were seen not shown for five, until
 * the next results so far (which come seconds apart on a large folder) while the view had no rows at all. The
 * extension cannot see a fetch the workbench dropped, so while the results are partial and the view shows, the
 * rows are rebuilt at least every FETCH_RETRY_MS, whether or not they were fetched and whether or not the results
 * changed. A hidden view (which fetches nothing, and is refreshed by VS Code when shown) does not wait.
 */

/** How often, at most, the rows are rebuilt from the results so far. */
export const REBUILD_EVERY_MS = 1000;
/** How long a rebuild waits for VS Code to fetch the last one's rows before it is made anyway; while results are partial, the rows are rebuilt at least this often. */
export const FETCH_RETRY_MS = 2000;
/** How often a waiting rebuild looks again whether the rows were fetched. */
const POLL_MS = 100;

/** The rows VS Code has not yet fetched for the last rebuild: this key for the roots. */
export const ROOTS = '';

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface RowRebuildsHost {
  /** Tells VS Code the rows changed (it then fetches the roots, then the children of the rows shown open). */
  rebuild(): void;
  /** False once there is nothing left to rebuild from (a complete result rebuilt the rows already). */
  partial(): boolean;
  /** True when the view shows (a hidden view fetches nothing). */
  visible(): boolean;
}

export class RowRebuilds {
  private timer: unknown;
  /** Looks, FETCH_RETRY_MS after a rebuild of results so far, whether VS Code fetched its rows. */
  private retry: unknown;
  private last = Number.NEGATIVE_INFINITY;
  /** Rows whose children VS Code has yet to fetch for the last rebuild (ROOTS for the roots). */
  private readonly unfetched = new Set<string>();
  /** Who waits for the roots of the next rebuild to be fetched: armed by that rebuild, resolved by the fetch. */
  private waiters: { resolve: () => void; armed: boolean }[] = [];

  constructor(
    private readonly host: RowRebuildsHost,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  /** Rebuilds now (a complete result, a change of view options), dropping any rebuild that was waiting. */
  now(): void {
    this.cancel();
    this.last = this.timers.now();
    this.unfetched.clear();
    this.unfetched.add(ROOTS);
    for (const w of this.waiters) w.armed = true;
    this.host.rebuild();
    // (the next results so far may be seconds away: without a look, rows VS Code did not fetch or show wait for them)
    if (this.host.partial()) this.retry = this.timers.setTimeout(() => this.due() && this.now(), FETCH_RETRY_MS);
  }

  /** Results so far whose rows are due again: not fetched in time, or fetched and perhaps not shown. */
  private due(): boolean {
    this.retry = undefined;
    return this.host.partial() && this.host.visible();
  }

  /** Results so far: rebuilds at most once every REBUILD_EVERY_MS, once VS Code fetched the last rows (or did not in time). */
  soon(): void {
    if (this.timer !== undefined) return;
    const tick = (): void => {
      this.timer = undefined;
      if (!this.host.partial()) return;
      const waiting = this.unfetched.size > 0 && this.host.visible() && this.timers.now() - this.last < FETCH_RETRY_MS;
      if (waiting) this.timer = this.timers.setTimeout(tick, POLL_MS);
      else this.now();
    };
    this.timer = this.timers.setTimeout(tick, Math.max(0, this.last + REBUILD_EVERY_MS - this.timers.now()));
  }

  /** VS Code fetched a row's children (`id` ROOTS: the roots); `next` are the rows among them it will open. */
  fetched(id: string, next: Iterable<string>): void {
    this.unfetched.delete(id);
    for (const n of next) this.unfetched.add(n);
    if (id === ROOTS) this.release((w) => w.armed);
  }

  /**
   * Resolves once VS Code has fetched the roots of the next rebuild (a first scan waits for the rows of its first
   * results so far: fullScan.ts); at once when the view is hidden, which fetches nothing until shown.
   */
  nextFetch(): Promise<void> {
    if (!this.host.visible()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ resolve, armed: false }));
  }

  private release(which: (w: { armed: boolean }) => boolean): void {
    const done = this.waiters.filter(which);
    this.waiters = this.waiters.filter((w) => !done.includes(w));
    for (const w of done) w.resolve();
  }

  /** A row was closed: its children will not be fetched. */
  closed(id: string): void {
    this.unfetched.delete(id);
  }

  /** Cancels what is pending and lets every waiter go on (the view is disposed). */
  dispose(): void {
    this.cancel();
    this.release(() => true);
  }

  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    if (this.retry !== undefined) this.timers.clearTimeout(this.retry);
    this.timer = this.retry = undefined;
  }
}
