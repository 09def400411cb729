import type { AnyFix } from './template';

/** Every fix template, by id. Checklist items refer to these by `fix.template`. */
export const FIXES: ReadonlyMap<string, AnyFix> = new Map([].map((f: AnyFix) => [f.id, f]));
