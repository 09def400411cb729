import { splitIdentifiers } from './normalize';

/**
 * What a rule reads, taken from its own data rather than a second hand-kept list: the packages, object kinds,
 * fields, Dockerfile instructions and commands named in its check parameters (`with`), and its id read as
 * words. A checklist line that names one of them (`Helmet.js`, `readOnlyRootFilesystem`, `HEALTHCHECK`,
 * "Jest/Mocha") speaks of that rule.
 */

/** Parameters that name what a check reads. `when` (when the rule applies) is left out: it is a condition, not the subject. */
const TERM_KEYS = new Set(['dependencies', 'packages', 'runners', 'kinds', 'field', 'probe', 'instruction', 'commands']);
/** Parameters of a fix that name the fields it writes (`fields: [runAsNonRoot]`, `path: [spec, backoffLimit]`): the rule's subject too. */
export const FIX_TERM_KEYS = new Set(['fields', 'path']);
/**
 * Workload kinds: nearly every Kubernetes rule reads them, so a line that says "Deployment" names none of those
 * rules in particular. Kinds that only some rules read (HorizontalPodAutoscaler, Ingress, Role…) stay terms.
 */
const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'DeploymentConfig']);
/** A rule that reads many kinds (every namespaced object, every versioned API) is about none of them. */
function manyKinds(value: unknown): boolean {
  return Array.isArray(value) && value.length > 2;
}
/**
 * An entry of a table of API versions (`{ apiVersion: extensions/v1beta1, kinds: [NetworkPolicy] }`): its kinds say
 * which objects the version served, so a rule looking versions up is not about those kinds (a NetworkPolicy line is
 * not about removed API versions).
 */
function versionEntry(value: object): boolean {
  return 'apiVersion' in value;
}
/** Package names that are also everyday words, so a line using the word does not name the package. */
const COMMON = new Set(['got', 'retry', 'standard', 'types', 'check', 'tap', 'redis', 'postgres', 'nats', 'ava', 'xo']);

/** A term as it is compared: lower case, scope and `.js` dropped, `@sentry/*` read as `sentry`. */
export function termOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/^@([^/]+)\/\*$/, '$1')
    .replace(/\.js$/, '')
    .replace(/^@/, '')
    .replace(/^:/, '');
}

