import type { ShellCommand, Word } from './shell';
import { hasOption, operands, program, subcommand } from './shellProgram';

/** A dependency install of a Node package manager found in a RUN. */
export interface NodeInstall {
  manager: 'npm' | 'yarn' | 'pnpm' | 'bun';
  /** `npm ci`, `yarn install --frozen-lockfile`…: installs exactly what the lockfile says. */
  frozen: boolean;
  /** Skips devDependencies (`--omit=dev`, `--production`, `--prod`…), or `NODE_ENV=production` prefixes it. */
  productionOnly: boolean;
  /** `npm prune --omit=dev` and friends: not an install, but it removes devDependencies. */
  prune: boolean;
  /** First and last word of the command name (`npm install`), for the finding range. */
  start: number;
  end: number;
  text: string;
}

const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall']);
const NPM_CI = new Set(['ci', 'clean-install', 'ic', 'install-clean', 'isntall-clean']);
const MANAGERS: ReadonlySet<string> = new Set(['npm', 'yarn', 'pnpm', 'bun']);

function prodFlag(args: Word[], manager: NodeInstall['manager']): boolean {
  if (args.some((a) => /^--omit=dev$|^--only=prod(uction)?$|^--production(=true)?$|^--prod$/.test(a.value))) return true;
  for (let k = 0; k + 1 < args.length; k++) {
    if ((args[k].value === '--omit' && args[k + 1].value === 'dev') || (args[k].value === '--only' && /^prod(uction)?$/.test(args[k + 1].value))) return true;
  }
  if (manager === 'pnpm' && hasOption(args, '-P')) return true;
  if (manager === 'bun' && hasOption(args, '-p')) return true;
  return false;
}

/**
 * Recognises a Node dependency install (or prune) in one shell command. Package additions
 * (`npm install express`, `yarn add`) and global tool installs (`npm install -g pnpm`) are not
 * dependency installs and return undefined.
 */
export function nodeInstall(cmd: ShellCommand): NodeInstall | undefined {
  // two checks ask about every command: computed once (the shell module's commands have a slot for it)
  const slot = cmd as ShellCommand & { installSlot?: NodeInstall | null };
  let found = slot.installSlot;
  if (found === undefined) slot.installSlot = found = readNodeInstall(cmd) ?? null;
  return found ?? undefined;
}

function readNodeInstall(cmd: ShellCommand): NodeInstall | undefined {
  const p = program(cmd);
  if (!p || !MANAGERS.has(p.name)) return undefined;
  const manager = p.name as NodeInstall['manager'];
  const sub = subcommand(cmd, p.at);
  const name = sub.name?.value;
  const args = sub.args;
  const envProd = cmd.assignments.some((a) => /^NODE_ENV=["']?production["']?$/.test(a.value));
  const make = (frozen: boolean, productionOnly: boolean, prune = false): NodeInstall => {
    const last = sub.name ?? cmd.words[p.at];
    return { manager, frozen, productionOnly: productionOnly || envProd, prune, start: cmd.words[p.at].start, end: last.end, text: `${manager}${sub.name ? ` ${sub.name.value}` : ''}` };
  };
  if (hasOption(args, '-g', '--global', '--location=global', '--version', '-v', '--help', '-h')) return undefined;
  switch (manager) {
    case 'npm':
      if (name && NPM_CI.has(name)) return make(true, prodFlag(args, manager));
      if (name && NPM_INSTALL.has(name)) return operands(args).length > 0 ? undefined : make(false, prodFlag(args, manager));
      if (name === 'prune') return make(false, prodFlag(args, manager) || envProd, true);
      return undefined;
    case 'yarn':
      if (name === undefined || name === 'install') return make(hasOption(args, '--frozen-lockfile', '--immutable'), prodFlag(args, manager));
      if (name === 'workspaces' && args.some((a) => a.value === 'focus')) return make(true, prodFlag(args, manager));
      return undefined;
    case 'pnpm':
    case 'bun':
      if (name === 'install' || name === 'i') return operands(args).length > 0 ? undefined : make(hasOption(args, '--frozen-lockfile'), prodFlag(args, manager));
      if (name === 'prune' && manager === 'pnpm') return make(false, prodFlag(args, manager) || envProd, true);
      return undefined;
  }
}
