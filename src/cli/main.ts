#!/usr/bin/env node
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { TEMPLATES } from '../engine/checks';
import { loadChecklist } from '../engine/checklist/load';
import { linkMarkdownFiles } from '../engine/markdown/link';
import { unauditedSeverity, type AuditResult, type Severity } from '../engine/model';
import { markdownFindings, withFindings } from '../engine/report/markdownFindings';
import { jsonReportChunks } from '../engine/report/json';
import { sarifChunks } from '../engine/report/sarif';
import { toTextReport } from '../engine/report/text';
import { loadBuiltinChecklists, scanFolder } from '../node/host';
import { phaseDone } from '../node/phases';
import { writeFileAtomic } from '../node/write';
import { choice, one, parseArgs, UsageError } from './args';
import { VERSION } from './version';
import { problemLine, reportSetupErrors, type CliIO } from './io';
import { COMMANDS } from './commands';

const HELP = (): string => `shipshape ${VERSION} — production readiness audit

Usage:
  shipshape scan [dir] [options]          audit a repository (default: .)
  shipshape rules [--format text|json]     list every rule of the built-in checklists
  shipshape checklist validate <file>...   validate checklist files
${Object.values(COMMANDS)
  .map((c) => `  shipshape ${c.usage.padEnd(30)} ${c.summary}\n`)
  .join('')}  shipshape --version | --help

scan options:
  --format text|json|sarif   output format (default: text)
  --fail-on error|warning|info|never
                             exit 1 when a finding is at or above this severity (default: error)
  --checklist <file>         use this checklist instead of the built-ins (repeatable)
  --config <file>            config file (default: <dir>/.shipshape.yaml)
  --output <file>            write the report to a file instead of stdout
  --strict                   ignore every suppression comment and annotation
  --verbose                  text format: list every item and informational problems
  --max-files <n>            stop after n files
  --max-file-size <bytes>    skip larger files with a notice (default: config maxFileSize, else 2 MiB)

Exit codes: 0 clean, 1 findings at or above --fail-on, or anything that could not be audited (or nothing
to audit; \`unaudited: warn|ignore\` in .shipshape.yaml counts it as a warning or not at all), 2 usage or
configuration error (the rest is still audited and reported).
`;

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `shipshape <command> --help` prints the usage instead of refusing an unknown option.
    if (command !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
      io.stdout.write(HELP());
      return 0;
    }
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(HELP());
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case 'scan':
        return await scan(rest, io);
      case 'rules':
        return rules(rest, io);
      case 'checklist':
        return await checklist(rest, io);
      default: {
        const extra = COMMANDS[command];
        if (extra) return await extra.run(rest, io);
        throw new UsageError(`unknown command "${command}" (commands: scan, rules, checklist validate, ${Object.keys(COMMANDS).join(', ')})`);
      }
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`shipshape: ${e.message}\nRun "shipshape --help" for usage.\n`);
      return 2;
    }
    throw e;
  }
}

async function scan(argv: string[], io: CliIO): Promise<number> {
  phaseDone('load');
  const args = parseArgs(argv, { values: ['format', 'fail-on', 'checklist', 'config', 'output', 'max-files', 'max-file-size'], flags: ['strict', 'verbose', 'no-color'] });
  if (args.positionals.length > 1) throw new UsageError(`scan takes one folder (got ${args.positionals.join(' ')})`);
  const format = choice(args, 'format', ['text', 'json', 'sarif'] as const, 'text');
  const failOn = choice(args, 'fail-on', ['error', 'warning', 'info', 'never'] as const, 'error');
  const maxFilesRaw = one(args, 'max-files');
  const maxFiles = maxFilesRaw === undefined ? undefined : Number(maxFilesRaw);
  if (maxFiles !== undefined && (!Number.isInteger(maxFiles) || maxFiles <= 0)) throw new UsageError('--max-files must be a positive whole number');
  const maxSizeRaw = one(args, 'max-file-size');
  const maxFileSize = maxSizeRaw === undefined ? undefined : Number(maxSizeRaw);
  if (maxFileSize !== undefined && (!Number.isInteger(maxFileSize) || maxFileSize <= 0)) throw new UsageError('--max-file-size must be a positive whole number of bytes');
  const dir = path.resolve(args.positionals[0] ?? '.');
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`"${args.positionals[0] ?? '.'}" is not a folder`);
  const scanned = await scanFolder(dir, {
    configFile: one(args, 'config'),
    checklistFiles: args.values.get('checklist'),
    strict: args.flags.has('strict'),
    maxFiles,
    maxFileSize,
  });
  const { engine, setup } = scanned;
  reportSetupErrors(setup, io);
  // the repository's own Markdown checklists: ticked lines the checks contradict are findings too
  const markdown = engine.paths.map((p) => engine.file(p)).filter((f) => f?.kind === 'markdown') as NonNullable<ReturnType<typeof engine.file>>[];
  const result = withFindings(scanned.result, markdownFindings(linkMarkdownFiles(markdown, scanned.result, engine.resolvedItems, setup.config.markdown ?? [])));
  phaseDone('markdown');
  let report: string | Iterable<string>;
  if (format === 'json') report = jsonReportChunks(result, VERSION);
  else if (format === 'sarif') report = sarifChunks(result, engine.resolvedItems, VERSION);
  else report = toTextReport(result, { color: io.isTTY && !args.flags.has('no-color') && !process.env.NO_COLOR && !one(args, 'output'), verbose: args.flags.has('verbose') });
  const output = one(args, 'output');
  if (output && (await fs.stat(output).catch(() => undefined))?.isDirectory()) throw new UsageError(`--output "${output}" is a folder; name a file`);
  if (output) await writeFileAtomic(path.resolve(output), report);
  else await writeOut(io, report);
  phaseDone('report');
  return setup.fatal ? 2 : exitCode(result, failOn);
}

