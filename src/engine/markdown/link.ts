import type { ResolvedItem } from '../audit';
import { isShipshapeReport } from '../report/markdown';
import { isRepositoryFinding, type AuditResult, type Evidence, type Finding, type ItemResult, type ItemStatus, type Problem, type Range, type RelatedInfo } from '../model';
import type { MarkdownChecklistModel, MarkdownItem } from '../parse/markdownChecklist';
import type { ParsedFile } from '../workspace';
import { CHECKLIST_FILE } from '../discover';
import { INHERITED, LinkIndex, type LinkTarget } from './match';
import { itemConcept } from './builtinReadings';
import { platformSection } from './lineReading';
import { contextDomain, fieldNames, FIX_TERM_KEYS, idPhrasing, paramPhrasings, paramTerms, readNames, scriptTerms, textDomain, textTerms } from './ruleTerms';
import { lineVerdict, unverifiedReason, type LineVerdict } from './verdict';
import { withGroupLinks } from './groupLinks';

/** Why a Markdown item is tied to a rule. */
export interface ItemLink {
  id: string;
  /** `matched "resource limits"`, `mentions CORS_ORIGIN`, `pinned`. */
  reason: string;
  /** True when the item names the rule in a `<!-- shipshape: … -->` pin. */
  pinned: boolean;
  mode: LinkTarget['mode'];
  /** The rule's audit status (undefined when the audit has no result for it, e.g. the rule is off). */
  status?: ItemStatus;
}

export interface LinkedItem {
  text: string;
  plain: string;
  headingPath: string[];
  checked: boolean;
  /** A task item (`- [ ]`); false for a plain list line of a checklist kept without checkboxes (never ticked). */
  task: boolean;
  line: number;
  range: Range;
  checkboxRange: Range;
  links: ItemLink[];
  /**
   * fail: a linked automated rule fails. pass: the linked automated rules that apply all pass. manual: nothing
   * automated speaks of it (no link, only manual or evidence rules, or pinned `manual`). not-applicable: every
   * linked automated rule had nothing to check.
   */
  status: ItemStatus;
  /** The line's tick compared with the checks (see {@link lineVerdict}): a hand tick no check verified is `ticked-unverified`. */
  verdict: LineVerdict;
  /** Findings of the failing linked rules. */
  findings: Finding[];
  /** Evidence gathered by linked evidence rules, for a person to confirm. */
  evidence: Evidence[];
  /** Sign-offs of linked manual rules. */
  attestations: { id: string; by: string; at: string; note?: string }[];
}

export type MarkdownDiagnosticCode = 'markdown.ticked-failing' | 'markdown.ticked-unverified' | 'markdown.unticked-passing' | 'markdown.failing' | 'markdown.unknown-pin';

export interface MarkdownDiagnostic {
  file: string;
  range: Range;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: MarkdownDiagnosticCode;
  message: string;
  related: RelatedInfo[];
  /** Index of the item in {@link LinkedChecklist.items}; quick fixes tick (`tick: true`) or untick it. */
  item: number;
  tick?: boolean;
}

export interface LinkedChecklist {
  file: string;
  title?: string;
  items: LinkedItem[];
  diagnostics: MarkdownDiagnostic[];
  problems: Problem[];
  summary: { items: number; linked: number; automated: number; pass: number; fail: number; manual: number; notApplicable: number; unaudited: number; checked: number; tickedUnverified: number };
}

/**
 * Link targets for the resolved items of the active checklists: everything a line is compared with comes from the
 * rule's data (its title, its lexicon `matches` and `broaderMatches`, and the names its check parameters read).
 */
export function targetsOf(items: readonly ResolvedItem[]): LinkTarget[] {
  return items.map((ri) => {
    // what the check's template reads whatever the params (`LABEL`, `targetPort`)
    const reads = readNames((ri.params !== undefined && ri.template?.reads?.(ri.params)) || []);
    return {
      id: ri.item.id,
      title: ri.item.title,
      matches: ri.item.matches,
      inherited: ri.item.broaderMatches ?? [],
      inheritedWeight: INHERITED,
      aliases: ri.item.aliases,
      mode: !ri.template ? 'manual' : ri.item.evidence ? 'evidence' : 'auto',
      extra: ri.item.with ? JSON.stringify(ri.item.with) : undefined,
      // What the check reads and what its fix writes name the rule's subject (`fields: [runAsNonRoot]`).
      derived: [idPhrasing(ri.item.id), ...paramPhrasings(ri.item.with), ...paramPhrasings(ri.item.fix?.with, [...FIX_TERM_KEYS])],
      terms: [...paramTerms(ri.item.with), ...paramTerms(ri.item.fix?.with, FIX_TERM_KEYS), ...scriptTerms(ri.item.check, ri.item.with), ...reads.instructions],
      fields: [...fieldNames(ri.item.with), ...reads.fields],
      textTerms: textTerms([ri.item.title, ...ri.item.matches]),
      concept: ri.template ? itemConcept(ri.item) : undefined,
      domain: ri.checklist.id === 'dockerfile' || ri.checklist.id === 'kubernetes' ? ri.checklist.id : ri.item.id.startsWith('compose.') ? 'compose' : undefined,
    };
  });
}

