import * as vscode from 'vscode';
import { Engine } from '../engine/audit';
import type { Problem } from '../engine/model';
import type { Settings } from './config';
import { DEFAULT_MAX_FILE_SIZE, IgnoreRules, readText, toSource, walk, type Candidate } from './files';
import type { FolderRenderer } from './render';
import { isSetupPath, loadSetup, readFolderConfig, type Builtins, type FolderSetup } from './setup';
import { withTimeout } from './withTimeout';

/**
 * A full scan's reading of one folder: configuration, the walk, every file read and parsed into a new engine
 * (with pauses for the extension host's other work), the results of the files read so far while the first scan
 * reads them, and the Helm charts and kustomizations rendered alongside. The folder auditor (scan.ts) decides
 * when to scan and audits what this reads.
 */

/**
 * When the first scan of a folder first publishes the results of the files read so far, and how often after that
 * at most (the view's rows follow at most once a second). Each audit of the files so far costs more than the last,
 * and its results cost the workbench work too: reading keeps at least six sevenths of the time.
 */
const PARTIAL_FIRST_MS = 250;
const PARTIAL_EVERY_MS = 1000;
const PARTIAL_SHARE = 6;
/** How often, at most, the count of files read is shown again between the results so far. */
const COUNT_EVERY_MS = 250;
/** How long a local scan reads before it lets other work of the extension host run. */
const YIELD_EVERY_MS = 15;
/**
 * How long, at most, the reading waits after the first results so far for the view to fetch their rows. While the
 * extension host reads (even pausing every few milliseconds), VS Code was seen not to fetch a visible view's first rows
 * until the reading ended, seconds later; with the host idle it fetches them in a few hundred milliseconds.
 */
const ROWS_WAIT_MS = 1500;

/** The folder auditor's side of a full scan: what the scan reads with, and sets as it goes. */
export interface ScanSubject {
  readonly folder: vscode.WorkspaceFolder;
  readonly name: string;
  readonly settings: Settings;
  readonly renderer: FolderRenderer;
  /** Files read so far by the running full scan, of how many. */
  readonly reading: { done: number; total: number };
  /** Problems of single files (read errors, refused links), by path: replaced by the scan. */
  readonly fileProblems: Map<string, Problem[]>;
  /** The setup in force, whose valid config stands in while the config file is invalid. */
  readonly setup: FolderSetup | undefined;
  /** The ignore rules change events are filtered with: the scan's own from its walk on. */
  rules: IgnoreRules;
  repoChecklists: string[];
  walkProblems: Problem[];
  readonly host: { builtins(): Promise<Builtins>; didRead(subject: ScanSubject): void; rowsTaken(): Promise<void> };
  /** The results shown are of the files read so far. */
  readonly partial: boolean;
  /** Shows the audit of the files read so far (the first scan of a folder only). */
  publishPartial(engine: Engine, setup: FolderSetup): void;
}

/** One run of a full scan: cancellation, superseding, progress. */
export interface ScanRun {
  token: vscode.CancellationToken;
  /** False once the run was cancelled or a newer scan of the folder started. */
  current(): boolean;
  progress?: (message: string, increment?: number) => void;
}

/** Wall time of a scan's phases, for the log line that says where the time went. */
export class Phases {
  readonly started = Date.now();
  private readonly done: string[] = [];
  private lap = this.started;

  end(name: string): void {
    const now = Date.now();
    this.done.push(`${name} ${now - this.lap} ms`);
    this.lap = now;
  }

  toString(): string {
    return this.done.join(', ');
  }
}

function checkCurrent(run: ScanRun): void {
  if (!run.current()) throw new vscode.CancellationError();
}

/**
 * Reads the whole folder into a new engine, rendering its charts and kustomizations alongside. Resolves to
 * the engine and setup to audit; throws a CancellationError when the run is cancelled or superseded.
 */
