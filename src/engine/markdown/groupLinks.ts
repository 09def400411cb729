import type { MarkdownItem } from '../parse/markdownChecklist';
import type { ItemLink } from './link';

type RawLink = Omit<ItemLink, 'status'>;

/** How much of a sub-item's text a reason quotes. */
const QUOTED = 60;

/** An item's plain text (its whitespace already collapsed by plainText), cut to {@link QUOTED} characters. */
function quoted(plain: string): string {
  return plain.length > QUOTED ? `${plain.slice(0, QUOTED - 1)}…` : plain;
}

/**
 * A group line ("**Runtime security**", "Secrets stored securely" with its items nested under it) is done when its
 * items are. When its own words link no check and at least half of its items link one, it takes the checks its items
 * link (theirs, through any depth), so a ticked group whose items' checks fail is flagged like the items. A line whose
 * words link a check keeps its own links, and a pin (even `manual`) is the author's choice: nothing is added to it.
 *
 * `links[i]` are item i's own links; items come in document order, so an item's sub-items come after it.
 */
export function withGroupLinks(items: readonly MarkdownItem[], links: readonly RawLink[][]): RawLink[][] {
  const out = links.map((l) => [...l]);
  const checks = (l: readonly RawLink[]) => l.some((k) => k.mode !== 'manual');
  // each item's sub-items, in one pass (a long list is not scanned once per item)
  const subItems: number[][] = items.map(() => []);
  items.forEach((item, k) => {
    if (item.parent !== undefined && item.parent < k) subItems[item.parent].push(k);
  });
  // from the last item up: a sub-item's own group links are settled before its parent reads them
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item.pin || checks(out[i])) continue;
    const added = new Map<string, RawLink>();
    const sub = subItems[i];
    // a group of mostly operational items ("Supabase production setup") is not about the files its one checked item names
    if (sub.filter((k) => checks(out[k])).length * 2 < sub.length) continue;
    for (const k of sub) {
      for (const l of out[k]) {
        if (l.mode === 'manual' || added.has(l.id) || out[i].some((o) => o.id === l.id)) continue;
        added.set(l.id, { id: l.id, reason: `through its item "${quoted(items[k].plain)}"`, pinned: false, mode: l.mode });
      }
    }
    if (added.size) out[i] = [...added.values(), ...out[i]];
  }
  return out;
}
