import type { FileKind } from './model';
import { baseName } from './text';

/**
 * Folders never scanned, whatever .gitignore says: dependencies, version control, tool caches, framework output, and a
 * dev container's definition (`.devcontainer/`: the editor's development environment, never deployed).
 */
export const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.next', '.nuxt', '.turbo', '.cache', '.vscode-test', '.shipshape-cache', '.devcontainer']);

/**
 * Folder names that are usually build output, but not always: `build/package/Dockerfile` is the Go project
 * layout's packaging folder. One is skipped only when it is output: next to a package.json (a JavaScript
 * package's `dist`, `out`, `build`, `coverage`) or ignored by .gitignore (which every walk honours anyway).
 */
export const OUTPUT_DIRS = new Set(['dist', 'out', 'build', 'coverage']);

/** Whether a folder named `name` is skipped, given whether its parent folder holds a package.json. */
export function skipsFolder(name: string, besidePackageJson: boolean): boolean {
  return ALWAYS_SKIPPED_DIRS.has(name) || (besidePackageJson && OUTPUT_DIRS.has(name));
}

const ENV_RE = /^\.env(\..+)?$|^[^/]+\.env$/;
const DOCKERFILE_RE = /^(dockerfile|containerfile)(\..+)?$|^.+\.(dockerfile|containerfile)$/i;
const COMPOSE_RE = /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i;
const TOOL_CONFIG_RE = /^(tsconfig(\.[\w-]+)?\.json|(jest|vitest|playwright|cypress)\.config\.[cm]?[jt]s|jest\.config\.json|eslint\.config\.[cm]?[jt]s|\.eslintrc(\.(c?js|json|ya?ml))?|\.nycrc(\.json)?|\.c8rc(\.json)?|renovate\.json5?|\.renovaterc(\.json)?)$/;
const LOCKFILES = new Set(['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'npm-shrinkwrap.json', 'bun.lockb', 'bun.lock']);
/** Build and dependency files whose name tells a service's language (see services.ts); their text is not read. */
const BUILD_MANIFESTS = new Set(['go.mod', 'requirements.txt', 'pyproject.toml', 'pipfile', 'pom.xml', 'build.gradle', 'build.gradle.kts', 'gemfile', 'cargo.toml', 'composer.json']);
const BUILD_MANIFEST_RE = /\.(csproj|fsproj|vbproj|sln)$/;

/** Kinds whose files matter by name and place only: the hosts hand them over without reading them. */
export function presenceOnly(kind: FileKind | 'maybeKubernetes'): boolean {
  return kind === 'lockfile' || kind === 'buildManifest';
}

/** A Jenkins pipeline: `Jenkinsfile`, `Jenkinsfile.deploy`, `deploy.jenkinsfile` (Groovy, read for its shell steps). */
export function isJenkinsfile(path: string): boolean {
  return /(^|\/)(Jenkinsfile([._-][\w.-]*)?|[\w.-]+\.jenkinsfile)$/i.test(path);
}

/**
 * A Google Cloud Build config: `cloudbuild.yaml` (or `cloudbuild-pr.yaml`, `pr.cloudbuild.yaml`) anywhere, or a YAML
 * file in a `cloudbuild/` folder at the root or in `.github/` or `ci/` (a `cloudbuild/` folder deeper may hold manifests).
 */
export function isCloudBuild(path: string): boolean {
  return /(^|\/)(cloudbuild([._-][\w.-]*)?|[\w.-]+[._-]cloudbuild)\.ya?ml$/i.test(path) || /^(\.github\/|\.?ci\/)?cloudbuild\/[^/]+\.ya?ml$/i.test(path);
}

/**
 * Classifies a path (relative, forward slashes) by its name alone. YAML and JSON files that may be
 * Kubernetes objects return 'maybeKubernetes': call {@link sniffKubernetes} on their text.
 */
export function classifyPath(path: string): FileKind | 'maybeKubernetes' | undefined {
  const name = baseName(path);
  const lower = name.toLowerCase();
  if (lower === '.shipshape.yaml' || lower === '.shipshape.yml') return 'config';
  if (lower.endsWith('.checklist.yaml') || lower.endsWith('.checklist.yml')) return 'checklist';
  if (path.startsWith('.shipshape/')) return undefined;
  if (lower === '.dockerignore' || lower.endsWith('.dockerignore')) return 'dockerignore';
  if (DOCKERFILE_RE.test(name) && !lower.endsWith('.md')) return 'dockerfile';
  if (lower === '.gitignore') return 'gitignore';
  if (ENV_RE.test(name)) return 'env';
  if (lower === 'package.json') return 'packageJson';
  if (LOCKFILES.has(lower)) return 'lockfile';
  if (BUILD_MANIFESTS.has(lower) || BUILD_MANIFEST_RE.test(lower)) return 'buildManifest';
  if (lower === '.gitlab-ci.yml' || /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path) || lower === 'azure-pipelines.yml' || lower === 'bitbucket-pipelines.yml' || /(^|\/)\.circleci\/config\.ya?ml$/.test(path) || lower === '.travis.yml' || isCloudBuild(path) || isJenkinsfile(path)) return 'ciWorkflow';
  if (COMPOSE_RE.test(name)) return 'compose';
  if (lower.endsWith('.md') || lower.endsWith('.markdown')) return 'markdown';
  if (TOOL_CONFIG_RE.test(name) || /(^|\/)\.github\/(dependabot\.ya?ml|renovate\.json5?)$/.test(path)) return 'toolConfig';
  // kustomize reads a file named `Kustomization` (no extension) like kustomization.yaml
  if (lower.endsWith('.yaml') || lower.endsWith('.yml') || lower.endsWith('.json') || name === 'Kustomization') return 'maybeKubernetes';
  return undefined;
}

/** Cheap test, before any full parse: does this YAML or JSON text declare apiVersion and kind at the top level? */
export function sniffKubernetes(text: string, path: string): boolean {
  const head = text.length > 262144 ? text.slice(0, 262144) : text;
  if (path.toLowerCase().endsWith('.json')) return /"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head);
  // JSON or a flow-style map in a .yaml file: the keys sit anywhere on the line
  if (/^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:---[ \t]*\r?\n[ \t]*)?[{[]/.test(head)) return /["']?apiVersion["']?[ \t]*:/.test(head) && /["']?kind["']?[ \t]*:/.test(head);
  // [ \t] rather than \s: with the m flag, `^\s*` spans blank lines and backtracks cubically on a file of them.
  return /^["']?apiVersion["']?[ \t]*:/m.test(head) && /^["']?kind["']?[ \t]*:/m.test(head) || /^[ \t]*-?[ \t]*apiVersion[ \t]*:/m.test(head) && /^[ \t]*kind[ \t]*:[ \t]*List\b/m.test(head);
}

/** A Markdown list line with some text: `- item`, `* item`, `1. item` (the parser reads such lines as a plain-list checklist's items). */
export const LIST_LINE = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S/m;
const LIST_LINES = new RegExp(LIST_LINE.source, 'gm');

/** A Markdown file named as a checklist: `PROD_CHECKLIST.md`, `go-live-checklist.md`, `production-readiness.md`. */
export const CHECKLIST_FILE = /(?:^|\/)[^/]*(?:checklist|readiness)[^/]*\.(?:md|markdown)$/i;

/**
 * Markdown files that look like a checklist: at least three task items (`- [ ]` / `- [x]`), or, in a file named as a
 * checklist (`path`), at least three list lines (a checklist kept as a plain bulleted or numbered list).
 */
export function sniffMarkdownChecklist(text: string, path?: string): boolean {
  const m = text.match(/^[ \t]*[-*+][ \t]+\[[ xX]\](?:[ \t]|$)/gm);
  if (m && m.length >= 3) return true;
  if (path === undefined || !CHECKLIST_FILE.test(path)) return false;
  const lines = text.match(LIST_LINES);
  return !!lines && lines.length >= 3;
}
