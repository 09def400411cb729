import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file atomically: a temporary file in the same folder, then a rename over the target. `data` may
 * come in pieces (a report too long for one string).
 */
export async function writeFileAtomic(file: string, data: string | Iterable<string>): Promise<void> {
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
    if (typeof data === 'string') await fs.writeFile(tmp, data, mode !== undefined ? { mode } : undefined);
    else {
      const handle = await fs.open(tmp, 'w', mode);
      try {
        for (const chunk of data) await handle.write(chunk);
      } finally {
        await handle.close();
      }
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Replaces a file's content in place: the same inode, so its mode, owner and hard links stay. The bytes are
 * written over the old ones and the file cut to their length.
 */
export async function writeInPlace(file: string, data: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    await handle.write(data, 0, data.length, 0);
    await handle.truncate(data.length);
  } finally {
    await handle.close();
  }
}