/** Writes text or pieces of text to stdout, waiting when the stream asks for it (a pipe to a slow reader). */
async function writeOut(io: CliIO, data: string | Iterable<string>): Promise<void> {
  for (const chunk of typeof data === 'string' ? [data] : data) {
    if (!io.stdout.write(chunk)) await new Promise<void>((resolve) => io.stdout.once('drain', () => resolve()));
  }
}

/**
 * 1 when a finding is at or above `failOn`, or when something could not be audited (or there was nothing
 * to audit) and the `unaudited` policy's severity is at or above it; else 0.
 */
export function exitCode(result: AuditResult, failOn: Severity | 'never'): number {
  if (failOn === 'never') return 0;
  const s = result.summary;
  const unaudited = unauditedSeverity(s.unauditedPolicy);
  if (unaudited && RANK[unaudited] >= RANK[failOn] && (s.unaudited > 0 || s.unauditedItems > 0 || s.nothingToAudit)) return 1;
  return result.findings.some((f) => RANK[f.severity] >= RANK[failOn]) ? 1 : 0;
}

function rules(argv: string[], io: { stdout: NodeJS.WritableStream }): number {
  const args = parseArgs(argv, { values: ['format'], flags: [] });
  const format = choice(args, 'format', ['text', 'json'] as const, 'text');
  const { checklists } = loadBuiltinChecklists();
  const rows = checklists.flatMap((c) => c.sections.flatMap((s) => s.items.map((i) => ({ checklist: c.id, section: s.title, id: i.id, title: i.title, severity: i.severity, mode: !i.check ? 'manual' : i.evidence ? 'evidence' : 'auto', check: i.check, fixable: !!i.fix, aliases: i.aliases }))));
  if (format === 'json') io.stdout.write(JSON.stringify({ templates: [...TEMPLATES.values()].map((t) => ({ id: t.id, scope: t.scope, kinds: t.kinds, description: t.description })), rules: rows }, null, 2) + '\n');
  else {
    for (const r of rows) io.stdout.write(`${r.id.padEnd(40)} ${r.mode.padEnd(8)} ${r.severity.padEnd(7)} ${r.title}${r.fixable ? ' [fixable]' : ''}\n`);
    io.stdout.write(`${rows.length} items: ${rows.filter((r) => r.mode === 'auto').length} automated, ${rows.filter((r) => r.mode === 'evidence').length} evidence, ${rows.filter((r) => r.mode === 'manual').length} manual\n`);
  }
  return 0;
}

async function checklist(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const [sub, ...files] = argv;
  if (sub !== 'validate') throw new UsageError('usage: shipshape checklist validate <file>...');
  if (!files.length) throw new UsageError('checklist validate needs at least one file');
  let bad = 0;
  for (const f of files) {
    let text: string;
    try {
      text = await fs.readFile(f, 'utf8');
    } catch (e) {
      io.stderr.write(`${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      bad++;
      continue;
    }
    const { checklist: c, problems } = loadChecklist(text, f);
    for (const p of problems) io.stderr.write(`${problemLine(f, p, true)}\n`);
    if (problems.some((p) => p.severity === 'error') || !c) bad++;
    else io.stdout.write(`${f}: ok (${c.sections.reduce((n, s) => n + s.items.length, 0)} items in ${c.sections.length} sections)\n`);
  }
  return bad ? 2 : 0;
}

if (require.main === module) {
  // A reader that stops early (`shipshape scan | head`) closes the pipe: the rest of the output is dropped
  // and the exit code stays the command's, rather than a crash on an unhandled EPIPE.
  const closedPipe = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  };
  process.stdout.on('error', closedPipe);
  process.stderr.on('error', closedPipe);
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: !!process.stdout.isTTY }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`shipshape: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
