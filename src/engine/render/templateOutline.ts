import type { YamlPath } from '../parse/yamlSupport';

/**
 * The outline of a YAML template that cannot be parsed as YAML (Helm's Go templates): each line that
 * holds a literal key, with its key path guessed from indentation and list dashes. Lines that are only
 * template actions (`{{- if … }}`) are skipped; so a `range` loop's one item stands for every item it renders.
 */
export interface OutlineLine {
  line: number;
  /** Key path from the document root; list items are numbers, counted as written. */
  path: (string | number)[];
  /** Column range of the key on its line. */
  start: number;
  end: number;
}

export interface TemplateDoc {
  /** First and last line (inclusive) of this `---`-separated part of the template. */
  from: number;
  to: number;
  /** The literal `kind:` value, when written literally. */
  kind?: string;
  lines: OutlineLine[];
}

const KEY_RE = /^( *)(- +)?("[^"]*"|'[^']*'|[^\s"'#{:-][^:#{]*?|-[^\s:#{][^:#{]*?) *:(?: |$)/;
const DASH_RE = /^( *)- *(\S)?/;
const DOC_SEP_RE = /^---\s*$/;
const ACTION_ONLY_RE = /^\s*\{\{.*\}\}\s*$/;

interface Frame {
  indent: number;
  seg: string | number;
  items: number;
  index?: boolean;
}

/** Splits a template into its documents and outlines each. */
export function outlineTemplate(text: string): TemplateDoc[] {
  const lines = text.split(/\r?\n/);
  const docs: TemplateDoc[] = [];
  let cur: TemplateDoc = { from: 0, to: 0, lines: [] };
  let stack: Frame[] = [];
  const root: Frame = { indent: -1, seg: '', items: -1 };
  const close = (end: number): void => {
    cur.to = end;
    docs.push(cur);
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (DOC_SEP_RE.test(raw)) {
      close(i - 1);
      cur = { from: i + 1, to: i + 1, lines: [] };
      stack = [];
      root.items = -1;
      continue;
    }
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#') || ACTION_ONLY_RE.test(raw)) continue;
    const dash = DASH_RE.exec(raw);
    if (dash && raw.trimStart().startsWith('-') && !raw.trimStart().startsWith('---')) {
      const d = dash[1].length;
      while (stack.length && (stack[stack.length - 1].indent > d || (stack[stack.length - 1].index && stack[stack.length - 1].indent === d))) stack.pop();
      const owner = stack[stack.length - 1] ?? root;
      owner.items++;
      stack.push({ indent: d, seg: owner.items, items: -1, index: true });
      cur.lines.push({ line: i, path: stack.map((f) => f.seg), start: d, end: d + 1 });
    }
    const m = KEY_RE.exec(raw);
    if (!m) continue;
    const keyCol = m[1].length + (m[2]?.length ?? 0);
    while (stack.length && stack[stack.length - 1].indent >= keyCol) stack.pop();
    const key = m[3].replace(/^["']|["']$/g, '');
    stack.push({ indent: keyCol, seg: key, items: -1 });
    if (stack.length === 1 && key === 'kind') {
      const v = raw.slice(m[0].length).trim().replace(/^["']|["']$/g, '');
      if (/^[A-Za-z]+$/.test(v)) cur.kind = v;
    }
    cur.lines.push({ line: i, path: stack.map((f) => f.seg), start: keyCol, end: keyCol + m[3].length });
  }
  close(lines.length - 1);
  return docs.filter((d) => d.lines.length > 0);
}

/**
 * The outline line that sets a rendered path, or the deepest ancestor written literally. A list index
 * the template does not have (items from a `range`) matches the template's last item at that place.
 */
export function locateInOutline(doc: TemplateDoc, path: YamlPath): { at: OutlineLine; depth: number } | undefined {
  // the highest item index written under each list, by the list's path
  const lastItem = new Map<string, number>();
  for (const l of doc.lines) {
    const s = l.path[l.path.length - 1];
    if (typeof s === 'number') {
      const k = l.path.slice(0, -1).join('\u0000');
      lastItem.set(k, Math.max(lastItem.get(k) ?? -1, s));
    }
  }
  let best: { at: OutlineLine; depth: number } | undefined;
  for (const l of doc.lines) {
    if (l.path.length > path.length) continue;
    let ok = true;
    for (let j = 0; j < l.path.length && ok; j++) {
      const want = path[j];
      const have = l.path[j];
      if (typeof want === 'number' && typeof have === 'number') {
        const last = lastItem.get(l.path.slice(0, j).join('\u0000')) ?? -1;
        ok = have === want || (want > last && have === last);
      } else ok = String(want) === String(have);
    }
    if (ok && (!best || l.path.length > best.depth)) best = { at: l, depth: l.path.length };
  }
  return best;
}