export async function readFolder(a: ScanSubject, run: ScanRun, phases: Phases): Promise<{ engine: Engine; setup: FolderSetup }> {
  const { token, progress } = run;
  // the built-in checklists load while the configuration is read and the folder walked (the first scan only)
  const builtinsLoaded = a.host.builtins();
  builtinsLoaded.catch(() => undefined); // (awaited below)
  progress?.(`${a.name}: reading configuration`);
  // The config decides the excludes and how charts render, so it is read before the walk; the checklists after it.
  const config = await readFolderConfig(a.folder.uri, a.settings, a.setup?.fileConfig);
  checkCurrent(run);
  a.rules = new IgnoreRules(config.config.exclude ?? []);
  phases.end('configuration');
  progress?.(`${a.name}: finding files`);
  const nested = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.toString()).filter((u) => u !== a.folder.uri.toString()));
  const walked = await walk(a.folder.uri, a.rules, { maxFiles: a.settings.maxFiles, token, skip: nested });
  a.repoChecklists = walked.files.filter((f) => f.path.toLowerCase().endsWith('.checklist.yaml') || f.path.toLowerCase().endsWith('.checklist.yml')).map((f) => f.path);
  phases.end(`walk (${walked.files.length} files)`);
  // charts and kustomizations are audited as rendered: the files they consume are not audited on their own
  a.renderer.planFrom(walked.files.map((f) => f.path));
  const files = walked.files.filter((f) => !isSetupPath(f.path) && !a.renderer.consumes(f.path));
  // Charts and kustomizations render out of process from here on, while the checklists load and the files are
  // read (rendering takes the longest); what they render goes into the engine once it is made.
  let made: { resolve(e: Engine): void; reject(e: unknown): void } | undefined;
  const engineMade = new Promise<Engine>((resolve, reject) => (made = { resolve, reject }));
  const renderStarted = Date.now();
  let renderMs = 0;
  const rendered = a.renderer.render(engineMade, config.config, a.settings).finally(() => (renderMs = Date.now() - renderStarted));
  rendered.catch(() => undefined); // (awaited below; a cancelled scan does not wait for it)
  engineMade.catch(() => undefined); // (a superseded rendering does not wait for it)
  let engine: Engine;
  let setup: FolderSetup;
  try {
    const builtins = await builtinsLoaded;
    setup = await loadSetup(a.folder.uri, builtins, a.settings, a.repoChecklists, a.setup?.fileConfig, config);
    checkCurrent(run);
    engine = new Engine(setup.checklists, setup.config, a.folder.uri.toString());
    made?.resolve(engine);
  } catch (e) {
    made?.reject(e);
    throw e;
  }
  phases.end('checklists');
  a.fileProblems.clear();
  a.walkProblems = walked.problems;
  for (const p of walked.links) a.fileProblems.set(p.file, [p]);
  const stats = await readFiles(a, run, engine, setup, files);
  checkCurrent(run);
  phases.end(`reading and parsing: ${stats}`);
  // what the files say while charts and kustomizations are still rendering
  if (a.renderer.pending && !renderMs) {
    a.publishPartial(engine, setup);
    progress?.(`${a.name}: rendering Helm charts and kustomizations`);
  }
  await rendered;
  checkCurrent(run);
  phases.end(`rendering (${renderMs} ms, alongside the checklists and the reading)`);
  return { engine, setup };
}

/**
 * Reads and parses the files into the engine, counting them in `a.reading`. A local folder is read by one
 * reader that pauses every few milliseconds; a remote one by eight overlapping readers. While the first scan
 * reads, the results so far are published now and then (PARTIAL_*). Resolves to where the time went.
 */
