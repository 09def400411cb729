import type { TextEdit } from '../model';
import { LineIndex } from '../text';

const TASK_PREFIX_RE = /^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[)([ xX])\]/;

/**
 * The edit that ticks (`checked: true`) or unticks a task item, computed from the current text of the file:
 * one character between the brackets. Undefined when the line is no longer a task item or already in that state.
 */
export function setCheckedEdit(text: string, line: number, checked: boolean): TextEdit | undefined {
  const index = new LineIndex(text);
  if (line < 0 || line >= index.lineCount) return undefined;
  const m = TASK_PREFIX_RE.exec(index.lineText(line));
  if (!m) return undefined;
  if ((m[2] !== ' ') === checked) return undefined;
  const character = m[1].length;
  return { range: { start: { line, character }, end: { line, character: character + 1 } }, newText: checked ? 'x' : ' ' };
}
