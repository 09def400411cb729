import type { FileEdit, Finding, Range, TextEdit } from '../model';
import { isObject } from '../parse/kubernetes';
import type { YamlPath } from '../parse/yamlSupport';
import { homeOf } from '../render/homes';
import { textYaml } from '../render/yamlFiles';
import type { RenderInfo } from '../render/sourceMap';
import { applyEdits, LineIndex } from '../text';
import { docsAfter, RenderedTexts } from './renderedDocs';
import { setAt } from './k8s/setField';
import type { AnyFix, FixOutput } from './template';

/** What a finding on rendered output keeps of its finding on the rendered text (see render/present.ts). */
export interface RenderedOrigin {
  tool: RenderInfo['tool'];
  from: string;
  /** The engine's entry for the rendered text, and the finding's range and data there. */
  file: string;
  range: Range;
  data?: Record<string, unknown>;
}

export function renderedOrigin(f: Finding): RenderedOrigin | undefined {
  const r = f.data?.rendered;
  return isObject(r) && typeof r.file === 'string' && isObject(r.range) ? (r as unknown as RenderedOrigin) : undefined;
}

interface Change {
  path: YamlPath;
  value: unknown;
}

/** The fields `after` adds or changes relative to `before` (undefined: it removes or reorders something, which no home can take). */
function changes(before: unknown, after: unknown, path: YamlPath = [], out: Change[] = []): Change[] | undefined {
  if (JSON.stringify(before) === JSON.stringify(after)) return out;
  if (isObject(before) && isObject(after)) {
    for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) return undefined;
    for (const [k, v] of Object.entries(after)) {
      if (!Object.hasOwn(before, k)) out.push({ path: [...path, k], value: v });
      else if (!changes(before[k], v, [...path, k], out)) return undefined;
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) return undefined;
    for (let i = 0; i < after.length; i++) if (!changes(before[i], after[i], [...path, i], out)) return undefined;
    return out;
  }
  if (isObject(before) || Array.isArray(before) || isObject(after) || Array.isArray(after)) return undefined;
  out.push({ path, value: after });
  return out;
}

/** One edit from `before` to `after`: the span between their common start and end. */
function spanEdit(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  let s = 0;
  while (s < before.length && s < after.length && before[s] === after[s]) s++;
  let e = 0;
  while (e < before.length - s && e < after.length - s && before[before.length - 1 - e] === after[after.length - 1 - e]) e++;
  const index = new LineIndex(before);
  return [{ range: { start: index.positionAt(s), end: index.positionAt(before.length - e) }, newText: after.slice(s, after.length - e) }];
}

/**
 * The fix of a finding on a chart's or kustomization's output, made where the field really comes from:
 * the rule's fix is computed on the rendered text, and each field it adds or changes goes to its one
 * safe home (the values key a template renders with toYaml, the base file of a Kustomize object). When
 * a field has no such home (a template or patch writes it), the fix is declined with the place to change
 * it by hand. `predicted` is the rendered text's edit: what rendering again gives, kept while fixing.
 * `texts` holds what the run has already read of rendered texts.
 */
export function renderedFix(fix: AnyFix, params: unknown, finding: Finding, origin: RenderedOrigin, rendered: { text: string; info?: RenderInfo }, read: (p: string) => string | undefined, texts: RenderedTexts = new RenderedTexts()): FixOutput {
  const orig: Finding = { ...finding, file: origin.file, range: origin.range, data: origin.data };
  const out = fix.compute({ text: rendered.text, finding: orig, params, kind: 'kubernetes', readFile: read, yaml: texts.yaml });
  if ('declined' in out) return out;
  if (out.edits.some((fe) => fe.file !== origin.file || fe.create)) return { declined: 'this fix edits other files; change it in the source by hand' };
  const edits = out.edits.flatMap((fe) => fe.edits);
  const docIndex = typeof origin.data?.docIndex === 'number' ? origin.data.docIndex : 0;
  const docs = texts.of(rendered.text);
  const before = docs.values;
  const after = docsAfter(docs, docIndex, edits);
  if (before.length !== after.length || before.some((d, i) => i !== docIndex && d !== after[i] && JSON.stringify(d) !== JSON.stringify(after[i]))) return { declined: 'the fix changes more than this object' };
  const list = changes(before[docIndex], after[docIndex]);
  if (!list?.length) return { declined: 'the fix changes the rendered object in a way no source file can take; change it by hand' };
  const homes = new Map<string, string>();
  const here = `change it at ${finding.file}:${finding.range.start.line + 1}`;
  const readHome = (p: string): string | undefined => homes.get(p) ?? read(p);
  const sources = textYaml(readHome, texts.sources);
  for (const c of list) {
    const home = homeOf(rendered.info?.homes, docIndex, before[docIndex], c.path, readHome, sources);
    if ('declined' in home) return { declined: `no single safe place for this fix in the source: ${home.declined}; ${here}` };
    const text = homes.get(home.file) ?? read(home.file);
    if (text === undefined) return { declined: `${home.file} cannot be read` };
    const r = setAt(texts.yaml(text), home.docIndex, home.path, c.value as never);
    if ('declined' in r) return { declined: `${home.file}: ${r.declined}; ${here}` };
    homes.set(home.file, applyEdits(text, r.edits));
  }
  const fileEdits: FileEdit[] = [...homes].map(([file, text]) => ({ file, edits: spanEdit(read(file)!, text) }));
  return { title: `${out.title} (in ${[...homes.keys()].join(', ')})`, edits: fileEdits, predicted: [{ file: origin.file, edits }] };
}
