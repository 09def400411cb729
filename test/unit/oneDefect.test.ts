import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { AuditResult, Finding } from '../../src/engine/model';
import { auditFixture, FIXTURES, REPO, SHARED } from './helpers';

/**
 * One defect, one finding: where two rules would report the same line, one owns it (docs/rules name the
 * owner) and the other stays silent there. Each pair is checked on the rule fixtures that show the
 * defect and swept over the rule fixtures, both conformance corpora, examples/ and microservices-demo.
 */
const PAIRS: { owner: string; other: string; why: string }[] = [
  { owner: 'docker.deps.npm-ci', other: 'docker.deps.production-only', why: 'an `npm install` that also keeps devDependencies' },
  { owner: 'docker.user.non-root', other: 'docker.user.numeric', why: 'USER root by name' },
  { owner: 'k8s.pod-security.privileged', other: 'k8s.pod-security.allow-privilege-escalation', why: 'a privileged container' },
  { owner: 'k8s.api.removed-versions', other: 'k8s.manifests.schema', why: 'a removed apiVersion' },
  { owner: 'k8s.selector-matches-template', other: 'k8s.manifests.schema', why: 'an apps/v1 workload without spec.selector' },
  { owner: 'k8s.probes.readiness', other: 'k8s.probes.service-readiness', why: 'a container without a readiness probe behind a Service' },
];

const RULES = path.join(FIXTURES, 'rules');
const findingsOf = (r: AuditResult, id: string): Finding[] => r.items.find((i) => i.id === id)?.findings ?? [];
const at = (f: Finding) => `${f.file}:${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;

/** `file:range` where both rules of a pair report. */
function doubled(r: AuditResult): string[] {
  const out: string[] = [];
  for (const p of PAIRS) {
    const owned = new Set(findingsOf(r, p.owner).map(at));
    for (const f of findingsOf(r, p.other)) if (owned.has(at(f))) out.push(`${p.owner} + ${p.other} at ${at(f)}`);
  }
  return out;
}

function targets(): string[] {
  const out: string[] = [];
  for (const rule of readdirSync(RULES)) for (const n of readdirSync(path.join(RULES, rule))) if (!/\.fixed(\.|$)/.test(n)) out.push(path.join(RULES, rule, n));
  for (const dir of [path.join(SHARED, 'conformance'), path.join(FIXTURES, 'conformance'), path.join(FIXTURES, 'conformance-extra')]) {
    for (const peer of readdirSync(dir)) {
      const p = path.join(dir, peer);
      if (statSync(p).isDirectory()) for (const check of readdirSync(p)) out.push(path.join(p, check));
    }
  }
  out.push(path.join(FIXTURES, 'one-defect', 'no-selector.yaml'), path.join(REPO, 'examples', 'shop'), path.join(SHARED, 'corpus', 'realworld', 'microservices-demo'));
  return out;
}

describe('one defect, one finding', () => {
  it('the owner reports the defect and the other rule stays silent there (rule fixtures)', async () => {
    const cases: [string, string, string][] = [
      ['docker.deps.npm-ci/fail.Dockerfile', 'docker.deps.npm-ci', 'docker.deps.production-only'],
      ['docker.user.non-root/fail-root-last.Dockerfile', 'docker.user.non-root', 'docker.user.numeric'],
      ['docker.user.non-root/fail-quoted-root.Dockerfile', 'docker.user.non-root', 'docker.user.numeric'],
      ['k8s.pod-security.privileged/fail.yaml', 'k8s.pod-security.privileged', 'k8s.pod-security.allow-privilege-escalation'],
      ['k8s.api.removed-versions/fail.yaml', 'k8s.api.removed-versions', 'k8s.manifests.schema'],
      ['k8s.api.removed-versions/fail-ingress.yaml', 'k8s.api.removed-versions', 'k8s.manifests.schema'],
      ['k8s.manifests.schema/pass-removed-api.yaml', 'k8s.api.removed-versions', 'k8s.manifests.schema'],
      ['../one-defect/no-selector.yaml', 'k8s.selector-matches-template', 'k8s.manifests.schema'],
    ];
    for (const [fixture, owner, other] of cases) {
      const r = await auditFixture(path.join(RULES, fixture));
      const own = findingsOf(r, owner);
      assert.ok(own.length > 0, `${owner} reports ${fixture}`);
      const mine = new Set(own.map(at));
      assert.deepEqual(findingsOf(r, other).filter((f) => mine.has(at(f))).map(at), [], `${other} repeats ${owner} on ${fixture}`);
    }
  });

  it('the rule that is not the owner still reports where the owner does not', async () => {
    // npm ci keeps devDependencies but follows the lockfile; a named non-root user; an unprivileged container; a typo in apiVersion
    const ci = await auditFixture(path.join(RULES, 'docker.deps.production-only', 'fail.Dockerfile'));
    assert.equal(findingsOf(ci, 'docker.deps.production-only').length, 1);
    assert.equal(findingsOf(ci, 'docker.deps.npm-ci').length, 0);
    const named = await auditFixture(path.join(RULES, 'docker.user.numeric', 'fail.Dockerfile'));
    assert.equal(findingsOf(named, 'docker.user.numeric').length, 1);
    const unset = await auditFixture(path.join(RULES, 'k8s.pod-security.allow-privilege-escalation', 'fail.yaml'));
    assert.ok(findingsOf(unset, 'k8s.pod-security.allow-privilege-escalation').length > 0);
  });

  it('no pair reports the same place anywhere in the fixtures, the conformance corpora, examples/ and microservices-demo', async function () {
    this.timeout(300000);
    const seen: string[] = [];
    for (const t of targets()) for (const d of doubled(await auditFixture(t))) seen.push(`${path.relative(REPO, t)}: ${d}`);
    assert.deepEqual(seen, []);
  });
});
