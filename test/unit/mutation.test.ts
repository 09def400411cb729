/**
 * Seeded mutation test: real files (the shared corpus and this repository's fixtures) are damaged in a
 * dozen ways and audited one by one with every built-in checklist, fixes and reports included. The engine
 * must never throw, never spend more than HANG_MS on one file (a hang detector, not a speed test: speed is
 * measured by `npm run bench`), and report what it cannot read as a located problem. A Markdown checklist is also
 * linked to the rules and reported.
 *
 * SHIPSHAPE_MUTATION_SEED=<n> replays another seed; SHIPSHAPE_MUTATION_FILES=<n> changes the sample size;
 * SHIPSHAPE_MUTATION_DUMP=<dir> writes every failing mutant there (with its kind in the name) to debug it.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { classifyPath, sniffKubernetes } from '../../src/engine/discover';
import { computeFix } from '../../src/engine/fixes/run';
import type { AuditResult, FileKind, Problem } from '../../src/engine/model';
import { linkMarkdownFiles } from '../../src/engine/markdown/link';
import { reportFromMarkdown } from '../../src/engine/markdown/readiness';
import { toHtmlReport } from '../../src/engine/report/html';
import { toJsonReport } from '../../src/engine/report/json';
import { toMarkdownReport } from '../../src/engine/report/markdown';
import { toSarif } from '../../src/engine/report/sarif';
import { toTextReport } from '../../src/engine/report/text';
import { decode } from '../../src/node/host';
import { builtinChecklists, FIXTURES, HANG_MS, LOAD, SHARED } from './helpers';
import { seededRandom } from '../support/seededRandom';

/*
 * The hang bound (HANG_MS, helpers.ts): 3 s per file (an audit with fixes and three reports), scaled up by the load average per core when the
 * machine is busier than one task per core, and re-timed once before it fails. This is a hang detector, not
 * a speed target: a hang is minutes; speed is measured by `npm run bench`. (It was 10 s while a 36 KB
 * manifest with keys repeated 180 times took 3.5 s: yaml creates an Error per syntax error, 1,074 of them,
 * and each captured an unbounded stack under mocha; parsing now skips those stacks, see withoutStacks.)
 */
const SEED = Number(process.env.SHIPSHAPE_MUTATION_SEED ?? 0x5eed);
const FILES_PER_KIND = Number(process.env.SHIPSHAPE_MUTATION_FILES ?? 18);
const FIXES_PER_FILE = 4;
const FIX_MAX_BYTES = 128 * 1024;
const DUMP = process.env.SHIPSHAPE_MUTATION_DUMP;

interface Base {
  /** Name the file is audited under (kept, so the scanner classifies it as the original). */
  name: string;
  source: string;
  bytes: Buffer;
  kind: FileKind;
}

interface Mutant {
  name: string;
  bytes: Buffer;
  /** Audit as this kind even when sniffing would skip the damaged text (stress the parser). */
  kind: FileKind;
}

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const utf8 = (s: string) => Buffer.from(s, 'utf8');
const isYaml = (b: Base) => b.kind === 'kubernetes' || b.kind === 'compose' || b.kind === 'ciWorkflow';

function lines(b: Base): string[] {
  return b.bytes.toString('utf8').split('\n');
}

