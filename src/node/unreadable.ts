import type { Problem, Range } from '../engine/model';

/**
 * The problems a host reports for a file or folder it could not read, the same in the CLI and the editor:
 * each is unaudited (it counts against the score and the exit code, as any input the engine did not read).
 */

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A file over the size limit: not read, so not audited. */
export function oversizedFile(file: string, size: number, maxSize: number): Problem {
  return { file, message: `Not read: ${size} bytes is over the ${maxSize}-byte limit (maxFileSize).`, severity: 'warning', range: ZERO, unaudited: 'file' };
}

/** A file that could not be read; `code` is the system's error code (ENOENT, EACCES, NoPermissions…). */
export function unreadableFile(file: string, code: string | undefined, detail?: string): Problem {
  return { file, message: readFailure(code, detail), severity: 'warning', range: ZERO, unaudited: 'file' };
}

/** A folder whose entries could not be listed: nothing in it was audited. */
export function unreadableFolder(folder: string, code: string | undefined, detail?: string): Problem {
  return { file: folder || '.', message: `Cannot read folder: ${code ?? detail ?? 'unknown error'}`, severity: 'warning', range: ZERO, unaudited: 'file' };
}

/** Why a file could not be read, for a problem message (no file contents, no absolute paths). */
function readFailure(code: string | undefined, detail: string | undefined): string {
  if (code === 'ENOENT' || code === 'FileNotFound') return `Cannot read file: it vanished during the scan (${code}).`;
  if (code === 'EACCES' || code === 'EPERM' || code === 'NoPermissions') return `Cannot read file: permission denied (${code}).`;
  return `Cannot read file: ${code ?? detail ?? 'unknown error'}`;
}
