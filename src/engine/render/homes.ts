import { dotted } from '../checks/k8s/field';
import { getIn, isObject, type Json, type JsonObject } from '../parse/kubernetes';
import { nodeAt, type YamlPath } from '../parse/yamlSupport';
import { Defines, join, subchartOf, templateSpot, valueRefs, type ReadText } from './helm';
import { matchingDoc, patchesOf, transformerSets, type DocSource } from './kustomize';
import { outlineTemplate } from './templateOutline';
import { plainOf, textYaml, translatePath, type SourceYaml } from './yamlFiles';

/** Per rendered document of a chart: its template and which `---` part of it (null: not known). */
export interface HelmHomes {
  tool: 'helm';
  chartDir: string;
  valuesFiles: readonly string[];
  templates: readonly string[];
  docs: ({ file: string; part: number } | null)[];
}

/** Per rendered document of a kustomization: the object, its base file and the transformers that ran over it. */
export interface KustomizeHomes {
  tool: 'kustomize';
  docs: { kind: string; name: string; origin?: string; transformers: { file: string; kind: string }[] }[];
}

/** The one source place an edit of a rendered field belongs in: a document and path of a values or base file. */
export interface Home {
  file: string;
  docIndex: number;
  path: YamlPath;
}

export type HomeResult = Home | { declined: string };

