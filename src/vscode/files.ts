import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import * as vscode from 'vscode';
import { classifyPath } from '../engine/discover';
import type { Problem } from '../engine/model';
import { followLink, linkRefusal, onePerRealFile, realRoot } from '../node/walk';
import { decodeUtf16 } from '../node/textFile';
import { oversizedFile, unreadableFile, unreadableFolder } from '../node/unreadable';
import type { IgnoreRules } from './paths';

export { IgnoreRules, toSource } from './paths';

/**
 * Reading a workspace folder: a local file's bytes through node:fs as the CLI reads them, a remote or virtual
 * workspace's through `vscode.workspace.fs`, and live TextDocuments (so open editors are audited as typed).
 */

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
/** How long a walk lists folders before it lets other work of the extension host run. */
const WALK_YIELD_MS = 15;

/** The path of a resource relative to a folder (forward slashes), or undefined when outside it. */
export function relativePath(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return undefined;
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  if (!uri.path.startsWith(base)) return undefined;
  const rel = uri.path.slice(base.length);
  return rel || undefined;
}

export function resolveRelative(folder: vscode.Uri, rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder, ...rel.split('/'));
}

/** The open document for a uri, if any: its text is what the user sees, saved or not. */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
}

/** Decodes bytes as UTF-16 when they start with its byte order mark, else as UTF-8; invalid UTF-8 is reported and decoded with replacement characters. */
export function decode(bytes: Uint8Array, rel: string, problems: Problem[]): string {
  const utf16 = decodeUtf16(bytes);
  if (utf16) return utf16.text;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push({ file: rel, message: 'File is not valid UTF-8; invalid bytes were replaced while reading it.', severity: 'info' });
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Reads a file's current text: the live buffer when open, else the file system. Undefined when missing. */
export async function readText(uri: vscode.Uri, rel: string, problems: Problem[], maxSize = Infinity): Promise<string | undefined> {
  const doc = openDocument(uri);
  const tooBig = (size: number): boolean => {
    if (size <= maxSize) return false;
    problems.push(oversizedFile(rel, size, maxSize));
    return true;
  };
  if (doc) {
    const text = doc.getText();
    return tooBig(text.length) ? undefined : text;
  }
  return readDiskText(uri, rel, problems, tooBig);
}

/**
 * The file's text on disk, decoded as the scanner decodes it, whatever an open document shows. A local file
 * is read through node:fs as the CLI reads it (a fraction of the file system API's round trips); remote and
 * virtual workspaces through the file system API.
 */
export async function readDiskText(uri: vscode.Uri, rel: string, problems: Problem[], tooBig: (size: number) => boolean = () => false): Promise<string | undefined> {
  try {
    const bytes = uri.scheme === 'file' ? readFileSync(uri.fsPath) : await vscode.workspace.fs.readFile(uri);
    if (tooBig(bytes.byteLength)) return undefined;
    return decode(bytes, rel, problems);
  } catch (e) {
    const code = e instanceof vscode.FileSystemError ? e.code : (e as NodeJS.ErrnoException).code;
    if (code === 'FileNotFound' || code === 'ENOENT') return undefined;
    problems.push(unreadableFile(rel, code, (e as Error).message));
    return undefined;
  }
}

/**
 * A folder's entries as `vscode.workspace.fs.readDirectory` gives them: a local folder's through node:fs,
 * synchronously, as the CLI lists them (in a remote window the file system API crosses to the workbench and
 * back for every folder, and each asynchronous listing is a thread-pool round trip), a remote or virtual
 * workspace's through the file system API. A symbolic link's type is the link's plus its target's (none when it dangles).
 */
export async function listDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
  if (uri.scheme !== 'file') return vscode.workspace.fs.readDirectory(uri);
  return readdirSync(uri.fsPath, { withFileTypes: true }).map((e): [string, vscode.FileType] => {
    if (e.isDirectory()) return [e.name, vscode.FileType.Directory];
    if (e.isFile()) return [e.name, vscode.FileType.File];
    if (!e.isSymbolicLink()) return [e.name, vscode.FileType.Unknown];
    let target: Stats | undefined;
    try {
      target = statSync(vscode.Uri.joinPath(uri, e.name).fsPath);
    } catch {
      target = undefined;
    }
    const type = target?.isDirectory() ? vscode.FileType.Directory : target?.isFile() ? vscode.FileType.File : vscode.FileType.Unknown;
    return [e.name, vscode.FileType.SymbolicLink | type];
  });
}

