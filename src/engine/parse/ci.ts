import type { Node, YAMLMap } from 'yaml';
import type { Range } from '../model';
import type { ParsedFile } from '../workspace';
import { isCloudBuild } from '../discover';
import type { JenkinsStep } from './jenkins';
import { baseName } from '../text';
import { runnableCommands } from './shellText';
import { findPair, isMap, isScalar, isSeq, mergedPairs, nodeRange, resolved, toPlain, type YamlFile } from './yamlSupport';

/**
 * One step of a CI pipeline: a shell command (`run:` in GitHub Actions, `script:` lines in GitLab CI,
 * `command:` in CircleCI…) or an action/task it uses (`uses: docker/build-push-action@v6`).
 */
export interface CiStep {
  file: string;
  kind: 'run' | 'uses';
  /** The command text, or the action reference. */
  text: string;
  range: Range;
  /** The step or its job may fail without failing the pipeline (continue-on-error / allow_failure). */
  soft: boolean;
  /** Job name (GitHub `jobs.<id>`, GitLab top-level job key). */
  job: string;
  /** The job's deployment environment (`environment: production`), when it declares one. */
  environment?: string;
  /** `with:` inputs of an action step. */
  with?: Record<string, unknown>;
}

/** A CI file's model: its YAML documents, or for a Jenkinsfile (Groovy, no documents) the steps read from its text. */
export interface CiModel extends YamlFile {
  jenkinsSteps?: readonly JenkinsStep[];
}

const RUN_KEYS = new Set(['run', 'script', 'before_script', 'after_script', 'command', 'bash', 'sh', 'pwsh', 'powershell', 'inlineScript', 'commands', 'install', 'before_install']);
const USES_KEYS = new Set(['uses', 'task']);
const GITLAB_RESERVED = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'pages']);

const cache = new WeakMap<object, CiStep[]>();

/** How deep the walk looks for steps (GitLab: job › script is 2; Azure: stages › jobs › steps › script is 6). */
const MAX_STEP_DEPTH = 64;

function isTrue(map: YAMLMap, key: string): boolean {
  const v = findPair(map, key)?.value;
  return isScalar(v) && (v.value === true || v.value === 'true');
}

/**
 * A job or step that never runs: `if: false` (GitHub Actions, also `${{ false }}`), `condition: false`
 * (Azure Pipelines), `when: never` (GitLab CI).
 */
function disabled(map: YAMLMap): boolean {
  const off = (key: string, re: RegExp): boolean => {
    const v = findPair(map, key)?.value;
    return isScalar(v) && (v.value === false || (typeof v.value === 'string' && re.test(v.value.trim())));
  };
  return off('if', /^(false|\$\{\{\s*false\s*\}\})$/) || off('condition', /^(false|\$\{\{\s*false\s*\}\})$/i) || off('when', /^never$/);
}

/** GitLab CI hidden jobs (`.name:`) that some job extends: only those run, as part of the job that extends them. */
function extendedJobs(root: unknown): Set<string> {
  const out = new Set<string>();
  if (!isMap(root)) return out;
  for (const pair of mergedPairs(root)) {
    const job = resolved(pair.value);
    const ext = isMap(job) ? resolved(findPair(job, 'extends')?.value) : undefined;
    for (const e of isSeq(ext) ? ext.items : [ext]) if (isScalar(e) && typeof e.value === 'string') out.add(e.value);
  }
  return out;
}

function environmentOf(map: YAMLMap): string | undefined {
  const v = findPair(map, 'environment')?.value;
  if (isScalar(v)) return String(v.value);
  if (isMap(v)) {
    const n = findPair(v, 'name')?.value;
    if (isScalar(n)) return String(n.value);
  }
  return undefined;
}

/**
 * The command a Cloud Build step runs: its `entrypoint` (else the builder image's name: `gcr.io/cloud-builders/docker`
 * runs docker) with its `args`; `bash -c '<script>'` is the script. Undefined when an argument is not plain text.
 */
