import { propertyEntry, type LineConcepts } from './conceptRead';
import type { RuleConcept } from './ruleConcept';

/**
 * What a line's concepts say of its links: a rule the line's wording links, whose property the line asserts the
 * same way round as the rule's good state (and with the words that set the rule apart from its siblings, such as
 * "port" for `k8s.probes.liveness-port`), gives the concept as the reason of the link ("asserts: liveness probe").
 * An activity ("Run smoke tests in production") asserts no property of the repository.
 *
 * The concepts do not remove links, and add one only with the wording: a wording just short of the threshold links
 * when the line asserts the rule's property (match.ts, AGREEMENT). Measured on checklists the linker was not tuned on,
 * links made by a concept alone were right about half the time, and dropping the links whose rule the line asserts the
 * other way round also dropped right ones (docs/markdown-checklists.md): the wording decides which rules a line links.
 */

export interface ConceptTarget {
  concept?: RuleConcept;
  mode: 'auto' | 'evidence' | 'manual';
}

/** Property → indexes of the targets (checks, not sign-offs) whose concept is it. */
export function conceptOwners(targets: readonly ConceptTarget[]): Map<string, number[]> {
  const owners = new Map<string, number[]>();
  for (const [i, t] of targets.entries()) {
    if (!t.concept?.lexical || t.mode === 'manual') continue;
    for (const p of t.concept.properties) {
      const list = owners.get(p);
      if (list) list.push(i);
      else owners.set(p, [i]);
    }
  }
  return owners;
}

/** Target index → the property the line asserts of it, the same way round as the rule's good state. */
export function assertedBy(line: LineConcepts, targets: readonly ConceptTarget[], owners: ReadonlyMap<string, readonly number[]>): Map<number, string> {
  const asserts = new Map<number, string>();
  if (line.activity) return asserts;
  for (const m of line.properties) {
    for (const i of owners.get(m.property) ?? []) {
      const c = targets[i].concept!;
      if ((m.polarity === 'any' || m.good || m.polarity === c.polarity) && c.qualifiers.every((q) => line.words.has(q)) && !asserts.has(i)) asserts.set(i, m.property);
    }
  }
  return asserts;
}

/** Where a rule applies: the kind of file it reads, if it is about one (`dockerfile`, `kubernetes`, `compose`). */
export interface DomainTarget extends ConceptTarget {
  domain?: string;
}

/**
 * Rules a line links by concept alone: the line names a property in words that name it (not its `loose` words),
 * the same way round as the rule's good state, as a requirement (not an activity or a question), and its wording
 * linked no check (or the line names a family, such as least-privilege RBAC, whose other members it adds). A check (automated rule) is linked so only in a section about
 * the kind of file it reads (a heading, or a Dockerfile instruction on the line): that says which of the rules
 * asserting one property the line means (the Dockerfile's non-root user or the manifest's), and a line in new words
 * elsewhere is too often about something no file shows (measured on checklists the linker was not tuned on). A rule
 * a person confirms (evidence) is linked in any section.
 */
export function conceptLinks(line: LineConcepts, targets: readonly DomainTarget[], owners: ReadonlyMap<string, readonly number[]>, linked: ReadonlySet<number>, domain: string | undefined): Map<number, string> {
  const out = new Map<number, string>();
  if (line.activity) return out;
  for (const m of line.properties) {
    if (m.loose || m.polarity === 'any' || !m.family) continue;
    // A family of settings the line names with one of its members said outright ("`securityContext` sets
    // `runAsNonRoot: true`") is where that member goes, not every setting in it. A member said only in words that do
    // not name it ("privilege levels") is not said outright.
    if (m.good && line.properties.some((o) => !o.family && !o.loose && !!propertyEntry(m.family!)?.family?.includes(o.property))) continue;
    // A check only in a section about the kind of file it reads; a rule a person confirms in any.
    const chosen = (owners.get(m.property) ?? []).filter((i) => {
      const t = targets[i];
      const placed = t.mode === 'auto' ? !!domain && t.domain === domain : !domain || !t.domain || t.domain === domain;
      return placed && (m.good || m.polarity === t.concept!.polarity) && t.concept!.qualifiers.every((q) => line.words.has(q));
    });
    if (chosen.some((i) => linked.has(i))) continue;
    for (const i of chosen) if (!out.has(i)) out.set(i, m.property);
  }
  return out;
}
