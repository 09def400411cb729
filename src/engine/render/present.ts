import type { AuditResult, Evidence, Finding, ItemResult, Problem, RelatedInfo, Unaudited } from '../model';
import type { K8sModel } from '../parse/kubernetes';
import type { ParsedFile } from '../workspace';
import { sourceOf, type RenderInfo } from './sourceMap';

/** What the presenting step reads from the engine. */
export interface PresentSource {
  file(path: string): ParsedFile | undefined;
  /** Bumped whenever a rendered file or its source map changes. */
  readonly renderEpoch: number;
  /** Whether any file is a rendered chart or kustomization. */
  readonly hasRendered: boolean;
}

const mappedFindings = new WeakMap<Finding, { info: RenderInfo; out: Finding }>();
/**
 * An item's presented result, while the rendering epoch and the namespaces its merge of repeats looked up
 * stay as they were: the same findings on an object whose file now gives it another namespace are no
 * longer repeats of each other.
 */
const presentedItems = new WeakMap<ItemResult, { epoch: number; out: ItemResult; looked: NamespaceLookup[] }>();

/** A namespace the merge of repeats read: the object of a finding in a file, and what it was. */
interface NamespaceLookup {
  file: string;
  object: string;
  ns: string | undefined;
}

/**
 * The one step between the checks and every output for rendered input: findings on a rendered chart or
 * kustomization go to the template, values, base or patch line that produced them (the rendered text is
 * not a file anyone edits: their fixes go to the values or base file, see fixes/rendered.ts); the same finding from several renderings, or on
 * the same object in two folders, is reported once, the other places as related information.
 */
export function presentRendered(result: AuditResult, src: PresentSource): AuditResult {
  let changed = false;
  const items = result.items.map((item) => {
    if (item.findings.length === 0 && (!src.hasRendered || item.evidence.length === 0)) return item;
    const memo = presentedItems.get(item);
    if (memo && memo.epoch === src.renderEpoch && memo.looked.every((l) => namespaceOf(src, l.file, l.object) === l.ns)) {
      if (memo.out !== item) changed = true;
      return memo.out;
    }
    const looked: NamespaceLookup[] = [];
    const out = presentItem(item, src, looked);
    presentedItems.set(item, { epoch: src.renderEpoch, out, looked });
    if (out !== item) changed = true;
    return out;
  });
  const problems = src.hasRendered ? result.problems.map((p) => mapProblem(p, src)) : result.problems;
  const unaudited = src.hasRendered ? result.unaudited.map((u) => mapProblem(u, src)) : result.unaudited;
  if (!changed && problems === result.problems && unaudited === result.unaudited) return result;
  const findings = changed ? sortFindings(items.flatMap((i) => (i.mode === 'auto' ? i.findings : []))) : result.findings;
  let { errors, warnings, infos } = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { ...result, items, findings, problems, unaudited, summary: { ...result.summary, findings: findings.length, errors, warnings, infos } };
}

function infoOf(src: PresentSource, file: string): RenderInfo | undefined {
  return src.file(file)?.rendered;
}

function mapFinding(f: Finding, src: PresentSource): Finding {
  const info = infoOf(src, f.file);
  if (!info) return f;
  const memo = mappedFindings.get(f);
  if (memo && memo.info === info) return memo.out;
  const at = sourceOf(info, f.range);
  const related: RelatedInfo[] = [...(at.related ?? [])];
  for (const r of f.related ?? []) {
    const ri = infoOf(src, r.file);
    if (!ri) related.push(r);
    else {
      const rat = sourceOf(ri, r.range);
      related.push({ ...r, file: rat.file, range: rat.range });
    }
  }
  const what = info.tool === 'helm' ? `chart ${info.from} (helm template)` : `${info.from} (kustomize build)`;
  related.push({ file: info.fallback.file, range: info.fallback.range, message: `Found in the output of ${what}; change it in the template, values, base or patch it comes from` });
  // its fix is made in the values or base file the field comes from, when there is one such place (fixes/rendered.ts)
  const out: Finding = { ...f, file: at.file, range: at.range, related, data: { ...(f.data ?? {}), rendered: { tool: info.tool, from: info.from, file: f.file, range: f.range, data: f.data } } };
  mappedFindings.set(f, { info, out });
  return out;
}

function mapProblem<P extends Problem | Unaudited>(p: P, src: PresentSource): P {
  const info = infoOf(src, p.file);
  if (!info) return p;
  const at = sourceOf(info, p.range);
  return { ...p, file: at.file, range: at.range };
}

function mapEvidence(e: Evidence, src: PresentSource): Evidence {
  const info = infoOf(src, e.file);
  if (!info) return e;
  const at = sourceOf(info, e.range);
  return { ...e, file: at.file, range: at.range };
}

