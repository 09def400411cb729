import { z } from 'zod';
import { userPatternSchema, userRegExp } from '../safeRegex';
import type { Finding } from '../model';
import { defineFix } from './template';
import { YamlEditor } from './yamlEdit';

const Choice = z.strictObject({
  /** Packages of which one must be a dependency for this command (the tool is present). */
  requires: z.array(z.string().min(1)).default([]),
  command: z.string().min(1),
});

const Params = z.strictObject({
  /** Script name (default: the finding's `data.script`). */
  script: z.string().min(1).optional(),
  /** One command, or `choices`: the first whose tool is a dependency wins (e.g. vitest run, jest, mocha). */
  command: z.string().min(1).optional(),
  requires: z.array(z.string().min(1)).default([]),
  choices: z.array(Choice).default([]),
  /** An existing script whose command matches this (e.g. npm's "no test specified") is replaced. */
  placeholder: userPatternSchema('i').min(1).optional(),
});

function scriptOf(finding: Finding, script: string | undefined): string | undefined {
  return (typeof finding.data?.script === 'string' ? finding.data.script : undefined) ?? script;
}

export const addScript = defineFix({
  id: 'scripts.add-script',
  description: 'Adds a missing package.json script (e.g. "typecheck": "tsc --noEmit") when its tool is a dependency, or replaces a placeholder one, keeping the file’s JSON formatting.',
  params: Params,
  compute({ text, finding, params }) {
    const name = scriptOf(finding, params.script);
    if (!name) return { declined: 'the finding names no script' };
    if (text.charCodeAt(0) === 0xfeff) return { declined: 'package.json starts with a byte-order mark; not edited' };
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { declined: 'package.json is not valid JSON' };
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return { declined: 'package.json is not an object' };
    const deps = { ...(json.dependencies as object), ...(json.devDependencies as object) } as Record<string, unknown>;
    const choices = [...params.choices, ...(params.command ? [{ requires: params.requires, command: params.command }] : [])];
    const pick = choices.find((c) => c.requires.length === 0 || c.requires.some((r) => r in deps));
    if (!pick) {
      const tools = [...new Set(choices.flatMap((c) => c.requires))];
      return { declined: tools.length ? `none of ${tools.join(', ')} is a dependency; install the tool first` : 'no command configured' };
    }
    const scripts = json.scripts as Record<string, unknown> | undefined;
    const ed = new YamlEditor(text, { json: true });
    if (scripts && typeof scripts === 'object' && name in scripts) {
      const current = scripts[name];
      if (!params.placeholder || typeof current !== 'string' || !userRegExp(params.placeholder, 'i')?.test(current)) return { declined: `script "${name}" already exists` };
      const r = ed.replace(0, ['scripts', name], pick.command);
      if ('declined' in r) return r;
      return { title: `Replace the placeholder "${name}" script with "${pick.command}"`, edits: [{ file: finding.file, edits: r.edits }] };
    }
    const r = ed.merge(0, ['scripts'], { [name]: pick.command }, { insert: { after: ['main', 'description', 'version', 'name'] } });
    if ('declined' in r) return r;
    return { title: `Add script "${name}": "${pick.command}"`, edits: [{ file: finding.file, edits: r.edits }] };
  },
});
