// The program a shell command runs (wrappers such as sudo and env skipped), its sub-command, operands and options.
import { ASSIGNMENT_RE, type ShellCommand, type Word } from './shell';

/** The program a command runs: its name and the index of its word. */
export interface CommandProgram {
  name: string;
  at: number;
}

/**
 * The program name of a command (`/usr/bin/apt-get` → `apt-get`), skipping wrappers (`sudo`, `env`, `npx`…), or the
 * module python runs with -m; computed once per command.
 */
export function program(cmd: ShellCommand): CommandProgram | undefined {
  const slot = cmd as ShellCommand & { programSlot?: { name: string; at: number } | null };
  let p = slot.programSlot;
  if (p === undefined) slot.programSlot = p = findProgram(cmd) ?? null;
  return p ?? undefined;
}

function findProgram(cmd: ShellCommand): { name: string; at: number } | undefined {
  let k = 0;
  while (k < cmd.words.length) {
    const v = cmd.words[k].value;
    const name = v.slice(v.lastIndexOf('/') + 1);
    const base = name.includes('@') ? name.replace(/^(.+?)@.*$/, '$1') : name; // `npx npm@10 ci` runs npm
    if (base === 'sudo' || base === 'env' || base === 'nice' || base === 'nohup' || base === 'npx' || base === 'pnpx' || base === 'bunx') {
      k++;
      while (k < cmd.words.length && (cmd.words[k].value.startsWith('-') || ASSIGNMENT_RE.test(cmd.words[k].value))) k++;
      continue;
    }
    // `python3 -m pip install …` runs pip: the module is the program
    if (/^python[\d.]*$/.test(base) && cmd.words[k + 1]?.value === '-m' && k + 2 < cmd.words.length) return { name: cmd.words[k + 2].value, at: k + 2 };
    return { name: base, at: k };
  }
  return undefined;
}

/** Options that take a separate value (`--prefix /app`), so the value is not mistaken for a sub-command or package. */
const VALUE_OPTIONS = new Set(['--prefix', '--registry', '--loglevel', '--cache', '--userconfig', '--omit', '--only', '--include', '-C', '--dir', '--filter', '--workspace', '-w', '--cwd', '--network-timeout', '--mutex', '--modules-folder', '-o', '--option']);

/** A command's sub-command (`install` of `apt-get install`) and its other arguments; shared by the checks that ask (read-only). */
export interface Subcommand {
  name?: Word;
  args: Word[];
  /** The program's word index it was read after. */
  at: number;
}

/** The sub-command after the program at `at` and the other arguments; computed once per command (the checks ask with the program's index). */
export function subcommand(cmd: ShellCommand, at: number): Subcommand {
  const slot = cmd as ShellCommand & { subSlot?: Subcommand };
  const known = slot.subSlot;
  if (known !== undefined && known.at === at) return known;
  return (slot.subSlot = readSubcommand(cmd, at));
}

/** The words after the program at `at` (read-only, shared by the checks that ask). */
export function argumentsAfter(cmd: ShellCommand, at: number): Word[] {
  const slot = cmd as ShellCommand & { argsSlot?: { at: number; args: Word[] } };
  const known = slot.argsSlot;
  if (known !== undefined && known.at === at) return known.args;
  const args = cmd.words.slice(at + 1);
  slot.argsSlot = { at, args };
  return args;
}

/** The words after the program at `at`, joined by spaces (what pattern rules match): read once per command. */
export function argumentsText(cmd: ShellCommand, at: number): string {
  const slot = cmd as ShellCommand & { argsTextSlot?: { at: number; text: string } };
  const known = slot.argsTextSlot;
  if (known !== undefined && known.at === at) return known.text;
  const text = argumentsAfter(cmd, at)
    .map((w) => w.value)
    .join(' ');
  slot.argsTextSlot = { at, text };
  return text;
}

function readSubcommand(cmd: ShellCommand, at: number): Subcommand {
  let k = at + 1;
  while (k < cmd.words.length && cmd.words[k].value.startsWith('-')) {
    const v = cmd.words[k].value;
    k += VALUE_OPTIONS.has(v) ? 2 : 1;
  }
  // the words after the program but the sub-command, in one array (no slices to join)
  const args: Word[] = [];
  for (let j = at + 1; j < cmd.words.length; j++) if (j !== k) args.push(cmd.words[j]);
  return { name: cmd.words[k], args, at };
}

/** Operands (non-option words) among arguments, skipping option values. */
export function operands(args: Word[]): Word[] {
  const out: Word[] = [];
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v.startsWith('-')) {
      if (VALUE_OPTIONS.has(v)) k++;
      continue;
    }
    out.push(args[k]);
  }
  return out;
}

export function hasOption(args: Word[], ...names: string[]): boolean {
  // loops rather than callbacks and `${n}=` strings: this runs for every argument of every install
  for (const a of args) {
    const v = a.value;
    for (const n of names) {
      if (v === n) return true;
      // `--name=value` for a long option; a name ending in `=` is a prefix
      if (n.startsWith('--') && v.length > n.length && v.charCodeAt(n.length) === 61 && v.startsWith(n)) return true;
      if (n.endsWith('=') && v.startsWith(n)) return true;
    }
  }
  return false;
}
