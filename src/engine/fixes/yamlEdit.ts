import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEdit } from '../model';
import { indexDocument, mergedPair, nodeAt, ownPair, PARSE_OPTIONS, withoutStacks, type YamlPath } from '../parse/yamlSupport';
import { eol, LineIndex } from '../text';
import { YamlStyle, type Plain, type PlainObject } from './yamlStyle';

/** Edits, or the reason a fix will not touch the text. */
export type EditResult = { edits: TextEdit[] } | { declined: string };

export type { Plain, PlainObject } from './yamlStyle';

export interface InsertOptions {
  /** Insert after this key when the map has it (e.g. `image` for imagePullPolicy); else at the end. */
  after?: readonly string[];
  /** Insert before the first pair instead of after the last (e.g. `replicas` at the top of a spec). */
  first?: boolean;
}

function isPlainObject(v: unknown): v is PlainObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}


/**
 * Minimal edits on a YAML (or JSON) text: insert keys into block maps at the file's own indentation,
 * replace scalars in place, append to sequences. It renders only the inserted fragment (with the `yaml`
 * library) and never re-serialises a document, so comments, blank lines and key order survive.
 * JSON text (Kubernetes `.json` manifests, package.json) gets JSON fragments in the file's indentation.
 */
export class YamlEditor {
  readonly docs: Document.Parsed[];
  readonly index: LineIndex;
  readonly eol: '\n' | '\r\n';
  readonly json: boolean;
  /** How the text writes what is inserted into it. */
  readonly style: YamlStyle;

  constructor(
    readonly text: string,
    opts: { json?: boolean } = {},
  ) {
    this.docs = withoutStacks(() => parseAllDocuments(text, PARSE_OPTIONS)) as Document.Parsed[];
    if (!Array.isArray(this.docs)) this.docs = [this.docs as unknown as Document.Parsed];
    for (const doc of this.docs) indexDocument(doc, text);
    this.index = new LineIndex(text);
    this.eol = eol(text);
    this.json = opts.json ?? /^\s*[{[]/.test(text);
    this.style = new YamlStyle(text, this.index, this.docs, this.json, this.eol);
  }

  /** Indentation step (spaces for YAML; the file's own whitespace for JSON). */
  get unit(): string {
    return this.style.unit;
  }

  /** YAML: block sequences under a key are indented (`key:\n  - a`) rather than flush (`key:\n- a`). */
  get indentSeq(): boolean {
    return this.style.indentSeq;
  }

  /** The document's problem, if it has one (a fix never edits a file it cannot parse). */
  broken(docIndex: number): string | undefined {
    const doc = this.docs[docIndex];
    if (!doc) return `document ${docIndex + 1} is no longer in the file`;
    if (doc.errors.length) return doc.errors[0].code === 'DUPLICATE_KEY' ? `document ${docIndex + 1} has a duplicate key` : `document ${docIndex + 1} does not parse`;
    return undefined;
  }

  /** The node written at a path (a value a merge key or an alias brings in is not: editing it would edit the anchor). */
  node(docIndex: number, path: YamlPath): Node | undefined {
    const doc = this.docs[docIndex];
    if (!doc) return undefined;
    return path.length === 0 ? ((doc.contents as Node | null) ?? undefined) : nodeAt(doc.contents, path, true);
  }

  /**
   * Why a key may not be written into a map: a merge key of the map brings it in. A key written beside
   * `<<: *base` replaces the merged value whole (a `resources:` written here would drop the merged limits),
   * and editing the anchor would change every map that merges it; so the fix is left to the user.
   */
  private merged(map: YAMLMap, keys: readonly string[]): string | undefined {
    for (const key of keys) {
      if (ownPair(map, key)) continue;
      const m = mergedPair(map, key);
      if (m) return `${key} comes from a merge key (<<) at line ${m.via.key.range ? this.index.positionAt(m.via.key.range[0]).line + 1 : '?'}; a ${key} written here would replace the merged one, edit it by hand`;
    }
    return undefined;
  }

  /** Where the content of a node ends: its last value, not trailing comments or blank lines. */
  contentEnd(node: unknown): number {
    if (isPair(node)) {
      const v = node.value as Node | null;
      const k = node.key as Node | null;
      const vEnd = v ? this.contentEnd(v) : -1;
      return Math.max(vEnd, k && 'range' in k && k.range ? k.range[1] : -1);
    }
    if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) return this.contentEnd(node.items[node.items.length - 1]);
    if (isMap(node) || isSeq(node) || isScalar(node) || isAlias(node)) {
      const r = node.range;
      if (!r) return -1;
      let end = r[1];
      // trailing blank lines belong to a block scalar that keeps them (`|+`): insert after them, not inside
      const keep = /^[|>](?:[1-9]?\+|\+[1-9])/.test(this.text.slice(r[0], r[0] + 3));
      if (isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) && !keep) while (end > r[0] && /\s/.test(this.text[end - 1])) end--;
      return end;
    }
    return -1;
  }

