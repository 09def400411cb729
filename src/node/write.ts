import { closeSync, openSync, promises as fs, writeSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file atomically: a temporary file in the same folder, then a rename over the target. `data` may
 * come in pieces (a report too long for one string), written one after another synchronously: the pieces of
 * a large report are many (a hundred findings each), and a promise write per piece costs a round trip to the
 * thread pool each.
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
      const fd = openSync(tmp, 'w', mode);
      try {
        for (const chunk of data) writeSync(fd, chunk);
      } finally {
        closeSync(fd);
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
