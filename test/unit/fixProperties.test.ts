import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { diffLines } from 'diff';
import fc from 'fast-check';
import { Engine } from '../../src/engine/audit';
import { fixAll } from '../../src/engine/fixes/run';
import { strictProblem } from '../../src/engine/fixes/verify';
import type { FileKind } from '../../src/engine/model';
import { decodeText, encodeText, type DecodedText } from '../../src/node/textFile';
import { changedOutsideEdits, EditTracker } from './byteTracking';
import { builtinChecklists, kindOf, SHARED } from './helpers';

/**
 * Random combinations of the offered fixes, applied to real files of the shared corpus and conformance
 * suites and to variants of them (byte order mark, CRLF, Latin-1 text, `key: # comment`, `|+` block
 * scalars, merge keys, duplicate keys, empty maps): the result parses strictly, keeps every line the fixes
 * did not edit, and every byte outside the edited ranges (each file is read from bytes and written back as the
 * CLI host does, so a byte order mark, CRLF and Latin-1 text are compared byte for byte), re-audits without
 * the fixed findings, and a second run changes nothing.
 * A fixed seed and a bounded number of runs keep it reproducible and quick.
 */

const MAX_SIZE = 12_000;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

interface Sample {
  name: string;
  text: string;
  kind: FileKind;
}

function samples(): Sample[] {
  const out: Sample[] = [];
  for (const root of ['corpus', 'conformance'].map((d) => path.join(SHARED, d))) {
    for (const abs of walk(root)) {
      if (statSync(abs).size > MAX_SIZE || /robustness/.test(abs)) continue;
      const base = path.basename(abs);
      const name = /Dockerfile$/.test(base) ? 'Dockerfile' : base === 'package.json' ? 'package.json' : /\.(ya?ml|json)$/.test(base) ? `manifest${path.extname(base)}` : undefined;
      if (!name) continue;
      const text = readFileSync(abs, 'utf8');
      const kind = kindOf(name, text);
      if (kind === 'kubernetes' || kind === 'dockerfile' || kind === 'packageJson') out.push({ name, text, kind });
    }
  }
  return out;
}

const IMAGE_LINE = /^( *)(- )?image: .*$/m;

/** After the first container's image line, at its key column. */
function afterImage(text: string, lines: (indent: string) => string[]): string | undefined {
  const m = IMAGE_LINE.exec(text);
  if (!m) return undefined;
  const indent = ' '.repeat(m[1].length + (m[2] ? 2 : 0));
  const end = m.index + m[0].length;
  return text.slice(0, end) + '\n' + lines(indent).join('\n') + text.slice(end);
}

const VARIANTS: Record<string, (s: Sample) => string | undefined> = {
  plain: (s) => s.text,
  bom: (s) => '\uFEFF' + s.text,
  /** A byte order mark the host did not strip (an editor buffer that keeps it): an ordinary first character. */
  bomInText: (s) => '\uFEFF' + s.text,
  crlf: (s) => (s.text.includes('\r') ? undefined : s.text.replace(/\n/g, '\r\n')),
  latin1: (s) => (s.name.endsWith('.json') || s.kind === 'packageJson' ? undefined : `# caf\u00e9 \u00ab\u00bb \u00ff\n${s.text}`),
  keyComment: (s) => (s.name.endsWith('.json') ? undefined : afterImage(s.text, (i) => [`${i}livenessProbe: # later`, `${i}securityContext:`, `${i}  allowPrivilegeEscalation: # harden later`])),
  keepChomping: (s) => (s.name.endsWith('.json') ? undefined : afterImage(s.text, (i) => [`${i}args:`, `${i}  - |+`, `${i}    keep`, '', ''])),
  mergeKey: (s) => (s.name.endsWith('.json') ? undefined : afterImage(s.text, (i) => [`${i}<<: {stdin: false}`])),
  duplicateKey: (s) => (s.name.endsWith('.json') ? undefined : afterImage(s.text, (i) => [`${i}image: duplicate:1`])),
  emptyMaps: (s) => {
    if (!s.name.endsWith('.json')) return afterImage(s.text, (i) => [`${i}resources: {}`]);
    if (s.kind === 'packageJson') return s.text.replace(/"scripts"\s*:\s*\{[^}]*\}/, '"scripts": {}');
    return s.text.replace(/("image"\s*:\s*"[^"]*")/, '$1, "resources": {}, "securityContext": {}');
  },
};

function engineOf(name: string, text: string, kind: FileKind): Engine {
  const engine = new Engine(builtinChecklists());
  engine.upsert({ path: name, text, kind });
  return engine;
}

/** Every line the fixes removed comes back edited in place (its indentation and key kept): a fix never deletes content. */
function linesKept(before: string, after: string): string | undefined {
  const parts = diffLines(before, after);
  for (let i = 0; i < parts.length; i++) {
    if (!parts[i].removed) continue;
    const added = parts[i + 1]?.added ? parts[i + 1].value.split(/\r?\n/) : [];
    for (const line of parts[i].value.split(/\r?\n/).filter((l) => l.trim())) {
      const head = /^[ \t-]*[^ \t:=]*/.exec(line)![0];
      if (!added.some((a) => a.startsWith(head))) return `line removed: ${JSON.stringify(line)}`;
    }
  }
  const count = (t: string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const c of t) if (c.charCodeAt(0) > 0x7f) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  };
  const now = count(after);
  for (const [c, n] of count(before)) if ((now.get(c) ?? 0) < n) return `character ${JSON.stringify(c)} lost`;
  return undefined;
}

