import { contentWords, identifiers } from './normalize';
import { REQUEST, OPPOSITE, PLATFORM, STATE_PENALTY, stateOf, unknownNames, weightedWords } from './lineReading';
import { giveWay, type Scored } from './linkPruning';
import { lineFieldNames, lineTerms, type Domain } from './ruleTerms';
import { isConceptWord, NAME_WEIGHT } from './concepts';
import type { TextLink } from './linkTarget';
import { assertedBy, conceptLinks } from './conceptLink';
import { LABEL, readLine, type LineConcepts } from './conceptRead';
import { lineIds, peerIdKey } from './peerIds';
import { clausesOf } from './clauses';
import { RuleIndex, type Phrasing } from './ruleIndex';

export type { LinkTarget, TextLink } from './linkTarget';
export { INHERITED } from './ruleIndex';

/**
 * Weight of a line word no rule uses. Such words are mostly explanation ("for compiled apps"); they lower the
 * score a little, less than a rare word that belongs to another rule.
 */
const UNKNOWN_WEIGHT = 2;

/** A line is linked to a rule when it reads like one of the rule's phrasings at least this well (0–1). */
export const LINK_THRESHOLD = 0.7;
/** Rules scoring within this margin of the best one are linked too ("limits and requests"). */
const MARGIN = 0.1;
/**
 * A wording this close below the threshold links when the line, read into concepts, asserts the rule's property (and
 * states no outcome or task): two readings of the line agree ("Sign images for integrity verification", "Keep deps
 * updated"). Measured on the development set: 0.05 gave +8 lines for +8 wrong links, 0.1 +17 lines for +25.
 */
const AGREEMENT = 0.05;
/** Score of a link made because the line names a package, kind, field or command the rule reads. */
const TERM_SCORE = 0.9;
/** Score of a link made because the line names a peer tool's check id the rule carries as an alias. */
const PEER_SCORE = 0.95;
/** A word of a line's description of a peer's check this specific (no subject or broad word) says it is the rule's. */
const CORROBORATES = 3.5;
/** Score of a link made because the line names the property the rule asserts (conceptLink.ts). */
const CONCEPT_SCORE = 0.85;
/** A label read alone links a rule by it at least this well when the line is read as the label and its detail. */
const LABEL_ALONE = 0.8;
/** A line read with its heading's words links a check only when the line alone reads that close to it. */
const NEAR = 0.65;
/** Under a heading about one kind of file, the rules about that kind score this much more. */
const DOMAIN_BOOST = 1.1;

/**
 * Tolerant matching of checklist lines against rule phrasings. Both sides are normalised (concepts folded,
 * words stemmed); a phrasing's words are weighted by how specific they are (the fixed lexicon of concepts.ts), so
 * "configured" counts little and "liveness" a lot. The score is the weighted F1 of "how much of the phrasing the
 * line says" and "how much of the line the phrasing explains": a longer line that merely shares a word ("memory
 * usage is stable and within limits") does not match "memory limits".
 */
export class LinkIndex extends RuleIndex {
  /** Links per line text: re-audits link the same lines again and again. */
  private readonly cache = new Map<string, TextLink[]>();

