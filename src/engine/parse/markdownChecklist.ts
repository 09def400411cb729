import type { Problem, Range } from '../model';
import { LineIndex } from '../text';
import { LIST_LINE } from '../discover';
import { plainText } from './markdownText';

/**
 * Markdown checklists (task lists such as `PRODUCTION_CHECKLIST.md`): every `- [ ]` / `- [x]` item with its
 * heading path, checked state and exact positions, so a checkbox can be ticked by a one-character edit. A file with
 * no task item at all (a checklist kept as a plain bulleted or numbered list) has its list lines as items, none ticked.
 *
 * A line scanner rather than a full Markdown parser: the checklist needs the UTF-16 column of the checkbox
 * character and of a pin comment, which token-based parsers (markdown-it keeps line maps only) do not give.
 * It knows what changes the meaning of a task line: fenced code blocks, HTML comments spanning lines, ATX and
 * setext headings, and list nesting (a plain list item such as `1. **Build**` that holds task items becomes
 * part of their path, as in the seeds).
 */

/** `<!-- shipshape: id, id -->` or `<!-- shipshape: manual -->` written on an item's line. */
export interface MarkdownPin {
  /** Rule ids as written (a catalogue id such as `k8s.pod-security` stands for its finer items). */
  ids: string[];
  manual: boolean;
  range: Range;
}

export interface MarkdownItem {
  /** The item's text as written (continuation lines joined by a space), pin comment removed. */
  text: string;
  /** The text without Markdown markup (emphasis, code ticks, links), for matching and reports. */
  plain: string;
  /** Headings above the item, outermost first, then plain list items that contain it. */
  headingPath: string[];
  checked: boolean;
  /** A task item (`- [ ]`); false for a plain list line of a checklist kept without checkboxes. */
  task: boolean;
  /** 0-based line of the item marker. */
  line: number;
  /** The item from its list marker to the end of its text (first line). */
  range: Range;
  /** The single character between the brackets (` ` or `x`): replacing it ticks or unticks the item; empty, where the text starts, on a plain list line. */
  checkboxRange: Range;
  /** Range of the text after the checkbox on the first line (what diagnostics underline). */
  textRange: Range;
  pin?: MarkdownPin;
  /** Index of the enclosing task item (nested checklists), if any. */
  parent?: number;
}

export interface MarkdownHeading {
  level: number;
  text: string;
  line: number;
}

export interface MarkdownChecklistModel {
  /** The first level-1 heading, if any. */
  title?: string;
  headings: MarkdownHeading[];
  items: MarkdownItem[];
  eol: '\n' | '\r\n';
}

const FENCE_RE = /^( {0,3})(`{3,}|~{3,})/;
const ATX_OPEN_RE = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const LIST_RE = /^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)/;
const TASK_RE = /^\[([ xX])\](?:[ \t]+|$)/;
// (the body is trimmed when read: spaces matched before `-->` would be scanned again at every character of the body)
const PIN_RE = /<!--\s*shipshape\s*:([^>]*?)-->/i;

/** Parses the pin comment's body: `manual`, or a comma/space separated list of rule ids. */
function parsePin(body: string): { ids: string[]; manual: boolean } {
  const words = body.split(/[\s,]+/).filter(Boolean);
  const manual = words.some((w) => w.toLowerCase() === 'manual');
  return { ids: words.filter((w) => w.toLowerCase() !== 'manual'), manual };
}

/**
 * An ATX heading (`## Title ##`): its level and text, without the optional closing run of `#`. Read by hand rather than
 * with one pattern: a pattern with an optional closing run backtracks over every space of a long line.
 */
function atxHeading(raw: string): { level: number; text: string } | undefined {
  const open = ATX_OPEN_RE.exec(raw);
  if (!open) return undefined;
  let text = raw.slice(open[0].length).replace(/^[ \t]+/, '').trimEnd();
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x23) end--;
  if (end < text.length && (end === 0 || text[end - 1] === ' ' || text[end - 1] === '\t')) text = text.slice(0, end).trimEnd();
  return { level: open[1].length, text };
}

