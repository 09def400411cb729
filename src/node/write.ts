import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Writes a file atomically: a temporary file in the same folder, then a rename over the target. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let mode: number | undefined;
  try {
    mode = (await fs.stat(file)).mode;
  } catch {
    /* new file */
  }
  try {
    await fs.writeFile(tmp, data, mode !== undefined ? { mode } : undefined);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
