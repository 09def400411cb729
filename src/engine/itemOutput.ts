// What one check run gives the audit: its output with findings stamped with the item's id, severity and fixability.
import type { CheckOutput } from './checks/template';
import { FreshFinding } from './keptRange';
import type { Attestation, Evidence, Finding, ItemResult, Problem, RawFinding, Severity, Unaudited } from './model';
import type { ResolvedItem } from './resolve';

/** One check's output on one file (or on the workspace), findings stamped with the item's id and severity. */
export interface ItemOut {
  applicable: boolean;
  findings: Finding[];
  evidence?: Evidence[];
  /** The check threw: reported with every audit while the content stands. */
  problem?: Problem;
  /** What the check could not judge, stamped with the item's id. */
  unaudited?: Unaudited[];
  /** The findings no suppression silences (non-strict audits); computed on first use. */
  kept?: Finding[];
  /** Some finding lies in another file, whose suppressions can change independently: `kept` is never cached. */
  foreign: boolean;
}

export const NOT_APPLICABLE: ItemOut = Object.freeze({ applicable: false, findings: [], foreign: false }) as ItemOut;
/** The output of every applicable check run that found nothing and gave no evidence: shared, nothing to suppress. */
export const NOTHING_FOUND: ItemOut = (() => {
  const none = Object.freeze([]) as unknown as Finding[];
  return Object.freeze({ applicable: true, findings: none, kept: none, foreign: false }) as ItemOut;
})();

/**
 * What a file keeps per item: the check's output, or, for an output of one finding in the checked file and
 * nothing else (most outputs that find something), the finding alone. The engine keeps every output of every
 * file for the editor, and each object kept is one more for every garbage collection to trace and copy.
 */
export type Slot = ItemOut | Finding;

/** Whether a slot holds an output rather than a finding alone. */
export function isOutput(slot: Slot): slot is ItemOut {
  if (slot === NOTHING_FOUND || slot === NOT_APPLICABLE) return true;
  // most findings alone are fresh ones: told by their class, not by looking for a key they lack
  if (slot instanceof FreshFinding) return false;
  return (slot as Partial<ItemOut>).applicable !== undefined;
}

/** A slot's findings (a finding alone: a list of it, made when read). */
export function slotFindings(slot: Slot): Finding[] {
  return isOutput(slot) ? slot.findings : [slot];
}

/**
 * Wraps a check's output: findings stamped with the item's id, severity and fixability. `checked` is the
 * file a file check ran on (its findings elsewhere are foreign); undefined for a workspace check, whose
 * output (given `copies`) is never a finding alone.
 */
export function stamp(out: CheckOutput | undefined, ri: ResolvedItem, problem: Problem | undefined, checked: string | undefined): Slot;
export function stamp(out: CheckOutput | undefined, ri: ResolvedItem, problem: Problem | undefined, checked: string | undefined, copies: { before?: ReadonlyMap<RawFinding, Finding>; after: Map<RawFinding, Finding> }): ItemOut;
export function stamp(out: CheckOutput | undefined, ri: ResolvedItem, problem: Problem | undefined, checked: string | undefined, copies?: { before?: ReadonlyMap<RawFinding, Finding>; after: Map<RawFinding, Finding> }): Slot {
  if (!out) return problem ? { ...NOT_APPLICABLE, problem } : NOT_APPLICABLE;
  const unaudited = out.unaudited?.length ? out.unaudited.map((u) => ({ ...u, rules: [ri.item.id] })) : undefined;
  if (out.findings.length === 0 && out.evidence === undefined && !problem && !unaudited) return NOTHING_FOUND;
  const fixable = !!ri.fix;
  const ruleId = ri.item.id;
  const severity = ri.severity;
  const raw = out.findings;
  // an output of one finding in the checked file and nothing else is kept as the finding alone: no list made for it
  if (raw.length === 1 && !copies && raw[0].file === checked && out.evidence === undefined && !problem && !unaudited) {
    return stampOne(raw[0], ri, ruleId, severity, fixable, copies);
  }
  const findings: Finding[] = new Array<Finding>(raw.length);
  let isForeign = false;
  for (let i = 0; i < raw.length; i++) {
    const f = raw[i];
    if (!isForeign && f.file !== checked) isForeign = true;
    findings[i] = stampOne(f, ri, ruleId, severity, fixable, copies);
  }
  return { applicable: true, findings, evidence: out.evidence, problem, unaudited, foreign: isForeign, kept: undefined }; // `kept` set later: a slot of its own
}