interface OpenList {
  /** Column where the item's content starts: deeper lines belong to it. */
  contentIndent: number;
  markerIndent: number;
  /** Plain text of a non-task list item (a path element), or the index of a task item. */
  label?: string;
  task?: number;
}

function indentWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch === '\t' ? 4 - (w % 4) : 1;
  return w;
}

/**
 * A plain list line that is no requirement: a table of contents' link (`- [Security](#security)`), or nothing but
 * links or images with emphasis and punctuation between them. One pass (no pattern that could backtrack over a long line).
 */
function linkOnly(text: string): boolean {
  let links = 0;
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (' \t*_:.,|'.includes(c)) {
      i++;
      continue;
    }
    const open = c === '!' && text[i + 1] === '[' ? i + 1 : i;
    if (text[open] !== '[') return false;
    const mid = text.indexOf('](', open + 1);
    const end = mid === -1 ? -1 : text.indexOf(')', mid + 2);
    if (end === -1) return false;
    links++;
    i = end + 1;
  }
  return links > 0;
}

/** Parses a Markdown file into its checklist items. Never throws; odd input yields fewer items, not errors. */
export function parseMarkdownChecklist(text: string, file: string): { model: MarkdownChecklistModel; problems: Problem[] } {
  const tasks = scan(text, file, false);
  // a checklist kept without checkboxes: its list lines are its items
  return tasks.model.items.length === 0 && LIST_LINE.test(text) ? scan(text, file, true) : tasks;
}

/** The most items read from one checklist: a real one has a few hundred, and linking costs about half a millisecond an item. */
export const MAX_ITEMS = 2000;


