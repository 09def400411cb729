// Opens the real VS Code workbench (code-server, started by scripts/vscodeTests.mjs) in headless Chromium.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { childrenCpuMs } from '../../src/vscode/profile';

export const URL = process.env.SHIPSHAPE_UI_URL;
export const WORKSPACE = process.env.SHIPSHAPE_UI_WORKSPACE ?? '';
export const RESULTS = path.resolve(process.env.SHIPSHAPE_RESULTS_DIR ?? 'test-results');
export const STEP_MS = 60000;

const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * Launches Chromium with its own profile (under the run's profile folder), opens the workbench (the fixture,
 * or `url`) and waits for the explorer to show `ready`.
 */
export async function openWorkbench(profile?: string, url = URL, ready = 'Dockerfile', beforeLoad?: (page: Page) => void): Promise<{ context: BrowserContext; page: Page }> {
  assert.ok(url, 'the workbench URL is set: run this through scripts/vscodeTests.mjs');
  mkdirSync(RESULTS, { recursive: true });
  const base = process.env.SHIPSHAPE_UI_PROFILE ?? path.join(RESULTS, '.profile');
  const context = await chromium.launchPersistentContext(profile ? path.join(base, profile) : base, {
    executablePath: process.env.SHIPSHAPE_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: BROWSER_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  beforeLoad?.(page);
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  // The explorer shows the fixture once the workspace is open.
  await page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${ready}"]`).waitFor({ timeout: 60000 });
  return { context, page };
}

/** Waits until the locator's text matches (the workbench renders asynchronously); fails with the last text seen. */
export async function expectText(locator: Locator, re: RegExp): Promise<void> {
  const until = Date.now() + STEP_MS;
  let last = '';
  while (Date.now() < until) {
    last = (await locator.first().textContent({ timeout: STEP_MS }).catch(() => null)) ?? '';
    if (re.test(last)) return;
    await locator.page().waitForTimeout(100);
  }
  assert.fail(`expected ${re} in "${last}"`);
}

/** Milliseconds from the workbench's load to each step of its start-up (undefined: not seen). */
export interface Startup {
  started: number;
  workbench?: number;
  explorer?: number;
  progress?: number;
  score?: number;
  done: Promise<void>;
}

/**
 * Times, from the moment the workbench is asked to load, until the workbench shows, until its explorer lists
 * the folder (`ready`: the workbench's own start-up, before any extension has a say), until Shipshape first shows
 * progress (its status-bar item, a spinner while scanning) and until the score is shown (the first complete
 * result). Polls every 50 ms; the numbers are printed, not asserted.
 */
export function watchStartup(page: Page, ready: string): Startup {
  const w: Startup = { started: Date.now(), done: Promise.resolve() };
  const shell = page.locator('.monaco-workbench');
  const folder = page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${ready}"]`);
  const item = page.locator('.statusbar-item[aria-label^="Shipshape"], .statusbar-item [aria-label^="Shipshape"]');
  const score = page.locator('.statusbar-item[aria-label^="Shipshape readiness"], .statusbar-item [aria-label^="Shipshape readiness"]');
  w.done = (async () => {
    const until = w.started + 120000;
    while (Date.now() < until && w.score === undefined && !page.isClosed()) {
      if (w.workbench === undefined && (await shell.count().catch(() => 0))) w.workbench = Date.now() - w.started;
      if (w.explorer === undefined && (await folder.count().catch(() => 0))) w.explorer = Date.now() - w.started;
      if (w.progress === undefined && (await item.count().catch(() => 0))) w.progress = Date.now() - w.started;
      if (await score.count().catch(() => 0)) w.score = Date.now() - w.started;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return w;
}

/**
 * The first line of the newest Shipshape log under code-server's user data written after `since` (each window has
 * its own extension host and log folder) that contains `text`, from `text` on. Undefined when none is found.
 */
function findLogLine(since: number, text: string): string | undefined {
  const root = process.env.SHIPSHAPE_UI_USER_DATA;
  if (!root || !existsSync(root)) return undefined;
  const logs = (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => /Shipshape\.log$/.test(f))
    .map((f) => path.join(root, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const f of logs) {
    const line = readFileSync(f, 'utf8')
      .split('\n')
      .find((l) => l.includes(text));
    if (line) return line.slice(line.indexOf(text));
  }
  return undefined;
}

/** A line of the extension's log (findLogLine), looked for again for up to 10 s: the log channel writes its file a moment after the line is logged. */
export function extensionLogLine(since: number, text: string): string | undefined {
  let line = findLogLine(since, text);
  for (let waited = 0; !line && waited < 10000; waited += 250) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    line = findLogLine(since, text);
  }
  return line;
}

/**
 * `shipshape scan <folder> --format json` (the built CLI), output discarded: milliseconds from process start to exit,
 * and its CPU time with the tools it ran (helm, kubectl), when the system tells (Linux).
 */
export function cliScan(folder: string): { ms: number; cpu?: number } {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.resolve('dist', 'cli.js'), 'scan', folder, '--format', 'json'], { stdio: 'ignore', timeout: 120000 });
  const ms = Number((process.hrtime.bigint() - t0) / 1000000n);
  const cpu1 = childrenCpuMs();
  assert.ok(r.status === 0 || r.status === 1, `the CLI scanned ${folder} (exit ${r.status ?? r.signal})`);
  return { ms, cpu: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

/** The startup figures of the extension on a folder, next to the CLI's scan of the same folder (printed, never asserted). */
export function printStartup(name: string, folder: string, since: number): void {
  // (the extension's own startup line: "Startup: activation → first progress … → first complete result N ms")
  const line = extensionLogLine(since, 'Startup: activation');
  const cli = cliScan(folder);
  const ext = line && /first complete result (\d+) ms/.exec(line);
  // CPU on both sides, the tools included: on a busy machine the steadier comparison
  const extCpu = line && /extension host CPU (\d+) ms, the tools it ran (\d+) ms/.exec(line);
  const cpu = extCpu && cli.cpu ? `; CPU ${Number(extCpu[1]) + Number(extCpu[2])} ms against ${cli.cpu} ms, tools included (${((Number(extCpu[1]) + Number(extCpu[2])) / cli.cpu).toFixed(2)}×)` : '';
  console.log(`  ${name}: extension ${line ?? 'startup line not found in the Shipshape log'}; CLI scan --format json ${cli.ms} ms${cli.cpu === undefined ? '' : ` (CPU ${cli.cpu} ms)`}${ext ? ` (extension/CLI ${(Number(ext[1]) / cli.ms).toFixed(2)}×${cpu})` : ''}`);
  // (the first linking of the Markdown checklists runs after the view took the rows of the complete result)
  const linked = line && extensionLogLine(since, 'Markdown checklists linked in');
  if (linked) console.log(`    then: ${linked}`);
}
