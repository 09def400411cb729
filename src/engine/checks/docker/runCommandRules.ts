// The rules of a run-command item, given as data: their schema, the rules by program, and what a matched command
// does wrong under one.
import { z } from 'zod';
import type { ShellCommand, Word } from './shell';
import { argumentsAfter, argumentsText, subcommand, type CommandProgram } from './shellProgram';
import { substitute, type RunIndex } from './util';
import { optionAt, optionLevel, optionValue } from './runOptions';

const Command = z.strictObject({
  programs: z.array(z.string().min(1)).optional().describe('Program names (`apt-get`, `pip3`); wrappers such as sudo and env are skipped. Absent: every command.'),
  subcommands: z.array(z.string()).optional().describe('The command applies only with one of these sub-commands (`install`, `add`, or two words such as `module install`); "" stands for none (`yarn`).'),
  when: z.array(z.string().min(1)).optional().describe('The command applies only when one of these options is given (`-u`).'),
  whenValueAbove: z.number().optional().describe('With `when`: only when that option\'s numeric value is above this.'),
  forbid: z.array(z.string().min(1)).optional().describe('Options that must not appear (`--insecure`, `-k`; short options also count inside bundles such as `-fsSLk`).'),
  pattern: z.string().optional().describe('A regular expression (case-insensitive) on the arguments after the program, joined by spaces; a match is a finding.'),
  require: z.array(z.string().min(1)).optional().describe('One of these options must appear (`-y`, `--no-cache`).'),
  requireLevel: z
    .strictObject({ options: z.array(z.string().min(1)).min(1), atLeast: z.number().int().min(1) })
    .optional()
    .describe('With `require`: an option whose repeats add up (`-q -q`, `-qq`, `--quiet=2` for a quiet level of 2) satisfies it too once it reaches `atLeast`.'),
  pinned: z.string().optional().describe('A regular expression every package operand must match (`=`, `==`, `@`).'),
  pinnedBy: z.array(z.string().min(1)).optional().describe('Options that pin every operand at once (`gem install -v 1.2`).'),
  notPackages: z.string().optional().describe('Operands that are not packages from a registry (paths, URLs, archives); never judged by `pinned`.'),
  operandsEnd: z.enum(['first', '--']).optional().describe('Where package operands end: after the first one (`go run pkg@v1 args…`), or at a bare `--` that hands the rest to the build (`gem install x -- --with-opt`).'),
  valueOptions: z.array(z.string().min(1)).optional().describe('Options that take the next word as their value (`-r requirements.txt`), so it is not read as an operand.'),
  unlessRun: z.string().optional().describe('A regular expression on a later command of the same RUN (`^yum clean all`) that makes the command pass (a cleanup before the command cleans nothing it writes).'),
  unlessEnv: z.array(z.string().min(1)).optional().describe('Variables that make the command pass when set by ENV or ARG in the image, on the command, or by an earlier `export` in the same RUN (`PIP_NO_CACHE_DIR`).'),
  unlessCacheMount: z.array(z.string().min(1)).optional().describe('Folders a `--mount=type=cache` or `type=tmpfs` of the RUN may cover (`/var/cache/apk`) so that the command passes; a folder without a leading / is under any home (`.cache/pip`). A mount on a parent folder covers it too.'),
  message: z.string().min(1).describe('The finding message; `{command}` is replaced by the program and sub-command as written.'),
  fix: z.string().optional().describe('An option the fix inserts after the sub-command (only for `require`).'),
});

const Env = z.strictObject({
  names: z.array(z.string().min(1)).min(1).describe('Variable names.'),
  value: z.string().optional().describe('A regular expression (case-insensitive) the value must match to be a finding; absent: any non-empty value.'),
  message: z.string().min(1),
});

export const Params = z.strictObject({
  commands: z.array(Command).default([]).describe('Shell commands of RUN instructions to judge.'),
  env: z.array(Env).default([]).describe('Variables set by ENV or ARG, on a command (`X=0 npm ci`) or by `export` in RUN.'),
  shippedOnly: z.boolean().default(false).describe('Only stages the final image is built from count (the rest is thrown away).'),
  onlyWhenUsed: z.boolean().default(false).describe('Not applicable to a Dockerfile that runs none of the commands (rather than a pass).'),
});
export type Params = z.infer<typeof Params>;
export type CommandRule = z.infer<typeof Command>;

