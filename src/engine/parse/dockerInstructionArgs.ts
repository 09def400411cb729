// Instruction details (properties, flags, JSON arguments, lines): from the line reader's words when it read the
// instruction, else from dockerfile-ast.
import type { Arg, Copy, JSONInstruction, Property } from 'dockerfile-ast';
import type { Range } from '../model';
import type { LineIndex } from '../text';
import { flagWords, splitFlag, type LineWord } from './dockerfileLines';
import type { DockerFrom, DockerInstruction } from './dockerfileTypes';
import { LineInstruction } from './dockerLineSource';
import { LineFrom } from './dockerLineModel';

/** Whether an instruction spans more than one line (cheap for line-read ones: no range computed). */
export function spansLines(ins: DockerInstruction): boolean {
  if (ins instanceof LineInstruction) return ins.spansLines;
  return ins.range.start.line !== ins.range.end.line;
}

/** A `NAME=value` of ENV, ARG or LABEL; dockerfile-ast's Property has the same shape. */
export interface DockerProperty {
  getName(): string;
  getValue(): string | null;
  getUnescapedValue(): string | null;
  getRange(): Range;
  getNameRange(): Range;
  getValueRange(): Range | null;
}

/** A property of a line-read instruction, kept as offsets: its ranges are made when asked for (most never are). */
class LineProperty implements DockerProperty {
  constructor(
    private readonly name: string,
    private readonly value: string | null,
    private readonly index: LineIndex,
    /** The property from its name to the end of its value. */
    private readonly start: number,
    private readonly end: number,
    private readonly nameEnd: number,
    /** -1 without a value. */
    private readonly valueStart: number,
  ) {}
  getName(): string {
    return this.name;
  }
  getValue(): string | null {
    return this.value;
  }
  getUnescapedValue(): string | null {
    return this.value;
  }
  getRange(): Range {
    return this.index.range(this.start, this.end);
  }
  getNameRange(): Range {
    return this.index.range(this.start, this.nameEnd);
  }
  getValueRange(): Range | null {
    return this.valueStart < 0 ? null : this.index.range(this.valueStart, this.end);
  }
}

/** Properties from words (no quotes, no escapes, one-line values), as dockerfile-ast reads them; undefined when it must. */
function lineProperties(ins: DockerInstruction): DockerProperty[] | undefined {
  return ins instanceof LineInstruction ? ins.heldProperties(readLineProperties) : undefined;
}

function readLineProperties(ins: LineInstruction): DockerProperty[] | undefined {
  if (ins.innerComment || ins.escaped || /["']/.test(ins.args)) return undefined;
  const { words, lines: index } = ins;
  const single = (w: LineWord): DockerProperty => {
    const eq = w.value.indexOf('=');
    if (eq === -1) return new LineProperty(w.value, null, index, w.start, w.end, w.end, -1);
    // a word is on one line: name and value ranges are its range split at the `=`
    return new LineProperty(w.value.slice(0, eq), w.value.slice(eq + 1), index, w.start, w.end, w.start + eq, w.start + eq + 1);
  };
  if (words.length === 0) return [];
  if (words.length === 1) return [single(words[0])];
  if (words[0].value.includes('=')) return words.map(single);
  const last = words[words.length - 1];
  const value = index.text.slice(words[1].start, last.end);
  if (/[\r\n]/.test(value)) return undefined;
  return [new LineProperty(words[0].value, value, index, words[0].start, last.end, words[0].end, words[1].start)];
}

/** `NAME=value` pairs of an ENV, ARG or LABEL instruction, with ranges; legacy `ENV NAME value` included. */
export function dockerProperties(ins: DockerInstruction): DockerProperty[] {
  if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG' && ins.keyword !== 'LABEL') return [];
  const light = lineProperties(ins);
  if (light) return light;
  const node = ins.node as unknown as { getProperties?: () => Property[] };
  return typeof node.getProperties === 'function' ? node.getProperties() : [];
}

/** The one property of an ARG (none when it declares several or none), as dockerfile-ast's `Arg.getProperty`. */
export function argProperty(ins: DockerInstruction): DockerProperty | null {
  const light = lineProperties(ins);
  if (light) return light.length === 1 && ins.words?.length === 1 ? light[0] : null;
  return (ins.node as Arg).getProperty?.() ?? null;
}

/** The flags of ADD, COPY, RUN, FROM and HEALTHCHECK (`--mount=…`), names as written. */
export function dockerFlags(ins: DockerInstruction): { name: string; value: string | null }[] {
  if (ins instanceof LineInstruction) return ins.flagCount === 0 ? [] : flagWords(ins.lines.text, ins.keyword, ins.words).map((w) => splitFlag(w.value));
  const node = ins.node as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] };
  if (typeof node.getFlags !== 'function') return [];
  return node.getFlags().map((f) => ({ name: f.getName(), value: f.getValue() }));
}

