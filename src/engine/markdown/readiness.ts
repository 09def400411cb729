import type { AuditResult, ItemResult, ItemStatus, Range } from '../model';
import type { LinkedChecklist } from './link';
import { unverifiedReason, type LineVerdict } from './verdict';

/**
 * A filled-in readiness checklist, independent of the output format: sections of entries, each with its
 * verified status, the evidence as `file:line`, and sign-offs. Built from the audit of the built-in
 * checklists or from a repository's own Markdown checklist linked to the audit. Every free text that may
 * quote a configuration value goes through {@link redact} first: secret values never reach a report.
 */

/** Where a finding or evidence sits: a file and line, or (scope 'repository', no file or line) the repository as a whole. */
export interface ReportLocation {
  file?: string;
  /** 1-based line. */
  line?: number;
  scope?: 'repository';
  message: string;
  ruleId?: string;
}

export interface ReportEntry {
  /** Plain text of the requirement. */
  text: string;
  /** The item as the team wrote it in Markdown (code spans, links), when it comes from a Markdown checklist. */
  markdown?: string;
  status: ItemStatus;
  /** Rule ids the entry stands for (one for a built-in item; the links of a Markdown item). */
  ids: string[];
  /** Why a Markdown item is linked to each rule, in the order of `ids`. */
  reasons: string[];
  findings: ReportLocation[];
  evidence: ReportLocation[];
  attestations: { id: string; by: string; at: string; note?: string }[];
  /** Markdown source only: the item's checkbox as the team left it. */
  ticked?: boolean;
  /** Markdown source only: the tick disagrees with the checks. */
  mismatch?: 'ticked-but-failing' | 'passing-but-unticked';
  /** Markdown source only: the line's tick compared with the checks; `ticked-unverified` is never a pass. */
  verdict?: LineVerdict;
  /** Markdown source only: why no check verified the line, when none did. */
  unverified?: string;
  severity?: ItemResult['severity'];
}

export interface ReportSection {
  /** Heading path, outermost first. */
  path: string[];
  entries: ReportEntry[];
}

export interface ReadinessReport {
  title: string;
  /** Where the entries come from: the built-in checklists, or the named Markdown file. */
  source: { kind: 'builtin'; checklists: string[] } | { kind: 'markdown'; file: string };
  generatedAt?: string;
  tool?: string;
  summary: { entries: number; pass: number; fail: number; manual: number; attested: number; notApplicable: number; automated: number; mismatches: number; tickedUnverified: number; score: number };
  sections: ReportSection[];
}

const SECRET_KEY = /(secret|passw(or)?d|passwd|pwd|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth[_-]?key|dsn|salt|signing[_-]?key|encryption[_-]?key)/i;
const PLACEHOLDER = /^(|<[^>]*>|\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|changeme|change-me|your[-_].*|xxx+|\*+|•+|\.\.\.|placeholder|example|todo|true|false)$/i;

/**
 * Hides values that may be secrets: `KEY=value` / `KEY: value` where the key names a secret, and the
 * password part of URLs (`postgres://user:pw@host`). Placeholders (`<...>`, `${VAR}`, `changeme`) stay.
 */
export function redact(text: string): string {
  return text
    .replace(/\b([A-Za-z][A-Za-z0-9_.-]*)(\s*=\s*|:\s*)(["'`]?)([^\s"'`,;)]+)\3/g, (all, key: string, sep: string, quote: string, value: string) => {
      // `KEY: value` only for environment-style keys (DB_PASSWORD: x); prose such as "token: missing" stays.
      if (sep.trim() === ':' && !/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(key)) return all;
      return SECRET_KEY.test(key) && !PLACEHOLDER.test(value) ? `${key}${sep}${quote}•••${quote}` : all;
    })
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi, (_all, head: string) => `${head}•••@`);
}

function at(file: string, range: Range, message: string, ruleId?: string): ReportLocation {
  // a finding about the repository as a whole has no file (see repositoryFinding): no line is made up for it
  if (file === '') return { scope: 'repository', message: redact(message), ruleId };
  return { file, line: range.start.line + 1, message: redact(message), ruleId };
}

function scoreOf(pass: number, fail: number, attested: number): number {
  const d = pass + fail + attested;
  return d === 0 ? 100 : Math.round(((pass + attested) / d) * 100);
}