/** One finding of a check's output, stamped with the item's id, severity and fixability. */
function stampOne(f: RawFinding, ri: ResolvedItem, ruleId: string, severity: Severity, fixable: boolean, copies: { before?: ReadonlyMap<RawFinding, Finding>; after: Map<RawFinding, Finding> } | undefined): Finding {
  const message = recentMessage(ri, f.message);
  // A file check's fresh raw finding becomes the stamped one in place (same keys, same order as a copy), and so
  // does a finding made for its run alone (FreshFinding, a workspace check's too): no copy kept beside it.
  if ((!copies && !Object.prototype.hasOwnProperty.call(f, 'ruleId') && Object.isExtensible(f)) || f instanceof FreshFinding) {
    const stamped = f as Finding;
    stamped.message = message;
    stamped.ruleId = ruleId;
    stamped.severity = severity;
    stamped.fixable = fixable;
    return stamped;
  }
  // A workspace check's findings are copies, kept from one run to the next per raw finding: one the check
  // memoises keeps its stamped object (files whose findings did not change keep their order). Copies share a few
  // shapes; stamping in place would leave the audit's loops with as many as the checks have literals.
  const copy = copies?.before?.get(f) ?? stampedCopy(f, message, ruleId, severity, fixable);
  copies?.after.set(f, copy);
  return copy;
}

/**
 * `{ ...f, ruleId, severity, fixable }`, the same keys in the same order. V8 (Node 20) runs an object
 * spread through its generic path, about ten times slower than `Object.assign` onto a fresh literal, and
 * workspace checks copy thousands of findings per audit.
 */
function stampedCopy(f: RawFinding, message: string, ruleId: string, severity: Severity, fixable: boolean): Finding {
  const copy = Object.assign({}, f) as Finding;
  copy.message = message;
  copy.ruleId = ruleId;
  copy.severity = severity;
  copy.fixable = fixable;
  return copy;
}

/** Per item, the last few distinct messages its findings were stamped with (most items word few). */
const RECENT = new WeakMap<ResolvedItem, string[]>();
const RECENT_SIZE = 4;

/**
 * A finding's message as the engine keeps it: the very string of an earlier finding of the same item when
 * they read the same (a rule says the same thing of many files), else the message made one piece in memory.
 * V8 keeps a string built by concatenation (a message's template literal) as a chain of its parts, one
 * object per `${}`, and reading a character joins them in place. The engine keeps every finding for the
 * editor, so a message costs one string, or none of its own, instead of about ten objects that each
 * collection has to trace and copy. Comparing with a few recent messages costs less than hashing each.
 */
function recentMessage(ri: ResolvedItem, message: string): string {
  let recent = RECENT.get(ri);
  if (recent === undefined) RECENT.set(ri, (recent = []));
  for (let i = 0; i < recent.length; i++) if (recent[i] === message) return recent[i];
  message.charCodeAt(0);
  if (recent.length >= RECENT_SIZE) recent.pop();
  recent.unshift(message);
  return message;
}

export function checkFailed(file: string, itemId: string, e: unknown): Problem {
  return { file, message: `Check ${itemId} failed on this file: ${(e as Error).message}`, severity: 'error' };
}

export function safeRun<T>(fn: () => T, file: string, itemId: string, problems: Problem[]): T | undefined {
  try {
    return fn();
  } catch (e) {
    problems.push(checkFailed(file, itemId, e));
    return undefined;
  }
}

/**
 * An item's result from what its outputs gave: the findings no suppression silences, evidence, whether any
 * file was in scope, and whether something the item reads could not be audited.
 */
export function itemResult(ri: ResolvedItem, reported: Finding[], evidence: Evidence[], applicable: boolean, unaudited: boolean, attestation: Attestation | undefined): ItemResult {
  const { item } = ri;
  const mode: ItemResult['mode'] = !ri.template ? 'manual' : item.evidence ? 'evidence' : 'auto';
  let status: ItemResult['status'];
  if (mode !== 'auto') status = 'manual';
  else if (reported.length > 0) status = 'fail';
  else if (unaudited) status = 'unaudited';
  else status = applicable ? 'pass' : 'not-applicable';
  return {
    id: item.id,
    title: item.title,
    checklist: ri.checklist.id,
    section: ri.sectionTitle,
    severity: ri.severity,
    status,
    aliases: item.aliases,
    findings: mode === 'auto' ? reported : [],
    // an evidence or manual item lists what its check found as evidence
    evidence: mode === 'auto' || reported.length === 0 ? evidence : [...evidence, ...reported.map((f) => ({ file: f.file, range: f.range, message: f.message }))],
    mode,
    attestation: mode !== 'auto' ? attestation : undefined,
    fixable: !!ri.fix,
    docs: item.docs,
  };
}