function cloudBuildCommand(step: YAMLMap, args: Node): string | undefined {
  const words: string[] = [];
  for (const a of (args as { items: unknown[] }).items) {
    const v = resolved(a);
    if (!isScalar(v) || (typeof v.value !== 'string' && typeof v.value !== 'number')) return undefined;
    words.push(String(v.value));
  }
  const entry = findPair(step, 'entrypoint')?.value;
  const image = findPair(step, 'name')?.value;
  const program = isScalar(entry) && typeof entry.value === 'string' ? entry.value : isScalar(image) && typeof image.value === 'string' ? image.value.replace(/[@:][^/]*$/, '').replace(/^.*\//, '') : undefined;
  if (program === undefined) return undefined;
  if (/^(\/usr)?(\/bin\/)?(ba|da|a)?sh$/.test(program) && words[0] === '-c' && words.length === 2) return runnableCommands(words[1]);
  // a builder whose args repeat its program (`skaffold` image, args: [skaffold, build])
  return runnableCommands(words[0] === program ? words.join(' ') : [program, ...words].join(' '));
}

/**
 * Travis CI installs a Node project's dependencies itself when the file names no `install:` (`npm ci` beside a
 * package-lock.json, `yarn --frozen-lockfile` beside a yarn.lock): where `language: node_js` says so.
 */
function travisInstall(path: string, root: unknown, lc: Parameters<typeof nodeRange>[0]): Range | undefined {
  if (baseName(path) !== '.travis.yml' || !isMap(root) || findPair(root, 'install')) return undefined;
  const language = findPair(root, 'language')?.value;
  return isScalar(language) && language.value === 'node_js' ? nodeRange(lc, language) : undefined;
}

/** Every step of a CI file, in document order. Works on any YAML CI format by looking for command keys. */
export function ciSteps(file: ParsedFile<YamlFile>): CiStep[] {
  const model = file.model;
  if (!model) return [];
  const hit = cache.get(model);
  if (hit) return hit;
  const steps: CiStep[] = [];
  const jenkins = (model as CiModel).jenkinsSteps;
  if (jenkins) {
    for (const s of jenkins) steps.push({ file: file.path, kind: 'run', text: s.text, range: s.range, soft: false, job: '' });
    cache.set(model, steps);
    return steps;
  }
  const lc = model.lineCounter;
  const cloudBuild = isCloudBuild(file.path);
  const isGithub = !cloudBuild && (file.path.startsWith('.github/') || file.path.includes('/.github/'));
  for (const doc of model.docs) {
    const extended = isGithub ? undefined : extendedJobs(doc.contents);
    const visit = (node: unknown, path: string[], soft: boolean, env: string | undefined): void => {
      // steps sit a few levels down in every CI format: a document nested hundreds deep holds none where they go
      if (path.length > MAX_STEP_DEPTH) return;
      node = resolved(node);
      if (isMap(node)) {
        // only steps that run count: not a disabled job or step, not a GitLab template no job extends
        if (disabled(node)) return;
        if (extended && path.length === 1 && path[0].startsWith('.') && !extended.has(path[0])) return;
        const here = soft || isTrue(node, 'continue-on-error') || isTrue(node, 'allow_failure');
        const jobDepth = isGithub ? path.length === 2 && path[0] === 'jobs' : path.length === 1 && !GITLAB_RESERVED.has(path[0]);
        const e = jobDepth ? (environmentOf(node) ?? env) : env;
        for (const item of mergedPairs(node)) {
          if (!isScalar(item.key)) continue;
          const key = String(item.key.value);
          const value = resolved(item.value) as Node | null;
          const job = isGithub ? (path[0] === 'jobs' ? (path[1] ?? '') : '') : (path[0] ?? key);
          if (RUN_KEYS.has(key) && (isScalar(value) || isSeq(value))) {
            const lines = isScalar(value) ? [value] : (value.items as unknown[]).map(resolved).filter(isScalar);
            for (const s of lines) {
              if (typeof s.value !== 'string') continue;
              // a tool named in a comment or an echo does not run
              const text = runnableCommands(s.value);
              const range = text ? nodeRange(lc, s) : undefined;
              if (range) steps.push({ file: file.path, kind: 'run', text, range, soft: here, job, environment: e });
            }
            continue;
          }
          if (cloudBuild && key === 'args' && isSeq(value)) {
            const text = cloudBuildCommand(node, value);
            const range = text ? nodeRange(lc, value) : undefined;
            if (text && range) steps.push({ file: file.path, kind: 'run', text, range, soft: here, job, environment: e });
            continue;
          }
          if (USES_KEYS.has(key) && isScalar(value) && typeof value.value === 'string') {
            const range = nodeRange(lc, value);
            const withNode = findPair(node, 'with')?.value ?? findPair(node, 'inputs')?.value;
            const w = isMap(withNode) ? (withNode.toJSON() as Record<string, unknown>) : undefined;
            if (range) steps.push({ file: file.path, kind: 'uses', text: value.value, range, soft: here, job, environment: e, ...(w ? { with: w } : {}) });
            continue;
          }
          visit(value, [...path, key], here, e);
        }
      } else if (isSeq(node)) {
        node.items.forEach((child, i) => visit(child, [...path, String(i)], soft, env));
      }
    };
    if (toPlain(doc) !== undefined) visit(doc.contents, [], false, undefined);
    const implicit = travisInstall(file.path, doc.contents, lc);
    if (implicit) steps.push({ file: file.path, kind: 'run', text: 'npm ci', range: implicit, soft: false, job: '' });
  }
  cache.set(model, steps);
  return steps;
}
