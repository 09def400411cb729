import { strict as assert } from 'node:assert';
import { LinkIndex, type LinkTarget } from '../../src/engine/markdown/match';
import { builtinSet, linkPart, type Part } from './markdownDevSet';
import { builtinChecklists } from './helpers';

/**
 * A line's links do not depend on rules it is not about: words weigh what the fixed lexicon says, not what the
 * rules being linked make of them. Adding a rule to the catalogue changes the links of no line on the tuned parts
 * of the public checklists, except lines that link to the new rule itself.
 */
describe('Markdown linking: one more rule in the catalogue', () => {
  const added: LinkTarget[] = [
    {
      // Unrelated to any line, in the catalogue's everyday words (container, production, configured).
      id: 'k8s.widgets.calibrated',
      title: 'Every container calibrates its flux widgets',
      matches: ['Flux widgets calibrated in production', 'Widget calibration configured for each container'],
      mode: 'auto',
      domain: 'kubernetes',
      derived: ['k8s widgets calibrated'],
    },
    {
      // Close to lines about labels and values, as a new rule in the catalogue often is.
      id: 'k8s.labels.valid-values',
      title: 'Label values are valid',
      matches: ['Kubernetes labels have valid values'],
      mode: 'auto',
      domain: 'kubernetes',
      derived: ['k8s labels valid values'],
    },
  ];
  const parts: Part[] = ['dev', 'dev2'];
  for (const operations of [false, true]) {
    for (const part of parts) {
      it(`${part}${operations ? ' with the operations checklist' : ''}: no other line's links change`, () => {
        const lists = builtinSet(builtinChecklists(), operations);
        const before = linkPart(part, lists);
        const after = linkPart(part, lists, added);
        assert.equal(after.length, before.length);
        const changed: string[] = [];
        let newLinks = 0;
        for (const [i, line] of after.entries()) {
          if (line.links.some((l) => added.some((a) => a.id === l.id))) {
            newLinks++;
            continue;
          }
          const was = before[i].links.map((l) => `${l.id} (${l.reason})`);
          const now = line.links.map((l) => `${l.id} (${l.reason})`);
          if (was.join('\n') !== now.join('\n')) changed.push(`${line.file}: ${line.text}\n  was ${was.join(', ') || '-'}\n  now ${now.join(', ') || '-'}`);
        }
        assert.deepEqual(changed, [], 'lines whose links changed');
        // The new rules speak of nothing these checklists say: they take no line.
        assert.equal(newLinks, 0);
      });
    }
  }
});

/**
 * A phrasing a rule gains never lowers that rule's links: a line word known only through the rule's own phrasings
 * weighs, for its phrasings that do not say it, as a word no rule uses (as it did before the phrasing was added).
 */
describe('Markdown linking: one more phrasing of a rule', () => {
  const memory: LinkTarget = { id: 'k8s.resources.limits.memory', title: 'Memory limits configured', matches: ['Containers declare a memory limit'], mode: 'auto' };
  const cpu: LinkTarget = { id: 'k8s.resources.limits.cpu', title: 'CPU limits configured', matches: [], mode: 'auto' };
  const line = 'Memory limits configured for the sidecar and the worker';
  it('keeps the links the rule had', () => {
    assert.deepEqual(new LinkIndex([memory, cpu]).link(line).map((l) => l.id), ['k8s.resources.limits.memory']);
    // The new phrasing uses two of the line's words no other rule knows ("sidecar", "worker") and does not match the line.
    const more = { ...memory, matches: [...memory.matches, 'Worker and sidecar quotas per namespace tenant'] };
    const links = new LinkIndex([more, cpu]).link(line);
    assert.deepEqual(links.map((l) => [l.id, l.reason]), [['k8s.resources.limits.memory', 'matched "Memory limits configured"']]);
  });
});
