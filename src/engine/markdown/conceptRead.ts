import { onFirstUse } from '../onFirstUse';
import { plainText } from '../parse/markdownText';
import { PROPERTIES, type PropertyEntry } from './lexicon';
import { asksTask } from './lineReading';
import { splitIdentifiers, stemWord, UN_PARTICIPLE } from './normalize';

/**
 * Reads a text (a checklist line, or a rule's id or title) into the properties it asserts, each one way round:
 * present ("Set memory limits", "Run as non-root": the root user absent) or absent ("Never run as root", "No
 * latest tag": the latest tag absent, so the version pinned). A negation word before a property in the same
 * clause ("never", "no", "avoid", "prevent", "don't", "disable", "without") or a "false"/"disabled" after it flips
 * it; a question ("Are you running any containers as root?") asserts neither way.
 */

export type Polarity = 'presence' | 'absence';

export interface PropertyMention {
  property: string;
  /** The state the text asserts; `any` for a question. */
  polarity: Polarity | 'any';
  /** The words that said it, as written in the lexicon. */
  via: string;
  /** Said only in words that do not name it on their own (the entry's `loose` words). */
  loose: boolean;
  /** The wider property the line named, when it is read as one of its family ("least-privilege RBAC"). */
  family?: string;
  /** Asserted the way the rules about it want it (a member of a family such as a hardened security context): `polarity` is not its state. */
  good?: boolean;
}

export interface LineConcepts {
  properties: PropertyMention[];
  /** The line asks a person to do something (run a drill, verify a restore), or states a runtime outcome. */
  activity: boolean;
  /** The stems of the line's words. */
  words: Set<string>;
}

interface Token {
  stem: string;
  upper: boolean;
  /** A clause boundary (punctuation, "but", "unless"). */
  boundary: boolean;
}

/** Words that may sit between the words of a property ("CPU and memory requests and limits"): fillers and conjunctions. */
const GAP_WORDS = new Set(
  'a an the and or of to in on for with all any each every its their your our is are be been being has have set its other both either also file files'.split(' ').map(stemWord),
);
const NEGATORS = new Set('no not non never avoid prevent disabl disallow forbid without deni block drop remov instead rather elimin nor stop clean clear purg delet strip exclud omit'.split(' '));
const AFTER_NEGATORS = new Set('fals disabl off forbidden prohibit block remov drop deni not'.split(' '));
/** Words after a property that end what can negate it ("git-ignored and not committed"). */
const AFTER_STOPS = new Set(['and', 'or']);
const DEFECTS = new Set('error warn issu failur vulner problem find violat bug'.split(' '));
const CONJUNCTIONS = new Set(['and', 'or', 'nor']);
const BOUNDARY_WORDS = new Set(['but', 'unless', 'except', 'however', 'while', 'whereas']);
/** How many words may separate two words of one phrase. */
const MAX_GAP = 6;

