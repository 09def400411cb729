import { parse } from 'yaml';
import type { z } from 'zod';
import type { Problem, Range } from '../model';
import { TEMPLATES } from '../checks';
import { FIXES } from '../fixes';
import { ChecklistSchema, ConfigSchema, VALIDATE_ONCE, type Checklist, type Config } from './schema';
import { parseValidated } from './located';

type Path = (string | number)[];

function pathOf(issue: z.core.$ZodIssue): Path {
  return issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Path;
}

/** The plain value of a YAML text, or undefined (errors were already reported by parseValidated). */
function plainOf(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100, prettyErrors: false });
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * When a checklist fails validation only inside some items, the other items are still usable: drop the
 * items the issues point into (they were reported, located) and validate the rest again.
 */
function salvageChecklist(text: string): Checklist | undefined {
  const plain = plainOf(text);
  if (!isRecord(plain) || !Array.isArray(plain.sections)) return undefined;
  const first = ChecklistSchema.safeParse(plain, VALIDATE_ONCE);
  if (first.success) return first.data;
  const bad = new Map<number, Set<number>>();
  for (const issue of first.error.issues) {
    const [a, si, b, ii] = pathOf(issue);
    if (a !== 'sections' || typeof si !== 'number' || b !== 'items' || typeof ii !== 'number') return undefined;
    (bad.get(si) ?? bad.set(si, new Set()).get(si)!).add(ii);
  }
  const sections = (plain.sections as unknown[]).map((s, si) =>
    isRecord(s) && Array.isArray(s.items) ? { ...s, items: s.items.map((item, ii) => (bad.get(si)?.has(ii) ? undefined : item)).filter((i) => i !== undefined) } : s,
  );
  const again = ChecklistSchema.safeParse({ ...plain, sections }, VALIDATE_ONCE);
  return again.success ? again.data : undefined;
}

/**
 * When a config fails validation, keep what is valid: drop each rules entry and each other top-level key
 * the issues point into (they were reported, located) and validate the rest again.
 */
function salvageConfig(text: string): Config | undefined {
  const plain = plainOf(text);
  if (plain === null || plain === undefined) return {};
  if (!isRecord(plain)) return undefined;
  const first = ConfigSchema.safeParse(plain, VALIDATE_ONCE);
  if (first.success) return first.data;
  const copy: Record<string, unknown> = { ...plain };
  for (const issue of first.error.issues) {
    const [key, sub] = pathOf(issue);
    if (issue.code === 'unrecognized_keys' && key === undefined) {
      for (const k of issue.keys) delete copy[k];
    } else if (key === 'rules' && typeof sub === 'string' && isRecord(copy.rules)) {
      const rules = { ...copy.rules };
      delete rules[sub];
      copy.rules = rules;
    } else if (typeof key === 'string') delete copy[key];
    else return undefined;
  }
  const again = ConfigSchema.safeParse(copy, VALIDATE_ONCE);
  return again.success ? again.data : undefined;
}

/** True when a relative path written in config leaves the folder it is relative to (absolute, `..`, `~`, a drive). */
export function escapesRoot(rel: string): boolean {
  if (/^([/\\~]|[A-Za-z]:)/.test(rel)) return true;
  let depth = 0;
  for (const seg of rel.split(/[/\\]+/)) {
    if (seg === '..') depth--;
    else if (seg !== '' && seg !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * Loads one checklist: YAML → zod → every item's template and params checked. Items whose check or
 * params are invalid are reported and dropped; the rest of the checklist stays usable.
 *
 * `options.plain` is the text's plain YAML value when the caller already has it (the built-in checklist
 * cache): it is validated without parsing the text, and the text is parsed only when that finds any
 * problem, so every problem is still located. The result is the same as without it. `options.checklist` is
 * the checklist this same code loaded from this same text before (the cache of a build), given back as it is.
 */
export function loadChecklist(text: string, file: string, options?: { plain: unknown; checklist?: Checklist }): { checklist?: Checklist; problems: Problem[] } {
  // loaded by this very build from this very text (the built-in checklist cache): nothing to check again
  if (options?.checklist) return { checklist: { ...options.checklist, file }, problems: [] };
  if (options) {
    const fast = ChecklistSchema.safeParse(options.plain ?? {}, VALIDATE_ONCE);
    if (fast.success) {
      const problems: Problem[] = [];
      const checklist = checkItems(fast.data, file, problems, () => undefined);
      if (!problems.length) return { checklist, problems };
    }
  }
  const parsed = parseValidated(text, file, ChecklistSchema, 'Checklist');
  const { problems, locate } = parsed;
  const value = parsed.value ?? (problems.length ? salvageChecklist(text) : undefined);
  if (!value) return { problems };
  return { checklist: checkItems(value, file, problems, locate), problems };
}

/** Checks every item's id, template, params and fix; invalid items are reported (located) and dropped. */
function checkItems(value: Checklist, file: string, problems: Problem[], locate: (path: Path) => Range | undefined): Checklist {
  const seen = new Set<string>();
  const sections = value.sections.map((section, si) => ({
    ...section,
    items: section.items.filter((item, ii) => {
      const at = (...rest: (string | number)[]) => locate(['sections', si, 'items', ii, ...rest]);
      if (seen.has(item.id)) {
        problems.push({ file, message: `Checklist: duplicate item id "${item.id}"`, range: at('id'), severity: 'error' });
        return false;
      }
      seen.add(item.id);
      if (item.check !== undefined) {
        const template = TEMPLATES.get(item.check);
        if (!template) {
          problems.push({ file, message: `Checklist: unknown check template "${item.check}" (see \`shipshape rules\`)`, range: at('check'), severity: 'error' });
          return false;
        }
        const parsed = template.params.safeParse(item.with ?? {}, VALIDATE_ONCE);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
            problems.push({ file, message: `Checklist: ${item.id}: with${path.length ? `.${path.join('.')}` : ''}: ${issue.message}`, range: at('with', ...path), severity: 'error' });
          }
          return false;
        }
      } else if (item.with !== undefined) {
        problems.push({ file, message: `Checklist: ${item.id}: "with" needs a "check"`, range: at('with'), severity: 'error' });
      }
      if (item.fix) {
        const fix = FIXES.get(item.fix.template);
        if (!fix) problems.push({ file, message: `Checklist: unknown fix template "${item.fix.template}"`, range: at('fix', 'template'), severity: 'error' });
        else {
          const parsed = fix.params.safeParse(item.fix.with ?? {}, VALIDATE_ONCE);
          if (!parsed.success) problems.push({ file, message: `Checklist: ${item.id}: fix.with: ${parsed.error.issues[0]?.message}`, range: at('fix', 'with'), severity: 'error' });
        }
      }
      return true;
    }),
  }));
  return { ...value, sections, file };
}

