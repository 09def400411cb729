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

/**
 * Finds the selectors (PDBs, NetworkPolicies, Services) that select a set of pod labels without comparing
 * every selector with every pod: each selector is filed under the positive requirement that is rarest among
 * the pods (the `key=value` pairs of an `In`, or the key of an `Exists`), so a lookup only visits selectors that
 * share a label with the pod, in the same namespace (the namespace is part of every index key). Selectors
 * with no positive requirement (only NotIn/DoesNotExist, or empty where that means "every pod") are checked
 * for every pod of their namespace; there are few of them in practice.
 */
export class SelectorIndex<T> {
  private readonly byPair = new Map<string, Entry<T>[]>();
  private readonly byKey = new Map<string, Entry<T>[]>();
  private readonly always = new Map<string, Entry<T>[]>();
  /** Selector comparisons made by `match` so far (tests use it to show lookups stay linear). */
  visits = 0;

  constructor(private readonly stats: LabelStats) {}

  /** `emptyMatchesAll`: an empty selector selects every pod of the namespace (NetworkPolicy, policy/v1 PDB) instead of none (Service). */
  add(ns: string | undefined, sel: Selector, item: T, emptyMatchesAll: boolean): void {
    const entry = { sel, item };
    const n0 = ns ?? '';
    if (sel.reqs.length === 0) {
      if (emptyMatchesAll) push(this.always, n0, entry);
      return;
    }
    // File the selector under its cheapest positive requirement: an `In` under each of its key=value pairs
    // (a pod has one value per key, so it meets the entry at most once), an `Exists` under its key.
    let best: { keys: string[]; byPair: boolean; cost: number } | undefined;
    for (const r of sel.reqs) {
      let candidate: { keys: string[]; byPair: boolean; cost: number } | undefined;
      if (r.op === 'In') {
        const pairs = [...new Set(r.values)].map((v) => `${r.key}=${v}`);
        candidate = { keys: pairs, byPair: true, cost: pairs.reduce((n, p) => n + (this.stats.pairs.get(p) ?? 0), 0) };
      } else if (r.op === 'Exists') candidate = { keys: [r.key], byPair: false, cost: this.stats.keys.get(r.key) ?? 0 };
      if (candidate && (!best || candidate.cost < best.cost)) best = candidate;
    }
    if (!best) {
      push(this.always, n0, entry);
      return;
    }
    if (best.cost === 0) return; // requires a label no pod has: selects nothing
    for (const k of best.keys) push(best.byPair ? this.byPair : this.byKey, `${n0}\u0000${k}`, entry);
  }

  /** Every indexed item whose selector matches the labels in a compatible namespace. */
  match(ns: string | undefined, labels: Readonly<Record<string, string>>): T[] {
    const out: T[] = [];
    const n0 = ns ?? '';
    const visit = (list: readonly Entry<T>[] | undefined) => {
      for (const e of list ?? []) {
        this.visits++;
        if (selectorMatches(e.sel, labels)) out.push(e.item);
      }
    };
    for (const [k, v] of Object.entries(labels)) {
      visit(this.byPair.get(`${n0}\u0000${k}=${v}`));
      visit(this.byKey.get(`${n0}\u0000${k}`));
    }
    visit(this.always.get(n0));
    return out;
  }
}

function push<T>(map: Map<string, T[]>, key: string, v: T): void {
  const list = map.get(key);
  if (list) list.push(v);
  else map.set(key, [v]);
}
