import type { Domain } from './ruleTerms';
import type { TextLink } from './linkTarget';

/** A rule a line links, as scored, with what the best phrasing says of the line (match.ts). */
export interface Scored extends TextLink {
  domain?: Domain;
  /** The line's words the best phrasing says. */
  covers?: string[];
  /** The best phrasing's factor: 1 for the rule's own, less for a broader requirement's or a derived one. */
  factor?: number;
  /** Linked because the line names something the rule reads (its field, file, package or variable). */
  named?: boolean;
  /** Linked by the property the line asserts (conceptLink.ts). */
  concept?: boolean;
}

/**
 * Drops, in place, the rules that give way to others the line links, and returns the kinds of file the line names.
 *
 * A rule whose phrasing says only part of what another's says about the line gives way to it ("scan images for
 * vulnerabilities": the image scan, not the dependency scan). So does a rule matched only through a phrasing it
 * borrows (a broader requirement's, or a field or kind it reads) when another rule's own phrasing says the same:
 * "Set Pod Disruption Budgets" is the PDB rule, not every rule that reads a PodDisruptionBudget. A field, file or
 * command the line names says which kind of file it speaks of; under a heading about one kind of file, rules about
 * other kinds give way to the rules about that one, and under a heading about Compose files Kubernetes rules the line
 * does not name give way whatever else it links.
 */
export function giveWay(scored: Scored[], domain: Domain | undefined): Set<Domain | undefined> {
  const dropped = new Set<number>();
  for (const [k, mine] of scored.entries()) {
    const covers = mine.covers;
    // A rule the line names (its field, file, package or variable) stays.
    if (!covers || mine.named) continue;
    // Under a heading about one kind of file, a rule about that kind gives way only to another about it.
    const wider = (o: Scored) => (o.mode === 'manual') === (mine.mode === 'manual') && !(domain && mine.domain === domain && o.domain !== domain) && !!o.covers && covers.every((w) => o.covers!.includes(w)) && (o.covers.length > covers.length || ((o.factor ?? 0) > (mine.factor ?? 0) && (o.mode === mine.mode || o.mode === 'auto')));
    if (scored.some((o, j) => j !== k && !dropped.has(j) && wider(o))) dropped.add(k);
  }
  for (const k of [...dropped].sort((a, b) => b - a)) scored.splice(k, 1);
  // A field, file or command the line names says which kind of file it speaks of (`runAsNonRoot` is a manifest's):
  // rules about another kind that share only the line's words give way.
  const namedDomains = new Set(scored.filter((s) => s.named && s.domain).map((s) => s.domain));
  if (namedDomains.size === 1) for (let k = scored.length - 1; k >= 0; k--) if (!scored[k].named && scored[k].domain && !namedDomains.has(scored[k].domain)) scored.splice(k, 1);
  // Under a heading about one kind of file, rules about other kinds give way to the rules about that one.
  const inDomain = domain ? Math.max(0, ...scored.filter((s) => s.domain === domain).map((s) => s.score)) : 0;
  if (inDomain > 0) for (let k = scored.length - 1; k >= 0; k--) if (scored[k].domain !== domain && (scored[k].domain || scored[k].score <= inDomain)) scored.splice(k, 1);
  // A section about Compose files is not about Kubernetes manifests, the other way to run the same services: a
  // Kubernetes rule links there only when the line names what it reads.
  if (domain === 'compose') for (let k = scored.length - 1; k >= 0; k--) if (scored[k].domain === 'kubernetes' && !scored[k].named) scored.splice(k, 1);
  return namedDomains;
}
