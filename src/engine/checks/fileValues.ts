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

/**
 * The derived values of one file while its checks run. The engine makes one per file whose checks it runs
 * (all the checks of a file run together), hands it to each of them and drops it afterwards: a value is
 * computed once for all of them, and nothing derived outlives the run (an open file keeps its model only;
 * a later run computes the same values again). A check given none computes what it reads itself.
 */
export class FileValues {
  // most files derive one value or two: a short list rather than a map per file
  private readonly keys: FileValue<unknown>[] = [];
  private readonly values: unknown[] = [];
  constructor(readonly file: ParsedFile) {}

  get<T>(key: FileValue<T>): T {
    const at = this.keys.indexOf(key as FileValue<unknown>);
    if (at !== -1) return this.values[at] as T;
    const value = key.compute(this.file);
    this.keys.push(key as FileValue<unknown>);
    this.values.push(value);
    return value;
  }
}

/** A file's value from the run's values when they are this file's, else computed afresh. */
export function valueOf<T>(file: ParsedFile, values: FileValues | undefined, key: FileValue<T>): T {
  return values !== undefined && values.file === file ? values.get(key) : key.compute(file);
}
