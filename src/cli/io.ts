import type { Problem } from '../engine/model';
import { printable } from '../engine/report/text';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

/**
 * Config and checklist errors go to stderr, located, even when the report goes to a file; the audit still
 * runs with everything that is valid (the errors are in the report's problems too), and the exit code is 2.
 */
export function reportSetupErrors(setup: { fatal: boolean; problems: readonly Problem[] }, io: Pick<CliIO, 'stderr'>): void {
  if (!setup.fatal) return;
  writeSetupErrors(setup.problems, io);
  io.stderr.write('shipshape: configuration or checklist errors above (exit code 2); everything else was audited.\n');
}

/** Each error among setup problems on stderr as `file:line:col: message`, printable on a terminal. */
export function writeSetupErrors(problems: readonly Problem[], io: Pick<CliIO, 'stderr'>): void {
  for (const p of problems.filter((p) => p.severity === 'error')) io.stderr.write(`${problemLine(p.file, p)}\n`);
}

/** `file:line:col: [severity: ]message` with 1-based positions, printable on a terminal. */
export function problemLine(file: string, p: Pick<Problem, 'range' | 'message' | 'severity'>, withSeverity = false): string {
  const pos = p.range ? `:${p.range.start.line + 1}:${p.range.start.character + 1}` : '';
  return `${printable(file)}${pos}: ${withSeverity ? `${p.severity ?? 'error'}: ` : ''}${printable(p.message)}`;
}
