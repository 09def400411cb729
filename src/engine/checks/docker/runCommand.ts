import type { RawFinding } from '../../model';
import type { DockerInstruction, DockerStage } from '../../parse/dockerfile';
import { fileCheck, passOrFail, type CheckOutput } from '../template';
import type { ShellCommand } from './shell';
import { program, type CommandProgram } from './shellProgram';
import { dockerContext, dockerFinding, flags, properties, stageChain, type DockerContext } from './util';
import { setOnlyElsewhere } from './variablesElsewhere';
import { envRule, envViolation, joined, matchCommand, messageOf, NO_ENV, Params, re, rulesOf, violation, type CommandRule, type RulesByProgram } from './runCommandRules';

/** Names of variables set by ENV or ARG (with a value) in the stages the given stage builds on, up to `before`. */
function setVariables(ctx: DockerContext, stage: DockerStage, before: DockerInstruction): Set<string> {
  return ctx.memo('runCommandVars', before, () => {
    const names = new Set<string>();
    const chain = stageChain(ctx.model, stage);
    for (let c = chain.length - 1; c >= 0; c--) {
      for (const ins of chain[c].instructions) {
        if (ins === before) return names;
        if (ins.keyword === 'ENV' || ins.keyword === 'ARG') for (const p of properties(ins)) if ((p.getValue() ?? '') !== '') names.add(p.getName());
      }
    }
    return names;
  });
}

/**
 * Shell commands in RUN (and variables in ENV, ARG or on commands) judged by data: forbidden options, required
 * options, pinned operands, forbidden programs. One template serves TLS, signature, pinning, non-interactive,
 * cache and forbidden-command rules; each rule lists its package managers and options.
 */
export const runCommand = fileCheck({
  id: 'docker.run-command',
  description: 'Shell commands of RUN are judged by rules given as data: options that must not or must appear, operands that must be pinned, commands not wanted at all; and variables set to a value that turns a safety off.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const rules = rulesOf(params);
    const programs = rules.programs;
    if (params.env.length === 0 && programs) {
      // the shared list of the file's commands: only those that run a program the rules name
      const runs = ctx.runs();
      // most files run none of them: nothing matched, nothing found, nothing made
      if (!rules.named(runs)) return params.onlyWhenUsed ? undefined : passOrFail([]);
      const shipped = shippedStages(ctx, params);
      const j = new Judgement(ctx, params, rules);
      for (const r of runs.commands) {
        if (programs.has(r.program.name) && (!shipped || shipped.includes(r.stage))) j.judge(r.stage, r.ins, r.cmd, r.program);
      }
      return j.output();
    }
    const shipped = shippedStages(ctx, params);
    const j = new Judgement(ctx, params, rules);
    const findings = j.findings;
    for (const stage of ctx.model.stages) {
      if (shipped && !shipped.includes(stage)) continue;
      for (const written of stage.instructions) {
        // an ONBUILD RUN is judged as the RUN it triggers
        const ins = written.keyword === 'ONBUILD' ? (ctx.triggerOf(written) ?? written) : written;
        if ((ins.keyword === 'ENV' || ins.keyword === 'ARG') && params.env.length > 0) {
          for (const p of properties(ins)) {
            const env = envRule(rules, p.getName(), p.getValue() ?? undefined, params);
            if (env) findings.push(dockerFinding(ctx, p.getNameRange(), env.message.replace('{command}', p.getName()), stage));
          }
          continue;
        }
        if (ins.keyword !== 'RUN') continue;
        for (const cmd of ctx.commands(ins)) {
          const exported = params.env.length > 0 && (cmd.assignments.length > 0 || cmd.words[0]?.value === 'export');
          for (const rule of exported ? params.env : NO_ENV) {
            const set = cmd.words[0]?.value === 'export' ? [...cmd.assignments, ...cmd.words.slice(1)] : cmd.assignments;
            for (const a of set) {
              const eq = a.value.indexOf('=');
              if (eq > 0 && rule.names.includes(a.value.slice(0, eq)) && envViolation(rule, a.value.slice(eq + 1), params)) findings.push(dockerFinding(ctx, ctx.index.range(a.start, a.end), rule.message.replace('{command}', a.value.slice(0, eq)), stage));
            }
          }
          const p = program(cmd);
          if (p) j.judge(stage, ins, cmd, p);
        }
      }
    }
    return j.output();
  },
});

/**
 * Whether a `--mount` value is a cache or tmpfs mount whose target is one of the folders or a parent of one
 * (a mount on /var/cache covers /var/cache/apk); a folder without a leading / may sit in any home.
 */
