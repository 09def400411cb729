import { z } from 'zod';

/**
 * Regular expressions that come from checklists and configuration (user data, not code).
 *
 * JavaScript regexes backtrack: `(a+)+$` takes exponential time on a short crafted line, and `.*.*.*x`
 * takes polynomial time (a few seconds on 300 characters). Every user pattern goes through
 * {@link compileUserPattern}, which
 * - refuses patterns longer than {@link MAX_PATTERN_LENGTH}, back-references, and repetition of a group
 *   that itself repeats or has alternatives (`(a+)+`, `(a|ab)*`, `(a*){50}`): the exponential cases;
 * - measures the polynomial degree: the most unbounded quantifiers one match path goes through, plus one
 *   when the pattern is not anchored at the start (the engine retries at every position). Degree above
 *   {@link MAX_DEGREE} is refused;
 * - returns a RegExp that only ever looks at the first `budget^(1/degree)` characters of its input
 *   (`maxInput`), so every accepted pattern stays within about {@link STEP_BUDGET} backtracking steps
 *   whatever the input. Degree 1 patterns see 1 MiB, degree 2 see 4096 characters, degree 4 see 64.
 */

export const MAX_PATTERN_LENGTH = 300;
export const MAX_DEGREE = 4;
export const STEP_BUDGET = 2 ** 24;
/** Input cap even for linear patterns. */
export const MAX_INPUT = 1 << 20;
/** `{n,m}` with m above this counts as unbounded. */
const LARGE_REPEAT = 100;
/** A group with quantifiers or alternatives inside may be repeated at most this many times. */
const SMALL_REPEAT = 4;

class Unsafe extends Error {}

interface Shape {
  /** Worst-case nesting of unbounded repetition along one match path. */
  degree: number;
  /** Contains a quantifier (at any depth). */
  quantified: boolean;
  /** Contains alternatives (at any depth). */
  alternation: boolean;
}

/** A recursive-descent reading of a JavaScript pattern, enough to find its repetition structure. */
class Analyzer {
  private i = 0;
  constructor(private readonly s: string) {}

  run(): Shape {
    const shape = this.alternation();
    // a stray `)` is a syntax error the RegExp constructor reports; keep reading so nothing is missed
    while (this.i < this.s.length) {
      this.i++;
      const more = this.alternation();
      shape.degree = Math.max(shape.degree, more.degree);
      shape.quantified ||= more.quantified;
      shape.alternation ||= more.alternation;
    }
    return shape;
  }

  private alternation(): Shape {
    const out: Shape = { degree: 0, quantified: false, alternation: false };
    for (;;) {
      const seq = this.sequence();
      out.degree = Math.max(out.degree, seq.degree);
      out.quantified ||= seq.quantified;
      out.alternation ||= seq.alternation;
      if (this.s[this.i] !== '|') return out;
      out.alternation = true;
      this.i++;
    }
  }

  private sequence(): Shape {
    const out: Shape = { degree: 0, quantified: false, alternation: false };
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const item = this.item();
      out.degree += item.degree;
      out.quantified ||= item.quantified;
      out.alternation ||= item.alternation;
    }
    return out;
  }

  private item(): Shape {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    const complex = atom.quantified || atom.alternation;
    if (q.max > LARGE_REPEAT) {
      if (atom.quantified) throw new Unsafe('nested quantifiers (a repeated group that itself repeats, like (a+)+) can take exponential time');
      if (atom.alternation) throw new Unsafe('a repeated group with alternatives (like (a|ab)+) can take exponential time; use a character class or drop the repetition');
      return { degree: atom.degree + 1, quantified: true, alternation: atom.alternation };
    }
    if (q.max > 1 && complex) {
      if (q.max > SMALL_REPEAT) throw new Unsafe(`a group with quantifiers or alternatives repeated more than ${SMALL_REPEAT} times can take exponential time`);
      return { degree: atom.degree * q.max, quantified: true, alternation: atom.alternation };
    }
    return { degree: atom.degree, quantified: true, alternation: atom.alternation };
  }

  private atom(): Shape {
    const s = this.s;
    const ch = s[this.i];
    const plain: Shape = { degree: 0, quantified: false, alternation: false };
    if (ch === '\\') {
      const next = s[this.i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && s[this.i + 2] === '<')) throw new Unsafe('back-references are not allowed');
      this.i += 2;
      return plain;
    }
    if (ch === '[') {
      this.i++;
      if (s[this.i] === '^') this.i++;
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      this.i++;
      return plain;
    }
    if (ch === '(') {
      if (s.startsWith('(?<', this.i) && s[this.i + 3] !== '=' && s[this.i + 3] !== '!') {
        const close = s.indexOf('>', this.i);
        this.i = close === -1 ? s.length : close + 1;
      } else if (s[this.i + 1] === '?') this.i += s[this.i + 2] === '<' ? 4 : 3;
      else this.i++;
      const inner = this.alternation();
      if (s[this.i] === ')') this.i++;
      return inner;
    }
    this.i++;
    return plain;
  }

  private quantifier(): { max: number } | undefined {
    const s = this.s;
    const ch = s[this.i];
    let max: number;
    if (ch === '*' || ch === '+') {
      max = Infinity;
      this.i++;
    } else if (ch === '?') {
      max = 1;
      this.i++;
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i, this.i + 24));
      if (!m) return undefined;
      max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length;
    } else return undefined;
    if (s[this.i] === '?') this.i++; // lazy
    return { max };
  }
}

