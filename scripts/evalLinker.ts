/**
 * Prints how well Markdown checklist lines link to rules on the labelled public checklists
 * (test/fixtures/markdown-dev): recall on checkable lines, link precision, and how many operational lines get
 * an automated link, with the default checklists and with the opt-in operations checklist (the seeds' manual items). `--misses` lists the lines scored wrong.
 * A label is scored against the rules those checklists turn on: a line whose labelled rules are all opt-in (off) counts
 * as one no rule checks (see the development set's README).
 * `--tuned` measures only the parts the linker is tuned on (dev* and, since the eighth set was added, validation5 and
 * validation6), for use while changing it; the held-out parts are measured at the start and the end of a change only.
 */
import * as path from 'node:path';
import { loadBuiltinChecklists } from '../src/node/host';
import { builtinSet, linkPart, PARTS, score, type LineResult, type Part } from '../test/unit/markdownDevSet';

const { checklists, problems } = loadBuiltinChecklists(path.resolve(__dirname, '..', 'checklists'));
// a checklist that does not load would drop its rules from the scores while the figures still print
if (problems.length) {
  for (const p of problems) console.error(`${p.file}${p.range ? `:${p.range.start.line + 1}` : ''}: ${p.message}`);
  console.error('eval:linker: the built-in checklists have problems; no figures printed.');
  process.exit(1);
}
const showMisses = process.argv.includes('--misses');
const tunedOnly = process.argv.includes('--tuned');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
// validation5 and validation6 kept their names when they became tuned parts; the later validation parts stay held out.
const TUNED_VALIDATION: readonly Part[] = ['validation5', 'validation6'];
const tuned = (part: Part) => part.startsWith('dev') || TUNED_VALIDATION.includes(part);

for (const [name, lists] of [['default checklists', builtinSet(checklists, false)], ['with the operations checklist', builtinSet(checklists, true)]] as const) {
  for (const part of PARTS) {
    if (tunedOnly && !tuned(part)) continue;
    const lines = linkPart(part, lists);
    const s = score(lines);
    console.log(
      `${part.padEnd(11)} ${name.padEnd(28)} recall ${pct(s.recall)} (${s.found}/${s.checkable})  precision ${pct(s.precision)} (${s.right}/${s.links})  operational lines automated ${pct(s.falseAutomatedRate)} (${s.falselyAutomated}/${s.uncheckable})`,
    );
    // Misses are shown for the parts the linker is tuned on, never for a held-out part.
    if (showMisses && tuned(part)) printMisses(lines);
  }
}

function printMisses(lines: readonly LineResult[]): void {
  for (const l of lines) {
    const expected = Array.isArray(l.expected) ? l.expected : [];
    const wrong = l.links.filter((k) => !expected.includes(k.id));
    const missed = expected.length > 0 && !l.links.some((k) => expected.includes(k.id));
    if (!wrong.length && !missed) continue;
    console.log(`  ${missed ? 'MISS' : 'WRONG'} ${l.file}: ${l.text}\n      want ${Array.isArray(l.expected) ? l.expected.join(' ') : l.expected}; got ${l.links.map((k) => `${k.id} [${k.reason}]`).join(', ') || '-'}`);
  }
}
