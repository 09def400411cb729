import { strict as assert } from 'node:assert';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { linkChecklist, linkIndexFor } from '../../src/engine/markdown/link';
import { stateOf, weightedWords } from '../../src/engine/markdown/lineReading';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { builtinChecklists, withinHangBound } from './helpers';

let items: ReturnType<typeof resolveItems>['items'] | undefined;
/** The rules a line links with the built-in checklists a scan uses by default, sorted. */
function ids(text: string): string[] {
  items ??= resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items;
  return linkIndexFor(items).index.link(text).map((l) => l.id).sort();
}

/**
 * How a line is read: a bold label before it ("**Topic**: detail") names its topic; words that say a state make it an
 * outcome, nouns that share their stem do not. The lines are written for this test, not taken from a labelled set.
 */
describe('Markdown linking: a bold label before a line', () => {
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

describe('Markdown linking: state words and the nouns that share their stem', () => {
  it('"test" and "check" as nouns ("test fixtures") and the verb a requirement starts with ("Apply") do not make a line an outcome', () => {
    assert.deepEqual(ids('`.dockerignore` leaves out test fixtures and local env files'), ['repo.dockerignore']);
    assert.ok(ids('Apply a non-root security context to every pod').includes('k8s.pod-security.run-as-non-root'));
  });

  it('a noun made from a state word ("rotation") and "verify" after a requirement\'s verb do not make a line an outcome', () => {
    assert.deepEqual(ids('Secrets management system with rotation'), ['secrets.manager']);
    assert.deepEqual(ids('Sign and verify every container image before release'), ['ci.image-signing']);
    // the participle still says one
    assert.deepEqual(ids('Secrets manager verified'), []);
  });

  it('a build or pipeline stage is a thing; only "staging" says where something runs', () => {
    const words = (text: string) => weightedWords(text);
    const state = (text: string) => stateOf(text, words(text));
    assert.deepEqual(state('No compilers in the final stage'), []);
    assert.deepEqual(state('Every stage of the pipeline runs the linter'), []);
    assert.ok(state('Migrations applied on staging').length > 0);
  });

  it('a participle before the thing it qualifies, a purpose and a handing over are not states', () => {
    const state = (text: string) => stateOf(text, weightedWords(text));
    assert.deepEqual(state('Only signed and verified base images'), []);
    assert.deepEqual(ids('Use only verified images from official publishers'), ['docker.image.registry']);
    assert.deepEqual(state('Probes configured for container monitoring'), []);
    assert.deepEqual(state('Credentials passed as files, never as arguments'), []);
    // at the end of the line, before "and" or a preposition, or across a comma, the participle is the line's state
    assert.ok(state('Base images verified').length > 0);
    assert.ok(state('Images verified and signed').length > 0);
    assert.ok(state('Migrations tested, images pushed').length > 0);
    assert.ok(state('Unit tests passed in CI').length > 0);
    // a state joined by "and" to a participle saying the requirement is in place is a further step
    assert.deepEqual(state('Readiness endpoints implemented and tested'), []);
    assert.ok(state('Readiness endpoints tested').length > 0);
  });

  it('"Check that …" and "Verify that …" state what must hold; "Check the logs" is a task', () => {
    assert.ok(ids('Check that every container sets a memory limit').includes('k8s.resources.limits.memory'));
    assert.ok(ids('Verify that images are pinned to a digest').includes('k8s.image.tag-pinned'));
    assert.ok(stateOf('Check error tracking', weightedWords('Check error tracking')).includes('\u0000activity'));
  });

  it('a state word in the form that says one still does', () => {
    assert.deepEqual(ids('`.dockerignore` tested'), []);
    assert.ok(!ids('Non-root security context applied to every pod').includes('k8s.pod-security.run-as-non-root'));
  });
});

describe('Markdown linking: a reason or an explanation after a requirement is its detail', () => {
  it('a clause saying why ("because …", "…, which …", "to limit …") weighs as an aside', () => {
    const weight = (text: string, word: string) => weightedWords(text).get(word);
    assert.ok(weight('Pin base images to a digest, which guarantees identical bytes on every deploy', 'byte')! < 1);
    assert.ok(weight('Set memory limits because a leaking process starves its neighbours', 'neighbour')! < 1);
    assert.ok(weight('Drop all capabilities to limit what an attacker can do', 'attack')! < 1);
    assert.equal(weight('Pin base images to a digest, which guarantees identical bytes on every deploy', 'digest'), 1);
    assert.deepEqual(ids('Pin base images to a digest, which guarantees identical bytes on every deploy').includes('docker.image.pinned'), true);
  });
});

describe('Markdown linking: a participle negated by its prefix', () => {
  it('"unpinned", "unsigned" and "unencrypted" read as "not pinned" …; "no unpinned images" asserts pinned images', () => {
    assert.deepEqual(ids('No unpinned base images'), ['docker.image.pinned', 'k8s.image.tag-pinned']);
    assert.ok(ids('Unsigned images are rejected').includes('ci.image-signing'));
    assert.ok(ids('No unencrypted database connections').includes('env.db.ssl'));
  });
});

describe('Markdown linking: a condition on a requirement is its detail', () => {
  it('a clause saying where or unless ("… unless the team approved an exception") does not hide what the line asks', () => {
    assert.deepEqual(ids('Memory limit set on every container, unless the team has approved an exception for batch jobs'), ['k8s.resources.limits.memory']);
  });
});

describe('Markdown linking: an image reference names an image', () => {
  it('a tagged image as an example makes "pin versions" the image\'s version, not the packages\'', () => {
    assert.deepEqual(ids('Pin versions'), ['docker.packages.pinned']);
    assert.deepEqual(ids('Pin versions (for example python:3.12-slim)'), ['docker.image.pinned']);
  });
});

describe('Markdown linking: a short line under a heading', () => {
  it('the heading settles a line that alone reads close to a check, and brings no rule of its own', () => {
    items ??= resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items;
    const md = '# Release checklist\n## Database\n- [ ] Production connection ready\n## Networking\n- [ ] Production connection ready\n## Dashboards\n- [ ] Ready before launch\n';
    const linked = linkChecklist({ path: 'release.md', model: parseMarkdownChecklist(md, 'release.md').model }, undefined, items).items;
    assert.deepEqual(linked.map((i) => i.links.map((l) => l.id)), [['env.db.connection'], [], []]);
  });
});

describe('Markdown linking: a wording just short of a rule, confirmed by the property the line asserts', () => {
  it('links when the line asserts the rule\'s property, and not otherwise', () => {
    assert.deepEqual(ids('Sign every image for provenance verification'), ['ci.image-signing']);
    assert.deepEqual(ids('Keep the deps updated'), ['deps.update-automation']);
    // as close in wording, but no property of the rule asserted
    assert.deepEqual(ids('Use production database'), []);
  });
});

describe('Markdown linking: a hostile line', () => {
  it('a line with a long run of spaces or many clauses is read as its words, without stalling', () => {
    // A hang detector (withinHangBound): a lookbehind over the spaces before "checks" and a clause boundary that began
    // with any run of spaces took seconds to minutes on such a line.
    const spaced = `Memory${' '.repeat(300_000)}limits on every container`;
    const many = `Memory limits on every container${'; and x y'.repeat(20_000)}`;
    withinHangBound('a long run of spaces, many clauses', () => {
      assert.deepEqual(ids(spaced), ids('Memory limits on every container'));
      assert.deepEqual(stateOf(`Health${' '.repeat(300_000)}checks configured`, weightedWords('Health checks configured')), []);
      assert.deepEqual(ids(many), ids('Memory limits on every container'));
    });
  });

  it('a line of one giant word, a long dotted run or thousands of peer ids is read without stalling or filling the memory', () => {
    // A hang detector, as above: the stemmer's time grows with the square of a word's length, every leading run of a
    // dotted name was kept as a key path, and the line was rebuilt once per peer id.
    const cases: [string, string[]][] = [
      [`Memory limits ${'x'.repeat(100_000)}`, ids('Memory limits')],
      [`Memory limits ${'a.'.repeat(50_000)}`, ids('Memory limits')],
      [Array.from({ length: 5000 }, () => 'pod-probes').join(' '), ids('pod-probes')],
    ];
    for (const [text, expected] of cases) assert.deepEqual(withinHangBound(text.slice(0, 40), () => ids(text)), expected, text.slice(0, 40));
    assert.ok(ids('pod-probes').length > 0, 'a peer id alone names its rule');
  });
});