/** `COPY --from=<stage>`: the value when it is the only flag (as dockerfile-ast's `getFromFlag`). */
export function copyFromFlag(ins: DockerInstruction): string | null | undefined {
  if (ins instanceof LineInstruction) {
    if (ins.flagCount !== 1) return undefined;
    const flags = dockerFlags(ins);
    return flags.length === 1 && flags[0].name === 'from' ? flags[0].value : undefined;
  }
  return (ins.node as Copy).getFromFlag?.()?.getValue();
}

/** The argument values after the flags (COPY sources and destination…). */
export function dockerArgValues(ins: DockerInstruction): string[] {
  if (ins instanceof LineInstruction && !ins.escaped) return ins.words.slice(ins.flagCount).map((w) => w.value);
  return ins.node.getArguments().map((a) => a.getValue());
}

/**
 * The strings of a JSON-form instruction (`["node", "main.js"]`) with offsets including the quotes, when
 * it has both brackets; undefined for the shell form.
 */
export function dockerJson(ins: DockerInstruction, index: LineIndex): { value: string; start: number; end: number }[] | undefined {
  if (ins instanceof LineInstruction && !/^\s*\[/.test(ins.args)) return undefined; // the shell form
  if (ins instanceof LineInstruction && !ins.args.includes('\\') && ins.argsRange) {
    const rest = ins.words.slice(ins.flagCount);
    if (rest.length === 1 && rest[0].value === '[]') return [];
    if (rest.length === 2 && rest[0].value === '[' && rest[1].value === ']') return [];
    const base = index.offsetAt(ins.argsRange.start);
    const src = ins.args;
    const strings: { value: string; start: number; end: number }[] = [];
    let last = '';
    let quoted = false;
    let start = -1;
    let open = false;
    let close = false;
    scan: for (let i = 0; i < src.length; i++) {
      const c = src[i];
      switch (c) {
        case '[':
          if (last === '') {
            open = true;
            last = '[';
          } else if (!quoted) break scan;
          break;
        case '"':
          if (last === '[' || last === ',') {
            start = i;
            quoted = true;
            last = '"';
          } else if (last === '"' && quoted) {
            quoted = false;
            strings.push({ value: src.slice(start, i + 1).replace(/[ \t]/g, ''), start: base + start, end: base + i + 1 }); // dockerfile-ast drops blanks from the value
          } else break scan;
          break;
        case ',':
          if (!quoted) {
            if (last === '"') last = ',';
            else break scan;
          }
          break;
        case ']':
          if (!quoted && last !== '') {
            close = true;
            break scan;
          }
          break;
        case ' ':
        case '\t':
          break;
        default:
          if (!quoted) break scan;
      }
    }
    return open && close ? strings : undefined;
  }
  const node = ins.node as JSONInstruction;
  if (typeof node.getJSONStrings !== 'function' || !node.getOpeningBracket?.() || !node.getClosingBracket?.()) return undefined;
  return node.getJSONStrings().map((j) => {
    const r = j.getRange();
    return { value: j.getValue(), start: index.offsetAt(r.start), end: index.offsetAt(r.end) };
  });
}

/** The FROM keyword plus image (the whole FROM when it names none), without intermediate ranges for a line-read FROM. */
export function dockerFromHead(from: DockerFrom): Range {
  if (from instanceof LineFrom) return from.headRange;
  const image = from.imageRange;
  return image ? { start: from.range.start, end: image.end } : from.range;
}

/** The first and last line of an instruction; for one the line reader read, without making its range. */
export function dockerLines(ins: DockerInstruction, index: LineIndex): { first: number; last: number } {
  if (ins instanceof LineInstruction) return { first: index.lineAt(ins.start), last: index.lineAt(ins.end) };
  const { start, end } = ins.range;
  return { first: start.line, last: end.line };
}

/** Offsets of the arguments (`argsRange`), without making the range for an instruction the line reader read. */
export function dockerArgsOffsets(ins: DockerInstruction, index: LineIndex): { start: number; end: number } | undefined {
  if (ins instanceof LineInstruction) return ins.argsStart < 0 ? undefined : { start: ins.argsStart, end: ins.argsEnd };
  const r = ins.argsRange;
  return r ? { start: index.offsetAt(r.start), end: index.offsetAt(r.end) } : undefined;
}

/** The arguments with continuation lines joined (dockerfile-ast's `getArgumentsContent`). */
export function dockerJoinedArgs(ins: DockerInstruction): string {
  if (ins instanceof LineInstruction && !ins.innerComment) {
    const args = ins.args;
    return args.includes('\\') ? args.replace(/\\[ \t]*\r?\n/g, '') : args;
  }
  return (ins.node as JSONInstruction).getArgumentsContent?.() ?? ins.args;
}