  /** The rules a line speaks of, best first, with the reason for each. */
  link(text: string, domain?: Domain, platform = false, topic?: string): TextLink[] {
    const key = `${domain ?? ''}\u0000${platform ? 'p' : ''}\u0000${topic ?? ''}\u0000${text}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let links = this.label(text, domain, platform) ?? this.compute(text, domain, platform);
    if (!links.some((l) => l.mode !== 'manual')) links = this.apart(text, domain, platform, links) ?? links;
    if (topic && !links.some((l) => l.mode !== 'manual')) links = this.underTopic(text, topic, domain, platform) ?? links;
    if (this.cache.size >= 10000) this.cache.clear();
    this.cache.set(key, links);
    return links;
  }

  /**
   * A bold label names a line's topic ("**Liveness probe**: Detects and restarts unhealthy pods"). When the line as a
   * whole links no check and the rest describes rather than asks for something of its own ("Use Kubernetes secrets"),
   * the line is read as the label with the rest as its detail, as words in parentheses are; a rule it links must be
   * one the label alone reads as clearly (the label names the rule, the rest does not pull it elsewhere).
   */
  private label(text: string, domain: Domain | undefined, platform: boolean): TextLink[] | undefined {
    const label = LABEL.exec(text);
    if (!label) return undefined;
    const whole = this.compute(text, domain, platform);
    const rest = text.slice(label[0].length);
    if (whole.some((l) => l.mode !== 'manual') || REQUEST.test(rest)) return whole;
    const alone = new Set(this.compute(label[1], domain, platform).filter((l) => l.mode !== 'manual' && l.score >= LABEL_ALONE).map((l) => l.id));
    const topic = this.compute(`${label[1]} (${rest.replace(/[()]/g, ' ')})`, domain, platform).filter((l) => alone.has(l.id));
    return topic.length ? [...topic, ...whole] : whole;
  }

  /**
   * The rules a line names by a peer tool's check id (`pod-probes`, `DL3007 - Avoid latest tags`), with the alias named.
   * Tools number their checks apart (a copy of a rule list may number them its own way): when the line also describes
   * the check, the rule must share a specific word of that description; a line that is only the id is the rule.
   */
  private peerIds(text: string): Map<number, string> {
    const out = new Map<number, string>();
    const ids = lineIds(text).filter((id) => this.peerOwners.has(id.key));
    if (!ids.length) return out;
    // the line without its ids, in one pass (ids in order, not overlapping)
    const pieces: string[] = [];
    let from = 0;
    for (const { start, end } of ids) {
      pieces.push(text.slice(from, start));
      from = end;
    }
    pieces.push(text.slice(from));
    const rest = pieces.join(' ');
    const said = contentWords(rest);
    for (const key of new Set(ids.map((id) => id.key)))
      for (const i of this.peerOwners.get(key)!) {
        const t = this.targets[i];
        if (said.length === 0 || said.some((w) => this.weights.get(w)! >= CORROBORATES && t.phrasings.some((p) => p.words.has(w)))) out.set(i, t.target.aliases!.find((a) => peerIdKey(a) === key)!);
      }
    return out;
  }

  /**
   * A compound line that links no check as a whole is read clause by clause (clauses.ts): the checks its clauses link,
   * each with its best reading, then the sign-offs the whole line links.
   */
  private apart(text: string, domain: Domain | undefined, platform: boolean, whole: readonly TextLink[]): TextLink[] | undefined {
    const best = new Map<string, TextLink>();
    for (const clause of clausesOf(text))
      for (const l of this.compute(clause, domain, platform)) if (l.mode !== 'manual' && l.score > (best.get(l.id)?.score ?? 0)) best.set(l.id, l);
    if (!best.size) return undefined;
    return [...[...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)), ...whole];
  }

  /**
   * A line under a heading ("Database" → "- [ ] Production connection ready") may leave its topic to the heading. When the line alone links
   * no check, it is read with the heading's words as its detail; a check it links must be one the line alone already
   * reads as close ({@link NEAR}): the heading settles between near readings, it never brings a rule of its own.
   */
  private underTopic(text: string, topic: string, domain: Domain | undefined, platform: boolean): TextLink[] | undefined {
    const near = new Set(this.compute(text, domain, platform, NEAR).filter((l) => l.mode !== 'manual').map((l) => l.id));
    if (!near.size) return undefined;
    const read = this.compute(`${text} (${topic.replace(/[()]/g, ' ')})`, domain, platform).filter((l) => near.has(l.id));
    return read.length ? read : undefined;
  }

  /** The rules a line names by a package, kind, field or command that few rules read, with the name it gave. */
  private namedTerms(text: string, words: ReadonlyMap<string, number>, line: () => LineConcepts): Map<number, string> {
    const byTerm = new Map<number, string>();
    const written = lineFieldNames(text);
    const fields = new Set([...written].flatMap((f) => [`=${f}`, f.toLowerCase()]));
    const named = lineTerms(text);
    for (const term of [...named, ...[...written].map((f) => `=${f}`)]) {
      // Names a rule reads count when few rules read them; names only written in titles, when at most two do.
      const read = this.termOwners.get(term) ?? [];
      const written = (this.textTermOwners.get(term) ?? []).filter((i) => !read.includes(i));
      // A rule whose title compares two files (".env.example and .env.production.example declare the same keys") is
      // named by a line that names both: a line naming one of them only is not about the comparison.
      const all = (read.length > 3 ? [] : written.length > 2 ? read : [...read, ...written]).filter((i) => this.titleTerms[i].every((t) => named.has(t)));
      // Of the checks reading one field, those whose distinguishing words the line says ("port" for the probe's port
      // rule) are the ones it names, when some are: naming `livenessProbe` asks for the probe, not its port.
      const says = (i: number) => this.linkTargets[i].concept?.qualifiers.every((q) => line().words.has(q)) ?? true;
      // A finer rule (`scripts.test.e2e` under `scripts.test`, `k8s.pdb.policy` under `k8s.pdb`) is named by a name only
      // with the word that makes it finer ("e2e", "policy"); without it, the name is the broader rule's ("Set a
      // `podDisruptionBudget`" asks for the budget, whether or not the broader rule reads the kind itself). A sign-off
      // under a check (`env.cors-origin.confirmed`) is not a finer check: it keeps the name.
      // The rule a name of rule i names: i itself, its broader rule, or none (the broader rule reads the name too and
      // is named by it in its own turn, whatever their modes).
      const namedBy = (i: number): number | undefined => {
        const j = this.broader[i];
        if (j < 0) return i;
        const finerWords = contentWords(this.linkTargets[i].id.slice(this.linkTargets[j].id.length + 1).replace(/[.-]/g, ' '));
        if (finerWords.every((w) => words.has(w))) return i;
        if (all.includes(j)) return undefined;
        return this.linkTargets[j].domain === this.linkTargets[i].domain && this.linkTargets[j].mode === this.linkTargets[i].mode ? j : i;
      };
      const owners = all.length < 2 || !fields.has(term) ? all : all.filter((i) => says(i) || !all.some((j) => j !== i && says(j)));
      for (const i of owners) {
        const named = namedBy(i);
        if (named !== undefined && !byTerm.has(named)) byTerm.set(named, term.replace(/^=/, ''));
      }
    }
    return byTerm;
  }

  /** The reason, naming the concept, of each rule whose property the line asserts (conceptLink.ts). */
  private conceptReasons(line: LineConcepts): Map<string, string> {
    const asserts = assertedBy(line, this.linkTargets, this.conceptOwners);
    return new Map([...asserts].map(([i, property]) => [this.targets[i].target.id, `asserts: ${property}`]));
  }

  private compute(text: string, domain: Domain | undefined, platform: boolean, threshold = LINK_THRESHOLD): TextLink[] {
    const words = weightedWords(text);
    const candidates = new Set<number>();
    // A name no rule knows (`LimitRange`, `ResourceQuota`, a code span) is what the line is about: it weighs as
    // much as the rarest word, so a rule that shares only the line's other words does not explain it.
    const names = unknownNames(text);
    const unknownOf = (w: string) => (names.has(w) || isConceptWord(w) ? NAME_WEIGHT : UNKNOWN_WEIGHT);
    const lineWords: { w: string; factor: number; weight: number; sole?: number; unknown: number }[] = [];
    for (const [w, factor] of words) {
      const weight = this.weights.get(w) ?? unknownOf(w);
      const owners = this.postings.get(w) ?? [];
      for (const i of owners) candidates.add(i);
      lineWords.push({ w, factor, weight, sole: owners.length === 1 ? owners[0] : undefined, unknown: unknownOf(w) });
    }
    // The line's weight as a phrasing of rule i sees it. A line word only rule i's phrasings use is known because of that
    // rule: for its phrasings that do not say it, it weighs as a word no rule uses, so a phrasing a rule gains never lowers
    // the score of its other phrasings.
    const weightFor = (i: number, p: Phrasing) => {
      let total = 0;
      for (const { w, factor, weight, sole, unknown } of lineWords) total += (sole === i && !p.words.has(w) ? unknown : weight) * factor;
      return total;
    };
    // the line is read into concepts once, and only when a concept link, a concept reason or a name's owners could come of it
    let read: LineConcepts | undefined;
    const line = (): LineConcepts => (read ??= readLine(text));
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
    const byPeer = this.peerIds(text);
    for (const i of byPeer.keys()) candidates.add(i);
    const byTerm = this.namedTerms(text, words, line);
    for (const i of byTerm.keys()) candidates.add(i);
    const lineState = stateOf(text, words);
    const opposite = OPPOSITE.test(text);
    const termScore = lineState.length ? TERM_SCORE * STATE_PENALTY : TERM_SCORE;
    const scored: Scored[] = [];
    // the rules whose property the line asserts, read when a wording falls just short of the threshold
    let asserted: Map<string, string> | undefined;
    for (const i of candidates) {
      const t = this.targets[i];
      let bestScore = 0;
      let best: Phrasing | undefined;
      const boost = domain && t.target.domain === domain ? DOMAIN_BOOST : 1;
      for (const p of t.phrasings) {
        const s = this.score(p, words, weightFor(i, p), lineState) * p.factor * boost;
        if (s > bestScore) {
          bestScore = s;
          best = p;
        }
      }
      const ident = byIdent.get(i);
      const { id, mode } = t.target;
      const term = byTerm.get(i);
      // What the best phrasing says of the line, so a rule that says less of it gives way (see below).
      const covers = best && bestScore > 0 ? { covers: [...words.keys()].filter((w) => best!.words.has(w)), factor: best.factor } : {};
      const peer = byPeer.get(i);
      if (ident && bestScore < 0.95) scored.push({ id, mode, reason: `mentions ${ident}`, score: 0.95, domain: t.target.domain, ...covers, named: true });
      else if (peer && bestScore < PEER_SCORE) scored.push({ id, mode, reason: `names ${peer}`, score: PEER_SCORE, domain: t.target.domain, ...covers, named: true });
      else if (term && bestScore < termScore && termScore >= LINK_THRESHOLD) scored.push({ id, mode, reason: `names ${term}`, score: termScore, domain: t.target.domain, ...covers, named: true });
      // a wording just short of the threshold links when the line asserts the rule's property (AGREEMENT)
      else if (best && (bestScore >= threshold || (bestScore >= threshold - AGREEMENT && !lineState.length && (asserted ??= this.conceptReasons(line())).has(id))))
        scored.push({ id, mode, reason: `matched "${best.text}"`, score: bestScore, domain: t.target.domain, ...covers });
    }
    const namedDomains = giveWay(scored, domain);
    // A line naming a property in words of its own links the rules that assert it, when its wording linked none of them.
    const wording = new Set(scored.map((s) => this.position.get(s.id)!));
    const conceptScore = lineState.length ? CONCEPT_SCORE * STATE_PENALTY : CONCEPT_SCORE;
    if (conceptScore >= LINK_THRESHOLD && !platform && !PLATFORM.test(text.replace(/\([^()]*\)/g, ' ')))
      for (const [i, property] of conceptLinks(line(), this.linkTargets, this.conceptOwners, wording, domain)) {
        const t = this.linkTargets[i];
        if (namedDomains.size === 1 && t.domain && !namedDomains.has(t.domain)) continue;
        scored.push({ id: t.id, mode: t.mode, reason: `asserts: ${property}`, score: conceptScore, domain: t.domain, concept: true });
      }
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    // Checks and manual items are ranked apart: a sign-off that reads closer does not hide the check that verifies
    // the same line (a line can be both checked and signed off).
    // A line asking for the opposite of what the checks verify links to no check (a sign-off may still speak of it).
    if (opposite) for (let k = scored.length - 1; k >= 0; k--) if (scored[k].mode !== 'manual') scored.splice(k, 1);
    const top = (manual: boolean) => Math.max(0, ...scored.filter((s) => (s.mode === 'manual') === manual).map((s) => s.score));
    const tops = { manual: top(true), checks: top(false) };
    // A rule matched by its wording whose property the line asserts gives the concept as the reason of its link (a
    // name the line gives, a field or a variable, stays the reason: it is the more exact).
    // A rule the line asserts by concept is not a competitor of the wording's links: it is a further thing the line says.
    const kept = scored.filter((s) => s.concept || s.score >= (s.mode === 'manual' ? tops.manual : tops.checks) - MARGIN);
    // The line is read into concepts only when a link's reason could take one.
    if (kept.some((s) => s.reason.startsWith('matched '))) asserted ??= this.conceptReasons(line());
    return kept.map(({ id, mode, reason, score }) => ({ id, mode, reason: (reason.startsWith('matched ') && asserted?.get(id)) || reason, score: Math.round(score * 100) / 100 }));
  }
}
