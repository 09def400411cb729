import { z } from 'zod';
import { baseName, dirName, eol, joinPath, LineIndex } from '../../text';
import { defineFix } from '../template';

const Params = z.strictObject({
  /** Entries from the seed checklists' .dockerignore. */
  entries: z.array(z.string().min(1)).min(1).default(['node_modules', '.git', '.env', '.env.*', 'coverage', 'npm-debug.log', '*.log']),
});

export const dockerignore = defineFix({
  id: 'repo.create-dockerignore',
  description: 'Creates a .dockerignore next to the Dockerfile (node_modules, .git, .env files, logs), or adds the entries an existing one lacks.',
  params: Params,
  compute({ text, finding, params, readFile }) {
    const own = baseName(finding.file) === '.dockerignore';
    const file = own ? finding.file : joinPath(dirName(finding.file), '.dockerignore');
    const current = own ? text : readFile?.(file);
    if (current === undefined) {
      return { title: `Create ${file}`, edits: [{ file, create: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: params.entries.join('\n') + '\n' }] }] };
    }
    const have = new Set(current.split('\n').map((l) => l.trim()));
    const missing = params.entries.filter((e) => !have.has(e));
    if (!missing.length) return { declined: `${file} already has every entry` };
    const nl = eol(current);
    const index = new LineIndex(current);
    const end = index.positionAt(current.length);
    const sep = current.length === 0 || current.endsWith('\n') ? '' : nl;
    return { title: `Add ${missing.join(', ')} to ${file}`, edits: [{ file, edits: [{ range: { start: end, end }, newText: sep + missing.join(nl) + nl }] }] };
  },
});
