import { FreshFinding } from '../../keptRange';
import type { Range, RawFinding } from '../../model';
import { dockerFlags, dockerFromHead, dockerLines, dockerProperties, spansLines, type DockerfileModel, type DockerInstruction, type DockerProperty, type DockerStage } from '../../parse/dockerfile';
import { LineIndex } from '../../text';
import type { ParsedFile } from '../../workspace';
import { fileValue, valueOf, type FileValues } from '../fileValues';
import { passOrFail, type CheckOutput } from '../template';
import { onbuildRuns } from './onbuild';
import { runCommands, type ShellCommand } from './shell';
import { program, type CommandProgram } from './shellProgram';

/** A parsed Dockerfile with what Dockerfile checks share: its model, a line index and RUN commands on demand. */
export interface DockerContext {
  file: ParsedFile<DockerfileModel>;
  model: DockerfileModel;
  index: LineIndex;
  commands(ins: DockerInstruction): ShellCommand[];
  /** The first line of the multi-line instruction a continuation line belongs to. */
  instructionLine(line: number): number | undefined;
  /** A value computed once per instruction and key, shared by the checks of this file (`compute` is given both, so callers need no closure). */
  memo<T>(key: string, ins: DockerInstruction, compute: (ctx: DockerContext, ins: DockerInstruction) => T): T;
  /** A value computed once per file and key, shared by the checks of this file. */
  once<T>(key: string, compute: (ctx: DockerContext) => T): T;
  /** The commands of every RUN that run a program, in file order, and the programs they run. */
  runs(): RunIndex;
  /**
   * A stage's RUN instructions in file order, with the RUN each of its `ONBUILD RUN` instructions triggers in the
   * images built from it: the commands run in a build all the same, so the checks of commands judge them too.
   */
  runsOf(stage: DockerStage): readonly DockerInstruction[];
  /** The RUN an `ONBUILD RUN` instruction triggers (see {@link DockerContext.runsOf}); undefined for any other instruction. */
  triggerOf(ins: DockerInstruction): DockerInstruction | undefined;
}

/** A command of a RUN that runs a program, with its stage and instruction. */
export interface RunEntry {
  stage: DockerStage;
  ins: DockerInstruction;
  cmd: ShellCommand;
  program: CommandProgram;
}

/** The commands of a file's RUNs, read once for the checks that look for programs (package managers, curl, chpasswd…). */
export interface RunIndex {
  commands: readonly RunEntry[];
  programs: ReadonlySet<string>;
}

/** The shared context of a Dockerfile: derived from the parsed file, once for all the checks of one run (see fileValues.ts). */
const CONTEXT = fileValue<DockerContext | undefined>('Dockerfile context', (file) => {
  const model = file.model as DockerfileModel | undefined;
  if (!model || !Array.isArray(model.stages)) return undefined;
  return new FileContext(file as ParsedFile<DockerfileModel>, model, model.lines ?? new LineIndex(file.text));
});

/**
 * The shared context of a Dockerfile: its shell commands and memos are made once for the checks of one run
 * (`values`, from the engine) and dropped with it rather than kept for as long as the file is open.
 */
export function dockerContext(file: ParsedFile, values: FileValues | undefined): DockerContext | undefined {
  return valueOf(file, values, CONTEXT);
}