export const NO_ENV: Params['env'] = [];

/** Compiled regular expressions of a params object, built once per params. */
const COMPILED = new WeakMap<object, Map<string, RegExp>>();
export function re(params: object, source: string): RegExp {
  let m = COMPILED.get(params);
  if (!m) COMPILED.set(params, (m = new Map()));
  let r = m.get(source);
  if (!r) m.set(source, (r = new RegExp(source, 'i')));
  return r;
}

/** Package operands: words after the sub-command that are not options or option values, up to where the rule says they end. */
function packageOperands(args: readonly Word[], valueOptions: readonly string[] | undefined, end: CommandRule['operandsEnd']): Word[] {
  const out: Word[] = [];
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (end === '--' && v === '--') break;
    if (end === 'first' && out.length === 1) break;
    if (v.startsWith('-')) {
      if (valueOptions?.includes(v)) k++;
      continue;
    }
    out.push(args[k]);
  }
  return out;
}

interface Match {
  cmd: ShellCommand;
  at: number;
  sub: Word | undefined;
  args: Word[];
}

/**
 * The command rules of a params object by program name, in their order (rules without `programs` in every
 * list), built once per params: a command is judged only by the rules that name its program.
 */
export class RulesByProgram {
  private readonly byName = new Map<string, readonly CommandRule[]>();
  /** The rules of the env list by variable name, in their order. */
  readonly envByName = new Map<string, Params['env']>();
  /** Every program the rules name; undefined when a rule applies to any program. */
  readonly programs: ReadonlySet<string> | undefined;
  constructor(private readonly rules: readonly CommandRule[], env: Params['env']) {
    for (const e of env) for (const n of e.names) this.envByName.set(n, [...(this.envByName.get(n) ?? []), e]);
    this.programs = rules.every((r) => r.programs) ? new Set(rules.flatMap((r) => r.programs!)) : undefined;
  }
  /** Whether a file runs a program the rules name (a file runs a few programs; the rules may name dozens). */
  named(runs: RunIndex): boolean {
    if (!this.programs) return true;
    for (const name of runs.programs) if (this.programs.has(name)) return true;
    return false;
  }
  for(name: string): readonly CommandRule[] {
    let list = this.byName.get(name);
    if (!list) {
      if (this.byName.size > 1000) this.byName.clear(); // names come from the files: keep the table bounded
      this.byName.set(name, (list = this.rules.filter((r) => !r.programs || r.programs.includes(name))));
    }
    return list;
  }
}

const RULES = new WeakMap<object, RulesByProgram>();
export function rulesOf(params: Params): RulesByProgram {
  let r = RULES.get(params);
  if (!r) RULES.set(params, (r = new RulesByProgram(params.commands, params.env)));
  return r;
}

/** The commands a rule applies to: the program (already matched by {@link RulesByProgram}), the sub-command and the `when` option. */
export function matchCommand(rule: CommandRule, cmd: ShellCommand, p: CommandProgram): Match | undefined {
  // without sub-commands every word after the program is an argument (`useradd -u 1000 app`)
  const sub = rule.subcommands ? subcommand(cmd, p.at) : undefined;
  let name = sub?.name;
  let args = sub ? sub.args : argumentsAfter(cmd, p.at);
  if (rule.subcommands && !rule.subcommands.includes(name?.value ?? '')) {
    // a sub-command of two words (`dnf module install`): the second is the first operand after the first
    const first = name?.value;
    if (first === undefined || !rule.subcommands.some((s) => s.length > first.length && s.startsWith(first) && s.charCodeAt(first.length) === 32)) return undefined;
    const k = args.findIndex((w) => !w.value.startsWith('-'));
    if (k === -1 || !rule.subcommands.includes(`${first} ${args[k].value}`)) return undefined;
    name = { value: `${first} ${args[k].value}`, start: name!.start, end: args[k].end };
    args = args.filter((_, j) => j !== k);
  }
  if (rule.when) {
    if (!optionAt(args, rule.when)) return undefined;
    if (rule.whenValueAbove !== undefined) {
      const v = Number(optionValue(args, rule.when));
      if (!Number.isFinite(v) || v <= rule.whenValueAbove) return undefined;
    }
  }
  return { cmd, at: p.at, sub: name, args };
}

