import type { AnyFix } from './fixes/template';
import type { AnyTemplate, CheckOutput } from './checks/template';
import type { Checklist, ChecklistItem, Config } from './checklist/schema';
import { TEMPLATES } from './checks';
import { FIXES } from './fixes';
import type { Attestation, AuditResult, Evidence, Finding, ItemResult, Problem, Severity, Summary } from './model';
import { parseFile } from './parse';
import { findSuppression, readSuppressions, type FileSuppressions } from './suppress';
import { WorkspaceIndex, type ParsedFile, type SourceFile } from './workspace';

/** A checklist item with its template, parsed params and effective severity. */
export interface ResolvedItem {
  item: ChecklistItem;
  checklist: Checklist;
  sectionId: string;
  sectionTitle: string;
  severity: Severity;
  template?: AnyTemplate;
  params: unknown;
  fix?: { template: AnyFix; params: unknown };
}

export interface AuditOptions {
  /** Ignore every suppression. */
  strict?: boolean;
  attestations?: ReadonlyMap<string, Attestation>;
  /** Problems found by the host (unreadable files, config errors) to report alongside. */
  problems?: readonly Problem[];
}

interface Entry {
  parsed: ParsedFile;
  /** Per-item results of file-scope checks; filled lazily, dropped when the text changes. */
  results?: Map<string, CheckOutput | undefined>;
  suppressions?: FileSuppressions;
}

/** Resolves items of the given checklists against the templates, applying config overrides. */
export function resolveItems(checklists: readonly Checklist[], config: Config = {}): { items: ResolvedItem[]; problems: Problem[] } {
  const items: ResolvedItem[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const checklist of checklists) {
    for (const section of checklist.sections) {
      for (const item of section.items) {
        if (seen.has(item.id)) {
          problems.push({ file: checklist.file ?? checklist.id, message: `Item "${item.id}" is defined by more than one checklist; the first one wins.`, severity: 'warning' });
          continue;
        }
        seen.add(item.id);
        const setting = config.rules?.[item.id];
        const sev = typeof setting === 'string' ? setting : setting?.severity;
        if (sev === 'off') continue;
        const template = item.check ? TEMPLATES.get(item.check) : undefined;
        let params: unknown = undefined;
        if (template) {
          const withParams = { ...(item.with ?? {}), ...(typeof setting === 'object' ? (setting.with ?? {}) : {}) };
          const parsed = template.params.safeParse(withParams);
          if (!parsed.success) {
            problems.push({ file: '.shipshape.yaml', message: `rules.${item.id}.with: ${parsed.error.issues[0]?.message ?? 'invalid'}`, severity: 'error' });
            continue;
          }
          params = parsed.data;
        }
        const fixTemplate = item.fix ? FIXES.get(item.fix.template) : undefined;
        const fixParams = fixTemplate?.params.safeParse(item.fix?.with ?? {});
        items.push({
          item,
          checklist,
          sectionId: section.id,
          sectionTitle: section.title,
          severity: (sev as Severity | undefined) ?? item.severity,
          template,
          params,
          fix: fixTemplate && fixParams?.success ? { template: fixTemplate, params: fixParams.data } : undefined,
        });
      }
    }
  }
  return { items, problems };
}

/**
 * The audit engine: keeps parsed files and per-file check results keyed by content, so that after an
 * edit only the changed file's checks and the workspace-wide checks run again.
 */
export class Engine {
  private readonly entries = new Map<string, Entry>();
  private items: ResolvedItem[] = [];
  private itemProblems: Problem[] = [];
  private readonly itemById = new Map<string, ResolvedItem>();

  constructor(
    checklists: readonly Checklist[],
    config: Config = {},
    readonly root = '.',
  ) {
    this.configure(checklists, config);
  }

  configure(checklists: readonly Checklist[], config: Config = {}): void {
    const { items, problems } = resolveItems(checklists, config);
    this.items = items;
    this.itemProblems = problems;
    this.itemById.clear();
    for (const i of items) this.itemById.set(i.item.id, i);
    for (const e of this.entries.values()) e.results = undefined;
  }

  get resolvedItems(): readonly ResolvedItem[] {
    return this.items;
  }

  item(id: string): ResolvedItem | undefined {
    return this.itemById.get(id);
  }

  /** Adds or updates a file. Returns false when the content is unchanged (nothing to re-run). */
  upsert(src: SourceFile): boolean {
    const old = this.entries.get(src.path);
    if (old && old.parsed.text === src.text && old.parsed.kind === src.kind) return false;
    this.entries.set(src.path, { parsed: parseFile(src) });
    return true;
  }

