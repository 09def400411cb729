// Runs every test suite in order and prints one closing line: "N passed, N failed".
// Suites: unit (plain Node), then the suites registered in SUITES below. Each writes test-results/<suite>.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const results = path.resolve('test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const SUITES = [
  { name: 'unit', cmd: 'npx', args: ['mocha'] },
  // The VS Code suites (integration + UI) register here: see scripts/vscodeTests.mjs.
  ...(existsSync('scripts/vscodeTests.mjs') ? [{ name: 'vscode', cmd: 'node', args: ['scripts/vscodeTests.mjs'] }] : []),
];

let exit = 0;
for (const s of SUITES) {
  console.log(`\n=== ${s.name} ===`);
  const r = spawnSync(s.cmd, s.args, { stdio: 'inherit', env: { ...process.env, SHIPSHAPE_RESULTS_DIR: results } });
  if (r.status !== 0) exit = 1;
}

let passed = 0;
let failed = 0;
const files = existsSync(results) ? (await import('node:fs')).readdirSync(results).filter((f) => f.endsWith('.json')) : [];
for (const f of files) {
  const c = JSON.parse(readFileSync(path.join(results, f), 'utf8'));
  console.log(`${c.suite}: ${c.passed} passed, ${c.failed} failed${c.pending ? `, ${c.pending} pending` : ''}`);
  passed += c.passed;
  failed += c.failed;
}
if (files.length < SUITES.length) {
  console.log(`${SUITES.length - files.length} suite(s) wrote no results (crashed before reporting)`);
  failed += SUITES.length - files.length;
  exit = 1;
}
if (failed) exit = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(exit);