export function joined(words: readonly Word[], from: number): string {
  let s = '';
  for (let k = from; k < words.length; k++) s += (k > from ? ' ' : '') + words[k].value;
  return s;
}

/** What is wrong with a matched command under a rule: the word to point at, or undefined when nothing is. */
export function violation(rule: CommandRule, m: Match, params: object, emptyHere?: () => ReadonlySet<string>): { at: Word; end: Word; empty?: string[] } | undefined {
  const head = m.cmd.words[m.at];
  const last = m.sub ?? head;
  if (rule.forbid) {
    const w = optionAt(m.args, rule.forbid);
    if (w) return { at: w, end: w };
  }
  if (rule.pattern && re(params, rule.pattern).test(argumentsText(m.cmd, m.at))) return { at: head, end: m.cmd.words[m.cmd.words.length - 1] };
  if (rule.require && !optionAt(m.args, rule.require) && !(rule.requireLevel && optionLevel(m.args, rule.requireLevel.options) >= rule.requireLevel.atLeast)) return { at: head, end: last };
  if (rule.pinned) {
    if (rule.pinnedBy && optionAt(m.args, rule.pinnedBy)) return undefined;
    const pin = re(params, rule.pinned);
    const skip = rule.notPackages ? re(params, rule.notPackages) : undefined;
    for (const w of packageOperands(m.args, rule.valueOptions, rule.operandsEnd)) {
      let v = w.value;
      let empty: string[] | undefined;
      if (v.includes('$')) {
        // a variable is judged only when it is certainly empty here (set only in another stage): as nothing
        const e = emptyHere?.();
        if (!e || e.size === 0) continue;
        const r = substitute(v, Object.fromEntries([...e].map((n) => [n, ''])));
        if (r.value === v || r.value.includes('$') || r.value === '') continue;
        empty = [...e].filter((n) => v.includes(`$${n}`) || v.includes(`\${${n}`));
        v = r.value;
      }
      if (skip?.test(v) || pin.test(v)) continue;
      return empty ? { at: w, end: w, empty } : { at: w, end: w };
    }
    return undefined;
  }
  if (!rule.forbid && !rule.pattern && !rule.require) return { at: head, end: last }; // the command itself is not wanted
  return undefined;
}

/** Is a variable the rule names (the caller matched the name) set to a value the rule reports? */
export function envViolation(env: Params['env'][number], value: string | undefined, params: object): boolean {
  const v = (value ?? '').replace(/^(["'])(.*)\1$/, '$2');
  return env.value === undefined ? v !== '' : re(params, env.value).test(v);
}

/** Per rule, its messages by command and package as last worded (bounded): files word the same few again and again. */
const MESSAGES = new WeakMap<CommandRule, Map<string, Map<string, string>>>();

/**
 * A rule's message for a command (`apt-get install`) and the word it points at (`{package}`): the same string
 * for the same words, so that the engine's stamping finds it among the item's recent messages at once.
 */
export function messageOf(rule: CommandRule, program: string, sub: string | undefined, word: string): string {
  let byCommand = MESSAGES.get(rule);
  if (!byCommand) MESSAGES.set(rule, (byCommand = new Map()));
  const command = sub === undefined ? program : `${program} ${sub}`;
  let byWord = byCommand.get(command);
  if (!byWord) {
    if (byCommand.size >= 64) byCommand.clear();
    byCommand.set(command, (byWord = new Map()));
  }
  // a message without `{package}` is the same for every word
  const key = rule.message.includes('{package}') ? word : '';
  let message = byWord.get(key);
  if (message === undefined) {
    if (byWord.size >= 64) byWord.clear();
    byWord.set(key, (message = rule.message.replace('{command}', command).replace(/\{package\}/g, word)));
  }
  return message;
}

/** The first env rule (in list order) that names the variable and whose value it violates. */
export function envRule(rules: RulesByProgram, name: string, value: string | undefined, params: object): Params['env'][number] | undefined {
  const candidates = rules.envByName.get(name);
  return candidates?.find((e) => envViolation(e, value, params));
}
