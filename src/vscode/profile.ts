import { readFileSync, writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector';
import * as path from 'node:path';

/**
 * A CPU profile of the extension host from activation to the first complete result, for finding where a
 * first scan's time goes (engine, adapter, VS Code): set SHIPSHAPE_CPU_PROFILE to a folder before starting
 * VS Code, and open the written `.cpuprofile` in Chrome DevTools or VS Code. Off (and free) otherwise.
 */
export class StartupProfile {
  private inspector: Inspector | undefined;

  constructor(private readonly folder = process.env.SHIPSHAPE_CPU_PROFILE) {
    if (!folder) return;
    try {
      const inspector = new Inspector();
      inspector.connect();
      inspector.post('Profiler.enable', () => inspector.post('Profiler.setSamplingInterval', { interval: 500 }, () => inspector.post('Profiler.start')));
      this.inspector = inspector;
    } catch {
      this.inspector = undefined;
    }
  }

  /** Stops the profile and writes it as `<name>.cpuprofile`; resolves to the file written, if any. */
  stop(name: string): Promise<string | undefined> {
    const inspector = this.inspector;
    this.inspector = undefined;
    if (!inspector || !this.folder) return Promise.resolve(undefined);
    const file = path.join(this.folder, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`);
    return new Promise((resolve) =>
      inspector.post('Profiler.stop', (err, result) => {
        inspector.disconnect();
        if (err || !result) return resolve(undefined);
        try {
          writeFileSync(file, JSON.stringify(result.profile));
          resolve(file);
        } catch {
          resolve(undefined);
        }
      }),
    );
  }
}

/**
 * CPU time (ms) of the child processes this process has started and waited for (helm and kubectl, which render
 * charts and kustomizations), from /proc on Linux; undefined elsewhere. With the host's own CPU time it gives the
 * first scan's whole CPU time, to set beside the CLI's (wall times on a busy machine are mostly the load).
 */
export function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // fields after the command name (which may hold spaces): state is field 3, cutime 16, cstime 17, in ticks of 1/100 s
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
