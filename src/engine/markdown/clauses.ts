import { contentWords } from './normalize';

/**
 * A compound line asks for several things, one per clause ("Drop all capabilities from the containers, and add back
 * only the ones they need"; "Keep images small; scan them in CI"). Read whole, each clause's words dilute the others',
 * so a line that links no check as a whole is read clause by clause (match.ts).
 *
 * Clauses end at a semicolon, at a comma before "and", "but", "then" or "plus", and at a sentence's
 * end. Words in parentheses stay with their clause. A clause of fewer than two words that say something is no
 * requirement of its own ("and more"), nor is a clause that points back ("Does it …?"), so neither is read apart.
 */
// (no leading \s*: at every space of a long run it would scan the rest of the run again; clauses are trimmed anyway)
const BOUNDARY = /(?:;|,\s*(?:and|but|then|plus)\s+|(?<=[.?!])\s+(?=[A-Z`*_]))\s*/g;

/** A pronoun among a clause's first words: what it speaks of is in the clause before. */
const REFERS_BACK = /^(?:\W*\w+\W+){0,2}(?:it|its|they|them|their|this|these|those)\b/i;

/** The clauses of a line, when it has two or more that each say something; otherwise none. */
export function clausesOf(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  // (a boundary inside parentheses is not one: "(cpu; memory)")
  const open = new Set<number>();
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')') depth = Math.max(0, depth - 1);
    else if (depth > 0) open.add(k);
  }
  for (const m of text.matchAll(BOUNDARY)) {
    if (open.has(m.index)) continue;
    parts.push(text.slice(start, m.index));
    start = m.index + m[0].length;
  }
  parts.push(text.slice(start));
  const clauses = parts.map((p) => p.trim()).filter((p) => contentWords(p).length >= 2);
  if (clauses.length < 2) return [];
  // (a clause that points back, "Does it run privileged?", speaks of the clause before it: it is not read alone)
  return clauses.filter((c, k) => k === 0 || !REFERS_BACK.test(c));
}
