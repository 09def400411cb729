// How a YAML (or JSON) text writes what a fix inserts into it: its indentation step and sequence style, read from the
// text, and the fragments rendered in them.
import { Document, isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { LineIndex } from '../text';

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

/** Leading whitespace of a line. */
function leading(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** The file's own way of writing YAML (or JSON), and fragments rendered in it (the library renders each scalar). */
export class YamlStyle {
  /** Indentation step (spaces for YAML; the file's own whitespace for JSON). */
  readonly unit: string;
  /** YAML: block sequences under a key are indented (`key:\n  - a`) rather than flush (`key:\n- a`). */
  readonly indentSeq: boolean;

  constructor(
    private readonly text: string,
    private readonly index: LineIndex,
    private readonly docs: readonly Document.Parsed[],
    readonly json: boolean,
    readonly eol: '\n' | '\r\n',
  ) {
    const style = this.detect();
    this.unit = style.unit;
    this.indentSeq = style.indentSeq;
  }

  /** The column of an offset. */
  column(offset: number): number {
    return this.index.positionAt(offset).character;
  }

  /** The leading whitespace of the line holding an offset. */
  lineIndent(offset: number): string {
    return leading(this.index.lineText(this.index.positionAt(offset).line));
  }

  private detect(): { unit: string; indentSeq: boolean } {
    let unit: string | undefined;
    let indentSeq: boolean | undefined;
    const visit = (node: unknown, depth: number): void => {
      if ((unit !== undefined && indentSeq !== undefined) || depth > 40) return;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
          const keyLine = this.index.positionAt(pair.key.range[0]).line;
          const v = pair.value;
          if ((isMap(v) || isSeq(v)) && v.items.length > 0 && v.range) {
            const first = v.items[0] as unknown;
            let start = isPair(first) && isScalar(first.key) && first.key.range ? first.key.range[0] : v.range[0];
            if (isSeq(v) && !v.flow) start = Math.max(0, this.text.lastIndexOf('-', start));
            const pos = this.index.positionAt(start);
            if (pos.line > keyLine) {
              const keyIndent = this.lineIndent(pair.key.range[0]);
              const childIndent = leading(this.index.lineText(pos.line));
              if (isMap(v) && unit === undefined && childIndent.length > keyIndent.length && childIndent.startsWith(keyIndent)) unit = childIndent.slice(keyIndent.length);
              if (isSeq(v) && !v.flow && indentSeq === undefined) indentSeq = pos.character > this.column(pair.key.range[0]);
            }
          }
          visit(v, depth + 1);
        }
      } else if (isSeq(node)) for (const item of node.items) visit(item, depth + 1);
    };
    for (const doc of this.docs) visit(doc.contents, 0);
    if (unit === undefined && this.json) {
      const root = this.docs[0]?.contents;
      const first = isMap(root) ? root.items[0] : undefined;
      if (first && isScalar(first.key) && first.key.range) {
        const ws = this.lineIndent(first.key.range[0]);
        if (ws && this.index.positionAt(first.key.range[0]).character === ws.length) unit = ws;
      }
    }
    if (unit === undefined || (!this.json && /\t/.test(unit))) unit = '  ';
    return { unit, indentSeq: indentSeq ?? true };
  }

  scalarText(node: Scalar | undefined, value: string | number | boolean): string {
    if (this.json || node?.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (node?.type === Scalar.QUOTE_SINGLE && typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
    if (typeof value !== 'string') return String(value);
    return new Document(value).toString({ lineWidth: 0 }).replace(/\n$/, '');
  }

  /**
   * Renders entries as block YAML lines at a column, in the file's indentation step and sequence style
   * (the library renders each scalar, so quoting follows YAML rules).
   */
  renderYaml(entries: PlainObject | Plain[], col: number): string[] {
    const out: string[] = [];
    const step = this.unit.length;
    const scalar = (v: Plain): string => (v === null ? 'null' : typeof v === 'string' ? this.scalarText(undefined, v) : String(v));
    const block = (v: Plain): v is PlainObject | Plain[] => typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
    const empty = (v: Plain): string => (Array.isArray(v) ? '[]' : '{}');
    const map = (m: PlainObject, c: number, firstPrefix?: string): void => {
      Object.entries(m).forEach(([k, v], i) => {
        const pad = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(c);
        const key = this.scalarText(undefined, k);
        if (!block(v)) out.push(`${pad}${key}: ${typeof v === 'object' && v !== null ? empty(v) : scalar(v)}`);
        else {
          out.push(`${pad}${key}:`);
          if (Array.isArray(v)) seq(v, this.indentSeq ? c + step : c);
          else map(v, c + step);
        }
      });
    };
    const seq = (items: Plain[], c: number): void => {
      for (const item of items) {
        const dash = ' '.repeat(c) + '- ';
        if (!block(item)) out.push(dash + (typeof item === 'object' && item !== null ? empty(item) : scalar(item)));
        else if (Array.isArray(item)) {
          out.push(dash.trimEnd());
          seq(item, c + 2);
        } else map(item, c + 2, dash);
      }
    };
    if (Array.isArray(entries)) seq(entries, col);
    else map(entries, col);
    return out;
  }

  /** Renders JSON `"key": value` members at an indentation string. */
  renderJsonMembers(entries: PlainObject, indent: string, multiline: boolean): string[] {
    return Object.entries(entries).map(([k, v]) => {
      const body = multiline ? JSON.stringify(v, null, this.unit) : JSON.stringify(v);
      const lines = body.split('\n');
      return `${indent}${JSON.stringify(k)}: ${lines.map((l, i) => (i === 0 ? l : indent + l)).join(this.eol)}`;
    });
  }
}
