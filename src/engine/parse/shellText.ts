/**
 * The commands a shell script of a CI step really runs, as text for the CI checks to match: comments,
 * heredoc bodies and the commands that only print or do nothing (`echo "trivy cosign"`, `printf`, `:`,
 * `true`) are left out, so a tool named there does not count as run. Each kept command is one line.
 */

/** Commands that run nothing their arguments name. */
const INERT = new Set(['echo', 'printf', ':', 'true', 'false', 'read', 'export', 'set', 'test', '[', '[[']);
const ASSIGNMENT_RE = /^[A-Za-z_][A-Za-z0-9_]*=/;

export function runnableCommands(script: string): string {
  const kept: string[] = [];
  let segment = '';
  let quote = '';
  const heredocs: string[] = [];
  const end = (): void => {
    const words = segment.trim().split(/\s+/);
    let i = 0;
    while (i < words.length && ASSIGNMENT_RE.test(words[i])) i++;
    const first = (words[i] ?? '').replace(/^["'\\]+|["']+$/g, '');
    if (first && !INERT.has(first)) kept.push(segment.trim());
    segment = '';
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (quote) {
      segment += c;
      if (c === '\\' && quote === '"') segment += script[++i] ?? '';
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '\\' && script[i + 1] === '\n') {
      segment += ' ';
      i++;
      continue;
    }
    if (c === '\\') {
      segment += c + (script[++i] ?? '');
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      segment += c;
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(script[i - 1]))) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '<' && script[i + 1] === '<' && script[i + 2] !== '<') {
      const m = /^<<-?[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\1/.exec(script.slice(i, i + 200));
      if (m) {
        heredocs.push(m[2]);
        segment += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === '\n') {
      end();
      // heredoc bodies are data: skip each up to its terminator line
      for (const word of heredocs.splice(0)) {
        while (i < script.length) {
          const next = script.indexOf('\n', i + 1);
          const line = script.slice(i + 1, next === -1 ? script.length : next).replace(/\r$/, '');
          i = next === -1 ? script.length : next;
          if (line.replace(/^\t+/, '') === word) break;
        }
      }
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')' || c === '`') {
      end();
      continue;
    }
    if (c === '$' && script[i + 1] === '(') {
      end();
      i++;
      continue;
    }
    segment += c;
  }
  end();
  return kept.join('\n');
}
