/**
 * Labels of the Readiness view's rows that must read whole at the side bar's default width. Pure (no vscode
 * import): the view and the tests share them.
 */

/** The longest checklist label the view shows whole at the side bar's default width, beside its icon and twistie. */
export const CHECKLIST_LABEL_MAX = 26;

/**
 * A checklist's label: its title, or, when the title would be cut, its lead (the words before a comma, "and",
 * a colon, a dash, a bracket, "for" or "of"), else as many of its first words as fit. The full title is in the
 * row's tooltip.
 */
export function checklistLabel(title: string, max = CHECKLIST_LABEL_MAX): string {
  const t = title.trim().replace(/\s+/g, ' ');
  if (t.length <= max) return t;
  const lead = /^(.+?)(?:,| and | & | [-–—] |: | \(| for | of )/.exec(t)?.[1].trim();
  if (lead && lead.length <= max) return lead;
  let out = '';
  for (const word of t.split(' ')) {
    if (out.length + (out ? 1 : 0) + word.length > max) break;
    out = out ? `${out} ${word}` : word;
  }
  return out || t.slice(0, max);
}
