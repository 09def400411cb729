// Usage: npx tsx scripts/hadolintCases.ts <hadolint checkout> [--onbuild] [--misses] [DLxxxx]
// Runs the Dockerfile rules on the cases of hadolint's own test specs (test/Hadolint/Rule/DL*Spec.hs) and prints how
// many agree, per hadolint rule aliased by a built-in item. hadolint is GPL-licensed: its cases are read from a checkout
// given here and never copied into this repository. Specs that set a configuration (allowed registries, label schemas)
// are left out; `--onbuild` runs the cases hadolint also runs with each RUN written as ONBUILD RUN.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../src/engine/audit';
import { loadBuiltinChecklists } from '../src/node/host';

interface Case {
  code: string;
  expect: 'pass' | 'fail';
  onbuild: boolean;
  text: string;
}

type Token = { t: 'str' | 'id' | 'op'; v: string };

/** Haskell tokens enough for the specs: string literals (escapes and gaps), names and a few operators. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (src.startsWith('--', i)) i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (src.startsWith('{-', i)) i = src.indexOf('-}', i) < 0 ? src.length : src.indexOf('-}', i) + 2;
    else if (/\s/.test(c)) i++;
    else if (c === '"') {
      let s = '';
      for (i++; i < src.length && src[i] !== '"'; ) {
        if (src[i] !== '\\') {
          s += src[i++];
          continue;
        }
        const n = src[i + 1];
        if (/\s/.test(n)) i = src.indexOf('\\', i + 1) + 1; // a string gap: backslash, white space, backslash
        else if (/\d/.test(n)) {
          const d = /^\d+/.exec(src.slice(i + 1))![0];
          s += String.fromCharCode(Number(d));
          i += 1 + d.length;
        } else {
          s += ({ n: '\n', t: '\t', r: '\r', '&': '' } as Record<string, string>)[n] ?? n;
          i += 2;
        }
      }
      i++;
      out.push({ t: 'str', v: s });
    } else {
      const m = /^[A-Za-z_][\w'.]*|^(<>|\+\+|\$|\[|\]|,|\(|\)|=)/.exec(src.slice(i, i + 80));
      out.push({ t: m && /^[A-Za-z_]/.test(m[0]) ? 'id' : 'op', v: m ? m[0] : c });
      i += m ? m[0].length : 1;
    }
  }
  return out;
}

type Value = string | string[] | undefined;

/** A spec's expression for a Dockerfile: a string, a list, `Text.unlines` of one, a name bound earlier, joined with `<>`. */
function expression(toks: Token[], k: number, names: Map<string, Value>): [Value, number] {
  const t = toks[k];
  if (!t) return [undefined, k];
  if (t.v === '$') return expression(toks, k + 1, names);
  let value: Value;
  let next = k + 1;
  if (t.v === '(') {
    [value, next] = expression(toks, k + 1, names);
    if (toks[next]?.v === ')') next++;
  } else if (t.t === 'str') value = t.v;
  else if (t.v === '[') {
    const list: string[] = [];
    for (; toks[next] && toks[next].v !== ']'; next++) {
      if (toks[next].v === ',') continue;
      const [item, after] = expression(toks, next, names);
      if (typeof item !== 'string') return [undefined, after];
      list.push(item);
      next = after - 1;
    }
    value = list;
    next++;
  } else if (/^(Text\.)?unlines$/.test(t.v)) {
    const [list, after] = expression(toks, k + 1, names);
    value = Array.isArray(list) ? list.map((l) => `${l}\n`).join('') : undefined;
    next = after;
  } else if (t.t === 'id' && names.has(t.v)) value = names.get(t.v);
  while ((toks[next]?.v === '<>' || toks[next]?.v === '++') && typeof value === 'string') {
    const [more, after] = expression(toks, next + 1, names);
    value = typeof more === 'string' ? value + more : undefined;
    next = after;
  }
  return [value, next];
}

function casesOf(src: string): Case[] {
  const toks = tokenize(src);
  const names = new Map<string, Value>();
  const cases: Case[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.t === 'id' && toks[k + 1]?.v === '=' && toks[k - 1]?.v !== '?') names.set(t.v, expression(toks, k + 2, names)[0]);
    const m = /^(onBuild)?(ruleCatches|RuleCatches)(Not)?$/.exec(t.v);
    if (!m || toks[k + 1]?.t !== 'str' || !/^DL\d+$/.test(toks[k + 1].v)) continue;
    const [text] = expression(toks, k + 2, names);
    if (typeof text === 'string') cases.push({ code: toks[k + 1].v, expect: m[3] ? 'pass' : 'fail', onbuild: !!m[1], text });
  }
  return cases;
}

function main(): void {
  const [root, ...flags] = process.argv.slice(2);
  if (!root) throw new Error('usage: npx tsx scripts/hadolintCases.ts <hadolint checkout> [--onbuild] [--misses] [DLxxxx]');
  const onbuild = flags.includes('--onbuild');
  const only = flags.find((f) => /^DL\d+$/.test(f));
  const specs = path.join(root, 'test', 'Hadolint', 'Rule');
  const { checklists } = loadBuiltinChecklists(path.resolve(__dirname, '..', 'checklists'));
  const docker = checklists.filter((c) => c.id === 'dockerfile');
  const rules = new Map<string, string[]>();
  for (const item of docker.flatMap((c) => c.sections.flatMap((s) => s.items))) {
    for (const a of item.aliases ?? []) if (a.startsWith('hadolint:')) rules.set(a.slice(9), [...(rules.get(a.slice(9)) ?? []), item.id]);
  }
  const tally = new Map<string, { agree: number; all: number }>();
  for (const spec of readdirSync(specs).filter((f) => /^DL\d+Spec\.hs$/.test(f)).sort()) {
    const src = readFileSync(path.join(specs, spec), 'utf8');
    if (/\?config\s*=\s*def\s*\{|\?config\s*=\s*\n/.test(src)) continue; // a configured rule
    for (const c of casesOf(src)) {
      const ids = rules.get(c.code);
      if (!ids || c.onbuild !== onbuild || (only && c.code !== only)) continue;
      // hadolint judges instructions without a FROM too; a stage is given to them here
      const body = onbuild ? c.text.replace(/^RUN /gm, 'ONBUILD RUN ') : c.text;
      const text = /^\s*FROM\b/im.test(body) ? body : `FROM debian:12\n${body}`;
      const engine = new Engine(docker);
      engine.upsert({ path: 'Dockerfile', kind: 'dockerfile', text });
      const found = engine.audit().findings.filter((f) => ids.includes(f.ruleId));
      const agree = (c.expect === 'fail') === found.length > 0;
      const row = tally.get(c.code) ?? { agree: 0, all: 0 };
      row.all++;
      if (agree) row.agree++;
      tally.set(c.code, row);
      if (!agree && flags.includes('--misses')) console.log(`--- ${c.code} expects ${c.expect} (${ids.join(', ')})\n${text}${found.map((f) => `  > ${f.message}\n`).join('')}`);
    }
  }
  const rows = [...tally].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const sum = (k: 'agree' | 'all') => rows.reduce((n, [, r]) => n + r[k], 0);
  console.log(`${sum('agree')} of ${sum('all')} cases agree${onbuild ? ' (RUN written as ONBUILD RUN)' : ''}`);
  for (const [code, r] of rows) if (r.agree < r.all) console.log(`  ${code} (${rules.get(code)!.join(', ')}): ${r.agree} of ${r.all}`);
}

main();
