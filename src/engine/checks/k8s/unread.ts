import type { Problem, Range, RawFinding } from '../../model';
import { LineIndex } from '../../text';
import type { ParsedFile, WorkspaceView } from '../../workspace';
import type { CheckOutput } from '../template';

/**
 * Manifest documents that could not be read (a YAML error, a duplicate key, an unrendered template, a file not
 * parsed): the objects they hold are missing from every cross-object check. A finding that says nothing in the
 * manifests matches or defines something ("the selector matches no workload", "no PodDisruptionBudget selects
 * them", "refers to a ConfigMap no manifest defines") cannot be told while one of them may be what it looks for:
 * it is reported as unaudited, naming the document, never as a failure that may be false.
 */

/** One document that could not be read, and its kind when the text says it. */
export interface UnreadDocument {
  file: string;
  range: Range;
  kind?: string;
}

const byFile = new WeakMap<ParsedFile, readonly UnreadDocument[]>();
const byList = new WeakMap<readonly ParsedFile[], readonly UnreadDocument[]>();

/** The kind a document's text names at its top level (`kind: Deployment`), searched between the `---` lines around a line. */
function kindAround(index: LineIndex, line: number): string | undefined {
  let start = Math.min(line, index.lineCount - 1);
  while (start > 0 && !/^---/.test(index.lineText(start))) start--;
  for (let l = start; l < index.lineCount; l++) {
    const t = index.lineText(l);
    if (l > start && /^---/.test(t)) break;
    const m = /^kind:[ \t]*["']?([A-Za-z][A-Za-z0-9]*)/.exec(t);
    if (m) return m[1];
  }
  return undefined;
}

function unreadIn(file: ParsedFile): readonly UnreadDocument[] {
  let out = byFile.get(file);
  if (out) return out;
  // the file's lines are indexed once, and only when a document's kind has to be read from them
  let index: LineIndex | undefined;
  const kindOf = (p: Problem): string | undefined => {
    if (p.object) return p.object.slice(0, p.object.indexOf('/'));
    return p.unaudited === 'document' ? kindAround((index ??= new LineIndex(file.text)), p.range!.start.line) : undefined;
  };
  out = (file.problems ?? []).filter((p) => (p.unaudited === 'document' || p.unaudited === 'file') && p.range).map((p) => ({ file: file.path, range: p.range!, kind: kindOf(p) }));
  byFile.set(file, out);
  return out;
}

/** Every manifest document of the workspace that could not be read (the same list while the manifests are). */
export function unreadDocuments(ws: WorkspaceView): readonly UnreadDocument[] {
  const files = ws.byKind('kubernetes');
  let out = byList.get(files);
  if (!out) byList.set(files, (out = files.flatMap(unreadIn)));
  return out;
}

/**
 * A cross-object check whose findings (those `absent` picks, else all) say something is missing from the manifests:
 * while a document that may hold it (`mayHold`: of a kind it looks for, or of no kind the text tells) could not be
 * read, those findings are unaudited.
 */
export function unlessUnread<P>(
  run: (ws: WorkspaceView, p: P) => CheckOutput | undefined,
  mayHold: (kind: string, p: P) => boolean,
  absent: (f: RawFinding) => boolean = () => true,
): (ws: WorkspaceView, p: P) => CheckOutput | undefined {
  const kept = new WeakMap<CheckOutput, { unread: readonly UnreadDocument[]; out: CheckOutput }>();
  return (ws, p) => {
    const out = run(ws, p);
    if (!out || out.findings.length === 0) return out;
    const unread = unreadDocuments(ws);
    if (unread.length === 0) return out;
    const last = kept.get(out);
    if (last && last.unread === unread) return last.out;
    const doubt = unread.filter((d) => d.kind === undefined || mayHold(d.kind, p));
    const doubtful = doubt.length > 0 ? out.findings.filter(absent) : [];
    let result = out;
    if (doubtful.length > 0) {
      const first = doubt[0];
      const where = `${first.file}:${first.range.start.line + 1}${first.kind ? ` (${first.kind})` : ''}${doubt.length > 1 ? ` and ${doubt.length - 1} more document${doubt.length > 2 ? 's' : ''}` : ''}`;
      const unaudited = doubtful.map((f) => ({
        file: f.file,
        range: f.range,
        reason: `${f.message.replace(/\.$/, '')}. Not judged: ${where} could not be read, and may be what this looks for`,
        scope: 'field' as const,
        kind: 'kubernetes' as const,
        awaiting: `${first.file}:${first.range.start.line + 1}`,
        ...(f.object ? { object: f.object } : {}),
      }));
      result = { ...out, findings: out.findings.filter((f) => !doubtful.includes(f)), unaudited: [...(out.unaudited ?? []), ...unaudited] };
    }
    kept.set(out, { unread, out: result });
    return result;
  };
}