const indexCache = new WeakMap<readonly unknown[], { targets: readonly LinkTarget[]; index: LinkIndex }>();

/** Targets and link index for a list of resolved items (or ready targets), built once per list. */
export function linkIndexFor(items: readonly ResolvedItem[] | readonly LinkTarget[]): { targets: readonly LinkTarget[]; index: LinkIndex } {
  let entry = indexCache.get(items);
  if (!entry) {
    const targets = items.length > 0 && 'item' in items[0] ? targetsOf(items as readonly ResolvedItem[]) : (items as readonly LinkTarget[]);
    entry = { targets, index: new LinkIndex(targets) };
    indexCache.set(items, entry);
  }
  return entry;
}

/** Resolves one pinned id: an exact id, an id prefix standing for its finer items (`k8s.pod-security`), or a peer alias. */
export function resolvePin(pin: string, targets: readonly LinkTarget[]): LinkTarget[] {
  const exact = targets.filter((t) => t.id === pin);
  if (exact.length) return exact;
  const finer = targets.filter((t) => t.id.startsWith(`${pin}.`));
  if (finer.length) return finer;
  const lower = pin.toLowerCase();
  return targets.filter((t) => t.aliases?.some((a) => a.toLowerCase() === lower));
}

/** A line that deploys to an environment, or says it was deployed there. */
const DEPLOY_STEP = /^[\s*_]*deploy\s+to\s+(?:the\s+)?(?:production|prod|staging|stage|live)\b|\bdeployed\s+to\s+(?:the\s+)?(?:production|prod|staging|live)\b/i;
/** Words naming a pipeline, its automation or its approval gate: a deploy step said there is the pipeline's. */
const PIPELINE = /\b(?:ci|cd|ci\/cd|cicd|pipelines?|workflows?|github actions|gitlab|jenkins|automat\w*|gitops|argo ?cd|flux|continuous|approvals?|approved|gated?)\b/i;

/** A heading naming the moment a release happens or just after it. */
const RELEASE_MOMENT = /\b(?:during|after|immediately after)\s+(?:the\s+)?(?:deploy\w*|launch\w*|release\w*|go[- ]?live|cutover|rollout)\b|^\W*immediately after\b|\bpost[- ]?(?:deploy\w*|launch\w*|release|go[- ]?live|cutover|rollout)\b|\bT\s*\+\s*\d/i;

/**
 * The links of one parsed item: its pin when it has one, the tolerant text match otherwise. `parent` is the line it is
 * nested under, if any: its topic, as a heading is for a line directly under it.
 */
export function linksOf(item: MarkdownItem, targets: readonly LinkTarget[], index: LinkIndex, parent?: MarkdownItem): { links: Omit<ItemLink, 'status'>[]; unknownPins: string[] } {
  if (item.pin) {
    if (item.pin.manual) return { links: [], unknownPins: [] };
    const links: Omit<ItemLink, 'status'>[] = [];
    const unknownPins: string[] = [];
    for (const id of item.pin.ids) {
      const found = resolvePin(id, targets);
      if (!found.length) unknownPins.push(id);
      for (const t of found) if (!links.some((l) => l.id === t.id)) links.push({ id: t.id, reason: found.length > 1 || t.id !== id ? `pinned (${id})` : 'pinned', pinned: true, mode: t.mode });
    }
    return { links, unknownPins };
  }
  const context = parent ? [...item.headingPath, parent.plain] : item.headingPath;
  let links = index.link(item.text, textDomain(item.text) ?? contextDomain(context), platformSection(context), parent?.plain ?? item.headingPath.at(-1)).map((l) => ({ id: l.id, reason: l.reason, pinned: false, mode: l.mode }));
  // A release step ("Deploy to production", "Deployed to staging") is a pipeline's stage in a section about the pipeline,
  // and a person's act, done once, anywhere else: no file shows it done.
  if (DEPLOY_STEP.test(item.plain) && ![item.plain, ...context].some((t) => PIPELINE.test(t))) links = links.filter((l) => l.mode === 'manual');
  // A section for the moment of a release ("During deployment", "Immediately after", "Post-launch (T+2 hours)") lists
  // what people do and watch then: no check of the files sees it (a person may still confirm evidence), unless the
  // line says the pipeline does it ("Automated smoke tests run after each deploy").
  else if (item.headingPath.some((h) => RELEASE_MOMENT.test(h)) && !PIPELINE.test(item.plain)) links = links.filter((l) => l.mode !== 'auto');
  return { links, unknownPins: [] };
}