describe('fix properties over the shared corpus (random combinations of fixes, file variants)', function () {
  this.timeout(300000);
  const all = samples();

  it('finds files to work on', () => {
    assert.ok(all.length > 50, `only ${all.length} files`);
  });

  it('the byte comparison sees a byte changed outside the edits, a lost byte order mark and a re-encoded Latin-1 byte', () => {
    const original = 'caf\u00e9: 1\r\nb: 2\r\n';
    const edit = { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'a: 0\r\n' };
    const tracked = (): EditTracker => {
      const t = new EditTracker(original);
      t.apply([edit]);
      return t;
    };
    const after = tracked().text;
    const latin1 = { encoding: 'latin1', bom: false } as const;
    const bom = { encoding: 'utf8', bom: true } as const;
    assert.equal(changedOutsideEdits(tracked(), Buffer.from(original, 'latin1'), latin1, Buffer.from(after, 'latin1'), after), undefined);
    assert.match(changedOutsideEdits(tracked(), Buffer.from(original, 'latin1'), latin1, Buffer.from(after.replace('b: 2', 'b: 3'), 'latin1'), after) ?? '', /changed/);
    assert.match(changedOutsideEdits(tracked(), Buffer.from(original, 'latin1'), latin1, Buffer.from(after, 'utf8'), after) ?? '', /changed/);
    const withBom = (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]);
    assert.equal(changedOutsideEdits(tracked(), withBom(original), bom, encodeText(after, bom)!, after), undefined);
    assert.match(changedOutsideEdits(tracked(), withBom(original), bom, Buffer.from(after, 'utf8'), after) ?? '', /byte order mark/);
  });

  it('strict parse after, lines and bytes outside edits kept, fixed findings gone, idempotent', () => {
    const stats = { runs: 0, changed: 0, applied: 0, declined: 0, bytes: 0 };
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.constantFrom(...Object.keys(VARIANTS)), fc.infiniteStream(fc.boolean()), (i, variant, picks) => {
        const s = all[i];
        const variantText = VARIANTS[variant](s);
        if (variantText === undefined || (variantText === s.text && variant !== 'plain')) return;
        if (variant === 'latin1' && [...variantText].some((c) => c.charCodeAt(0) > 0xff)) return;
        // the file's bytes, read as the CLI host reads them (a byte order mark remembered, not-UTF-8 text as Latin-1)
        const bytes = Buffer.from(variantText, variant === 'latin1' ? 'latin1' : 'utf8');
        const decoded: DecodedText = variant === 'bomInText' ? { text: variantText, encoding: 'utf8', bom: false } : decodeText(bytes);
        const text = decoded.text;
        if (variant === 'latin1') assert.equal(decoded.encoding, 'latin1');
        const kind = kindOf(s.name, text);
        if (!kind) return;
        stats.runs++;
        const engine = engineOf(s.name, text, kind);
        const findings = engine.audit().findings;
        const offered = [...new Set(findings.filter((f) => f.fixable).map((f) => f.ruleId))].sort();
        const it = picks[Symbol.iterator]();
        const rules = new Set(offered.filter(() => it.next().value));
        if (!rules.size) return;
        const tracker = new EditTracker(text);
        const r = fixAll(engine, { rules, keep: true, onEdits: (file, edits) => file === s.name && tracker.apply(edits) });
        stats.applied += r.applied.length;
        stats.declined += r.declined.length;
        const after = r.files.get(s.name)?.after;
        if (after === undefined) return;
        stats.changed++;
        const where = `${s.name} (${variant}, rules ${[...rules].join(', ')})`;
        assert.equal(strictProblem(s.name, after, kind), undefined, `${where}: does not parse strictly`);
        assert.equal(strictProblem(s.name, text, kind), undefined, `${where}: a file that did not parse strictly was changed`);
        const lost = linesKept(text, after);
        assert.equal(lost, undefined, `${where}: ${lost}`);
        if (variant === 'crlf') assert.ok(!/[^\r]\n/.test(after), `${where}: a bare LF in a CRLF file`);
        // byte for byte: the recorded edits give the fixed text, and every byte outside them is written back as it was
        assert.equal(tracker.text, after, `${where}: the fixed text is not the result of its edits`);
        const written = encodeText(after, decoded);
        assert.ok(written, `${where}: not writable in its encoding (${decoded.encoding})`);
        const changed = changedOutsideEdits(tracker, bytes, decoded, written, after);
        assert.equal(changed, undefined, `${where}: ${changed}`);
        stats.bytes += bytes.length;
        // every finding of the chosen rules is fixed, or its fix was declined with a reason
        const declinedRules = new Set(r.declined.map((d) => d.ruleId));
        for (const f of engine.audit().findings) {
          if (rules.has(f.ruleId) && f.fixable) assert.ok(declinedRules.has(f.ruleId), `${where}: ${f.ruleId} still found after fixing (${f.message})`);
        }
        assert.equal(fixAll(engine, { rules, keep: true }).files.size, 0, `${where}: a second run changed the file`);
      }),
      { seed: 20261206, numRuns: 200, endOnFailure: true },
    );
    console.log(`      ${stats.runs} runs, ${stats.changed} files changed (${stats.bytes} bytes read and compared outside the edits), ${stats.applied} fixes applied, ${stats.declined} declined`);
    assert.ok(stats.changed > 10, `the property ran on too few changed files (${stats.changed})`);
  });
});
