import type { Document, LineCounter, Node } from 'yaml';
import type { Problem, Range } from '../model';
import { isAlias, isMap, isPair, isScalar, isSeq, keyRangeAt, nodeAt, nodeRange, parseYaml, plainOf, valueRangeAt, type YamlPath } from './yamlSupport';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Kinds whose pod spec lives at a known path, and whether they run to completion. */
const POD_SPEC_PATHS: Record<string, { path: string[]; batch: boolean }> = {
  Pod: { path: ['spec'], batch: false },
  Deployment: { path: ['spec', 'template', 'spec'], batch: false },
  StatefulSet: { path: ['spec', 'template', 'spec'], batch: false },
  DaemonSet: { path: ['spec', 'template', 'spec'], batch: false },
  ReplicaSet: { path: ['spec', 'template', 'spec'], batch: false },
  ReplicationController: { path: ['spec', 'template', 'spec'], batch: false },
  /** OpenShift: same pod template layout as a Deployment. */
  DeploymentConfig: { path: ['spec', 'template', 'spec'], batch: false },
  Job: { path: ['spec', 'template', 'spec'], batch: true },
  CronJob: { path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], batch: true },
  /** Argo Rollouts: a Deployment with canary or blue-green steps, the same pod template (see {@link podSpecOfKind}). */
  Rollout: { path: ['spec', 'template', 'spec'], batch: false },
};

/** An object of another API group whose kind has a workload's name (`rollouts.example.com/v1` Rollout): checks of that kind pass it by. */
export function namesOtherWorkload(obj: { kind: string; workload: boolean }): boolean {
  return !obj.workload && Object.hasOwn(POD_SPEC_PATHS, obj.kind);
}

/** The pod spec layout of an object's kind: a `Rollout` only of Argo Rollouts (`argoproj.io`), not another group's kind of that name. */
function podSpecOfKind(kind: string, apiVersion: unknown): { path: string[]; batch: boolean } | undefined {
  if (kind === 'Rollout' && !(typeof apiVersion === 'string' && apiVersion.startsWith('argoproj.io/'))) return undefined;
  return Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
}

/** For kinds with a pod template (all but Pod): the path of the template's metadata, beside its pod spec. */
const TEMPLATE_METADATA: Record<string, string[]> = Object.fromEntries(Object.entries(POD_SPEC_PATHS).filter(([, s]) => s.path.length > 1).map(([kind, s]) => [kind, [...s.path.slice(0, -1), 'metadata']]));

export interface K8sContainer {
  name: string;
  /** Path from the document root to the container map. */
  path: YamlPath;
  value: JsonObject;
  init: boolean;
  index: number;
}

export interface K8sObject {
  /** Index of the YAML document in the file. */
  docIndex: number;
  /** Path from the document root to the object (non-empty inside `kind: List`). */
  base: YamlPath;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  value: JsonObject;
  /** `Kind/name`, as shown in messages. */
  ref: string;
  range: Range;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  /** A kind that owns a pod template or is a pod (Deployment… Pod, an Argo Rollout), whatever its shape. */
  workload: boolean;
  /** Present for workloads: the path to the pod spec from the document root. */
  podSpecPath?: YamlPath;
  podSpec?: JsonObject;
  podAnnotations: Record<string, string>;
  podLabels: Record<string, string>;
  /**
   * Runs to completion (no probes expected): a Job, a CronJob, or a bare Pod whose restartPolicy is Never or
   * OnFailure (a one-off or a Helm test pod; only `Always`, the default, keeps a pod's containers running).
   */
  batch: boolean;
  /**
   * Set when the pod template has the wrong shape (the template or pod spec is not a map, `containers` is
   * not a list of maps): pod checks cannot read it, and the object is unaudited. A wrongly typed field of a
   * container (`resources: []`) is not this: only the checks that read that field skip it (see mapField).
   */
  malformed?: string;
}

export interface K8sModel {
  docs: Document.Parsed[];
  lineCounter: LineCounter;
  objects: K8sObject[];
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function getIn(v: unknown, path: YamlPath): unknown {
  let cur = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (isObject(cur)) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const k of Object.keys(v)) {
    const val = v[k];
    if (val !== null && typeof val !== 'object') out[k] = String(val);
  }
  return out;
}

const IDENT_RE = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * The first `${NAME}` or `${NAME:-default}` (any of `-=?+`, with or without `:`, default on one line).
 * A scan rather than one regex, so a file of unclosed `${A-` stays linear.
 */