function coversCache(mount: string, folders: readonly string[]): boolean {
  const opts = mount.split(',');
  if (!opts.some((o) => o === 'type=cache' || o === 'type=tmpfs')) return false;
  const t = opts.find((o) => /^(target|dst|destination)=/.test(o));
  if (!t) return false;
  const target = t.slice(t.indexOf('=') + 1).replace(/^["']|["']$/g, '').replace(/\/+$/, '');
  for (const folder of folders) {
    if (folder.startsWith('/')) {
      if (folder === target || folder.startsWith(`${target}/`)) return true;
      continue;
    }
    // a home-relative folder (.cache/pip): the target ends with it or with one of its leading parts
    const parts = folder.split('/');
    for (let n = parts.length; n > 0; n--) if (target.endsWith(`/${parts.slice(0, n).join('/')}`)) return true;
  }
  return false;
}

/** With `shippedOnly`, the stages the final image is built from; undefined when every stage counts. */
function shippedStages(ctx: DockerContext, params: Params): readonly DockerStage[] | undefined {
  return params.shippedOnly && ctx.model.final ? stageChain(ctx.model, ctx.model.final) : undefined;
}

/** The findings of one run-command item on one file, command by command (a class: one object rather than closures per run). */
class Judgement {
  readonly findings: RawFinding[] = [];
  /** Some command matched a rule (a program, sub-command and option it names). */
  private applicable = false;
  constructor(
    private readonly ctx: DockerContext,
    private readonly params: Params,
    private readonly rules: RulesByProgram,
  ) {}
  judge(stage: DockerStage, ins: DockerInstruction, cmd: ShellCommand, p: CommandProgram): void {
    const { ctx, params } = this;
    for (const rule of this.rules.for(p.name)) {
      const m = matchCommand(rule, cmd, p);
      if (!m) continue;
      this.applicable = true;
      const bad = violation(rule, m, params, () => setOnlyElsewhere(ctx, stage, ins, ctx.commands(ins)));
      if (!bad || excused(ctx, rule, ins, stage, cmd, ctx.commands(ins), params)) continue;
      const message = bad.empty ? emptyMessage(m.cmd.words[m.at].value, m.sub?.value, bad.at.value, bad.empty) : messageOf(rule, m.cmd.words[m.at].value, m.sub?.value, bad.at.value);
      const f = dockerFinding(ctx, ctx.index.range(bad.at.start, bad.end.end), message, stage);
      // after the last word of the command (`install` of `dnf module install`)
      if (rule.fix && rule.require) f.data = { ...f.data, insert: rule.fix, after: (m.sub ?? m.cmd.words[m.at]).value.replace(/^.* /, '') };
      this.findings.push(f);
      return; // one finding per command and rule item, whichever entry saw it first
    }
  }
  output(): CheckOutput | undefined {
    return !this.params.onlyWhenUsed || this.applicable || this.findings.length > 0 ? passOrFail(this.findings) : undefined;
  }
}

/** A pin through variables that are empty where the command runs (set only in another stage). */
function emptyMessage(program: string, sub: string | undefined, word: string, names: readonly string[]): string {
  const vars = names.map((n) => `$${n}`).join(', ');
  return `${sub === undefined ? program : `${program} ${sub}`} installs ${word}, but ${vars} ${names.length > 1 ? 'are' : 'is'} empty in this RUN: the Dockerfile sets ${names.length > 1 ? 'them' : 'it'} only in another stage, before FROM or after this RUN. Declare ${names.map((n) => `ARG ${n}`).join(', ')} (or ENV) in this stage so the version applies.`;
}

/** The exceptions of a rule: a cleanup later in the RUN, a variable set, a cache mount on the cache's folder. */
function excused(ctx: DockerContext, rule: CommandRule, ins: DockerInstruction, stage: DockerStage, cmd: ShellCommand, commands: ShellCommand[], params: object): boolean {
  if (rule.unlessCacheMount && flags(ins).some((f) => f.name === 'mount' && coversCache(f.value, rule.unlessCacheMount!))) return true;
  const at = commands.indexOf(cmd);
  if (rule.unlessRun) {
    const r = re(params, rule.unlessRun);
    // only a cleanup after the command removes what it wrote
    for (let k = at + 1; k < commands.length; k++) {
      const p = program(commands[k]);
      if (p && r.test(joined(commands[k].words, p.at))) return true;
    }
  }
  if (rule.unlessEnv) {
    const named = (a: { value: string }) => rule.unlessEnv!.includes(a.value.slice(0, a.value.indexOf('=')));
    if (cmd.assignments.some(named)) return true;
    for (let k = 0; k < at; k++) {
      const c = commands[k];
      if (c.words[0]?.value === 'export' && c.words.slice(1).some(named)) return true;
    }
    const vars = setVariables(ctx, stage, ins);
    if (rule.unlessEnv.some((n) => vars.has(n))) return true;
  }
  return false;
}
