import type { ChecklistItem } from '../checklist/schema';
import { onFirstUse } from '../onFirstUse';
import { lexiconPhrases, propertyEntry, readProperties, tokens, type Polarity } from './conceptRead';
import { paramPhrasings } from './ruleTerms';

/**
 * A rule's concept, read from its own data: the property it asserts (from its id, else its title, else the fields
 * it reads), the subject it applies to (from its id and checklist), and which way round the good state is:
 * presence ("has a memory limit") or absence ("no privilege escalation", "not root"). A `concept:` in the rule's
 * data overrides what is read, for the few rules where the reading is wrong (docs/markdown-checklists.md lists them).
 */
export interface RuleConcept {
  property: string;
  /** Every property it asserts: {@link property} and, for a compound title, the others. */
  properties: string[];
  /** The property is one of the lexicon's (lexicon.ts), so lines in other words can name it. */
  lexical: boolean;
  subject: string;
  polarity: Polarity;
  /** Words of the rule's id the property does not explain ("port" in `k8s.probes.liveness-port`): a line must say them too. */
  qualifiers: string[];
  source: 'concept' | 'id' | 'title' | 'fields' | 'id words';
}

/** What a rule's `concept:` may set. */
export type ConceptOverride = NonNullable<ChecklistItem['concept']>;

/** Id words that name the subject, a state or a quantity rather than the property (stemmed on first use). */
const NOT_QUALIFIER_WORDS =
  'k8s kubernetes docker dockerfile compose env repo ci scripts script package deps dependencies app pod pods container containers image images security resources resource present exists exist enabled configured set declared defined min max all every only any file files confirmed no not non never without the and of in as to run use have has apt cmd shell expose rbac bind binding gitignore ts sdk monitoring logging resilience';
const notQualifiers = onFirstUse(() => new Set(NOT_QUALIFIER_WORDS.split(' ').flatMap((w) => tokens(w, false).map((t) => t.stem))));
const isNotQualifier = (stem: string): boolean => notQualifiers().has(stem);

const SUBJECTS: [RegExp, string][] = [
  [/^k8s\.(service|ingress)\./, 'Service or Ingress'],
  [/^k8s\.rbac\b/, 'RBAC role or binding'],
  [/^k8s\.networkpolicy\b/, 'NetworkPolicy'],
  [/^k8s\./, 'container or pod'],
  [/^docker\.|^repo\.dockerignore$/, 'image or Dockerfile'],
  [/^compose\./, 'compose service'],
  [/^env\./, 'env file'],
  [/^repo\./, 'repository'],
  [/^ci\./, 'CI workflow'],
  [/^(scripts|package|deps|tests|ts)\./, 'package.json'],
];

/** The subject a rule applies to, from its id. */
export function subjectOf(id: string): string {
  return SUBJECTS.find(([re]) => re.test(id))?.[1] ?? 'application';
}

/** The check parameters say the good state is an absence ("forbidden", "must be absent", "not one of", "expect false"). */
function absentByTemplate(item: ChecklistItem): boolean {
  const params = JSON.stringify(item.with ?? {});
  return /"(?:absent|notOneOf|notPattern|notMatching|keysNotMatching|forbidden\w*)"|"expect":false/.test(params) || /forbidden|absent/.test(item.check ?? '');
}

/** The lexicon property the id's words name (order-free): the phrase nearest the id's end (its finest segment), then the longest. */
function fromId(words: readonly string[]): { property: string; stems: Set<string> } | undefined {
  const have = new Set(words);
  let best: { property: string; size: number; last: number; stems: Set<string> } | undefined;
  for (const m of phraseMatchesAnyOrder(words)) {
    const size = m.stems.length;
    const last = Math.max(...m.stems.map((s) => words.lastIndexOf(s)));
    if (!best || last > best.last || (last === best.last && size > best.size)) best = { property: m.property, size, last, stems: new Set(m.stems) };
  }
  return best && [...best.stems].every((s) => have.has(s)) ? { property: best.property, stems: best.stems } : undefined;
}

/** Lexicon phrases (of properties that are not families) all of whose words the id has. */
function phraseMatchesAnyOrder(words: readonly string[]): { property: string; stems: string[] }[] {
  const have = new Set(words);
  const out: { property: string; stems: string[] }[] = [];
  for (const m of phrasesByEntry()) if (!m.family && m.stems.every((s) => have.has(s))) out.push({ property: m.property, stems: m.stems });
  return out;
}

/** Small words an id leaves out ("secrets env arg" for "secrets in ENV or ARG"). */
const ID_SKIPS = new Set('a an the and or of to in on for with as by from'.split(' '));
/** The lexicon's phrases without the small words, with their property (made on first use). */
const phrasesByEntry = onFirstUse(() => lexiconPhrases().map((p) => ({ property: p.entry.property, family: !!p.entry.family, stems: p.stems.filter((s) => !ID_SKIPS.has(s)) })).filter((p) => p.stems.length > 0));

/** The concept of a rule with a check: its `concept:` where given, else read from its id, title and check parameters. */
export function ruleConcept(item: ChecklistItem): RuleConcept {
  const idWords = item.id.replace(/[.-]/g, ' ');
  const idStems = tokens(idWords, false).map((t) => t.stem);
  const override = item.concept;
  let properties: string[];
  let source: RuleConcept['source'] = 'id words';
  const id = fromId(idStems);
  if (override?.property) {
    properties = [override.property];
    source = 'concept';
  } else if (id) {
    properties = [id.property];
    source = 'id';
  } else {
    // A title may assert several ("Production compose services set memory and CPU limits").
    const titled = readProperties(item.title).map((m) => m.property);
    const fields = titled.length ? [] : paramPhrasings(item.with).flatMap((p) => readProperties(p, { markdown: false }).map((m) => m.property));
    properties = [...new Set(titled.length ? titled : fields)];
    if (properties.length) source = titled.length ? 'title' : 'fields';
  }
  const lexical = properties.length > 0 && properties.every((p) => propertyEntry(p) !== undefined);
  const explained = new Set(properties.flatMap(lexiconStems));
  const qualifiers = source === 'concept' || !lexical ? [] : [...new Set(idStems.filter((s) => !explained.has(s) && !isNotQualifier(s)))];
  const property = properties[0] ?? item.id.split('.').slice(1).join(' ').replace(/-/g, ' ');
  return {
    property,
    properties: properties.length ? properties : [property],
    lexical,
    subject: override?.subject ?? subjectOf(item.id),
    polarity: override?.polarity ?? polarityOf(item, property, idWords),
    qualifiers,
    source,
  };
}

/** The stems of every phrase of a property. */
function lexiconStems(property: string): string[] {
  const entry = propertyEntry(property);
  if (!entry) return [];
  return [...entry.says, ...(entry.opposite ?? []), ...(entry.loose ?? [])].flatMap((p) => tokens(p, false).map((t) => t.stem));
}

/** Which way round the good state is: as the title says it, else as the id says it, else as the check's parameters say. */
function polarityOf(item: ChecklistItem, property: string, idWords: string): Polarity {
  // An id that says "no-", "not-" or "non-" (`docker.copy-not-add`) says it on purpose.
  const inId = readProperties(idWords, { caseless: true, markdown: false }).find((m) => m.property === property);
  if (inId?.polarity === 'absence') return 'absence';
  const said = readProperties(item.title).find((m) => m.property === property);
  if (said && said.polarity !== 'any') return said.polarity;
  return absentByTemplate(item) ? 'absence' : 'presence';
}