/** A {@link DockerContext}; a class, so a file's context is one object rather than a literal and a closure per method. */
class FileContext implements DockerContext {
  // made on first use: many files have no RUN and no memoised value
  private cache: Map<DockerInstruction, ShellCommand[]> | undefined = undefined;
  private memos: Map<string, Map<DockerInstruction, unknown>> | undefined = undefined;
  private onces: Map<string, unknown> | undefined = undefined;
  /** First and last line of each multi-line instruction in file order, made on the first finding. */
  private multiLine: number[] | undefined = undefined;
  private runIndex: RunIndex | undefined = undefined;
  private stageRuns: (readonly DockerInstruction[])[] | undefined = undefined;
  private triggers: ReadonlyMap<DockerInstruction, DockerInstruction> | undefined = undefined;
  constructor(
    readonly file: ParsedFile<DockerfileModel>,
    readonly model: DockerfileModel,
    readonly index: LineIndex,
  ) {}
  commands(ins: DockerInstruction): ShellCommand[] {
    this.cache ??= new Map();
    let c = this.cache.get(ins);
    if (!c) this.cache.set(ins, (c = runCommands(ins, this.file.text, this.index, this.model.escapeChar ?? '\\')));
    return c;
  }
  instructionLine(line: number): number | undefined {
    if (!this.multiLine) {
      const spans: number[] = [];
      const add = (list: readonly DockerInstruction[]) => {
        for (const i of list) {
          if (!spansLines(i)) continue;
          const { first, last } = dockerLines(i, this.index);
          spans.push(first, last);
        }
      };
      add(this.model.preamble);
      for (const s of this.model.stages) add(s.instructions);
      this.multiLine = spans;
    }
    // a linear search: a file has a few findings and instructions never overlap
    const multi = this.multiLine;
    for (let k = 0; k < multi.length; k += 2) if (line > multi[k] && line <= multi[k + 1]) return multi[k];
    return undefined;
  }
  runs(): RunIndex {
    if (!this.runIndex) {
      const commands: RunEntry[] = [];
      const programs = new Set<string>();
      for (const stage of this.model.stages) {
        for (const ins of this.runsOf(stage)) {
          for (const cmd of this.commands(ins)) {
            const p = program(cmd);
            if (!p) continue;
            commands.push({ stage, ins, cmd, program: p });
            programs.add(p.name);
          }
        }
      }
      this.runIndex = { commands, programs };
    }
    return this.runIndex;
  }
  runsOf(stage: DockerStage): readonly DockerInstruction[] {
    if (!this.stageRuns) {
      const triggers = this.triggerMap();
      this.stageRuns = this.model.stages.map((s) => {
        const runs: DockerInstruction[] = [];
        for (const i of s.instructions) {
          const run = i.keyword === 'RUN' ? i : i.keyword === 'ONBUILD' ? triggers.get(i) : undefined;
          if (run) runs.push(run);
        }
        return runs;
      });
    }
    return this.stageRuns[stage.index] ?? [];
  }
  triggerOf(ins: DockerInstruction): DockerInstruction | undefined {
    return ins.keyword === 'ONBUILD' ? this.triggerMap().get(ins) : undefined;
  }
  private triggerMap(): ReadonlyMap<DockerInstruction, DockerInstruction> {
    return (this.triggers ??= onbuildRuns(this.file.text, this.file.path, this.model, this.index));
  }
  memo<T>(key: string, ins: DockerInstruction, compute: (ctx: DockerContext, ins: DockerInstruction) => T): T {
    this.memos ??= new Map();
    let m = this.memos.get(key);
    if (!m) this.memos.set(key, (m = new Map()));
    const known = m.get(ins);
    if (known !== undefined || m.has(ins)) return known as T;
    const v = compute(this, ins);
    m.set(ins, v);
    return v;
  }
  once<T>(key: string, compute: (ctx: DockerContext) => T): T {
    this.onces ??= new Map();
    const known = this.onces.get(key);
    if (known !== undefined || this.onces.has(key)) return known as T;
    const v = compute(this);
    this.onces.set(key, v);
    return v;
  }
}

/** The stage and the earlier stages it builds on (`FROM build`), nearest first. */
export function stageChain(model: DockerfileModel, stage: DockerStage): DockerStage[] {
  const chain: DockerStage[] = [];
  let s: DockerStage | undefined = stage;
  // a chain is a few stages long: a linear search guards against a cycle
  while (s && !chain.includes(s)) {
    chain.push(s);
    s = s.parent !== undefined ? model.stages[s.parent] : undefined;
  }
  return chain;
}

const PARAM_SETS = new WeakMap<readonly string[], Map<string, ReadonlySet<string>>>();

/** A list param as a set (upper- or lower-cased), built once per params object rather than per file. */
export function paramSet(list: readonly string[], letterCase: 'as-is' | 'upper' | 'lower' = 'as-is'): ReadonlySet<string> {
  let byCase = PARAM_SETS.get(list);
  if (!byCase) PARAM_SETS.set(list, (byCase = new Map()));
  let set = byCase.get(letterCase);
  if (!set) byCase.set(letterCase, (set = new Set(list.map((v) => (letterCase === 'upper' ? v.toUpperCase() : letterCase === 'lower' ? v.toLowerCase() : v)))));
  return set;
}

/**
 * Visits the instructions that run in the image a stage produces, oldest first (those of parent stages
 * included), with the stage each belongs to; stops when `visit` returns false.
 */
export function forEachEffective(model: DockerfileModel, stage: DockerStage, visit: (ins: DockerInstruction, stage: DockerStage) => boolean | void): void {
  const chain = stageChain(model, stage);
  for (let c = chain.length - 1; c >= 0; c--) {
    const s = chain[c];
    for (const ins of s.instructions) if (visit(ins, s) === false) return;
  }
}

/** The stage's last instruction with this keyword, if any (no list made). */
export function lastOf(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  const list = stage.instructions;
  for (let k = list.length - 1; k >= 0; k--) if (list[k].keyword === keyword) return list[k];
  return undefined;
}

export function stageLabel(stage: DockerStage): string {
  return stage.name ? `stage "${stage.name}"` : `stage ${stage.index}`;
}

