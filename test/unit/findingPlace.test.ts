import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { computeFix } from '../../src/engine/fixes/run';
import type { Finding } from '../../src/engine/model';
import { reportFromAudit } from '../../src/engine/markdown/readiness';
import { toJsonReport } from '../../src/engine/report/json';
import { toMarkdownReport } from '../../src/engine/report/markdown';
import { REPOSITORY_LOCATION, toSarif } from '../../src/engine/report/sarif';
import { toTextReport } from '../../src/engine/report/text';
import { scanFolder } from '../../src/node/host';
import { auditFiles, FIXTURES, SHARED } from './helpers';

const PLACE = path.join(FIXTURES, 'findingPlace');
const DEMO = path.join(SHARED, 'corpus', 'realworld', 'microservices-demo');

const at = (f: Finding) => `${f.ruleId} ${f.scope === 'repository' ? 'repository' : `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`}`;

async function scan(dir: string): Promise<Pick<Awaited<ReturnType<typeof scanFolder>>, 'result' | 'engine'>> {
  const { result, engine } = await scanFolder(dir);
  return { result, engine };
}

describe('where findings are', () => {
  it('a repository without CI, compose file or root .gitignore gets repository findings, not line 1 of package.json', async () => {
    const { result } = await scan(path.join(PLACE, 'node-api'));
    const repo = result.findings.filter((f) => f.scope === 'repository').map((f) => f.ruleId);
    for (const id of ['ci.test', 'ci.lint', 'ci.docker-build', 'compose.present', 'repo.gitignore.env']) assert.ok(repo.includes(id), `${id} is a repository finding: ${repo.join(', ')}`);
    for (const f of result.findings.filter((x) => x.scope === 'repository')) {
      assert.equal(f.file, '');
      assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    }
    // nothing of those rules lands on a file
    assert.deepEqual(result.findings.filter((f) => f.scope !== 'repository' && /^(ci\.|compose\.present|repo\.gitignore)/.test(f.ruleId)).map(at), []);
  });

  it('a missing env key points next to the related key, else where the new line goes', async () => {
    const { result } = await scan(path.join(PLACE, 'node-api'));
    const rate = result.findings.find((f) => f.ruleId === 'env.rate-limit')!;
    // RATE_LIMIT_WINDOW_MS=60000 is line 6: the empty range at its end
    assert.equal(at(rate), 'env.rate-limit .env.example:6:27');
    assert.deepEqual(rate.range.start, rate.range.end);
    const shutdown = result.findings.find((f) => f.ruleId === 'env.shutdown-timeout')!;
    // no SHUTDOWN_* key: after the last entry (DATABASE_URL= on line 9)
    assert.equal(at(shutdown), 'env.shutdown-timeout .env.example:9:14');
    assert.ok(!result.findings.some((f) => f.file === '.env.example' && f.range.start.line === 0), 'nothing on line 1 of .env.example');
  });

  it('with a workflow, missing CI steps point at its jobs key', async () => {
    const { result } = await scan(path.join(PLACE, 'with-ci'));
    const lint = result.findings.find((f) => f.ruleId === 'ci.lint')!;
    assert.equal(at(lint), 'ci.lint .github/workflows/ci.yml:3:1');
    assert.equal(result.findings.find((f) => f.ruleId === 'ci.test'), undefined, 'npm ci and npm test run');
  });

  it('outputs: JSON without file or range, SARIF at the root with no region, text under Repository', async () => {
    const { result, engine } = await scan(path.join(PLACE, 'node-api'));
    const json = JSON.parse(toJsonReport(result, '0.0.0')) as { findings: Record<string, unknown>[] };
    const repo = json.findings.filter((f) => f.scope === 'repository');
    assert.ok(repo.length >= 5);
    for (const f of repo) assert.ok(!('file' in f) && !('range' in f), JSON.stringify(f));
    const sarif = JSON.parse(toSarif(result, engine.resolvedItems, '0.0.0')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: unknown } }[] }[] }[] };
    const compose = sarif.runs[0].results.find((r) => r.ruleId === 'compose.present')!;
    assert.deepEqual(compose.locations, [REPOSITORY_LOCATION]);
    assert.equal(compose.locations[0].physicalLocation.region, undefined);
    for (const r of sarif.runs[0].results) assert.ok(r.locations.length === 1 && r.locations[0].physicalLocation.artifactLocation.uri, 'every result has an artifact location (GitHub refuses others)');
    const text = toTextReport(result, { color: false });
    const lines = text.split('\n');
    assert.equal(lines[0], 'Repository');
    const composeLine = lines.find((l) => l.includes('compose.present'))!;
    assert.match(composeLine, /^\s+info\s+No docker-compose/);
    // the readiness report (report --format json, Markdown, HTML) gives them the repository, not a file and line
    const report = reportFromAudit(result);
    const locations = report.sections.flatMap((s) => s.entries).flatMap((e) => e.findings);
    const inRepo = locations.filter((l) => l.ruleId === 'compose.present');
    assert.deepEqual(inRepo.map((l) => [l.scope, 'file' in l, 'line' in l]), [['repository', false, false]]);
    assert.ok(locations.every((l) => l.scope === 'repository' || (typeof l.file === 'string' && l.file !== '' && typeof l.line === 'number')), 'every other location has a file and line');
    const markdown = toMarkdownReport(report);
    assert.match(markdown, /\*\*repository\*\* No docker-compose/);
    assert.doesNotMatch(markdown, /`:1`/);
  });

  it('the fix of a repository finding writes the file it names at the root', async () => {
    const { result, engine } = await scan(path.join(PLACE, 'node-api', '..', 'no-env'));
    const f = result.findings.find((x) => x.ruleId === 'env.node-env')!;
    assert.equal(f.scope, 'repository');
    const out = computeFix(engine, f);
    assert.ok('edits' in out, JSON.stringify(out));
    assert.deepEqual(out.edits.map((e) => [e.file, !!e.create, e.edits.map((x) => x.newText).join('')]), [['.env.production.example', true, 'NODE_ENV=production\n']]);
  });

  it('a floating tag is one finding: k8s.image.tag-pinned reports it, k8s.image.pull-policy waits for a pinned tag', () => {
    const text = readFileSync(path.join(PLACE, 'floating-tag.yaml'), 'utf8');
    const r = auditFiles([{ path: 'deploy.yaml', text }]);
    const status = (id: string) => r.items.find((i) => i.id === id)?.status;
    assert.equal(status('k8s.image.tag-pinned'), 'fail');
    assert.equal(status('k8s.image.pull-policy'), 'pass');
    // pinned, the same IfNotPresent is judged
    const pinned = auditFiles([{ path: 'deploy.yaml', text: text.replace('shop/api:latest', 'shop/api:1.4.2') }]);
    assert.equal(pinned.items.find((i) => i.id === 'k8s.image.tag-pinned')?.status, 'pass');
    assert.equal(pinned.items.find((i) => i.id === 'k8s.image.pull-policy')?.status, 'fail');
  });

  it('microservices-demo: nothing on line 1 of src/currencyservice/package.json', async () => {
    assert.ok(existsSync(DEMO), `${DEMO} is missing`);
    const { result } = await scan(DEMO);
    const pkg = result.findings.filter((f) => f.file === 'src/currencyservice/package.json' && f.range.start.line === 0);
    assert.deepEqual(pkg.map(at), []);
    const repo = result.findings.filter((f) => f.scope === 'repository').map((f) => f.ruleId);
    for (const id of ['ci.test', 'compose.present']) assert.ok(repo.includes(id), id);
  });
});
