import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { linkIndexFor } from '../../src/engine/markdown/link';
import { builtinChecklists } from './helpers';

/**
 * A bold label before a line ("**Topic**: detail") names the line's topic. The lines are written for this test,
 * not taken from a labelled set.
 */
describe('Markdown linking: a bold label before a line', () => {
  const { index } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const ids = (text: string) => index.link(text).map((l) => l.id).sort();

  it('a label whose rest describes it is what the line is about', () => {
    assert.deepEqual(ids('**Pod disruption budget**: Keeps enough pods running while nodes are drained'), ['k8s.pdb']);
    assert.deepEqual(ids('**Database migrations**: Versioned and run on every deploy'), ['scripts.migration']);
    // Without the label, the detail alone names no rule.
    assert.deepEqual(ids('Keeps enough pods running while nodes are drained'), []);
  });

  it('a rest that asks for something of its own is what the line asks: the label does not link for it', () => {
    assert.deepEqual(ids('**Secrets management**: Use Kubernetes Secrets rather than plain environment variables').filter((id) => id === 'secrets.manager'), []);
  });
});
