import type { ChecklistItem } from '../checklist/schema';
import { weightedWords } from './lineReading';
import { ruleConcept, type RuleConcept } from './ruleConcept';

/**
 * The build's readings of the built-in rules for the link index: each phrasing's weighted words and each rule's
 * concept, as this same build's code reads them (the build writes them, `readingsOf` in ruleIndex.ts, into its
 * checklist cache, node/checklistCache.ts). Both are pure functions of their input (a text; a built-in item as the
 * build loaded it), so taking them from the build gives the same index as reading them here, without the few hundred
 * milliseconds a fresh process takes to read every phrasing of the catalogue.
 */
export interface LinkReadings {
  /** Phrasing text → its weighted words (weightedWords), as entries. */
  words: Record<string, [string, number][]>;
  /** Item id → its concept (ruleConcept), for the items with a check. */
  concepts: Record<string, RuleConcept>;
}

let load: (() => LinkReadings | undefined) | undefined;
/** The loaded readings: undefined until first asked for, null when there are none. */
let loaded: LinkReadings | null | undefined;
/** The items the build's readings are of: the built-in items as the build loaded them (the cache's very objects). */
const builtinItems = new WeakSet<ChecklistItem>();

/** Gives the build's readings (loaded on the first link index built, never before); the items they are of are marked apart. */
export function provideLinkReadings(loader: () => LinkReadings | undefined): void {
  load = loader;
  loaded = undefined;
}

/** Marks items as the ones the provided readings are of (a built-in checklist loaded from the same build's cache). */
export function markBuiltinItems(items: Iterable<ChecklistItem>): void {
  for (const item of items) builtinItems.add(item);
}

function readings(): LinkReadings | undefined {
  if (loaded === undefined) {
    try {
      loaded = load?.() ?? null;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** A phrasing's weighted words: the build's reading when it has the text, else read now. */
export function phrasingWords(text: string): Map<string, number> {
  const words = readings()?.words;
  return words && Object.hasOwn(words, text) ? new Map(words[text]) : weightedWords(text);
}

/** A rule's concept: the build's reading for a built-in item as the build loaded it, else read now. */
export function itemConcept(item: ChecklistItem): RuleConcept {
  const concepts = builtinItems.has(item) ? readings()?.concepts : undefined;
  return concepts && Object.hasOwn(concepts, item.id) ? concepts[item.id] : ruleConcept(item);
}
