import { isObject } from '../../parse/kubernetes';

/** One requirement of a label selector (matchLabels entries become `In` with one value). */
export interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

export interface Selector {
  reqs: Requirement[];
}

const OPS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** A metav1.LabelSelector (PDB, NetworkPolicy): null when absent/null, undefined when malformed. */
export function labelSelector(v: unknown): Selector | null | undefined {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return undefined;
  const reqs: Requirement[] = [];
  const ml = v.matchLabels;
  if (ml !== undefined && ml !== null) {
    if (!isObject(ml)) return undefined;
    for (const [key, val] of Object.entries(ml)) {
      if (val === null || typeof val === 'object') return undefined;
      reqs.push({ key, op: 'In', values: [String(val)] });
    }
  }
  const me = v.matchExpressions;
  if (me !== undefined && me !== null) {
    if (!Array.isArray(me)) return undefined;
    for (const e of me) {
      if (!isObject(e) || typeof e.key !== 'string' || typeof e.operator !== 'string' || !OPS.has(e.operator)) return undefined;
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      reqs.push({ key: e.key, op: e.operator as Requirement['op'], values });
    }
  }
  return { reqs };
}

/** A Service-style selector (a plain map of labels): null when absent/null, undefined when malformed. */
export function mapSelector(v: unknown): Selector | null | undefined {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return undefined;
  const reqs: Requirement[] = [];
  for (const [key, val] of Object.entries(v)) {
    if (val === null || typeof val === 'object') return undefined;
    reqs.push({ key, op: 'In', values: [String(val)] });
  }
  return { reqs };
}

export function selectorMatches(sel: Selector, labels: Readonly<Record<string, string>>): boolean {
  for (const r of sel.reqs) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'In':
        if (!has || !r.values.includes(labels[r.key])) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(labels[r.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function describeSelector(sel: Selector): string {
  return sel.reqs.map((r) => (r.op === 'In' && r.values.length === 1 ? `${r.key}=${r.values[0]}` : r.op === 'Exists' ? r.key : r.op === 'DoesNotExist' ? `!${r.key}` : `${r.key} ${r.op.toLowerCase()} (${r.values.join(',')})`)).join(', ') || '(everything)';
}

/**
 * Namespaces match when metadata.namespace is the same; an object without one only matches objects without
 * one (both land in the namespace chosen at apply time: `kubectl -n`, kustomize `namespace:`). This is how
 * kube-score and Polaris compare them.
 */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '') === (b ?? '');
}

/** How often each `key=value` pair and each key occurs among the pods to be matched (to index selectors by their rarest requirement). */
export class LabelStats {
  readonly pairs = new Map<string, number>();
  readonly keys = new Map<string, number>();
  add(labels: Readonly<Record<string, string>>): void {
    for (const [k, v] of Object.entries(labels)) {
      const p = `${k}=${v}`;
      this.pairs.set(p, (this.pairs.get(p) ?? 0) + 1);
      this.keys.set(k, (this.keys.get(k) ?? 0) + 1);
    }
  }
}

interface Entry<T> {
  sel: Selector;
  item: T;
}

/** A namespace's filed selectors: under a label's value (`In`), under a label key (`Exists`), or for every pod. */
interface Filed<T> {
  byPair: Map<string, Map<string, Entry<T>[]>>;
  byKey: Map<string, Entry<T>[]>;
  always: Entry<T>[];
}

/**
 * Finds the selectors (PDBs, NetworkPolicies, Services) that select a set of pod labels without comparing
 * every selector with every pod: each selector is filed under the positive requirement that is rarest among
 * the pods (the `key=value` pairs of an `In`, or the key of an `Exists`), so a lookup only visits selectors that
 * share a label with the pod, in the same namespace (selectors are filed by namespace first). Selectors
 * with no positive requirement (only NotIn/DoesNotExist, or empty where that means "every pod") are checked
 * for every pod of their namespace; there are few of them in practice. A lookup builds no key: it follows
 * the namespace, the label's key and its value through nested maps.
 */
export class SelectorIndex<T> {
  private readonly byNamespace = new Map<string, Filed<T>>();
  /** Selector comparisons made by `match` so far (tests use it to show lookups stay linear). */
  visits = 0;

  constructor(private readonly stats: LabelStats) {}

  private filed(ns: string): Filed<T> {
    let f = this.byNamespace.get(ns);
    if (!f) this.byNamespace.set(ns, (f = { byPair: new Map(), byKey: new Map(), always: [] }));
    return f;
  }

  /** `emptyMatchesAll`: an empty selector selects every pod of the namespace (NetworkPolicy, policy/v1 PDB) instead of none (Service). */
  add(ns: string | undefined, sel: Selector, item: T, emptyMatchesAll: boolean): void {
    const entry = { sel, item };
    const n0 = ns ?? '';
    if (sel.reqs.length === 0) {
      if (emptyMatchesAll) this.filed(n0).always.push(entry);
      return;
    }
    // File the selector under its cheapest positive requirement: an `In` under each of its key=value pairs
    // (a pod has one value per key, so it meets the entry at most once), an `Exists` under its key.
    let best: { req: Requirement; values: string[] | undefined; cost: number } | undefined;
    for (const r of sel.reqs) {
      let candidate: { req: Requirement; values: string[] | undefined; cost: number } | undefined;
      if (r.op === 'In') {
        const values = [...new Set(r.values)];
        candidate = { req: r, values, cost: values.reduce((n, v) => n + (this.stats.pairs.get(`${r.key}=${v}`) ?? 0), 0) };
      } else if (r.op === 'Exists') candidate = { req: r, values: undefined, cost: this.stats.keys.get(r.key) ?? 0 };
      if (candidate && (!best || candidate.cost < best.cost)) best = candidate;
    }
    if (!best) {
      this.filed(n0).always.push(entry);
      return;
    }
    if (best.cost === 0) return; // requires a label no pod has: selects nothing
    const filed = this.filed(n0);
    const key = best.req.key;
    if (!best.values) return push(filed.byKey, key, entry);
    let byValue = filed.byPair.get(key);
    if (!byValue) filed.byPair.set(key, (byValue = new Map()));
    for (const v of best.values) push(byValue, v, entry);
  }

  /** Every indexed item whose selector matches the labels in a compatible namespace. */
  match(ns: string | undefined, labels: Readonly<Record<string, string>>): T[] {
    const out: T[] = [];
    const filed = this.byNamespace.get(ns ?? '');
    if (!filed) return out;
    for (const k in labels) {
      const byValue = filed.byPair.get(k);
      if (byValue) this.visit(byValue.get(labels[k]), labels, out);
      this.visit(filed.byKey.get(k), labels, out);
    }
    this.visit(filed.always, labels, out);
    return out;
  }

  private visit(list: readonly Entry<T>[] | undefined, labels: Readonly<Record<string, string>>, out: T[]): void {
    if (!list) return;
    for (let i = 0; i < list.length; i++) {
      this.visits++;
      if (selectorMatches(list[i].sel, labels)) out.push(list[i].item);
    }
  }
}

function push<T>(map: Map<string, T[]>, key: string, v: T): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}
