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

export type ItemStatus = 'pass' | 'fail' | 'manual' | 'not-applicable';

/** What the scanner knows a file to be. */
export type FileKind =
  | 'dockerfile'
  | 'kubernetes'
  | 'env'
  | 'packageJson'
  | 'lockfile'
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
}

export interface RelatedInfo {
  file: string;
  range: Range;
  message: string;
}

/** What a check template reports, before the audit attaches rule id, severity and suppression. */
export interface RawFinding {
  file: string;
  range: Range;
  message: string;
  /** `Kind/name` of the Kubernetes object, or the stage name of a Dockerfile. */
  object?: string;
  container?: string;
  related?: RelatedInfo[];
  /** Serialisable data a fix needs to locate its target again (e.g. a YAML path). */
  data?: Record<string, unknown>;
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
  /** 0–100: (passed + attested manual items) / (passed + failed + attested manual items). */
  score: number;
}

export interface AuditResult {
  root: string;
  summary: Summary;
  items: ItemResult[];
  findings: Finding[];
  problems: Problem[];
}
