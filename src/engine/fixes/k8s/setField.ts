import { dotted } from '../../checks/k8s/field';
import { z } from 'zod';
import { isObject } from '../../parse/kubernetes';
import type { YamlPath } from '../../parse/yamlSupport';
import type { TextEdit } from '../../model';
import { defineFix } from '../template';
import type { EditResult, Plain, PlainObject, YamlEditor } from '../yamlEdit';
import { locateK8s, parseQuantity, plainAt, type K8sTarget } from './common';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Value = z.union([Scalar, z.record(z.string(), z.unknown())]);
const Segment = z.union([z.string(), z.number()]);

const Params = z.strictObject({
  path: z.array(Segment).min(1).optional().describe('The field under the target (e.g. [resources, limits, ephemeral-storage]); default: the field the finding names.'),
  target: z.enum(['container', 'pod', 'object']).default('container').describe('Where `path` starts: the finding’s container(s), its pod spec, or its object.'),
  value: Value.optional().describe('The value to set; default: the value the finding carries (the check’s fixValue).'),
  notBelow: z.array(Segment).min(1).optional().describe('A quantity under the target the value may not be below (a limit never below its request): the larger one is set.'),
});
type Params = z.infer<typeof Params>;

type Value = z.infer<typeof Value>;


function isPath(v: unknown): v is YamlPath {
  return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' || typeof s === 'number');
}

/** Makes the field at `path` hold `value`: a scalar replaced in place, a map completed, a missing field inserted under its deepest existing map. */
export function setAt(ed: YamlEditor, docIndex: number, path: YamlPath, value: Value): EditResult {
  const node = ed.node(docIndex, path);
  if (node !== undefined) {
    const current = plainAt(ed, docIndex, path);
    if (isObject(value)) return isObject(current) ? ed.merge(docIndex, path, value as PlainObject, { overwrite: true }) : { declined: `${dotted(path)} is not a map` };
    if (current === value) return { edits: [] };
    return ed.replace(docIndex, path, value as string | number | boolean);
  }
  let k = path.length - 1;
  while (k > 0 && ed.node(docIndex, path.slice(0, k)) === undefined) k--;
  const rest = path.slice(k);
  if (rest.some((s) => typeof s === 'number')) return { declined: `${dotted(path)} is inside a list item that does not exist` };
  let nested: Plain = value as Plain;
  for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i]]: nested };
  return ed.merge(docIndex, path.slice(0, k), { [rest[0]]: nested } as PlainObject);
}

/** The fields the fix sets: `path` under each target the finding names, else the field the finding carries. */
function fieldsOf(t: K8sTarget, params: Params, data: Record<string, unknown>): { base: YamlPath; rel: YamlPath; value: Value }[] | { declined: string } {
  const value = params.value ?? (data.value as Value | undefined);
  if (value === undefined || value === null) return { declined: 'this finding names no value to set' };
  if (!params.path) {
    if (!isPath(data.set)) return { declined: 'this finding names no field to set' };
    const set = data.set;
    // shown from the container, pod spec or object it belongs to
    const base = [data.containerPath, data.podSpecPath, data.objectPath].find((b): b is YamlPath => isPath(b) && b.length < set.length && b.every((s, i) => set[i] === s)) ?? [];
    return [{ base, rel: set.slice(base.length), value }];
  }
  const rel = params.path;
  if (params.target === 'container') {
    if (!t.containers.length) return { declined: 'no container found for this finding' };
    return t.containers.map((c) => ({ base: c.path, rel, value }));
  }
  const base = params.target === 'pod' ? t.podSpecPath : t.objectPath;
  if (!base) return { declined: 'no pod spec found for this finding' };
  return [{ base, rel, value }];
}

/**
 * One fix for every rule whose remedy is a single field with a known value (seccompProfile RuntimeDefault,
 * automountServiceAccountToken: false, ephemeral-storage requests…): the rule data names the field and the
 * value, the fix sets it, keeping the file's layout.
 */
export const setField = defineFix({
  id: 'k8s.set-field',
  description: 'Sets one field of a container, pod spec or object to a value named in the rule data (inserted under its nearest existing parent, or replaced in place).',
  params: Params,
  compute({ text, finding, params, yaml }) {
    const t = locateK8s(text, finding, yaml);
    if ('declined' in t) return t;
    const fields = fieldsOf(t, params, finding.data ?? {});
    if ('declined' in fields) return fields;
    const edits: TextEdit[] = [];
    let shown = '';
    for (const f of fields) {
      let value = f.value;
      if (params.notBelow && typeof value === 'string') {
        const floor = plainAt(t.ed, t.docIndex, [...f.base, ...params.notBelow]);
        const a = parseQuantity(value);
        const b = parseQuantity(floor);
        if (a !== undefined && b !== undefined && b > a) value = floor as string;
      }
      const r = setAt(t.ed, t.docIndex, [...f.base, ...f.rel], value);
      if ('declined' in r) return r;
      edits.push(...r.edits);
      shown ||= `${dotted(f.rel)}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
    }
    if (!edits.length) return { declined: 'the field already has this value' };
    return { title: `Set ${shown}`, edits: [{ file: finding.file, edits }] };
  },
});