/**
 * A Dockerfile finding: `data.stage` is the stage index; when the range starts on a continuation line of a
 * multi-line instruction, `data.instructionLine` is the instruction's first line, so a suppression comment
 * above the instruction (`# hadolint ignore=…`) applies to it.
 */
export function dockerFinding(ctx: DockerContext, range: Range, message: string, stage?: DockerStage): RawFinding {
  const owner = ctx.instructionLine(range.start.line);
  const index = stage?.index ?? 0;
  // one literal per shape: a key added afterwards would go to a separate properties store
  const data: Record<string, unknown> = owner !== undefined ? { stage: index, instructionLine: owner } : stageData(index);
  return new FreshFinding(ctx.file.path, range, message, stage?.name, data);
}

/** `{ stage }` data per stage index, frozen and shared by the findings that need nothing else (most): one less object kept per finding. */
const STAGE_DATA: Readonly<Record<string, unknown>>[] = [];

export function stageData(index: number): Record<string, unknown> {
  if (index >= 64) return { stage: index };
  return (STAGE_DATA[index] ??= Object.freeze({ stage: index })) as Record<string, unknown>;
}

export function offsetsRange(ctx: DockerContext, start: number, end: number): Range {
  return ctx.index.range(start, end);
}

/** The FROM keyword plus image: where a "missing in this stage" finding points. */
export function fromRange(stage: DockerStage): Range {
  return dockerFromHead(stage.from);
}

/** Known Windows base images: the root-equivalent user and paths differ. */
export function isWindowsStage(model: DockerfileModel, stage: DockerStage): boolean {
  const first = stageChain(model, stage).at(-1) ?? stage;
  return /(^|\/)(windows|nanoserver|servercore|windowsservercore)\b|mcr\.microsoft\.com\/windows/i.test(first.from.image) || model.escapeChar === '`';
}

/** Flags of an instruction (`RUN --mount=…`, `COPY --from=…`) as name/value pairs; the raw args exclude them. */
export function flags(ins: DockerInstruction): { name: string; value: string }[] {
  return dockerFlags(ins).map((f) => ({ name: f.name.toLowerCase(), value: f.value ?? '' }));
}

/** `NAME=value` pairs of an ENV or ARG instruction, with ranges; legacy `ENV NAME value` included. */
export function properties(ins: DockerInstruction): DockerProperty[] {
  return dockerProperties(ins);
}

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}` and `${VAR:+alt}` from `vars`.
 * Names not in `vars` (or without a value) are listed as unresolved and left in place.
 */
export function substitute(value: string, vars: Record<string, string | undefined>): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  if (!value.includes('$')) return { value, unresolved }; // nothing to substitute (most values): no pattern run
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const v = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
    const set = v !== undefined && (op?.startsWith(':') ? v !== '' : true);
    if (op === '-' || op === ':-') return set ? (v as string) : (word ?? '');
    if (op === '+' || op === ':+') return set ? (word ?? '') : '';
    if (v === undefined) {
      unresolved.push(name);
      return m;
    }
    return v;
  });
  return { value: out, unresolved };
}

/** Variables (ARG defaults and ENV values) in effect for a stage at a given instruction, global ARGs included when redeclared. */
export function stageVariables(model: DockerfileModel, stage: DockerStage, before?: DockerInstruction): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = {};
  forEachEffective(model, stage, (ins) => {
    if (ins === before) return false;
    if (ins.keyword !== 'ARG' && ins.keyword !== 'ENV') return;
    for (const p of properties(ins)) {
      const name = p.getName();
      const value = p.getValue();
      if (ins.keyword === 'ARG') vars[name] = value ?? model.globalArgs[name] ?? vars[name];
      else vars[name] = value ?? '';
    }
  });
  return vars;
}

/**
 * The common shape of a Dockerfile check: not applicable to a file without stages; otherwise `visit` sees each
 * stage and reports through `report` (a finding owned by that stage), and the findings pass or fail the item.
 */
export function perStage(file: ParsedFile, values: FileValues | undefined, visit: (ctx: DockerContext, stage: DockerStage, report: (range: Range, message: string) => void) => void): CheckOutput | undefined {
  const ctx = dockerContext(file, values);
  if (!ctx || ctx.model.stages.length === 0) return undefined;
  // one reporter for every stage (not a closure per stage and check)
  const reporter = new StageReporter(ctx);
  for (const stage of ctx.model.stages) {
    reporter.stage = stage;
    visit(ctx, stage, reporter.report);
  }
  return passOrFail(reporter.findings);
}

/** The findings {@link perStage} collects, each owned by the stage being visited. */
class StageReporter {
  readonly findings: RawFinding[] = [];
  stage: DockerStage | undefined = undefined;
  constructor(private readonly ctx: DockerContext) {}
  readonly report = (range: Range, message: string): void => {
    this.findings.push(dockerFinding(this.ctx, range, message, this.stage));
  };
}