function envsubstVariable(text: string): string | undefined {
  let close = -2;
  let newline = -2;
  for (let i = text.indexOf('${'); i !== -1; i = text.indexOf('${', i + 2)) {
    IDENT_RE.lastIndex = i + 2;
    const m = IDENT_RE.exec(text);
    if (!m) continue;
    let j = i + 2 + m[0].length;
    if (text[j] === '}') return m[0];
    if (text[j] === ':') j++;
    if (!'-=?+'.includes(text[j] ?? 'x')) continue;
    if (close !== -1 && close < j) close = text.indexOf('}', j);
    if (newline !== -1 && newline < j) newline = text.indexOf('\n', j);
    if (close !== -1 && (newline === -1 || close < newline)) return m[0];
  }
  return undefined;
}

/** `{{` followed later by `}}` (a Helm/Go template action). indexOf, not a lazy regex: linear on any text. */
function hasTemplateAction(text: string): boolean {
  const open = text.indexOf('{{');
  return open !== -1 && text.indexOf('}}', open + 2) !== -1;
}

/** `{{`, `${`, or a backslash (a double-quoted escape may spell either). */
const TEMPLATE_MARKER = /\{\{|\$\{|\\/;

/** Why a text (a document's, or a value's) is a template rather than plain YAML, or undefined when it is not. */
export function templateReason(text: string): string | undefined {
  if (hasTemplateAction(text)) return 'unrendered Helm/Go template ({{ … }}); render it (helm template) to audit it';
  if (!text.includes('${')) return undefined;
  const name = envsubstVariable(text.replace(/^[ \t]*#.*$/gm, ''));
  // name the variable only: a `${VAR:-default}` default may be a secret
  if (name) return `unresolved \${${name}} placeholder (envsubst template); render it to audit it`;
  return undefined;
}

/**
 * `rendered`: the output of a rendering (no template actions left). `releaseNamespace`: a rendered chart's, for its
 * objects that name no namespace or the release's (releaseNamespace.ts).
 */
export function parseKubernetes(text: string, file: string, opts: { rendered?: boolean; releaseNamespace?: string } = {}): { model: K8sModel; problems: Problem[] } {
  // a document that does not parse because it is a template says so (the others are audited); rendered output is no template
  const { docs, lineCounter, problems, plain: read1 } = parseYaml(text, file, {
    plain: true,
    explain: (docText) => {
      const why = opts.rendered ? undefined : templateReason(docText);
      return why && `Not audited: ${why}`;
    },
  });
  // no value read in one walk can hold a template marker unless the text spells one, or escapes what could
  const markers = TEMPLATE_MARKER.test(text);
  const objects: K8sObject[] = [];
  docs.forEach((doc, docIndex) => {
    if (doc.errors.length > 0) return;
    const walked = read1[docIndex] !== undefined;
    const read = walked ? { value: read1[docIndex] } : plainOf(doc);
    if ('error' in read) {
      problems.push({ file, message: `Document ${docIndex + 1} cannot be read: ${read.error}; it is not audited.`, range: nodeRange(lineCounter, doc.contents as never), severity: 'error', unaudited: 'document' });
      return;
    }
    const plain = read.value;
    if (plain === null || plain === undefined) return; // empty document
    if (!isObject(plain)) return;
    const templated = walked && !markers ? undefined : templatedNode(doc.contents, plain);
    if (templated) {
      const ref = typeof plain.kind === 'string' && isObject(plain.metadata) && typeof plain.metadata.name === 'string' && !templateReason(plain.metadata.name) ? `${plain.kind}/${plain.metadata.name}` : undefined;
      const at = nodeRange(lineCounter, templated.node) ?? nodeRange(lineCounter, doc.contents as never);
      problems.push({ file, message: `Not audited: ${templated.reason}`, range: at, severity: 'warning', unaudited: 'document', ...(ref ? { object: ref } : {}) });
      return;
    }
    if (plain.kind === 'List' || (typeof plain.kind === 'string' && plain.kind.endsWith('List') && Array.isArray(plain.items))) {
      const items = Array.isArray(plain.items) ? plain.items : [];
      items.forEach((item, i) => collect(item, ['items', i]));
    } else collect(plain, []);

    function collect(value: unknown, base: YamlPath): void {
      if (!isObject(value) || typeof value.kind !== 'string' || value.apiVersion === undefined) return;
      const metadata = isObject(value.metadata) ? value.metadata : {};
      const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
      const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? `${metadata.generateName}*` : '(unnamed)';
      const node = nodeAt(doc.contents, base);
      const range = nodeRange(lineCounter, (node ?? doc.contents) as never) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const spec = podSpecOfKind(value.kind, value.apiVersion);
      const podSpecRel = spec?.path;
      const podSpec = podSpecRel ? getIn(value, podSpecRel) : undefined;
      const metaPath = podSpecRel && podSpecRel.length > 1 ? TEMPLATE_METADATA[value.kind] : undefined;
      const templateMeta = metaPath ? getIn(value, metaPath) : undefined;
      objects.push({
        docIndex,
        base,
        apiVersion: String(value.apiVersion),
        kind: value.kind,
        name,
        // a rendered chart's object that names no namespace (or the release's, left empty) is in the release's
        namespace: opts.releaseNamespace && !namespace ? opts.releaseNamespace : namespace,
        value,
        ref: `${value.kind}/${name}`,
        range,
        annotations: stringMap(metadata.annotations),
        labels: stringMap(metadata.labels),
        workload: spec !== undefined,
        podSpecPath: spec && isObject(podSpec) ? base.concat(spec.path) : undefined,
        podSpec: isObject(podSpec) ? podSpec : undefined,
        podAnnotations: metaPath ? stringMap(isObject(templateMeta) ? templateMeta.annotations : undefined) : stringMap(metadata.annotations),
        podLabels: metaPath ? stringMap(isObject(templateMeta) ? templateMeta.labels : undefined) : stringMap(metadata.labels),
        batch: (spec?.batch ?? false) || (value.kind === 'Pod' && isObject(podSpec) && (podSpec.restartPolicy === 'Never' || podSpec.restartPolicy === 'OnFailure')),
      });
      const obj = objects[objects.length - 1];
      const shape = malformedPodSpec(value, podSpecRel);
      if (shape) {
        obj.malformed = shape.message;
        problems.push({ file, message: `${obj.ref}: ${shape.message}; its pod template is not audited.`, range: keyRangeAt(lineCounter, doc.contents, base.concat(shape.path)) ?? range, severity: 'warning', unaudited: 'object', object: obj.ref });
      }
    }
  });
  return { model: { docs, lineCounter, objects }, problems };
}

const CONTAINER_LISTS = ['containers', 'initContainers'] as const;

/**
 * Keys whose values are free text to the checks (shell commands, annotations, config data, alert
 * expressions): a `${VAR}` or `{{ … }}` there is the program's own syntax, not a template of the manifest.
 */
const FREE_TEXT = new Set(['command', 'args', 'annotations', 'data', 'stringData', 'binaryData', 'expr', 'description', 'summary', 'message', 'script']);

/**
 * A container variable's `value` holding `${NAME}`: Kubernetes passes it to the container as written (it expands
 * `$(NAME)` only), and the checks that read variables take it for a placeholder, as they do in an env file. A Helm
 * action (`{{ … }}`) there still marks an unrendered template.
 */
const ENV_VALUE = (node: unknown): boolean => isScalar(node) && typeof node.value === 'string' && !node.value.includes('{{');

/** Kinds the checks read field by field: a template marker in one of their other values leaves the document unaudited. */
const CHECKED_KINDS = new Set([...Object.keys(POD_SPEC_PATHS), 'List', 'Service', 'Ingress', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'Namespace', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'LimitRange', 'ResourceQuota', 'PersistentVolumeClaim']);

/**
 * Where a document is really templated, if it is: a key that is a template, a Helm action that YAML read
 * as a flow map (`image: {{ .Values.image }}`), or a template marker in a value the checks read (not in
 * free text, see FREE_TEXT; values of kinds no check reads are not looked at). Comments are not values.
 */
function templatedNode(root: unknown, plain: JsonObject): { node: Node; reason: string } | undefined {
  const values = typeof plain.kind !== 'string' || CHECKED_KINDS.has(plain.kind);
  // `env`: the list of a container's variables, whose `value` strings are free text (see ENV_VALUE)
  const visit = (node: unknown, free: boolean, env = false): { node: Node; reason: string } | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        // a real manifest has scalar keys; `{{ … }}` unquoted is read as a map used as a key
        if (!isScalar(key)) return key ? { node: key as Node, reason: 'unrendered Helm/Go template ({{ … }}); render it (helm template) to audit it' } : undefined;
        if (typeof key.value === 'string') {
          const why = templateReason(key.value);
          if (why) return { node: key, reason: why };
        }
        const name = String(key.value);
        const found = visit(pair.value, free || FREE_TEXT.has(name) || (env && name === 'value' && ENV_VALUE(pair.value)), name === 'env');
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const found = visit(item, free, env);
        if (found) return found;
      }
    } else if (isScalar(node) && !free && values && typeof node.value === 'string' && !isAlias(node)) {
      const why = templateReason(node.value);
      if (why) return { node, reason: why };
    }
    return undefined;
  };
  return visit(root, false);
}

export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a map' : `a ${typeof v}`;
}

/**
 * The first shape error of a workload's pod template that no pod check can read past: the template, the
 * pod spec, a container list or a container of the wrong type. (A container's own wrongly typed field is
 * left to the checks that read it.) Null values are treated as absent, as the API server does.
 */
function malformedPodSpec(value: JsonObject, podSpecRel: string[] | undefined): { path: YamlPath; message: string } | undefined {
  if (!podSpecRel) return undefined;
  // one step down the path at a time; the path and its text are made only for an error
  let v: Json | undefined = value;
  for (let n = 1; n <= podSpecRel.length; n++) {
    v = (v as JsonObject)[podSpecRel[n - 1]];
    if (v === undefined) return undefined; // no pod template at all: nothing to check, not malformed
    if (v === null || !isObject(v)) {
      const rel = podSpecRel.slice(0, n);
      return { path: rel, message: v === null ? `${rel.join('.')} is empty` : `${rel.join('.')} should be a map, found ${typeName(v)}` };
    }
  }
  const podSpec = v as JsonObject;
  for (const list of CONTAINER_LISTS) {
    const items = podSpec[list];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) return { path: [...podSpecRel, list], message: `${podSpecRel.join('.')}.${list} should be a list, found ${typeName(items)}` };
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      if (!isObject(c)) return { path: [...podSpecRel, list, i], message: `${podSpecRel.join('.')}.${list}[${i}] should be a map, found ${typeName(c)}` };
    }
  }
  return undefined;
}

