/**
 * The readiness view's message (pure: no vscode import, tested with a clock of its own in
 * test/unit/vscodeViewMessage.test.ts).
 *
 * VS Code sends a tree view's message and the refreshes of its rows through one debounced event: a change of
 * either holds both back until neither changed for 200 ms. A message that changed with every count of files
 * read (four times a second, and closer together when the machine is busy) held the rows of the results so far
 * back for seconds. So while the results are partial the message changes at most once every MESSAGE_EVERY_MS
 * (the latest text wins; the first shows at once); the view's description and the status bar, sent apart, count the files as they are
 * read. A complete result's message is shown at once.
 */
import { REAL_TIMERS, type Timers } from './rowRebuilds';

/** How often, at most, the message changes while the results are partial. */
export const MESSAGE_EVERY_MS = 1000;

export class ViewMessage {
  private shown: string | undefined;
  private latest: string | undefined;
  private last = Number.NEGATIVE_INFINITY;
  /** Whether a message of results so far was shown (or is due): the next one waits its turn. */
  private shownPartial = false;
  private timer: unknown;

  constructor(
    private readonly set: (message: string | undefined) => void,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  /** The message to show; `partial` while it describes results so far. */
  update(message: string | undefined, partial: boolean): void {
    this.latest = message;
    if (!partial) {
      this.cancel();
      this.show();
      this.shownPartial = false;
      return;
    }
    if (this.timer !== undefined) return;
    // (the first message of results so far shows at once: a short reading may be over within the second)
    const wait = this.shownPartial ? this.last + MESSAGE_EVERY_MS - this.timers.now() : 0;
    if (wait <= 0) this.show();
    else this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.show();
    }, wait);
    this.shownPartial = true;
  }

  private show(): void {
    if (this.latest === this.shown) return;
    this.shown = this.latest;
    this.last = this.timers.now();
    this.set(this.latest);
  }

  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
