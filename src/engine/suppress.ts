import { isMap, isPair, isScalar, isSeq } from './parse/yamlSupport';
import type { Finding, FileKind, Position } from './model';
import type { EnvModel } from './parse/dotenv';
import type { K8sModel } from './parse/kubernetes';
import { rangeContains, whitespaceCode } from './text';
import type { ParsedFile } from './workspace';

/** One suppression: the ids it names (rule ids, `tool:check` aliases, or `*`) and where it applies. */
interface Suppression {
  ids: Set<string>;
  reason?: string;
  by: string;
}

export interface FileSuppressions {
  /** Suppressions per 0-based line they apply to. */
  lines: Map<number, Suppression[]>;
  file: Suppression[];
  objects: { range: Finding['range']; s: Suppression }[];
}

const COMMENT_KINDS: ReadonlySet<FileKind> = new Set(['dockerfile', 'kubernetes', 'env', 'compose', 'ciWorkflow', 'dockerignore', 'gitignore']);
const OWN_RE = /#\s*shipshape-ignore(-file)?\s+([^\s-][^\s]*(?:\s*,\s*[^\s,]+)*)?\s*(?:--\s*(.*))?$/;
const HADOLINT_RE = /#\s*hadolint\s+ignore=([A-Za-z0-9,\s]+)/;

function ids(list: string): Set<string> {
  return new Set(list.split(',').map((s) => s.trim()).filter(Boolean));
}

/**
 * Does a `#` start `shipshape-ignore` (or, in a Dockerfile, `hadolint`) after blanks? Both patterns need
 * that; it is told by visiting the few `#` of a text rather than searching all of it for each name.
 */
function commentNamesTool(text: string, dockerfile: boolean): boolean {
  for (let i = text.indexOf('#'); i !== -1; i = text.indexOf('#', i + 1)) {
    let j = i + 1;
    while (j < text.length && blankInLine(text.charCodeAt(j))) j++;
    if (text.startsWith('shipshape-ignore', j) || (dockerfile && text.startsWith('hadolint', j))) return true;
  }
  return false;
}

/** `\s` as the patterns see it, but a line break (the text is read line by line). */
function blankInLine(c: number): boolean {
  return c !== 10 && whitespaceCode(c);
}

const YAML_KINDS: ReadonlySet<FileKind> = new Set(['kubernetes', 'compose', 'ciWorkflow']);

/**
 * For a YAML file: whether a text offset lies inside a scalar value (so a `#` there is not a comment).
 * Scalar source ranges are collected once per file, on first use.
 */
function valueTest(file: ParsedFile): InValue {
  let ranges: [number, number][] | undefined;
  return (offset) => {
    if (!ranges) {
      ranges = [];
      const docs = (file.model as { docs?: unknown[] } | undefined)?.docs ?? [];
      const seen = new Set<unknown>();
      const visit = (node: unknown): void => {
        if (!node || typeof node !== 'object' || seen.has(node)) return;
        seen.add(node);
        if (isScalar(node)) {
          // a plain scalar ends before any comment; quoted and block scalars may hold a `#`
          if (node.range && node.type !== 'PLAIN') ranges!.push([node.range[0], node.range[1]]);
        } else if (isMap(node) || isSeq(node)) {
          for (const item of node.items) {
            if (isPair(item)) {
              visit(item.key);
              visit(item.value);
            } else visit(item);
          }
        }
      };
      for (const d of docs) visit((d as { contents?: unknown }).contents);
    }
    return ranges.some(([a, b]) => offset > a && offset < b);
  };
}

/** A test of whether a `#` (at a text offset, or a 0-based line and character) is inside a value rather than a comment. */
type InValue = (offset: number, line: number, character: number) => boolean;

