import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { linkChecklist, linkIndexFor } from '../../src/engine/markdown/link';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { fieldNames, lineFieldNames, lineTerms, paramPhrasings, paramTerms, textTerms } from '../../src/engine/markdown/ruleTerms';
import { builtinChecklists } from './helpers';

/**
 * Names a line gives: the fields a check reads and the values it compares them with, taken from the rule's own
 * data and named by a line in the same spelling. The lines are written for this test, not taken from a labelled set.
 */
describe('Markdown linking: fields and values a line names', () => {
  const { index } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const links = (text: string) => index.link(text).map((l) => `${l.id} [${l.reason}]`).sort();
  const ids = (text: string) => index.link(text).map((l) => l.id).sort();

  it('reads the fields of a check and the named values it compares them with from its parameters', () => {
    const params = { target: 'object', kinds: ['Service'], path: ['spec', 'type'], must: { notOneOf: ['NodePort', 'LoadBalancer'] } };
    assert.deepEqual(fieldNames(params), ['NodePort', 'LoadBalancer']);
    assert.deepEqual(fieldNames({ path: ['automountServiceAccountToken'], must: { oneOf: [false] } }), ['automountServiceAccountToken']);
    assert.deepEqual([...lineFieldNames('Set `automountServiceAccountToken` to false on every ServiceAccount')], ['automountServiceAccountToken', 'ServiceAccount']);
  });

  it('what a check\'s template reads whatever its params (`LABEL`, `targetPort`) names the rule; an instruction it judges one aspect of does not', () => {
    assert.deepEqual(links('Use `LABEL` for build metadata'), ['docker.labels.oci [names LABEL]', 'docker.labels.valid [names LABEL]']);
    assert.deepEqual(links('Every Service port sets a `targetPort`'), ['k8s.service.target-ports [names targetPort]']);
    assert.deepEqual(ids('Pods set `runAsUser`'), ['k8s.pod-security.run-as-non-root']);
    assert.deepEqual(ids('Tune `maxSurge` per workload'), ['k8s.deployment.strategy']);
    // the everyday word is not the instruction; the exec form rule judges CMD's form, not whether a file has one
    assert.deepEqual(ids('Every resource carries a label for its team'), []);
    assert.deepEqual(ids('Use `ENTRYPOINT` for the main command'), []);
  });

  it('the kinds in a table of API versions say which objects a version served: they are not what the rule reads', () => {
    const apis = [{ apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], replacement: 'networking.k8s.io/v1' }];
    assert.deepEqual(paramTerms({ apis }), []);
    assert.deepEqual(paramPhrasings({ apis }), []);
    assert.deepEqual(paramTerms({ kinds: ['NetworkPolicy'] }), ['networkpolicy']);
    assert.ok(!ids('NetworkPolicy configured for every namespace').includes('k8s.api.removed-versions'));
    assert.ok(!ids('Pod security rules set cluster-wide by a PodSecurityPolicy').includes('k8s.manifests.schema'));
  });

  it('a key path names the keys above it: a Compose limit named by its full path is the limits rule', () => {
    assert.ok(lineTerms('`deploy.resources.limits.memory` set').has('deploy.resources.limits'));
    assert.ok(!lineTerms('`deploy.resources.limits.memory` set').has('resources.limits.memory.x'));
    assert.deepEqual(links('`deploy.resources.limits.memory` set on every service'), ['compose.resources.limits [names deploy.resources.limits]']);
  });

  it('a kind only finer rules read names the broader rule unless the line says what makes them finer', () => {
    assert.deepEqual(ids('`podDisruptionBudget` set for critical services'), ['k8s.pdb']);
    assert.ok(ids('PodDisruptionBudget sets minAvailable or maxUnavailable policy').includes('k8s.pdb.policy'));
  });

  it('in a section about Compose files, a Kubernetes rule links only when the line names what it reads', () => {
    const inSection = (text: string, domain: 'compose' | 'kubernetes') => index.link(text, domain).map((l) => l.id);
    assert.ok(inSection('All Linux capabilities dropped', 'kubernetes').includes('k8s.pod-security.capabilities-drop-all'));
    assert.ok(!inSection('All Linux capabilities dropped', 'compose').some((id) => id.startsWith('k8s.')));
    assert.ok(inSection('`readOnlyRootFilesystem: true` on every container', 'compose').includes('k8s.pod-security.read-only-root-filesystem'));
  });

  it('a Dockerfile instruction on the line says which file it is about, whatever the heading', () => {
    const items = resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items;
    const md = '# Go-live\n\n## Compose security\n\n- [ ] Every service has a healthcheck\n- [ ] Images declare `HEALTHCHECK` (besides the compose healthcheck)\n';
    const [service, dockerfile] = linkChecklist({ path: 'go-live.md', model: parseMarkdownChecklist(md, 'go-live.md').model }, undefined, items).items.map((i) => i.links.map((l) => l.id));
    assert.deepEqual(service, ['compose.healthcheck']);
    assert.deepEqual(dockerfile, ['docker.healthcheck']);
  });

  it('a line naming a field a check reads links that check, with the field as the reason', () => {
    assert.deepEqual(ids('`automountServiceAccountToken` is false unless the pod calls the API'), ['k8s.service-account.automount-token']);
    assert.deepEqual(links('Public services never of type `NodePort`'), ['k8s.service.type [names NodePort]']);
    assert.ok(ids('Expose services with a `LoadBalancer` only when needed').includes('k8s.service.type'));
  });

  it('a field is named only in its own spelling: the kind of the same name is not the field', () => {
    // `configMap` is a volume field the ConfigMap reference check reads; "ConfigMap" is the kind.
    assert.ok(!ids('Use `ConfigMap` for application settings').includes('k8s.env.configmap-refs'));
    assert.ok(!ids('One ServiceAccount per application').includes('k8s.service-account.deprecated-field'));
  });

  it('a package.json script run in a code span names the check that looks for it, not when it only says how to look', () => {
    assert.deepEqual(links('Build script: `npm run build`'), ['scripts.build [names script:build]']);
    assert.ok(ids('End-to-end suite: `yarn test:e2e`').includes('scripts.test.e2e'));
    assert.ok(!ids('Bundle size acceptable (`npm run build`)').includes('scripts.build'));
  });

  it('a header name a rule writes (`X-Frame-Options`) names that rule, however the line words the rest', () => {
    assert.deepEqual(textTerms(['X-Frame-Options and X-Content-Type-Options headers set']), ['x-frame-options', 'x-content-type-options']);
    assert.deepEqual(links('Responses carry `X-Frame-Options: DENY`'), ['security.headers [names x-frame-options]']);
  });

  it('of the checks reading one field, a line links those whose distinguishing words it says', () => {
    assert.deepEqual(ids('Add `readinessProbe` and `livenessProbe` to every container'), ['k8s.probes.liveness', 'k8s.probes.readiness']);
    assert.ok(ids('`livenessProbe` uses the port the container listens on').includes('k8s.probes.liveness-port'));
  });
});
