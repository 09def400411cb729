import * as os from 'node:os';
import * as vscode from 'vscode';
import { ATTESTATIONS_FILE, parseAttestations, setAttestation as withAttestation } from '../engine/attestations';
import type { Attestation } from '../engine/model';
import { openDocument, readText, refusedLink, resolveRelative } from './files';
import type { FolderAuditor } from './scan';
import { withTimeout } from './withTimeout';

interface GitRepository {
  getConfig(key: string): Promise<string>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
}

/**
 * Who signs off: the `shipshape.attestation.author` setting, else git's author from the environment, else
 * the git extension's user.name/user.email when it is already running (never activated for this), else the OS user.
 */
export async function author(a: FolderAuditor): Promise<string> {
  if (a.settings.attestationAuthor.trim()) return a.settings.attestationAuthor.trim();
  const env = process.env;
  const name = env.GIT_AUTHOR_NAME || env.GIT_COMMITTER_NAME;
  const email = env.GIT_AUTHOR_EMAIL || env.GIT_COMMITTER_EMAIL || env.EMAIL;
  if (name) return email ? `${name} <${email}>` : name;
  const git = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  if (git?.isActive) {
    try {
      const repo = git.exports.getAPI(1).getRepository(a.folder.uri);
      if (repo) {
        const [n, e] = await Promise.all([withTimeout(repo.getConfig('user.name'), 1500), withTimeout(repo.getConfig('user.email'), 1500)]);
        if (n) return e ? `${n} <${e}>` : n;
      }
    } catch {
      /* no git config: fall back to the OS user */
    }
  }
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return env.USER || env.USERNAME || 'unknown';
  }
}

/**
 * Ticks (or unticks) a manual item: writes `.shipshape/attestations.yaml` in the folder (through the open
 * editor when the file is open, else workspace.fs) and re-audits at once.
 */
export async function setAttestation(a: FolderAuditor, itemId: string, checked: boolean, note?: string): Promise<Attestation | undefined> {
  const uri = resolveRelative(a.folder.uri, ATTESTATIONS_FILE);
  // never written through a symbolic link to a path outside the folder (as `shipshape fix` refuses to)
  if (refusedLink(a.folder.uri, uri)) throw new Error(`${ATTESTATIONS_FILE} is a symbolic link to a path outside the workspace; it is not written`);
  const current = await readText(uri, ATTESTATIONS_FILE, []);
  const att: Attestation | undefined = checked ? { by: await author(a), at: new Date().toISOString(), ...(note ? { note } : {}) } : undefined;
  const text = withAttestation(current, itemId, att);
  const doc = openDocument(uri);
  if (doc) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${ATTESTATIONS_FILE}`);
    await doc.save();
  } else {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  }
  if (a.setup) {
    a.setup.attestations = parseAttestations(text).attestations;
    a.reaudit();
  }
  return att;
}
