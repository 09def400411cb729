import type { Problem, Range } from '../model';
import { findPair, isMap, isScalar, nodeRange, parseYaml } from './yamlSupport';

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

/** Parses package.json with positions (JSON is parsed by the YAML parser, which keeps ranges). */
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
  const positions = json ? parseYaml(text, file) : undefined;
  const dup = positions?.docs[0]?.errors[0];
  if (positions && dup?.code === 'DUPLICATE_KEY') {
    // JSON.parse keeps the last of two equal keys, the positions would be the first's: neither is audited
    const at = positions.problems.find((p) => p.unaudited)?.range;
    problems.push({ file, message: `package.json: ${dup.message}; npm keeps the last value, so the file is not audited`, range: at ?? topRange, severity: 'error', unaudited: 'file' });
    json = undefined;
  }
  if (json && positions) {
    const { docs, lineCounter } = positions;
    const root = docs[0]?.contents;
    if (isMap(root)) {
      for (const item of root.items) {
        if (!isScalar(item.key)) continue;
        const r = nodeRange(lineCounter, item.key);
        if (r) keyRanges.set(String(item.key.value), r);
      }
      const scripts = findPair(root, 'scripts');
      if (scripts && isMap(scripts.value)) {
        for (const item of scripts.value.items) {
          if (!isScalar(item.key)) continue;
          const r = nodeRange(lineCounter, item.key);
          if (r) scriptRanges.set(String(item.key.value), r);
          const vr = nodeRange(lineCounter, item.value as never);
          if (vr) scriptValueRanges.set(String(item.key.value), vr);
        }
      }
      for (const section of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        const deps = findPair(root, section);
        if (!deps || !isMap(deps.value)) continue;
        for (const item of deps.value.items) {
          if (!isScalar(item.key)) continue;
          const r = nodeRange(lineCounter, item.key);
          if (r && !dependencyRanges.has(String(item.key.value))) dependencyRanges.set(String(item.key.value), r);
        }
      }
    }
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
