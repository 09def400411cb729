// A finding's range as the engine keeps it until the audit: four numbers in one object.
import type { Position, Range, RawFinding } from './model';

/**
 * A range kept as its four numbers rather than a range object and two position objects: the engine keeps
 * every finding of every file for the editor, and each object kept is one more for every garbage collection
 * to trace and copy. `start` and `end` are made when read (a new object each time: read them, do not keep
 * them to compare by identity); `JSON.stringify` writes the plain shape.
 */
export class KeptRange implements Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}

  get start(): Position {
    return { line: this.startLine, character: this.startCharacter };
  }

  get end(): Position {
    return { line: this.endLine, character: this.endCharacter };
  }

  toJSON(): Range {
    return { start: this.start, end: this.end };
  }
}

/** A range to keep: the four numbers of `r` in one object. */
export function keptRange(r: Range): KeptRange {
  if (r instanceof KeptRange) return r;
  const { start, end } = r;
  return new KeptRange(start.line, start.character, end.line, end.character);
}

/** A range's start line and character without making a position. */
export function startLine(r: Range): number {
  return r instanceof KeptRange ? r.startLine : r.start.line;
}

export function startCharacter(r: Range): number {
  return r instanceof KeptRange ? r.startCharacter : r.start.character;
}

/**
 * A finding a check makes afresh on each run for itself alone: the engine stamps the rule id, severity and
 * fixability onto it in place, a workspace check's too (whose other findings are copied when stamped, since
 * a check may hand the same finding object to more than one item). A class rather than a literal: V8 sizes
 * a class's objects for the properties its first instances end up with, so the stamped ones stay in the
 * object instead of a separate store per finding. Its range is kept as four numbers in the finding itself
 * (one object kept per finding, not two); `range` is made when read, a new object each time, as KeptRange's
 * `start` and `end` are. A spread (`{ ...f }`) does not copy it: Dockerfile findings are never spread.
 */
export class FreshFinding implements RawFinding {
  file: string;
  readonly startLine: number;
  readonly startCharacter: number;
  readonly endLine: number;
  readonly endCharacter: number;
  message: string;
  object: string | undefined;
  data: Record<string, unknown>;
  constructor(file: string, range: Range, message: string, object: string | undefined, data: Record<string, unknown>) {
    this.file = file;
    this.startLine = startLine(range);
    this.startCharacter = startCharacter(range);
    this.endLine = range instanceof KeptRange ? range.endLine : range.end.line;
    this.endCharacter = range instanceof KeptRange ? range.endCharacter : range.end.character;
    this.message = message;
    this.object = object;
    this.data = data;
  }

  get range(): Range {
    return new KeptRange(this.startLine, this.startCharacter, this.endLine, this.endCharacter);
  }

  /** The plain shape, as a literal with a `range` would write it (keys in the same order). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(this)) {
      if (key === 'startLine' || key === 'startCharacter' || key === 'endLine' || key === 'endCharacter') continue;
      out[key] = (this as unknown as Record<string, unknown>)[key];
      if (key === 'file') out.range = this.range;
    }
    return out;
  }
}

/** A finding's start line and character without making its range. */
export function findingStartLine(f: { range: Range }): number {
  return f instanceof FreshFinding ? f.startLine : startLine(f.range);
}

export function findingStartCharacter(f: { range: Range }): number {
  return f instanceof FreshFinding ? f.startCharacter : startCharacter(f.range);
}
