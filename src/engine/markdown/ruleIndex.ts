import { contentWords, identifiers } from './normalize';
import { idPhrasing, textTerms } from './ruleTerms';
import { ACTIVITY, isOutcomeWord, MEASURED_STATE, STATE_PENALTY, statesMeasuredTarget, weightedWords } from './lineReading';
import { phrasingWords, type LinkReadings } from './builtinReadings';
import { isGenericWord, isSubjectWord, wordWeight } from './concepts';
import type { LinkTarget } from './linkTarget';
import { conceptOwners } from './conceptLink';
import { peerIdKey } from './peerIds';

/** Files a target's index under a key (a word, a term, a field, an identifier). */
function fileUnder(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

export interface Phrasing {
  text: string;
  /** Sum of the phrasing's word weights (weight × factor). */
  total: number;
  /** Weight of its heaviest word. */
  heaviest: number;
  /** 1 for the item's own title and phrasings, {@link INHERITED} for broader ones (`broaderMatches`). */
  factor: number;
  /** Normalised words with a factor: 1, or {@link ASIDE} for words inside parentheses. */
  words: Map<string, number>;
  /** The command-line flags it names, outside parentheses (`flag_no_check_certificate`). */
  flags: string[];
  /** It states a measured target itself ("Unit test coverage of at least 80%"): a line stating one is not an outcome to it. */
  measured?: boolean;
  /** Its words that say what it asks of its subject (not a subject word: see {@link isSubjectWord}), when it has subject words too. */
  asks?: string[];
}

/** Broader phrasings score below an item's own, so an item that names the phrase itself wins a tie. */
export const INHERITED = 0.88;
/** Phrasings derived from a rule's id and parameters are terse: they count this much. */
const DERIVED = 0.9;

export interface IndexedTarget {
  target: LinkTarget;
  phrasings: Phrasing[];
  identifiers: Set<string>;
}

/**
 * How much more "the line says what the phrasing says" counts than "the phrasing explains the whole line"
 * (β² of an F-score): checklist lines add reasons and examples ("configured to determine when containers can
 * receive traffic") that no phrasing spells out.
 */
const RECALL_BIAS = 2;
/** A phrasing the line says less than this share of (by weight) does not match it. */
const MIN_RECALL = 0.5;

/** A function's results by argument, for the texts of one index. */
function memo<T>(fn: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let v = known.get(text);
    if (v === undefined) known.set(text, (v = fn(text)));
    return v;
  };
}

/**
 * The rules' phrasings and what a line is looked up by: each rule's phrasings with their weighted words, and the rules
 * by word, name, field, environment variable and peer check id. Built once per list of rules; how a line is read
 * against it is match.ts ({@link LinkIndex}). A phrasing's score is the weighted F-score of "how much of the phrasing
 * the line says" and "how much of the line the phrasing explains" ({@link RuleIndex.score}).
 */
/** A target's phrasing texts: its own (title and matches), then the broader and derived ones it does not share. */
export function phrasingTexts(target: LinkTarget): { own: string[]; inherited: string[]; derived: string[] } {
  const own = [target.title, ...target.matches].filter((t) => t.trim() !== '');
  const inherited = (target.inherited ?? []).filter((t) => t.trim() !== '' && !own.includes(t));
  const derived = (target.derived ?? []).filter((t) => t.trim() !== '' && !own.includes(t));
  return { own, inherited, derived };
}

/** The build's readings of link targets (builtinReadings.ts), as the index reads them: every phrasing's words, every concept. */
export function readingsOf(targets: readonly LinkTarget[]): LinkReadings {
  // (no prototype: a phrasing may be any text, "__proto__" included)
  const words = Object.create(null) as LinkReadings['words'];
  const concepts = Object.create(null) as LinkReadings['concepts'];
  for (const t of targets) {
    const { own, inherited, derived } = phrasingTexts(t);
    for (const text of [...own, ...inherited, ...derived]) if (!Object.hasOwn(words, text)) words[text] = [...weightedWords(text)];
    if (t.concept) concepts[t.id] = t.concept;
  }
  return { words, concepts };
}

