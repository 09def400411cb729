/**
 * Where the keys and values of a JSON text sit, read in one scan of a text that `JSON.parse` has accepted (so
 * the scan checks no grammar). Offsets are indexes into the text; a string's place includes its quotes. Each
 * object's members keep their order; equal keys are kept as written, and the first repeated key of the whole
 * text (see `firstDuplicate`) is found in the same scan. Below `MAX_DEPTH` levels a list or object is one place
 * without members (the scan would otherwise run out of stack on a text `JSON.parse` reads).
 */
export interface JsonPlace {
  start: number;
  end: number;
  /** The members of an object, in order. */
  members?: JsonMember[];
}

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonPlace;
}

/**
 * The first repeated key: in the first object that repeats one (objects taken in the order they open), the
 * first member whose key an earlier member of that object has; `first` is that earlier member.
 */
export interface JsonDuplicate {
  member: JsonMember;
  first: JsonMember;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
/** Lists and objects nested deeper than this are passed over whole: no check reads that deep. */
const MAX_DEPTH = 256;

/** The places of a JSON text's top-level value and everything inside it; the text must be valid JSON. */
export function jsonPlaces(text: string): { root: JsonPlace; duplicate?: JsonDuplicate } {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // the repeated key of the earliest object (by the order objects open) that has one
  let dup: { order: number; at: JsonDuplicate } | undefined;
  let objects = 0;
  let depth = 0;

  const skipSpace = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  };
  /** Past the string that starts at `i`; true when it holds an escape. */
  const skipString = (): boolean => {
    let escaped = false;
    for (i++; ; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      }
    }
    i++;
    return escaped;
  };
  /** Past the list or object that opens at `i`, with everything in it, in one loop. */
  const skipNested = (): void => {
    let open = 0;
    do {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        skipString();
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) open++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) open--;
      i++;
    } while (open > 0);
  };
  /** Past the list or object that opens at `i`: `each` reads one element, and the scan stops past `close`. */
  const elements = (close: number, each: () => unknown): void => {
    i++;
    skipSpace();
    if (text.charCodeAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      each();
      skipSpace();
      if (text.charCodeAt(i++) === close) return;
    }
  };
  const value = (): JsonPlace => {
    skipSpace();
    const start = i;
    const c = text.charCodeAt(i);
    if ((c === OPEN_BRACE || c === OPEN_BRACKET) && depth >= MAX_DEPTH) {
      skipNested();
      return { start, end: i };
    }
    if (c === OPEN_BRACE) return object(start);
    if (c === OPEN_BRACKET) {
      depth++;
      elements(CLOSE_BRACKET, value);
      depth--;
      return { start, end: i };
    }
    if (c === QUOTE) skipString();
    else for (let d = c; d === 45 || d === 43 || d === 46 || (d >= 48 && d <= 57) || (d >= 97 && d <= 122) || d === 69; d = text.charCodeAt(++i));
    return { start, end: i };
  };
  const object = (start: number): JsonPlace => {
    const order = objects++;
    const members: JsonMember[] = [];
    let seen: Map<string, JsonMember> | undefined;
    let repeated: JsonDuplicate | undefined;
    depth++;
    elements(CLOSE_BRACE, () => {
      skipSpace();
      const keyStart = i;
      const escaped = skipString();
      const keyEnd = i;
      const key = escaped ? (JSON.parse(text.slice(keyStart, keyEnd)) as string) : text.slice(keyStart + 1, keyEnd - 1);
      skipSpace();
      i++; // the colon
      const member: JsonMember = { key, keyStart, keyEnd, value: value() };
      if (!repeated) {
        const first = (seen ??= new Map()).get(key);
        if (first) repeated = { member, first };
        else seen.set(key, member);
      }
      members.push(member);
    });
    depth--;
    if (repeated && (!dup || order < dup.order)) dup = { order, at: repeated };
    return { start, end: i, members };
  };

  const root = value();
  return dup ? { root, duplicate: dup.at } : { root };
}
