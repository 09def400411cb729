// Writes checklists/.builtin-cache.json (the plain values of the built-in checklists; see src/node/checklistCache.ts).
// Run from the repository root; `npm run build` bundles and runs it.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { writeChecklistCache } from '../src/node/checklistCache';

const dir = path.resolve(process.argv[2] ?? 'checklists');
if (existsSync(dir)) writeChecklistCache(dir);
