import type { Finding } from '../model';

/** Findings of one rule in one file listed before a "N more" note, in SARIF and text output. */
export const MAX_PER_RULE_AND_FILE = 100;

/** What a capped listing left out: one entry per rule and file, located at the first finding not listed. */
export interface Omitted {
  ruleId: string;
  file: string;
  count: number;
  first: Finding;
}

/**
 * Keeps at most `max` findings per rule and file (in their order) and counts the rest. A generated
 * manifest with 35,000 objects yields 580,000 findings; a CI log or a code-scanning upload wants the
 * first ones and a located count, while the exit code and the summary still use every finding.
 */
export function capPerRuleAndFile(findings: readonly Finding[], max = MAX_PER_RULE_AND_FILE): { listed: Finding[]; omitted: Omitted[] } {
  const seen = new Map<string, Omitted | number>();
  const listed: Finding[] = [];
  const omitted: Omitted[] = [];
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.file}`;
    const n = seen.get(key) ?? 0;
    if (typeof n === 'number') {
      if (n < max) {
        listed.push(f);
        seen.set(key, n + 1);
        continue;
      }
      const o: Omitted = { ruleId: f.ruleId, file: f.file, count: 1, first: f };
      omitted.push(o);
      seen.set(key, o);
    } else n.count++;
  }
  return { listed, omitted };
}
