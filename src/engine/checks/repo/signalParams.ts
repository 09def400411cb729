// The parameters of `evidence.signals` and the evidence parts its sections are made of.
import { z } from 'zod';
import { userPatternSchema } from '../../safeRegex';
import type { Evidence, Range } from '../../model';
import { sameList, sameRange } from '../derived';

export const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export const Params = z.strictObject({
  dependencies: z.array(z.string()).default([]).describe('package.json dependencies that suggest the item (a trailing * matches a prefix).'),
  env: z.array(z.string()).default([]).describe('Env keys whose declaration suggests it (A|B alternatives allowed).'),
  scripts: userPatternSchema('i').optional().describe('Regular expression matched against package.json script names and commands.'),
  ci: z.strictObject({ run: z.array(userPatternSchema('im')).default([]), uses: z.array(z.string()).default([]) }).optional().describe('CI steps that suggest it.'),
  k8s: z
    .strictObject({
      kinds: z.array(z.string()).default([]).describe('Object kinds (PrometheusRule, ExternalSecret…).'),
      labels: z.array(z.string()).default([]).describe('Label keys on an object or its pod template.'),
      annotations: z.array(z.string()).default([]).describe('Annotation key prefixes on an object or its pod template.'),
      command: userPatternSchema('i').optional().describe('Regular expression matched against container command + args (pg_dump…).'),
    })
    .optional(),
  compose: z.strictObject({ image: userPatternSchema('i').optional(), command: userPatternSchema('i').optional() }).optional().describe('Compose services whose image / command match these regular expressions.'),
  dockerfile: userPatternSchema('i').optional().describe('Regular expression matched against each final-stage instruction (keyword and arguments).'),
  config: z
    .strictObject({ path: userPatternSchema('i').describe('Regular expression matched against tool config paths (tsconfig.json, .github/dependabot.yml…).'), text: userPatternSchema('im').optional().describe('Regular expression the file text must match.') })
    .optional()
    .describe('Tool configuration files (tsconfig, jest/vitest, ESLint, Dependabot/Renovate) that suggest the item.'),
  files: z.array(z.enum(['ciWorkflow', 'compose', 'dockerfile', 'kubernetes', 'lockfile', 'env', 'gitignore', 'dockerignore', 'toolConfig'])).default([]).describe('File kinds whose mere presence is evidence (a CI workflow, a lockfile).'),
});

export type P = z.infer<typeof Params>;
export type Part = Evidence[];

const sameEvidence = (a: Evidence, b: Evidence) => a.file === b.file && a.message === b.message && sameRange(a.range, b.range);
export const samePart = (a: Part, b: Part) => sameList(a, b, sameEvidence);
export const NONE: Part = Object.freeze([]) as unknown as Part;