  remove(path: string): boolean {
    return this.entries.delete(path);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  file(path: string): ParsedFile | undefined {
    return this.entries.get(path)?.parsed;
  }

  get paths(): string[] {
    return [...this.entries.keys()];
  }

  audit(options: AuditOptions = {}): AuditResult {
    const files = [...this.entries.values()].map((e) => e.parsed);
    const ws = new WorkspaceIndex(files);
    const findings: Finding[] = [];
    const results: ItemResult[] = [];
    let suppressed = 0;
    for (const ri of this.items) {
      const { item } = ri;
      const itemFindings: Finding[] = [];
      const evidence: Evidence[] = [];
      let applicable = false;
      const collect = (out: CheckOutput | undefined) => {
        if (!out) return;
        applicable = true;
        for (const f of out.findings) itemFindings.push({ ...f, ruleId: item.id, severity: ri.severity, fixable: !!ri.fix });
        if (out.evidence) evidence.push(...out.evidence);
      };
      const t = ri.template;
      if (t?.scope === 'file') {
        for (const kind of t.kinds) {
          for (const f of ws.byKind(kind)) {
            const entry = this.entries.get(f.path)!;
            if (f.model === undefined) continue;
            entry.results ??= new Map();
            let out = entry.results.get(item.id);
            if (!entry.results.has(item.id)) {
              out = safeRun(() => t.run(f, ri.params), f.path, item.id, this.runProblems);
              entry.results.set(item.id, out);
            }
            collect(out);
          }
        }
      } else if (t?.scope === 'workspace') {
        collect(safeRun(() => t.run(ws, ri.params), '', item.id, this.runProblems));
      }
      // suppression
      const reported: Finding[] = [];
      for (const f of itemFindings) {
        const entry = this.entries.get(f.file);
        if (entry && !options.strict) {
          entry.suppressions ??= readSuppressions(entry.parsed);
          const s = findSuppression(entry.suppressions, f, item.aliases);
          if (s) {
            suppressed++;
            continue;
          }
        }
        reported.push(f);
      }
      findings.push(...reported);
      const mode: ItemResult['mode'] = !t ? 'manual' : item.evidence ? 'evidence' : 'auto';
      const attestation = options.attestations?.get(item.id);
      let status: ItemResult['status'];
      if (mode !== 'auto') status = 'manual';
      else if (!applicable) status = 'not-applicable';
      else status = reported.length > 0 ? 'fail' : 'pass';
      results.push({
        id: item.id,
        title: item.title,
        checklist: ri.checklist.id,
        section: ri.sectionTitle,
        severity: ri.severity,
        status,
        aliases: item.aliases,
        findings: mode === 'auto' ? reported : [],
        evidence: mode === 'auto' ? evidence : [...evidence, ...reported.map((f) => ({ file: f.file, range: f.range, message: f.message }))],
        mode,
        attestation: mode !== 'auto' ? attestation : undefined,
        fixable: !!ri.fix,
        docs: item.docs,
      });
    }
    const autoFindings = findings.filter((f) => this.itemById.get(f.ruleId)?.item.evidence !== true && this.itemById.get(f.ruleId)?.template);
    const problems = [...(options.problems ?? []), ...this.itemProblems, ...this.runProblems.splice(0), ...files.flatMap((f) => f.problems)];
    return { root: this.root, summary: summarize(files.length, autoFindings, results, suppressed), items: results, findings: sortFindings(autoFindings), problems };
  }

  private readonly runProblems: Problem[] = [];
}

function safeRun<T>(fn: () => T, file: string, itemId: string, problems: Problem[]): T | undefined {
  try {
    return fn();
  } catch (e) {
    problems.push({ file, message: `Check ${itemId} failed on this file: ${(e as Error).message}`, severity: 'error' });
    return undefined;
  }
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)));
}

export function summarize(fileCount: number, findings: readonly Finding[], items: readonly ItemResult[], suppressed: number): Summary {
  const reported = findings;
  const passed = items.filter((i) => i.status === 'pass').length;
  const failed = items.filter((i) => i.status === 'fail').length;
  const manual = items.filter((i) => i.status === 'manual').length;
  const attested = items.filter((i) => i.status === 'manual' && i.attestation).length;
  // Unattested manual items do not lower the score: it measures what is proven (checks) or signed off.
  const denominator = passed + failed + attested;
  return {
    files: fileCount,
    findings: reported.length,
    errors: reported.filter((f) => f.severity === 'error').length,
    warnings: reported.filter((f) => f.severity === 'warning').length,
    infos: reported.filter((f) => f.severity === 'info').length,
    passed,
    failed,
    manual,
    notApplicable: items.filter((i) => i.status === 'not-applicable').length,
    suppressed,
    score: denominator === 0 ? 100 : Math.round(((passed + attested) / denominator) * 100),
  };
}
