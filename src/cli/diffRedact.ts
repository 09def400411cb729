/**
 * Finding the lines of a text that hold a secret value, so a printed diff (`shipshape fix --dry-run`, often
 * in a CI log) shows the key and never the value: `KEY=value`, `key: value`, `"key": "value"` and
 * `--build-arg KEY=…` whose key names a secret (a password, a token, npm's `_authToken`…), wherever they are
 * on the line, with the value's continuation lines (a YAML block scalar or indented value, a quote not
 * closed on its line, a line continued with a backslash).
 */

const SECRET_KEY = /(secret|passw(or)?d|passwd|pwd|token|api[_-]?key|private[_-]?key|access[_-]?key|credential|auth[_-]?key|dsn|salt|signing[_-]?key|encryption[_-]?key|_auth\b)/i;
/** A key, its separator and where its value starts. */
const ASSIGNMENT = /(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*=\s*|\s*:(?:\s+|$))/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)@/gi;

export interface SecretLine {
  /** Offset in the line where the hidden part starts (0: the whole line is a value). */
  from: number;
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

/** The first assignment to a secret key on a line: where its value starts, and the value's text. */
function secretAssignment(line: string): { from: number; value: string; equals?: boolean } | undefined {
  const env = /^(\s*(?:ENV|ARG)\s+)([A-Za-z_][A-Za-z0-9_]*)(\s+)(?=[^=\s])/i.exec(line);
  if (env && SECRET_KEY.test(env[2])) return { from: env[0].length, value: line.slice(env[0].length) };
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(line); m; m = ASSIGNMENT.exec(line)) {
    if (!SECRET_KEY.test(m[2])) continue;
    const from = m.index + m[0].length;
    return { from, value: line.slice(from), equals: m[3].includes('=') };
  }
  return undefined;
}

function unclosedQuote(value: string): boolean {
  const v = value.trim();
  const q = v[0];
  if (q !== '"' && q !== "'") return false;
  let open = true;
  for (let i = 1; i < v.length; i++) {
    if (q === '"' && v[i] === '\\') i++;
    else if (v[i] === q) {
      if (q === "'" && v[i + 1] === "'") i++;
      else open = !open;
    }
  }
  return open;
}

/** Lines (0-based) of `text` holding a secret value, with where on the line it starts. */
export function secretLinesIn(text: string): Map<number, SecretLine> {
  const lines = text.split(/\r?\n/);
  const out = new Map<number, SecretLine>();
  for (let i = 0; i < lines.length; i++) {
    const a = secretAssignment(lines[i]);
    if (!a) continue;
    out.set(i, { from: a.from });
    const value = a.value.replace(/\s+#.*$/, '').trim();
    const keyIndent = indentOf(lines[i]);
    let j = i + 1;
    if (value === '' || /^[|>][0-9+-]*$/.test(value) || /^&\S+$/.test(value)) {
      // a YAML value on the following, more indented lines
      while (j < lines.length && (lines[j].trim() === '' || indentOf(lines[j]) > keyIndent)) out.set(j++, { from: 0 });
    } else if (unclosedQuote(value)) {
      // a quoted value continued up to its closing quote: on any line for KEY="…" (.env), on more indented lines in YAML
      let open = true;
      while (j < lines.length && open && (a.equals || lines[j].trim() === '' || indentOf(lines[j]) > keyIndent)) {
        out.set(j, { from: 0 });
        open = !/(^|[^\\])["']\s*(#.*)?$/.test(lines[j]);
        j++;
      }
    }
    if (/\\$/.test(lines[i])) while (j < lines.length) {
      out.set(j, { from: 0 });
      if (!/\\$/.test(lines[j++])) break;
    }
  }
  return out;
}

/** A line with its secret value hidden (`•••`), and any URL password. */
export function hideSecret(line: string, secret: SecretLine | undefined): string {
  let out = line;
  if (secret) out = secret.from === 0 ? out.replace(/^([ \t-]*).*$/, (_a, lead: string) => `${lead}•••`) : `${out.slice(0, secret.from)}•••`;
  return out.replace(URL_CREDENTIALS, (_all, head: string) => `${head}•••@`);
}
