import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { AuditResult, Finding } from '../../src/engine/model';
import { toJsonReport } from '../../src/engine/report/json';
import { scanFolder } from '../../src/node/host';

const ROOT = path.join(__dirname, '..', '..');

/** What the JSON report lists for a finding, as its documented contract says. */
function expected(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = { ruleId: f.ruleId, severity: f.severity, message: f.message };
  if (f.scope === 'repository') o.scope = 'repository';
  else Object.assign(o, { file: f.file, range: { start: f.range.start, end: f.range.end } });
  if (f.object) o.object = f.object;
  if (f.container) o.container = f.container;
  o.fixable = f.fixable;
  return o;
}

/** The report as JSON.stringify lays it out, for a text that must equal it byte for byte. */
const relaid = (json: string): string => `${JSON.stringify(JSON.parse(json), null, 2)}\n`;

describe('JSON report: findings written directly', () => {
  let result: AuditResult;
  before(async function () {
    this.timeout(120_000);
    ({ result } = await scanFolder(path.join(ROOT, 'examples'), { render: false }));
  });

  it('lists every finding of a real scan with the contract keys, in JSON.stringify layout', () => {
    assert.ok(result.findings.length > 20, 'the example repository has findings');
    assert.ok(result.findings.some((f) => f.object) && result.findings.some((f) => f.container), 'some findings name an object and a container');
    const json = toJsonReport(result, '1.0.0');
    assert.equal(json, relaid(json));
    assert.deepEqual((JSON.parse(json) as { findings: unknown[] }).findings, result.findings.map(expected));
  });

  it('writes repository findings, quotes, control and non-ASCII characters, and unusual values as JSON.stringify would', () => {
    const base = result.findings[0];
    const odd: Finding[] = [
      { ...base, scope: 'repository', file: '', message: 'no CI "workflow" at all\n\ttab' },
      { ...base, message: 'naïve — ünïcödé \u2028 \u0000 \\ "q"', object: 'Deployment/a"b', container: 'c\u00e9' },
      { ...base, object: '', container: undefined, fixable: true },
      { ...base, range: { start: { line: 3, character: 4 }, end: { line: 3, character: 4 } } },
      // not of the finding's type: written through the generic path, still the same text
      { ...base, range: { start: { line: Number.NaN, character: 0 }, end: { line: 1, character: 0 } } },
      { ...base, message: undefined as unknown as string },
    ];
    const json = toJsonReport({ ...result, findings: odd }, '1.0.0');
    assert.equal(json, relaid(json));
    assert.deepEqual((JSON.parse(json) as { findings: unknown[] }).findings, JSON.parse(JSON.stringify(odd.map(expected))));
  });
});
