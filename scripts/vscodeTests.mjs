/* global fetch */
// Runs the extension's tests in a real VS Code: code-server (installed by scripts/vscodeToolchain.sh into a
// cache folder outside the clone) on 127.0.0.1, driven by headless Debian chromium through playwright-core.
//   1. integration: the mocha suite out/test/integration/index.js runs inside the extension host (payload
//      trick: extensionDevelopmentPath + extensionTestsPath in the workbench URL);
//   2. ui: test/e2e/*.test.ts (mocha in Node) drives the workbench like a person and takes a screenshot.
// Writes test-results/vscode-integration.json and test-results/vscode-ui.json ({suite, passed, failed, pending,
// failures}); exits non-zero on any failure. Stops code-server's whole process group and removes its temp files.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.resolve(process.env.SHIPSHAPE_RESULTS_DIR ?? path.join(REPO, 'test-results'));
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'workspaces');
const CHROMIUM = process.env.SHIPSHAPE_CHROMIUM ?? '/usr/bin/chromium';
const INTEGRATION_TIMEOUT_MS = 15 * 60 * 1000;
const UI_TIMEOUT_MS = 10 * 60 * 1000;
const started = Date.now();

const log = (m) => console.log(`[vscode-tests] ${m}`);
mkdirSync(RESULTS, { recursive: true });

function writeResult(suite, failure) {
  const file = path.join(RESULTS, `${suite}.json`);
  if (existsSync(file)) return; // the suite reported for itself
  writeFileSync(file, JSON.stringify({ suite, passed: 0, failed: 1, pending: 0, failures: [{ title: suite, error: failure }] }, null, 2));
}

