import type { AuditResult, Finding, Position, Problem } from '../model';

export const TOOL_NAME = 'shipshape';

/**
 * The JSON report: a documented contract (see README, "JSON output"). Ranges are 0-based;
 * file paths are relative to the root with forward slashes. Every finding is listed; one about the
 * repository as a whole has `scope: "repository"` and neither file nor range.
 */
export function toJsonReport(result: AuditResult, version: string): string {
  return [...jsonReportChunks(result, version)].join('');
}

/**
 * The JSON report in pieces, byte for byte what `JSON.stringify(report, null, 2)` gives, for hosts that
 * stream it: half a million findings make a text longer than a JavaScript string may be.
 */
export function* jsonReportChunks(result: AuditResult, version: string): Generator<string> {
  const findings: unknown[] = [];
  const report = {
    tool: { name: TOOL_NAME, version },
    root: result.root,
    summary: {
      files: result.summary.files,
      findings: result.summary.findings,
      errors: result.summary.errors,
      warnings: result.summary.warnings,
      infos: result.summary.infos,
      passed: result.summary.passed,
      failed: result.summary.failed,
      manual: result.summary.manual,
      notApplicable: result.summary.notApplicable,
      suppressed: result.summary.suppressed,
      unaudited: result.summary.unaudited,
      unauditedItems: result.summary.unauditedItems,
      unauditedPolicy: result.summary.unauditedPolicy,
      nothingToAudit: result.summary.nothingToAudit,
      score: result.summary.score,
    },
    items: result.items.map((i) => ({
      id: i.id,
      title: i.title,
      checklist: i.checklist,
      section: i.section,
      severity: i.severity,
      status: i.status,
      mode: i.mode,
      aliases: i.aliases,
      findings: i.findings.length,
      evidence: i.evidence.map((e) => ({ file: e.file, message: e.message, range: e.range })),
      ...(i.attestation ? { attestation: i.attestation } : {}),
    })),
    findings,
    problems: result.problems.map((p: Problem) => ({ file: p.file, message: p.message, severity: p.severity ?? 'error', ...(p.range ? { range: p.range } : {}) })),
    unaudited: result.unaudited.map((u) => ({ file: u.file, reason: u.reason, scope: u.scope, range: u.range, ...(u.kind ? { kind: u.kind } : {}), ...(u.object ? { object: u.object } : {}), ...(u.rules ? { rules: u.rules } : {}), ...(u.awaiting ? { awaiting: u.awaiting } : {}) })),
  };
  const quoter = new Quoter();
  yield* jsonWithList(report, findings, result.findings, findingObject, (f, pad) => findingText(f, pad, quoter));
  yield '\n';
}

/** A finding as the JSON report lists it. */
function findingObject(f: Finding): unknown {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    // a repository finding is about no file and no line
    ...(f.scope === 'repository' ? { scope: 'repository' } : { file: f.file, range: f.range }),
    ...(f.object ? { object: f.object } : {}),
    ...(f.container ? { container: f.container } : {}),
    fixable: f.fixable,
  };
}

const quote = JSON.stringify;
const isText = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPosition = (p: Position | undefined): p is Position => !!p && isCount(p.line) && isCount(p.character);

/**
 * Quoting for one report's findings: rule ids and severities (a few hundred, repeated over every finding) are
 * quoted once each, and a file path once for its run of findings (findings come file by file).
 */
class Quoter {
  private readonly names = new Map<string, string>();
  private file = '';
  private fileQuoted = '""';

  name(name: string): string {
    let q = this.names.get(name);
    if (q === undefined) this.names.set(name, (q = quote(name)));
    return q;
  }

  path(file: string): string {
    if (this.file !== file) {
      this.file = file;
      this.fileQuoted = quote(file);
    }
    return this.fileQuoted;
  }
}

/** The fixed text between a finding's values at one depth (`pad`), made once per depth. */
interface FindingFrame {
  ruleId: string;
  severity: string;
  message: string;
  scope: string;
  file: string;
  start: string;
  startCharacter: string;
  end: string;
  endCharacter: string;
  rangeEnd: string;
  object: string;
  container: string;
  fixable: string;
  close: string;
}

const frames = new Map<string, FindingFrame>();

