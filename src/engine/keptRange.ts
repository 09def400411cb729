// A finding's range as the engine keeps it until the audit: four numbers in one object.
import type { Position, Range } from './model';

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
