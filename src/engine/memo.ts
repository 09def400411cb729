// The engine's memo layer: inputs that carry the revision they last changed at, and values derived from
// them, recomputed only when something they read changed since they were last verified.

/** Something a derived value reads: an input or another derived value. */
interface Read {
  /** The revision at which its value last changed. */
  readonly changedAt: number;
  /** Brings it up to date (a derived value checks its own reads, and recomputes if one of them changed). */
  verify(): void;
}

/**
 * One store of inputs and derived values. Every change to an input is a new revision; a derived value
 * records what it reads while it computes, and on the next read after a change it is recomputed only if
 * one of those reads changed after it was last verified. A recomputed value equal to the one it replaces
 * (by the value's `equal`) keeps its old identity and revision, so nothing that read it recomputes
 * (early cutoff).
 */
export class Memos {
  /** The current revision; bumped by every input that changes. */
  revision = 0;
  /** How many times each derived value was computed, by name (what re-ran after a change). */
  readonly executions = new Map<string, number>();
  private readonly frames: Set<Read>[] = [];

  input<T>(value: T, equal: (a: T, b: T) => boolean = Object.is): Input<T> {
    return new Input(this, value, equal);
  }

  memo<T>(name: string, compute: (previous: T | undefined) => T, equal: (a: T, b: T) => boolean = Object.is): Memo<T> {
    return new Memo(this, name, compute, equal);
  }

  /** Records a read by the derived value being computed, if any. */
  read(node: Read): void {
    const top = this.frames[this.frames.length - 1];
    if (top) top.add(node);
  }

  /** Runs `fn`, returning what it read. */
  recording<T>(fn: () => T): { value: T; reads: Read[] } {
    const frame = new Set<Read>();
    this.frames.push(frame);
    try {
      return { value: fn(), reads: [...frame] };
    } finally {
      this.frames.pop();
    }
  }

  /** Counts one computation of a named value. */
  executed(name: string): void {
    this.executions.set(name, (this.executions.get(name) ?? 0) + 1);
  }
}

/** A value the host sets (a file's text, a kind's set of files, the settings). */
export class Input<T> implements Read {
  changedAt: number;
  constructor(
    private readonly memos: Memos,
    private value: T,
    private readonly equal: (a: T, b: T) => boolean,
  ) {
    this.changedAt = memos.revision;
  }

  get(): T {
    this.memos.read(this);
    return this.value;
  }

  /** The value without recording a read. */
  peek(): T {
    return this.value;
  }

  /** Sets the value; a value equal to the current one changes nothing. */
  set(value: T): void {
    if (this.equal(this.value, value)) return;
    this.value = value;
    this.changedAt = ++this.memos.revision;
  }

  /** Marks the input changed although its value is the same object (its content changed in place). */
  touch(): void {
    this.changedAt = ++this.memos.revision;
  }

  verify(): void {}
}

/** A value computed from inputs and other derived values. */
export class Memo<T> implements Read {
  changedAt = -1;
  private verifiedAt = -1;
  private value: T | undefined;
  private reads: Read[] = [];

  constructor(
    private readonly memos: Memos,
    readonly name: string,
    private readonly compute: (previous: T | undefined) => T,
    private readonly equal: (a: T, b: T) => boolean,
  ) {}

  get(): T {
    this.verify();
    this.memos.read(this);
    return this.value as T;
  }

  /** The last value computed, if any, without verifying or recording a read. */
  peek(): T | undefined {
    return this.value;
  }

  verify(): void {
    const now = this.memos.revision;
    if (this.verifiedAt === now) return;
    if (this.verifiedAt < 0 || !this.readsUnchanged()) this.recompute();
    this.verifiedAt = now;
  }

  private readsUnchanged(): boolean {
    for (const r of this.reads) {
      r.verify();
      if (r.changedAt > this.verifiedAt) return false;
    }
    return true;
  }

  private recompute(): void {
    this.memos.executed(this.name);
    const first = this.verifiedAt < 0;
    const { value, reads } = this.memos.recording(() => this.compute(this.value));
    this.reads = reads;
    if (!first && this.equal(this.value as T, value)) return;
    this.value = value;
    this.changedAt = this.memos.revision;
  }
}