const HEREDOC_RE = /<<(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;
const INSTRUCTION_RE = /^[ \t]*[A-Za-z]+[ \t]/;

/**
 * For a Dockerfile: a `#` is text, not a comment, on the body lines of a heredoc (`RUN <<EOF` … `EOF`: a
 * script, whose own `#` lines the shell reads) and inside quotes on an instruction's line (`RUN echo "# …"`).
 */
function dockerValueTest(lines: readonly string[]): InValue {
  let body: Set<number> | undefined;
  return (_offset, line, character) => {
    if (!body) {
      body = new Set();
      for (let i = 0; i < lines.length; i++) {
        const text = lines[i];
        if (!text.includes('<<') || !INSTRUCTION_RE.test(text) || text.trimStart().startsWith('#')) continue;
        const ends: { word: string; tabs: boolean }[] = [];
        for (const m of text.matchAll(HEREDOC_RE)) if (!insideQuotes(text, m.index)) ends.push({ word: m[3], tabs: m[1] === '-' });
        // the bodies follow one another, each up to its own terminator line
        for (const end of ends) {
          while (++i < lines.length) {
            body.add(i);
            const l = lines[i].replace(/\r$/, '');
            if ((end.tabs ? l.replace(/^\t+/, '') : l) === end.word) break;
          }
        }
      }
    }
    return body.has(line) || insideQuotes(lines[line], character);
  };
}

/** Whether a position of a line lies between quotes (single or double, a backslash escaping the next character). */
function insideQuotes(line: string, at: number): boolean {
  let quote = '';
  for (let i = 0; i < at; i++) {
    const c = line[i];
    if (c === '\\' && quote !== "'") i++;
    else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== '';
}

/** For a .env file: a `#` inside a quoted value (one line or several) is part of the value. */
function envValueTest(file: ParsedFile): InValue {
  const entries = (file.model as EnvModel | undefined)?.entries.filter((e) => e.quoted) ?? [];
  return (_offset, line, character) => entries.some((e) => rangeContains(e.valueRange, { start: { line, character }, end: { line, character } }) && !samePosition(e.valueRange.start, line, character));
}

function samePosition(p: Position, line: number, character: number): boolean {
  return p.line === line && p.character === character;
}

/** What a file without suppressions has: one shared value (most files), never written. */
const NONE: FileSuppressions = Object.freeze({ lines: new Map(), file: Object.freeze([]) as unknown as Suppression[], objects: Object.freeze([]) as unknown as FileSuppressions['objects'] });

/** Reads every suppression in a file: comments (own and hadolint's) and Kubernetes annotations. */
export function readSuppressions(file: ParsedFile): FileSuppressions {
  // Both comment forms name their tool literally: a text naming neither has no comment suppression.
  const comments = COMMENT_KINDS.has(file.kind) && commentNamesTool(file.text, file.kind === 'dockerfile');
  if (!comments && !(file.kind === 'kubernetes' && file.model && annotationsSuppress(file.model as K8sModel))) return NONE;
  const out: FileSuppressions = { lines: new Map(), file: [], objects: [] };
  if (comments) {
    const lines = file.text.split('\n');
    const inValue = YAML_KINDS.has(file.kind) ? valueTest(file) : file.kind === 'dockerfile' ? dockerValueTest(lines) : file.kind === 'env' ? envValueTest(file) : undefined;
    let offset = 0;
    for (let i = 0; i < lines.length; i++, offset += lines[i - 1].length + 1) {
      const line = lines[i];
      if (!line.includes('#')) continue;
      let m = OWN_RE.exec(line);
      // text inside a YAML value (a block scalar holding a script, a quoted string) is not a comment
      if (m && inValue?.(offset + m.index, i, m.index)) continue;
      let s: Suppression | undefined;
      let fileLevel = false;
      if (m) {
        fileLevel = !!m[1];
        s = { ids: ids(m[2] ?? '*'), reason: m[3]?.trim() || undefined, by: fileLevel ? 'shipshape-ignore-file' : 'shipshape-ignore' };
      } else if ((m = HADOLINT_RE.exec(line)) && file.kind === 'dockerfile') {
        s = { ids: new Set([...ids(m[1])].map((c) => `hadolint:${c.toUpperCase()}`)), by: 'hadolint ignore' };
      }
      if (!s) continue;
      if (fileLevel) {
        out.file.push(s);
        continue;
      }
      const commentOnly = line.trimStart().startsWith('#');
      // Trailing comment: this line. Own-line comment: the next line that is not blank or a comment.
      let target = i;
      if (commentOnly) {
        target = i + 1;
        while (target < lines.length && (lines[target].trim() === '' || lines[target].trimStart().startsWith('#'))) target++;
      }
      const list = out.lines.get(target) ?? [];
      list.push(s);
      out.lines.set(target, list);
    }
  }
  if (file.kind === 'kubernetes' && file.model) {
    for (const obj of (file.model as K8sModel).objects) {
      for (const annotations of [obj.annotations, obj.podAnnotations]) {
        for (const [key, value] of Object.entries(annotations)) {
          const s = annotationSuppression(key, value);
          if (s) out.objects.push({ range: obj.range, s });
        }
      }
    }
  }
  return noSuppressions(out) ? NONE : out;
}

/** The annotation keys that can suppress (see annotationSuppression): one test per key, most keys fail it. */
const SUPPRESSING_KEY = /^(?:shipshape(?:\.dev)?\/ignore$|ignore-check\.kube-linter\.io\/|polaris\.fairwinds\.com\/|checkov\.io\/skip)/;

/** Does any object (or pod template) of the manifest carry an annotation that may suppress? */
function annotationsSuppress(model: K8sModel): boolean {
  for (const obj of model.objects) {
    for (const key in obj.annotations) if (SUPPRESSING_KEY.test(key)) return true;
    for (const key in obj.podAnnotations) if (SUPPRESSING_KEY.test(key)) return true;
  }
  return false;
}

function annotationSuppression(key: string, value: string): Suppression | undefined {
  if (key === 'shipshape/ignore' || key === 'shipshape.dev/ignore') return { ids: ids(value || '*'), by: `annotation ${key}` };
  let m = /^ignore-check\.kube-linter\.io\/(.+)$/.exec(key);
  if (m) return { ids: new Set([`kube-linter:${m[1]}`]), reason: value || undefined, by: `annotation ${key}` };
  if (key === 'polaris.fairwinds.com/exempt' && value === 'true') return { ids: new Set(['polaris:*']), by: `annotation ${key}` };
  m = /^polaris\.fairwinds\.com\/(.+)-exempt$/.exec(key);
  if (m && value === 'true') return { ids: new Set([`polaris:${m[1]}`]), by: `annotation ${key}` };
  m = /^checkov\.io\/skip\d*$/.exec(key);
  if (m) {
    const [id, reason] = value.split('=');
    return { ids: new Set([`checkov:${id.trim()}`]), reason: reason?.trim(), by: `annotation ${key}` };
  }
  return undefined;
}

function matches(s: Suppression, ruleId: string, aliases: readonly string[]): boolean {
  if (s.ids.has('*') || s.ids.has(ruleId)) return true;
  for (const a of aliases) if (s.ids.has(a)) return true;
  // `tool:*` names every alias of a tool; the names are made only for a suppression that has such an id
  if (!namesATool(s.ids)) return false;
  for (const a of aliases) if (s.ids.has(`${a.slice(0, a.indexOf(':'))}:*`)) return true;
  return false;
}

function namesATool(ids: ReadonlySet<string>): boolean {
  for (const id of ids) if (id.endsWith(':*')) return true;
  return false;
}

/** Does the file suppress nothing at all? */
export function noSuppressions(sup: FileSuppressions): boolean {
  return sup.file.length === 0 && sup.lines.size === 0 && sup.objects.length === 0;
}

/** The suppression that silences this finding, if any. */
export function findSuppression(sup: FileSuppressions, finding: Finding, aliases: readonly string[]): { by: string; reason?: string } | undefined {
  for (const s of sup.file) if (matches(s, finding.ruleId, aliases)) return { by: s.by, reason: s.reason };
  // A finding inside a multi-line instruction (a word of a continued RUN) is also silenced by a comment above that instruction.
  const anchor = finding.data?.instructionLine;
  for (const line of typeof anchor === 'number' && anchor !== finding.range.start.line ? [finding.range.start.line, anchor] : [finding.range.start.line]) {
    for (const s of sup.lines.get(line) ?? []) if (matches(s, finding.ruleId, aliases)) return { by: s.by, reason: s.reason };
  }
  for (const o of sup.objects) if (rangeContains(o.range, finding.range) && matches(o.s, finding.ruleId, aliases)) return { by: o.s.by, reason: o.s.reason };
  return undefined;
}
