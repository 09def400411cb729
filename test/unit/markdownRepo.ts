import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { linkMarkdownFiles, type LinkedChecklist } from '../../src/engine/markdown/link';
import { scanFolder, type ScanResult } from '../../src/node/host';
import { FIXTURES } from './helpers';

/**
 * A repository whose PRODUCTION_CHECKLIST.md ticks items its files do not meet (no resource limits, a
 * secret written into a manifest) and leaves unticked items they do meet (probes, multi-stage build).
 */
export const MARKDOWN_REPO = path.join(FIXTURES, 'markdown', 'repo');
export const CHECKLIST = 'PRODUCTION_CHECKLIST.md';

export async function scanMarkdownRepo(): Promise<{ scan: ScanResult; text: string; linked: LinkedChecklist }> {
  const scan = await scanFolder(MARKDOWN_REPO);
  const text = readFileSync(path.join(MARKDOWN_REPO, CHECKLIST), 'utf8');
  const [linked] = linkMarkdownFiles(scan.engine.paths.map((p) => scan.engine.file(p)!), scan.result, scan.engine.resolvedItems);
  return { scan, text, linked };
}

