import type { CliIO } from './io';
import { fixCommand } from './fix';
import { reportCommand } from './report';

/** Further CLI commands, each in a module of its own (fix, report…). */
export interface Command {
  usage: string;
  summary: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {};
COMMANDS.report = reportCommand;
COMMANDS.fix = fixCommand;
