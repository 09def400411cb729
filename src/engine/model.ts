/**
 * Plain data shared by the engine and its hosts. Everything here is serialisable;
 * positions are 0-based with UTF-16 character offsets (the same convention as LSP and VS Code).
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/**
 * `unaudited`: the item found nothing wrong, but some input it reads could not be read, parsed, rendered or
 * typed (see `Unaudited`), so it cannot pass.
 */
export type ItemStatus = 'pass' | 'fail' | 'unaudited' | 'manual' | 'not-applicable';

/** What the scanner knows a file to be. */
export type FileKind =
  | 'dockerfile'
  | 'kubernetes'
  | 'env'
  | 'packageJson'
  | 'lockfile'
  /** A language's build or dependency file (go.mod, requirements.txt, pom.xml, *.csproj…): only its name and place are read. */
  | 'buildManifest'
  | 'gitignore'
  | 'dockerignore'
  | 'compose'
  | 'ciWorkflow'
  | 'markdown'
  | 'checklist'
  | 'config'
  /** Tool configuration read as text by workspace checks: tsconfig, jest/vitest/nyc/c8, ESLint, Playwright/Cypress, Dependabot/Renovate. */
  | 'toolConfig';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A file-level edit set: the file is relative to the workspace root; `create` makes a new file. */
export interface FileEdit {
  file: string;
  edits: TextEdit[];
  create?: boolean;
}

/** Something the engine could not read or understand. Never thrown: always returned. */
export interface Problem {
  file: string;
  message: string;
  range?: Range;
  severity?: Severity;
  /**
   * Set when the problem kept (part of) the input from being audited: the audit reports it in
   * `AuditResult.unaudited` (with the message as the reason), not among the problems.
   */
  unaudited?: UnauditedScope;
  /** `Kind/name` of the Kubernetes object it concerns, when one. */
  object?: string;
}

/** How much of an input could not be audited. */
export type UnauditedScope = 'file' | 'document' | 'object' | 'field';

/**
 * An input, or part of one, that the engine could not audit: unreadable, unparsable, unrendered or wrongly
 * typed. Every input ends audited, unaudited (one of these, with the reason and where) or out of scope;
 * an unaudited input is never a pass: it counts against the score and the exit code (see `UnauditedPolicy`).
 */
export interface Unaudited {
  file: string;
  /** Where reading stopped: the offending line, document, object or field (the file's start when it was not read at all). */
  range: Range;
  /** Why, in the user's words: "YAML syntax error: …", "spec.template.spec.containers[0].resources should be a map, found a list". */
  reason: string;
  scope: UnauditedScope;
  /** The kind of file, when known: items that read this kind cannot pass while it is unaudited. */
  kind?: FileKind;
  /** `Kind/name` of the Kubernetes object, when one object (or one of its fields) could not be audited. */
  object?: string;
  /** The items whose checks could not read it; absent when none could (the whole file or document). */
  rules?: string[];
  /**
   * Set when this place was read but a judgement about it waits on another input that could not be read (`file:line`
   * of that input): a selector whose pods may be in an unreadable manifest document.
   */
  awaiting?: string;
}

/**
 * How unaudited inputs count (`unaudited:` in .shipshape.yaml): `error` (default) like an error finding,
 * `warn` like a warning, `ignore` neither in the score nor the exit code (they are still reported).
 */
export type UnauditedPolicy = 'error' | 'warn' | 'ignore';

/** The severity unaudited inputs count with for `--fail-on` (undefined: they never fail a scan). */
export function unauditedSeverity(policy: UnauditedPolicy): Severity | undefined {
  return policy === 'error' ? 'error' : policy === 'warn' ? 'warning' : undefined;
}

export interface RelatedInfo {
  file: string;
  range: Range;
  message: string;
}

/**
 * Where a finding is: a place in a file (the default), or the repository as a whole (`repository`: no CI
 * workflow, no compose file, a setting declared nowhere). A repository finding has no file and no range:
 * its `file` is '' and its `range` is empty, and every output shows it under the repository, never at a
 * line of some file.
 */
export type FindingScope = 'file' | 'repository';

/** What a check template reports, before the audit attaches rule id, severity and suppression. */
export interface RawFinding {
  /** Relative to the root; '' for a repository finding. */
  file: string;
  /** Empty (0:0) and meaningless for a repository finding. */
  range: Range;
  message: string;
  /** Absent: a file finding. */
  scope?: FindingScope;
  /** `Kind/name` of the Kubernetes object, or the stage name of a Dockerfile. */
  object?: string;
  container?: string;
  related?: RelatedInfo[];
  /** Serialisable data a fix needs to locate its target again (e.g. a YAML path). */
  data?: Record<string, unknown>;
}

const NO_RANGE: Range = Object.freeze({ start: Object.freeze({ line: 0, character: 0 }), end: Object.freeze({ line: 0, character: 0 }) }) as Range;

/** A finding about the repository as a whole, not about a place in a file. */
export function repositoryFinding(message: string, data?: Record<string, unknown>): RawFinding {
  return { file: '', range: NO_RANGE, message, scope: 'repository', ...(data ? { data } : {}) };
}

export function isRepositoryFinding(f: Pick<RawFinding, 'scope'>): boolean {
  return f.scope === 'repository';
}

export interface Finding extends RawFinding {
  ruleId: string;
  severity: Severity;
  fixable: boolean;
}

/** A piece of evidence shown for an item that a person still has to confirm. */
export interface Evidence {
  file: string;
  range: Range;
  message: string;
}

export interface Attestation {
  by: string;
  at: string;
  note?: string;
}

export interface ItemResult {
  id: string;
  title: string;
  checklist: string;
  section: string;
  severity: Severity;
  status: ItemStatus;
  aliases: string[];
  findings: Finding[];
  evidence: Evidence[];
  /** Automated (has a check), evidence-only, or manual. */
  mode: 'auto' | 'evidence' | 'manual';
  attestation?: Attestation;
  fixable: boolean;
  docs?: { why?: string; fix?: string; url?: string };
}

export interface Summary {
  files: number;
  findings: number;
  errors: number;
  warnings: number;
  infos: number;
  passed: number;
  failed: number;
  manual: number;
  notApplicable: number;
  suppressed: number;
  /** Inputs (files, documents, objects, fields) that could not be audited: the length of `AuditResult.unaudited`. */
  unaudited: number;
  /** Items that found nothing wrong but could not read every input they apply to (status `unaudited`). */
  unauditedItems: number;
  /** How unaudited inputs count in the score and exit code. */
  unauditedPolicy: UnauditedPolicy;
  /** No file of any kind was found to audit: its own result, scored 0 and never a pass. */
  nothingToAudit: boolean;
  /**
   * 0–100: (passed + attested manual items) / (passed + failed + unaudited items + attested manual items);
   * unaudited items are left out with `unaudited: ignore`. 0 when there was nothing to audit.
   */
  score: number;
}

export interface AuditResult {
  root: string;
  summary: Summary;
  items: ItemResult[];
  findings: Finding[];
  problems: Problem[];
  /** What could not be audited, in file order: data for every output, never a quiet pass. */
  unaudited: Unaudited[];
}
