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
 * object instead of a separate store per finding; its range is kept as four numbers (see KeptRange).
 */
export class FreshFinding implements RawFinding {
  file: string;
  range: Range;
  message: string;
  object: string | undefined;
  data: Record<string, unknown>;
  constructor(file: string, range: Range, message: string, object: string | undefined, data: Record<string, unknown>) {
    this.file = file;
    this.range = keptRange(range);
    this.message = message;
    this.object = object;
    this.data = data;
  }
}
