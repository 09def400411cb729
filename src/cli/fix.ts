import { createTwoFilesPatch } from 'diff';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../engine/fixes/run';
import { redact } from '../engine/markdown/readiness';
import { insideRoot, scanFolder } from '../node/host';
import { realRoot, resolveInside } from '../node/walk';
import { writeFileAtomic } from '../node/write';
import { one, parseArgs, UsageError } from './args';
import type { Command } from './commands';
import type { CliIO } from './io';

/**
 * A unified diff of one file (`/dev/null` for a file the fix creates). Unchanged context lines and removed
 * lines may hold secrets the fix does not touch (a `.env` line beside the one it sets, a literal password
 * three lines above an inserted probe), and a dry run is often printed in a CI log: so their secret-looking
 * values are shown as `•••` — lines the audit flagged as holding a secret (`secretLines`, 0-based lines of
 * the file before the fix), and `KEY=value` / `KEY: value` whose key names a secret. The diff is for
 * reading; `shipshape fix` applies the real edits itself.
 */
export function unifiedDiff(file: string, before: string | undefined, after: string, secretLines: ReadonlySet<number> = new Set()): string {
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${file}`, `b/${file}`, before ?? '', after, undefined, undefined, { context: 3 });
  // drop the "Index:"/"===" header lines jsdiff adds; keep the ---/+++ lines git users expect
  const text = patch.replace(/^=+\r?\n/m, '').replace(/^Index: .*\r?\n/m, '');
  let old = -1;
  let inHunk = false;
  return text
    .split('\n')
    .map((line) => {
      const hunk = /^@@ -(\d+)/.exec(line);
      if (hunk) {
        old = Number(hunk[1]) - 1;
        inHunk = true;
        return line;
      }
      if (!inHunk || (line[0] !== ' ' && line[0] !== '-')) return line;
      const n = old++;
      const body = line.slice(1);
      if (secretLines.has(n)) return `${line[0]}${/[:=]/.test(body) ? body.replace(/^([^:=]*[:=]\s*).*$/, '$1•••') : body.replace(/^(\s*\S+\s+\S+\s+).*$/, '$1•••')}`;
      return `${line[0]}${redact(body)}`;
    })
    .join('\n');
}

/** Lines (per file, 0-based) where the audit found a secret value: findings of rules about secrets. */
function secretLinesOf(findings: readonly { ruleId: string; file: string; range: { start: { line: number }; end: { line: number } } }[]): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  for (const f of findings) {
    if (!/secret|credential|password|token/i.test(f.ruleId)) continue;
    const set = out.get(f.file) ?? out.set(f.file, new Set()).get(f.file)!;
    for (let l = f.range.start.line; l <= f.range.end.line; l++) set.add(l);
  }
  return out;
}

/**
 * Where a fix reads and writes a file of `dir`: the file itself, or the target of a symbolic link (in its path
 * or the file itself) when that target is inside the folder (a link stays a link). A path outside the folder,
 * a link to outside it and a link that cannot be followed are refused, with the reason. The folder's real
 * path is looked up once, by the first file that exists.
 */
export function fileTargets(dir: string): (file: string) => { target: string } | { refused: string } {
  let rootReal: string | undefined;
  return (file) => {
    const abs = insideRoot(dir, file);
    if (!abs) return { refused: `${file} is outside the folder` };
    const where = existsSync(abs) ? resolveInside((rootReal ??= realRoot(dir)), abs) : undefined;
    if (!where) return { target: abs };
    if ('real' in where) return { target: where.real };
    return { refused: `${file} ${'outside' in where ? 'is a symbolic link to a path outside the folder' : `is a symbolic link that cannot be followed (${where.error})`}` };
  };
}

/**
 * Writes fixed texts atomically. A file that changed on disk since it was read (or appeared, for a file
 * the fix creates) is refused, not overwritten; so is a file `fileTargets` refuses.
 */
export async function writeFixes(dir: string, changed: Iterable<[string, { before: string | undefined; after: string }]>): Promise<{ written: string[]; refused: string[] }> {
  const written: string[] = [];
  const refused: string[] = [];
  const targetOf = fileTargets(dir);
  for (const [file, { before, after }] of changed) {
    const where = targetOf(file);
    if ('refused' in where) {
      refused.push(`${where.refused}; not written.`);
      continue;
    }
    const now = await fs.readFile(where.target, 'utf8').catch(() => undefined);
    if (now !== before) {
      refused.push(`${file} ${before === undefined ? 'appeared' : 'changed'} on disk while fixing; not written. Run the fix again.`);
      continue;
    }
    await writeFileAtomic(where.target, after);
    written.push(file);
  }
  return { written, refused };
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['rule', 'config', 'checklist'], flags: ['dry-run', 'strict'] });
  if (args.positionals.length > 1) throw new UsageError(`fix takes one folder (got ${args.positionals.join(' ')})`);
  const dir = path.resolve(args.positionals[0] ?? '.');
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`"${args.positionals[0] ?? '.'}" is not a folder`);
  const dryRun = args.flags.has('dry-run');
  const { engine, setup, result: audit } = await scanFolder(dir, { configFile: one(args, 'config'), checklistFiles: args.values.get('checklist'), strict: args.flags.has('strict') });
  if (setup.fatal) {
    for (const p of setup.problems.filter((p) => p.severity === 'error')) io.stderr.write(`${p.file}${p.range ? `:${p.range.start.line + 1}:${p.range.start.character + 1}` : ''}: ${p.message}\n`);
    io.stderr.write('shipshape: fix the configuration or checklist errors above, then run again.\n');
    return 2;
  }
  const ruleArgs = args.values.get('rule');
  let rules: Set<string> | undefined;
  if (ruleArgs) {
    rules = new Set(ruleArgs.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean));
    for (const id of rules) {
      const item = engine.item(id);
      if (!item) throw new UsageError(`unknown rule "${id}" (see: shipshape rules)`);
      if (!item.fix) io.stderr.write(`shipshape: ${id} has no automatic fix; skipped.\n`);
    }
  }
  // Files a fix reads but the scan does not hold (e.g. a .env.example it completes), by the rule of its writes:
  // nothing through a symbolic link to outside the folder, and a fix that would write there is declined.
  const targetOf = fileTargets(dir);
  const readFile = (rel: string): string | undefined => {
    const where = targetOf(rel);
    if ('refused' in where) return undefined;
    try {
      return readFileSync(where.target, 'utf8');
    } catch {
      return undefined;
    }
  };
  const unwritable = (rel: string): string | undefined => {
    const where = targetOf(rel);
    return 'refused' in where ? where.refused : undefined;
  };
  const result = fixAll(engine, { rules, readFile, unwritable, keep: true, audit: { strict: args.flags.has('strict') } });
  const changed = [...result.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let refused = 0;
  if (dryRun) {
    const secrets = secretLinesOf(audit.findings);
    for (const [file, { before, after }] of changed) io.stdout.write(unifiedDiff(file, before, after, secrets.get(file)));
  } else {
    const r = await writeFixes(dir, changed);
    for (const m of r.refused) io.stderr.write(`shipshape: ${m}\n`);
    refused = r.refused.length;
  }
  const titles = new Map<string, string[]>();
  for (const a of result.applied) titles.set(a.file, [...(titles.get(a.file) ?? []), `${a.ruleId}: ${a.title}`]);
  const out = dryRun ? io.stderr : io.stdout;
  for (const [file, list] of titles) {
    out.write(`${dryRun ? 'would fix' : 'fixed'} ${file}\n`);
    for (const t of list) out.write(`  ${t}\n`);
  }
  for (const d of result.declined) out.write(`not fixed ${d.file}:${d.line + 1} ${d.ruleId}: ${d.reason}\n`);
  const files = changed.length - refused;
  out.write(`${dryRun ? 'Would apply' : 'Applied'} ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'} to ${files} file${files === 1 ? '' : 's'}${refused ? `; ${refused} file${refused === 1 ? '' : 's'} not written (see above)` : ''}${result.declined.length ? `; ${result.declined.length} not fixable automatically` : ''}.\n`);
  return refused ? 1 : 0;
}

export const fixCommand: Command = {
  usage: 'fix [dir] [--rule id]… [--dry-run]',
  summary: 'apply the automatic fixes (--dry-run prints a unified diff)',
  run,
};
