import { contentWords, identifiers } from './normalize';

/** What a Markdown line can link to: a checklist item with its phrasings. */
export interface LinkTarget {
  id: string;
  title: string;
  /** Phrasings a human-written checklist might use (the item's `matches`). */
  matches: readonly string[];
  mode: 'auto' | 'evidence' | 'manual';
  aliases?: readonly string[];
  /** Phrasings the item is known by through its catalogue id; they rank just below its own. */
  inherited?: readonly string[];
  /**
   * How much an inherited phrasing counts (default {@link INHERITED}). An item whose id is the catalogue id
   * itself is what the catalogue phrasings describe (close to 1); a finer item (`k8s.resources.limits.cpu`)
   * covers only part of them, so a sibling that names the phrase itself wins.
   */
  inheritedWeight?: number;
  /** Further text the item is known by (e.g. its check parameters); only identifiers are taken from it. */
  extra?: string;
}

export interface TextLink {
  id: string;
  /** Human-readable: `matched "resource limits"`, `mentions CORS_ORIGIN`. */
  reason: string;
  /** 0–1: how close the line is to the phrasing that matched. */
  score: number;
}

interface Phrasing {
  text: string;
  /** 1 for the item's own title and phrasings, {@link INHERITED} for catalogue ones. */
  factor: number;
  /** Normalised words with a factor: 1, or {@link ASIDE} for words inside parentheses. */
  words: Map<string, number>;
}

/** Catalogue phrasings score below an item's own, so an item that names the phrase itself wins a tie. */
export const INHERITED = 0.88;

/** Words in parentheses ("(Trivy, Snyk)", "(min 3)") are examples or details: they count this much. */
const ASIDE = 0.35;

/** The content words of a text, with words that only occur inside parentheses weighted down. */
export function weightedWords(text: string): Map<string, number> {
  const asides: string[] = [];
  const main = text.replace(/\(([^()]*)\)/g, (_m, inner: string) => {
    asides.push(inner);
    return ' ';
  });
  const out = new Map<string, number>();
  for (const w of contentWords(main)) out.set(w, 1);
  for (const w of contentWords(asides.join(' , '))) if (!out.has(w)) out.set(w, ASIDE);
  return out;
}

interface IndexedTarget {
  target: LinkTarget;
  phrasings: Phrasing[];
  identifiers: Set<string>;
}

/**
 * Words that describe a runtime or one-off state ("tests are passing", "deployment successful", "logs
 * verified") rather than something the repository declares. A line using one its phrasing lacks speaks of
 * an operational fact, so its score is lowered.
 */
const STATE_WORDS = new Set(contentWords('passing passed succeeds successful successfully working works stable verified established functioning firing collected detected rotated completed reviewed monitored monitoring observed healthy run ran applied executed staging'));
const STATE_PENALTY = 0.85;

/** A line is linked to a rule when it reads like one of the rule's phrasings at least this well (0–1). */
export const LINK_THRESHOLD = 0.72;
/** Rules scoring within this margin of the best one are linked too ("limits and requests"). */
const MARGIN = 0.1;

/**
 * Tolerant matching of checklist lines against rule phrasings. Both sides are normalised (synonyms folded,
 * words stemmed); a phrasing's words are weighted by how rare they are among all rules (IDF), so "configured"
 * counts little and "liveness" a lot. The score is the weighted F1 of "how much of the phrasing the line says"
 * and "how much of the line the phrasing explains": a longer line that merely shares a word ("memory usage
 * is stable and within limits") does not match "memory limits".
 */
export class LinkIndex {
  private readonly targets: IndexedTarget[] = [];
  private readonly df = new Map<string, number>();
  private readonly identOwners = new Map<string, number>();
  private readonly unknownWeight: number;

  constructor(targets: readonly LinkTarget[]) {
    for (const target of targets) {
      const own = [target.title, ...target.matches].filter((t) => t.trim() !== '');
      const inherited = (target.inherited ?? []).filter((t) => t.trim() !== '' && !own.includes(t));
      const phrasings = [...own.map((text) => ({ text, factor: 1 })), ...inherited.map((text) => ({ text, factor: target.inheritedWeight ?? INHERITED }))]
        .map((p) => ({ ...p, words: weightedWords(p.text) }))
        .filter((p) => p.words.size > 0);
      const idents = new Set([...own, ...inherited, target.extra ?? ''].flatMap((t) => identifiers(t)));
      this.targets.push({ target, phrasings, identifiers: idents });
      for (const w of new Set(phrasings.flatMap((p) => [...p.words.keys()]))) this.df.set(w, (this.df.get(w) ?? 0) + 1);
      for (const i of idents) this.identOwners.set(i, (this.identOwners.get(i) ?? 0) + 1);
    }
    this.unknownWeight = this.weight('\u0000unknown');
  }

  get size(): number {
    return this.targets.length;
  }

  /** Rare words weigh more: log(1 + N / df). Words no rule uses weigh as much as the rarest. */
  private weight(word: string): number {
    const n = Math.max(1, this.targets.length);
    return Math.log(1 + n / (this.df.get(word) ?? 1));
  }

  /** Weighted F1 between a phrasing's words and a line's words. */
  private score(phrasing: ReadonlyMap<string, number>, line: ReadonlyMap<string, number>, lineWeight: number, lineState: readonly string[]): number {
    let covered = 0; // phrasing weight the line says
    let explained = 0; // line weight the phrasing explains
    let total = 0;
    for (const [w, factor] of phrasing) {
      const wt = this.weight(w);
      total += wt * factor;
      const inLine = line.get(w);
      if (inLine !== undefined) {
        covered += wt * factor;
        explained += wt * inLine;
      }
    }
    if (covered === 0 || total === 0 || lineWeight === 0) return 0;
    const recall = covered / total;
    const precision = explained / lineWeight;
    const f1 = (2 * recall * precision) / (recall + precision);
    return lineState.some((w) => !phrasing.has(w)) ? f1 * STATE_PENALTY : f1;
  }

  /** The rules a line speaks of, best first, with the reason for each. */
  link(text: string): TextLink[] {
    const words = weightedWords(text);
    let lineWeight = 0;
    for (const [w, factor] of words) lineWeight += (this.df.has(w) ? this.weight(w) : this.unknownWeight) * factor;
    const lineIdents = identifiers(text);
    const lineState = [...words.keys()].filter((w) => STATE_WORDS.has(w));
    const scored: TextLink[] = [];
    for (const t of this.targets) {
      let best: TextLink | undefined;
      for (const p of t.phrasings) {
        const s = this.score(p.words, words, lineWeight, lineState) * p.factor;
        if (!best || s > best.score) best = { id: t.target.id, reason: `matched "${p.text}"`, score: s };
      }
      // An environment variable named on the line and in the rule (and in few other rules) links them.
      const ident = lineIdents.find((i) => t.identifiers.has(i) && (this.identOwners.get(i) ?? 0) <= 3);
      if (ident && (!best || best.score < 0.95)) best = { id: t.target.id, reason: `mentions ${ident}`, score: 0.95 };
      if (best && best.score >= LINK_THRESHOLD) scored.push(best);
    }
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const top = scored[0]?.score ?? 0;
    return scored.filter((s) => s.score >= top - MARGIN).map((s) => ({ ...s, score: Math.round(s.score * 100) / 100 }));
  }
}