const containerMemo = new WeakMap<K8sObject, { plain?: readonly K8sContainer[]; withInit?: readonly K8sContainer[] }>();

/**
 * Containers of a workload (init containers flagged); malformed lists (maps, null) yield nothing.
 * Computed once per object and option (every container check asks): treat the list as read-only.
 */
export function containersOf(obj: K8sObject, opts: { init?: boolean } = {}): readonly K8sContainer[] {
  let memo = containerMemo.get(obj);
  if (!memo) containerMemo.set(obj, (memo = {}));
  const plain = (memo.plain ??= listContainers(obj, 'containers'));
  if (!opts.init) return plain;
  if (memo.withInit) return memo.withInit;
  // the same container objects in both lists: init containers come after the others
  const inits = listContainers(obj, 'initContainers');
  return (memo.withInit = inits.length ? plain.concat(inits) : plain);
}

function listContainers(obj: K8sObject, key: 'containers' | 'initContainers'): K8sContainer[] {
  const list = obj.podSpec && obj.podSpecPath ? obj.podSpec[key] : undefined;
  if (!Array.isArray(list)) return [];
  const out: K8sContainer[] = [];
  const init = key === 'initContainers';
  for (let index = 0; index < list.length; index++) {
    const c = list[index];
    if (!isObject(c)) continue;
    out.push({ name: typeof c.name === 'string' ? c.name : `#${index + 1}`, path: obj.podSpecPath!.concat(key, index), value: c, init, index });
  }
  return out;
}

/** Squiggle range for a path inside an object's document: the key when present, else the nearest ancestor key. */
export function rangeAt(model: K8sModel, obj: K8sObject, path: YamlPath): Range {
  const doc = model.docs[obj.docIndex];
  return keyRangeAt(model.lineCounter, doc?.contents, path) ?? obj.range;
}

export function valueRange(model: K8sModel, obj: K8sObject, path: YamlPath): Range | undefined {
  return valueRangeAt(model.lineCounter, model.docs[obj.docIndex]?.contents, path);
}

export function isYamlMapAt(model: K8sModel, obj: K8sObject, path: YamlPath): boolean {
  return isMap(nodeAt(model.docs[obj.docIndex]?.contents, path));
}
