import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Range } from '../engine/model';
import { nodeAt, nodeRange } from '../engine/parse/yamlSupport';

/**
 * Where each item of a checklist file is written: item id → range of its `id:` value. Used to point a
 * diagnostic's related information at the rule in its checklist. Pure (no vscode), never throws.
 */
export function itemIdRanges(text: string): Map<string, Range> {
  const out = new Map<string, Range>();
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    const sections = nodeAt(doc.contents, ['sections']);
    if (!isSeq(sections)) return out;
    sections.items.forEach((_, si) => {
      const items = nodeAt(doc.contents, ['sections', si, 'items']);
      if (!isSeq(items)) return;
      items.items.forEach((item, ii) => {
        if (!isMap(item)) return;
        const idNode = nodeAt(doc.contents, ['sections', si, 'items', ii, 'id']);
        const range = nodeRange(lineCounter, idNode);
        const value = idNode && 'value' in idNode ? String((idNode as { value: unknown }).value) : undefined;
        if (range && value && !out.has(value)) out.set(value, range);
      });
    });
  } catch {
    /* an unparsable checklist has no locations; its problems are reported by the loader */
  }
  return out;
}