  /** Offset of the end of the line holding `offset - 1` (before its line ending): where a new line goes. */
  private lineEndAfter(offset: number): number {
    const line = this.index.positionAt(Math.max(0, offset - 1)).line;
    return this.index.lineEnd(line);
  }

  /**
   * Inserts missing keys into the map at `path`. When the map (or part of the path) does not exist yet,
   * the entries are nested under the deepest map that does.
   */
  insert(docIndex: number, path: YamlPath, entries: PlainObject, opts: InsertOptions = {}): EditResult {
    const why = this.broken(docIndex);
    if (why) return { declined: why };
    let depth = path.length;
    let target = this.node(docIndex, path);
    let payload = entries;
    while (target === undefined || (isScalar(target) && target.value === null && depth > 0)) {
      // walk up to the deepest existing map; an existing empty value (`key:` / `key: null`) is filled in place
      if (isScalar(target) && target.value === null) return this.fillEmpty(docIndex, path.slice(0, depth), payload);
      if (depth === 0) return { declined: 'the document is empty' };
      const seg = path[depth - 1];
      if (typeof seg === 'number') return { declined: `nothing at ${path.slice(0, depth).join('.')}` };
      payload = { [seg]: payload };
      depth--;
      target = this.node(docIndex, path.slice(0, depth));
    }
    if (!isMap(target)) return { declined: `${path.slice(0, depth).join('.') || 'the document'} is not a map` };
    const map = target as YAMLMap;
    const merged = this.merged(map, Object.keys(payload));
    if (merged) return { declined: merged };
    if (map.flow) {
      if (this.json) return this.insertJson(map, payload, opts);
      if (map.items.length === 0 && depth > 0) return this.fillEmpty(docIndex, path.slice(0, depth), payload);
      return { declined: 'flow-style map ({ … }); not reformatted' };
    }
    if (map.items.length === 0) return { declined: 'empty map' };
    const firstKey = map.items[0].key as Node;
    if (!firstKey?.range) return { declined: 'map without positions' };
    const col = this.style.column(firstKey.range[0]);
    const lines = this.style.renderYaml(payload, col);
    if (opts.first) {
      const firstLine = this.index.positionAt(firstKey.range[0]).line;
      const lineStart = this.index.starts[firstLine];
      if (this.text.slice(lineStart, firstKey.range[0]).trim() === '') {
        const pos = this.index.positionAt(lineStart);
        return { edits: [{ range: { start: pos, end: pos }, newText: lines.join(this.eol) + this.eol }] };
      }
    }
    let anchor: unknown = map.items[map.items.length - 1];
    for (const key of opts.after ?? []) {
      const p = ownPair(map, key);
      if (p) {
        anchor = p;
        break;
      }
    }
    const at = this.lineEndAfter(this.contentEnd(anchor));
    const pos = this.index.positionAt(at);
    return { edits: [{ range: { start: pos, end: pos }, newText: this.eol + lines.join(this.eol) }] };
  }

