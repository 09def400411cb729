import type { ItemStatus } from '../model';

/**
 * What a line of a team's Markdown checklist amounts to once its tick is compared with the checks. One function
 * decides it for every output (report, JSON, editor tree, diagnostics), so they agree line by line.
 *
 * - verified: ticked, and the linked checks pass.
 * - ticked-failing: ticked, but a linked check fails.
 * - ticked-unverified: ticked by hand, and no check verified it (no rule speaks of it, only manual or evidence
 *   rules do, or its checks found nothing to check or could not be audited). Never shown as a pass.
 * - signed-off: a linked manual rule is signed off in the attestations file.
 * - passing-unticked: not ticked, but the linked checks pass.
 * - passing: a plain list line (no checkbox to tick), and the linked checks pass.
 * - failing: not ticked (or a plain list line), and a linked check fails.
 * - open: not ticked, and nothing settles it yet.
 */
export type LineVerdict = 'verified' | 'ticked-failing' | 'ticked-unverified' | 'signed-off' | 'passing-unticked' | 'passing' | 'failing' | 'open';

/** The part of a linked line the verdict reads. */
export interface VerdictInput {
  checked: boolean;
  /** False for a plain list line (no checkbox); a task item when left out. */
  task?: boolean;
  status: ItemStatus;
  links: readonly { mode: 'auto' | 'evidence' | 'manual'; status?: ItemStatus }[];
  attestations: readonly unknown[];
}

export function lineVerdict(item: VerdictInput): LineVerdict {
  if (item.status === 'fail') return item.checked ? 'ticked-failing' : 'failing';
  if (item.status === 'pass') return item.checked ? 'verified' : item.task === false ? 'passing' : 'passing-unticked';
  if (item.attestations.length > 0) return 'signed-off';
  return item.checked ? 'ticked-unverified' : 'open';
}

/** Short words for a verdict, as the tree and the reports show them. */
export const VERDICT_TEXT: Record<LineVerdict, string> = {
  verified: 'verified by checks',
  'ticked-failing': 'ticked, but failing',
  'ticked-unverified': 'ticked, not verified',
  'signed-off': 'signed off',
  'passing-unticked': 'passing, not ticked',
  passing: 'passing',
  failing: 'failing',
  open: 'not verified',
};

/** Why no check verified a line (for ticked-unverified and open lines); undefined when checks settle it. */
export function unverifiedReason(item: VerdictInput): string | undefined {
  if (item.status === 'pass' || item.status === 'fail') return undefined;
  const auto = item.links.filter((l) => l.mode === 'auto');
  if (item.links.length === 0) return 'no rule speaks of it';
  if (auto.some((l) => l.status === 'unaudited')) return 'its checks could not be audited';
  if (auto.length > 0 && auto.every((l) => l.status === 'not-applicable')) return 'its checks found nothing to check';
  if (auto.length > 0) return 'its checks are not run';
  if (item.links.some((l) => l.mode === 'evidence')) return 'only evidence for a person to confirm';
  return 'a manual item: a person attests it';
}
