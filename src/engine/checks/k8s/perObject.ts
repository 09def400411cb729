import type { RawFinding } from '../../model';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { lastParts, sameList, samePlain } from '../derived';
import type { CheckOutput } from '../template';
import { k8sModel, type Ctx, type K8sFile } from './common';
import { namesOtherWorkload, type K8sModel, type K8sObject } from '../../parse/kubernetes';

/** An object with the file it came from. */
export interface Placed extends Ctx {
  file: K8sFile;
  model: K8sModel;
  obj: K8sObject;
}


/** A manifest's placed objects, and the well-formed workloads among them (what a judge without kinds reads). */
interface PlacedLists {
  all: readonly Placed[];
  workloads: readonly Placed[];
}

const placedMemo = new WeakMap<K8sModel, PlacedLists>();
const NO_LISTS: PlacedLists = Object.freeze({ all: Object.freeze([]), workloads: Object.freeze([]) });

function placedLists(file: ParsedFile): PlacedLists {
  const model = k8sModel(file);
  if (!model) return NO_LISTS;
  let lists = placedMemo.get(model);
  if (!lists) {
    const all = model.objects.map((obj) => ({ file: file as K8sFile, model, obj }));
    placedMemo.set(model, (lists = { all, workloads: all.filter((o) => o.obj.workload && !o.obj.malformed) }));
  }
  return lists;
}

/** A manifest's objects with their file and model, made once per model and shared (read-only) by every cross-file check. */
export function placedObjects(file: ParsedFile): readonly Placed[] {
  return placedLists(file).all;
}

export interface PerObjectSpec<P, F> {
  /**
   * What every object is judged against (names, pod labels, covering objects): the same value, by
   * identity, while what it is made of stands (a `Derived` value with early cutoff).
   */
  facts(ws: WorkspaceView, p: P): F;
  /** Object kinds, in the order findings are reported (kind by kind); without it every well-formed workload in file order. */
  kinds?: (p: P) => readonly string[];
  /** Judges one object, adding findings about it (in its own file); returns whether it was judged. */
  judge(o: Placed, facts: F, p: P, findings: RawFinding[]): boolean;
}

interface Part {
  judged: boolean;
  /** Findings per position of their object's kind in the kinds (kinds given), else all at 0; absent when none. */
  byKind: (RawFinding[] | undefined)[] | undefined;
}

/** A check's last judgement of every manifest: the facts, the files and each file's part, and its output. */
interface Judged<F> {
  facts: F;
  files: readonly ParsedFile[];
  parts: Part[];
  out: CheckOutput | undefined;
}

/** The part of a file with nothing to judge: shared, never written. */
const NO_PART: Part = Object.freeze({ judged: false, byKind: undefined });

/**
 * A cross-file Kubernetes check whose findings are each about one object, judged against facts the
 * manifests share. A manifest's findings are kept while the facts keep their identity, so an edit that
 * leaves the facts as they were judges only the edited manifest again; a re-judged manifest whose findings
 * equal its last ones keeps them, and when every manifest does, the check answers with its last output
 * (the engine then keeps its stamped result). What it keeps between runs is a value derived from the files
 * (`ws.derive`, one of the engine's memos), one per item: the item's params are its key, so a template runs
 * one such check. A view that keeps nothing gets every object judged afresh.
 */
export function perObject<P extends object, F>(spec: PerObjectSpec<P, F>): (ws: WorkspaceView, p: P) => CheckOutput | undefined {
  return (ws, p) => {
    const judge = (last: Judged<F> | undefined) => judgeAll(spec, ws, p, last);
    return (ws.derive ? ws.derive<Judged<F>>(p, 'objects judged against shared facts', judge) : judge(undefined)).out;
  };
}

/** Every manifest's objects judged, from the last judgement: the same object, updated, when no finding changed. */
function judgeAll<P extends object, F>(spec: PerObjectSpec<P, F>, ws: WorkspaceView, p: P, last: Judged<F> | undefined): Judged<F> {
  const facts = spec.facts(ws, p);
  const kinds = spec.kinds?.(p);
  // a kind's position in the kinds (the first, if listed twice)
  const wanted = kinds ? new Map([...kinds].reverse().map((k, i) => [k, kinds.length - 1 - i])) : undefined;
  const parts: Part[] = [];
  const files = ws.byKind('kubernetes');
  // a file's last part stands while the facts it was judged against do
  const known = lastParts(last?.facts === facts ? last.files : undefined, last?.parts, files);
  // the judge's findings for one object; moved to the file's part when there are some
  const scratch: RawFinding[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    let part = known(file, i);
    if (!part) {
      let judged = false;
      let byKind: (RawFinding[] | undefined)[] | undefined;
      const lists = placedLists(file);
      const objects = wanted ? lists.all : lists.workloads;
      // index loops: a judgement runs once per audit over every manifest, often before it is optimised, and
      // an unoptimised for-of makes an iterator result per object
      for (let n = 0; n < objects.length; n++) {
        const o = objects[n];
        const at = wanted ? wanted.get(o.obj.kind) : 0;
        if (at === undefined || (wanted && namesOtherWorkload(o.obj))) continue;
        if (spec.judge(o, facts, p, scratch)) judged = true;
        if (scratch.length === 0) continue;
        const list = ((byKind ??= [])[at] ??= []);
        for (let j = 0; j < scratch.length; j++) list.push(scratch[j]);
        scratch.length = 0;
      }
      part = judged || byKind ? { judged, byKind } : NO_PART; // most files hold nothing this check judges
      if (part !== NO_PART) {
        // A file judged again with the same findings keeps its old part, and so possibly the last output.
        const before = last && last.files[i]?.path === file.path ? last.parts[i] : undefined;
        if (before && before.judged === part.judged && samePlain(before.byKind, part.byKind)) part = before;
      }
    }
    parts.push(part);
  }
  if (last && sameList(last.parts, parts)) {
    last.files = files;
    last.facts = facts;
    return last;
  }
  const findings: RawFinding[] = [];
  for (let k = 0; k < (kinds?.length ?? 1); k++) {
    for (let i = 0; i < parts.length; i++) {
      const list = parts[i].byKind?.[k];
      if (list) for (let j = 0; j < list.length; j++) findings.push(list[j]);
    }
  }
  return { facts, files, parts, out: parts.some((x) => x.judged) ? { findings } : undefined };
}
