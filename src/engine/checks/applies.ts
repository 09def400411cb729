import type { FileKind } from '../model';
import type { AppliesTo } from '../checklist/appliesTo';
import { fileFacts, matches, repositoryFacts } from '../services';
import type { ParsedFile, WorkspaceView } from '../workspace';
import type { FileValues } from './fileValues';
import type { AnyTemplate, CheckOutput } from './template';

/**
 * A template restricted to where an item applies (`appliesTo` in its checklist YAML). A file check is not
 * applicable on a file whose service does not match (a Dockerfile that builds Go, for a Node rule). A
 * workspace check is not applicable when no service of the repository matches, and drops its findings on
 * files whose service does not match. Files whose runtime or base cannot be told are audited as before.
 */
export function restrictTemplate(template: AnyTemplate, where: AppliesTo): AnyTemplate {
  if (template.scope === 'file') {
    return { ...template, run: (file: ParsedFile, params: unknown, values?: FileValues) => (matches(fileFacts(file), where) ? template.run(file, params, values) : undefined) };
  }
  // the findings kept of each raw output while the files that tell services apart are the same (byKind keeps its
  // lists while their files do), so that an unchanged output keeps its identity and the engine keeps its result
  const kept = new WeakMap<CheckOutput, { dockerfiles: readonly ParsedFile[]; pkgs: readonly ParsedFile[]; out: CheckOutput }>();
  const kinds: FileKind[] = [...new Set<FileKind>([...template.kinds, 'dockerfile', 'packageJson', 'buildManifest'])];
  return {
    ...template,
    kinds,
    run(ws: WorkspaceView, params: unknown) {
      if (!repositoryMatches(ws, where)) return undefined;
      const out = template.run(ws, params);
      if (!out || out.findings.length === 0) return out;
      const dockerfiles = ws.byKind('dockerfile');
      const pkgs = ws.byKind('packageJson');
      const last = kept.get(out);
      if (last && last.dockerfiles === dockerfiles && last.pkgs === pkgs) return last.out;
      const findings = out.findings.filter((f) => {
        const file = f.scope === 'repository' ? undefined : ws.get(f.file);
        return !file || matches(fileFacts(file), where);
      });
      const filtered = findings.length === out.findings.length ? out : { ...out, findings };
      kept.set(out, { dockerfiles, pkgs, out: filtered });
      return filtered;
    },
  };
}

/** Some service of the repository matches (a repository whose services cannot be told matches). */
function repositoryMatches(ws: WorkspaceView, where: AppliesTo): boolean {
  const { runtimes, bases } = repositoryFacts(ws);
  if (where.runtime && runtimes.size > 0 && !where.runtime.some((r) => runtimes.has(r))) return false;
  const told = [...bases].filter((b) => b !== 'unknown');
  if (where.base && told.length > 0 && !told.some((b) => where.base!.includes(b))) return false;
  return true;
}