/** `key: {{ .Values.x }}`: the line writes exactly one value. */
const DIRECT_RE = /^\s*(?:-\s+)?[^\s:]+:\s*(["']?)\{\{-?\s*\.Values\.[\w.-]+\s*-?\}\}\1\s*$/;


/** The deepest part of `path` the rendered document has. */
function existing(doc: unknown, path: YamlPath): YamlPath {
  for (let k = path.length; k > 0; k--) if (getIn(doc, path.slice(0, k) as (string | number)[]) !== undefined) return path.slice(0, k);
  return [];
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return false;
}

/** Helm's merge of values: maps deeply, anything else replaced by the later file. */
function mergeValues(a: unknown, b: unknown): unknown {
  if (!isObject(a) || !isObject(b)) return b === undefined ? a : b;
  const out: JsonObject = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = mergeValues(a[k], v) as Json;
  return out;
}

/**
 * Where a field of a chart's rendered object is set by one values key: the template writes the block
 * holding it with `toYaml` of `.Values.x` (or `{{ .Values.x }}` for the value itself), and the rendered
 * block is exactly what the values files give. The values file edited is the last one that sets x.
 */
function helmHome(h: HelmHomes, docIndex: number, doc: unknown, path: YamlPath, read: ReadText, yaml: SourceYaml): HomeResult {
  const d = h.docs[docIndex];
  if (!d) return { declined: 'the template of this object is not known' };
  const text = read(d.file);
  const part = text === undefined ? undefined : outlineTemplate(text)[d.part];
  if (!part) return { declined: `${d.file} cannot be read` };
  const linesOf = (f: string): string[] => (read(f) ?? '').split(/\r?\n/);
  const have = existing(doc, path);
  const found = templateSpot(d.file, part, have, new Defines(h.templates, linesOf), linesOf);
  if (!found) return { declined: `no line of ${d.file} writes ${dotted(have)}` };
  const { at_, hit } = found;
  const where = `${at_.file}:${hit.at.line + 1}`;
  const lines = linesOf(at_.file);
  // the key the template writes literally: its value is replaced, or its block (written by actions under it) completed
  const literal = hit.depth === at_.path.length;
  const replacing = literal && have.length === path.length;
  const blockLen = literal ? have.length : have.length - (at_.path.length - hit.depth);
  // a block the template writes keys of itself is not one values key
  const key = at_.path.slice(0, hit.depth);
  const own = at_.part.lines.find((l) => l.path.length === key.length + 1 && key.every((s, i) => l.path[i] === s));
  if (!replacing && own) return { declined: `the template writes ${dotted(have.slice(0, blockLen))} itself (${where})` };
  if (!replacing && !writesValues(lines, hit.at.line)) return { declined: `${where} fills ${dotted(have.slice(0, blockLen))} from a named template, not from one values key` };
  const refs = valueRefs(lines, at_.part, hit.at.line, !replacing);
  if (refs.length !== 1) return { declined: `${where} ${refs.length ? 'reads several values' : 'writes it without a values key'}` };
  if (replacing && !DIRECT_RE.test(lines[hit.at.line] ?? '')) return { declined: `${where} writes more than the value of .Values.${refs[0].path.join('.')}` };
  const values = refs[0].path;
  const rest = path.slice(blockLen);
  const sub = subchartOf(h.chartDir, at_.file);
  const candidates = h.valuesFiles.map((file) => ({ file, prefix: sub ? sub.names : [] }));
  if (sub) candidates.unshift({ file: join(sub.dir, 'values.yaml'), prefix: [] });
  let merged: unknown;
  let target: { file: string; prefix: string[] } | undefined;
  for (const c of candidates) {
    const y = yaml.file(c.file);
    const root = y?.docs[0]?.contents;
    if (!y || !root || nodeAt(root, [...c.prefix, ...values]) === undefined) continue;
    merged = mergeValues(merged, getIn(plainOf(y)[0], [...c.prefix, ...values]));
    target = c;
  }
  const name = `.Values.${values.join('.')}`;
  if (!target) return { declined: `${name}, which ${where} reads, is set in no values file` };
  if (!same(getIn(doc, path.slice(0, blockLen) as (string | number)[]), merged)) return { declined: `what ${where} renders is not exactly ${name} (a default, a --set value or a function changes it)` };
  return { file: target.file, docIndex: 0, path: [...target.prefix, ...values, ...rest] };
}

/** Whether a key's value is written by a values action: on its line, or on the action line right under it. */
function writesValues(lines: readonly string[], line: number): boolean {
  const key = lines[line] ?? '';
  if (/:\s*\{\{/.test(key)) return /\.Values\.|toYaml\s+\./.test(key);
  const indent = /^ */.exec(key)![0].length;
  let i = line + 1;
  while (i < lines.length && !lines[i].trim()) i++;
  const next = lines[i] ?? '';
  return /^ *\{\{.*\}\}\s*$/.test(next) && /^ */.exec(next)![0].length > indent && /\.Values\.|toYaml\s+\./.test(next) && !/\b(include|template)\s+"/.test(next);
}

/**
 * Where a field of a kustomization's rendered object is set in its base file: no patch, component or
 * kustomization key sets the field or the part of it the object has, and none removes it.
 */
function kustomizeHome(k: KustomizeHomes, docIndex: number, doc: unknown, path: YamlPath, yaml: SourceYaml): HomeResult {
  const d = k.docs[docIndex];
  if (!d?.origin) return { declined: 'the object is generated, not read from a file' };
  const yamlOf = yaml.file;
  const y = yamlOf(d.origin);
  const base = y && matchingDoc(y, d);
  if (!y || !base) return { declined: `${d.kind}/${d.name} is not found in ${d.origin}` };
  const have = existing(doc, path);
  const translated = translatePath(doc, base.value, have);
  if (translated.length !== have.length) return { declined: `${dotted(have)} is not in the base ${d.origin}; a patch adds it` };
  const src: DocSource = { kind: d.kind, name: d.name, value: isObject(doc) ? doc : {}, transformers: d.transformers };
  const inBase = (p: YamlPath): boolean => translatePath(doc, base.value, p).length === p.length;
  for (const t of d.transformers) {
    const at = transformerSets(t, src, have, yamlOf, inBase, yaml.inline);
    if (at) return { declined: `${at.file}:${at.range.start.line + 1} sets ${dotted(have)}` };
  }
  const removed = removals(d.transformers, yaml).find((r) => r.every((s, i) => i >= path.length || String(path[i]) === s) || path.every((s, i) => String(s) === r[i]));
  if (removed) return { declined: `a patch removes /${removed.join('/')}` };
  return { file: d.origin, docIndex: base.index, path: [...translated, ...path.slice(have.length)] };
}

/** The paths the JSON 6902 patches of the object's kustomizations remove (every `remove` op, whatever its target). */
function removals(transformers: KustomizeHomes['docs'][number]['transformers'], yaml: SourceYaml): string[][] {
  const yamlOf = yaml.file;
  const out: string[][] = [];
  for (const t of transformers) {
    const k = yamlOf(t.file);
    const kv = k ? plainOf(k)[0] : undefined;
    if (!/^Patch/.test(t.kind) || !isObject(kv)) continue;
    for (const p of patchesOf(t.file, kv)) {
      const docs = p.file ? (yamlOf(p.file) ? plainOf(yamlOf(p.file)!) : []) : plainOf(yaml.inline(p.inline ?? '', t.file));
      for (const ops of docs) {
        if (!Array.isArray(ops)) continue;
        for (const op of ops) if (isObject(op) && op.op === 'remove' && typeof op.path === 'string') out.push(op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')));
      }
    }
  }
  return out;
}

/** The one place an edit of a rendered field belongs in, or why there is none. */
export function homeOf(homes: HelmHomes | KustomizeHomes | undefined, docIndex: number, doc: unknown, path: YamlPath, read: ReadText, yaml: SourceYaml = textYaml(read)): HomeResult {
  if (!homes) return { declined: 'the source of this output is not known' };
  return homes.tool === 'helm' ? helmHome(homes, docIndex, doc, path, read, yaml) : kustomizeHome(homes, docIndex, doc, path, yaml);
}
