/**
 * Writes checklists/kubernetes-api.json: the fields, types and required fields of every built-in Kubernetes
 * kind, for offline schema validation (k8s.manifests.schema). The data comes from the models of
 * @kubernetes/client-node (generated from the Kubernetes OpenAPI document): each model's attribute map
 * (JSON name, type) and, from its declaration file, which fields are required. The package is not a dependency
 * (only this script reads it): npm install --no-save @kubernetes/client-node@2.0.1 && npm run schema:k8s
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const pkgDir = path.dirname(require.resolve('@kubernetes/client-node/package.json'));
const modelsDir = path.join(pkgDir, 'dist', 'gen', 'models');
const out = path.resolve(__dirname, '..', 'checklists', 'kubernetes-api.json');
const version = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;

/** API groups by the prefix the client gives models whose names clash across groups. */
const GROUP_PREFIX: Record<string, string> = { Core: '', Events: 'events.k8s.io', Storage: 'storage.k8s.io', Authentication: 'authentication.k8s.io', Resource: 'resource.k8s.io', Rbac: 'rbac.authorization.k8s.io', Flowcontrol: 'flowcontrol.apiserver.k8s.io', Discovery: 'discovery.k8s.io', Admissionregistration: 'admissionregistration.k8s.io', Apiextensions: 'apiextensions.k8s.io', Apiregistration: 'apiregistration.k8s.io' };

interface Attr { baseName: string; type: string; format: string }
const models: Record<string, { p: Record<string, string>; r?: string[] }> = {};
const topLevel: { name: string; version: string; kind: string; group?: string }[] = [];

/** A client type as a compact type string: string, integer, number, boolean, any, int-or-string, []T, {}T, or a model name. */
function typeOf(t: string, format: string): string {
  t = t.trim();
  const arr = /^Array<(.+)>$/.exec(t);
  if (arr) return `[]${typeOf(arr[1], '')}`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
  if (map) return `{}${typeOf(map[1], '')}`;
  if (t === 'string' || t === 'Date' || t === 'V1MicroTime') return 'string';
  if (t === 'number') return format === 'int32' || format === 'int64' ? 'integer' : 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'IntOrString') return 'int-or-string';
  if (t === 'any' || t === 'object') return 'any';
  return t;
}

for (const file of readdirSync(modelsDir).filter((f) => f.endsWith('.js') && !f.endsWith('.js.map'))) {
  const name = file.slice(0, -3);
  const js = readFileSync(path.join(modelsDir, file), 'utf8');
  const m = /attributeTypeMap = (\[[\s\S]*?\]);/.exec(js);
  if (!m) continue;
  const attrs = JSON.parse(m[1]) as Attr[];
  const dts = readFileSync(path.join(modelsDir, `${name}.d.ts`), 'utf8');
  const required = [...dts.matchAll(/^ {4}'([^']+)': /gm)].map((x) => attrs.find((a) => a.baseName === x[1] || (a as unknown as { name: string }).name === x[1])?.baseName).filter((x): x is string => !!x);
  const p: Record<string, string> = {};
  for (const a of attrs) p[a.baseName] = typeOf(a.type, a.format);
  models[name] = required.length ? { p, r: required } : { p };
  const top = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(name);
  if (top && p.apiVersion && p.kind && p.metadata === 'V1ObjectMeta' && !name.endsWith('List')) {
    topLevel.push({ name, version: top[2].replace(/^V/, 'v'), kind: top[3], group: top[1] === undefined ? undefined : GROUP_PREFIX[top[1]] });
  }
}

// "version kind" → model for names without a group prefix; "group/version kind" for prefixed ones
const kinds: Record<string, string> = {};
for (const t of topLevel) kinds[t.group === undefined ? `${t.version} ${t.kind}` : `${t.group ? `${t.group}/` : ''}${t.version} ${t.kind}`] = t.name;
writeFileSync(out, `${JSON.stringify({ source: `@kubernetes/client-node ${version}`, kinds, models })}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)}: ${Object.keys(kinds).length} kinds, ${Object.keys(models).length} models`);
