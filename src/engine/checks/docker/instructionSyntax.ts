// Instructions Docker refuses before it builds anything: an unknown keyword, or a known one without the arguments it needs.
import type { RawFinding } from '../../model';
import { DOCKERFILE_INSTRUCTIONS, dockerArgValues, dockerJson, hasPlaceholder, type DockerInstruction, type DockerStage } from '../../parse/dockerfile';
import { dockerFinding, type DockerContext } from './util';

const KNOWN: ReadonlySet<string> = new Set(DOCKERFILE_INSTRUCTIONS);

/** The fewest arguments an instruction takes (flags aside): one, but for these. */
const MIN_ARGS: Readonly<Record<string, number>> = { ADD: 2, COPY: 2, CMD: 0, ENTRYPOINT: 0 };

/** What a COPY or ADD needs, said the way a user reads it. */
const NEEDS: Readonly<Record<string, string>> = {
  ADD: 'a source and a destination',
  COPY: 'a source and a destination',
};

/**
 * Findings for the instructions of a stage (or of the preamble) that Docker refuses: a keyword it does not know
 * (a typo, or a line that lost the `\` continuing the one before it) and a known keyword without its arguments.
 */
export function instructionSyntax(ctx: DockerContext, instructions: readonly DockerInstruction[], stage: DockerStage | undefined): RawFinding[] {
  const out: RawFinding[] = [];
  for (const ins of instructions) {
    if (!KNOWN.has(ins.keyword)) {
      // a template's placeholder line (`{{ … }}`, `%%…%%`) is filled in before Docker reads it
      // (and statements such as Jinja's `{% if … %}` or ERB's `<% … %>`: in a template, any line not starting with a letter)
      if (ctx.model.templated && (hasPlaceholder(`${ins.keyword} ${ins.args}`) || !/^[A-Z]/.test(ins.keyword))) continue;
      out.push(dockerFinding(ctx, ins.keywordRange, unknownMessage(ins.keyword, ins.keywordRange.start.line), stage));
      continue;
    }
    const min = MIN_ARGS[ins.keyword] ?? 1;
    if (min === 0 || argumentCount(ctx, ins) >= min) continue;
    const needs = NEEDS[ins.keyword] ?? (min === 1 ? 'an argument' : `${min} arguments`);
    out.push(dockerFinding(ctx, ins.range, `${ins.keyword} needs ${needs}; Docker rejects the file.`, stage));
  }
  return out;
}

/** Arguments after the flags: a JSON array's strings, else the words; a heredoc (`COPY <<EOF /app/x`) is a source. */
function argumentCount(ctx: DockerContext, ins: DockerInstruction): number {
  if (ins.args.trim() === '') return 0;
  if (ins.keyword !== 'ADD' && ins.keyword !== 'COPY') return 1;
  const json = dockerJson(ins, ctx.index);
  return json ? json.length : dockerArgValues(ins).length;
}

/** The shell operator a line starts with when it lost the `\` that continued the line before it (`&& apt-get …`). */
export function continuationOperator(keyword: string): string | undefined {
  return /^(&&|\|\||;|\||\\)/.exec(keyword)?.[1];
}

/** An unknown keyword as far as it reads like one (at most 32 characters): a pasted `TOKEN=…` line gives its key only. */
function keywordPart(keyword: string): string | undefined {
  return /^[A-Z0-9_.-]{1,32}/.exec(keyword)?.[0];
}

/** The instruction an unknown keyword nearly spells (RUNN: RUN), when one is near enough. */
export function nearKeyword(keyword: string): string | undefined {
  const word = keywordPart(keyword);
  if (!word || word.length !== keyword.length || KNOWN.has(word)) return undefined;
  return DOCKERFILE_INSTRUCTIONS.find((k) => distance(k, word) <= (k.length > 4 ? 2 : 1));
}

/** `line`: the instruction's (0-based), so the message names the line before it (1-based, as editors number them). */
function unknownMessage(keyword: string, line: number): string {
  const operator = continuationOperator(keyword);
  if (operator) return `A line starting with ${operator} is read as an instruction of its own: the line before it (line ${line}) lacks the trailing \\ that would continue it. Docker rejects the file.`;
  // a pasted `TOKEN=…` line names the key, never its value
  const word = keywordPart(keyword);
  const near = nearKeyword(keyword);
  return `${word && word.length === keyword.length ? word : word ? `A line starting with ${word}` : 'This line'} is not a Dockerfile instruction${near ? ` (did you mean ${near}?)` : ''}; Docker rejects the file.`;
}

/** Edit distance of two short words (keywords are at most 11 letters). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}