/** The polynomial degree of a pattern's worst case, or the reason it is refused. Does not check syntax. */
export function analyzePattern(source: string, flags = ''): { degree: number } | { reason: string } {
  if (source.length > MAX_PATTERN_LENGTH) return { reason: `pattern is longer than ${MAX_PATTERN_LENGTH} characters` };
  let shape: Shape;
  try {
    shape = new Analyzer(source).run();
  } catch (e) {
    if (e instanceof Unsafe) return { reason: e.message };
    throw e;
  }
  const anchored = source.startsWith('^') && !flags.includes('m') && !source.includes('|');
  const degree = shape.degree + (anchored ? 0 : 1);
  if (degree > MAX_DEGREE) return { reason: `too many unbounded quantifiers one after another (${degree - (anchored ? 0 : 1)}${anchored ? '' : ', unanchored'}); the match could take polynomial time` };
  return { degree };
}

/** The input length a pattern of this degree may look at. */
export function inputBudget(degree: number): number {
  return Math.min(MAX_INPUT, Math.floor(STEP_BUDGET ** (1 / Math.max(1, degree))));
}

/** A RegExp that only looks at the first `maxInput` characters of what it is given (test, exec, match, replace…). */
export class BoundedRegExp extends RegExp {
  constructor(
    source: string,
    flags: string,
    readonly maxInput: number,
  ) {
    super(source, flags);
  }
  override exec(input: string): RegExpExecArray | null {
    const s = String(input);
    return super.exec(s.length > this.maxInput ? s.slice(0, this.maxInput) : s);
  }
  static override get [Symbol.species](): RegExpConstructor {
    return RegExp;
  }
}

export type CompiledPattern = { regex: BoundedRegExp; error?: undefined } | { regex?: undefined; error: string };

/**
 * Compiles a user-supplied pattern. A leading `(?i)` (Go/PCRE style, as kube-linter writes them) turns on
 * case-insensitive matching. Returns the reason instead of a RegExp when the pattern is invalid or unsafe.
 */
export function compileUserPattern(source: string, flags = ''): CompiledPattern {
  let body = source;
  let f = flags;
  if (body.startsWith('(?i)')) {
    body = body.slice(4);
    if (!f.includes('i')) f += 'i';
  }
  const analysis = analyzePattern(body, f);
  if ('reason' in analysis) return { error: analysis.reason };
  try {
    return { regex: new BoundedRegExp(body, f, inputBudget(analysis.degree)) };
  } catch (e) {
    return { error: `not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})` };
  }
}

/** Compiled patterns by flags, then source (two levels: a joined key would be a new string to hash on every call). */
const compiled = new Map<string, Map<string, RegExp | undefined>>();
let compiledCount = 0;

/**
 * Like {@link compileUserPattern}, but undefined for a bad pattern (for templates whose params were
 * validated). Checks call it per file, so stateless patterns (no g or y flag) are compiled once.
 */
export function userRegExp(source: string | undefined, flags = ''): RegExp | undefined {
  if (source === undefined) return undefined;
  if (/[gy]/.test(flags)) return compileUserPattern(source, flags).regex;
  let bySource = compiled.get(flags);
  if (bySource?.has(source)) return bySource.get(source);
  const regex = compileUserPattern(source, flags).regex;
  if (compiledCount++ > 1000) {
    compiled.clear();
    compiledCount = 0;
    bySource = undefined;
  }
  if (!bySource) compiled.set(flags, (bySource = new Map()));
  bySource.set(source, regex);
  return regex;
}

/**
 * A zod string for a template param that holds a user pattern: the checklist loader then reports an
 * unsafe or invalid pattern as a located error at the value.
 */
export function userPatternSchema(flags = ''): z.ZodString {
  return z.string().superRefine((s, ctx) => {
    const r = compileUserPattern(s, flags);
    if (r.error) ctx.addIssue({ code: 'custom', message: `unsafe or invalid pattern: ${r.error}` });
  });
}
