import { z } from 'zod';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import type { RawFinding } from '../../model';
import { hasPlaceholder, type DockerInstruction, type DockerProperty, type DockerStage } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, properties, type DockerContext } from './util';

const Params = z.strictObject({
  /** Names that look like secrets (case-insensitive regular expression). */
  names: userPatternSchema('i').default('pass(word|wd|phrase)|secret|apikey|accesskey|privatekey|(^|[_.-])(pass|pwd|token|api[_-]?key|private[_-]?key|access[_-]?key|credentials?|auth|dsn)([_.-]|$)'),
  /** Names that match but hold no secret (paths, lengths, switches…). */
  ignoreNames: userPatternSchema('i').default('(_|^)(file|path|dir|url|uri|endpoint|host|port|length|len|min|max|ttl|expiry|expires(_in)?|header|name|field|type|enabled|required|algorithm|alg|rounds|version|mode|method|provider|user(name)?|(?<!key_)id)$'),
  /**
   * A secret-looking ARG without a literal value (a build argument) and an ENV set from a variable are reported too:
   * a build argument's value is recorded in the image history of the RUNs that use it, and an ENV in the image's configuration.
   */
  buildArgs: z.boolean().default(true),
  /** Values that are placeholders, not secrets (case-insensitive regular expression). */
  placeholders: userPatternSchema('i').default('^(<.*>|\\{\\{.*\\}\\}|%%.*%%|changeme|change[-_]me|replace[-_]?me|your[-_].*|x{3,}|\\*+|placeholder|dummy|example|none|null|undefined|false|true|0|1|-)$'),
});

const URL_CREDENTIALS_RE = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^@\s/]+)@/i;

/** Checklist patterns are user data: compiled through safeRegex; the loader reports a refused one at the param. */
function regExp(source: string): RegExp {
  return userRegExp(source, 'i') ?? /$^/;
}

function literal(value: string): boolean {
  const v = value.trim();
  if (v === '') return false;
  if (!v.includes('$')) return true; // no variable reference at all
  // Only variable references (`$TOKEN`, `${TOKEN}`, `${TOKEN:-}`): the value comes from the build, not the file.
  return v.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '').trim() !== '';
}

/** Secret-looking ENV and ARG names never get literal values in the Dockerfile (they stay in the image history). */
export const secretEnv = fileCheck({
  id: 'docker.secret-env',
  description: 'ENV and ARG instructions give secret-looking names (PASSWORD, TOKEN, API_KEY…) no literal value, and no URL value embeds a password; messages name the key, never the value.',
  params: Params,
  kinds: ['dockerfile'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || (ctx.model.stages.length === 0 && ctx.model.preamble.length === 0)) return undefined;
    const names = regExp(params.names);
    const ignore = regExp(params.ignoreNames);
    const placeholder = regExp(params.placeholders);
    const findings: RawFinding[] = [];
    const visit = (ins: DockerInstruction, stage: DockerStage | undefined) => {
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') return;
      for (const p of properties(ins)) {
        const name = p.getName();
        const value = p.getUnescapedValue() ?? p.getValue();
        if (value === null || value === undefined || !literal(value)) {
          // an ENV without a value stores nothing; an ARG without one is filled in by the build
          const stored = ins.keyword === 'ARG' || (value ?? '').trim() !== '';
          if (params.buildArgs && stored && names.test(name) && !ignore.test(name)) findings.push(finding(ctx, ins, p, stage, fromBuild(ins.keyword, name)));
          continue;
        }
        if (hasPlaceholder(value)) continue;
        const unquoted = value.trim().replace(/^(["'])(.*)\1$/, '$2');
        if (URL_CREDENTIALS_RE.test(unquoted)) {
          const password = URL_CREDENTIALS_RE.exec(unquoted)![1];
          if (!password.startsWith('$') && !placeholder.test(password)) findings.push(finding(ctx, ins, p, stage, `${ins.keyword} ${name} holds a URL with an inline password; pass it at run time (secret or environment) instead of baking it into the image.`));
          continue;
        }
        if (!names.test(name) || ignore.test(name) || placeholder.test(unquoted)) continue;
        findings.push(finding(ctx, ins, p, stage, `${ins.keyword} ${name} is set to a literal value in the Dockerfile, so the secret is stored in the image and its history; use a build secret (RUN --mount=type=secret) or pass it at run time.`));
      }
    };
    for (const ins of ctx.model.preamble) visit(ins, undefined);
    for (const stage of ctx.model.stages) for (const ins of stage.instructions) visit(ins, stage);
    return passOrFail(findings);
  },
});

/** The message for a secret-looking ARG given at build time, or an ENV that keeps one in the image. */
function fromBuild(keyword: string, name: string): string {
  if (keyword === 'ARG') return `ARG ${name} takes a secret as a build argument, and the image history records its value for every RUN that uses it; mount it with RUN --mount=type=secret,id=${name.toLowerCase()} instead.`;
  return `ENV ${name} copies a build-time value into the image's environment, where anyone with the image can read it; pass the secret at run time, or mount it for the RUN that needs it (RUN --mount=type=secret).`;
}

function finding(ctx: DockerContext, ins: DockerInstruction, p: DockerProperty, stage: DockerStage | undefined, message: string): RawFinding {
  const f = dockerFinding(ctx, p.getRange() ?? ins.range, message, stage);
  // the stage data may be shared (frozen): a copy with the key (assigned: V8's spread-and-add is its slow path)
  const data = Object.assign({}, f.data);
  data.key = p.getName();
  f.data = data;
  return f;
}
