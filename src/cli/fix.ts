import { createTwoFilesPatch } from 'diff';
import { constants as fsConstants, existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixAll } from '../engine/fixes/run';
import { printable } from '../engine/report/text';
import { insideRoot, scanFolder } from '../node/host';
import { realRoot, resolveInside } from '../node/walk';
import { decodeText, encodeText } from '../node/textFile';
import { hideSecret, secretLinesIn } from './diffRedact';
import { writeFileAtomic, writeInPlace } from '../node/write';
import { one, parseArgs, UsageError } from './args';
import type { Command } from './commands';
import { writeSetupErrors, type CliIO } from './io';

/** A line of the file as a terminal may receive it: its control characters shown, its CR line end kept. */
function shown(body: string): string {
  return body.endsWith('\r') ? `${printable(body.slice(0, -1))}\r` : printable(body);
}

/**
 * A unified diff of one file (`/dev/null` for a file the fix creates). A dry run is often printed in a CI
 * log, so no line shows a secret value, whether it is context, removed or added: lines the audit flagged as
 * holding a secret (`secretBefore`: 0-based lines of the text before the fix, `secretAfter`: of the fixed
 * text) and lines that assign a key naming a secret (with the value's continuation lines) show the key and
 * `•••`. Control characters in the file's lines are shown (`\u001b`), never sent to the terminal. The diff is
 * for reading; `shipshape fix` applies the real edits itself.
 */
export function unifiedDiff(file: string, before: string | undefined, after: string, secretBefore: ReadonlySet<number> = new Set(), secretAfter: ReadonlySet<number> = new Set()): string {
  // a name with a newline or an escape sequence is quoted and escaped by jsdiff, as git does
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${file}`, `b/${file}`, before ?? '', after, undefined, undefined, { context: 3 });
  // drop the "Index:"/"===" header lines jsdiff adds; keep the ---/+++ lines git users expect
  const text = patch.replace(/^=+\r?\n/m, '').replace(/^Index: .*\r?\n/m, '');
  const sides = { old: { lines: secretLinesIn(before ?? ''), audit: secretBefore }, new: { lines: secretLinesIn(after), audit: secretAfter } };
  let oldLine = -1;
  let newLine = -1;
  let inHunk = false;
  const hide = (body: string, side: (typeof sides)['old'], n: number): string => {
    const found = side.lines.get(n);
    if (found || !side.audit.has(n)) return hideSecret(body, found);
    // a line the audit flagged: the value after its first `:`/`=`, else after the instruction and key
    const m = /^[^:=]*[:=]\s*/.exec(body) ?? /^\s*\S+\s+\S+\s+/.exec(body);
    return hideSecret(body, { from: m ? m[0].length : 0 });
  };
  return text
    .split('\n')
    .map((line) => {
      const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(line);
      if (hunk) {
        oldLine = Number(hunk[1]) - 1;
        newLine = Number(hunk[2]) - 1;
        // a side with no lines (",0") starts after the line it names
        if (/^@@ -\d+,0 /.test(line)) oldLine++;
        if (/^@@ -\S+ \+\d+,0 /.test(line)) newLine++;
        inHunk = true;
        return line;
      }
      if (!inHunk || !/^[ +-]/.test(line)) return line;
      const body = line.slice(1);
      if (line[0] === '-') return `-${shown(hide(body, sides.old, oldLine++))}`;
      if (line[0] === '+') return `+${shown(hide(body, sides.new, newLine++))}`;
      newLine++;
      return ` ${shown(hide(body, sides.old, oldLine++))}`;
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
 * Writes fixed texts in place, in each file's own encoding (UTF-8 with or without its byte order mark, else
 * Latin-1), so the bytes the fixes did not edit, the file's mode and its hard links stay as they were. A
 * file that changed on disk since it was read (or appeared, for a file the fix creates) is refused, not
 * overwritten; so are a read-only file (never made writable) and a file `fileTargets` refuses.
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
    const bytes = await fs.readFile(where.target).catch(() => undefined);
    const now = bytes && decodeText(bytes);
    if (now?.text !== before) {
      refused.push(`${file} ${before === undefined ? 'appeared' : 'changed'} on disk while fixing; not written. Run the fix again.`);
      continue;
    }
    if (!now) {
      await writeFileAtomic(where.target, after);
      written.push(file);
      continue;
    }
    const data = encodeText(after, now);
    if (!data) {
      refused.push(`${file} is Latin-1 and the fix adds characters Latin-1 cannot hold; not written.`);
      continue;
    }
    // no write bit is read-only even for a user (root) the system would let write
    const writable = ((await fs.stat(where.target)).mode & 0o222) !== 0 && (await fs.access(where.target, fsConstants.W_OK).then(() => true, () => false));
    if (!writable) {
      refused.push(`${file} is read-only; not written. Make it writable to fix it.`);
      continue;
    }
    await writeInPlace(where.target, data);
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
    writeSetupErrors(setup.problems, io);
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
      return decodeText(readFileSync(where.target)).text;
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
    const secretsAfter = secretLinesOf(engine.audit({ strict: args.flags.has('strict') }).findings);
    for (const [file, { before, after }] of changed) io.stdout.write(unifiedDiff(file, before, after, secrets.get(file), secretsAfter.get(file)));
  } else {
    const r = await writeFixes(dir, changed);
    for (const m of r.refused) io.stderr.write(`shipshape: ${printable(m)}\n`);
    refused = r.refused.length;
  }
  const titles = new Map<string, string[]>();
  for (const a of result.applied) titles.set(a.file, [...(titles.get(a.file) ?? []), `${a.ruleId}: ${a.title}${a.changesBehaviour ? ` (changes behaviour: ${a.changesBehaviour})` : ''}`]);
  const out = dryRun ? io.stderr : io.stdout;
  for (const [file, list] of titles) {
    out.write(`${dryRun ? 'would fix' : 'fixed'} ${printable(file)}\n`);
    for (const t of list) out.write(`  ${printable(t)}\n`);
  }
  for (const d of result.declined) out.write(`not fixed ${printable(d.file)}:${d.line + 1} ${d.ruleId}: ${printable(d.reason)}\n`);
  const files = changed.length - refused;
  out.write(`${dryRun ? 'Would apply' : 'Applied'} ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'} to ${files} file${files === 1 ? '' : 's'}${refused ? `; ${refused} file${refused === 1 ? '' : 's'} not written (see above)` : ''}${result.declined.length ? `; ${result.declined.length} not fixable automatically` : ''}.\n`);
  return refused ? 1 : 0;
}

export const fixCommand: Command = {
  usage: 'fix [dir] [--rule id]… [--dry-run]',
  summary: 'apply the automatic fixes (--dry-run prints a unified diff)',
  run,
};
