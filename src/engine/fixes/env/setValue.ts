import { z } from 'zod';
import { isMap, isScalar, isSeq } from 'yaml';
import { classifyPath } from '../../discover';
import type { Finding, TextEdit } from '../../model';
import { envFileRole, parseDotenv } from '../../parse/dotenv';
import { dirName, eol, joinPath, LineIndex } from '../../text';
import { insertLines, kw, openDockerfile, textOf } from '../docker/common';
import { locateK8s } from '../k8s/common';
import { YamlEditor } from '../yamlEdit';
import { defineFix, type FixOutput } from '../template';

function keyOf(finding: Finding, key: string | undefined): string | undefined {
  return key ?? (typeof finding.data?.key === 'string' ? finding.data.key : undefined);
}

/** Quotes a .env value only when it needs it, keeping the old quote style when there was one. */
function envValue(value: string, quote: string): string {
  if (quote === "'" && !value.includes("'")) return `'${value}'`;
  if (quote || /[\s#"'$\\]/.test(value)) return JSON.stringify(value);
  return value;
}

/** Sets KEY=value in a .env-style file: the value in place, or a new line at the end. */
export function setEnvLine(text: string, key: string, value: string): TextEdit[] | undefined {
  const { model } = parseDotenv(text, '');
  const entry = model.byKey.get(key);
  if (entry) {
    if (entry.value === value) return undefined;
    return [{ range: entry.valueRange, newText: envValue(value, entry.quoted) }];
  }
  return appendLines(text, [`${key}=${envValue(value, '')}`]);
}

export function appendLines(text: string, lines: string[]): TextEdit[] {
  const nl = eol(text);
  const end = new LineIndex(text).positionAt(text.length);
  const sep = text.length === 0 || text.endsWith('\n') ? '' : nl;
  return [{ range: { start: end, end }, newText: sep + lines.join(nl) + nl }];
}

function dockerfileEnv(text: string, finding: Finding, key: string, value: string): FixOutput {
  const t = openDockerfile(text);
  if ('declined' in t) return t;
  const stage = t.model.final!;
  // the key is a literal (it may come from checklist params): every regex metacharacter escaped
  const literal = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|\\s)${literal}(=)("[^"]*"|'[^']*'|[^\\s\\\\]*)`);
  for (const ins of [...stage.instructions].reverse()) {
    if (ins.keyword !== 'ENV' || !ins.argsRange) continue;
    const body = textOf(t, ins.argsRange);
    const start = t.index.offsetAt(ins.argsRange.start);
    const m = re.exec(body);
    if (m) {
      const at = start + m.index + m[1].length + key.length + 1;
      const old = m[3].replace(/^["']|["']$/g, '');
      if (old === value) return { declined: `${key} is already ${value}` };
      return { title: `Set ${key}=${value}`, edits: [{ file: finding.file, edits: [{ range: t.index.range(at, at + m[3].length), newText: /\s/.test(value) ? JSON.stringify(value) : value }] }] };
    }
    const legacy = new RegExp(`^${literal}\\s+(.*)$`).exec(body);
    if (legacy) return { title: `Set ${key}=${value}`, edits: [{ file: finding.file, edits: [{ range: ins.argsRange, newText: `${key}=${value}` }] }] };
  }
  return { title: `Add ENV ${key}=${value}`, edits: [{ file: finding.file, edits: [insertLines(t, stage, [`${kw(t, 'ENV')} ${key}=${value}`])] }] };
}

function kubernetesEnv(text: string, finding: Finding, key: string, value: string, yaml?: (text: string) => YamlEditor): FixOutput {
  const t = locateK8s(text, finding, yaml);
  if ('declined' in t) return t;
  const edits: TextEdit[] = [];
  // a ConfigMap's data
  const data = t.ed.node(t.docIndex, [...t.objectPath, 'data']);
  if (isMap(data) && t.ed.node(t.docIndex, [...t.objectPath, 'data', key])) {
    const r = t.ed.replace(t.docIndex, [...t.objectPath, 'data', key], value);
    if ('declined' in r) return r;
    edits.push(...r.edits);
  }
  for (const c of t.containers) {
    const env = t.ed.node(c.docIndex, [...c.path, 'env']);
    if (!isSeq(env)) continue;
    env.items.forEach((item, i) => {
      if (!isMap(item)) return;
      const name = item.get('name', true);
      if (!isScalar(name) || name.value !== key) return;
      const r = item.get('value', true) ? t.ed.replace(c.docIndex, [...c.path, 'env', i, 'value'], value) : undefined;
      if (r && 'edits' in r) edits.push(...r.edits);
    });
  }
  if (!edits.length) return { declined: `no ${key} value to correct in this manifest` };
  return { title: `Set ${key}: "${value}"`, edits: [{ file: finding.file, edits }] };
}

/** docker-compose `environment:` entries (map or `- KEY=value` list) of every service. */
function composeEnv(text: string, finding: Finding, key: string, value: string): FixOutput {
  const ed = new YamlEditor(text);
  const edits: TextEdit[] = [];
  ed.docs.forEach((doc, d) => {
    if (doc.errors.length) return;
    const services = ed.node(d, ['services']);
    if (!isMap(services)) return;
    for (const pair of services.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (name === undefined) continue;
      const env = ed.node(d, ['services', name, 'environment']);
      if (isMap(env) && ed.node(d, ['services', name, 'environment', key])) {
        const r = ed.replace(d, ['services', name, 'environment', key], value);
        if ('edits' in r) edits.push(...r.edits);
      } else if (isSeq(env)) {
        env.items.forEach((item, i) => {
          if (!isScalar(item) || typeof item.value !== 'string') return;
          const eq = item.value.indexOf('=');
          if (eq === -1 || item.value.slice(0, eq).trim() !== key) return;
          const r = ed.replace(d, ['services', name, 'environment', i], `${item.value.slice(0, eq)}=${value}`);
          if ('edits' in r) edits.push(...r.edits);
        });
      }
    }
  });
  if (!edits.length) return { declined: `no ${key} value to correct in this compose file` };
  return { title: `Set ${key}=${value}`, edits: [{ file: finding.file, edits }] };
}

export const setEnv = defineFix({
  id: 'env.set-value',
  description: 'Sets an environment variable (LOG_LEVEL, NODE_ENV, DATABASE_SSL…) to the required value where the finding is: a .env file line, a Dockerfile ENV, a ConfigMap or container env value; for an env file production never reads (`.env.example`), the production example next to it.',
  params: z.strictObject({
    key: z.string().min(1).optional(),
    /** The value to write (default: the finding's `data.value`). */
    value: z.string().optional(),
    /** Per-key values where spellings differ (PGSSLMODE: require while DATABASE_SSL: true). */
    values: z.record(z.string(), z.string()).default({}),
    /** Keys the fix may write (default: any); others (a DATABASE_URL, say) are declined. */
    keys: z.array(z.string().min(1)).optional(),
    /** Where to declare it when the finding points at a file that takes no env lines (e.g. package.json). */
    file: z.string().min(1).default('.env.production.example'),
  }),
  compute({ text, finding, params, kind, readFile, yaml }) {
    const key = keyOf(finding, params.key);
    if (!key) return { declined: 'the finding names no variable' };
    const value = params.values[key] ?? params.value ?? (typeof finding.data?.value === 'string' ? finding.data.value : undefined);
    if (value === undefined) return { declined: 'no value to write' };
    if (params.keys && !params.keys.includes(key) && !(key in params.values)) return { declined: `${key} is not set automatically; edit it by hand` };
    const k = finding.scope === 'repository' ? 'packageJson' : (kind ?? classifyPath(finding.file));
    if (k === 'dockerfile') return dockerfileEnv(text, finding, key, value);
    if (k === 'kubernetes' || k === 'maybeKubernetes') return kubernetesEnv(text, finding, key, value, yaml);
    if (k === 'compose') return composeEnv(text, finding, key, value);
    if (k !== 'env' || !envFileRole(finding.file).production) {
      if (k !== 'packageJson' && k !== 'env') return { declined: `cannot set ${key} in ${finding.file}` };
      // no production env file to hold it (a package.json, or an example that production never reads): a production
      // example next to the finding's file (the root for a repository finding)
      const file = joinPath(dirName(finding.file), params.file);
      const current = readFile?.(file);
      const edits = setEnvLine(current ?? '', key, value);
      if (!edits) return { declined: `${key} is already ${value} in ${file}` };
      return { title: `Set ${key}=${value} in ${file}`, edits: [{ file, create: current === undefined, edits }] };
    }
    const edits = setEnvLine(text, key, value);
    if (!edits) return { declined: `${key} is already ${value}` };
    return { title: `Set ${key}=${value}`, edits: [{ file: finding.file, edits }] };
  },
});

export const addEnvKeys = defineFix({
  id: 'env.add-keys',
  description: 'Declares missing variables in the env example file (one `NAME=` line each), creating the file when there is none.',
  params: z.strictObject({
    /** The example file to complete when the finding is not in an env file. */
    file: z.string().min(1).default('.env.example'),
    /** Values to write for some keys (default: empty). */
    values: z.record(z.string(), z.string()).default({}),
  }),
  compute({ text, finding, params, kind, readFile }) {
    const data = finding.data ?? {};
    const keys = [...(Array.isArray(data.keys) ? data.keys : []), ...(typeof data.key === 'string' ? [data.key] : [])].filter((k): k is string => typeof k === 'string' && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k));
    if (!keys.length) return { declined: 'the finding names no variable' };
    const inEnv = finding.scope !== 'repository' && (kind ?? classifyPath(finding.file)) === 'env';
    // the file that lacks the keys: named by the finding (env.example.in-sync), else the finding's own env file
    const file = typeof data.missingIn === 'string' ? data.missingIn : inEnv ? finding.file : joinPath(dirName(finding.file), params.file);
    const current = file === finding.file ? text : readFile?.(file);
    const have = current === undefined ? new Set<string>() : new Set(parseDotenv(current, file).model.byKey.keys());
    const missing = [...new Set(keys)].filter((k) => !have.has(k));
    if (!missing.length) return { declined: `${file} already declares ${keys.join(', ')}` };
    const lines = missing.map((k) => `${k}=${params.values[k] ?? ''}`);
    if (current === undefined) return { title: `Create ${file} with ${missing.join(', ')}`, edits: [{ file, create: true, edits: appendLines('', lines) }] };
    return { title: `Declare ${missing.join(', ')} in ${file}`, edits: [{ file, edits: appendLines(current, lines) }] };
  },
});

