// Writes the JSON schemas generated from the zod schemas. `--check` fails when the files are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { schemaFiles } from '../src/engine/checklist/jsonSchema';

const check = process.argv.includes('--check');
let stale = 0;
for (const [rel, content] of Object.entries(schemaFiles())) {
  const file = path.join(__dirname, '..', rel);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing */
  }
  if (current === content) continue;
  if (check) {
    console.error(`${rel} is stale: run npm run schema`);
    stale++;
  } else {
    writeFileSync(file, content);
    console.log(`wrote ${rel}`);
  }
}
process.exitCode = stale ? 1 : 0;
