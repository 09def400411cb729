import type * as ChildProcess from 'node:child_process';
import type * as WorkerThreads from 'node:worker_threads';

// loaded when a tool first runs: a scan with nothing to render never loads them (about 15 ms of CPU at start)
const childProcess = (): typeof ChildProcess => require('node:child_process') as typeof ChildProcess;
const workerThreads = (): typeof WorkerThreads => require('node:worker_threads') as typeof WorkerThreads;

/** One run of an external tool (helm, kubectl): what to start and how long it may take. */
export interface ToolCall {
  bin: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeout: number;
  maxBuffer: number;
}

/** How a run ended: its output, or why it failed (a spawn error code, the timeout, a cancellation, the tool's stderr). */
export interface ToolExit {
  stdout: string;
  stderr: string;
  failure?: { code?: string | number; name?: string; killed?: boolean; message: string };
}

function exitOf(err: (Error & { code?: string | number | null; killed?: boolean }) | null, stdout: string, stderr: string): ToolExit {
  return err ? { stdout, stderr, failure: { code: err.code ?? undefined, name: err.name, killed: err.killed, message: err.message } } : { stdout, stderr };
}

/** Runs the tool from this thread (the CLI's way: nothing else runs here meanwhile). */
export function runHere(call: ToolCall, signal?: AbortSignal): Promise<ToolExit> {
  return new Promise((resolve) => {
    childProcess().execFile(call.bin, call.args, { cwd: call.cwd, env: call.env, timeout: call.timeout, maxBuffer: call.maxBuffer, signal, windowsHide: true }, (err, stdout, stderr) => resolve(exitOf(err, String(stdout), String(stderr))));
  });
}

/**
 * The runner thread's code: starting a process waits until the child has started the tool (tens of milliseconds
 * each on a busy machine), which on the extension host's own thread would hold up everything else it does.
 */
const RUNNER = `
const { parentPort } = require('node:worker_threads');
const { execFile } = require('node:child_process');
const running = new Map();
parentPort.on('message', (m) => {
  if (m.cancel !== undefined) return void running.get(m.cancel)?.abort();
  const ac = new AbortController();
  running.set(m.id, ac);
  const c = m.call;
  execFile(c.bin, c.args, { cwd: c.cwd, env: c.env, timeout: c.timeout, maxBuffer: c.maxBuffer, signal: ac.signal, windowsHide: true }, (err, stdout, stderr) => {
    running.delete(m.id);
    parentPort.postMessage({ id: m.id, stdout: String(stdout), stderr: String(stderr), failure: err ? { code: err.code, name: err.name, killed: err.killed, message: err.message } : undefined });
  });
});
`;

/**
 * Runs tools from a thread of their own, so that starting them never blocks this thread (the extension host's).
 * The thread exists while runs are pending and ends with the last one.
 */
export class OffThreadRunner {
  private worker: WorkerThreads.Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, (exit: ToolExit) => void>();

  run(call: ToolCall, signal?: AbortSignal): Promise<ToolExit> {
    if (signal?.aborted) return Promise.resolve({ stdout: '', stderr: '', failure: { name: 'AbortError', message: 'aborted' } });
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve) => {
      const cancel = (): void => worker.postMessage({ cancel: id });
      signal?.addEventListener('abort', cancel, { once: true });
      this.pending.set(id, (exit) => {
        signal?.removeEventListener('abort', cancel);
        resolve(exit);
      });
      worker.postMessage({ id, call });
    });
  }

  /** True while the thread exists (runs are pending). */
  get running(): boolean {
    return !!this.worker;
  }

  private start(): WorkerThreads.Worker {
    if (this.worker) return this.worker;
    const worker = new (workerThreads().Worker)(RUNNER, { eval: true, env: {} });
    worker.on('message', (m: ToolExit & { id: number }) => {
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      done?.({ stdout: m.stdout, stderr: m.stderr, failure: m.failure });
      if (!this.pending.size) this.stop();
    });
    const fail = (message: string): void => {
      for (const done of this.pending.values()) done({ stdout: '', stderr: '', failure: { message } });
      this.pending.clear();
      this.stop();
    };
    worker.on('error', (e) => fail(`the thread running it failed: ${e.message}`));
    worker.on('exit', () => fail('the thread running it stopped'));
    this.worker = worker;
    return worker;
  }

  private stop(): void {
    const w = this.worker;
    this.worker = undefined;
    w?.removeAllListeners();
    void w?.terminate();
  }
}