/** A title whose subject is two files joined by "and" (".env.example and .env.production.example declare the same keys") compares them. */
const COMPARED = /^\s*`?(\.[\w.-]*\w)`?\s+and\s+`?(\.[\w.-]*\w)`?\s/;

export class RuleIndex {
  protected readonly targets: IndexedTarget[] = [];
  protected readonly df = new Map<string, number>();
  protected readonly identOwners = new Map<string, number[]>();
  protected readonly termOwners = new Map<string, number[]>();
  protected readonly textTermOwners = new Map<string, number[]>();
  /** A peer tool's check id (`pod-probes`, `dl3007`) → the targets carrying it as an alias. */
  protected readonly peerOwners = new Map<string, number[]>();
  /** Word → indexes of the targets with a phrasing that uses it: a line is scored only against those. */
  protected readonly postings = new Map<string, number[]>();
  /** Weight per word the indexed rules use, from the fixed lexicon ({@link wordWeight}). */
  protected readonly weights = new Map<string, number>();
  /** Property → the targets whose concept it is. */
  protected readonly conceptOwners: Map<string, number[]>;
  protected readonly linkTargets: LinkTarget[];
  /** Target id → its index. */
  protected readonly position = new Map<string, number>();
  /** Per target, the files its title compares (its subject is two files: `.env.example and .env.production.example …`), else none. */
  protected readonly titleTerms: string[][];
  /** Per target, the index of the nearest target whose id its own extends (`k8s.pdb` for `k8s.pdb.policy`), or -1. */
  protected readonly broader: number[];

  constructor(targets: readonly LinkTarget[]) {
    // Items share phrasings (a broader requirement's phrasings go to every item under it): each text is read
    // once, and its words map is shared (never changed after this).
    const wordsOf = memo(phrasingWords);
    const identifiersOf = memo(identifiers);
    for (const target of targets) {
      const { own, inherited, derived } = phrasingTexts(target);
      const phrasings = [
        ...own.map((text) => ({ text, factor: 1 })),
        ...inherited.map((text) => ({ text, factor: target.inheritedWeight ?? INHERITED })),
        ...derived.map((text) => ({ text, factor: DERIVED })),
      ]
        .map((p): Phrasing => ({ ...p, words: wordsOf(p.text), total: 0, heaviest: 0, flags: [] }))
        // A check of files cannot see an outcome ("all tests passing"): such phrasings are not an automated rule's.
        .filter((p) => p.words.size > 0 && !(target.mode === 'auto' && (ACTIVITY.test(p.text) || [...p.words.keys()].some(isOutcomeWord))));
      // The words of the rule's id name what it is about, subject words or not (`ci.deploy`, `scripts.build`).
      const idWords = new Set(contentWords(idPhrasing(target.id)));
      for (const p of phrasings) {
        p.flags = [...p.words].filter(([w, factor]) => factor === 1 && w.startsWith('flag_')).map(([w]) => w);
        if (statesMeasuredTarget(p.text)) p.measured = true;
        const asks = [...p.words.keys()].filter((w) => idWords.has(w) || !(isSubjectWord(w) || isGenericWord(w)));
        if (asks.length && [...p.words.keys()].some((w) => isSubjectWord(w) && !idWords.has(w))) p.asks = asks;
      }
      const idents = new Set([...own, ...inherited, target.extra ?? ''].flatMap((t) => identifiersOf(t)));
      const index = this.targets.push({ target, phrasings, identifiers: idents }) - 1;
      for (const w of new Set(phrasings.flatMap((p) => [...p.words.keys()]))) {
        this.df.set(w, (this.df.get(w) ?? 0) + 1);
        fileUnder(this.postings, w, index);
      }
      for (const term of target.terms ?? []) fileUnder(this.termOwners, term, index);
      // A field is a term written in its own spelling: a line naming it writes it so.
      for (const field of target.fields ?? []) fileUnder(this.termOwners, `=${field}`, index);
      for (const term of target.textTerms ?? []) fileUnder(this.textTermOwners, term, index);
      for (const i of idents) fileUnder(this.identOwners, i, index);
      for (const key of new Set((target.aliases ?? []).map(peerIdKey))) if (key) fileUnder(this.peerOwners, key, index);
    }
    // A word weighs what the fixed lexicon says (how specific it is), never what the rules indexed here make of it:
    // adding or turning off a rule changes no other rule's links. Words no rule uses weigh UNKNOWN_WEIGHT.
    for (const w of this.df.keys()) this.weights.set(w, wordWeight(w));
    this.conceptOwners = conceptOwners(targets);
    this.linkTargets = [...targets];
    for (const [i, t] of targets.entries()) if (!this.position.has(t.id)) this.position.set(t.id, i);
    this.titleTerms = targets.map((t) => {
      const pair = COMPARED.exec(t.title);
      return pair ? textTerms([`${pair[1]} ${pair[2]}`]) : [];
    });
    this.broader = targets.map((t) => {
      for (let dot = t.id.lastIndexOf('.'); dot > 0; dot = t.id.lastIndexOf('.', dot - 1)) {
        const j = this.position.get(t.id.slice(0, dot));
        if (j !== undefined) return j;
      }
      return -1;
    });
    for (const t of this.targets)
      for (const p of t.phrasings)
        for (const [w, factor] of p.words) {
          p.total += this.weights.get(w)! * factor;
          p.heaviest = Math.max(p.heaviest, this.weights.get(w)! * factor);
        }
  }