/** Reads the items: task items, or (`plain`) every list line but a link-only one. */
function scan(text: string, file: string, plain: boolean): { model: MarkdownChecklistModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const index = new LineIndex(text);
  const headings: MarkdownHeading[] = [];
  const items: MarkdownItem[] = [];
  const headingStack: MarkdownHeading[] = [];
  let lists: OpenList[] = [];
  let fence: { char: string; len: number } | undefined;
  let inComment = false;
  let prevParagraph: { line: number; text: string } | undefined;
  let lastItem: MarkdownItem | undefined;
  const continued = new Set<MarkdownItem>();

  const pushHeading = (level: number, raw: string, line: number) => {
    const h = { level, text: plainText(raw), line };
    headings.push(h);
    while (headingStack.length && headingStack[headingStack.length - 1].level >= level) headingStack.pop();
    headingStack.push(h);
    lists = [];
    lastItem = undefined;
  };

  for (let line = 0; line < index.lineCount; line++) {
    let raw = index.lineText(line);
    if (line === 0 && raw.charCodeAt(0) === 0xfeff) raw = ' ' + raw.slice(1);
    if (fence) {
      const m = FENCE_RE.exec(raw);
      if (m && m[2][0] === fence.char && m[2].length >= fence.len && raw.slice(m[0].length).trim() === '') fence = undefined;
      continue;
    }
    if (inComment) {
      if (raw.includes('-->')) inComment = false;
      continue;
    }
    const fm = FENCE_RE.exec(raw);
    if (fm && !(fm[2][0] === '`' && raw.slice(fm[0].length).includes('`'))) {
      fence = { char: fm[2][0], len: fm[2].length };
      prevParagraph = undefined;
      continue;
    }
    if (/^\s*<!--/.test(raw) && !raw.includes('-->')) {
      inComment = true;
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === '') {
      prevParagraph = undefined;
      continue;
    }
    const atx = atxHeading(raw);
    if (atx) {
      pushHeading(atx.level, atx.text, line);
      prevParagraph = undefined;
      continue;
    }
    const setext = SETEXT_RE.exec(raw);
    if (setext && prevParagraph && prevParagraph.line === line - 1) {
      pushHeading(setext[1][0] === '=' ? 1 : 2, prevParagraph.text, prevParagraph.line);
      prevParagraph = undefined;
      continue;
    }
    const lm = LIST_RE.exec(raw);
    const width = indentWidth(lm ? lm[1] : (/^[ \t]*/.exec(raw)?.[0] ?? ''));
    if (!lm) {
      // A continuation line of the last task item (indented past its marker), or a paragraph.
      if (lastItem && width >= 2 && lists.length && width >= lists[lists.length - 1].markerIndent + 2) {
        lastItem.text += ' ' + trimmed;
        // its plain text once it is whole (a long run of continuation lines is not re-read line by line)
        continued.add(lastItem);
      } else {
        if (width < 2) {
          lists = [];
          lastItem = undefined;
        }
        prevParagraph = { line, text: trimmed };
      }
      continue;
    }
    prevParagraph = undefined;
    const markerIndent = width;
    while (lists.length && lists[lists.length - 1].markerIndent >= markerIndent) lists.pop();
    const afterMarker = lm[0].length;
    const rest = raw.slice(afterMarker);
    const box = plain ? null : TASK_RE.exec(rest);
    const contentIndent = indentWidth(raw.slice(0, afterMarker));
    if (plain ? rest.trim() === '' || linkOnly(rest) : !box) {
      lists.push({ contentIndent, markerIndent, label: plainText(rest).replace(/:$/, '') });
      lastItem = undefined;
      continue;
    }
    if (items.length === MAX_ITEMS) {
      problems.push({
        file,
        message: `This checklist has more than ${MAX_ITEMS.toLocaleString('en-US')} items; the items from here on are not read or linked. Split it into smaller checklists.`,
        range: { start: { line, character: 0 }, end: { line, character: raw.trimEnd().length } },
        severity: 'warning',
      });
      break;
    }
    const boxStart = plain ? afterMarker : afterMarker + 1;
    const boxLength = box ? box[0].length : 0;
    let body = rest.slice(boxLength);
    const bodyStart = afterMarker + boxLength;
    let pin: MarkdownPin | undefined;
    const pm = PIN_RE.exec(body);
    if (pm) {
      const start = bodyStart + pm.index;
      pin = { ...parsePin(pm[1]), range: { start: { line, character: start }, end: { line, character: start + pm[0].length } } };
      body = body.slice(0, pm.index) + body.slice(pm.index + pm[0].length);
    }
    const bodyText = body.trimEnd();
    const lineEnd = raw.trimEnd().length;
    const parentTask = [...lists].reverse().find((l) => l.task !== undefined)?.task;
    const item: MarkdownItem = {
      text: bodyText.trim(),
      plain: plainText(bodyText),
      headingPath: [...headingStack.map((h) => h.text), ...lists.filter((l) => l.label !== undefined && l.label !== '').map((l) => l.label!)],
      checked: box !== null && box[1] !== ' ',
      task: !plain,
      line,
      range: { start: { line, character: lm[1].length }, end: { line, character: lineEnd } },
      checkboxRange: { start: { line, character: boxStart }, end: { line, character: plain ? boxStart : boxStart + 1 } },
      textRange: { start: { line, character: Math.min(bodyStart, lineEnd) }, end: { line, character: lineEnd } },
      pin,
      parent: parentTask,
    };
    if (pin && !pin.manual && pin.ids.length === 0) {
      problems.push({ file, message: 'Empty shipshape pin: write rule ids (<!-- shipshape: k8s.resources.limits -->) or "manual".', range: pin.range, severity: 'warning' });
    }
    items.push(item);
    lists.push({ contentIndent, markerIndent, task: items.length - 1 });
    lastItem = item;
  }
  for (const item of continued) item.plain = plainText(item.text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { model: { title: headings.find((h) => h.level === 1)?.text, headings, items, eol }, problems };
}