function frameAt(pad: string): FindingFrame {
  let f = frames.get(pad);
  if (f) return f;
  const p1 = `${pad}  `;
  const p2 = `${p1}  `;
  const p3 = `${p2}  `;
  f = {
    ruleId: `{\n${p1}"ruleId": `,
    severity: `,\n${p1}"severity": `,
    message: `,\n${p1}"message": `,
    scope: `,\n${p1}"scope": "repository"`,
    file: `,\n${p1}"file": `,
    start: `,\n${p1}"range": {\n${p2}"start": {\n${p3}"line": `,
    startCharacter: `,\n${p3}"character": `,
    end: `\n${p2}},\n${p2}"end": {\n${p3}"line": `,
    endCharacter: `,\n${p3}"character": `,
    rangeEnd: `\n${p2}}\n${p1}}`,
    object: `,\n${p1}"object": `,
    container: `,\n${p1}"container": `,
    fixable: `,\n${p1}"fixable": `,
    close: `\n${pad}}`,
  };
  frames.set(pad, f);
  return f;
}

/**
 * `findingObject(f)` as `JSON.stringify(…, null, 2)` writes it at depth `pad`, byte for byte, without the
 * object in between; undefined for a finding of another shape (a value not of its type), which the
 * caller then writes through `findingObject`. Tens of thousands of findings make the bulk of a report:
 * the fixed text comes in a few pieces made once, since every piece of a joined string is an object
 * that writing it has to visit.
 */
function findingText(f: Finding, pad: string, q: Quoter): string | undefined {
  if (!isText(f.ruleId) || !isText(f.severity) || !isText(f.message) || typeof f.fixable !== 'boolean') return undefined;
  if ((f.object && !isText(f.object)) || (f.container && !isText(f.container))) return undefined;
  const k = frameAt(pad);
  let s = k.ruleId + q.name(f.ruleId) + k.severity + q.name(f.severity) + k.message + quote(f.message);
  if (f.scope === 'repository') s += k.scope;
  else {
    const r = f.range;
    if (!isText(f.file) || !r || !isPosition(r.start) || !isPosition(r.end)) return undefined;
    s += k.file + q.path(f.file) + k.start + r.start.line + k.startCharacter + r.start.character + k.end + r.end.line + k.endCharacter + r.end.character + k.rangeEnd;
  }
  if (f.object) s += k.object + quote(f.object);
  if (f.container) s += k.container + quote(f.container);
  return s + k.fixable + f.fixable + k.close;
}

/**
 * How many elements of a long list make one piece of its text. A piece is built by concatenation (a chain of
 * parts that writing it joins into one string) and a hundred findings make about 60 KB: joining a piece of a
 * thousand (600 KB, a string too large for the young generation) took twice as long per character.
 */
export const LIST_PIECE = 100;

/**
 * `JSON.stringify(value, null, 2)` in pieces, byte for byte, for a value that holds one long list: `value`
 * holds `slot` (an empty array, found by identity) where the list goes, and the list's elements are made by
 * `make` (or written by `write`, at the indentation it is given, when it gives the same text faster) and
 * written {@link LIST_PIECE} at a time, so neither all of them nor the whole text is ever in memory.
 */
export function* jsonWithList<T>(value: unknown, slot: readonly unknown[], items: readonly T[], make: (item: T) => unknown, write?: (item: T, pad: string) => string | undefined): Generator<string> {
  const { text, at, token } = withMarker(value, slot);
  const rest = text.slice(at + token.length);
  if (items.length === 0) {
    yield `${text.slice(0, at)}[]`;
    yield rest;
    return;
  }
  const outer = /^ */.exec(text.slice(text.lastIndexOf('\n', at) + 1))![0];
  const inner = `${outer}  `;
  yield `${text.slice(0, at)}[`;
  for (let i = 0; i < items.length; i += LIST_PIECE) {
    let chunk = '';
    for (let j = i; j < Math.min(items.length, i + LIST_PIECE); j++) chunk += `${j === 0 ? '' : ','}\n${inner}${write?.(items[j], inner) ?? JSON.stringify(make(items[j]), null, 2).replace(/\n/g, `\n${inner}`)}`;
    yield chunk;
  }
  yield `\n${outer}]${rest}`;
}

/**
 * `value` as JSON with a string in place of `slot`, and where that string is: one that the value's own strings
 * do not also spell (a NUL-delimited marker, tried with another number until it occurs once).
 */
function withMarker(value: unknown, slot: readonly unknown[]): { text: string; at: number; token: string } {
  for (let n = 0; n < 16; n++) {
    const marker = `\u0000list ${n}\u0000`;
    const text = JSON.stringify(value, (_key, v: unknown) => (v === slot ? marker : v), 2);
    const token = JSON.stringify(marker);
    const at = text.indexOf(token);
    if (at === -1) throw new Error('jsonWithList: the slot is not in the value');
    if (text.indexOf(token, at + 1) === -1) return { text, at, token };
  }
  throw new Error('jsonWithList: the slot is in the value more than once');
}