  /**
   * How specific each word is among the rules indexed here: log(1 + N / df), N rules, df of them using the word.
   * `npm run lexicon` measures it over the built-in catalogue once, into the fixed lexicon (wordWeights.ts).
   */
  measuredWeights(): Map<string, number> {
    const n = Math.max(1, this.targets.length);
    return new Map([...this.df].map(([w, df]) => [w, Math.log(1 + n / df)]));
  }

  get size(): number {
    return this.targets.length;
  }

  /** Weighted F-score (recall-biased, see RECALL_BIAS) between a phrasing's words and a line's words. */
  protected score(p: Phrasing, line: ReadonlyMap<string, number>, lineWeight: number, lineState: readonly string[]): number {
    let covered = 0; // phrasing weight the line says
    let explained = 0; // line weight the phrasing explains
    let shared = 0;
    let heaviest = 0; // weight of the phrasing's heaviest word the line says
    for (const [w, factor] of p.words) {
      const inLine = line.get(w);
      if (inLine === undefined) continue;
      shared++;
      heaviest = Math.max(heaviest, this.weights.get(w)! * factor);
      const wt = this.weights.get(w)!;
      covered += wt * factor;
      explained += wt * inLine;
    }
    if (covered === 0 || p.total === 0 || lineWeight === 0) return 0;
    // A line that names only what a phrasing is about ("Environment variables secured" against "Environment variables
    // documented", "Deploy to production" against "Deploy to production (with approval)") says nothing it asks of it.
    if (p.asks && !p.asks.some((w) => line.has(w)) && [...line].some(([w, factor]) => factor === 1 && !p.words.has(w) && !isSubjectWord(w) && !isGenericWord(w))) return 0;
    // A flag a phrasing names (`--no-check-certificate`) is what it is about: a line that does not say it is not.
    for (const w of p.flags) if (!line.has(w)) return 0;
    const recall = covered / p.total;
    // A line saying less than half of what a phrasing says ("resources have labels defined" against "resource
    // limits defined") is not about it, however little else it says.
    // One shared word is not enough when the phrasing has a heavier one ("HTTPS" against "DATABASE_SSL enabled").
    if (recall < MIN_RECALL || (shared < 2 && heaviest < p.heaviest)) return 0;
    const precision = explained / lineWeight;
    // A one-word phrasing ("Use namespaces", "Logging configured") is weak evidence: the line must say little else.
    const bias = p.words.size === 1 ? 1 : RECALL_BIAS;
    const f1 = ((1 + bias) * recall * precision) / (bias * precision + recall);
    return lineState.some((w) => !p.words.has(w) && !(w === MEASURED_STATE && p.measured)) ? f1 * STATE_PENALTY : f1;
  }
}
