import { z } from 'zod';
import type { RawFinding } from '../../model';
import { hasPlaceholder, type DockerInstruction, type DockerStage } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { instructionSyntax } from './instructionSyntax';
import { dockerContext, dockerFinding, perStage, properties, stageVariables, type DockerContext } from './util';

/** At most `max` of each listed instruction per stage: Docker silently keeps only the last CMD, ENTRYPOINT or HEALTHCHECK. */
export const instructionCount = fileCheck({
  id: 'docker.instruction-count',
  description: 'Each stage has at most one of each listed instruction (CMD, ENTRYPOINT, HEALTHCHECK): only the last takes effect, so an earlier one is dead code that reads as if it mattered.',
  params: z.strictObject({
    instructions: z.array(z.string().min(1)).default(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']).describe('Instruction keywords (upper case).'),
  }),
  kinds: ['dockerfile'],
  run(file, params, values) {
    return perStage(file, values, (_ctx, stage, report) => {
      for (const keyword of params.instructions) {
        // counted before any list is made: most stages have at most one of each
        let count = 0;
        for (const i of stage.instructions) if (i.keyword === keyword) count++;
        if (count < 2) continue;
        const list = stage.instructions.filter((i) => i.keyword === keyword);
        const last = list.at(-1);
        for (const ins of list.slice(0, -1)) report(ins.keywordRange, `This ${keyword} has no effect: the ${keyword} on line ${last!.range.start.line + 1} of the same stage replaces it.`);
      }
    });
  },
});

/** Ports written in EXPOSE (`80`, `80/tcp`, `8000-8010/udp`) with their offsets; variables are skipped. */
function exposedPorts(_ctx: DockerContext, ins: DockerInstruction): { low: number; high: number; text: string }[] {
  const out: { low: number; high: number; text: string }[] = [];
  for (const word of ins.args.split(/\s+/)) {
    if (!word || word.includes('$') || hasPlaceholder(word)) continue;
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(word);
    if (!m) {
      out.push({ low: NaN, high: NaN, text: word });
      continue;
    }
    const low = Number(m[1]);
    out.push({ low, high: m[2] ? Number(m[2]) : low, text: word });
  }
  return out;
}

/** EXPOSE names valid ports (0–65535, optional /tcp|/udp|/sctp) and none of the forbidden ones. */
export const exposePorts = fileCheck({
  id: 'docker.expose',
  description: 'EXPOSE names valid ports (0–65535, optionally /tcp, /udp or /sctp) and, when given, none of the forbidden ports (22 for SSH).',
  params: z.strictObject({
    valid: z.boolean().default(false).describe('Ports are numbers or ranges within 0–65535.'),
    forbidden: z.array(z.number().int()).default([]).describe('Ports that must not be exposed.'),
    reason: z.string().default('').describe('Why a forbidden port is not wanted, for the message.'),
  }),
  kinds: ['dockerfile'],
  run(file, params, values) {
    return perStage(file, values, (ctx, stage, report) => {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'EXPOSE') continue;
        for (const p of ctx.memo('exposedPorts', ins, exposedPorts)) {
          if (params.valid && (Number.isNaN(p.low) || p.high > 65535 || p.low > p.high)) {
            report(ins.argsRange ?? ins.range, `EXPOSE ${p.text} is not a valid port: ports are numbers from 0 to 65535, optionally with /tcp, /udp or /sctp.`);
          }
          const hit = params.forbidden.find((f) => f >= p.low && f <= p.high);
          if (hit !== undefined) report(ins.argsRange ?? ins.range, `EXPOSE ${p.text} exposes port ${hit}${params.reason ? `: ${params.reason}` : ''}.`);
        }
      }
    });
  },
});

/** Instructions ONBUILD may not trigger. */
const NOT_ONBUILD = /^\s*(ONBUILD|FROM|MAINTAINER)\b/i;

/** Structural mistakes Docker either rejects or reads differently than written; each aspect is a param. */
export const dockerfileStructure = fileCheck({
  id: 'docker.structure',
  description: 'Structure Docker accepts as written: the file starts with FROM (ARGs and comments may come first), ONBUILD triggers no ONBUILD, FROM or MAINTAINER, no ENV refers to a variable it defines itself, and every instruction is a known one with its arguments; each aspect is a param.',
  params: z.strictObject({
    startsWithFrom: z.boolean().default(false).describe('Only ARG instructions come before the first FROM.'),
    onbuild: z.boolean().default(false).describe('ONBUILD does not trigger ONBUILD, FROM or MAINTAINER.'),
    envSelfReference: z.boolean().default(false).describe('An ENV does not use a variable that the same ENV defines (it still sees the earlier value).'),
    instructions: z.boolean().default(false).describe('Every instruction is one Docker knows, with the arguments it needs (COPY a source and a destination, USER a user…).'),
  }),
  kinds: ['dockerfile'],
  // FROM and ENV are what most rules read; ONBUILD only this one
  reads: (p) => (p.onbuild ? ['ONBUILD'] : []),
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const findings: RawFinding[] = [];
    if (params.instructions) {
      findings.push(...instructionSyntax(ctx, ctx.model.preamble, undefined));
      for (const stage of ctx.model.stages) findings.push(...instructionSyntax(ctx, stage.instructions, stage));
    }
    if (params.startsWithFrom) {
      for (const ins of ctx.model.preamble) {
        if (ins.keyword !== 'ARG') findings.push(dockerFinding(ctx, ins.keywordRange, `${ins.keyword} comes before the first FROM; only ARG may precede FROM, so Docker rejects the file.`));
      }
    }
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if (params.onbuild && ins.keyword === 'ONBUILD' && NOT_ONBUILD.test(ins.args)) {
          findings.push(dockerFinding(ctx, ins.argsRange ?? ins.range, `ONBUILD ${ins.args.trim().split(/\s+/)[0].toUpperCase()} is not allowed: ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER.`, stage));
        }
        if (params.envSelfReference && ins.keyword === 'ENV' && ins.args.includes('$')) {
          findings.push(...envSelfReferences(ctx, stage, ins));
        }
      }
    }
    return passOrFail(findings);
  },
});

/** Pairs of an ENV whose value uses a variable an earlier pair of the same ENV defines (and that was not set before it). */
function envSelfReferences(ctx: DockerContext, stage: DockerStage, ins: DockerInstruction): RawFinding[] {
  const props = properties(ins);
  if (props.length < 2) return [];
  const before = stageVariables(ctx.model, stage, ins);
  const out: RawFinding[] = [];
  const defined = new Set<string>();
  for (const p of props) {
    const value = p.getValue() ?? '';
    let used: string | undefined;
    if (value.includes('$') && defined.size > 0) {
      for (const m of value.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (defined.has(m[1]) && !Object.prototype.hasOwnProperty.call(before, m[1])) {
          used = m[1];
          break;
        }
      }
    }
    if (used) out.push(dockerFinding(ctx, p.getValueRange() ?? p.getRange(), `${p.getName()} uses ${used}, which this same ENV defines: Docker substitutes the value from before this ENV, where ${used} is unset. Split it into two ENV instructions.`, stage));
    defined.add(p.getName());
  }
  return out;
}