function presentItem(item: ItemResult, src: PresentSource, looked: NamespaceLookup[]): ItemResult {
  // nothing rendered, and no object with findings in two files: nothing to map, no repeat to merge
  if (!src.hasRendered && !objectInTwoFiles(item.findings, src)) return item;
  let touched = false;
  const pairs = item.findings.map((f) => {
    const m = mapFinding(f, src);
    if (m !== f) touched = true;
    return { orig: f, out: m };
  });
  const kept = dedupe(pairs, src, looked);
  if (kept.length !== pairs.length) touched = true;
  const evidence = src.hasRendered ? item.evidence.map((e) => mapEvidence(e, src)) : item.evidence;
  if (evidence.some((e, i) => e !== item.evidence[i])) touched = true;
  if (!touched) return item;
  return { ...item, findings: kept, evidence };
}

/**
 * Drops repeats: the same finding at the same place (one base under several overlays), and the same
 * finding (same message) on the same object (kind, name, namespace) in another file: a folder of
 * manifests and a kustomize base holding the same objects. The first in file order stays, with the
 * others as related information.
 */
function dedupe(pairs: { orig: Finding; out: Finding }[], src: PresentSource, looked: NamespaceLookup[]): Finding[] {
  if (pairs.length < 2) return pairs.map((p) => p.out);
  const byPlace = new Map<string, Finding>();
  const byObject = new Map<string, { out: Finding; file: string; extra: RelatedInfo[] }[]>();
  const kept: { out: Finding; extra: RelatedInfo[] }[] = [];
  const seen = new Set<string>();
  // the first place in file order stays
  const ordered = [...pairs].sort((a, b) => (a.out.file < b.out.file ? -1 : a.out.file > b.out.file ? 1 : a.out.range.start.line - b.out.range.start.line));
  for (const { orig, out } of ordered) {
    const place = `${out.file}\u0000${out.range.start.line}\u0000${out.range.start.character}\u0000${out.message}`;
    if (byPlace.has(place)) continue;
    byPlace.set(place, out);
    if (out.object) {
      const ns = orig.object ? namespaceOf(src, orig.file, orig.object) : undefined;
      if (orig.object && !seen.has(`${orig.file}\u0000${orig.object}`)) {
        seen.add(`${orig.file}\u0000${orig.object}`);
        looked.push({ file: orig.file, object: orig.object, ns });
      }
      if (ns !== undefined) {
        const key = `${out.object}\u0000${ns}\u0000${out.container ?? ''}\u0000${out.message}`;
        const same = byObject.get(key)?.find((k) => k.file !== out.file);
        if (same) {
          same.extra.push({ file: out.file, range: out.range, message: `The same object in ${out.file} has this finding too` });
          continue;
        }
        const entry = { out, file: out.file, extra: [] as RelatedInfo[] };
        const list = byObject.get(key);
        if (list) list.push(entry);
        else byObject.set(key, [entry]);
        kept.push(entry);
        continue;
      }
    }
    kept.push({ out, extra: [] });
  }
  return kept.map((k) => (k.extra.length ? withOthers(k.out, k.extra) : k.out));
}

const merged = new WeakMap<Finding, { key: string; out: Finding }>();

/** A finding with the other places of its repeats, the same object while they stay the same (audits compare findings by identity). */
function withOthers(f: Finding, extra: readonly RelatedInfo[]): Finding {
  const key = extra.map((r) => `${r.file}\u0000${r.range.start.line}\u0000${r.range.start.character}`).join('\u0001');
  const memo = merged.get(f);
  if (memo && memo.key === key) return memo.out;
  const out = { ...f, related: [...(f.related ?? []), ...extra] };
  merged.set(f, { key, out });
  return out;
}

/**
 * Whether some object (Kind/name) of a manifest has findings in two files: without rendering, the only way
 * to a repeat. Only manifests' objects are merged (see namespaceOf): a Dockerfile's stage names (`build`)
 * recur from file to file and merge nothing.
 */
function objectInTwoFiles(findings: readonly Finding[], src: PresentSource): boolean {
  if (findings.length < 2) return false;
  const fileOf = new Map<string, string>();
  // an item's findings come file by file: the kind is looked up once per run of them
  let last: string | undefined;
  let manifest = false;
  for (const out of findings) {
    if (!out.object) continue;
    if (out.file !== last) {
      last = out.file;
      manifest = src.file(out.file)?.kind === 'kubernetes';
    }
    if (!manifest) continue;
    const file = fileOf.get(out.object);
    if (file === undefined) fileOf.set(out.object, out.file);
    else if (file !== out.file) return true;
  }
  return false;
}

const namespaces = new WeakMap<K8sModel, Map<string, string>>();

/** The namespace of an object (`Kind/name`) of a manifest ('' when none is set); undefined when the file holds no such manifest. */
function namespaceOf(src: PresentSource, file: string, object: string): string | undefined {
  const parsed = src.file(file);
  if (!parsed || parsed.kind !== 'kubernetes') return undefined;
  const model = parsed.model as K8sModel | undefined;
  if (!model) return undefined;
  let byRef = namespaces.get(model);
  if (!byRef) {
    byRef = new Map();
    for (const o of model.objects) if (!byRef.has(o.ref)) byRef.set(o.ref, o.namespace ?? '');
    namespaces.set(model, byRef);
  }
  return byRef.get(object);
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character));
}
