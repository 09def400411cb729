// Numbers an open file keeps (offsets in its text), as one string of 16-bit codes when they fit.

/**
 * A list of small integers (offsets in a text, -1 for none) kept as one string whose character codes are the
 * numbers plus one: one object with nothing inside it for a garbage collection to trace, and two bytes a
 * number (one when all are below 255), where an array of numbers is two objects and eight bytes a number.
 * A list with a number past 65534 (a text of more than 64K characters), or a very long list, is kept as an
 * Int32Array instead.
 */
export type SmallNumbers = string | Int32Array;

/** Longest list kept as a string (`String.fromCharCode` takes the codes as arguments). */
const MAX_CODES = 4096;
const MAX_CODE = 0xffff;

/**
 * A growable list of integers, reused from one file to the next: a reader fills it, then keeps what it
 * holds with {@link SmallNumbersWriter.keep}.
 */
export class SmallNumbersWriter {
  private data = new Int32Array(256);
  private codes = new Uint16Array(256);
  /** How many numbers it holds. */
  length = 0;

  /** Empties it, with room for `size` numbers. */
  reset(size: number): void {
    this.length = size;
    if (size > this.data.length) {
      const room = Math.max(size, 2 * this.data.length);
      this.data = new Int32Array(room);
      this.codes = new Uint16Array(room);
    }
  }

  set(at: number, value: number): void {
    this.data[at] = value;
  }

  get(at: number): number {
    return this.data[at];
  }

  /** Its numbers as a list to keep. */
  keep(): SmallNumbers {
    const n = this.length;
    const { data, codes } = this;
    let fits = n <= MAX_CODES;
    for (let i = 0; fits && i < n; i++) {
      const code = data[i] + 1;
      if (code < 0 || code > MAX_CODE) fits = false;
      else codes[i] = code;
    }
    if (!fits) return data.slice(0, n);
    return String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[]);
  }
}

/** The number at a position of a kept list. */
export function smallAt(list: SmallNumbers, at: number): number {
  return typeof list === 'string' ? list.charCodeAt(at) - 1 : list[at];
}
