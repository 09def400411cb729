import type { Problem } from '../model';
import { TEMPLATES } from '../checks';
import { FIXES } from '../fixes';
import { ChecklistSchema, ConfigSchema, type Checklist, type Config } from './schema';
import { parseValidated } from './located';

/**
 * Loads one checklist: YAML → zod → every item's template and params checked. Items whose check or
 * params are invalid are reported and dropped; the rest of the checklist stays usable.
 */
export function loadChecklist(text: string, file: string): { checklist?: Checklist; problems: Problem[] } {
  const { value, problems, locate } = parseValidated(text, file, ChecklistSchema, 'Checklist');
  if (!value) return { problems };
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
        const parsed = template.params.safeParse(item.with ?? {});
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
          const parsed = fix.params.safeParse(item.fix.with ?? {});
          if (!parsed.success) problems.push({ file, message: `Checklist: ${item.id}: fix.with: ${parsed.error.issues[0]?.message}`, range: at('fix', 'with'), severity: 'error' });
        }
      }
      return true;
    }),
  }));
  return { checklist: { ...value, sections, file }, problems };
}

export function loadConfig(text: string, file: string): { config?: Config; problems: Problem[] } {
  const { value, problems } = parseValidated(text, file, ConfigSchema, 'Config');
  return { config: value, problems };
}
