import { z } from 'zod';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import { AppliesToSchema, type AppliesTo } from '../../checklist/appliesTo';
import type { DockerStage } from '../../parse/dockerfile';
import { dockerfileFacts, type ServiceFacts } from '../../services';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, fromRange, lastOf, stageChain } from './util';

const Params = z.strictObject({
  /** The instruction the final stage must have (inherited through FROM <stage> counts). */
  instruction: z.string().regex(/^[A-Za-z]+$/).default('HEALTHCHECK'),
  /** Arguments (case-insensitive regular expression) that switch the instruction off, e.g. `HEALTHCHECK NONE`. */
  disabledBy: userPatternSchema('i').optional(),
  /** Hint shown when the instruction is missing; `{port}` stands for the port the final stage exposes. */
  example: z.string().default(''),
  examples: z
    .array(z.strictObject({ when: AppliesToSchema, text: z.string().min(1) }))
    .default([])
    .describe('Hints for some services, the first whose `when` matches the Dockerfile (its runtime, its final base image family) in place of `example`.'),
});

/** The final stage has a given instruction (HEALTHCHECK), and its last occurrence does not switch it off. */
export const finalInstruction = fileCheck({
  id: 'docker.final-stage-instruction',
  description: 'The final stage (or an earlier stage it builds on) has the given instruction, and the last one is not a disabling form such as HEALTHCHECK NONE.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    const final = ctx?.model.final;
    if (!ctx || !final) return undefined;
    const keyword = params.instruction.toUpperCase();
    const disabled = userRegExp(params.disabledBy, 'i');
    for (const stage of stageChain(ctx.model, final)) {
      const last = lastOf(stage, keyword);
      if (!last) continue;
      if (disabled?.test(last.args.trim())) {
        return passOrFail([dockerFinding(ctx, last.range, `${keyword} ${last.args.trim()} switches the ${keyword.toLowerCase()} off in the final image; define a real one.`, final)]);
      }
      return passOrFail([]);
    }
    const facts = dockerfileFacts(ctx.model);
    const example = params.examples.find((e) => told(facts, e.when))?.text ?? params.example;
    const hint = example ? `, e.g. ${example.includes('{port}') ? example.replace(/\{port\}/g, String(exposedPort(final) ?? '<port>')) : example}` : '';
    return passOrFail([dockerFinding(ctx, fromRange(final), `The final stage has no ${keyword}; add one${hint}.`, final)]);
  },
});

/** Whether the facts are known to match (unlike `matches`, what cannot be told does not pick an example). */
function told(facts: ServiceFacts, when: AppliesTo): boolean {
  // the first runtime alone: the one the service is told to run
  if (when.runtime && (facts.runtimes.length === 0 || !when.runtime.includes(facts.runtimes[0]))) return false;
  if (when.base && (facts.base === undefined || !when.base.includes(facts.base))) return false;
  return true;
}

/** The first TCP port the stage EXPOSEs as a number. */
function exposedPort(stage: DockerStage): number | undefined {
  for (const i of stage.instructions) {
    if (i.keyword !== 'EXPOSE') continue;
    for (const a of i.args.split(/\s+/)) if (/^\d+(\/tcp)?$/i.test(a)) return Number.parseInt(a, 10);
  }
  return undefined;
}