function readResult(suite) {
  try {
    return JSON.parse(readFileSync(path.join(RESULTS, `${suite}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, server, ms = 90000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server not healthy after ${ms} ms`);
}

// 1. Toolchain (cached by version outside the clone) and the bundles.
for (const f of readdirSync(RESULTS)) if (/^vscode-(integration|ui)/.test(f)) rmSync(path.join(RESULTS, f), { force: true });
const tc = spawnSync('bash', [path.join(REPO, 'scripts', 'vscodeToolchain.sh')], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (tc.status !== 0) {
  const msg = `toolchain install failed (exit ${tc.status})`;
  writeResult('vscode-integration', msg);
  writeResult('vscode-ui', msg);
  console.error(msg);
  process.exit(1);
}
const TOOLCHAIN = tc.stdout.trim().split('\n').at(-1);
log(`toolchain ${TOOLCHAIN} ready after ${Math.round((Date.now() - started) / 1000)} s`);
// helm and kubectl (scripts/tools.mjs, as the unit tests render with): first on PATH for the CLI the UI tests time
// beside the editor, and named in the workbench's settings for the extension (its host's PATH is the login shell's):
// charts and kustomizations are rendered and audited on both sides.
let TOOLS;
try {
  const { ensureHelm, KUBECTL } = await import('./tools.mjs');
  TOOLS = { helm: ensureHelm(), kubectl: KUBECTL };
  process.env.PATH = `${path.dirname(TOOLS.helm)}${path.delimiter}${process.env.PATH ?? ''}`;
  log(`helm and kubectl from ${path.dirname(TOOLS.helm)}`);
} catch (e) {
  const msg = `helm and kubectl could not be put in place: ${e instanceof Error ? e.message : String(e)}`;
  writeResult('vscode-integration', msg);
  writeResult('vscode-ui', msg);
  console.error(msg);
  process.exit(1);
}
if (!existsSync(path.join(REPO, 'dist', 'extension.js')) || !existsSync(path.join(REPO, 'out', 'test', 'integration', 'index.js'))) {
  const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

// 2. A private world: temp folder for code-server's data, config, sockets and two copies of the fixture.
const TMP = mkdtempSync(path.join(os.tmpdir(), 'shipshape-vscode-'));
const dirs = Object.fromEntries(['user', 'extensions', 'xdg-config', 'xdg-data', 'run', 'profile-int', 'profile-ui'].map((d) => [d, path.join(TMP, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
// Integration: the multi-root fixture (folders shop and api); UI: the shop folder alone.
const WS_INT = path.join(TMP, 'ws-integration');
const WS_UI = path.join(TMP, 'ws-ui');
cpSync(FIXTURES, WS_INT, { recursive: true });
cpSync(path.join(FIXTURES, 'shop'), WS_UI, { recursive: true });
// What a new user sees: the bundled example and a copy of a real repository (when the corpus is there).
const WS_EXAMPLE = path.join(TMP, 'ws-example');
cpSync(path.join(REPO, 'examples', 'shop'), WS_EXAMPLE, { recursive: true });
const DEMO_SOURCE = process.env.SHIPSHAPE_DEMO_REPO ?? path.resolve(REPO, '..', 'shared', 'corpus', 'realworld', 'microservices-demo');
const WS_DEMO = existsSync(DEMO_SOURCE) ? path.join(TMP, 'ws-demo') : undefined;
if (WS_DEMO) cpSync(DEMO_SOURCE, WS_DEMO, { recursive: true });
const WORKSPACE_FILE = path.join(WS_INT, 'shipshape.code-workspace');
// A repository large enough for a first scan to read its files for seconds: the example's service files, copied into
// LARGE_SERVICES services with their own names, and its CI workflow once. (2,100 files were read in a third of a
// second on a quiet machine: too short for any results so far, which come after a quarter second of reading.)
const LARGE_SERVICES = 1000;
const WS_LARGE = path.join(TMP, 'ws-large');
for (let i = 0; i < LARGE_SERVICES; i++) {
  const dir = path.join(WS_LARGE, 'services', `svc-${String(i).padStart(3, '0')}`);
  for (const f of ['Dockerfile', '.dockerignore', 'package.json', '.env.example', '.env.production.example', 'k8s/deployment.yaml', 'k8s/service.yaml']) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), readFileSync(path.join(REPO, 'examples', 'shop', f), 'utf8').replaceAll('shop-api', `shop-api-${i}`));
  }
}
cpSync(path.join(REPO, 'examples', 'shop', '.github'), path.join(WS_LARGE, '.github'), { recursive: true });
// A folder with nothing Shipshape audits: a README only.
const WS_EMPTY = path.join(TMP, 'ws-readme');
mkdirSync(WS_EMPTY, { recursive: true });
writeFileSync(path.join(WS_EMPTY, 'README.md'), '# Notes\n\nNothing to deploy here yet.\n');

// A quiet workbench: no welcome page, no chat panel, no gallery checks (the machine is offline). Auto save off,
// as in desktop VS Code (the web workbench saves after a second by default, which would save what tests leave unsaved).
mkdirSync(path.join(dirs.user, 'User'), { recursive: true });
writeFileSync(
  path.join(dirs.user, 'User', 'settings.json'),
  JSON.stringify({ 'files.autoSave': 'off', 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'git.enabled': false, 'security.workspace.trust.enabled': false, 'shipshape.render.helm': TOOLS.helm, 'shipshape.render.kubectl': TOOLS.kubectl }, null, 2),
);

const port = await freePort();
const BASE = `http://127.0.0.1:${port}`;
writeFileSync(path.join(TMP, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
const serverLog = path.join(TMP, 'code-server.log');
const workbenchLog = path.join(TMP, 'workbench.log');
const logFd = openSync(serverLog, 'a');
const env = { ...process.env, XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'], XDG_RUNTIME_DIR: dirs.run, TMPDIR: dirs.run, SHIPSHAPE_RESULTS_DIR: RESULTS };
delete env.NODE_OPTIONS;
// detached: the server leads a new session (setsid), so the whole group can be stopped at the end.
const server = spawn(
  path.join(TOOLCHAIN, 'code-server.sh'),
  ['--config', path.join(TMP, 'config.yaml'), '--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', '--vscode-option', 'enable-smoke-test-driver'],
  { cwd: TMP, env, detached: true, stdio: ['ignore', logFd, logFd] },
);
closeSync(logFd);

let stopped = false;
function stopServer() {
  if (stopped) return;
  stopped = true;
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    try {
      process.kill(-server.pid, 0);
    } catch {
      break;
    }
    spawnSync('sleep', ['0.1']);
  }
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    /* the group has exited */
  }
}
function cleanup() {
  stopServer();
  if (!process.env.SHIPSHAPE_KEEP_TMP) rmSync(TMP, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => process.exit(130));

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
const tailLog = () => tail(serverLog);

const { chromium } = await import('playwright-core');
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const workbenchUrl = (ws, payload) => `${BASE}/?${ws.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(ws)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;

const TRUST_SPEC = 'test/e2e/trust.test.ts';

/** Starts a second code-server with workspace trust on, runs the trust test against it, stops it. */
async function runTrustTest() {
  const base = path.join(TMP, 'trust');
  const d = Object.fromEntries(['user', 'extensions', 'xdg-config', 'xdg-data', 'run', 'profile'].map((n) => [n, path.join(base, n)]));
  for (const dir of Object.values(d)) mkdirSync(dir, { recursive: true });
  const ws = path.join(base, 'ws-chart');
  cpSync(path.join(REPO, 'test', 'fixtures', 'charts', 'shop'), path.join(ws, 'chart'), { recursive: true });
  writeFileSync(path.join(ws, 'Dockerfile'), 'FROM node:20-alpine\nUSER node\nCMD ["node", "server.js"]\n');
  // helm: a wrapper that records that it ran (and renders nothing)
  const helmLog = path.join(base, 'helm-runs.log');
  const helm = path.join(base, 'helm');
  writeFileSync(helm, `#!/bin/sh\necho "$@" >> '${helmLog}'\nexit 1\n`, { mode: 0o755 });
  const settings = { ...JSON.parse(readFileSync(path.join(dirs.user, 'User', 'settings.json'), 'utf8')), 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always', 'shipshape.render.helm': helm };
  for (const scope of ['User', 'Machine']) {
    mkdirSync(path.join(d.user, scope), { recursive: true });
    writeFileSync(path.join(d.user, scope, 'settings.json'), JSON.stringify(settings, null, 2));
  }
  const p = await freePort();
  const cfg = path.join(base, 'config.yaml');
  writeFileSync(cfg, `bind-addr: 127.0.0.1:${p}\nauth: none\ncert: false\n`);
  const fd = openSync(path.join(base, 'code-server.log'), 'a');
  const srv = spawn(
    path.join(TOOLCHAIN, 'code-server.sh'),
    ['--config', cfg, '--user-data-dir', d.user, '--extensions-dir', d.extensions, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened', '--vscode-option', 'enable-smoke-test-driver'],
    { cwd: base, env: { ...env, XDG_CONFIG_HOME: d['xdg-config'], XDG_DATA_HOME: d['xdg-data'], XDG_RUNTIME_DIR: d.run, TMPDIR: d.run }, detached: true, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  const stop = () => {
    try {
      process.kill(-srv.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    spawnSync('sleep', ['1']);
    try {
      process.kill(-srv.pid, 'SIGKILL');
    } catch {
      /* the group has exited */
    }
  };
  process.on('exit', stop);
  try {
    await waitHealthy(`http://127.0.0.1:${p}`, srv);
    const remoteUrl = (x) => `vscode-remote://127.0.0.1:${p}${x}`;
    const url = `http://127.0.0.1:${p}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', remoteUrl(REPO)]]))}`;
    return spawnSync(
      process.execPath,
      [path.join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--require', 'tsx/cjs', '--extension', 'ts', '--timeout', String(UI_TIMEOUT_MS), '--reporter', path.join(REPO, 'test', 'support', 'countingReporter.js'), TRUST_SPEC],
      {
        cwd: REPO,
        stdio: 'inherit',
        timeout: UI_TIMEOUT_MS + 30000,
        env: { ...process.env, SHIPSHAPE_SUITE: 'vscode-ui-trust', SHIPSHAPE_RESULTS_DIR: RESULTS, SHIPSHAPE_UI_TRUST_URL: url, SHIPSHAPE_UI_TRUST: ws, SHIPSHAPE_UI_HELM_LOG: helmLog, SHIPSHAPE_UI_PROFILE: d.profile, SHIPSHAPE_CHROMIUM: CHROMIUM },
      },
    );
  } finally {
    stop();
  }
}

let exit = 0;
try {
  await waitHealthy(BASE, server);
  log(`code-server on ${BASE} (pid ${server.pid})`);

  // 3. Integration suite inside the extension host. (SHIPSHAPE_VSCODE_ONLY=ui|integration runs one part while developing;
  //    SHIPSHAPE_GREP=<pattern> runs the matching integration tests only; SHIPSHAPE_UI_SPEC=<file or glob> the matching UI tests.)
  if (process.env.SHIPSHAPE_VSCODE_ONLY !== 'ui') {
    const t0 = Date.now();
    const payload = [
      ['extensionDevelopmentPath', remote(REPO)],
      ['extensionTestsPath', remote(path.join(REPO, 'out', 'test', 'integration', 'index.js'))],
      ['extensionEnvironment', JSON.stringify({ SHIPSHAPE_RESULTS_DIR: RESULTS, SHIPSHAPE_SUITE: 'vscode-integration', ...(process.env.SHIPSHAPE_GREP ? { SHIPSHAPE_GREP: process.env.SHIPSHAPE_GREP } : {}) })],
    ];
    const context = await chromium.launchPersistentContext(dirs['profile-int'], { executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS, viewport: { width: 1400, height: 900 } });
    let code;
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const done = new Promise((resolve) => {
        // The workbench's own log (noisy: offline gallery, chat…) is kept for failures; the suite prints its own.
        page.exposeFunction('codeAutomationLog', (level, args) => {
          const text = Array.isArray(args) ? format(...args) : String(args);
          appendFileSync(workbenchLog, `[${level}] ${text.replace(/\n$/, '')}\n`);
        });
        page.exposeFunction('codeAutomationExit', (c) => resolve(c));
      });
      await page.goto(workbenchUrl(WORKSPACE_FILE, payload));
      code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), INTEGRATION_TIMEOUT_MS))]);
    } finally {
      await context.close();
    }
    try {
      process.stdout.write(readFileSync(path.join(RESULTS, 'vscode-integration.log'), 'utf8'));
    } catch {
      /* the suite never started: the workbench log below says why */
    }
    log(`integration suite exited with ${code} after ${Math.round((Date.now() - t0) / 1000)} s`);
    const r = readResult('vscode-integration');
    if (code !== 0 || !r || r.failed > 0) console.error(`[vscode-tests] workbench log (last lines):\n${tail(workbenchLog, 60)}`);
    if (code !== 0 || !r || r.failed > 0) exit = 1;
    if (!r) writeResult('vscode-integration', code === 'timeout' ? `timed out after ${INTEGRATION_TIMEOUT_MS} ms` : `the suite wrote no results (exit ${code}); code-server log:\n${tailLog()}`);
  }

  // 4. UI test: a person's view of the workbench (mocha in Node with playwright-core). (SHIPSHAPE_UI_SPEC=trust: the trust test only.)
  if (process.env.SHIPSHAPE_VSCODE_ONLY !== 'integration' && process.env.SHIPSHAPE_UI_SPEC !== 'trust') {
    const t0 = Date.now();
    const payload = [['extensionDevelopmentPath', remote(REPO)]];
    const r = spawnSync(
      process.execPath,
      [path.join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--require', 'tsx/cjs', '--extension', 'ts', '--timeout', String(UI_TIMEOUT_MS), '--reporter', path.join(REPO, 'test', 'support', 'countingReporter.js'), '--ignore', TRUST_SPEC, process.env.SHIPSHAPE_UI_SPEC ?? 'test/e2e/**/*.test.ts'],
      {
        cwd: REPO,
        stdio: 'inherit',
        timeout: UI_TIMEOUT_MS + 30000,
        env: {
          ...process.env,
          SHIPSHAPE_SUITE: 'vscode-ui',
          SHIPSHAPE_RESULTS_DIR: RESULTS,
          SHIPSHAPE_UI_URL: workbenchUrl(WS_UI, payload),
          SHIPSHAPE_UI_WORKSPACE: WS_UI,
          SHIPSHAPE_UI_EXAMPLE_URL: workbenchUrl(WS_EXAMPLE, payload),
          SHIPSHAPE_UI_EXAMPLE: WS_EXAMPLE,
          ...(WS_DEMO ? { SHIPSHAPE_UI_DEMO_URL: workbenchUrl(WS_DEMO, payload), SHIPSHAPE_UI_DEMO: WS_DEMO } : {}),
          SHIPSHAPE_UI_LARGE_URL: workbenchUrl(WS_LARGE, payload),
          SHIPSHAPE_UI_LARGE: WS_LARGE,
          SHIPSHAPE_UI_EMPTY_URL: workbenchUrl(WS_EMPTY, payload),
          // the extension host's logs (the Shipshape channel's startup line) are under code-server's user data
          SHIPSHAPE_UI_USER_DATA: dirs.user,
          SHIPSHAPE_UI_PROFILE: dirs['profile-ui'],
          SHIPSHAPE_CHROMIUM: CHROMIUM,
        },
      },
    );
    log(`UI test exited with ${r.status ?? r.signal} after ${Math.round((Date.now() - t0) / 1000)} s`);
    if (r.status !== 0) exit = 1;
    if (!readResult('vscode-ui')) writeResult('vscode-ui', `the UI test wrote no results (exit ${r.status ?? r.signal})`);
  }

  // 5. Workspace trust: a second server with trust enabled (the first runs with --disable-workspace-trust), a folder
  //    with a Helm chart opened and left untrusted; helm is a wrapper that records each run.
  if (process.env.SHIPSHAPE_VSCODE_ONLY !== 'integration' && (!process.env.SHIPSHAPE_UI_SPEC || process.env.SHIPSHAPE_UI_SPEC.includes('trust'))) {
    const t0 = Date.now();
    const r = await runTrustTest();
    log(`trust test exited with ${r.status ?? r.signal} after ${Math.round((Date.now() - t0) / 1000)} s`);
    if (r.status !== 0) exit = 1;
    if (!readResult('vscode-ui-trust')) writeResult('vscode-ui-trust', `the trust test wrote no results (exit ${r.status ?? r.signal})`);
  }
} catch (e) {
  exit = 1;
  const msg = `${e instanceof Error ? e.message : String(e)}\n${tailLog()}`;
  console.error(msg);
  writeResult('vscode-integration', msg);
  writeResult('vscode-ui', msg);
} finally {
  stopServer();
}
if (exit) console.error(`[vscode-tests] code-server log (last lines):\n${tailLog()}`);
log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(exit);
