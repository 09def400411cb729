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
  for (const p of setup.problems.filter((p) => p.severity === 'error')) {
    const pos = p.range ? `:${p.range.start.line + 1}:${p.range.start.character + 1}` : '';
    io.stderr.write(`${printable(p.file)}${pos}: ${printable(p.message)}\n`);
  }
  io.stderr.write('shipshape: configuration or checklist errors above (exit code 2); everything else was audited.\n');
}
