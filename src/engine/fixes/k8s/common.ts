import { isMap, type Node } from 'yaml';
import type { Finding, TextEdit } from '../../model';
import type { YamlPath } from '../../parse/yamlSupport';
import { isObject, type JsonObject } from '../../parse/kubernetes';
import { YamlEditor, type EditResult } from '../yamlEdit';

/** Kinds whose pod spec lives at a known path (relative to the object). */
const POD_SPEC: Record<string, readonly string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export interface ContainerTarget {
  docIndex: number;
  path: YamlPath;
  name: string;
  value: JsonObject;
}

export interface K8sTarget {
  ed: YamlEditor;
  docIndex: number;
  objectPath: YamlPath;
  podSpecPath?: YamlPath;
  /** The containers the finding is about: its own container, or every app container of the object. */
  containers: ContainerTarget[];
}

function isPath(v: unknown): v is YamlPath {
  return Array.isArray(v) && v.every((s) => typeof s === 'string' || typeof s === 'number');
}

export function plainAt(ed: YamlEditor, docIndex: number, path: YamlPath): unknown {
  const node = ed.node(docIndex, path) as Node | undefined;
  if (!node) return undefined;
  try {
    return node.toJS(ed.docs[docIndex], { maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
}

/** The document holding a finding's start, for findings that do not carry `docIndex`. */
export function docAt(ed: YamlEditor, finding: Finding): number {
  const at = ed.index.offsetAt(finding.range.start);
  const i = ed.docs.findIndex((d) => d.range && at >= d.range[0] && at < Math.max(d.range[2], d.range[0] + 1));
  return i === -1 ? 0 : i;
}

/** Finds the finding's object and containers again in the current text, from the finding's `data`. */
export function locateK8s(text: string, finding: Finding, yaml?: (text: string) => YamlEditor): K8sTarget | { declined: string } {
  const data = finding.data ?? {};
  const json = finding.file.toLowerCase().endsWith('.json') || undefined;
  const ed = yaml && !json ? yaml(text) : new YamlEditor(text, { json });
  const docIndex = typeof data.docIndex === 'number' ? data.docIndex : docAt(ed, finding);
  const broken = ed.broken(docIndex);
  if (broken) return { declined: broken };
  const containers: ContainerTarget[] = [];
  let objectPath: YamlPath = isPath(data.objectPath) ? data.objectPath : ownerObject(ed, docIndex, isPath(data.containerPath) ? data.containerPath : isPath(data.path) ? data.path : []);
  let podSpecPath: YamlPath | undefined = isPath(data.podSpecPath) ? data.podSpecPath : undefined;
  if (isPath(data.containerPath)) {
    const path = data.containerPath;
    const value = plainAt(ed, docIndex, path);
    if (!isObject(value) || !isMap(ed.node(docIndex, path))) return { declined: 'the container is no longer where the audit found it; audit again' };
    const name = typeof value.name === 'string' ? value.name : '';
    if (finding.container && name && finding.container !== name) return { declined: `container "${finding.container}" moved; audit again` };
    containers.push({ docIndex, path, name, value });
    const i = path.lastIndexOf('containers') >= 0 ? path.lastIndexOf('containers') : path.lastIndexOf('initContainers');
    if (i > 0) podSpecPath ??= path.slice(0, i);
  } else {
    const obj = plainAt(ed, docIndex, objectPath);
    if (!isObject(obj)) return { declined: 'the object is no longer where the audit found it; audit again' };
    if (finding.object && typeof obj.kind === 'string' && !finding.object.startsWith(`${obj.kind}/`)) return { declined: `${finding.object} moved; audit again` };
    if (!podSpecPath && typeof obj.kind === 'string' && POD_SPEC[obj.kind]) podSpecPath = [...objectPath, ...POD_SPEC[obj.kind]];
    if (podSpecPath) {
      const list = plainAt(ed, docIndex, [...podSpecPath, 'containers']);
      if (Array.isArray(list)) {
        list.forEach((c, index) => {
          if (isObject(c)) containers.push({ docIndex, path: [...podSpecPath!, 'containers', index], name: typeof c.name === 'string' ? c.name : `#${index + 1}`, value: c });
        });
      }
    }
  }
  if (!isPath(data.objectPath) && podSpecPath) objectPath = objectPathOf(ed, docIndex, podSpecPath) ?? objectPath;
  return { ed, docIndex, objectPath, podSpecPath, containers };
}

/** The innermost Kubernetes object (a map with kind and apiVersion) on a path; the document root by default. */
export function ownerObject(ed: YamlEditor, docIndex: number, path: YamlPath): YamlPath {
  for (let n = path.length; n > 0; n--) {
    const v = plainAt(ed, docIndex, path.slice(0, n));
    if (isObject(v) && typeof v.kind === 'string' && v.apiVersion !== undefined) return path.slice(0, n);
  }
  return [];
}

/** The path of the object that owns a pod spec: the prefix whose kind puts its pod spec there. */
export function objectPathOf(ed: YamlEditor, docIndex: number, podSpecPath: YamlPath): YamlPath | undefined {
  for (let n = podSpecPath.length - 1; n >= 0; n--) {
    const prefix = podSpecPath.slice(0, n);
    const obj = plainAt(ed, docIndex, prefix);
    if (!isObject(obj) || typeof obj.kind !== 'string') continue;
    const suffix = POD_SPEC[obj.kind];
    if (suffix && suffix.length === podSpecPath.length - n && suffix.every((s, i) => podSpecPath[n + i] === s)) return prefix;
  }
  return undefined;
}

/** Runs one edit per container and joins them; the first refusal wins. */
export function perContainer(containers: readonly ContainerTarget[], f: (c: ContainerTarget) => EditResult | undefined): EditResult {
  const edits: TextEdit[] = [];
  for (const c of containers) {
    const r = f(c);
    if (!r) continue;
    if ('declined' in r) return r;
    edits.push(...r.edits);
  }
  return { edits };
}

/** Kubernetes quantities (`250m`, `1.5`, `512Mi`, `1G`, `1e3`) as numbers; undefined when unreadable. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([0-9.]+(?:[eE][-+]?\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return undefined;
  const mult: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  return n * (m[2] ? mult[m[2]] : 1);
}