function statusOf(links: readonly ItemLink[]): ItemStatus {
  const auto = links.filter((l) => l.mode === 'auto' && l.status !== undefined);
  if (auto.some((l) => l.status === 'fail')) return 'fail';
  // A linked check that could not read its inputs settles nothing: the line is not a pass.
  if (auto.some((l) => l.status === 'unaudited')) return 'unaudited';
  if (auto.some((l) => l.status === 'pass')) return 'pass';
  // Every linked automated rule found nothing to check: not applicable, unless a person still has evidence to confirm.
  if (auto.length > 0 && links.every((l) => l.mode === 'auto')) return 'not-applicable';
  return 'manual';
}

const MAX_RELATED = 20;

/** The failing checks of a line and their first findings (`k8s.x fails: message (file:line); …`), with each finding as related information. */
function failingChecks(links: readonly ItemLink[], findings: readonly Finding[]): { message: string; related: RelatedInfo[] } {
  const failing = links.filter((l) => l.status === 'fail').map((l) => l.id);
  const first = findings.slice(0, 3).map((f) => `${f.message} (${where(f)})`);
  const more = findings.length > 3 ? `; and ${findings.length - 3} more` : '';
  return {
    message: `${failing.join(', ')} ${failing.length > 1 ? 'fail' : 'fails'}: ${first.join('; ')}${more}`,
    related: findings.filter((f) => !isRepositoryFinding(f)).slice(0, MAX_RELATED).map((f) => ({ file: f.file, range: f.range, message: `${f.ruleId}: ${f.message}` })),
  };
}

function where(f: Finding): string {
  return isRepositoryFinding(f) ? 'repository' : `${f.file}:${f.range.start.line + 1}`;
}

/**
 * Links a parsed Markdown checklist to the audit: each item gets the rules it speaks of (with the reason),
 * a status from those rules' results, and the diagnostics a person should see on the Markdown file.
 * Pure: the same inputs give the same output; nothing is read or thrown.
 */
export function linkChecklist(
  file: { path: string; model: MarkdownChecklistModel | undefined; problems?: readonly Problem[] },
  audit: AuditResult | undefined,
  resolvedItems: readonly ResolvedItem[] | readonly LinkTarget[],
): LinkedChecklist {
  const { targets, index } = linkIndexFor(resolvedItems);
  const results = new Map<string, ItemResult>((audit?.items ?? []).map((r) => [r.id, r]));
  const items: LinkedItem[] = [];
  const diagnostics: MarkdownDiagnostic[] = [];
  const problems: Problem[] = [...(file.problems ?? [])];
  const model = file.model;
  const modelItems = model?.items ?? [];
  const own = modelItems.map((item) => linksOf(item, targets, index, item.parent === undefined ? undefined : modelItems[item.parent]));
  const grouped = withGroupLinks(modelItems, own.map((o) => o.links));
  for (const [i, item] of modelItems.entries()) {
    const { unknownPins } = own[i];
    const links: ItemLink[] = grouped[i].map((l) => ({ ...l, status: results.get(l.id)?.status }));
    const linked = links.map((l) => results.get(l.id)).filter((r): r is ItemResult => !!r);
    const status = statusOf(links);
    const findings = linked.filter((r) => r.mode === 'auto' && r.status === 'fail').flatMap((r) => r.findings);
    const evidence = linked.filter((r) => r.mode === 'evidence').flatMap((r) => r.evidence);
    const attestations = linked.filter((r) => r.attestation).map((r) => ({ id: r.id, ...r.attestation! }));
    const verdict = lineVerdict({ checked: item.checked, task: item.task, status, links, attestations });
    items.push({ text: item.text, plain: item.plain, headingPath: item.headingPath, checked: item.checked, task: item.task, line: item.line, range: item.range, checkboxRange: item.checkboxRange, links, status, verdict, findings, evidence, attestations });
    if (unknownPins.length && item.pin) {
      diagnostics.push({
        file: file.path,
        range: item.pin.range,
        severity: 'warning',
        code: 'markdown.unknown-pin',
        message: `Unknown rule id${unknownPins.length > 1 ? 's' : ''} in pin: ${unknownPins.join(', ')}. Use ids from "shipshape rules" (or a prefix such as k8s.pod-security).`,
        related: [],
        item: i,
      });
    }
    if (item.checked && status === 'fail') {
      const failed = failingChecks(links, findings);
      diagnostics.push({ file: file.path, range: item.textRange, severity: 'warning', code: 'markdown.ticked-failing', message: `Ticked, but ${failed.message}`, related: failed.related, item: i, tick: false });
    } else if (verdict === 'ticked-unverified') {
      // A hint, not a warning: many ticked lines are operational facts only a person can attest.
      diagnostics.push({
        file: file.path,
        range: item.textRange,
        severity: 'hint',
        code: 'markdown.ticked-unverified',
        message: `Ticked, not verified: ${unverifiedReason({ checked: item.checked, status, links, attestations })}.`,
        related: [],
        item: i,
      });
    } else if (!item.task && status === 'fail') {
      // A plain list line states what must hold, though nobody ticked it: which checks contradict it, as a hint.
      const failed = failingChecks(links, findings);
      diagnostics.push({ file: file.path, range: item.textRange, severity: 'hint', code: 'markdown.failing', message: failed.message, related: failed.related, item: i });
    } else if (item.task && !item.checked && status === 'pass') {
      const passing = links.filter((l) => l.mode === 'auto' && l.status === 'pass').map((l) => l.id);
      diagnostics.push({
        file: file.path,
        range: item.textRange,
        severity: 'hint',
        code: 'markdown.unticked-passing',
        message: `Not ticked, but ${passing.join(', ')} ${passing.length > 1 ? 'pass' : 'passes'}: this item can be ticked.`,
        related: [],
        item: i,
        tick: true,
      });
    }
  }
  const count = (s: ItemStatus) => items.filter((i) => i.status === s).length;
  return {
    file: file.path,
    title: model?.title,
    items,
    diagnostics,
    problems,
    summary: {
      items: items.length,
      linked: items.filter((i) => i.links.length > 0).length,
      automated: items.filter((i) => i.links.some((l) => l.mode === 'auto')).length,
      pass: count('pass'),
      fail: count('fail'),
      manual: count('manual'),
      notApplicable: count('not-applicable'),
      unaudited: count('unaudited'),
      checked: items.filter((i) => i.checked).length,
      tickedUnverified: items.filter((i) => i.verdict === 'ticked-unverified').length,
    },
  };
}

