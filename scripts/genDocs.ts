// Generates docs/coverage.md, docs/rules.md and docs/peer-coverage.md (their generated sections) from the built-in
// checklists and the seed analysis (../shared/seed-analysis). `npm run docs` rewrites them; `--check` fails when they are stale.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Checklist, ChecklistItem } from '../src/engine/checklist/schema';
import { loadBuiltinChecklists } from '../src/node/host';
import { readPeerNote, renderPeerCoverage } from './peerCoverage';

export const REPO = path.resolve(__dirname, '..');
export const SEED_ANALYSIS = path.resolve(REPO, '..', 'shared', 'seed-analysis');

export interface SeedRow {
  ref: string;
  seed: string;
  checked: boolean;
  section: string;
  text: string;
  category: 'A' | 'B' | 'C';
  rules: string[];
}

export interface CatalogueRule {
  id: string;
  kind: string;
  category: 'A' | 'B';
  severity: string;
}

function tsv(file: string): string[][] {
  return readFileSync(file, 'utf8').replace(/\r/g, '').trim().split('\n').slice(1).map((l) => l.split('\t'));
}

export function readSeedRows(dir = SEED_ANALYSIS): SeedRow[] {
  return tsv(path.join(dir, 'items.tsv')).map(([ref, checked, section, text, category, rules]) => ({
    ref,
    seed: ref.split(':')[0],
    checked: checked.trim() === 'x',
    section,
    text,
    category: category as SeedRow['category'],
    rules: (rules ?? '').split(';').filter(Boolean),
  }));
}

export function readCatalogue(dir = SEED_ANALYSIS): CatalogueRule[] {
  return tsv(path.join(dir, 'catalogue.tsv')).map(([id, kind, category, severity]) => ({ id, kind, category: category as 'A' | 'B', severity }));
}

export type Mode = 'auto' | 'evidence' | 'manual';
export interface BuiltinItem {
  item: ChecklistItem;
  checklist: string;
  mode: Mode;
  /** The catalogue rule the item implements: its id, or the longest catalogue id it is prefixed by. */
  rule?: string;
}

export function builtinItems(checklists: readonly Checklist[], catalogue: readonly CatalogueRule[]): BuiltinItem[] {
  const ids = catalogue.map((c) => c.id).sort((a, b) => b.length - a.length);
  return checklists.flatMap((c) =>
    c.sections.flatMap((s) =>
      s.items.map((item) => ({
        item,
        checklist: c.id,
        mode: (!item.check ? 'manual' : item.evidence ? 'evidence' : 'auto') as Mode,
        rule: ids.find((id) => item.id === id || item.id.startsWith(`${id}.`)),
      })),
    ),
  );
}

export type Coverage = 'automated' | 'evidence' | 'manual' | 'pending';

/**
 * How Shipshape covers one seed item. Claims come from items listing the ref in `sources` and from
 * items implementing (or refining) the catalogue rules the analysis maps it to.
 * - automated: an A item (settled by files) with an automated check;
 * - evidence: a check shows what the files say and a person ticks the item;
 * - manual: only a manual item covers it;
 * - pending: nothing covers it yet.
 */
export function classify(row: SeedRow, items: readonly BuiltinItem[]): { coverage: Coverage; by: BuiltinItem[] } {
  const by = items.filter((i) => (i.item.sources ?? []).includes(row.ref) || (i.rule !== undefined && row.rules.includes(i.rule)));
  const has = (m: Mode) => by.some((i) => i.mode === m);
  let coverage: Coverage;
  if (row.category === 'A' && has('auto')) coverage = 'automated';
  else if (has('auto') || has('evidence')) coverage = 'evidence';
  else if (has('manual')) coverage = 'manual';
  else coverage = 'pending';
  return { coverage, by };
}

const SEED_NAMES: Record<string, string> = {
  '000': 'Achievement Service',
  '001': 'Generic platform (IMS)',
  '002': 'Event Service',
  '003': 'E-commerce (MongoDB/Razorpay)',
  '004': 'Production Readiness',
};