/** The terms named in a rule's check parameters (see {@link TERM_KEYS}), or a fix's ({@link FIX_TERM_KEYS}). */
export function paramTerms(params: unknown, keys: ReadonlySet<string> = TERM_KEYS): string[] {
  const out = new Set<string>();
  const visit = (value: unknown, key: string | undefined): void => {
    if (key === 'when') return;
    if (key === 'kinds' && (typeof value === 'string' ? WORKLOAD_KINDS.has(value) : manyKinds(value))) return;
    if (typeof value === 'string') {
      // A field or kind named by one plain word ("privileged", "Service", "Ingress") is an everyday word too ("Quality of
      // Service"); camelCase names (NetworkPolicy, runAsNonRoot) and packages are not.
      const plainField = (key === 'field' || key === 'fields' || key === 'path' || key === 'kinds') && /^[A-Za-z][a-z]+$/.test(value);
      if (key && keys.has(key) && !plainField && /^[@\w][\w./*-]*$/.test(value)) {
        const t = termOf(value);
        if (t.length >= 3 && !COMMON.has(t)) out.add(t);
      }
    } else if (Array.isArray(value)) for (const v of value) visit(v, key);
    // Inside a list of commands or packages only an entry's own name counts (not its subcommands or options).
    else if (value && typeof value === 'object' && !versionEntry(value)) for (const [k, v] of Object.entries(value)) visit(v, k === 'name' && key && keys.has(key) ? key : k);
  };
  visit(params, undefined);
  return [...out];
}

/** A name written in capitals (a Dockerfile instruction, `LABEL`): a line names it only written so. */
const CAPITALS = /^[A-Z]{3,}$/;

/**
 * What a check's template reads (`reads`), split: the instructions, as terms in capitals ("Use `LABEL` for metadata";
 * "label" is an everyday word), and the fields, names like any other field (`targetPort`).
 */
export function readNames(reads: readonly string[]): { instructions: string[]; fields: string[] } {
  return { instructions: reads.filter((r) => CAPITALS.test(r)), fields: reads.filter((r) => !CAPITALS.test(r)) };
}

/** Keys whose values a check compares a field with (`must: { notOneOf: [NodePort, LoadBalancer] }`). */
const VALUE_KEYS = new Set(['oneOf', 'notOneOf']);
/** A name written as a field or a value is (`automountServiceAccountToken`, `NodePort`): one word with an inner capital. */
const CAMEL_NAME = /^(?:[a-z]+|[A-Z][a-z0-9]+)(?:[A-Z][a-z0-9]*)+$/;

/**
 * The fields a check reads (`path: [automountServiceAccountToken]`) and the named values it compares them with
 * (`NodePort`, `LoadBalancer`), as written. A line names one only in the same spelling: `serviceAccount` is the
 * field, "ServiceAccount" the kind, and a `ConfigMap` is not the `configMap` volume.
 */
export function fieldNames(params: unknown): string[] {
  const out = new Set<string>();
  const visit = (value: unknown, key: string | undefined): void => {
    if (key === 'when') return;
    if (typeof value === 'string') {
      if (key && (key === 'path' || VALUE_KEYS.has(key)) && CAMEL_NAME.test(value)) out.add(value);
    } else if (Array.isArray(value)) for (const v of value) visit(v, key);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(params, undefined);
  return [...out];
}

/** The field and value names a line writes, as written (see {@link fieldNames}). */
export function lineFieldNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*/g)) if (CAMEL_NAME.test(m[0])) out.add(m[0]);
  return out;
}

/** A package.json script run by name in a code span: `npm run build`, `npm test`, `yarn test:e2e`, `pnpm run lint`. */
const RUN_SCRIPT = /^(?:npm|yarn|pnpm|bun)(?:\s+run)?\s+([\w:.-]+)/;

/** The package.json scripts a check looks for by name (`names: [build, compile]`), as terms a line names (`script:build`). */
export function scriptTerms(check: string | undefined, params: unknown): string[] {
  const names = check === 'scripts.script' && params && typeof params === 'object' ? (params as { names?: unknown }).names : undefined;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string').map((n) => `script:${n.toLowerCase()}`) : [];
}

/** Field and kind names among the terms, read as words (`allowPrivilegeEscalation` → "allow Privilege Escalation"): phrasings of the rule. */
export function paramPhrasings(params: unknown, keys: readonly string[] = ['kinds', 'field', 'probe', 'instruction']): string[] {
  const out: string[] = [];
  const visit = (value: unknown, key: string | undefined): void => {
    if (key === 'when' || (key === 'kinds' && (typeof value === 'string' ? WORKLOAD_KINDS.has(value) : manyKinds(value)))) return;
    // One plain word ("Service", "privileged") says too little alone; the rule's title uses it in context.
    if (typeof value === 'string' && key && keys.includes(key) && /^[A-Za-z][\w./-]*$/.test(value) && !/^[A-Za-z][a-z]+$/.test(value)) out.push(value.replace(/^[\w.]+\//, ''));
    else if (Array.isArray(value)) for (const v of value) visit(v, key);
    else if (value && typeof value === 'object' && !versionEntry(value)) for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(params, undefined);
  return out.map((n) => splitIdentifiers(n));
}

/**
 * Names written in a rule's title and phrasings: dot-files (`.dockerignore`), flags (`--no-install-recommends`),
 * header names (`X-Frame-Options`) and code spans (`npm ci`).
 */
export function textTerms(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/(?:^|[\s(`])(\.[a-z][\w.-]*[a-z]|--[a-z][\w-]+)/g)) out.add(m[1].toLowerCase());
    // A name written in capitalised, hyphenated parts is a header's (`X-Frame-Options`, `Content-Security-Policy`).
    for (const m of text.matchAll(/(?<![\w-])[A-Z][a-z0-9]*(?:-[A-Z][A-Za-z0-9]*){2,}(?![\w-])/g)) out.add(m[0].toLowerCase());
    // A code span names a thing when it is more than a plain word (`npm ci`, `--omit=dev`, `prom-client`; not `true`).
    for (const m of text.matchAll(/`([^`]+)`/g)) if (/^[\w.:@/-]+(?: [\w.:@/-]+)?$/.test(m[1]) && /[^A-Za-z]/.test(m[1]) && !/^[A-Z0-9_]+(=.*)?$/.test(m[1])) out.add(termOf(m[1]));
  }
  return [...out];
}

/** A rule id read as words: `k8s.pod-security.allow-privilege-escalation` → "k8s pod security allow privilege escalation". */
export function idPhrasing(id: string): string {
  return id.replace(/[.-]/g, ' ');
}

/** The most keys a dotted name has for its leading keys to be read as the paths above it. */
const MAX_PATH_KEYS = 12;

/** The terms a line names: its words and dotted or dashed names, lower case (`Helmet.js` → helmet, `express-rate-limit`). */
export function lineTerms(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:--|[.@])?[A-Za-z][\w.-]*\w/g)) {
    if (CAPITALS.test(m[0])) out.add(m[0]);
    const t = termOf(m[0]);
    out.add(t);
    for (const part of t.split(/[./]/)) if (part) out.add(part);
    // A key path names the keys above it too (`deploy.resources.limits.memory` is under `deploy.resources.limits`), a
    // path of a few keys (a dotted run of thousands is no key path, and its prefixes would fill the memory).
    const keys = t.split('.');
    if (keys.length <= MAX_PATH_KEYS) for (let n = 2; n < keys.length; n++) out.add(keys.slice(0, n).join('.'));
  }
  for (const m of text.matchAll(/`([^`]+)`/g)) out.add(termOf(m[1]));
  // A script run in parentheses ("Bundle size acceptable (`npm run build`)") says how to look, not what the line asks.
  for (const m of text.replace(/\([^()]*\)/g, ' ').matchAll(/`([^`]+)`/g)) {
    const script = RUN_SCRIPT.exec(m[1].trim());
    if (script) out.add(`script:${script[1].toLowerCase()}`);
  }
  return out;
}

/** Which kind of files a checklist section speaks of, from its headings (and the document title). */
export type Domain = 'dockerfile' | 'kubernetes' | 'compose';
const DOMAIN_WORDS: [Domain, RegExp][] = [
  ['compose', /\bcompose\b/i],
  ['kubernetes', /\b(kubernetes|k8s|kube|pods?|helm|aks|eks|gke|openshift)\b/i],
  ['dockerfile', /\b(docker|dockerfiles?|containerfile|images?)\b/i],
];
/**
 * Images are built by a Dockerfile and run by manifests and compose files alike: a heading naming only images ("Images
 * and supply chain") is about the Dockerfile unless a heading above it names the manifests or compose files the images
 * run in ("Kubernetes security baseline").
 */
const IMAGES_ONLY = /^(?:(?!\b(?:docker|dockerfiles?|containerfile)\b).)*\bimages?\b/i;

/** Dockerfile instructions, written in capitals in a line ("USER directive", "COPY instead of ADD"): the line is about a Dockerfile. */
const INSTRUCTION = /(?:^|[\s(`'"])(FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|MAINTAINER)(?=$|[\s),.;:`'"/])/;

/** Names only Kubernetes has (a pod, a security context): the line is about manifests. */
const KUBERNETES_NAMES = /\b(?:security ?contexts?|pods?)\b/i;

/** The kind of file a line itself names, if any: a Dockerfile instruction in capitals, or a name only Kubernetes has. */
export function textDomain(text: string): Domain | undefined {
  return INSTRUCTION.test(text) ? 'dockerfile' : KUBERNETES_NAMES.test(text) ? 'kubernetes' : undefined;
}

/** The one domain the headings name, if exactly one. */
export function contextDomain(headings: readonly string[]): Domain | undefined {
  let images = false;
  for (const h of [...headings].reverse()) {
    const named = DOMAIN_WORDS.filter(([, re]) => re.test(h)).map(([d]) => d);
    if (named.length === 1 && named[0] === 'dockerfile' && IMAGES_ONLY.test(h)) images = true;
    else if (named.length === 1) return named[0];
    else if (named.length > 1) return images ? 'dockerfile' : undefined;
  }
  return images ? 'dockerfile' : undefined;
}
