import { z } from 'zod';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import { repositoryFinding, type Evidence, type FileKind, type RawFinding, type Range } from '../../model';
import { ciSteps, type CiStep } from '../../parse/ci';
import type { K8sModel } from '../../parse/kubernetes';
import type { PackageJsonModel } from '../../parse/packageJson';
import { findPair, isMap, isScalar, nodeRange, type YamlFile } from '../../parse/yamlSupport';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import { DerivedByKey } from '../derived';
import { type CheckOutput, workspaceCheck } from '../template';

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const Requirement = z.strictObject({
  label: z.string().min(1).describe('What the step does, for messages ("runs the tests").'),
  run: z.array(userPatternSchema('im')).default([]).describe('Regular expressions matched against shell commands.'),
  uses: z.array(z.string()).default([]).describe('Action or task references (prefix match, e.g. aquasecurity/trivy-action); `action?input` also requires that `with:` input.'),
});

const Params = z.strictObject({
  require: z.array(Requirement).min(1).describe('Every requirement must be met by some step of some CI file.'),
  scripts: z.array(z.string()).default([]).describe('package.json scripts that, when they exist, CI must run too (e.g. test:integration).'),
  k8sKinds: z.array(z.string()).default([]).describe('Kubernetes objects whose presence also meets the rule, as apiGroup/Kind (GitOps: argoproj.io/Application).'),
  appliesWhen: z.array(z.string()).default(['packageJson', 'ciWorkflow']).describe('File kinds that make the rule apply (any of them).'),
});

type Req = z.infer<typeof Requirement>;

const compiled = new WeakMap<readonly string[], RegExp[]>();

/** Checklist patterns are user data: compiled once through safeRegex; a refused one matches nothing (the loader reported it at the param). */
function compile(list: readonly string[]): RegExp[] {
  let out = compiled.get(list);
  if (!out) {
    out = list.map((s) => userRegExp(s, 'im')).filter((r): r is RegExp => !!r);
    compiled.set(list, out);
  }
  return out;
}

export function stepMatches(step: CiStep, req: Req): boolean {
  if (step.kind === 'run') return compile(req.run).some((re) => re.test(step.text));
  return req.uses.some((u) => usesMatches(step, u));
}

/** `owner/action` prefix match; `owner/action?input` also needs that input under `with:`. */
export function usesMatches(step: CiStep, spec: string): boolean {
  const [ref, input] = spec.split('?');
  if (!step.text.toLowerCase().startsWith(ref.toLowerCase())) return false;
  return input === undefined || (step.with?.[input] !== undefined && step.with[input] !== '');
}

/**
 * Whether an object is of one of the kinds: `group/Kind` matches an object whose apiVersion starts with the
 * group, a bare `Kind` matches any group. The specs are split once, not for every object.
 */
export function kindMatcher(specs: readonly string[]): (o: { apiVersion: string; kind: string }) => boolean {
  const kinds = kindSpecs(specs);
  return (o) => {
    for (const k of kinds) if (o.kind === k.kind && o.apiVersion.startsWith(k.group)) return true;
    return false;
  };
}

/** `group/Kind` specs split into the kind and the apiVersion prefix (`group/`, or '' for any group). */
export function kindSpecs(specs: readonly string[]): { kind: string; group: string }[] {
  return specs.map((spec) => {
    const slash = spec.lastIndexOf('/');
    return slash === -1 ? { kind: spec, group: '' } : { kind: spec.slice(slash + 1), group: spec.slice(0, slash + 1) };
  });
}

/** One object against one spec (see kindMatcher). */
export function kindMatches(apiVersion: string, kind: string, spec: string): boolean {
  return kindMatcher([spec])({ apiVersion, kind });
}

export function allSteps(ws: WorkspaceView): { files: ParsedFile<YamlFile>[]; steps: CiStep[] } {
  const files = ws.byKind<YamlFile>('ciWorkflow').filter((f) => f.model);
  return { files, steps: files.flatMap((f) => ciSteps(f)) };
}

/** Where a "CI does not …" finding goes: the first workflow file, at its jobs (or top) key; with no workflow, the repository. */
export function ciFinding(files: ParsedFile<YamlFile>[], message: string, data?: Record<string, unknown>): RawFinding {
  const f = files[0];
  if (!f) return repositoryFinding(message, data);
  return { file: f.path, range: topKeyRange(f, ['jobs', 'stages']) ?? ZERO, message, ...(data ? { data } : {}) };
}

/** The range of the first of the keys found at the top of the file's first document, else of its first key. */
function topKeyRange(f: ParsedFile<YamlFile>, keys: readonly string[]): Range | undefined {
  const root = f.model?.docs[0]?.contents;
  if (!isMap(root)) return undefined;
  for (const k of keys) {
    const pair = findPair(root, k);
    if (pair && isScalar(pair.key)) return nodeRange(f.model.lineCounter, pair.key);
  }
  const first = root.items[0]?.key;
  return isScalar(first) ? nodeRange(f.model.lineCounter, first) : undefined;
}

const NO_GITOPS = { any: false };

/** Whether a Kubernetes object of the item's GitOps kinds exists (Argo CD Application…), built per manifest. */
const gitopsObjects = new DerivedByKey<z.infer<typeof Params>, boolean, { any: boolean }>((p) => {
  const gitops = kindMatcher(p.k8sKinds);
  return {
    kinds: ['kubernetes'],
    part: (f) => !!(f as ParsedFile<K8sModel>).model?.objects?.some(gitops),
    equal: (a, b) => a === b,
    build: ([parts]) => ({ any: parts.some(Boolean) }),
  };
});