async function readFiles(a: ScanSubject, run: ScanRun, engine: Engine, setup: FolderSetup, files: readonly Candidate[]): Promise<string> {
  const { progress } = run;
  const maxSize = setup.config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const markdown = new Set(setup.config.markdown ?? []);
  let done = 0;
  let next = 0;
  Object.assign(a.reading, { done: 0, total: files.length });
  const local = a.folder.uri.scheme === 'file';
  const started = Date.now();
  let published = started;
  let yielded = started;
  let counted = started;
  // (the pace of the reading over the last quarter second, in ms per file: 0 until a quarter second has passed)
  let paceAt = started;
  let paceDone = 0;
  let recentPace = 0;
  let partialMs = 0;
  let partials = 0;
  let lastPartial = 0;
  const prof = { read: 0, parse: 0, yielded: 0, yields: 0, maxGap: 0, lag: 0, rowsWait: 0 };
  let tickAt = Date.now();
  const lagProbe = setInterval(() => {
    prof.lag = Math.max(prof.lag, Date.now() - tickAt - 20);
    tickAt = Date.now();
  }, 20);
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      if (!run.current()) return;
      const f = files[next++];
      const problems: Problem[] = [];
      const r0 = performance.now();
      const text = await readText(f.uri, f.path, problems, maxSize);
      const r1 = performance.now();
      const src = text === undefined ? undefined : toSource(f.path, text, markdown);
      if (src) engine.upsert(src);
      prof.read += r1 - r0;
      prof.parse += performance.now() - r1;
      if (problems.length) a.fileProblems.set(f.path, problems);
      done++;
      if (run.current()) a.reading.done = done;
      if (done % 50 === 0) progress?.(`${a.name}: ${done}/${files.length} files`, (50 / Math.max(files.length, 1)) * 100);
      // Local reads do not wait: every few milliseconds, let the workbench's requests (the view's rows),
      // progress, cancellation and editor events through.
      if (local && Date.now() - yielded >= YIELD_EVERY_MS) {
        prof.maxGap = Math.max(prof.maxGap, Date.now() - yielded);
        const y0 = performance.now();
        await new Promise((resolve) => setImmediate(resolve));
        prof.yielded += performance.now() - y0;
        prof.yields++;
        yielded = Date.now();
      }
      // The time left is told from the slower of the pace so far and the pace of the last quarter second: reading
      // slows when the workbench or the tools take the cores, and a pace kept from a fast start would skip results
      // so far that were due.
      const now = Date.now();
      if (now - paceAt >= PARTIAL_FIRST_MS) {
        recentPace = (now - paceAt) / Math.max(1, done - paceDone);
        paceAt = now;
        paceDone = done;
      }
      const left = Math.max((now - started) / done, recentPace) * (files.length - done);
      // (one is due `every` ms after the last, and skipped when less reading than that is left, at most a second:
      // the complete result comes then; the first comes whenever a quarter second is left, since auditing the
      // whole folder after the reading takes a while too)
      const every = partials ? Math.max(PARTIAL_EVERY_MS, PARTIAL_SHARE * lastPartial) : PARTIAL_FIRST_MS;
      if (now - published >= every && left >= Math.min(every, PARTIAL_EVERY_MS) && run.current()) {
        const t0 = Date.now();
        a.publishPartial(engine, setup);
        published = Date.now();
        lastPartial = published - t0;
        partialMs += lastPartial;
        // (the first results so far: the view's rows come before more reading; counted first, so that another
        // reader of a remote folder does not publish while this one waits)
        if (++partials === 1) {
          await withTimeout(a.host.rowsTaken(), ROWS_WAIT_MS);
          prof.rowsWait = Date.now() - published;
          published = Date.now();
        }
      } else if (a.partial && Date.now() - counted >= COUNT_EVERY_MS) {
        a.host.didRead(a);
        counted = Date.now();
      }
    }
  };
  // (local reads are synchronous: one reader; remote reads overlap)
  await Promise.all(Array.from({ length: local ? 1 : 8 }, worker)).finally(() => clearInterval(lagProbe));
  return `read ${Math.round(prof.read)} ms, parsed ${Math.round(prof.parse)} ms, ${partials} audits of the files so far ${partialMs} ms (then ${prof.rowsWait} ms for the view to fetch their rows), other work ${Math.round(prof.yielded)} ms in ${prof.yields} pauses, longest stretch without a pause ${prof.maxGap} ms, longest timer delay ${prof.lag} ms`;
}