/** Ways of writing one word that the stemmer keeps apart. */
const FOLD: [RegExp, string][] = [
  [/\b(?:environment|env)[ -](?:variables?|vars?)\b/gi, 'env var'],
  [/\bk8s\b/gi, 'kubernetes'],
  [/\bdeps\b/gi, 'dependencies'],
  [/\b(?:db|postgres(?:ql)?)\b/gi, 'database'],
  [/n't\b/gi, ' not'],
  // "limits/requests" coordinates two words as "limits or requests" does.
  [/(?<=[A-Za-z])\/(?=[A-Za-z])/g, ' or '],
  [/\bcannot\b/gi, 'can not'],
  UN_PARTICIPLE,
  // ":latest", and "latest" right after a negation, name the tag ("never latest"); "the latest security releases" does not.
  [/:latest\b|\b(?<=(?:no|not|never|avoid|without)\s+)latest\b(?!\s+(?:image|base|tag))/gi, 'latest tag'],
];

const UNSTEMMED = new Set(['liveness', 'managed']);
/**
 * A word's stem (the normaliser's, cached there), but "liveness" is not "live" ("go live", "live mode"), and
 * "managed" says how something is handled, not that a manager does it ("secrets managed properly").
 */
function stemOf(word: string): string {
  return UNSTEMMED.has(word) ? word : stemWord(word);
}

/** A text as words: Markdown removed, `camelCase` fields split, `:latest` read as "latest", punctuation kept as clause boundaries. */
export function tokens(text: string, markdown = true): Token[] {
  let t = splitIdentifiers(markdown ? plainText(text) : text);
  for (const [re, to] of FOLD) t = t.replace(re, to);
  // "image:tag" and ":latest" are one name, "Security: no root" ends a clause; "field: false" goes on.
  t = t.replace(/:(?=[A-Za-z0-9])/g, ' ').replace(/:\s+(?=[A-Z])/g, ' . ');
  const out: Token[] = [];
  // A dot ends a clause only before a space (".env", "e.g" and "1.2" go on).
  for (const m of t.matchAll(/[A-Za-z0-9]+|\.(?=\s|$)|[;!?()[\]{},:]/g)) {
    const raw = m[0];
    if (!/[A-Za-z0-9]/.test(raw)) {
      out.push({ stem: raw, upper: false, boundary: raw !== ':' });
      continue;
    }
    const lower = raw.toLowerCase();
    out.push({ stem: stemOf(lower), upper: raw.length > 1 && raw === raw.toUpperCase() && /[A-Z]/.test(raw), boundary: BOUNDARY_WORDS.has(lower) });
  }
  return out;
}

interface Phrase {
  entry: PropertyEntry;
  text: string;
  stems: string[];
  /** Per word: it must be written in capitals (a Dockerfile instruction). */
  upper: boolean[];
  opposite: boolean;
  loose: boolean;
}

function phraseOf(entry: PropertyEntry, text: string, opposite: boolean, loose = false): Phrase {
  const toks = tokens(text, false).filter((t) => !t.boundary);
  return { entry, text, stems: toks.map((t) => t.stem), upper: toks.map((t) => t.upper), opposite, loose };
}

interface PhraseTables {
  phrases: readonly Phrase[];
  entry: ReadonlyMap<string, PropertyEntry>;
  /** Every word of every phrase: they may sit between the words of another ("liveness and readiness probes"). */
  lexiconWords: ReadonlySet<string>;
  byFirst: ReadonlyMap<string, Phrase[]>;
}

/** The lexicon's phrases and their indexes, built on first use: a run that reads no Markdown never needs them. */
const phraseTables = onFirstUse((): PhraseTables => {
  const phrases = PROPERTIES.flatMap((e) => [
    ...e.says.map((s) => phraseOf(e, s, false)),
    ...(e.opposite ?? []).map((s) => phraseOf(e, s, true)),
    ...(e.loose ?? []).map((s) => phraseOf(e, s, false, true)),
  ]);
  const byFirst = new Map<string, Phrase[]>();
  for (const p of phrases) {
    const list = byFirst.get(p.stems[0]);
    if (list) list.push(p);
    else byFirst.set(p.stems[0], [p]);
  }
  return { phrases, entry: new Map(PROPERTIES.map((e) => [e.property, e])), lexiconWords: new Set(phrases.flatMap((p) => p.stems)), byFirst };
});

/** Every phrase of the lexicon, read into stems. */
export function lexiconPhrases(): readonly Phrase[] {
  return phraseTables().phrases;
}

/** The lexicon entry of a property. */
export function propertyEntry(property: string): PropertyEntry | undefined {
  return phraseTables().entry.get(property);
}

interface Match {
  phrase: Phrase;
  positions: number[];
}

/** Where a phrase's words occur in order from `start`, with at most MAX_GAP fillers or property words between two of them. */
function matchAt(toks: readonly Token[], start: number, phrase: Phrase, caseless: boolean): number[] | undefined {
  const positions = [start];
  const lexiconWords = phraseTables().lexiconWords;
  let at = start;
  // Another property's words may sit between a phrase's words only in a coordination ("memory requests and limits").
  let borrowed = false;
  let coordinated = false;
  for (let k = 1; k < phrase.stems.length; k++) {
    let found = -1;
    for (let j = at + 1; j < toks.length && j <= at + 1 + MAX_GAP; j++) {
      const t = toks[j];
      if (t.boundary) break;
      if (t.stem === phrase.stems[k] && (caseless || !phrase.upper[k] || t.upper)) {
        found = j;
        break;
      }
      // A negation word between two words of a phrase negates it ("secrets are never set in env vars"), see negated().
      if (CONJUNCTIONS.has(t.stem)) coordinated = true;
      else if (lexiconWords.has(t.stem) && !GAP_WORDS.has(t.stem) && !NEGATORS.has(t.stem)) borrowed = true;
      else if (!GAP_WORDS.has(t.stem) && !NEGATORS.has(t.stem)) break;
    }
    if (found < 0 || (borrowed && !coordinated)) return undefined;
    positions.push(found);
    at = found;
  }
  return positions;
}

/** The phrases a text says: longest first, a phrase whose words all belong to a longer one dropped ("root" in "read-only root filesystem"). */
export function phraseMatches(toks: readonly Token[], caseless = false): Match[] {
  const found: Match[] = [];
  const byFirst = phraseTables().byFirst;
  for (const [i, t] of toks.entries()) {
    for (const phrase of byFirst.get(t.stem) ?? []) {
      if (!caseless && phrase.upper[0] && !t.upper) continue;
      const positions = matchAt(toks, i, phrase, caseless);
      if (positions) found.push({ phrase, positions });
    }
  }
  found.sort((a, b) => b.phrase.stems.length - a.phrase.stems.length || a.positions[0] - b.positions[0]);
  // A phrase sharing a word with a longer one is part of it ("default ServiceAccount auto-mounting" is the token, not
  // the default account); phrases as long share their head in a coordination ("CPU and memory limits").
  // A subject shared in a coordination stays ("`.env` files are git-ignored and never committed").
  const kept: Match[] = [];
  const within = (k: Match, m: Match) => {
    const own = m.positions.filter((p) => !k.positions.includes(p));
    if (own.length === m.positions.length) return false;
    const lo = Math.min(...k.positions);
    const hi = Math.max(...k.positions);
    return !own.some((p) => toks.slice(Math.min(p, p < lo ? p : hi), p < lo ? lo : p).some((t) => CONJUNCTIONS.has(t.stem)));
  };
  for (const m of found) if (!kept.some((k) => k.phrase.stems.length > m.phrase.stems.length && within(k, m))) kept.push(m);
  return kept.sort((a, b) => a.positions[0] - b.positions[0]);
}

/** Whether a mention is negated: negation words before it in its clause (each flips), or one right after it ("escalation: false"). */
function negated(toks: readonly Token[], m: Match): boolean {
  let flips = 0;
  const end = m.positions[m.positions.length - 1];
  // "No lint errors", "no latest-tag warnings": the negation is of the defect the property names, not of the property.
  const ofDefect = end + 1 < toks.length && DEFECTS.has(toks[end + 1].stem);
  if (!ofDefect) for (let j = m.positions[0] - 1; j >= 0 && !toks[j].boundary; j--) if (NEGATORS.has(toks[j].stem)) flips++;
  // Between the phrase's own words ("as a non-root user"); a negation word the phrase itself says ("drop capabilities") is not one.
  for (let j = m.positions[0] + 1; j < end; j++) if (!m.positions.includes(j) && NEGATORS.has(toks[j].stem)) flips++;
  for (let j = end + 1; j < toks.length && j <= end + 3 && !toks[j].boundary && !AFTER_STOPS.has(toks[j].stem); j++) {
    if (AFTER_NEGATORS.has(toks[j].stem)) {
      flips++;
      break;
    }
  }
  return flips % 2 === 1;
}

const EITHER_WAY = new Set(['vs', 'versus']);
const EXCEPTIONS = new Set(['unless', 'except']);

/** Whether a position follows "unless" or "except" in its sentence. */
function exception(toks: readonly Token[], at: number): boolean {
  for (let j = at - 1; j >= 0 && !(toks[j].boundary && !BOUNDARY_WORDS.has(toks[j].stem)); j--) if (EXCEPTIONS.has(toks[j].stem)) return true;
  return false;
}

/** The properties a text asserts, with the state it asserts each in (families read as their members). */
export function readProperties(text: string, options: { caseless?: boolean; markdown?: boolean } = {}): PropertyMention[] {
  const toks = tokens(text, options.markdown ?? true);
  // A question or a comparison ("COPY vs ADD") asserts neither way.
  const either = /\?\s*$/.test(text.trim()) || toks.some((t) => EITHER_WAY.has(t.stem));
  const out: PropertyMention[] = [];
  for (const m of phraseMatches(toks, options.caseless)) {
    // What an exception names ("… unless you need ADD") is not what the line asks.
    if (exception(toks, m.positions[0])) continue;
    const absent = negated(toks, m) !== m.phrase.opposite;
    const entry = m.phrase.entry;
    // A family asserted in its members' good states says nothing when negated or asked ("no security context").
    if (entry.membersGood && (absent || either)) continue;
    for (const property of entry.family ?? [entry.property]) {
      // A family may be the absence of its members: least-privilege RBAC is no wildcard, no cluster-admin binding.
      const polarity: PropertyMention['polarity'] = either ? 'any' : absent !== (entry.family !== undefined && entry.membersAbsent === true) ? 'absence' : 'presence';
      const known = out.find((o) => o.property === property);
      // One line saying a property both ways ("COPY vs ADD: use COPY unless you need ADD") asserts neither.
      // A member said outright is read as said, not as the family's good state ("`securityContext` sets `runAsNonRoot`").
      if (known?.good && !entry.family) out.splice(out.indexOf(known), 1, { property, polarity, via: m.phrase.text, loose: m.phrase.loose });
      else if (known) {
        known.polarity = known.polarity === polarity ? polarity : 'any';
        known.loose &&= m.phrase.loose;
      } else out.push({ property, polarity, via: m.phrase.text, loose: m.phrase.loose, ...(entry.family ? { family: entry.property } : {}), ...(entry.membersGood ? { good: true } : {}) });
    }
  }
  return out;
}

/** A bold label ending in a colon or followed by a dash: "**Secrets Management**: …", "**Alerts** - …". */
export const LABEL = /^\s*(?:\*\*|__)([^*_]+?):?(?:\*\*|__)\s*(?::|[-–—]\s)\s*(?=\S)/;
/** Words saying a runtime outcome or a place things run, which no file shows. */
const OUTCOME = /\b(?:pass(?:es|ed|ing)?|succeed(?:s|ed)?|successful(?:ly)?|works?|working|restores?|restored|tested|verified|in (?:production|staging|prod)|on staging|monitored|reviewed|signed off|approved|drilled|rehearsed|applied|migrated|completed|done|finished|(?:fine-?)?tun(?:ing|ed)|on production|coordinated|trending|prepared|established|published|active|(?<!(?:dependencies|packages|modules) (?:are |is )?)installed|current state|on-?call)\b/i;

/** Reads a checklist line: the properties it asserts, and whether it is an activity or outcome rather than a requirement. */
export function readLine(text: string): LineConcepts {
  // A label before the line ("**Secrets Management**: use Kubernetes Secrets") names its topic, as a heading would:
  // what the line asserts is in the rest, and the label says it only when the rest does not.
  const label = LABEL.exec(text);
  const rest = label ? text.slice(label[0].length) : text;
  const plain = plainText(rest);
  const main = plain.replace(/\([^()]*\)/g, ' ');
  // Words in parentheses are examples or details ("(Trivy, Snyk)"): they say what the line asserts only when the rest does not.
  const outside = readProperties(main, { markdown: false });
  const inRest = outside.length ? outside : readProperties(rest);
  const properties = inRest.length || !label ? inRest : readProperties(label[1]);
  // A line that starts with a property ("Test coverage thresholds") does not start with a verb.
  const startsWithProperty = phraseMatches(tokens(main, false)).some((m) => m.positions[0] === 0);
  const activity = asksTask(main, startsWithProperty) || OUTCOME.test(main);
  return { properties, activity, words: new Set(tokens(text).filter((t) => !t.boundary).map((t) => t.stem)) };
}
