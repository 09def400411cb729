import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { clausesOf } from '../../src/engine/markdown/clauses';
import { linkIndexFor } from '../../src/engine/markdown/link';
import { builtinChecklists } from './helpers';

/**
 * A compound line asks for several things: read whole, each clause's words dilute the others'. A line that links no
 * check as a whole is read clause by clause. The lines are written for this test, not taken from a labelled set.
 */
describe('Markdown linking: a compound line read clause by clause', () => {
  const { index } = linkIndexFor(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const checks = (text: string) =>
    index
      .link(text)
      .filter((l) => l.mode !== 'manual')
      .map((l) => l.id)
      .sort();

  it('splits at semicolons, at ", and"/", but", and between sentences; never inside parentheses', () => {
    assert.deepEqual(clausesOf('Drop every capability from the containers, and add back only the ones they need'), ['Drop every capability from the containers', 'add back only the ones they need']);
    assert.deepEqual(clausesOf('Pin base images; scan images in the pipeline'), ['Pin base images', 'scan images in the pipeline']);
    assert.deepEqual(clausesOf('Are host folders mounted? What about the runtime socket?'), ['Are host folders mounted?', 'What about the runtime socket?']);
    assert.deepEqual(clausesOf('Set limits (cpu; memory) on every container'), []);
  });

  it('a clause of one word, or one that points back to the clause before, is not read alone', () => {
    assert.deepEqual(clausesOf('Run as a non-root user, and more'), []);
    assert.deepEqual(clausesOf('Is the pipeline run in the production cluster? Does it mount the runtime socket?'), ['Is the pipeline run in the production cluster?']);
    assert.deepEqual(clausesOf('Pin base images; scan them in the pipeline'), ['Pin base images']);
  });

  it('a compound line whose whole links nothing links the checks of its clauses', () => {
    const line = 'Drop every capability from the containers, and add back only the specific ones needed to operate the service.';
    assert.deepEqual(checks(line.split(',')[0]), ['k8s.pod-security.capabilities-drop-all']);
    assert.ok(checks(line).includes('k8s.pod-security.capabilities-drop-all'), checks(line).join(' '));
  });

  it('a line that links as a whole is not split', () => {
    const line = 'Set CPU and memory limits; keep them close to the requests';
    const whole = index.link(line).map((l) => l.id);
    assert.ok(whole.includes('k8s.resources.limits.cpu'));
    // (the clause reading adds nothing to a line that already links a check)
    assert.deepEqual(whole, index.link(line).map((l) => l.id));
  });
});
