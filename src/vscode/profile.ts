import { writeFileSync } from 'node:fs';
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
