// The shell steps of a Jenkins pipeline (a Jenkinsfile is Groovy): `sh`, `bat` and `powershell` calls, and the image
// builds of the Docker Pipeline plugin (`docker.build(…)`), each at its place in the file.
import type { Range } from '../model';
import { LineIndex } from '../text';
import { runnableCommands } from './shellText';

export interface JenkinsStep {
  text: string;
  range: Range;
}

/** A step call and its first string argument: `sh 'make'`, `sh("make")`, `sh """…"""`, `sh script: '…', label: 'x'`. */
const STEP_RE = /\b(sh|bat|powershell|pwsh)\b\s*\(?\s*(?:(?:label|encoding|returnStdout|returnStatus)\s*:\s*(?:'[^'\n]*'|"[^"\n]*"|\w+)\s*,\s*)*(?:script\s*:\s*)?('''|"""|'|")/g;

/** `docker.build('name:tag')`: the Docker Pipeline plugin builds the image (docker build). */
const DOCKER_BUILD_RE = /\bdocker\.build\s*\(/g;

/**
 * Groovy comments that open a line (`// …`, `/* … *\/`), blanked to spaces so that offsets stay. A `//` or `/*` later on
 * a line may sit in a string (`https://…`, `rm -rf dist/*`), so it is left alone. One pass: an unclosed `/*` runs to the end.
 */
function withoutComments(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let at = 0;
  const endOfLine = (from: number) => {
    const n = text.indexOf('\n', from);
    return n === -1 ? text.length : n;
  };
  while (at < text.length) {
    const lineEnd = endOfLine(at);
    let i = at;
    while (i < lineEnd && (text[i] === ' ' || text[i] === '\t')) i++;
    let end = -1;
    if (text.startsWith('//', i)) end = lineEnd;
    else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      end = close === -1 ? text.length : close + 2;
    }
    if (end === -1) {
      at = lineEnd + 1;
      continue;
    }
    parts.push(text.slice(from, i), text.slice(i, end).replace(/[^\n]/g, ' '));
    from = end;
    // a block comment may end mid-line: the rest of that line is code, whose own line start has passed
    at = (end === lineEnd ? lineEnd : endOfLine(end)) + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** Every shell step of a Jenkinsfile, in file order. */
export function jenkinsSteps(text: string): JenkinsStep[] {
  const index = new LineIndex(text);
  const code = withoutComments(text);
  const steps: JenkinsStep[] = [];
  const re = new RegExp(STEP_RE);
  // quotes nothing closes from some point on: no later string of that kind closes either (one search each, not one per step)
  const unclosed = new Set<string>();
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const quote = m[2];
    if (unclosed.has(quote)) continue;
    const start = m.index + m[0].length;
    const end = code.indexOf(quote, start);
    if (end === -1) {
      unclosed.add(quote);
      continue;
    }
    // the next step starts after this one's string (an `sh '…'` inside it is text)
    re.lastIndex = end + quote.length;
    // Groovy's own escapes and ${…} interpolation stay as written: the shell text is what the step names
    const body = text.slice(start, end).replace(/\\\n/g, '');
    const commands = runnableCommands(quote.length === 3 ? body : body.replace(/\\(['"\\])/g, '$1'));
    if (commands) steps.push({ text: commands, range: index.range(start, end) });
  }
  for (const m of code.matchAll(DOCKER_BUILD_RE)) steps.push({ text: 'docker build', range: index.range(m.index!, m.index! + m[0].length) });
  return steps.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
