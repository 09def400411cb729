import { z } from 'zod';
import type { Finding } from '../model';
import { defineFix } from './template';
import { YamlEditor } from './yamlEdit';

const Params = z.strictObject({
  /** Script name (default: the finding's `data.script`). */
  script: z.string().min(1).optional(),
  command: z.string().min(1),
  /** The script is added only when one of these packages is a dependency (the tool is present). */
  requires: z.array(z.string().min(1)).default([]),
});

function scriptOf(finding: Finding, script: string | undefined): string | undefined {
  return script ?? (typeof finding.data?.script === 'string' ? finding.data.script : undefined);
}

export const addScript = defineFix({
  id: 'scripts.add-script',
  description: 'Adds a missing package.json script (e.g. "typecheck": "tsc --noEmit") when its tool is a dependency, keeping the file’s JSON formatting.',
  params: Params,
  compute({ text, finding, params }) {
    const name = scriptOf(finding, params.script);
    if (!name) return { declined: 'the finding names no script' };
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
    } catch {
      return { declined: 'package.json is not valid JSON' };
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return { declined: 'package.json is not an object' };
    const deps = { ...(json.dependencies as object), ...(json.devDependencies as object) } as Record<string, unknown>;
    if (params.requires.length && !params.requires.some((r) => r in deps)) return { declined: `none of ${params.requires.join(', ')} is a dependency; install the tool first` };
    const scripts = json.scripts as Record<string, unknown> | undefined;
    if (scripts && typeof scripts === 'object' && name in scripts) return { declined: `script "${name}" already exists` };
    const ed = new YamlEditor(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { json: true });
    if (text.charCodeAt(0) === 0xfeff) return { declined: 'package.json starts with a byte-order mark; not edited' };
    const r = ed.merge(0, ['scripts'], { [name]: params.command }, { insert: { after: ['main', 'description', 'version', 'name'] } });
    if ('declined' in r) return r;
    return { title: `Add script "${name}": "${params.command}"`, edits: [{ file: finding.file, edits: r.edits }] };
  },
});
