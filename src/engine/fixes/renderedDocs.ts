import { parseAllDocuments } from 'yaml';
import type { TextEdit } from '../model';
import { withoutStacks, type YamlFile } from '../parse/yamlSupport';
import { applyEdits, LineIndex } from '../text';
import { YamlEditor } from './yamlEdit';

/** How many texts read for editing a run keeps (the rendered outputs, source files and manifests of one round). */
const KEPT_EDITORS = 64;

/** A rendered text's documents as plain values, with where each one is in the text. */
export interface RenderedDocs {
  values: unknown[];
  spans: (readonly [number, number])[];
  index: LineIndex;
}

function parseDocs(text: string): RenderedDocs {
  const parsed = withoutStacks(() => parseAllDocuments(text, { prettyErrors: false }));
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  return {
    values: docs.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown),
    spans: docs.map((d) => [d.range[0], d.range[2]] as const),
    index: new LineIndex(text),
  };
}

/**
 * What one run of fixes reads of each rendered text it fixes in: a chart's or kustomization's output holds
 * many objects, each with several findings, and every fix in it compares the output before and after its
 * edits and reads the same source files. Made for one run (fix all, or one quick fix) and dropped with it; a text is its own key, so an
 * output changed by an earlier fix is read afresh.
 */
export class RenderedTexts {
  private readonly docs = new Map<string, RenderedDocs>();
  private readonly editors = new Map<string, YamlEditor>();
  /** The source files the fixes read to find where a field is set, by file and text (see textYaml). */
  readonly sources = new Map<string, Map<string, YamlFile>>();

  of(text: string): RenderedDocs {
    let d = this.docs.get(text);
    if (!d) this.docs.set(text, (d = parseDocs(text)));
    return d;
  }

  /**
   * A text read for editing (where a fix locates its object, or the source file it sets a field in): the fixes of
   * one round on one file or output share it. Only the latest texts are kept (a later round reads the edited ones).
   */
  readonly yaml = (text: string): YamlEditor => {
    let ed = this.editors.get(text);
    if (!ed) {
      this.editors.set(text, (ed = new YamlEditor(text)));
      if (this.editors.size > KEPT_EDITORS) this.editors.delete(this.editors.keys().next().value!);
    }
    return ed;
  };
}

/**
 * The documents of a rendered text after `edits`, as plain values. When every edit falls inside document
 * `docIndex`, only that document is parsed again and the others are the very values of `before` (their bytes
 * are unchanged); otherwise the whole edited text is parsed.
 */
export function docsAfter(before: RenderedDocs, docIndex: number, edits: readonly TextEdit[]): unknown[] {
  const text = before.index.text;
  const edited = applyEdits(text, edits);
  const span = before.spans[docIndex];
  const inside = span && edits.every((e) => before.index.offsetAt(e.range.start) > span[0] && before.index.offsetAt(e.range.end) < span[1]);
  if (inside) {
    const slice = edited.slice(span[0], span[1] + edited.length - text.length);
    const one = parseDocs(slice).values;
    if (one.length === 1) return before.values.map((v, i) => (i === docIndex ? one[0] : v));
  }
  return parseDocs(edited).values;
}
