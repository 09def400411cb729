import type { Problem, Range } from '../model';
import { LineIndex } from '../text';
import { jsonPlaces, type JsonMember } from './jsonPlaces';

export interface PackageJsonModel {
  /** The parsed object, or undefined when the JSON is invalid. */
  json?: Record<string, unknown>;
  name?: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** Key ranges of top-level properties and of each script, for squiggles. */
  keyRanges: Map<string, Range>;
  scriptRanges: Map<string, Range>;
  /** Key ranges of each dependency, by name (dependencies, devDependencies, optional and peer). */
  dependencyRanges: Map<string, Range>;
  /** Value ranges of each script command. */
  scriptValueRanges: Map<string, Range>;
  /** Range of the whole document's first line, for "missing" findings. */
  topRange: Range;
}

function strings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Parses package.json with positions (JSON.parse for the value, then one scan for where its keys and values sit). */
export function parsePackageJson(text: string, file: string): { model: PackageJsonModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const topRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const keyRanges = new Map<string, Range>();
  const scriptRanges = new Map<string, Range>();
  const scriptValueRanges = new Map<string, Range>();
  const dependencyRanges = new Map<string, Range>();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    else problems.push({ file, message: 'package.json: the top level is not an object', range: topRange, severity: 'error', unaudited: 'file' });
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : 0;
    const before = text.slice(0, pos);
    const line = before.split('\n').length - 1;
    const character = pos - (before.lastIndexOf('\n') + 1);
    // V8 quotes the text around the error (`Unexpected token 'h', ..."TOKEN": hunter2"... is not valid JSON`): never print file content.
    const reason = (e as Error).message.split('\n')[0].replace(/,?\s*(\.\.\.)?".*"(\.\.\.)?\s*is not valid JSON$/, '');
    problems.push({ file, message: `package.json: invalid JSON (${reason})`, range: { start: { line, character }, end: { line, character: character + 1 } }, severity: 'error', unaudited: 'file' });
  }
  // places of keys and values: one scan of the text JSON.parse accepted (it also finds a repeated key)
  const places = json ? jsonPlaces(text) : undefined;
  const lines = places ? new LineIndex(text) : undefined;
  if (places?.duplicate && lines) {
    // JSON.parse keeps the last of two equal keys, the places would be the first's: neither is audited
    const { member, first } = places.duplicate;
    const name = member.key.length > 80 ? `${member.key.slice(0, 80)}…` : member.key;
    const message = `Duplicate key "${name}" (first at line ${lines.lineAt(first.keyStart) + 1})`;
    problems.push({ file, message: `package.json: ${message}; npm keeps the last value, so the file is not audited`, range: lines.range(member.keyStart, member.keyEnd), severity: 'error', unaudited: 'file' });
    json = undefined;
  }
  const root = json && places?.root.members;
  if (root && lines) {
    const keyRange = (m: JsonMember): Range => lines.range(m.keyStart, m.keyEnd);
    const member = (key: string): JsonMember | undefined => root.find((m) => m.key === key);
    for (const m of root) keyRanges.set(m.key, keyRange(m));
    for (const m of member('scripts')?.value.members ?? []) {
      scriptRanges.set(m.key, keyRange(m));
      scriptValueRanges.set(m.key, lines.range(m.value.start, m.value.end));
    }
    for (const section of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'])
      for (const m of member(section)?.value.members ?? []) if (!dependencyRanges.has(m.key)) dependencyRanges.set(m.key, keyRange(m));
  }
  return {
    model: {
      json,
      name: typeof json?.name === 'string' ? json.name : undefined,
      scripts: strings(json?.scripts),
      dependencies: strings(json?.dependencies),
      devDependencies: strings(json?.devDependencies),
      keyRanges,
      scriptRanges,
      scriptValueRanges,
      dependencyRanges,
      topRange,
    },
    problems,
  };
}
