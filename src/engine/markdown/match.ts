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
  mode: LinkTarget['mode'];
  /** Human-readable: `matched "resource limits"`, `mentions CORS_ORIGIN`. */
  reason: string;
  /** 0–1: how close the line is to the phrasing that matched. */
  score: number;
}

interface Phrasing {
  text: string;
  /** Sum of the phrasing's word weights (IDF × factor). */
  total: number;
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
 * Tolerant matching of checklist lines against rule phrasings. Both sides are normalised (synonyms folded,
 * words stemmed); a phrasing's words are weighted by how rare they are among all rules (IDF), so "configured"
 * counts little and "liveness" a lot. The score is the weighted F1 of "how much of the phrasing the line says"
 * and "how much of the line the phrasing explains": a longer line that merely shares a word ("memory usage
 * is stable and within limits") does not match "memory limits".
 */
export class LinkIndex {
  private readonly targets: IndexedTarget[] = [];
  private readonly df = new Map<string, number>();
  private readonly identOwners = new Map<string, number[]>();
  /** Word → indexes of the targets with a phrasing that uses it: a line is scored only against those. */
  private readonly postings = new Map<string, number[]>();
  /** IDF weight per known word, fixed once every target is indexed. */
  private readonly weights = new Map<string, number>();
  private readonly unknownWeight: number;
  /** Links per line text: re-audits link the same lines again and again. */
  private readonly cache = new Map<string, TextLink[]>();

  constructor(targets: readonly LinkTarget[]) {
    // Items share phrasings (a catalogue entry's phrasings go to every item under it): each text is read
    // once, and its words map is shared (never changed after this).
    const wordsOf = memo(weightedWords);
    const identifiersOf = memo(identifiers);
    for (const target of targets) {
      const own = [target.title, ...target.matches].filter((t) => t.trim() !== '');
      const inherited = (target.inherited ?? []).filter((t) => t.trim() !== '' && !own.includes(t));
      const phrasings = [...own.map((text) => ({ text, factor: 1 })), ...inherited.map((text) => ({ text, factor: target.inheritedWeight ?? INHERITED }))]
        .map((p) => ({ ...p, words: wordsOf(p.text), total: 0 }))
        .filter((p) => p.words.size > 0);
      const idents = new Set([...own, ...inherited, target.extra ?? ''].flatMap((t) => identifiersOf(t)));
      const index = this.targets.push({ target, phrasings, identifiers: idents }) - 1;
      for (const w of new Set(phrasings.flatMap((p) => [...p.words.keys()]))) {
        this.df.set(w, (this.df.get(w) ?? 0) + 1);
        const list = this.postings.get(w);
        if (list) list.push(index);
        else this.postings.set(w, [index]);
      }
      for (const i of idents) {
        const list = this.identOwners.get(i);
        if (list) list.push(index);
        else this.identOwners.set(i, [index]);
      }
    }
    const n = Math.max(1, this.targets.length);
    // Rare words weigh more: log(1 + N / df). Words no rule uses weigh as much as the rarest.
    for (const [w, df] of this.df) this.weights.set(w, Math.log(1 + n / df));
    this.unknownWeight = Math.log(1 + n);
    for (const t of this.targets) for (const p of t.phrasings) for (const [w, factor] of p.words) p.total += this.weights.get(w)! * factor;
  }

  get size(): number {
    return this.targets.length;
  }

  /** Weighted F1 between a phrasing's words and a line's words. */
  private score(p: Phrasing, line: ReadonlyMap<string, number>, lineWeight: number, lineState: readonly string[]): number {
    let covered = 0; // phrasing weight the line says
    let explained = 0; // line weight the phrasing explains
    for (const [w, factor] of p.words) {
      const inLine = line.get(w);
      if (inLine === undefined) continue;
      const wt = this.weights.get(w)!;
      covered += wt * factor;
      explained += wt * inLine;
    }
    if (covered === 0 || p.total === 0 || lineWeight === 0) return 0;
    const recall = covered / p.total;
    const precision = explained / lineWeight;
    const f1 = (2 * recall * precision) / (recall + precision);
    return lineState.some((w) => !p.words.has(w)) ? f1 * STATE_PENALTY : f1;
  }

  /** The rules a line speaks of, best first, with the reason for each. */
  link(text: string): TextLink[] {
    const hit = this.cache.get(text);
    if (hit) return hit;
    const links = this.compute(text);
    if (this.cache.size >= 10000) this.cache.clear();
    this.cache.set(text, links);
    return links;
  }

  private compute(text: string): TextLink[] {
    const words = weightedWords(text);
    let lineWeight = 0;
    const candidates = new Set<number>();
    for (const [w, factor] of words) {
      lineWeight += (this.weights.get(w) ?? this.unknownWeight) * factor;
      for (const i of this.postings.get(w) ?? []) candidates.add(i);
    }
    // An environment variable named on the line and in the rule (and in few other rules) links them.
    const byIdent = new Map<number, string>();
    for (const ident of identifiers(text)) {
      const owners = this.identOwners.get(ident) ?? [];
      if (owners.length > 3) continue;
      for (const i of owners) {
        if (!byIdent.has(i)) byIdent.set(i, ident);
        candidates.add(i);
      }
    }
    const lineState = [...words.keys()].filter((w) => STATE_WORDS.has(w));
    const scored: TextLink[] = [];
    for (const i of candidates) {
      const t = this.targets[i];
      let bestScore = 0;
      let best: Phrasing | undefined;
      for (const p of t.phrasings) {
        const s = this.score(p, words, lineWeight, lineState) * p.factor;
        if (s > bestScore) {
          bestScore = s;
          best = p;
        }
      }
      const ident = byIdent.get(i);
      const { id, mode } = t.target;
      if (ident && bestScore < 0.95) scored.push({ id, mode, reason: `mentions ${ident}`, score: 0.95 });
      else if (best && bestScore >= LINK_THRESHOLD) scored.push({ id, mode, reason: `matched "${best.text}"`, score: bestScore });
    }
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const top = scored[0]?.score ?? 0;
    return scored.filter((s) => s.score >= top - MARGIN).map((s) => ({ ...s, score: Math.round(s.score * 100) / 100 }));
  }
}
