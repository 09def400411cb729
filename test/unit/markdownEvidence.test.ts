import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { linkIndexFor } from '../../src/engine/markdown/link';
import { contentWords } from '../../src/engine/markdown/normalize';
import { builtinChecklists } from './helpers';

/**
 * What counts as evidence that a line speaks of a rule, against the built-in checklists: a line links when it
 * names the rule's concept, not when it shares a generic word, an object kind or part of a field name.
 */
describe('Markdown linking: evidence a line speaks of a rule', () => {
  const { index } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const { index: withOperations } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: true })).items);
  const ids = (text: string, domain?: 'kubernetes' | 'dockerfile') => index.link(text, domain).map((l) => l.id).sort();

  it('a rule that only reads the kind a line names gives way to the rule about it', () => {
    assert.deepEqual(ids('Set Pod Disruption Budgets for minimum availability'), ['k8s.pdb']);
    assert.deepEqual(ids('Enable Network Policies for namespace isolation'), ['k8s.networkpolicy']);
    assert.deepEqual(ids('Use Horizontal Pod Autoscaler (HPA) for variable loads'), ['k8s.hpa']);
  });

  it('a name no rule knows is what the line is about; one plain word is weak evidence', () => {
    assert.deepEqual(ids('Implement LimitRange in namespaces', 'kubernetes'), []);
    assert.deepEqual(ids('Implement ResourceQuotas in namespaces'), []);
    assert.deepEqual(ids('Use namespaces'), ['k8s.namespace.not-default']);
    // "Service" is a kind some rules read, and an everyday word.
    assert.deepEqual(ids('Set appropriate Quality of Service (QoS) classes'), []);
  });

  it('a number or flag that is the point of a phrasing must be said', () => {
    assert.deepEqual(ids('Document exposed ports'), []);
    assert.deepEqual(ids('Do not expose port 22'), ['docker.expose.no-ssh']);
    assert.ok(!ids('Avoid using curl/wget for healthchecks').includes('docker.tls-verification'));
    assert.deepEqual(ids('Never use `curl -k` or `wget --no-check-certificate`'), ['docker.tls-verification']);
    assert.deepEqual(contentWords('`RATE_LIMIT=100`'), contentWords('rate limit'));
  });

  it('measured targets and suggestions are not requirements a file settles', () => {
    assert.deepEqual(ids('Response time < 500ms'), []);
    assert.deepEqual(ids('Consider disabling CPU limits unless required'), []);
    assert.deepEqual(ids('CPU limits are set'), ['k8s.resources.limits.cpu']);
  });

  it('British and American spellings, and "complete" is not "completed"', () => {
    assert.deepEqual(contentWords('Requests are sanitised'), contentWords('requests are sanitized'));
    assert.deepEqual(ids('**.dockerignore exists and is complete**'), ['repo.dockerignore']);
  });

  it('a manual item that reads closer does not hide the check that verifies the line', () => {
    const links = withOperations.link('Set up alerts for errors');
    assert.ok(links.some((l) => l.id === 'monitoring.alert-rules'), JSON.stringify(links));
    assert.ok(links.some((l) => l.mode === 'manual'), JSON.stringify(links));
  });
});
