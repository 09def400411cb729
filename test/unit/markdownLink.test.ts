import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { linkChecklist, linkMarkdownFiles, resolvePin } from '../../src/engine/markdown/link';
import { parseFile } from '../../src/engine/parse';
import { LinkIndex, type LinkTarget } from '../../src/engine/markdown/match';
import { contentWords, identifiers } from '../../src/engine/markdown/normalize';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { builtinChecklists, SHARED } from './helpers';

/** The seed analysis catalogue as link targets: its rule ids and phrasings (A rules automated, B rules evidence). */
function catalogueTargets(): LinkTarget[] {
  const rows = readFileSync(path.join(SHARED, 'seed-analysis', 'catalogue.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  return rows.map(([id, , category, , , , , phrasings]) => ({ id, title: '', mode: category === 'A' ? 'auto' : 'evidence', matches: phrasings.split(' | ').filter((p) => !p.startsWith('(no checkbox')) }));
}

describe('Markdown linking: tolerant matching', () => {
  const targets = catalogueTargets();
  const index = new LinkIndex(targets);
  const ids = (text: string) => index.link(text).map((l) => l.id);

  it('folds word forms and synonyms to the same words', () => {
    assert.deepEqual(contentWords('Liveness probes are configured'), contentWords('liveness probe configuration'));
    assert.deepEqual(contentWords('CPU and memory limits'), contentWords('resource limits'));
    assert.deepEqual(contentWords('Configure the HPA'), contentWords('configured horizontal pod autoscaling'));
    assert.deepEqual(identifiers('`CORS_ORIGIN` and `PORT` set; NODE_ENV=production'), ['CORS_ORIGIN', 'NODE_ENV', 'PORT']);
    // outbound traffic is egress; a least-privileged or unprivileged user is a non-root one
    assert.deepEqual(contentWords('Outbound traffic restricted'), contentWords('Egress restricted'));
    assert.deepEqual(contentWords('Run as a least-privileged user'), contentWords('Run as non-root'));
    assert.deepEqual(contentWords('Containers use unprivileged users'), contentWords('Containers use non-root'));
  });

  it('reads British spellings, open and hyphenated compounds and an image tagged latest as the words the rules use', () => {
    assert.deepEqual(contentWords('Predictable behaviour; in favour of COPY'), contentWords('Predictable behavior; in favor of COPY'));
    assert.deepEqual(contentWords('Analyse the licence'), contentWords('analyze the license'));
    assert.deepEqual(contentWords('Automatic scaling'), contentWords('autoscaling'));
    assert.deepEqual(contentWords('Time-outs on start-up'), contentWords('timeouts on startup'));
    assert.deepEqual(contentWords('Read-only file system'), contentWords('readonly filesystem'));
    assert.deepEqual(contentWords('Hard-coded entry point'), contentWords('hardcoded entrypoint'));
    // The stemmer gives "utilisation" and "utils" one stem; they mean different things.
    assert.notDeepEqual(contentWords('CPU utilisation'), contentWords('CPU utils'));
    assert.deepEqual(contentWords('CPU utilisation'), contentWords('CPU utilization'));
    // An image tagged latest asks for a pinned tag, as ":latest" does; a migration to the latest version does not.
    assert.deepEqual(contentWords('No `nginx:latest`'), contentWords('No `:latest` tag'));
    assert.ok(!contentWords('knex migrate:latest').includes('pin'));
  });

  it('links paraphrases that no phrasing spells out, with the matched phrasing as the reason', () => {
    const cases: [string, string][] = [
      ['CPU and memory limits set on every container', 'k8s.resources.limits'],
      ['Liveness probes configured for all deployments', 'k8s.probes.liveness'],
      ['Readiness probes on every Deployment', 'k8s.probes.readiness'],
      ['Containers run as a non-root user', 'docker.user.non-root'],
      ['Horizontal Pod Autoscaler configured', 'k8s.hpa'],
      ['PodDisruptionBudget defined', 'k8s.pdb'],
      ['Docker images use pinned version tags', 'docker.image.pinned'],
      ['Image vulnerability scanning in CI', 'ci.image-scan'],
      ['Multi-stage Docker builds', 'docker.multi-stage'],
    ];
    for (const [text, id] of cases) {
      const links = index.link(text);
      assert.ok(links.some((l) => l.id === id), `"${text}" should link to ${id}, got ${JSON.stringify(links)}`);
      assert.match(links.find((l) => l.id === id)!.reason, /^matched "/);
    }
  });

  it('links a line to every rule it bundles', () => {
    assert.deepEqual(ids('Set requests and limits for CPU and memory').sort(), ['k8s.resources.limits', 'k8s.resources.requests']);
    assert.deepEqual(ids('Use readiness and liveness probes').sort(), ['k8s.probes.liveness', 'k8s.probes.readiness']);
  });

  it('links a line that names an environment variable to the rule about it', () => {
    const [link] = index.link('`CORS_ORIGIN` points at the production domain');
    assert.equal(link.id, 'env.cors-origin');
    assert.equal(link.reason, 'mentions CORS_ORIGIN');
  });

  it('does not link operational lines that only share a word with a rule', () => {
    for (const text of ['Memory usage is stable and within limits', 'Health checks are passing', 'Load testing passed', 'Rotate secrets regularly', 'Use node autoscaling', 'Right-size pod resources', 'Replica set with minimum 3 nodes', 'Staging deployment successful', 'Team trained on operations']) {
      assert.deepEqual(
        index.link(text).filter((l) => targets.find((t) => t.id === l.id)?.mode === 'auto'),
        [],
        `"${text}" should not link to an automated rule`,
      );
    }
  });
});

describe('Markdown linking: the lexicon is rule data', () => {
  const items = builtinChecklists().flatMap((c) => c.sections.flatMap((s) => s.items));

  it("each phrasing of the reference checklists' catalogue is in the lexicon of the rules it maps to", () => {
    // A catalogue id names a rule (its phrasings are the rule's `matches`) or a family of finer rules (each has them
    // as `broaderMatches`). Phrasings that state an outcome or an activity are left out of an automated rule's
    // lexicon: a check of files cannot see them.
    // Left out too, per rule: phrasings that, on checklists other teams wrote, link lines the rule cannot settle. A
    // bare "HTTPS/TLS configured" is as often the load balancer's or the app's as the Ingress's; "Integration tests"
    // asks for the tests (scripts.test.integration) unless a pipeline heading says otherwise; a phrasing that is
    // only a variable the rule reads (`DATABASE_SSL=true`) links by that name, not by its words ("SSL" = "HTTPS");
    // "Secrets properly stored" is said of a secrets manager or encryption as often as of Kubernetes Secrets.
    const leftOut: Record<string, readonly string[]> = {
      'k8s.ingress.tls': ['HTTPS/TLS configured', 'SSL/TLS configured'],
      'k8s.secrets.secret-ref': ['Secrets properly stored (Kubernetes Secrets, etc.)'],
      'ci.test': ['Integration tests'],
      'env.db.ssl': ['DATABASE_SSL is enabled (`true`)', '`DATABASE_SSL=true`'],
    };
    const missing: string[] = [];
    const catalogue = catalogueTargets();
    // The catalogue entry an item belongs to: its own id, or the longest catalogue id it extends.
    const entryOf = (id: string) => catalogue.filter((e) => id === e.id || id.startsWith(`${e.id}.`)).sort((a, b) => b.id.length - a.id.length)[0];
    for (const entry of catalogue) {
      const family = items.filter((i) => i.id === entry.id || i.id.startsWith(`${entry.id}.`));
      for (const item of family) {
        const own = [item.title, ...item.matches, ...item.broaderMatches];
        const wanted = entry.matches.filter((p) => !(item.check && !item.evidence && (/^\s*(run|verify|test|check)\b/i.test(p) || /\bpass(ing|ed)?\b|successful|working|verified/i.test(p))) && !leftOut[entry.id]?.includes(p));
        if (entryOf(item.id) !== entry) continue;
        for (const p of wanted) if (!own.includes(p)) missing.push(`${item.id}: ${p}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('the lexicon is validated with the rule: phrasings are non-empty text', () => {
    for (const item of items) for (const p of [...item.matches, ...item.broaderMatches]) assert.ok(p.trim().length > 0, item.id);
    assert.ok(items.filter((i) => i.broaderMatches.length > 0).length >= 20, 'finer rules carry the phrasings of the requirement they are part of');
  });
});

describe('Markdown linking: pins and statuses', () => {
  const targets: LinkTarget[] = [
    { id: 'k8s.pod-security.privileged', title: 'Containers are not privileged', matches: [], mode: 'auto', aliases: ['kube-linter:privileged-container'] },
    { id: 'k8s.pod-security.read-only-root', title: 'Read-only root filesystem', matches: [], mode: 'auto' },
    { id: 'docs.rollback', title: 'Rollback procedure documented', matches: ['Rollback procedures documented'], mode: 'manual' },
  ];

  it('resolves pinned ids exactly, by catalogue prefix, and by peer alias', () => {
    assert.deepEqual(resolvePin('k8s.pod-security.privileged', targets).map((t) => t.id), ['k8s.pod-security.privileged']);
    assert.deepEqual(resolvePin('k8s.pod-security', targets).map((t) => t.id), ['k8s.pod-security.privileged', 'k8s.pod-security.read-only-root']);
    assert.deepEqual(resolvePin('kube-linter:privileged-container', targets).map((t) => t.id), ['k8s.pod-security.privileged']);
    assert.deepEqual(resolvePin('k8s.pod', targets), [], 'a prefix must end at a dot');
  });

  it('pins override the text match; manual opts out; unknown ids are reported at the pin', () => {
    const text = [
      '# Release',
      '- [ ] Rollback procedures documented <!-- shipshape: k8s.pod-security -->',
      '- [ ] Rollback procedures documented <!-- shipshape: manual -->',
      '- [ ] Something else <!-- shipshape: no.such.rule, docs.rollback -->',
      '- [ ] Rollback procedures documented',
    ].join('\n');
    const parsed = parseMarkdownChecklist(text, 'CHECKLIST.md');
    const linked = linkChecklist({ path: 'CHECKLIST.md', model: parsed.model }, undefined, targets);
    assert.deepEqual(linked.items[0].links.map((l) => [l.id, l.reason, l.pinned]), [
      ['k8s.pod-security.privileged', 'pinned (k8s.pod-security)', true],
      ['k8s.pod-security.read-only-root', 'pinned (k8s.pod-security)', true],
    ]);
    assert.deepEqual(linked.items[1].links, []);
    assert.equal(linked.items[1].status, 'manual');
    assert.deepEqual(linked.items[2].links.map((l) => l.id), ['docs.rollback']);
    assert.deepEqual(linked.items[3].links.map((l) => [l.id, l.pinned]), [['docs.rollback', false]]);
    const [diag] = linked.diagnostics;
    assert.equal(diag.code, 'markdown.unknown-pin');
    assert.equal(diag.range.start.line, 3);
    assert.match(diag.message, /no\.such\.rule/);
    assert.equal(linked.diagnostics.length, 1);
  });
});

describe('Markdown linking: which files are readiness checklists', () => {
  const targets = catalogueTargets();
  const md = (path: string, text: string) => parseFile({ path, kind: 'markdown', text });
  const todo = '# Notes\n- [ ] Write the blog post\n- [x] Fix the typo in the intro\n- [ ] Ask Sam about the logo\n';
  const ops = '# Notes\n- [ ] Memory limits are configured appropriately\n- [ ] Use readiness and liveness probes\n- [ ] Ask Sam about the logo\n';

  it('keeps files named or titled like one, or whose items speak of rules; leaves a TODO list out unless configured', () => {
    const files = [md('docs/TODO.md', todo), md('docs/notes.md', ops), md('PRODUCTION_CHECKLIST.md', todo), md('docs/plan.md', todo.replace('# Notes', '# Go-live plan'))];
    assert.deepEqual(linkMarkdownFiles(files, undefined, targets).map((l) => l.file), ['PRODUCTION_CHECKLIST.md', 'docs/notes.md', 'docs/plan.md']);
    assert.deepEqual(linkMarkdownFiles(files, undefined, targets, ['docs/TODO.md']).map((l) => l.file), ['PRODUCTION_CHECKLIST.md', 'docs/TODO.md', 'docs/notes.md', 'docs/plan.md']);
  });

  it('a changelog, release notes or a GitHub template records what was done: not one, whatever its items say, unless configured', () => {
    // merged pull requests as ticked items, some of which read like rules
    const merged = '# Changelog\n\n### 1.5.0\n- [x] #7665 Add option to force enabling snippet directives\n- [x] #7521 Set memory limits on the controller\n- [x] #7463 Add readiness and liveness probes\n';
    const names = ['Changelog.md', 'CHANGELOG-1.5.md', 'changelog/controller-1.5.0.md', 'docs/release-notes/v1.md', 'NEWS.md', '.github/PULL_REQUEST_TEMPLATE.md', '.github/ISSUE_TEMPLATE/release.md'];
    assert.deepEqual(linkMarkdownFiles(names.map((n) => md(n, merged)), undefined, targets).map((l) => l.file), []);
    // the same items elsewhere speak of rules; a release checklist is one, and so is a configured changelog
    assert.deepEqual(linkMarkdownFiles([md('docs/changes-to-make.md', merged), md('RELEASE.md', merged), md('CHANGELOG.md', merged)], undefined, targets, ['CHANGELOG.md']).map((l) => l.file), ['CHANGELOG.md', 'RELEASE.md', 'docs/changes-to-make.md']);
  });
});