/**
 * Loads `.shipshape.yaml`. Every error is reported at its line. `config` is set only when the file is
 * valid; `salvaged` is what remains usable when it is not (invalid rules entries and keys dropped), so a
 * host can audit with it and still exit with an error. Paths (`checklists`, `markdown`) that leave the
 * repository are refused at the entry and removed. `locate` maps a config path (`['rules', id, 'with']`)
 * to its range, for errors found later (params of rule overrides).
 */
export function loadConfig(text: string, file: string): { config?: Config; salvaged?: Config; problems: Problem[]; locate: (path: Path) => Range | undefined } {
  const parsed = parseValidated(text, file, ConfigSchema, 'Config');
  const { problems, locate } = parsed;
  const usable = parsed.value ?? (problems.length ? salvageConfig(text) : undefined);
  if (!usable) return { problems, locate };
  withinRoot(usable, file, problems, locate);
  return parsed.value ? { config: usable, salvaged: usable, problems, locate } : { salvaged: usable, problems, locate };
}

function withinRoot(config: Config, file: string, problems: Problem[], locate: (path: Path) => Range | undefined): void {
  for (const key of ['checklists', 'markdown'] as const) {
    const list = config[key];
    if (!list) continue;
    const kept = list.filter((ref, i) => {
      if (!escapesRoot(ref)) return true;
      problems.push({ file, message: `Config: ${key}: "${ref}" is outside the workspace; only ${key === 'checklists' ? 'built-in ids or files' : 'files'} inside the repository are allowed.`, range: locate([key, i]), severity: 'error' });
      return false;
    });
    config[key] = kept;
  }
}

/**
 * Checks the params of config rule overrides (`rules: { id: { with: … } }`) against the item's template,
 * merged over the checklist's own params as the engine does. Each error is located at the override; the
 * returned config turns the rule off (the engine would drop the item anyway, with an unlocated message).
 */
export function checkRuleOverrides(config: Config, checklists: readonly Checklist[], file: string, locate: (path: Path) => Range | undefined): { config: Config; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!config.rules) return { config, problems };
  const items = new Map(checklists.flatMap((c) => c.sections.flatMap((s) => s.items.map((i) => [i.id, i] as const))));
  const rules = { ...config.rules };
  for (const [id, setting] of Object.entries(config.rules)) {
    const item = items.get(id);
    if (!item) {
      problems.push({ file, message: `Config: rules.${id}: no item has this id in the checklists in use; the setting does nothing.`, range: locate(['rules', id]), severity: 'warning' });
      continue;
    }
    if (typeof setting !== 'object' || !setting.with) continue;
    const template = item.check ? TEMPLATES.get(item.check) : undefined;
    if (!template) continue;
    const parsed = template.params.safeParse({ ...(item.with ?? {}), ...setting.with }, VALIDATE_ONCE);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      const path = pathOf(issue);
      problems.push({ file, message: `Config: rules.${id}.with${path.length ? `.${path.join('.')}` : ''}: ${issue.message}`, range: locate(['rules', id, 'with', ...path]) ?? locate(['rules', id, 'with']), severity: 'error' });
    }
    rules[id] = 'off';
  }
  return { config: { ...config, rules }, problems };
}