/** A rules the seed analysis marks automatable that no built-in item implements on purpose, with the reason. */
export const NOT_IMPLEMENTED: Record<string, string> = {};

const CORRECTIONS = `### Where this differs from the item map

- **Partial rules no longer tick the items they only partly prove.** The analysis maps B items (e.g. 000:25
  "All tests pass") to A rules (\`scripts.test\`: a test script exists), and its phrasings would let a passing
  rule tick them. Here A rules carry only the phrasings and source lines of the A items they settle; each B item
  moves to an evidence item (\`scripts.test.passing\`, \`env.db.pool.confirmed\`…) that shows the rule's
  evidence and waits for a person.
- **Decidable parts of B rules are automated.** \`env.jwt-secret.length\`, \`scripts.build\`, \`scripts.lint\` and
  \`scripts.typecheck\` are B in the analysis, but what the repository holds is decidable (a committed secret
  shorter than 32 characters or a known default fails; a script exists or not). They are automated checks; the
  checklist items that need the real secret or a run stay with a person.
- **\`repo.gitignore.env\` cannot run \`git ls-files\`** (the engine does no I/O). It is split into the
  .gitignore patterns check and \`repo.gitignore.env.committed\`: a real env file that no .gitignore covers. The
  CLI walk honours .gitignore, so what it reads is what git would commit.
- **\`env.rate-limit\` does not require a window.** Checklist 000 configures only \`RATE_LIMIT_LIMIT=100\`; requiring
  \`RATE_LIMIT_WINDOW_MS\` as the analysis does would fail that checklist's own configuration. The window is checked
  when declared.
- **\`scripts.migration\` triggers on a migration tool dependency,** not on a migrations folder: the scanner
  lists configuration files, not source folders.
- **Parameters where the checklists disagree:** \`env.log-level\` \`allowed\` (default warn/error, checklist 000; add info for
  001/002), \`env.jwt-secret.length\` \`minLength\` (32, checklist 000; 64 for checklist 001), \`env.db.pool\` \`numbers\`
  (ceiling 100), \`tests.coverage-threshold\` \`min\` (80, checklist 003; 70 for checklist 004). Per-finding severities do
  not exist, so the analysis's "WARN below 64 / INFO on info" become these parameters.
- **"Production sources"** follow the analysis, with two precisions: a file under a \`dev\`/\`staging\`/\`test\`
  folder or named so (\`.env.development\`, \`Dockerfile.dev\`) is never one, and Kubernetes or Dockerfile literals
  for secrets are left to \`k8s.secrets.secret-ref\` and the Dockerfile secret rules, so one line is not
  reported twice.
- **Compose gets its own rules** (\`compose.healthcheck\`, \`compose.image-pinned\`, \`compose.resources.limits\`):
  the analysis folds them into \`docker.*\`/\`k8s.*\` rules whose checks read other file kinds.
- **Tool configuration is read** (file kind \`toolConfig\`: tsconfig, jest/vitest/nyc/c8 configs, ESLint,
  Playwright/Cypress, Dependabot/Renovate), so \`tests.coverage-threshold\` sees thresholds in jest.config.* and
  vitest.config.*, and \`ts.strict\` and \`deps.update-automation\` are evidence items rather than manual ones.
- **Not automated, with reasons:** \`docs.*\` except \`docs.openapi\` (documentation is read only as a Markdown
  checklist), \`db.indexes\` and \`secrets.no-hardcoded\` (they need source code, which is not read). Their checklist
  items are manual items in the operations checklist. Dependency- and manifest-based B rules are evidence items
  (\`checklists/app.checklist.yaml\`).`;

function pct(n: number, total: number): string {
  return total === 0 ? '0' : `${Math.round((n / total) * 100)}%`;
}

