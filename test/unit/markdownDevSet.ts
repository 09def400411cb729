import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveItems, type ResolvedItem } from '../../src/engine/audit';
import { defaultChecklists, type Checklist } from '../../src/engine/checklist/schema';
import { linkChecklist, targetsOf } from '../../src/engine/markdown/link';
import type { LinkTarget } from '../../src/engine/markdown/match';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';

/**
 * Scores the Markdown linker on the labelled public checklists of test/fixtures/markdown-dev: each part
 * (dev, dev2, …, validation15) holds checklists and a labels.tsv written before the linker was run on them.
 * A label is the rule ids a line should link to (any of them is a right link), `manual` (an operational
 * fact a person attests) or `none` (about the repository, but no rule checks it).
 */

export const DEV_SET = path.resolve(__dirname, '..', 'fixtures', 'markdown-dev');

export interface LineResult {
  file: string;
  text: string;
  expected: string[] | 'manual' | 'none';
  /** Links to automated and evidence rules (a link to a manual item claims no check). */
  links: { id: string; mode: string; reason: string }[];
}

export interface Scores {
  /** Lines with a rule label. */
  checkable: number;
  /** Checkable lines with at least one right link. */
  found: number;
  /** Links to automated or evidence rules. */
  links: number;
  /** Of those, links to a rule the label names. */
  right: number;
  /** Lines labelled manual or none. */
  uncheckable: number;
  /** Of those, lines given a link to an automated rule. */
  falselyAutomated: number;
  recall: number;
  precision: number;
  falseAutomatedRate: number;
}

function readLabels(dir: string): Map<string, Map<string, LineResult['expected']>> {
  const byFile = new Map<string, Map<string, LineResult['expected']>>();
  for (const line of readFileSync(path.join(dir, 'labels.tsv'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [file, text, label] = line.split('\t');
    const expected = label === 'manual' || label === 'none' ? label : label.split(/\s+/).filter(Boolean);
    if (!byFile.has(file)) byFile.set(file, new Map());
    byFile.get(file)!.set(text, expected);
  }
  return byFile;
}

/**
 * The labelled parts: `dev` to `dev7` (the first four sets, tuned on; dev4 to dev7 were held out until the fifth
 * set replaced them), `dev8` (tuned on, added with the ninth set), `validation5` to `validation10` (the fifth to the tenth
 * set, each held out as a whole; validation5 and validation6 tuned on since the eighth set was added), and the eleventh
 * set split by checklist into `dev9` (tuned on) and `validation11` (held out), the twelfth set `validation12` (held out),
 * the thirteenth set split by checklist into `dev10` (tuned on) and `validation13` (held out), the fourteenth set
 * split by checklist into `dev11` (tuned on) and `validation14` (held out), and the fifteenth set split by checklist
 * into `dev12` (tuned on) and `validation15` (held out).
 */
export const PARTS = ['dev', 'dev2', 'dev3', 'dev4', 'dev5', 'dev6', 'dev7', 'dev8', 'dev9', 'validation5', 'validation6', 'validation7', 'validation8', 'validation9', 'validation10', 'validation11', 'validation12', 'dev10', 'validation13', 'dev11', 'validation14', 'dev12', 'validation15'] as const;
export type Part = (typeof PARTS)[number];

/** Every labelled line of a part with the links the linker gives it against these checklists. */
export function linkPart(part: Part, checklists: readonly Checklist[], extra: readonly LinkTarget[] = []): LineResult[] {
  const dir = path.join(DEV_SET, part);
  const labels = readLabels(dir);
  const resolved: ResolvedItem[] = resolveItems(checklists).items;
  // Rules added to the catalogue as link targets (a test of what one more rule changes).
  const items = extra.length ? [...targetsOf(resolved), ...extra] : resolved;
  const inUse = new Set([...resolved.map((r) => r.item.id), ...extra.map((t) => t.id)]);
  const out: LineResult[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
    const { model } = parseMarkdownChecklist(readFileSync(path.join(dir, file), 'utf8'), file);
    const linked = linkChecklist({ path: file, model }, undefined, items);
    const fileLabels = labels.get(file) ?? new Map();
    for (const item of linked.items) {
      const expected = fileLabels.get(item.text);
      if (expected === undefined) throw new Error(`${part}/${file}: no label for "${item.text}"`);
      out.push({ file, text: item.text, expected: scoredLabel(expected, inUse), links: item.links.filter((l) => l.mode !== 'manual').map((l) => ({ id: l.id, mode: l.mode, reason: l.reason })) });
    }
  }
  return out;
}

/**
 * A label as the checklists being scored can meet it: the rules it names that are in use. A line whose rules are all
 * off in these checklists (opt-in rules, such as `k8s.secrets.mounted-as-files`, that a default scan leaves out) is
 * scored as `none`: no rule in use checks it, so no link can find it and an automated link to another rule is false.
 */
function scoredLabel(label: LineResult['expected'], inUse: ReadonlySet<string>): LineResult['expected'] {
  if (!Array.isArray(label)) return label;
  const kept = label.filter((id) => inUse.has(id));
  return kept.length ? kept : 'none';
}

export function score(lines: readonly LineResult[]): Scores {
  const s = { checkable: 0, found: 0, links: 0, right: 0, uncheckable: 0, falselyAutomated: 0 };
  for (const l of lines) {
    const expected = Array.isArray(l.expected) ? l.expected : [];
    const right = l.links.filter((k) => expected.includes(k.id)).length;
    s.links += l.links.length;
    s.right += right;
    if (Array.isArray(l.expected)) {
      s.checkable++;
      if (right > 0) s.found++;
    } else {
      s.uncheckable++;
      if (l.links.some((k) => k.mode === 'auto')) s.falselyAutomated++;
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return { ...s, recall: ratio(s.found, s.checkable), precision: ratio(s.right, s.links), falseAutomatedRate: ratio(s.falselyAutomated, s.uncheckable) };
}

/** The built-in checklists a scan uses by default, or with the opt-in operations checklist (manual items in the seeds' wording) too. */
export function builtinSet(checklists: readonly Checklist[], operations: boolean): Checklist[] {
  return defaultChecklists(checklists, { operations });
}
