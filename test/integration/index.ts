// The integration suite, in the @vscode/test-electron shape: a module exporting run(), which builds a Mocha
// instance. scripts/vscodeTests.mjs runs it inside code-server; it runs unchanged under @vscode/test-electron.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { codeActionTests } from './codeActions.test';
import { extensionTests } from './extension.test';
import { markdownTests } from './markdown.test';
import { reliabilityTests } from './reliability.test';

// Bundled with esbuild, so suites register from functions called here instead of files found at run time.
const SUITES = [extensionTests, markdownTests, reliabilityTests, codeActionTests];

export function run(): Promise<void> {
  const suite = (process.env.SHIPSHAPE_SUITE ??= 'vscode-integration');
  // The reporter's lines also go to a file, so the runner can print them apart from the workbench's own logs.
  const dir = process.env.SHIPSHAPE_RESULTS_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${suite}.log`);
    writeFileSync(file, '');
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      const line = format(...args);
      appendFileSync(file, `${line}\n`);
      console.log(line);
    };
  }
  // SHIPSHAPE_GREP (passed through by scripts/vscodeTests.mjs) runs the matching tests only, while developing.
  const grep = process.env.SHIPSHAPE_GREP;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000, reporter: require('../support/countingReporter.js'), ...(grep ? { grep } : {}) });
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  for (const s of SUITES) s();
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