export interface Candidate {
  path: string;
  uri: vscode.Uri;
  size: number;
  /** For a symbolic link on disk: the real path of its target (inside the folder). */
  target?: string;
}

export interface WalkOptions {
  exclude?: readonly string[];
  maxFiles: number;
  token?: vscode.CancellationToken;
  /** Folders (uri strings) not to enter: nested workspace folders, which are audited on their own. */
  skip?: ReadonlySet<string>;
}

/** Why a file of a folder on disk is not read because it is a symbolic link (see linkRefusal), or undefined. */
export function refusedLink(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  return folder.scheme === 'file' && uri.scheme === 'file' ? linkRefusal(folder.fsPath, uri.fsPath) : undefined;
}

/**
 * Walks a folder for the files Shipshape reads, honouring .gitignore files, settings excludes and the
 * always-skipped folders; symbolic links to folders are not followed, and on disk a symbolic link to a file
 * outside the folder is not read (an info problem, as the CLI). Unreadable folders become problems.
 */
export async function walk(root: vscode.Uri, rules: IgnoreRules, options: WalkOptions): Promise<{ files: Candidate[]; problems: Problem[]; links: Problem[]; limited: boolean }> {
  const files: Candidate[] = [];
  const problems: Problem[] = [];
  /** Refused symbolic links: problems of one file each, which an update of that file replaces. */
  const links: Problem[] = [];
  let limited = false;
  let real: string | undefined;
  const rootReal = (): string => (real ??= realRoot(root.fsPath));
  const queue: string[] = [''];
  let yielded = Date.now();
  while (queue.length && !limited) {
    if (options.token?.isCancellationRequested) throw new vscode.CancellationError();
    // (local listings do not wait: every few milliseconds, let the extension host's other work through)
    if (Date.now() - yielded >= WALK_YIELD_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      yielded = Date.now();
    }
    const rel = queue.shift()!;
    const dirUri = rel ? resolveRelative(root, rel) : root;
    let entries: [string, vscode.FileType][];
    try {
      entries = await listDirectory(dirUri);
    } catch (e) {
      problems.push(unreadableFolder(rel, e instanceof vscode.FileSystemError ? e.code : (e as NodeJS.ErrnoException).code, (e as Error).message));
      continue;
    }
    if (entries.some(([name, type]) => name === '.gitignore' && type & vscode.FileType.File)) {
      try {
        const gitignore = vscode.Uri.joinPath(dirUri, '.gitignore');
        rules.setGitignore(rel, new TextDecoder().decode(gitignore.scheme === 'file' ? readFileSync(gitignore.fsPath) : await vscode.workspace.fs.readFile(gitignore)));
      } catch {
        /* unreadable .gitignore: the walk goes on without it */
      }
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const besidePackage = entries.some(([name, type]) => name === 'package.json' && !(type & vscode.FileType.Directory));
    for (const [name, type] of entries) {
      const relPath = rel ? `${rel}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (type & vscode.FileType.SymbolicLink) continue;
        if (rules.skipsFolder(relPath, name, besidePackage) || rules.ignores(relPath, true)) continue;
        if (options.skip?.has(resolveRelative(root, relPath).toString())) continue;
        queue.push(relPath);
        continue;
      }
      let target: string | undefined;
      if (type & vscode.FileType.SymbolicLink && root.scheme === 'file' && !rules.ignores(relPath)) {
        const r = followLink(rootReal(), vscode.Uri.joinPath(dirUri, name).fsPath);
        if ('refused' in r) {
          links.push({ file: relPath, message: r.refused, severity: 'info' });
          continue;
        }
        target = r.real;
      }
      if (!(type & vscode.FileType.File)) continue;
      if (!classifyPath(relPath) || rules.ignores(relPath)) continue;
      if (files.length >= options.maxFiles) {
        limited = true;
        problems.push({ file: relPath, message: `Stopped after ${options.maxFiles} files (shipshape.maxFiles); the rest of the workspace was not scanned.`, severity: 'warning', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, unaudited: 'file' });
        break;
      }
      files.push({ path: relPath, uri: vscode.Uri.joinPath(dirUri, name), size: -1, ...(target ? { target } : {}) });
    }
  }
  return { files: onePerRealFile(files, rootReal, links), problems, links, limited };
}
