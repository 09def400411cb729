// The name of a build: a hash of the sources it bundles and of the versions of the libraries that validate
// checklists. A cache written for one build (checklists/.builtin-cache.json) is used as it is only by bundles
// of the same build name; see src/node/checklistCache.ts.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true })
    .filter((p) => !lstatSync(path.join(dir, p)).isDirectory())
    .map((p) => p.split(path.sep).join('/'))
    .sort();

/** The build name for the sources in `srcDir` (default: ./src). */
export function buildId(srcDir = 'src') {
  const hash = createHash('sha256');
  for (const lib of ['zod', 'yaml']) hash.update(`${lib}@${JSON.parse(readFileSync(require.resolve(`${lib}/package.json`), 'utf8')).version}\0`);
  for (const f of filesUnder(srcDir)) hash.update(`${f}\0`).update(readFileSync(path.join(srcDir, f))).update('\0');
  return hash.digest('hex').slice(0, 32);
}
