// The audit's totals, and what it could not read: unaudited inputs merged per place and the items they keep from passing.
import { classifyPath } from './discover';
import type { FileKind, Finding, ItemResult, Problem, Summary, Unaudited, UnauditedPolicy } from './model';
import type { ResolvedItem } from './resolve';

export const ZERO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function asUnaudited(p: Problem, kind: FileKind | undefined): Unaudited {
  const u: Unaudited = { file: p.file, range: p.range ?? ZERO_RANGE, reason: p.message, scope: p.unaudited! };
  if (kind) u.kind = kind;
  if (p.object) u.object = p.object;
  return u;
}

/**
 * The problems and unaudited inputs of an audit, in report order: the host's, the checklists', the checks'
 * and every file's parse problems (in file order); those that leave something unaudited go to `unaudited`,
 * with the checks' own unaudited fields merged per place. `kindOf`: the kind of a file the engine holds.
 */
export function sortProblems(
  parts: { host: readonly Problem[]; items: readonly Problem[]; checks: readonly Problem[]; parse: readonly Problem[]; checkUnaudited: readonly Unaudited[] },
  kindOf: (file: string) => FileKind | undefined,
): { problems: Problem[]; unaudited: Unaudited[] } {
  const problems: Problem[] = [];
  const unaudited: Unaudited[] = [];
  const sort = (p: Problem, kind?: FileKind) => {
    if (p.unaudited) unaudited.push(asUnaudited(p, kind));
    else problems.push(p);
  };
  for (const p of parts.host) sort(p, hostKind(p.file));
  for (const p of parts.items) problems.push(p);
  for (const p of parts.checks) problems.push(p);
  for (const p of parts.parse) sort(p, kindOf(p.file));
  mergeChecks(parts.checkUnaudited, unaudited);
  unaudited.sort(compareUnaudited);
  return { problems, unaudited };
}

/** The kind of a file the host could not read, from its path (a YAML file that might be a manifest counts as one). */
export function hostKind(file: string): FileKind | undefined {
  const kind = classifyPath(file);
  return kind === 'maybeKubernetes' ? 'kubernetes' : (kind ?? undefined);
}

/** The checks' unaudited fields, one entry per place and reason naming every item that could not read it. */
export function mergeChecks(checks: readonly Unaudited[], out: Unaudited[]): void {
  const merged = new Map<string, Unaudited>();
  for (const u of checks) {
    const key = `${u.file}\0${u.range.start.line}:${u.range.start.character}\0${u.reason}`;
    const known = merged.get(key);
    if (!known) merged.set(key, { ...u, rules: [...(u.rules ?? [])] });
    else for (const r of u.rules ?? []) if (!known.rules!.includes(r)) known.rules!.push(r);
  }
  for (const u of merged.values()) out.push(u);
}

export function compareUnaudited(a: Unaudited, b: Unaudited): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/**
 * Items that found nothing wrong but read a kind of file of which something was not audited (a file that
 * did not parse, a templated document) cannot pass: they become `unaudited`. Results are copied, not
 * changed (the engine keeps them for the next audit).
 */
export function withUnauditedInputs(results: ItemResult[], resolved: readonly ResolvedItem[], unaudited: readonly Unaudited[]): ItemResult[] {
  const kinds = new Set<FileKind>();
  for (const u of unaudited) if (u.kind && !u.rules) kinds.add(u.kind);
  if (kinds.size === 0) return results;
  return results.map((r, i) => {
    if (r.status !== 'pass' && r.status !== 'not-applicable') return r;
    const t = resolved[i]?.template;
    return t && resolved[i].item.id === r.id && t.kinds.some((k) => kinds.has(k)) ? { ...r, status: 'unaudited' } : r;
  });
}

export function summarize(fileCount: number, findings: readonly Finding[], items: readonly ItemResult[], suppressed: number, inputs: { unaudited: number; policy?: UnauditedPolicy } = { unaudited: 0 }): Summary {
  // Every reported finding belongs to one automated item and carries its severity: count them per item.
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let passed = 0;
  let failed = 0;
  let manual = 0;
  let attested = 0;
  let notApplicable = 0;
  let unauditedItems = 0;
  for (const i of items) {
    if (i.mode === 'auto') {
      if (i.severity === 'error') errors += i.findings.length;
      else if (i.severity === 'warning') warnings += i.findings.length;
      else if (i.severity === 'info') infos += i.findings.length;
    }
    if (i.status === 'pass') passed++;
    else if (i.status === 'fail') failed++;
    else if (i.status === 'not-applicable') notApplicable++;
    else if (i.status === 'unaudited') unauditedItems++;
    else if (i.status === 'manual') {
      manual++;
      if (i.attestation) attested++;
    }
  }
  // Unattested manual items do not lower the score: it measures what is proven (checks) or signed off.
  // An item that could not read all its inputs proves nothing: it counts like a failure, unless ignored.
  const policy = inputs.policy ?? 'error';
  const denominator = passed + failed + attested + (policy === 'ignore' ? 0 : unauditedItems);
  const nothingToAudit = fileCount === 0 && inputs.unaudited === 0;
  return {
    files: fileCount,
    findings: findings.length,
    errors,
    warnings,
    infos,
    passed,
    failed,
    manual,
    notApplicable,
    suppressed,
    unaudited: inputs.unaudited,
    unauditedItems,
    unauditedPolicy: policy,
    nothingToAudit,
    score: nothingToAudit ? 0 : denominator === 0 ? 100 : Math.round(((passed + attested) / denominator) * 100),
  };
}