/** Names and titles of readiness checklists: PRODUCTION_CHECKLIST.md, "Go-live checklist", docs/release.md… */
const READINESS_NAME = /checklist|readiness|production|prod[-_. ]ready|launch|release|deploy|go[-_ ]?live|rollout|runbook|shipping/i;

/**
 * Files whose ticked items record what was done, not what must hold: a changelog or release notes (merged pull
 * requests as `- [x]`), the project's history, and the issue and pull request templates of a repository.
 */
const RECORD_NAME = /(?:^|\/)(?:change[-_ ]?logs?|changes|history|news|release[-_ ]?notes)(?:[-_.]v?\d[\w.-]*)?\.(?:md|markdown)$|(?:^|\/)(?:change[-_ ]?logs?|release[-_ ]?notes)\/|(?:^|\/)\.github\/(?:issue_template|pull_request_template)/i;

/**
 * Whether a Markdown file with task items is a readiness checklist worth linking: configured in
 * `markdown:`, named or titled like one, or at least two of its items speak of rules (a README's TODO list
 * does not). A file whose items are plain list lines is one when configured or named as a checklist. A changelog, release notes or a GitHub template is not, whatever its items say, unless configured.
 */
export function isReadinessChecklist(linked: LinkedChecklist, configured: ReadonlySet<string> = new Set()): boolean {
  if (configured.has(linked.file)) return true;
  if (RECORD_NAME.test(linked.file)) return false;
  // plain list lines are a checklist's only in a file named as one (any other Markdown file has lists)
  if (linked.items.length > 0 && !linked.items.some((i) => i.task)) return CHECKLIST_FILE.test(linked.file);
  if (READINESS_NAME.test(linked.file) || (linked.title !== undefined && READINESS_NAME.test(linked.title))) return true;
  return linked.items.filter((i) => i.links.some((l) => l.mode !== 'manual' && !l.pinned)).length >= 2 || linked.items.some((i) => i.links.some((l) => l.pinned));
}

/**
 * Links every parsed Markdown checklist among the files (kind `markdown`), in path order; files that do not
 * look like readiness checklists ({@link isReadinessChecklist}) are left out unless `configured`.
 */
export function linkMarkdownFiles(
  files: readonly ParsedFile[],
  audit: AuditResult | undefined,
  resolvedItems: readonly ResolvedItem[] | readonly LinkTarget[],
  configured: readonly string[] = [],
): LinkedChecklist[] {
  const wanted = new Set(configured);
  return files
    // a report Shipshape wrote is never read back as a checklist
    .filter((f) => f.kind === 'markdown' && f.model !== undefined && !isShipshapeReport(f.text))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => linkChecklist({ path: f.path, model: f.model as MarkdownChecklistModel, problems: f.problems }, audit, resolvedItems))
    .filter((l) => isReadinessChecklist(l, wanted));
}