const outputs = new WeakMap<object, { ci: readonly ParsedFile[]; pkgs: readonly ParsedFile[]; gitops: { any: boolean }; out: CheckOutput }>();

/**
 * `ci.steps`: CI (GitHub Actions, GitLab CI, or any YAML pipeline with run/script/command keys) has
 * steps that do what the item asks, and none of them is allowed to fail silently.
 */
export const ciStepsCheck = workspaceCheck({
  id: 'ci.steps',
  description: 'A CI pipeline has steps meeting each requirement (commands or actions), not marked continue-on-error / allow_failure. A requirement no step meets is unaudited, not failed, when a job calls a reusable workflow of another repository (its steps cannot be read).',
  params: Params,
  kinds: ['ciWorkflow', 'packageJson', 'kubernetes', 'dockerfile'],
  run(ws, p) {
    if (!p.appliesWhen.some((k) => ws.byKind(k as FileKind).length > 0)) return undefined;
    // The output depends on the CI files, the package.json files and whether a GitOps object exists: the same ones give the same output.
    const ci = ws.byKind('ciWorkflow');
    const pkgs = ws.byKind('packageJson');
    const gitops = p.k8sKinds.length > 0 ? gitopsObjects.get(ws, p) : NO_GITOPS;
    const last = outputs.get(p);
    if (last && last.ci === ci && last.pkgs === pkgs && last.gitops === gitops) return last.out;
    const out = gitops.any ? { findings: [] } : judgeSteps(ws, p);
    outputs.set(p, { ci, pkgs, gitops, out });
    return out;
  },
});

/**
 * A job that calls a reusable workflow of another repository (`uses: owner/repo/.github/workflows/build.yml@v1`): its
 * steps are not in this repository. One in this repository (`./.github/workflows/…`) is read as a workflow file itself.
 */
const REMOTE_WORKFLOW = /^[^./\s][^@\s]*\/\.github\/workflows\/[^@\s]+\.ya?ml@\S+$/;

/** One unaudited requirement, at the first call of a workflow of another repository, naming them all. */
function remoteCalls(remote: readonly CiStep[], what: string): NonNullable<CheckOutput['unaudited']>[number] {
  const refs = [...new Set(remote.map((s) => s.text))];
  const workflows = refs.length === 1 ? `${refs[0]}, a workflow of another repository` : `workflows of other repositories (${refs.slice(0, 3).join(', ')}${refs.length > 3 ? ', …' : ''})`;
  const reason =
    remote.length === 1
      ? `Job ${remote[0].job || '(top level)'} calls ${workflows}; whether it ${what} could not be read`
      : `${remote.length} jobs call ${workflows}; whether one of them ${what} could not be read`;
  return { file: remote[0].file, range: remote[0].range, reason, scope: 'field', kind: 'ciWorkflow' };
}

function judgeSteps(ws: WorkspaceView, p: z.infer<typeof Params>): CheckOutput {
    const { files, steps } = allSteps(ws);
    const findings: RawFinding[] = [];
    const evidence: Evidence[] = [];
    const unaudited: NonNullable<CheckOutput['unaudited']> = [];
    const remote = steps.filter((s) => s.kind === 'uses' && !s.soft && REMOTE_WORKFLOW.test(s.text));
    const where = files.length ? 'no CI step' : 'no CI configuration (GitHub Actions, GitLab CI, Jenkinsfile, CircleCI, Azure Pipelines, Cloud Build…)';
    for (const req of p.require) {
      const matching = steps.filter((s) => stepMatches(s, req));
      const hard = matching.filter((s) => !s.soft);
      for (const s of hard) evidence.push({ file: s.file, range: s.range, message: `${req.label}: ${s.kind === 'uses' ? s.text : 'a step'} in job ${s.job || '(top level)'}` });
      if (hard.length > 0) continue;
      if (matching.length > 0) for (const s of matching) findings.push({ file: s.file, range: s.range, message: `The step that ${req.label} may fail without failing the pipeline (continue-on-error / allow_failure)`, data: { job: s.job } });
      // what a workflow of another repository runs is not read here: not "no step", but not known either
      else if (remote.length > 0) unaudited.push(remoteCalls(remote, req.label));
      else findings.push(ciFinding(files, `${where} ${req.label}`));
    }
    const pkgs = ws.byKind<PackageJsonModel>('packageJson');
    for (const name of p.scripts) {
      // the script itself, in the first package.json that has it: the place a person reads it
      const owner = pkgs.find((f) => f.model?.scripts && Object.hasOwn(f.model.scripts, name));
      if (!owner) continue;
      const re = new RegExp(`\\b(npm run|yarn( run)?|pnpm( run)?|bun run)\\s+${name.replace(/[.*+?^${}()|[\]\\:]/g, '\\$&')}(\\s|$)`, 'm');
      if (steps.some((s) => s.kind === 'run' && !s.soft && re.test(s.text))) continue;
      if (remote.length > 0) unaudited.push(remoteCalls(remote, `runs the "${name}" script`));
      else findings.push({ file: owner.path, range: owner.model.scriptRanges.get(name) ?? owner.model.topRange, message: `The "${name}" script is not run by any CI step`, data: { script: name } });
    }
    return unaudited.length ? { findings, evidence, unaudited } : { findings, evidence };
}
