import { z } from 'zod';
import type { Evidence, RawFinding } from '../../model';
import { envFileRole, type EnvModel } from '../../parse/dotenv';
import { baseName, dirName } from '../../text';
import type { ParsedFile } from '../../workspace';
import { fileCheck } from '../template';
import { envCheck } from './check';
import type { EnvContext } from './context';

/** `env.duplicate-keys`: a key is defined once per env file (dotenv keeps only one of the values). */
export const duplicateKeysCheck = fileCheck({
  id: 'env.duplicate-keys',
  description: 'Each key is defined once per env file.',
  params: z.strictObject({}),
  kinds: ['env'],
  run(file) {
    const model = file.model as EnvModel;
    const findings: RawFinding[] = model.duplicates.map((d) => {
      const firstLine = model.entries.find((e) => e.key === d.key)!.line;
      return { file: file.path, range: d.keyRange, message: `${d.key} is defined again (first on line ${firstLine + 1}); only one of the values takes effect`, data: { key: d.key } };
    });
    return { findings };
  },
});

const SyncParams = z.strictObject({
  ignore: z.array(z.string()).default([]).describe('Keys allowed to differ between the example files.'),
});

type Pair = [ParsedFile<EnvModel>, ParsedFile<EnvModel>];

const pairsMemo = new WeakMap<EnvContext, Pair[]>();

/** Example files that belong together: `.env.example` and `.env.production.example` in one folder. */
function pairs(ctx: EnvContext): Pair[] {
  let out = pairsMemo.get(ctx);
  if (out) return out;
  out = [];
  const prodByDir = new Map<string, ParsedFile<EnvModel>[]>();
  for (const t of ctx.templates) {
    if (!envFileRole(t.path).production) continue;
    const dir = dirName(t.path);
    const list = prodByDir.get(dir);
    if (list) list.push(t);
    else prodByDir.set(dir, [t]);
  }
  for (const base of ctx.templates) {
    const r = envFileRole(base.path);
    if (r.production || r.nonProduction) continue;
    for (const prod of prodByDir.get(dirName(base.path)) ?? []) if (prod !== base) out.push([base, prod]);
  }
  pairsMemo.set(ctx, out);
  return out;
}

/** `env.example.in-sync`: `.env.example` and `.env.production.example` declare the same keys. */
export const exampleInSyncCheck = envCheck({
  id: 'env.example.in-sync',
  description: 'The example env file and the production example declare the same keys.',
  params: SyncParams,
  kinds: ['env'],
  applies: (ctx) => pairs(ctx).length > 0,
  check(ctx, p) {
    const findings: RawFinding[] = [];
    const ignored = new Set(p.ignore);
    for (const [a, b] of pairs(ctx)) {
      for (const [has, lacks] of [[a, b], [b, a]] as const) {
        for (const e of has.model.entries) {
          if (ignored.has(e.key) || lacks.model.byKey.has(e.key) || has.model.byKey.get(e.key) !== e) continue;
          findings.push({ file: has.path, range: e.keyRange, message: `${e.key} is declared in ${baseName(has.path)} but not in ${baseName(lacks.path)}`, data: { key: e.key, missingIn: lacks.path } });
        }
      }
    }
    return { findings };
  },
});

/**
 * `env.example-complete` (evidence): an env example file is committed, and the keys that Kubernetes,
 * compose and production env files use are declared in it. Variables read only in code are not seen.
 */
export const exampleCompleteCheck = envCheck({
  id: 'env.example-complete',
  description: 'Evidence: an env example file is committed and declares the keys the deployment files use.',
  params: z.strictObject({}),
  applies: (ctx) => ctx.relevant,
  check(ctx) {
    const evidence: Evidence[] = [];
    const examples = ctx.templates;
    if (examples.length === 0) return { findings: [] };
    const declaredInExamples = new Set(examples.flatMap((f) => f.model.entries.map((e) => e.key)));
    for (const f of examples) evidence.push({ file: f.path, range: f.model.entries[0]?.keyRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `${f.path} declares ${f.model.byKey.size} variable(s)` });
    const missing = new Map<string, (typeof ctx.vars)[number]>();
    for (const v of ctx.vars) if (!v.template && (v.origin !== 'dotenv' || v.production) && !declaredInExamples.has(v.key) && !missing.has(v.key)) missing.set(v.key, v);
    for (const [key, v] of missing) evidence.push({ file: v.file, range: v.keyRange, message: `${key} is set here but not declared in any env example file` });
    return { findings: [], evidence };
  },
});