export function renderCoverage(checklists: readonly Checklist[], rows: readonly SeedRow[], catalogue: readonly CatalogueRule[]): string {
  const items = builtinItems(checklists, catalogue);
  const classified = rows.map((r) => ({ row: r, ...classify(r, items) }));
  const out: string[] = ['## Coverage of the reference checklists', ''];
  out.push(
    'Generated by `npm run docs` from `checklists/*.checklist.yaml` and an item-by-item map of five public production checklists; a unit test fails when it is stale.',
    'Each of the 570 checkbox items of those five reference checklists is **automated** (an automated check settles it), **evidence-only** (a check shows',
    'what the files say, a person ticks it), **manual** (a manual item of the opt-in `operations` checklist), or **not yet covered**.',
    '',
    '| # | checklist | items | automated | evidence-only | manual | not yet covered |',
    '|---|---|---:|---:|---:|---:|---:|',
  );
  const seeds = [...new Set(rows.map((r) => r.seed))].sort();
  const count = (list: typeof classified, c: Coverage) => list.filter((x) => x.coverage === c).length;
  for (const s of [...seeds, 'all']) {
    const list = s === 'all' ? classified : classified.filter((x) => x.row.seed === s);
    const name = s === 'all' ? '**all**' : `${s}`;
    const title = s === 'all' ? '' : (SEED_NAMES[s] ?? '');
    const n = list.length;
    out.push(`| ${name} | ${title} | ${n} | ${count(list, 'automated')} (${pct(count(list, 'automated'), n)}) | ${count(list, 'evidence')} | ${count(list, 'manual')} | ${count(list, 'pending')} |`);
  }
  const pending = classified.filter((x) => x.coverage === 'pending');
  if (pending.length) {
    out.push('', `Not yet covered (${pending.length}): ${pending.map((p) => `${p.row.ref} (${p.row.rules.join(', ') || 'no rule'})`).join('; ')}.`);
  }
  out.push('', '### Catalogue rules and the items that implement them', '');
  out.push('| catalogue rule | kind | analysis | Shipshape items (mode) | checklist items |', '|---|---|---|---|---:|');
  for (const rule of catalogue) {
    const impl = items.filter((i) => i.rule === rule.id);
    const cells = impl.length ? impl.map((i) => `\`${i.item.id}\` (${i.mode})`).join(', ') : NOT_IMPLEMENTED[rule.id] ? `not implemented: ${NOT_IMPLEMENTED[rule.id]}` : rule.category === 'A' ? '**not implemented yet**' : 'manual items in the operations checklist';
    const refs = rows.filter((r) => r.rules.includes(rule.id)).length;
    out.push(`| \`${rule.id}\` | ${rule.kind} | ${rule.category} | ${cells} | ${refs} |`);
  }
  out.push('', CORRECTIONS);
  return out.join('\n');
}

function escape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function renderRules(checklists: readonly Checklist[], catalogue: readonly CatalogueRule[]): string {
  const items = builtinItems(checklists, catalogue);
  const out: string[] = ['## Built-in rules', ''];
  out.push('Generated by `npm run docs`. Checklists, with their automated / evidence / manual item counts:', '');
  out.push('| checklist | title | automated | evidence | manual |', '|---|---|---:|---:|---:|');
  for (const c of checklists) {
    const own = items.filter((i) => i.checklist === c.id);
    out.push(`| \`${c.id}\` | ${escape(c.title)} | ${own.filter((i) => i.mode === 'auto').length} | ${own.filter((i) => i.mode === 'evidence').length} | ${own.filter((i) => i.mode === 'manual').length} |`);
  }
  out.push('', 'Every item with a check (manual items are listed in their checklists):', '');
  out.push('| id | checklist | severity | mode | template | requirement |', '|---|---|---|---|---|---|');
  for (const i of items.filter((x) => x.mode !== 'manual')) {
    out.push(`| [\`${i.item.id}\`](rules/${i.item.id}.md) | ${i.checklist} | ${i.item.severity} | ${i.mode} | \`${i.item.check}\` | ${escape(i.item.title)} |`);
  }
  return out.join('\n');
}

