// Helpers for `npm run bench`: child processes, statistics, the npm linters and the extension bundle.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs a Node process to its end and times it from the parent (process start to exit); fails unless it exits 0. */
export function timeProcess(args: string[], env?: Record<string, string>): { ms: number; stdout: string; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: env ? { ...process.env, ...env } : undefined });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/** Runs one measurement in a fresh Node process (see child.ts) and returns what it printed. */
export function runChild<T>(childJs: string, mode: string, options: object, nodeArgs: string[] = []): T {
  const r = spawnSync(process.execPath, [...nodeArgs, childJs, mode, JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`bench child "${mode}" failed (exit ${r.status}):\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

export const LINTERS = ['dockerfilelint', 'dockerfile-utils'];

/** Installs the npm Dockerfile linters into their own folder (never as project dependencies). */
export function installLinters(dir: string): { ok: boolean; message: string; versions: Record<string, string> } {
  const have = () => LINTERS.every((n) => existsSync(path.join(dir, 'node_modules', n, 'package.json')));
  if (!have()) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', ...LINTERS], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0 || !have()) return { ok: false, message: `npm install failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-2).join(' ')}`, versions: {} };
  }
  const versions: Record<string, string> = {};
  for (const n of LINTERS) versions[n] = (require(path.join(dir, 'node_modules', n, 'package.json')) as { version: string }).version;
  return { ok: true, message: 'installed', versions };
}

export interface BundleSizes {
  extension?: number;
  cli?: number;
  ms: number;
  error?: string;
}

/**
 * Runs the project's own build (`scripts/build.mjs --production`) with a temporary working folder
 * whose `src` links to ours, so the minified bundles land there and never overwrite dist/.
 */
export function buildProductionBundles(keepCli?: string): BundleSizes {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'shipshape-bundle-'));
  const t0 = performance.now();
  try {
    symlinkSync(path.join(REPO, 'src'), path.join(tmp, 'src'), 'dir');
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), '--production'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    const ms = performance.now() - t0;
    if (r.status !== 0) return { ms, error: (r.stderr || 'build failed').trim().split('\n').slice(0, 3).join(' ') };
    const size = (f: string) => (existsSync(f) ? statSync(f).size : undefined);
    if (keepCli) {
      mkdirSync(path.dirname(keepCli), { recursive: true });
      copyFileSync(path.join(tmp, 'dist', 'cli.js'), keepCli);
    }
    return { extension: size(path.join(tmp, 'dist', 'extension.js')), cli: size(path.join(tmp, 'dist', 'cli.js')), ms };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
