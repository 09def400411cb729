import type * as yaml from 'yaml';
import { isMap, isPair, isScalar, isSeq } from './yamlNodes';
const hasOwn = Object.hasOwn;

/**
 * A parsed document's plain value in one walk over its nodes, which also looks for a duplicate key: what
 * `indexDocument` and `Document#toJS` find in two passes, for the documents most files hold (scalar keys,
 * plain data). Returns undefined for a document it does not read exactly as they would, which the caller
 * then reads with them: a duplicate key (reported there, with its first occurrence), an alias or a merge
 * key (expanded there, within the alias limit), an explicit tag, a key that is not a string, number, boolean
 * or null, a pair inside a sequence, or nesting too deep for a recursive walk.
 */
export function plainDocument(doc: yaml.Document.Parsed): { value: unknown } | undefined {
  try {
    const value = plainNode(doc.contents);
    return value === BAIL ? undefined : { value };
  } catch {
    // a stack overflow on deep nesting: the iterative passes read such a document
    return undefined;
  }
}

/** The walk stops with this when the document needs the library's own passes. */
const BAIL: unique symbol = Symbol('bail');

function plainNode(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if ((node as { tag?: string }).tag !== undefined) return BAIL;
  if (isScalar(node)) {
    const v = node.value;
    return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : BAIL;
  }
  if (isMap(node)) {
    const items = node.items;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < items.length; i++) {
      const pair = items[i];
      const key = pair.key;
      if (!isScalar(key) || key.tag !== undefined) return BAIL;
      const k = key.value;
      let name: string;
      if (typeof k === 'string') {
        // `<<` written plain is a merge key
        if (k === '<<' && key.type === 'PLAIN') return BAIL;
        name = k;
      } else if (typeof k === 'number' || typeof k === 'boolean') name = String(k);
      else if (k === null) name = '';
      else return BAIL;
      // a duplicate key, or two keys of one name (1 and "1"): the passes report the one, and set the other in place
      if (hasOwn(out, name)) return BAIL;
      const value = plainNode(pair.value);
      if (value === BAIL) return BAIL;
      // as yaml's toJS sets a key that objects inherit (`__proto__`, `toString`): as a value of its own
      if (name in out) Object.defineProperty(out, name, { value, writable: true, enumerable: true, configurable: true });
      else out[name] = value;
    }
    return out;
  }
  if (isSeq(node)) {
    const items = node.items;
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (isPair(item)) return BAIL;
      const value = plainNode(item);
      if (value === BAIL) return BAIL;
      out.push(value);
    }
    return out;
  }
  // an alias, or anything else
  return BAIL;
}
