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
 * a line may sit in a string (`https://…`, `rm -rf dist/*`), so it is left alone.
 */
function withoutComments(text: string): string {
  return text.replace(/^[ \t]*(\/\*[\s\S]*?\*\/|\/\/[^\n]*)/gm, (m) => m.replace(/[^\n]/g, ' '));
}

/** Every shell step of a Jenkinsfile, in file order. */
export function jenkinsSteps(text: string): JenkinsStep[] {
  const index = new LineIndex(text);
  const code = withoutComments(text);
  const steps: JenkinsStep[] = [];
  for (const m of code.matchAll(STEP_RE)) {
    const quote = m[2];
    const start = m.index! + m[0].length;
    const end = code.indexOf(quote, start);
    if (end === -1) continue;
    // Groovy's own escapes and ${…} interpolation stay as written: the shell text is what the step names
    const body = text.slice(start, end).replace(/\\\n/g, '');
    const commands = runnableCommands(quote.length === 3 ? body : body.replace(/\\(['"\\])/g, '$1'));
    if (commands) steps.push({ text: commands, range: index.range(start, end) });
  }
  for (const m of code.matchAll(DOCKER_BUILD_RE)) steps.push({ text: 'docker build', range: index.range(m.index!, m.index! + m[0].length) });
  return steps.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
