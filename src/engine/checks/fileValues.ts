// Values derived from one parsed file and read by several of its checks (a Dockerfile's RUN commands…).
import type { ParsedFile } from '../workspace';

/** A value derived from a parsed file alone; `compute` must read nothing else. */
export interface FileValue<T> {
  readonly name: string;
  compute(file: ParsedFile): T;
}

export function fileValue<T>(name: string, compute: (file: ParsedFile) => T): FileValue<T> {
  return { name, compute };
}

/** A model that keeps what its readers ask of it again and again (a Dockerfile's instruction words) while a run holds it, and only then. */
export interface HoldsReads {
  holdReads(held: boolean): void;
}

function hold(file: ParsedFile, held: boolean): void {
  try {
    (file.model as Partial<HoldsReads> | undefined)?.holdReads?.(held);
  } catch {
    // a model that cannot be read: each check that reads it reports that itself
  }
}

/**
 * The derived values of one file while its checks run. The engine makes one per file whose checks it runs
 * (all the checks of a file run together), hands it to each of them and drops it afterwards: a value is
 * computed once for all of them, and nothing derived outlives the run (an open file keeps its model only;
 * a later run computes the same values again). A check given none computes what it reads itself.
 */
export class FileValues {
  // most files derive one value, or none: the first in fields of its own, any others in a short list
  private firstKey: FileValue<unknown> | undefined = undefined;
  private firstValue: unknown = undefined;
  private more: { key: FileValue<unknown>; value: unknown }[] | undefined = undefined;
  constructor(readonly file: ParsedFile) {
    hold(file, true);
  }

  /** The run is over: the model drops what it kept for it. */
  release(): void {
    hold(this.file, false);
  }

  get<T>(key: FileValue<T>): T {
    if (this.firstKey === key) return this.firstValue as T;
    if (this.more) for (const m of this.more) if (m.key === key) return m.value as T;
    const value = key.compute(this.file);
    if (this.firstKey === undefined) {
      this.firstKey = key as FileValue<unknown>;
      this.firstValue = value;
    } else (this.more ??= []).push({ key: key as FileValue<unknown>, value });
    return value;
  }
}

/** A file's value from the run's values when they are this file's, else computed afresh. */
export function valueOf<T>(file: ParsedFile, values: FileValues | undefined, key: FileValue<T>): T {
  return values !== undefined && values.file === file ? values.get(key) : key.compute(file);
}
