import { z } from 'zod';
import { defineFix } from '../template';
import { openDockerfile } from './common';

/**
 * Inserts the option a finding names (`data.insert`, e.g. `--no-cache`) right after the command it points
 * at (`apk add`), once the current text still reads that command there. The option changes how the build
 * installs, never what the image runs.
 */
export const insertOption = defineFix({
  id: 'docker.insert-option',
  description: 'Adds the missing option to a RUN command (apk add --no-cache, pip install --no-cache-dir, apt-get install -y…), right after its sub-command.',
  params: z.strictObject({}),
  compute({ text, finding }) {
    const insert = finding.data?.insert;
    const after = finding.data?.after;
    if (typeof insert !== 'string' || typeof after !== 'string' || !/^-[\w-]+(=[\w.-]+)?$/.test(insert)) return { declined: 'the finding names no option to add' };
    const t = openDockerfile(text);
    if ('declined' in t) return t;
    const end = t.index.offsetAt(finding.range.end);
    if (text.slice(Math.max(0, end - after.length), end) !== after || !/^(\s|$|;|&|\|)/.test(text.slice(end, end + 1))) return { declined: 'the command moved since the audit; audit again' };
    return { title: `Add ${insert}`, edits: [{ file: finding.file, edits: [{ range: t.index.range(end, end), newText: ` ${insert}` }] }] };
  },
});
