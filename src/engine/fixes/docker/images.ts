import type { DockerStage } from '../../parse/dockerfile';
import { baseImage, type DockerTarget } from './common';

/**
 * What a fix may assume about a stage's base image: how a user is created in it, which user it already
 * ships, which HTTP client a health check can use, the port its server listens on. Unknown images get
 * no assumption, and the fixes that need one are declined with the reason.
 */
export type Family = 'windows' | 'noShell' | 'alpine' | 'debian' | 'rhel' | 'unknown';

export type Tool = 'node' | 'python' | 'wget' | 'curl';

export interface ImageFacts {
  /** The image reference, for messages (`nginx:1.27`). */
  image: string;
  family: Family;
  /** The non-root user the image ships and its app runs as (node, nonroot…). */
  user?: string;
  /** Why running the image as another user breaks it (a server that starts as root and drops privileges itself). */
  rootByDesign?: string;
  /** Programs a health check can run: a runtime (node, python) or an HTTP client (wget, curl). */
  tools: Set<Tool>;
  /** The port the image's server listens on by default (nginx: 80). */
  port?: number;
}

const WINDOWS = /(^|\/)(windows|windowsservercore|nanoserver|servercore)(\/|$)|mcr\.microsoft\.com\/windows|(^|[-:])(nanoserver|windowsservercore|ltsc\d{4})/;
const NO_SHELL = /(^|\/)(distroless|chainguard)\/|^scratch$/;
const OWN_USER: [RegExp, string][] = [
  [/(^|\/)node$/, 'node'],
  [/(^|\/)bun$|^oven\/bun$/, 'bun'],
  [/(^|\/)deno$|^denoland\/deno$/, 'deno'],
  [/^nginxinc\/nginx-unprivileged$/, 'nginx'],
];
/** Official server images whose entrypoint starts as root, prepares files and drops to their own user. */
const ROOT_BY_DESIGN: [RegExp, string][] = [
  [/(^|\/)nginx$/, 'nginx starts as root to bind port 80 and drops to its worker user itself; use nginxinc/nginx-unprivileged (runs as a non-root user on port 8080)'],
  [/(^|\/)(httpd|apache)$/, 'httpd starts as root to bind port 80 and drops to www-data itself; listen on a port above 1024 first'],
  [/(^|\/)(postgres|mysql|mariadb|mongo|redis|rabbitmq|elasticsearch|memcached)$/, 'the image’s entrypoint starts as root and switches to its own user itself'],
];
const DEBIAN_IMAGES = /(^|\/)(debian|ubuntu|buildpack-deps|python|golang|ruby|php|rust|perl|openjdk|eclipse-temurin|gradle|maven|elixir|erlang|haskell|julia|r-base|gcc|swift)$/;
const DEBIAN_TAGS = /(bookworm|bullseye|buster|trixie|jammy|focal|noble|slim)/;
const RHEL_IMAGES = /(^|\/)(fedora|centos|rockylinux|almalinux|oraclelinux|amazonlinux|ubi\d*(-init)?)$/;
/** Images whose default variant ships curl and wget (the buildpack-deps family, nginx). */
const HAS_CURL = /(^|\/)(buildpack-deps|golang|nginx|nginxinc\/nginx-unprivileged)$/;

/** Packages a stage (or a stage it builds on) installs: `apt-get install … curl`, `apk add wget`… */
function installs(t: Pick<DockerTarget, 'model'>, stage: DockerStage): string {
  const words: string[] = [];
  for (let s: DockerStage | undefined = stage, hops = 0; s && hops < 50; hops++) {
    for (const i of s.instructions) if (i.keyword === 'RUN' && /\b(apt-get|apt|apk|dnf|yum|microdnf|zypper)\b[^;&|]*\b(install|add)\b/.test(i.args)) words.push(i.args);
    const ref: string | undefined = s.from.isStage ? s.from.image.toLowerCase() : undefined;
    s = ref ? t.model.stages.find((x) => x.name === ref && x.index < s!.index) : undefined;
  }
  return words.join(' ');
}

/** The family of a stage's base image (through the stages it builds on), without the rest of {@link imageFacts}. */
export function imageFamily(t: Pick<DockerTarget, 'model'>, stage: DockerStage): Family {
  const { name, tag } = baseImage(t, stage);
  return familyOf(name, tag);
}

/** The family of a base image by its name (no registry) and tag, both lower-cased. */
function familyOf(name: string, tag: string): Family {
  if (WINDOWS.test(name) || WINDOWS.test(tag)) return 'windows';
  // .NET chiseled images (Ubuntu with no shell or package manager) ship the user app
  if (NO_SHELL.test(name) || CHISELED.test(tag)) return 'noShell';
  if (/alpine|busybox/.test(name) || /alpine|busybox/.test(tag)) return 'alpine';
  if (RHEL_IMAGES.test(name) && !/minimal|micro/.test(name) && !/minimal|micro/.test(tag)) return 'rhel';
  if (DEBIAN_IMAGES.test(name) || DEBIAN_TAGS.test(tag) || /(^|\/)(node|bun|deno|nginx)$/.test(name)) return 'debian';
  return 'unknown';
}

const CHISELED = /(^|-)chiseled(-|$)/;

/** The family of a stage's base image and the non-root user it ships, if any: {@link imageFacts} without the tools, port and the stage's installs. */
export function imageUser(t: Pick<DockerTarget, 'model'>, stage: DockerStage): { family: Family; user?: string } {
  const { name, tag } = baseImage(t, stage);
  const family = familyOf(name, tag);
  return { family, user: userOf(name, family) };
}

/** The non-root user an image of this name (no registry) and family ships, if any. */
function userOf(name: string, family: Family): string | undefined {
  if (family === 'windows') return undefined;
  if (family === 'noShell') return NO_SHELL.test(name) ? (name === 'scratch' ? undefined : 'nonroot') : 'app';
  return OWN_USER.find(([re]) => re.test(name))?.[1];
}

export function imageFacts(t: Pick<DockerTarget, 'model'>, stage: DockerStage): ImageFacts {
  const { name, tag } = baseImage(t, stage);
  const image = tag ? `${name}:${tag}` : name;
  const tools = new Set<Tool>();
  const installed = installs(t, stage);
  if (/(^|\s)curl(\s|$)/.test(installed)) tools.add('curl');
  if (/(^|\s)wget(\s|$)/.test(installed)) tools.add('wget');
  const family = familyOf(name, tag);
  if (family === 'windows') return { image, family, tools: new Set() };
  if (family === 'noShell') return { image, family, user: userOf(name, family), tools: new Set() };
  if (family === 'alpine') tools.add('wget');
  if (HAS_CURL.test(name) && family !== 'alpine') tools.add('curl');
  if (/(^|\/)node$/.test(name)) tools.add('node');
  if (/(^|\/)python$/.test(name)) tools.add('python');
  const user = userOf(name, family);
  const rootByDesign = user ? undefined : ROOT_BY_DESIGN.find(([re]) => re.test(name))?.[1];
  const port = /(^|\/)nginx$/.test(name) ? 80 : /^nginxinc\/nginx-unprivileged$/.test(name) ? 8080 : undefined;
  return { image, family, user, rootByDesign, tools, port };
}
