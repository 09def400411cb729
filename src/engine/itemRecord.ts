// One item's part of an audit, assembled from its check outputs, and what it reports per file.
import { ZERO_RANGE } from './auditSummary';
import { outputOf, type KindOutputs } from './fileOutputs';
import type { Entry } from './fileStore';
import { NOT_APPLICABLE, NOTHING_FOUND, isOutput, itemResult, type ItemOut, type Slot } from './itemOutput';
import type { KeptFindings } from './keptFindings';
import type { Attestation, Evidence, FileKind, Finding, ItemResult, Problem, Unaudited } from './model';
import { changedFiles, group, type ReportedPart } from './reportOrder';
import type { ResolvedItem } from './resolve';

const NO_FILES: ReadonlyMap<string, Finding[]> = new Map();

/** An item's part of an audit: kept while nothing it was assembled from changed. */
export class ItemRecord implements ReportedPart {
  /**
   * The reported findings by file (auto items only), made when an audit first compares them: a first audit
   * has nothing to compare with and needs none.
   */
  private groups?: ReadonlyMap<string, Finding[]>;
  constructor(
    readonly result: ItemResult,
    readonly reported: Finding[],
    groups: ReadonlyMap<string, Finding[]> | undefined,
    readonly suppressed: number,
    readonly problems: Problem[],
    readonly unaudited: Unaudited[],
  ) {
    this.groups = groups;
  }

  get mode(): ItemResult['mode'] {
    return this.result.mode;
  }

  byFile(): ReadonlyMap<string, Finding[]> {
    return (this.groups ??= this.result.mode === 'auto' ? group(this.reported) : NO_FILES);
  }
}

/** A file-scope item's outputs on the files of a kind (kept on their entries), or a workspace item's output. */
export type ItemOutputs = { kind: FileKind; onFiles: KindOutputs; outs?: undefined } | { kind?: undefined; onFiles?: undefined; outs: readonly (Slot | undefined)[] };

/** What an item is assembled from. */
export interface ItemInputs {
  ri: ResolvedItem;
  strict: boolean;
  attestation: Attestation | undefined;
  silencing: KeptFindings;
  /** Changes whenever a suppression may have changed. */
  suppressionEpoch: number;
  /** The outputs of a file-scope item on the files of each kind it reads, or a workspace item's output. */
  outputs: readonly ItemOutputs[];
  /** The item's last record, if any, and where to note the files whose reported findings changed since. */
  previous: ItemRecord | undefined;
  dirty: Set<string>;
  /** A first audit: every file is new, none needs noting. */
  rebuildAll: boolean;
}

/** Assembles an item's result from its outputs: suppressions applied, findings, evidence, problems and unaudited inputs gathered. */
export function assembleItem(x: ItemInputs): ItemRecord {
  const { ri, strict } = x;
  const { item } = ri;
  const problems: Problem[] = [];
  const unaudited: Unaudited[] = [];
  const reported: Finding[] = [];
  const evidence: Evidence[] = [];
  let suppressed = 0;
  let applicable = false;
  const take = (out: ItemOut, kind: FileKind | undefined) => {
    if (out.problem) {
      problems.push(out.problem);
      unaudited.push({ file: out.problem.file, range: ZERO_RANGE, reason: out.problem.message, scope: 'file', kind, rules: [item.id] });
    }
    if (out.unaudited) for (const u of out.unaudited) unaudited.push(u);
    if (!out.applicable) return;
    applicable = true;
    const kept = strict ? out.findings : x.silencing.kept(out, item.aliases, x.suppressionEpoch);
    suppressed += out.findings.length - kept.length;
    for (let i = 0; i < kept.length; i++) reported.push(kept[i]);
    if (out.evidence) for (let i = 0; i < out.evidence.length; i++) evidence.push(out.evidence[i]);
  };
  const alone = (f: Finding, entry: Entry | undefined) => {
    // a finding alone: the output of one finding in the checked file and nothing else
    applicable = true;
    if (strict || x.silencing.keeps(f, item.aliases, x.suppressionEpoch, entry)) reported.push(f);
    else suppressed++;
  };
  for (const { kind, onFiles, outs } of x.outputs) {
    if (onFiles) {
      const { entries, at } = onFiles;
      for (let i = 0; i < entries.length; i++) {
        const out = outputOf(entries[i], at);
        // most files pass or are out of scope: the shared outputs need no bookkeeping
        if (out === NOTHING_FOUND) applicable = true;
        else if (out === NOT_APPLICABLE || out === undefined) continue;
        else if (isOutput(out)) take(out, kind);
        else alone(out, entries[i]);
      }
      continue;
    }
    for (const out of outs) {
      if (out === NOTHING_FOUND) applicable = true;
      else if (out === NOT_APPLICABLE || out === undefined) continue;
      else if (isOutput(out)) take(out, kind);
      else alone(out, undefined);
    }
  }
  const result = itemResult(ri, reported, evidence, applicable, unaudited.length > 0, x.attestation);
  const auto = result.mode === 'auto';
  let byFile: ReadonlyMap<string, Finding[]> | undefined;
  if (!x.previous) {
    // nothing to compare with: every file the item reports on changed
    if (auto && !x.rebuildAll) for (let i = 0; i < reported.length; i++) x.dirty.add(reported[i].file);
  } else {
    const now = auto ? group(reported) : NO_FILES;
    changedFiles(x.previous.byFile(), now, x.dirty);
    byFile = now;
  }
  return new ItemRecord(result, reported, byFile, suppressed, problems, unaudited);
}
