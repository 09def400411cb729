import type { z } from 'zod';
import type { Evidence, FileKind, RawFinding, Unaudited } from '../model';
import type { ParsedFile, WorkspaceView } from '../workspace';
import type { FileValues } from './fileValues';

/** What a check returns for the files it applies to. `undefined` from a check means "not applicable here". */
export interface CheckOutput {
  findings: RawFinding[];
  evidence?: Evidence[];
  /**
   * What the check could not judge (an object whose field it reads has the wrong type): the item cannot
   * pass while any is left. The audit adds the item's id.
   */
  unaudited?: Omit<Unaudited, 'rules'>[];
}

interface TemplateBase<P> {
  /** Template id used by checklist items (`check:`), e.g. `k8s.container-probe`. */
  id: string;
  /** One sentence for `shipshape rules` and the docs. */
  description: string;
  /** zod schema of the item's `with:` params; defaults live here. */
  params: z.ZodType<P>;
  /** File kinds the check reads. A change to one of them re-runs it. */
  kinds: readonly FileKind[];
  /**
   * The Dockerfile instructions and manifest fields that are the check's whole subject whatever its params name
   * (`LABEL`, `targetPort`), written as in a file: a checklist line naming one speaks of the rule (the Markdown
   * linker's names). An instruction the check judges one aspect of (the form of `CMD`, the ports of `EXPOSE`) is not:
   * checklists name those for their own sake ("Use ENTRYPOINT for the main command").
   */
  reads?: (params: P) => readonly string[];
}

/** A check that looks at one file at a time; its result is cached per file content. */
export interface FileCheckTemplate<P = unknown> extends TemplateBase<P> {
  scope: 'file';
  /** `values`: what the file's checks derive from it and share while they run together (see fileValues.ts). */
  run(file: ParsedFile, params: P, values?: FileValues): CheckOutput | undefined;
}

/** A check that looks across the workspace (PDB coverage, .dockerignore beside a Dockerfile…). Keep it linear. */
export interface WorkspaceCheckTemplate<P = unknown> extends TemplateBase<P> {
  scope: 'workspace';
  run(ws: WorkspaceView, params: P): CheckOutput | undefined;
}

export type CheckTemplate<P = unknown> = FileCheckTemplate<P> | WorkspaceCheckTemplate<P>;

/** Helper so a template module keeps its params type without casts at the definition site. */
export function fileCheck<P>(t: Omit<FileCheckTemplate<P>, 'scope'>): FileCheckTemplate<P> {
  return { ...t, scope: 'file' };
}

export function workspaceCheck<P>(t: Omit<WorkspaceCheckTemplate<P>, 'scope'>): WorkspaceCheckTemplate<P> {
  return { ...t, scope: 'workspace' };
}

export function passOrFail(findings: RawFinding[], evidence?: Evidence[]): CheckOutput {
  return evidence ? { findings, evidence } : { findings };
}

/** A template of any params type, for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTemplate = CheckTemplate<any>;
