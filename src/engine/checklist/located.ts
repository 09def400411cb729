import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Problem, Range } from '../model';
import { keyRangeAt, nodeAt, nodeRange, toRange } from '../parse/yamlSupport';
import { VALIDATE_ONCE } from './schema';

/** Options of every parse of a checklist or config text (also used to build the built-in checklist cache). */
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true } as const;
/** Options of the conversion of a parsed document to its plain value. */
const TO_JS_OPTIONS = { maxAliasCount: 100 } as const;

/**
 * The plain value parseValidated would validate for a text (`{ plain }`), or undefined when the text has
 * YAML errors or cannot be converted. Never throws.
 */
export function plainValue(text: string): { plain: unknown } | undefined {
  try {
    const doc = parseDocument(text, PARSE_OPTIONS);
    return doc.errors.length ? undefined : { plain: doc.toJS(TO_JS_OPTIONS) };
  } catch {
    return undefined;
  }
}

/**
 * Parses a YAML text and validates it with a zod schema. Every error is a Problem located at the
 * offending value (or, for an unknown key, at the key itself). Never throws.
 */
export function parseValidated<T>(text: string, file: string, schema: z.ZodType<T>, what: string): { value?: T; problems: Problem[]; locate: (path: (string | number)[]) => Range | undefined } {
  const lineCounter = new LineCounter();
  const problems: Problem[] = [];
  let doc;
  try {
    doc = parseDocument(text, { lineCounter, ...PARSE_OPTIONS });
  } catch (e) {
    return { problems: [{ file, message: `Cannot parse ${what}: ${(e as Error).message}`, severity: 'error' }], locate: () => undefined };
  }
  const locate = (path: (string | number)[]): Range | undefined => {
    const node = nodeAt(doc.contents, path);
    if (node && !isMap(node) && !isSeq(node)) return nodeRange(lineCounter, node);
    return keyRangeAt(lineCounter, doc.contents, path);
  };
  if (doc.errors.length) {
    for (const err of doc.errors) problems.push({ file, message: `${what}: ${err.message.split('\n')[0]}`, range: toRange(lineCounter, err.pos[0], err.pos[1]), severity: 'error' });
    return { problems, locate };
  }
  let plain: unknown;
  try {
    plain = doc.toJS(TO_JS_OPTIONS);
  } catch (e) {
    return { problems: [{ file, message: `${what}: ${(e as Error).message}`, severity: 'error' }], locate };
  }
  const result = schema.safeParse(plain ?? {}, VALIDATE_ONCE);
  if (!result.success) {
    for (const issue of result.error.issues) {
      let path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ file, message: `${what}: unknown key "${key}"${path.length ? ` in ${path.join('.')}` : ''}`, range: keyRangeAt(lineCounter, doc.contents, [...path, key]), severity: 'error' });
        continue;
      }
      if (issue.code === 'invalid_value' && 'values' in issue) message = `expected one of ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      path = path.length ? path : [];
      problems.push({ file, message: `${what}: ${path.length ? `${path.join('.')}: ` : ''}${message}`, range: locate(path), severity: 'error' });
    }
    return { problems, locate };
  }
  return { value: result.data, problems, locate };
}