/** Nesting in the file's own syntax, `depth` levels deep, inserted at a random line. */
function nest(b: Base, r: Rand, depth: number): string {
  if (b.kind === 'packageJson') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  if (isYaml(b)) {
    return pick(r, [
      () => `deep: ${'['.repeat(depth)}${']'.repeat(depth)}`,
      () => `deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`,
      () => Array.from({ length: Math.min(depth, 3000) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x',
      () => `deep: ${'- '.repeat(depth)}x`,
    ])();
  }
  if (b.kind === 'dockerfile') return `RUN ${'$(echo '.repeat(depth)}${')'.repeat(depth)} \\\n${'  \\\n'.repeat(depth)}`;
  return `KEY="${'"\\'.repeat(depth)}"`;
}

function insertLine(b: Base, r: Rand, line: string): Buffer {
  const ls = lines(b);
  ls.splice(int(r, 0, ls.length), 0, line);
  return utf8(ls.join('\n'));
}

/** A billion-laughs document: each level refers to the previous one ten times. */
function aliasBomb(levels: number): string {
  const out = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) out.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return out.join('\n');
}

const MUTATIONS: Record<string, (b: Base, r: Rand) => Mutant> = {
  truncation: (b, r) => ({ name: b.name, kind: b.kind, bytes: b.bytes.subarray(0, int(r, 0, b.bytes.length)) }),
  'random bytes': (b, r) => {
    const bytes = Buffer.from(b.bytes);
    const n = int(r, 1, 24);
    for (let i = 0; i < n && bytes.length; i++) bytes[int(r, 0, bytes.length - 1)] = int(r, 0, 255);
    return { name: b.name, kind: b.kind, bytes };
  },
  'deep nesting': (b, r) => ({ name: b.name, kind: b.kind, bytes: insertLine(b, r, nest(b, r, pick(r, [500, 5000, 50000]))) }),
  'very long line': (b, r) => {
    const text = b.bytes.toString('utf8');
    const start = int(r, 0, Math.max(0, text.length - 40));
    const chunk = text.slice(start, start + int(r, 1, 40)).replace(/\n/g, ' ') || 'x';
    return { name: b.name, kind: b.kind, bytes: insertLine(b, r, chunk.repeat(Math.ceil(pick(r, [65536, 262144, 1048576]) / chunk.length))) };
  },
  'duplicate keys': (b, r) => {
    const ls = lines(b);
    const keyed = ls.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[-"]?\s*[\w.-]+"?\s*[:=]/.test(l));
    const times = int(r, 2, 200);
    for (let k = 0; k < 8 && keyed.length; k++) {
      const [line, i] = pick(r, keyed);
      ls.splice(i, 0, ...Array.from({ length: times }, () => line));
    }
    return { name: b.name, kind: b.kind, bytes: utf8(ls.join('\n')) };
  },
  'alias bomb': (b, r) => {
    const bomb = aliasBomb(int(r, 6, 12));
    const name = isYaml(b) ? b.name : 'bomb.yaml';
    const head = isYaml(b) ? `${b.bytes.toString('utf8')}\n---\n` : 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n';
    const inline = pick(r, [`data:\n  ${bomb.replace(/\n/g, '\n  ')}`, `${bomb}\ndata: *a${0}`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n${bomb}\ndata:\n  x: *a5`]);
    return { name, kind: 'kubernetes', bytes: utf8(head + inline) };
  },
  'binary named like the original': (b, r) => {
    const bytes = Buffer.alloc(int(r, 16, 65536));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(r, 0, 255);
    if (r() < 0.5) bytes[int(r, 0, bytes.length - 1)] = 0;
    else for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) bytes[i] = 1; // binary without NUL bytes
    return { name: pick(r, [b.name, 'Dockerfile']), kind: r() < 0.5 ? b.kind : 'dockerfile', bytes };
  },
  'non-UTF-8 text': (b, r) => {
    const bad = [Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0x80, 0x80])];
    if (r() < 0.3) return { name: b.name, kind: b.kind, bytes: Buffer.from(Buffer.from(b.bytes.toString('utf8'), 'latin1').map((c) => (c === 0x65 ? 0xe9 : c))) };
    const parts: Buffer[] = [];
    let at = 0;
    for (let k = int(r, 1, 10); k > 0; k--) {
      const next = int(r, at, b.bytes.length);
      parts.push(b.bytes.subarray(at, next), pick(r, bad));
      at = next;
    }
    parts.push(b.bytes.subarray(at));
    return { name: b.name, kind: b.kind, bytes: Buffer.concat(parts) };
  },
  BOM: (b, r) => ({ name: b.name, kind: b.kind, bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), r() < 0.2 ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), b.bytes]) }),
  CRLF: (b, r) => {
    const text = b.bytes.toString('utf8');
    const mode = pick(r, ['crlf', 'cr', 'mixed']);
    const out = mode === 'crlf' ? text.replace(/\r?\n/g, '\r\n') : mode === 'cr' ? text.replace(/\r?\n/g, '\r') : text.replace(/\n/g, () => pick(r, ['\n', '\r\n', '\r', '\r\r\n']));
    return { name: b.name, kind: b.kind, bytes: utf8(out) };
  },
  tabs: (b, r) => {
    const text = b.bytes.toString('utf8');
    const out = r() < 0.5 ? text.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)) : text.replace(/ /g, () => (r() < 0.1 ? '\t' : ' '));
    return { name: b.name, kind: b.kind, bytes: utf8(out) };
  },
  // Repeats one of the file's own tokens (or a known trigger) thousands of times: finds regexes that backtrack.
  'token flood': (b, r) => {
    const text = b.bytes.toString('utf8');
    const tokens = text.match(/[^\w\s]{1,3}|\w{1,8}[^\w\s]/g) ?? ['x'];
    const token = r() < 0.5 ? pick(r, tokens) : pick(r, ['{{', '${A-', '- [ ', '#', '"', "'", '\\\n', ': ', '&a ', '*a ', '<<', '\n', ' \n', '\t', '--', '`', '=', '[', '{']);
    return { name: b.name, kind: b.kind, bytes: insertLine(b, r, token.repeat(Math.ceil(pick(r, [20000, 200000]) / token.length))) };
  },
};

function collectBases(): Base[] {
  const bases: Base[] = [];
  const roots = [path.join(SHARED, 'corpus'), FIXTURES];
  const walk = (dir: string, root: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(abs, root);
        continue;
      }
      if (!entry.isFile() || statSync(abs).size > 512 * 1024) continue;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      // rule fixtures are audited under their base name; the name decides the kind (fail.Dockerfile, pass.yaml…)
      const name = path.basename(abs).replace(/^(pass|fail)[^.]*\./, '');
      const classified = classifyPath(name) ?? classifyPath(rel);
      if (!classified || classified === 'lockfile' || classified === 'checklist' || classified === 'config') continue;
      const bytes = readFileSync(abs);
      const text = bytes.toString('utf8');
      // Markdown files with task items: checklists a team keeps, linked to the rules as well as parsed
      if (classified === 'markdown' && !/^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]/m.test(text)) continue;
      let kind: FileKind;
      if (classified === 'maybeKubernetes') {
        if (!sniffKubernetes(text, name)) continue;
        kind = 'kubernetes';
      } else kind = classified;
      bases.push({ name: classifyPath(name) ? name : path.basename(abs), source: path.relative(path.dirname(SHARED), abs), bytes, kind });
    }
  };
  for (const root of roots) walk(root, root);
  return bases;
}

interface Tally {
  files: number;
  problems: number;
  located: number;
  findings: number;
  fixes: number;
  maxMs: number;
  totalMs: number;
}

interface Failure {
  kind: string;
  source: string;
  what: string;
}

/** Audits one mutated file the way a host does: decode (reporting bad UTF-8), parse, audit, fix, report. */
function auditMutant(m: Mutant, tally: Tally, reports = true): { failures: string[]; result?: AuditResult } {
  const first = auditOnce(m, tally, reports);
  if (first.ms <= HANG_MS) return first;
  // over the bound: time it once more, so a burst of load on a shared machine is not taken for a hang
  const again = auditOnce(m, { files: 0, problems: 0, located: 0, findings: 0, fixes: 0, maxMs: 0, totalMs: 0 });
  if (again.ms <= HANG_MS) return { ...first, failures: first.failures.filter((f) => !/^took \d+ ms/.test(f)) };
  return first;
}

function auditOnce(m: Mutant, tally: Tally, reports = true): { failures: string[]; result?: AuditResult; ms: number } {
  const failures: string[] = [];
  const start = performance.now();
  let result: AuditResult | undefined;
  try {
    const problems: Problem[] = [];
    const text = decode(m.bytes, m.name, problems);
    const engine = new Engine(builtinChecklists(), {}, '/repo');
    engine.upsert({ path: m.name, text, kind: m.kind });
    result = engine.audit({ problems });
    // a checklist is linked to the rules and reported, as `shipshape report --checklist-md` does
    if (m.kind === 'markdown') {
      for (const linked of linkMarkdownFiles([engine.file(m.name)!], result, engine.resolvedItems, [m.name])) {
        const report = reportFromMarkdown(linked, { generatedAt: 'test', tool: 'test' });
        if (reports) {
          toMarkdownReport(report);
          toHtmlReport(report);
        }
      }
    }
    let fixes = 0;
    // a fix re-parses its file before and after the edit (to refuse edits that break it): on the
    // megabyte-sized mutants that is the parse time again per fix, so fixes are tried on the smaller ones
    for (const f of m.bytes.length > FIX_MAX_BYTES ? [] : result.findings.filter((x) => x.fixable).slice(0, FIXES_PER_FILE)) {
      const out = computeFix(engine, f);
      if ('declined' in out && /fix failed/.test(out.declined)) failures.push(`fix ${f.ruleId} threw: ${out.declined}`);
      fixes++;
    }
    if (reports) {
      toTextReport(result, { color: false, verbose: true });
      toJsonReport(result, 'test');
      toSarif(result, engine.resolvedItems, 'test');
    }
    tally.fixes += fixes;
    tally.findings += result.findings.length;
    tally.problems += result.problems.length;
    const lineCount = text.split(/\r\n|\r|\n/).length;
    for (const p of result.problems) {
      if (/Internal error|failed on this file/.test(p.message)) failures.push(`internal error: ${p.message}`);
      if (p.range) {
        tally.located++;
        const { start: s, end: e } = p.range;
        if (!(s.line >= 0 && s.character >= 0 && e.line >= s.line && e.line <= lineCount)) failures.push(`problem range out of the file: ${JSON.stringify(p.range)} (${lineCount} lines): ${p.message}`);
      } else if (p.severity !== 'info') failures.push(`problem without a location: ${p.message}`);
    }
    for (const f of result.findings) if (f.range.start.line < 0 || f.range.end.line > lineCount) failures.push(`finding range out of the file: ${f.ruleId} ${JSON.stringify(f.range)}`);
    // what could not be audited says where, inside the file
    for (const u of result.unaudited) {
      const { start: s, end: e } = u.range;
      if (!(s.line >= 0 && s.character >= 0 && e.line >= s.line && e.line <= lineCount) || !u.reason) failures.push(`unaudited entry out of the file or without a reason: ${JSON.stringify(u.range)}: ${u.reason}`);
    }
    if (m.bytes.subarray(0, 8192).includes(0) && !result.unaudited.some((p) => /Binary/.test(p.reason) && p.range)) failures.push('a file with NUL bytes was not reported as binary');
    if (!isValidUtf8(m.bytes) && !result.problems.some((p) => /not valid UTF-8/.test(p.message))) failures.push('invalid UTF-8 was not reported');
  } catch (e) {
    failures.push(`threw: ${(e as Error)?.stack ?? String(e)}`);
  }
  const ms = performance.now() - start;
  tally.files++;
  tally.totalMs += ms;
  tally.maxMs = Math.max(tally.maxMs, ms);
  if (ms > HANG_MS) failures.push(`took ${Math.round(ms)} ms (hang detector: ${HANG_MS} ms)`);
  return { failures, result, ms };
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe(`mutation: damaged real files never crash or hang the engine (seed ${SEED})`, function () {
  // a hang detector, not a timing: its bound grows with the load, as the per-file bounds do
  this.timeout(180_000 * LOAD);
  const bases = collectBases();
  const tallies = new Map<string, Tally>();
  const failures: Failure[] = [];

  before(() => {
    // load the checklists and warm the parsers up, so the first file's time is its own
    for (const b of bases.slice(0, 20)) auditOnce({ name: b.name, kind: b.kind, bytes: b.bytes }, { files: 0, problems: 0, located: 0, findings: 0, fixes: 0, maxMs: 0, totalMs: 0 });
  });

  it('has real files to damage: corpus and fixtures of every kind', () => {
    const kinds = new Set(bases.map((b) => b.kind));
    for (const k of ['dockerfile', 'kubernetes', 'env', 'packageJson', 'markdown'] as const) assert.ok(kinds.has(k), `no ${k} base file`);
    assert.ok(bases.length >= 300, `${bases.length} base files`);
  });

  for (const [kind, mutate] of Object.entries(MUTATIONS)) {
    it(`${kind}: ${FILES_PER_KIND} files`, () => {
      const r = seededRandom(SEED ^ hash(kind));
      const tally: Tally = { files: 0, problems: 0, located: 0, findings: 0, fixes: 0, maxMs: 0, totalMs: 0 };
      tallies.set(kind, tally);
      // a stratified sample: every file kind gets its turn
      const byKind = new Map<FileKind, Base[]>();
      for (const b of bases) (byKind.get(b.kind) ?? byKind.set(b.kind, []).get(b.kind)!).push(b);
      const groups = [...byKind.values()];
      const mine: Failure[] = [];
      for (let i = 0; i < FILES_PER_KIND; i++) {
        const base = pick(r, groups[i % groups.length]);
        const mutant = mutate(base, r);
        const found = auditMutant(mutant, tally).failures;
        for (const what of found) mine.push({ kind, source: `${base.source} as ${mutant.name} (${mutant.kind}, ${mutant.bytes.length} bytes)`, what });
        if (found.length && DUMP) {
          mkdirSync(DUMP, { recursive: true });
          writeFileSync(path.join(DUMP, `${kind.replace(/\W+/g, '-')}-${i}-${mutant.kind}-${mutant.name}`), mutant.bytes);
        }
      }
      failures.push(...mine);
      assert.deepEqual(mine.map((f) => `${f.source}: ${f.what}`), []);
    });
  }

  it('a 10 MB YAML file of Kubernetes objects: audited within the bound (the engine has no size limit of its own)', () => {
    const doc = (i: number) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:${i}\n          env:\n            - name: MODE\n              value: "production"\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const d = doc(i);
      parts.push(d);
      size += d.length + 4;
    }
    const tally: Tally = { files: 0, problems: 0, located: 0, findings: 0, fixes: 0, maxMs: 0, totalMs: 0 };
    tallies.set('10 MB YAML', tally);
    // engine only: the reports of its 580,000 findings are tested in reliabilityOutput.test.ts (capped SARIF and text, streamed JSON)
    const { failures: f } = auditMutant({ name: 'huge.yaml', kind: 'kubernetes', bytes: utf8(parts.join('---\n')) }, tally, false);
    // Its time is judged below against its own bound, not the per-file hang bound, so only other failures count.
    const wrong = f.filter((x) => !/took \d+ ms/.test(x));
    failures.push(...wrong.map((what) => ({ kind: '10 MB YAML', source: 'generated', what })));
    assert.deepEqual(wrong, []);
    // A whole 10 MB manifest is read in one go only in the editor (the CLI skips it: maxFileSize, 2 MiB by
    // default, see reliabilityHost.test.ts); it gets a larger bound, still a hang detector: its 580,000
    // findings take about 25 s on a 2-core machine, and up to a third more when the machine is busy.
    assert.ok(tally.maxMs < 60_000 * LOAD, `${Math.round(tally.maxMs)} ms (bound ${Math.round(60_000 * LOAD)} ms at load ${os.loadavg()[0].toFixed(1)})`);
  });

  after(() => {
    const rows = [...tallies.entries()].map(([k, t]) => `  ${k.padEnd(32)} ${String(t.files).padStart(5)} ${String(t.problems).padStart(9)} ${String(t.located).padStart(8)} ${String(t.findings).padStart(9)} ${String(t.fixes).padStart(6)} ${String(Math.round(t.maxMs)).padStart(7)} ${String(Math.round(t.totalMs)).padStart(8)}`);
    const total = [...tallies.values()].reduce((a, t) => ({ files: a.files + t.files, ms: a.ms + t.totalMs }), { files: 0, ms: 0 });
    console.log(
      [
        `\n  mutation summary (seed ${SEED}, ${bases.length} base files, hang bound ${HANG_MS} ms per file at load ${os.loadavg()[0].toFixed(1)})`,
        `  ${'kind'.padEnd(32)} ${'files'.padStart(5)} ${'problems'.padStart(9)} ${'located'.padStart(8)} ${'findings'.padStart(9)} ${'fixes'.padStart(6)} ${'max ms'.padStart(7)} ${'total ms'.padStart(8)}`,
        ...rows,
        `  ${total.files} mutated files, ${Math.round(total.ms)} ms, ${failures.length} failure(s)`,
      ].join('\n'),
    );
  });
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
