import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { linkChecklist } from '../engine/markdown/link';
import { reportFromAudit, reportFromMarkdown, type ReadinessReport } from '../engine/markdown/readiness';
import { parseMarkdownChecklist } from '../engine/parse/markdownChecklist';
import { toHtmlReport } from '../engine/report/html';
import { toMarkdownReport } from '../engine/report/markdown';
import { printable } from '../engine/report/text';
import { scanFolder } from '../node/host';
import { writeFileAtomic } from '../node/write';
import { choice, one, parseArgs, UsageError } from './args';
import type { Command } from './commands';
import { reportSetupErrors, type CliIO } from './io';
import { VERSION } from './version';

/** When the report was made: SOURCE_DATE_EPOCH (reproducible builds) or now, as `YYYY-MM-DD HH:MM UTC`. */
export function reportDate(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH && /^\d+$/.test(env.SOURCE_DATE_EPOCH) ? Number(env.SOURCE_DATE_EPOCH) * 1000 : Date.now();
  return `${new Date(epoch).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'checklist-md', 'output', 'config', 'checklist'], flags: ['strict'] });
  if (args.positionals.length > 1) throw new UsageError(`report takes one folder (got ${args.positionals.join(' ')})`);
  const format = choice(args, 'format', ['markdown', 'html', 'json'] as const, 'markdown');
  const dir = path.resolve(args.positionals[0] ?? '.');
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new UsageError(`"${args.positionals[0] ?? '.'}" is not a folder`);
  const mdArg = one(args, 'checklist-md');
  let mdText: string | undefined;
  let mdRel = '';
  if (mdArg !== undefined) {
    const abs = path.resolve(mdArg);
    try {
      mdText = await fs.readFile(abs, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --checklist-md "${mdArg}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const rel = path.relative(dir, abs).split(path.sep).join('/');
    mdRel = rel.startsWith('..') || path.isAbsolute(rel) ? mdArg : rel;
  }
  const { result, engine, setup } = await scanFolder(dir, { configFile: one(args, 'config'), checklistFiles: args.values.get('checklist'), strict: args.flags.has('strict') });
  reportSetupErrors(setup, io);
  const meta = { generatedAt: reportDate(), tool: `Shipshape ${VERSION}` };
  let report: ReadinessReport;
  if (mdText !== undefined) {
    const parsed = parseMarkdownChecklist(mdText, mdRel);
    const linked = linkChecklist({ path: mdRel, model: parsed.model, problems: parsed.problems }, result, engine.resolvedItems);
    if (linked.items.length === 0) io.stderr.write(`shipshape: ${mdRel} has no task-list items (- [ ] …); the report is empty.\n`);
    for (const d of linked.diagnostics.filter((d) => d.severity !== 'hint')) io.stderr.write(`${printable(mdRel)}:${d.range.start.line + 1}: ${printable(d.message)}\n`);
    report = reportFromMarkdown(linked, meta);
  } else {
    report = reportFromAudit(result, { ...meta, checklistTitles: new Map(setup.checklists.map((c) => [c.id, c.title])) });
  }
  // JSON: the same report as data (each line's links with their reasons, status and verdict), for tools and tests.
  const text = format === 'html' ? toHtmlReport(report) : format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : toMarkdownReport(report);
  const output = one(args, 'output');
  if (output) await writeFileAtomic(path.resolve(output), text);
  else io.stdout.write(text);
  return setup.fatal ? 2 : 0;
}

export const reportCommand: Command = {
  usage: 'report [dir] [--format markdown|html|json]',
  summary: 'a filled-in readiness checklist (--checklist-md FILE: your own, verified; --output FILE)',
  run,
};
