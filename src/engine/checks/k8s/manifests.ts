import { z } from 'zod';
import type { Evidence, RawFinding } from '../../model';
import { rangeAt, valueRange } from '../../parse/kubernetes';
import type { ParsedFile } from '../../workspace';
import { Derived, sameRange } from '../derived';
import { fileCheck, passOrFail, workspaceCheck, type CheckOutput } from '../template';
import { findingAt, k8sModel, type K8sFile } from './common';
import { missingSelectorIsOurs } from './consistency';
import { kubernetesApi, modelFor, validate, type SchemaError } from './schema';

/**
 * Every object of a manifest is validated against the Kubernetes API schema of its apiVersion and kind:
 * unknown fields, wrong types, missing required fields. Custom resources have no schema here: they are
 * listed once per file as not validated.
 */
export const manifestSchema = fileCheck({
  id: 'k8s.schema',
  description: 'Every object of a built-in kind is validated offline against the Kubernetes API schema of its apiVersion: unknown fields (typos such as livenesProbe), wrong types, missing required fields, and apiVersions Kubernetes does not serve. Custom resources are listed as not validated.',
  params: z.strictObject({
    maxErrors: z.number().int().min(1).default(20).describe('Errors reported per object at most.'),
    removedApis: z
      .array(z.object({ apiVersion: z.string().min(1), kinds: z.array(z.string()).optional() }))
      .default([])
      .describe('apiVersions (for the given kinds, default all) that another rule reports as removed, naming the replacement: not reported again here. The built-in checklist shares k8s.api.removed-versions\' table.'),
  }),
  kinds: ['kubernetes'],
  run(file, params) {
    const model = k8sModel(file);
    if (!model || model.objects.length === 0) return undefined;
    const api = kubernetesApi();
    const findings: RawFinding[] = [];
    const unvalidated = new Map<string, Evidence>();
    for (const obj of model.objects) {
      const ctx = { file: file as K8sFile, model, obj };
      if (!api) {
        if (!unvalidated.has('')) unvalidated.set('', { file: file.path, range: obj.range, message: 'Not validated against the Kubernetes schema: the schema data is not available to this installation.' });
        continue;
      }
      const found = modelFor(api, obj);
      if ('custom' in found) {
        const key = `${obj.apiVersion} ${obj.kind}`;
        if (!unvalidated.has(key)) unvalidated.set(key, { file: file.path, range: obj.range, message: `${obj.kind} (${obj.apiVersion}) is not validated: custom resources have no built-in schema.` });
        continue;
      }
      if ('unknown' in found) {
        // a known removal is k8s.api.removed-versions' finding, with the replacement it names
        if (params.removedApis.some((a) => a.apiVersion === obj.apiVersion && (!a.kinds || a.kinds.includes(obj.kind)))) continue;
        findings.push(findingAt(ctx, obj.base.concat('apiVersion'), `${found.unknown}; Kubernetes rejects this object. Use the apiVersion the cluster serves for ${obj.kind}.`));
        continue;
      }
      const errors: SchemaError[] = [];
      // status is written by the cluster and never applied: not judged
      const value = 'status' in obj.value ? Object.fromEntries(Object.entries(obj.value).filter(([k]) => k !== 'status')) : obj.value;
      validate(api, value, found.model, [], errors, params.maxErrors);
      for (const e of errors) {
        // an apps/ workload without spec.selector is k8s.selector-matches-template's finding
        if (e.missing === 'selector' && e.path.length === 1 && e.path[0] === 'spec' && missingSelectorIsOurs(obj)) continue;
        const path = obj.base.concat(e.path);
        const range = e.at === 'value' ? valueRange(model, obj, path) : rangeAt(model, obj, path);
        findings.push(findingAt(ctx, path, `${obj.ref}: ${e.message}`, range ? { range } : {}));
      }
    }
    return passOrFail(findings, unvalidated.size > 0 ? [...unvalidated.values()] : undefined);
  },
});

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'DeploymentConfig', 'Rollout']);

interface Presence {
  /** Where a finding goes: the file's first object. */
  first?: { path: string; range: RawFinding['range'] };
  workload: boolean;
  service: boolean;
}

function presenceIn(f: ParsedFile): Presence {
  const part: Presence = { workload: false, service: false };
  for (const obj of k8sModel(f)?.objects ?? []) {
    part.first ??= { path: f.path, range: obj.range };
    if (WORKLOADS.has(obj.kind)) part.workload = true;
    else if (obj.kind === 'Service') part.service = true;
  }
  return part;
}

/** The check's output, made from one part per manifest: the same object while no manifest's part changed. */
const presence = new Derived<Presence, CheckOutput | undefined>({
  kinds: ['kubernetes'],
  part: presenceIn,
  equal: (a, b) => a.workload === b.workload && a.service === b.service && a.first?.path === b.first?.path && (a.first === b.first || (!!a.first && !!b.first && sameRange(a.first.range, b.first.range))),
  build: ([parts]) => {
    const first = parts.find((p) => p.first)?.first;
    if (!first) return undefined;
    const workload = parts.some((p) => p.workload);
    const service = parts.some((p) => p.service);
    const missing = [workload ? '' : 'workload (Deployment, StatefulSet or DaemonSet)', service ? '' : 'Service'].filter(Boolean);
    if (missing.length === 0) return passOrFail([]);
    return passOrFail([{ file: first.path, range: first.range, message: `The Kubernetes manifests have no ${missing.join(' and no ')}; the app cannot run or be reached from them alone.` }]);
  },
});

/** A repository that deploys to Kubernetes has a workload and a Service for it; not applicable without Kubernetes manifests. */
export const manifestsPresent = workspaceCheck({
  id: 'k8s.manifests-present',
  description: 'A repository with Kubernetes manifests has at least one long-running workload (Deployment, StatefulSet, DaemonSet) and a Service; not applicable when it has no Kubernetes manifests at all.',
  params: z.strictObject({}),
  kinds: ['kubernetes'],
  run: (ws) => presence.get(ws),
});
