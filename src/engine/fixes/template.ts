import type { z } from 'zod';
import type { FileEdit, Finding } from '../model';

export interface FixInput<P> {
  /** Current text of the finding's file. */
  text: string;
  finding: Finding;
  params: P;
  /** Reads another file's current text (e.g. to see a Dockerfile's base image from a .dockerignore fix). */
  readFile?: (path: string) => string | undefined;
}

export type FixOutput = { title: string; edits: FileEdit[] } | { declined: string };

/** A fix: pure function from the current text to minimal edits. */
export interface FixTemplate<P = unknown> {
  id: string;
  description: string;
  params: z.ZodType<P>;
  compute(input: FixInput<P>): FixOutput;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFix = FixTemplate<any>;