export function replaceSection(readme: string, name: string, body: string): string {
  const open = `<!-- section:${name} -->`;
  const close = `<!-- /section:${name} -->`;
  const a = readme.indexOf(open);
  const b = readme.indexOf(close);
  if (a === -1 || b === -1 || b < a) throw new Error(`README has no ${open} … ${close} markers`);
  return `${readme.slice(0, a + open.length)}\n${body}\n${readme.slice(b)}`;
}

/** A fixture file of a rule (test/fixtures/rules/<id>/) as a fenced example, at most 40 lines. */
function example(file: string): string {
  const lines = readFileSync(file, 'utf8').replace(/\r/g, '').replace(/\n$/, '').split('\n');
  const name = path.basename(file);
  const lang = /\.ya?ml$/.test(name) ? 'yaml' : /\.json$/.test(name) ? 'json' : /Dockerfile|\.dockerfile$/i.test(name) ? 'dockerfile' : '';
  return ['```' + lang, ...lines.slice(0, 40), ...(lines.length > 40 ? [`# … ${lines.length - 40} more lines`] : []), '```'].join('\n');
}

/** The first file (or a folder's first file) of a fixture entry whose name starts with `prefix` (fail, pass). */
function firstFixture(dir: string, prefix: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir).filter((n) => n.startsWith(prefix) && !n.includes('.fixed.'));
  const entry = names.sort((a, b) => Number(!a.startsWith(`${prefix}.`)) - Number(!b.startsWith(`${prefix}.`)) || a.localeCompare(b))[0];
  if (!entry) return undefined;
  const abs = path.join(dir, entry);
  if (!statSync(abs).isDirectory()) return abs;
  const inner = readdirSync(abs).sort().find((n) => !statSync(path.join(abs, n)).isDirectory());
  return inner ? path.join(abs, inner) : undefined;
}

/** One page per rule with a check: what it requires, why, how to fix it, its parameters, peers' ids, examples. */
export function renderRulePages(checklists: readonly Checklist[]): Record<string, string> {
  const pages: Record<string, string> = {};
  for (const c of checklists) {
    for (const s of c.sections) {
      for (const item of s.items) {
        if (!item.check) continue;
        const out = [`# ${item.id}`, '', `**${item.title}**`, ''];
        out.push(`| | |`, `|---|---|`, `| Checklist | ${escape(c.title)} (\`${c.id}\`) › ${escape(s.title)} |`, `| Severity | ${item.severity} |`, `| Kind | ${item.evidence ? 'evidence: the files are shown, a person confirms' : 'automated'} |`, `| Check template | \`${item.check}\` |`);
        if (item.fix) out.push(`| Fix | \`${item.fix.template}\`${item.fix.with ? ` with \`${JSON.stringify(item.fix.with)}\`` : ''} |`);
        if (item.fix) out.push(`| Fix changes behaviour | ${item.fix.changesBehaviour ? `yes: ${escape(item.fix.changesBehaviour)} (the editor shows it in the refactor preview first)` : 'no ([policy](../fixes.md#which-fixes-change-behaviour))'} |`);
        if (item.aliases.length) out.push(`| Same check in | ${item.aliases.map((x) => `\`${x}\``).join(', ')} |`);
        if (item.appliesTo) out.push(`| Applies to | ${[item.appliesTo.runtime && `${item.appliesTo.runtime.join(', ')} services`, item.appliesTo.base && `${item.appliesTo.base.join(', ')} base images`].filter(Boolean).join('; ')} (elsewhere not applicable; services whose runtime cannot be told are audited) |`);
        out.push('');
        if (item.docs?.why) out.push('## Why', '', item.docs.why, '');
        if (item.docs?.fix) out.push('## How to fix', '', item.docs.fix.includes('\n') ? `\`\`\`\n${item.docs.fix}\n\`\`\`` : item.docs.fix, '');
        const lexicon = [...item.matches, ...item.broaderMatches];
        if (lexicon.length) {
          out.push('## Checklist lines it links to', '', 'A line of a Markdown checklist that reads like one of these (or names a field, file or command the rule reads) links to this rule:', '');
          for (const p of item.matches) out.push(`- ${escape(p)}`);
          for (const p of item.broaderMatches) out.push(`- ${escape(p)} (the broader requirement; ranked below the rule's own phrasings)`);
          out.push('');
        }
        if (item.with && Object.keys(item.with).length) out.push('## Parameters', '', 'Set in `.shipshape.yaml` under `rules: { ' + item.id + ': { with: { … } } }`. Defaults here:', '', '```yaml', stringify(item.with, { aliasDuplicateObjects: false }).trimEnd(), '```', '');
        const dir = path.join(REPO, 'test', 'fixtures', 'rules', item.id);
        const fail = firstFixture(dir, 'fail');
        const pass = firstFixture(dir, 'pass');
        if (fail || pass) out.push('## Examples', '');
        if (fail) out.push(`Fails (\`${path.relative(dir, fail)}\`):`, '', example(fail), '');
        if (pass) out.push(`Passes (\`${path.relative(dir, pass)}\`):`, '', example(pass), '');
        if (item.docs?.url) out.push(`More: ${item.docs.url}`, '');
        pages[`docs/rules/${item.id}.md`] = out.join('\n');
      }
    }
  }
  return pages;
}