function summarizeEntries(sections: readonly ReportSection[]): ReadinessReport['summary'] {
  const all = sections.flatMap((s) => s.entries);
  const n = (s: ItemStatus) => all.filter((e) => e.status === s).length;
  const attested = all.filter((e) => e.status === 'manual' && e.attestations.length > 0).length;
  return {
    entries: all.length,
    pass: n('pass'),
    fail: n('fail'),
    manual: n('manual'),
    attested,
    notApplicable: n('not-applicable'),
    automated: all.filter((e) => e.status === 'pass' || e.status === 'fail' || e.status === 'not-applicable').length,
    mismatches: all.filter((e) => e.mismatch).length,
    tickedUnverified: all.filter((e) => e.verdict === 'ticked-unverified').length,
    score: scoreOf(n('pass'), n('fail'), attested),
  };
}

/** The report of the built-in (or configured) checklists: one section per checklist section, in order. */
export function reportFromAudit(result: AuditResult, options: { title?: string; checklistTitles?: ReadonlyMap<string, string>; generatedAt?: string; tool?: string } = {}): ReadinessReport {
  const sections: ReportSection[] = [];
  const byKey = new Map<string, ReportSection>();
  for (const item of result.items) {
    const checklist = options.checklistTitles?.get(item.checklist) ?? item.checklist;
    const key = `${item.checklist}\u0000${item.section}`;
    let section = byKey.get(key);
    if (!section) {
      section = { path: [checklist, item.section], entries: [] };
      byKey.set(key, section);
      sections.push(section);
    }
    section.entries.push({
      text: redact(item.title),
      status: item.status,
      ids: [item.id],
      reasons: [],
      findings: item.findings.map((f) => at(f.file, f.range, f.message, f.ruleId)),
      evidence: item.evidence.map((e) => at(e.file, e.range, e.message)),
      attestations: item.attestation ? [{ id: item.id, ...item.attestation, note: item.attestation.note && redact(item.attestation.note) }] : [],
      severity: item.severity,
    });
  }
  const root = result.root.split(/[\\/]/).filter(Boolean).pop() ?? result.root;
  return {
    title: options.title ?? `Production readiness: ${root}`,
    source: { kind: 'builtin', checklists: [...new Set(result.items.map((i) => options.checklistTitles?.get(i.checklist) ?? i.checklist))] },
    generatedAt: options.generatedAt,
    tool: options.tool,
    summary: summarizeEntries(sections),
    sections,
  };
}

/** The report of a repository's own Markdown checklist: its headings and items, each told the truth. */
export function reportFromMarkdown(linked: LinkedChecklist, options: { title?: string; generatedAt?: string; tool?: string } = {}): ReadinessReport {
  const sections: ReportSection[] = [];
  const title = options.title ?? linked.title ?? linked.file;
  for (const item of linked.items) {
    const path = item.headingPath[0] === linked.title ? item.headingPath.slice(1) : item.headingPath;
    let section = sections.at(-1);
    if (!section || section.path.join('\u0000') !== path.join('\u0000')) {
      section = { path, entries: [] };
      sections.push(section);
    }
    const mismatch = item.checked && item.status === 'fail' ? 'ticked-but-failing' : item.task && !item.checked && item.status === 'pass' ? 'passing-but-unticked' : undefined;
    section.entries.push({
      text: redact(item.plain),
      markdown: redact(item.text.replace(/\r?\n/g, ' ')),
      status: item.status,
      ids: item.links.map((l) => l.id),
      reasons: item.links.map((l) => l.reason),
      findings: item.findings.map((f) => at(f.file, f.range, f.message, f.ruleId)),
      evidence: item.evidence.map((e) => at(e.file, e.range, e.message)),
      attestations: item.attestations.map((a) => ({ ...a, note: a.note && redact(a.note) })),
      ticked: item.checked,
      mismatch,
      verdict: item.verdict,
      ...(item.status === 'pass' || item.status === 'fail' ? {} : { unverified: unverifiedReason(item) }),
    });
  }
  return {
    title: redact(title),
    source: { kind: 'markdown', file: linked.file },
    generatedAt: options.generatedAt,
    tool: options.tool,
    summary: summarizeEntries(sections),
    sections,
  };
}
