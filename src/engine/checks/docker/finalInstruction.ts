import { z } from 'zod';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, fromRange, stageChain } from './util';

const Params = z.strictObject({
  /** The instruction the final stage must have (inherited through FROM <stage> counts). */
  instruction: z.string().regex(/^[A-Za-z]+$/).default('HEALTHCHECK'),
  /** Arguments (case-insensitive regular expression) that switch the instruction off, e.g. `HEALTHCHECK NONE`. */
  disabledBy: userPatternSchema('i').optional(),
  /** Hint shown when the instruction is missing. */
  example: z.string().default(''),
});

/** The final stage has a given instruction (HEALTHCHECK), and its last occurrence does not switch it off. */
export const finalInstruction = fileCheck({
  id: 'docker.final-stage-instruction',
  description: 'The final stage (or an earlier stage it builds on) has the given instruction, and the last one is not a disabling form such as HEALTHCHECK NONE.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params) {
    const ctx = dockerContext(file);
    const final = ctx?.model.final;
    if (!ctx || !final) return undefined;
    const keyword = params.instruction.toUpperCase();
    const disabled = userRegExp(params.disabledBy, 'i');
    for (const stage of stageChain(ctx.model, final)) {
      const last = stage.instructions.filter((i) => i.keyword === keyword).at(-1);
      if (!last) continue;
      if (disabled?.test(last.args.trim())) {
        return passOrFail([dockerFinding(ctx, last.range, `${keyword} ${last.args.trim()} switches the ${keyword.toLowerCase()} off in the final image; define a real one.`, final)]);
      }
      return passOrFail([]);
    }
    const hint = params.example ? `, e.g. ${params.example}` : '';
    return passOrFail([dockerFinding(ctx, fromRange(final), `The final stage has no ${keyword}; add one${hint}.`, final)]);
  },
});