  /** `key:` with no value, `key: null`, `key: ~` or `key: {}` becomes `key:` followed by the block. */
  private fillEmpty(docIndex: number, path: YamlPath, payload: PlainObject): EditResult {
    const parent = this.node(docIndex, path.slice(0, -1));
    const last = path[path.length - 1];
    if (!isMap(parent) || typeof last !== 'string') return { declined: `cannot fill ${path.join('.')}` };
    const pair = ownPair(parent, last);
    if (!pair || !pair.key.range || parent.flow) return { declined: `cannot fill ${path.join('.')}` };
    const keyEnd = pair.key.range[1];
    const colon = this.text.indexOf(':', keyEnd);
    const v = pair.value as Node | null;
    if (colon === -1 || this.text.slice(keyEnd, colon).replace(/["']/g, '').trim() !== '') return { declined: `cannot fill ${path.join('.')}` };
    if (this.json) {
      if (!v?.range) return { declined: `cannot fill ${path.join('.')}` };
      const indent = this.style.lineIndent(pair.key.range[0]);
      const body = JSON.stringify(payload, null, this.unit).split('\n').map((l, i) => (i === 0 ? l : indent + l)).join(this.eol);
      return { edits: [{ range: this.index.range(v.range[0], v.range[1]), newText: body }] };
    }
    const col = this.style.column(pair.key.range[0]) + this.unit.length;
    const lines = this.style.renderYaml(payload, col);
    const rest = this.afterColon(colon, v);
    if (rest === undefined) return { declined: `cannot fill ${path.join('.')}` };
    return { edits: [{ range: this.index.range(colon + 1, rest.end), newText: (rest.comment ? ' ' + rest.comment : '') + this.eol + lines.join(this.eol) }] };
  }

  /**
   * The rest of a `key:` line whose empty value (nothing, `null`, `~`, `{}`) is being filled: where the line
   * ends and its comment, which stays on the key's line. Undefined when the line holds anything else (an
   * anchor, a tag) or the value token is on a later line.
   */
  private afterColon(colon: number, v: Node | null): { end: number; comment: string } | undefined {
    const line = this.index.positionAt(colon).line;
    const end = this.index.lineEnd(line);
    let rest = this.text.slice(colon + 1, end);
    if (v?.range && v.range[1] > v.range[0]) {
      if (v.range[0] <= colon || v.range[1] > end) return undefined;
      rest = this.text.slice(colon + 1, v.range[0]) + this.text.slice(v.range[1], end);
    }
    const comment = rest.trim();
    if (comment && !comment.startsWith('#')) return undefined;
    return { end, comment };
  }

  private insertJson(map: YAMLMap, payload: PlainObject, opts: InsertOptions): EditResult {
    if (!map.range) return { declined: 'object without positions' };
    const open = map.range[0];
    const close = this.text.lastIndexOf('}', map.range[1]);
    if (map.items.length === 0) {
      const indent = this.style.lineIndent(open);
      const members = this.style.renderJsonMembers(payload, indent + this.unit, true);
      return { edits: [{ range: this.index.range(open + 1, close), newText: this.eol + members.join(',' + this.eol) + this.eol + indent }] };
    }
    const firstKey = map.items[0].key as Node;
    let last = map.items[map.items.length - 1] as Pair;
    for (const key of opts.after ?? []) {
      const p = ownPair(map, key);
      if (p) {
        last = p;
        break;
      }
    }
    const end = this.contentEnd(last);
    if (!firstKey?.range || end < 0) return { declined: 'object without positions' };
    const multiline = this.index.positionAt(firstKey.range[0]).line !== this.index.positionAt(open).line;
    if (!multiline) {
      const members = this.style.renderJsonMembers(payload, '', false);
      const pos = this.index.positionAt(end);
      return { edits: [{ range: { start: pos, end: pos }, newText: members.map((m) => ', ' + m).join('') }] };
    }
    const indent = this.style.lineIndent(firstKey.range[0]);
    const members = this.style.renderJsonMembers(payload, indent, true);
    const pos = this.index.positionAt(end);
    return { edits: [{ range: { start: pos, end: pos }, newText: ',' + this.eol + members.join(',' + this.eol) }] };
  }

  /** Replaces a scalar's token, keeping its quoting style (and so any trailing comment). */
  replace(docIndex: number, path: YamlPath, value: string | number | boolean): EditResult {
    const why = this.broken(docIndex);
    if (why) return { declined: why };
    const node = this.node(docIndex, path);
    if (node === undefined && nodeAt(this.docs[docIndex].contents, path) !== undefined) return { declined: `${path.join('.')} comes from a merge key (<<) or an alias; edit it by hand` };
    if (!isScalar(node) || !node.range) return { declined: `${path.join('.')} is not a plain value` };
    if (node.value === value) return { edits: [] };
    return { edits: [{ range: this.index.range(node.range[0], node.range[1]), newText: this.style.scalarText(node, value) }] };
  }

  /** Appends items to a block (or JSON) sequence at `path`. */
  append(docIndex: number, path: YamlPath, items: Plain[]): EditResult {
    const why = this.broken(docIndex);
    if (why) return { declined: why };
    const seq = this.node(docIndex, path);
    if (!isSeq(seq) || !seq.range) return { declined: `${path.join('.')} is not a list` };
    const s = seq as YAMLSeq;
    if (s.items.length === 0) return { declined: 'empty list' };
    const end = this.contentEnd(s.items[s.items.length - 1]);
    if (s.flow) {
      if (!this.json && s.items.some((i) => !isScalar(i))) return { declined: 'flow-style list; not reformatted' };
      const pos = this.index.positionAt(end);
      const first = s.items[0] as Scalar;
      const text = items.map((i) => ', ' + (typeof i === 'object' && i !== null ? JSON.stringify(i) : this.style.scalarText(first, i as string | number | boolean))).join('');
      return { edits: [{ range: { start: pos, end: pos }, newText: text }] };
    }
    const firstStart = (s.items[0] as Node).range?.[0] ?? s.range?.[0] ?? 0;
    const dash = this.text.lastIndexOf('-', firstStart);
    const col = this.style.column(dash);
    const lines = this.style.renderYaml(items, col);
    const at = this.lineEndAfter(end);
    const pos = this.index.positionAt(at);
    return { edits: [{ range: { start: pos, end: pos }, newText: this.eol + lines.join(this.eol) }] };
  }

  /**
   * Makes the map at `path` contain `desired`: missing keys are inserted (one fragment per map),
   * differing scalars replaced when `overwrite`, missing list items appended.
   */
  merge(docIndex: number, path: YamlPath, desired: PlainObject, opts: { overwrite?: boolean; insert?: InsertOptions } = {}): EditResult {
    const why = this.broken(docIndex);
    if (why) return { declined: why };
    const node = this.node(docIndex, path);
    if (!isMap(node)) return Object.keys(desired).length ? this.insert(docIndex, path, desired, opts.insert) : { edits: [] };
    const edits: TextEdit[] = [];
    const missing: PlainObject = {};
    for (const [key, want] of Object.entries(desired)) {
      const pair = ownPair(node, key);
      const have = pair?.value as Node | null | undefined;
      if (!pair || have === null || have === undefined || (isScalar(have) && have.value === null)) {
        if (pair) {
          const r = isPlainObject(want) || Array.isArray(want) ? this.insert(docIndex, [...path, key], isPlainObject(want) ? want : {}, {}) : this.fillScalar(pair, want);
          if ('declined' in r) return r;
          if (Array.isArray(want)) return { declined: `${key} is empty` };
          edits.push(...r.edits);
        } else missing[key] = want;
        continue;
      }
      let r: EditResult = { edits: [] };
      if (isPlainObject(want)) r = isMap(have) ? this.merge(docIndex, [...path, key], want, { overwrite: opts.overwrite }) : opts.overwrite ? { declined: `${key} is not a map` } : { edits: [] };
      else if (Array.isArray(want)) {
        if (!isSeq(have)) r = opts.overwrite ? { declined: `${key} is not a list` } : { edits: [] };
        else {
          const present = new Set(have.items.map((i) => (isScalar(i) ? String(i.value) : '')));
          const add = want.filter((w) => !present.has(String(w)));
          r = add.length ? this.append(docIndex, [...path, key], add) : { edits: [] };
        }
      } else if (opts.overwrite && isScalar(have) && have.value !== want) r = this.replace(docIndex, [...path, key], want as string | number | boolean);
      if ('declined' in r) return r;
      edits.push(...r.edits);
    }
    if (Object.keys(missing).length) {
      const r = this.insert(docIndex, path, missing, opts.insert);
      if ('declined' in r) return r;
      edits.push(...r.edits);
    }
    return { edits };
  }

  /** `key:` with no value gets a scalar value; a comment after it stays, one space after the value. */
  private fillScalar(pair: Pair, value: Plain): EditResult {
    const key = pair.key as Node;
    if (!key.range) return { declined: 'no position' };
    const colon = this.text.indexOf(':', key.range[1]);
    const v = pair.value as Node | null;
    const end = v?.range && v.range[1] > colon ? v.range[1] : colon + 1;
    const text = ' ' + this.style.scalarText(undefined, value as string | number | boolean);
    return { edits: [{ range: this.index.range(colon + 1, end), newText: this.text[end] === '#' ? text + ' ' : text }] };
  }
}

export function isEditResultOk(r: EditResult): r is { edits: TextEdit[] } {
  return 'edits' in r;
}
