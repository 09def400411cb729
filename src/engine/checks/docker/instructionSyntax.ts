// Instructions Docker refuses before it builds anything: an unknown keyword, or a known one without the arguments it needs.
import type { RawFinding } from '../../model';
import { dockerArgValues, dockerJson, hasPlaceholder, type DockerInstruction, type DockerStage } from '../../parse/dockerfile';
import { dockerFinding, type DockerContext } from './util';

/** The instructions of the Dockerfile reference, with the fewest arguments each takes (flags aside). */
const MIN_ARGS: Readonly<Record<string, number>> = {
  ADD: 2,
  ARG: 1,
  CMD: 0,
  COPY: 2,
  ENTRYPOINT: 0,
  ENV: 1,
  EXPOSE: 1,
  FROM: 1,
  HEALTHCHECK: 1,
  LABEL: 1,
  MAINTAINER: 1,
  ONBUILD: 1,
  RUN: 1,
  SHELL: 1,
  STOPSIGNAL: 1,
  USER: 1,
  VOLUME: 1,
  WORKDIR: 1,
};

const KEYWORDS = Object.keys(MIN_ARGS);

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
    const min = MIN_ARGS[ins.keyword];
    if (min === undefined) {
      // a template's placeholder line (`{{ … }}`, `%%…%%`) is filled in before Docker reads it
      // (and statements such as Jinja's `{% if … %}` or ERB's `<% … %>`: in a template, any line not starting with a letter)
      if (ctx.model.templated && (hasPlaceholder(`${ins.keyword} ${ins.args}`) || !/^[A-Z]/.test(ins.keyword))) continue;
      out.push(dockerFinding(ctx, ins.keywordRange, unknownMessage(ins.keyword, ins.keywordRange.start.line), stage));
      continue;
    }
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

/** The instruction an unknown keyword nearly spells (RUNN: RUN), when one is near enough. */
export function nearKeyword(keyword: string): string | undefined {
  const word = /^[A-Z0-9_.-]{1,32}/.exec(keyword)?.[0];
  if (!word || word.length !== keyword.length || MIN_ARGS[word] !== undefined) return undefined;
  return KEYWORDS.find((k) => distance(k, word) <= (k.length > 4 ? 2 : 1));
}

/** `line`: the instruction's (0-based), so the message names the line before it (1-based, as editors number them). */
function unknownMessage(keyword: string, line: number): string {
  const operator = continuationOperator(keyword);
  if (operator) return `A line starting with ${operator} is read as an instruction of its own: the line before it (line ${line}) lacks the trailing \\ that would continue it. Docker rejects the file.`;
  // the word as far as it reads like a keyword: a pasted `TOKEN=…` line names the key, never its value
  const word = /^[A-Z0-9_.-]{1,32}/.exec(keyword)?.[0];
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