/** Every automatic fix with its behaviour mark, for docs/fixes.md (the policy is written above the table there). */
export function renderBehaviour(checklists: readonly Checklist[]): string {
  const out = ['| Rule | Fix template | Changes behaviour |', '|---|---|---|'];
  for (const c of checklists) {
    for (const s of c.sections) {
      for (const item of s.items) {
        if (item.fix) out.push(`| [\`${item.id}\`](rules/${item.id}.md) | \`${item.fix.template}\` | ${item.fix.changesBehaviour ? `yes: ${escape(item.fix.changesBehaviour)}` : 'no'} |`);
      }
    }
  }
  return out.join('\n');
}

/** The generated pages (docs/coverage.md, docs/rules.md, the fix table of docs/fixes.md) with their generated sections brought up to date. */
export function renderDocs(read: (page: string) => string): Record<string, string> {
  const { checklists, problems } = loadBuiltinChecklists(path.join(REPO, 'checklists'));
  if (problems.some((p) => p.severity === 'error')) throw new Error(`built-in checklists have errors:\n${problems.map((p) => `${p.file}: ${p.message}`).join('\n')}`);
  const catalogue = readCatalogue();
  return {
    'docs/coverage.md': replaceSection(read('docs/coverage.md'), 'coverage', renderCoverage(checklists, readSeedRows(), catalogue)),
    'docs/rules.md': replaceSection(read('docs/rules.md'), 'rules', renderRules(checklists, catalogue)),
    'docs/fixes.md': replaceSection(read('docs/fixes.md'), 'behaviour', renderBehaviour(checklists)),
    'docs/peer-coverage.md': replaceSection(read('docs/peer-coverage.md'), 'peers', renderPeerCoverage(readPeerNote(), checklists)),
    ...renderRulePages(checklists),
  };
}

if (require.main === module) {
  const read = (page: string): string => (existsSync(path.join(REPO, page)) ? readFileSync(path.join(REPO, page), 'utf8') : '');
  const pages = renderDocs(read);
  const stale = Object.keys(pages).filter((page) => pages[page] !== read(page));
  if (process.argv.includes('--check')) {
    if (stale.length) {
      console.error(`${stale.join(', ')} stale: run npm run docs`);
      process.exitCode = 1;
    }
  } else {
    for (const page of stale) {
      mkdirSync(path.dirname(path.join(REPO, page)), { recursive: true });
      writeFileSync(path.join(REPO, page), pages[page]);
    }
    console.log(stale.length ? `wrote ${stale.join(', ')}` : 'docs are up to date');
  }
}
