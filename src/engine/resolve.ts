// Checklist items resolved against the check and fix templates, with config overrides applied.
import type { AnyTemplate } from './checks/template';
import { VALIDATE_ONCE, type Checklist, type ChecklistItem, type Config } from './checklist/schema';
import { TEMPLATES } from './checks';
import { restrictTemplate } from './checks/applies';
import { samePlain } from './checks/derived';
import type { AnyFix } from './fixes/template';
import { FIXES } from './fixes';
import type { Problem, Severity } from './model';

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
        if (sev === 'off' || (item.optIn && sev === undefined)) continue;
        const own = resolution(item, typeof setting === 'object' ? setting.with : undefined);
        if (own.error !== undefined) {
          problems.push({ file: '.shipshape.yaml', message: `rules.${item.id}.with: ${own.error}`, severity: 'error' });
          continue;
        }
        const { template, params, fix } = own;
        items.push({
          item,
          checklist,
          sectionId: section.id,
          sectionTitle: section.title,
          severity: (sev as Severity | undefined) ?? item.severity,
          template,
          params,
          fix,
        });
      }
    }
  }
  return { items, problems };
}

/** An item's template (restricted to where it applies), its params and its fix, or why its params are refused. */
interface Resolution {
  template?: AnyTemplate;
  params: unknown;
  fix?: ResolvedItem['fix'];
  error?: string;
}

/**
 * Resolutions of items that the config gives no `with`, by item: made once per item object and shared by every
 * resolution of it (each new engine, each change of settings), as are the params objects the checks key their
 * compiled patterns by.
 */
const OWN = new WeakMap<ChecklistItem, Resolution>();

function resolution(item: ChecklistItem, configWith: Record<string, unknown> | undefined): Resolution {
  if (configWith === undefined) {
    const known = OWN.get(item);
    if (known) return known;
  }
  const found = item.check ? TEMPLATES.get(item.check) : undefined;
  const template = found && item.appliesTo ? restrictTemplate(found, item.appliesTo) : found;
  let params: unknown = undefined;
  if (template) {
    const parsed = template.params.safeParse({ ...(item.with ?? {}), ...(configWith ?? {}) }, VALIDATE_ONCE);
    if (!parsed.success) return { template, params, error: parsed.error.issues[0]?.message ?? 'invalid' };
    params = parsed.data;
  }
  const fixTemplate = item.fix ? FIXES.get(item.fix.template) : undefined;
  const fixParams = fixTemplate?.params.safeParse(item.fix?.with ?? {}, VALIDATE_ONCE);
  const made: Resolution = { template, params, fix: fixTemplate && fixParams?.success ? { template: fixTemplate, params: fixParams.data } : undefined };
  if (configWith === undefined) OWN.set(item, made);
  return made;
}

/**
 * Whether two resolutions of an item run the same check with the same params and stamp its findings alike
 * (id, severity, fixability) and silence them alike (aliases): then what one computed stands for the other. Params are compared as plain data;
 * any other object in them (a class instance, a regular expression) counts as a difference.
 */
export function sameDefinition(a: ResolvedItem, b: ResolvedItem): boolean {
  return (
    a.item.id === b.item.id &&
    a.item.check === b.item.check &&
    a.severity === b.severity &&
    !!a.fix === !!b.fix &&
    a.template?.scope === b.template?.scope &&
    samePlain(a.item.appliesTo, b.item.appliesTo) &&
    // the findings a suppression silences are kept on the outputs, and suppressions name aliases too
    samePlain(a.item.aliases, b.item.aliases) &&
    samePlain(a.params, b.params)
  );
}
