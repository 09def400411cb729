import { z } from 'zod';
import type { RawFinding } from '../../model';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import type { EnvContext, EnvVar } from './context';

/**
 * Key specs: `DB_USER|DB_USERNAME|DATABASE_USER` names one setting under any of its spellings.
 */
export function alternatives(spec: string): string[] {
  return spec.split('|').map((s) => s.trim()).filter(Boolean);
}

export function varsOf(ctx: EnvContext, spec: string): EnvVar[] {
  return alternatives(spec).flatMap((k) => ctx.byKey.get(k) ?? []);
}

export function declared(ctx: EnvContext, spec: string): boolean {
  return varsOf(ctx, spec).length > 0;
}

/** Placeholder values in example files: empty, `<…>`, `${…}`, `your-…`, `…-here`, `changeme`, `xxx`, `***`, `TODO`. */
export function isPlaceholder(value: string | undefined): boolean {
  if (value === undefined) return true;
  const v = value.trim();
  if (v === '') return true;
  return (
    /^<[^<>]*>$/.test(v) ||
    /^\$\{?[A-Za-z_][A-Za-z0-9_]*/.test(v) ||
    /^\{\{.*\}\}$/.test(v) ||
    /^(your|my)[-_ ]/i.test(v) ||
    /[-_ ](here|goes[-_ ]here)$/i.test(v) ||
    /^(change[-_ ]?me|replace[-_ ]?me|to[-_ ]?do|todo|fixme|tbd|none|null|undefined|placeholder|secret[-_ ]?here|set[-_ ]?me)$/i.test(v) ||
    /^(x+|\*+|\.+|-+)$/i.test(v)
  );
}

/** Values everybody guesses first. */
export const WEAK_SECRETS = ['secret', 'jwt_secret', 'jwt-secret', 'jwtsecret', 'changeme', 'change-me', 'change_me', 'password', 'passw0rd', 'p@ssw0rd', 'postgres', 'root', 'admin', 'redis', 'default', 'test', 'dev', 'development', 'example', 'mysecret', 'supersecret', 'super-secret', 'topsecret', 'qwerty', '123456', '12345678', 'letmein'];

/** A secret literal that is too short, a known weak value or one repeated character. Never returns the value. */
export function weakSecret(value: string, minLength: number, weak: readonly string[]): string | undefined {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (weak.some((w) => lower === w.toLowerCase())) return 'is a well-known default value';
  if (/^(.)\1*$/.test(v)) return 'repeats one character';
  if (isPlaceholder(v)) return 'is a placeholder';
  if (v.length < minLength) return `is shorter than ${minLength} characters (${v.length})`;
  return undefined;
}

export function isTrue(value: string): boolean {
  return /^(true|1|yes|on)$/i.test(value.trim());
}

const LOCAL_RE = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|\[::1\]|host\.docker\.internal)$/i;

export function isLocalHost(host: string): boolean {
  return LOCAL_RE.test(host.trim());
}

/** Host of a URL or of a bare host value; undefined when there is none. */
export function hostOf(value: string): string | undefined {
  const v = value.trim();
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(v);
  if (m) return m[1];
  if (/^[A-Za-z0-9.-]+(:\d+)?$/.test(v)) return v.replace(/:\d+$/, '');
  return undefined;
}

/** Parses a whole number; undefined when the text is not one. */
export function asInteger(value: string): number | undefined {
  const v = value.trim();
  return /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/** The query parameters of a URL value (a connection string), lower-cased names. */
export function urlQuery(value: string): Map<string, string> {
  const out = new Map<string, string>();
  const q = value.indexOf('?');
  if (q === -1) return out;
  for (const part of value.slice(q + 1).split(/[&;]/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).toLowerCase(), decodeURIComponentSafe(part.slice(eq + 1)));
  }
  return out;
}

/** The password part of a connection URL (`scheme://user:password@host`), when one is written. */
export function urlPassword(value: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:([^@/]*)@/i.exec(value.trim());
  return m ? decodeURIComponentSafe(m[1]) : undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** When an env rule applies: a dependency is used, or one of the keys is declared anywhere. */
export const WhenSchema = z
  .strictObject({
    dependencies: z.array(z.string()).optional().describe('Applies when package.json depends on one of these (a trailing * matches a prefix, e.g. @sentry/*).'),
    declared: z.array(z.string()).optional().describe('Applies when one of these keys (A|B alternatives) is declared anywhere.'),
    keysMatching: userPatternSchema().optional().describe('Applies when a declared key matches this regular expression.'),
  })
  .optional();
export type When = z.infer<typeof WhenSchema>;

/** The first of `names` (a trailing * matches a prefix: `@sentry/*`) among the dependencies `deps`. */
export function dependencyIn(deps: ReadonlySet<string>, names: readonly string[]): string | undefined {
  for (const n of names) {
    if (n.endsWith('*')) {
      const prefix = n.slice(0, -1);
      for (const d of deps) if (d.startsWith(prefix)) return d;
    } else if (deps.has(n)) return n;
  }
  return undefined;
}

/** The first of `names` that some package.json of the workspace depends on. */
export function hasDependency(ctx: EnvContext, names: readonly string[]): string | undefined {
  return dependencyIn(ctx.deps, names);
}

/** Does the rule apply? No `when`: whenever the workspace has env files or a package.json. */
export function applies(ctx: EnvContext, when: When): boolean {
  if (!ctx.relevant) return false;
  if (!when) return true;
  if (when.dependencies && hasDependency(ctx, when.dependencies)) return true;
  if (when.declared && when.declared.some((s) => declared(ctx, s))) return true;
  if (when.keysMatching) {
    const re = safeRegExp(when.keysMatching);
    if (re && [...ctx.byKey.keys()].some((k) => re.test(k))) return true;
  }
  return false;
}

/** A checklist pattern (user data) compiled through safeRegex; undefined when refused (the loader reported it at the param). */
export function safeRegExp(source: string, flags = ''): RegExp | undefined {
  return userRegExp(source, flags);
}

/** `KEY in file:line` for messages and evidence (never the value). */
export function where(v: EnvVar): string {
  return `${v.file}:${v.keyRange.start.line + 1}`;
}

export function finding(v: EnvVar, message: string, onValue = false): RawFinding {
  const file = v.file;
  const range = onValue && v.valueRange.end.character + v.valueRange.end.line > 0 && !(v.valueRange.start.line === v.valueRange.end.line && v.valueRange.start.character === v.valueRange.end.character) ? v.valueRange : v.keyRange;
  const data = { key: v.key };
  // `object` and `container` only when known, in this key order: one literal per shape (no spreads, V8's slow path)
  const { object, container } = v;
  if (object && container) return { file, range, message, object, container, data };
  if (object) return { file, range, message, object, data };
  if (container) return { file, range, message, container, data };
  return { file, range, message, data };
}
