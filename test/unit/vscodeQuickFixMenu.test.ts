// The light bulb's menu as plain data (src/vscode/quickFixMenu.ts, no vscode import), built from the engine's
// own findings and fixes on the example Deployment: fixes most severe first, one entry per group of fixes one
// container needs from the same template, one ignore and one docs entry per line.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/audit';
import { ignoreScopes } from '../../src/engine/fixes/ignore';
import { computeFix, fixAll } from '../../src/engine/fixes/run';
import type { Finding } from '../../src/engine/model';
import { parseKubernetes } from '../../src/engine/parse/kubernetes';
import { docsTitle, ignoreTitle, quickFixMenu, type Offer } from '../../src/vscode/quickFixMenu';
import { builtinChecklists, REPO } from './helpers';

const FILE = 'k8s/deployment.yaml';
const EXAMPLE = readFileSync(path.join(REPO, 'examples', 'shop', FILE), 'utf8');

function engineWith(text: string): Engine {
  const engine = new Engine(builtinChecklists());
  engine.upsert({ path: FILE, text, kind: 'kubernetes' });
  return engine;
}

/** The offers the editor builds for the findings on one line (0-based), as codeActions.ts does. */
function offersOn(engine: Engine, line: number): Offer<string>[] {
  const findings = engine.audit().findings.filter((f) => f.file === FILE && f.range.start.line === line);
  return findings.map((f) => {
    const fix = f.fixable ? computeFix(engine, f) : undefined;
    const scopes = ignoreScopes('kubernetes', FILE);
    if (!fix || !('edits' in fix)) return { diagnostic: f.ruleId, finding: f, scopes };
    return { diagnostic: f.ruleId, finding: f, scopes, fix: { title: fix.title, changesBehaviour: fix.changesBehaviour, groupTitle: engine.item(f.ruleId)?.fix?.template.groupTitle } };
  });
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

describe('vscode adapter: quick-fix menu', () => {
  it('the example container line: one entry per fix, most severe first, one ignore and one docs entry', () => {
    const engine = engineWith(EXAMPLE);
    const offers = offersOn(engine, lineOf(EXAMPLE, '- name: api'));
    const fixable = offers.filter((o) => o.fix);
    assert.ok(fixable.length >= 5, `several fixes on the line: ${offers.map((o) => o.finding.ruleId).join(', ')}`);
    const menu = quickFixMenu(offers);
    // securityContext fields are separate decisions (runAsNonRoot can stop a root image from starting)
    assert.equal(menu.fixes.length, fixable.length);
    assert.ok(menu.fixes.every((f) => !f.grouped));
    // most severe first; only the first is preferred
    const ranks = menu.fixes.map((f) => Math.min(...f.offers.map((o) => ({ error: 0, warning: 1, info: 2 })[o.finding.severity])));
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    assert.deepEqual(menu.fixes.map((f) => f.preferred), menu.fixes.map((_, i) => i === 0));
    // a fix that changes how the workload runs says so (and goes through the preview)
    for (const f of menu.fixes) assert.equal(f.title.endsWith(' — changes behaviour'), f.offers.some((o) => o.fix?.changesBehaviour), f.title);
    // ignore: every rule on this line or for the object, chosen from one entry; docs: one entry for every rule
    assert.equal(menu.ignore.length, offers.length * 2);
    assert.equal(ignoreTitle(menu.ignore), 'Ignore a Shipshape finding here…');
    assert.deepEqual(menu.docs, [...new Set(offers.map((o) => o.finding.ruleId))]);
    assert.equal(docsTitle(menu.docs), 'Show Shipshape rule docs…');
  });

  it('a container without resources: one "Add resources (requests and limits)" fix instead of four, applied together', () => {
    const text = EXAMPLE.replace(/ {10}resources:\n {12}requests:\n {14}cpu: 250m\n {14}memory: 256Mi\n/, '');
    assert.notEqual(text, EXAMPLE);
    const engine = engineWith(text);
    const line = lineOf(text, '- name: api');
    const offers = offersOn(engine, line);
    const resources = offers.filter((o) => /^k8s\.resources\.(requests|limits)\.(cpu|memory)$/.test(o.finding.ruleId));
    assert.equal(resources.length, 4, offers.map((o) => o.finding.ruleId).join(', '));
    const menu = quickFixMenu(offers);
    const entry = menu.fixes.filter((f) => f.offers.some((o) => o.finding.ruleId.startsWith('k8s.resources.')));
    assert.equal(entry.length, 1);
    assert.equal(entry[0].title, 'Add resources (requests and limits) — changes behaviour');
    // applied as the editor applies a group: the fixes of those rules, for this container only
    const first = entry[0].offers[0].finding;
    const rules = new Set(entry[0].offers.map((o) => o.finding.ruleId));
    const r = fixAll(engine, { files: new Set([FILE]), rules, where: (f: Finding) => f.object === first.object && f.container === first.container });
    assert.equal(r.applied.length, 4);
    const after = r.files.get(FILE)!.after;
    assert.equal(parseKubernetes(after, FILE).problems.length, 0);
    assert.ok(after.startsWith(text.slice(0, text.indexOf('          readinessProbe:'))), 'bytes before the insertion are kept');
    assert.match(after, / {10}resources:\n/);
    for (const part of [/ {12}requests:\n {14}cpu: 250m\n {14}memory: 256Mi\n/, / {12}limits:\n {14}cpu: 500m\n {14}memory: 512Mi\n/]) assert.match(after, part);
    const left = engineWith(after).audit().findings.filter((f) => rules.has(f.ruleId));
    assert.deepEqual(left, [], 'the grouped findings are gone');
  });

  it('one finding with one place to ignore it: the entries name the rule', () => {
    const f = { ruleId: 'x.rule', file: 'Dockerfile', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } }, message: 'm', severity: 'warning', fixable: true } as Finding;
    const menu = quickFixMenu([{ diagnostic: 1, finding: f, scopes: ['line'], fix: { title: 'Add USER' } }]);
    assert.deepEqual(menu.fixes.map((e) => [e.title, e.preferred, e.grouped]), [['Add USER', true, false]]);
    assert.equal(ignoreTitle(menu.ignore), 'Ignore x.rule here…');
    assert.equal(docsTitle(menu.docs), 'Show docs for x.rule');
  });
});
