import { concat, sameList } from '../derived';
import { workspaceCheck, type CheckOutput } from '../template';
import { Params, type P, type Part } from './signalParams';
import { ciSection, composeSection, configSection, dockerfileSection, envSection, k8sSection, packages, presence } from './signalSources';

/** The last sections and output per params: the same sections give the same output object. */
const outputs = new WeakMap<P, { sections: Part[]; out: CheckOutput }>();

/**
 * `evidence.signals`: collects what the files suggest about an item that they cannot prove: a
 * dependency, a declared variable, a script, a CI step, a Kubernetes object or annotation, a compose
 * service, a Dockerfile instruction. Use it with `evidence: true`; a person confirms the item.
 * Each section is built from per-file parts (see ../derived), so an edit costs the edited file's part.
 */
export const signalsCheck = workspaceCheck({
  id: 'evidence.signals',
  description: 'Evidence only: dependencies, env keys, scripts, CI steps, Kubernetes objects, compose services or Dockerfile instructions that suggest an item.',
  params: Params,
  kinds: ['packageJson', 'env', 'ciWorkflow', 'kubernetes', 'compose', 'dockerfile', 'toolConfig'],
  run(ws, p) {
    const sections: Part[] = [];
    if (p.dependencies.length || p.scripts) sections.push(packages.get(ws, p));
    if (p.env.length) sections.push(envSection(ws, p));
    if (p.ci && (p.ci.run.length || p.ci.uses.length)) sections.push(ciSection.get(ws, p));
    if (p.k8s) sections.push(k8sSection.get(ws, p));
    if (p.compose) sections.push(composeSection.get(ws, p));
    if (p.dockerfile) sections.push(dockerfileSection.get(ws, p));
    if (p.config) sections.push(configSection.get(ws, p));
    if (p.files.length) sections.push(presence.get(ws, p));
    const last = outputs.get(p);
    if (last && sameList(last.sections, sections, (a, b) => a === b)) return last.out;
    const out: CheckOutput = { findings: [], evidence: concat([sections]) };
    outputs.set(p, { sections, out });
    return out;
  },
});

