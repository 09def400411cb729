import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveItems } from '../../src/engine/audit';
import { defaultChecklists } from '../../src/engine/checklist/schema';
import { linkChecklist, linkIndexFor, targetsOf } from '../../src/engine/markdown/link';
import type { LinkTarget } from '../../src/engine/markdown/match';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { builtinChecklists, FIXTURES, SHARED } from './helpers';

/**
 * A go-live checklist in a team's own words (test/fixtures/markdown/go-live-own-words.md): each line links to the
 * rules it asserts, and to no other check, from the rules' data alone. The same holds with every phrasing taken
 * from the five reference checklists removed (their wording is not what links these lines).
 */
const FILE = path.join(FIXTURES, 'markdown', 'go-live-own-words.md');
const EXPECTED: Record<string, string[]> = {
  'Every container declares CPU and memory limits': ['k8s.resources.limits.cpu', 'k8s.resources.limits.memory'],
  'Pods expose a liveness endpoint the kubelet can poll': ['k8s.probes.liveness'],
  'Readiness checks gate traffic to new pods': ['k8s.probes.readiness'],
  'Images are pinned to explicit versions, never latest': ['k8s.image.tag-pinned'],
  'Containers never run as root': ['k8s.pod-security.run-as-non-root'],
  'Set `runAsNonRoot: true`.': ['k8s.pod-security.run-as-non-root'],
  'Prevent privilege escalation': ['k8s.pod-security.allow-privilege-escalation'],
  'CPU req/limit: Its CPU limit and request are set': ['k8s.resources.limits.cpu', 'k8s.resources.requests.cpu'],
  'There is a rolling strategy defined': ['k8s.deployment.strategy'],
  'Consider disabling CPU limits': [],
  'Avoid the use of `ADD` in favor of `COPY`': ['docker.copy-not-add'],
  'No latest tag': ['docker.image.pinned'],
  '.dockerignore': ['repo.dockerignore'],
  '.env files are git-ignored and never committed': ['repo.gitignore.env', 'repo.gitignore.env.committed'],
  'Production log level is warn or error': ['env.log-level'],
  'Lock dependencies': ['deps.lockfile'],
  'Scan images for vulnerabilities': ['ci.image-scan'],
  // A Dockerfile instruction in capitals says which kind of file the line is about.
  'Containers run as a non-root user (USER instruction)': ['docker.user.non-root'],
  'Optionally turn off the readiness probe for batch workers': [],
};
/** Rules a line may link to besides the expected ones: the same requirement checked in the other kind of file. */
const ALSO: Record<string, string[]> = {
  'Images are pinned to explicit versions, never latest': ['docker.image.pinned'],
  'Containers never run as root': ['docker.user.non-root'],
  'No latest tag': ['k8s.image.tag-pinned'],
  'Scan images for vulnerabilities': ['ci.image-scan.confirmed'],
};

/** The reference checklists' text, lower case, without Markdown code marks. */
function seedText(): string {
  const dir = path.join(SHARED, 'seeds');
  return readdirSync(dir)
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n')
    .toLowerCase()
    .replace(/`/g, '');
}

function linkWith(targets: readonly LinkTarget[]) {
  const { model } = parseMarkdownChecklist(readFileSync(FILE, 'utf8'), 'go-live-own-words.md');
  return linkChecklist({ path: 'go-live-own-words.md', model }, undefined, targets).items;
}

describe('Markdown linking: a go-live checklist in its own words', () => {
  const base = targetsOf(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items);
  const seeds = seedText();
  const withoutSeeds = base.map((t) => ({ ...t, matches: t.matches.filter((m) => !seeds.includes(m.toLowerCase().replace(/`/g, ''))), inherited: [] }));

  for (const [name, targets] of [['the built-in rules', base], ['the built-in rules without any phrasing of the reference checklists', withoutSeeds]] as const) {
    it(`links every line to the rules it asserts and to no other check, with ${name}`, () => {
      const items = linkWith(targets);
      assert.equal(items.length, Object.keys(EXPECTED).length);
      for (const item of items) {
        const want = EXPECTED[item.text];
        assert.ok(want, `unexpected line ${item.text}`);
        const checks = item.links.filter((l) => l.mode !== 'manual');
        for (const id of want) assert.ok(checks.some((l) => l.id === id), `"${item.text}" should link to ${id}; got ${checks.map((l) => `${l.id} (${l.reason})`).join(', ') || 'nothing'}`);
        const wrong = checks.filter((l) => !want.includes(l.id) && !(ALSO[item.text] ?? []).includes(l.id));
        assert.deepEqual(wrong.map((l) => `${l.id} (${l.reason})`), [], `"${item.text}" links to a rule it does not assert`);
        for (const l of checks) assert.ok(l.reason.length > 0, 'every link keeps its reason');
      }
    });
  }

  it('the reference phrasings removed are really gone (the second run is not the first again)', () => {
    const removed = base.reduce((n, t, i) => n + t.matches.length - withoutSeeds[i].matches.length, 0);
    assert.ok(removed > 100, `only ${removed} phrasings removed`);
  });

  it('a field the line names picks the kind of file, without a heading: `runAsNonRoot` is the manifest rule, not the Dockerfile one', () => {
    const links = linkIndexFor(base).index.link('Set `runAsNonRoot: true`.');
    assert.deepEqual(links.filter((l) => l.mode !== 'manual').map((l) => `${l.id} (${l.reason})`), ['k8s.pod-security.run-as-non-root (names runasnonroot)']);
  });
});

describe('Markdown linking: "Test" as a noun and as a verb', () => {
  const { index } = linkIndexFor(targetsOf(resolveItems(defaultChecklists(builtinChecklists(), { operations: false })).items));
  const auto = (line: string) => index.link(line).filter((l) => l.mode === 'auto').map((l) => l.id);

  it('a line that starts with a kind of test ("Test coverage …", "Test suite …") states a requirement and links its rule', () => {
    assert.ok(auto('Test coverage threshold enforced').includes('tests.coverage-threshold'), auto('Test coverage threshold enforced').join(', '));
    assert.ok(auto('Test coverage minimums enforced').includes('tests.coverage-threshold'));
    assert.ok(auto('Test suite runs in CI').includes('ci.test'));
  });

  it('a line that tells a person to test something is an activity and no automated rule claims it', () => {
    assert.deepEqual(auto('Test graceful shutdown under load'), []);
    assert.deepEqual(auto('Test the rollback procedure'), []);
  });
});
