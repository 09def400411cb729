import { z } from 'zod';
import type { RawFinding } from '../../model';
import { dockerJoinedArgs } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, paramSet } from './util';

/** A JSON array of strings without escapes or control characters: the usual exec form, told without parsing. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON forbids unescaped in a string
const SIMPLE_EXEC_RE = /^\[[ \t\n\r]*(?:"[^"\\\x00-\x1f]*"[ \t\n\r]*(?:,[ \t\n\r]*"[^"\\\x00-\x1f]*"[ \t\n\r]*)*)?\]$/;

/** Is the instruction written in JSON (exec) form: `["node", "main.js"]`? */
export function isExecForm(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('[')) return false;
  if (SIMPLE_EXEC_RE.test(t)) return true; // what JSON.parse would accept as an array of strings
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  } catch {
    return false;
  }
}

/** The command's own words as a JSON array, when it is plain words (no shell operators, variables or quotes to interpret). */
function execExample(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  // (no quote, backslash or control character: each word is its own JSON string)
  // eslint-disable-next-line no-control-regex -- control characters would need escapes in JSON
  if (words.length === 0 || words.length > 8 || words.some((w) => /[|&;<>()$`"'\\*?\x00-\x1f]/.test(w))) return undefined;
  return `["${words.join('", "')}"]`;
}

const CONTINUATIONS = new Map<string, RegExp>();

/** The escape character before a line break, as a global pattern made once per escape character. */
function continuationPattern(escapeChar: string): RegExp {
  let re = CONTINUATIONS.get(escapeChar);
  if (!re) CONTINUATIONS.set(escapeChar, (re = new RegExp(`\\${escapeChar}\\r?\\n`, 'g')));
  return re;
}

/** CMD and ENTRYPOINT use the JSON (exec) form so the process is PID 1 and receives SIGTERM (hadolint DL3025). */
export const execForm = fileCheck({
  id: 'docker.exec-form',
  description: 'The listed instructions (default CMD and ENTRYPOINT) use the JSON exec form, so the app runs as PID 1 and receives SIGTERM on shutdown (hadolint DL3025).',
  params: z.strictObject({ instructions: z.array(z.string().regex(/^[A-Za-z]+$/)).default(['CMD', 'ENTRYPOINT']) }),
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx) return undefined;
    const wanted = paramSet(params.instructions, 'upper');
    const findings: RawFinding[] = [];
    let seen = false;
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if (!wanted.has(ins.keyword)) continue;
        seen = true;
        // Continuation lines joined; a JSON array may span lines.
        const joined = dockerJoinedArgs(ins);
        if (!joined.trim()) continue;
        if (isExecForm(joined) || isExecForm(ins.args.replace(continuationPattern(ctx.model.escapeChar), ''))) continue;
        const example = execExample(joined);
        findings.push(dockerFinding(ctx, ins.argsRange ?? ins.range, `${ins.keyword} uses the shell form, so /bin/sh -c is PID 1 and the app does not receive SIGTERM; write it as a JSON array${example ? `: ${ins.keyword} ${example}` : ''}.`, stage));
      }
    }
    return seen ? passOrFail(findings) : undefined;
  },
});
