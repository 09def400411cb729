import stem from 'wink-porter2-stemmer';
import { onFirstUse } from '../onFirstUse';
import { MEASURED_OVER, SPECIFICITY } from './wordWeights';

/**
 * The concept lexicon: general English, the same for every rule (no rule's own phrasing is here; those are
 * rule data, `matches`). A checklist line asserts a property ("limits", "liveness probe", "non root",
 * "pinned") of a subject (a container, an image, a Dockerfile, a workflow), one way round or the other.
 *
 * - {@link CONCEPTS} folds the many ways of saying one concept into one wording, on both sides (the line and
 *   the rule's title, phrasings and the names its check reads), before words are stemmed.
 * - {@link wordWeight}: how much a word says. It is fixed, never measured on the rules being linked, so adding a
 *   rule to the catalogue (or turning one off) changes no other rule's links.
 */

/**
 * Concepts and how checklists say them: `[concept, variants]`. Variants are matched on word boundaries, longest
 * first, in one pass (a folded wording is not folded again).
 */
export const CONCEPTS: readonly (readonly [concept: string, variants: readonly string[]])[] = [
  // "CPU limits" and "memory limits" stay apart: they are separate rules; both together are "resource limits".
  ['resource limits', ['cpu and memory limits', 'memory and cpu limits', 'cpu/memory limits', 'memory/cpu limits', 'resource constraints', 'resources limits']],
  ['requests', ['reqs', 'req']],
  ['limits', ['lims']],
  ['resource requests', ['cpu and memory requests', 'memory and cpu requests', 'cpu/memory requests', 'memory/cpu requests', 'resources requests']],
  ['resource', ['cpu and memory', 'memory and cpu', 'cpu/memory', 'memory/cpu', 'cpu & memory', 'cpu, memory', 'memory, cpu']],
  ['horizontal autoscaling', ['horizontal pod autoscaling', 'horizontal pod autoscaler', 'horizontal pod autoscalers', 'horizontalpodautoscaler', 'pod autoscaling', 'hpa', 'hpas']],
  ['autoscaling', ['auto-scaling', 'auto scaling', 'autoscaler', 'autoscale', 'automatic scaling', 'automatically scaled', 'auto-scaled']],
  // Compounds written open or hyphenated read as the closed word the catalogue uses.
  ['timeout', ['time-out', 'time out', 'time-outs', 'time outs']],
  ['startup', ['start-up']],
  ['filesystem', ['file system', 'file-system', 'file systems', 'file-systems']],
  ['hardcoded', ['hard-coded', 'hard coded']],
  ['entrypoint', ['entry point', 'entry-point']],
  ['typecheck', ['type-check', 'type check', 'type-checks', 'type checks', 'type-checked', 'type checked', 'type-checking', 'type checking']],
  ['pod disruption budget', ['poddisruptionbudgets', 'poddisruptionbudget', 'pod disruption budgets', 'disruption budget', 'disruption budgets', 'pdb', 'pdbs']],
  ['liveness probe', ['liveness check', 'liveness checks', 'liveness probes', 'livenessprobe', 'liveness endpoint', 'liveness endpoints']],
  ['readiness probe', ['readiness check', 'readiness checks', 'readiness probes', 'readinessprobe', 'readiness endpoint', 'readiness endpoints', 'readiness gate', 'readiness gates']],
  ['gitignore', ['git-ignored', 'git ignored', 'gitignored', 'ignored by git', '.gitignore']],
  ['lockfile', ['lock file', 'lock files', 'lockfiles', 'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml']],
  ['health check', ['healthcheck', 'healthchecks', 'health-check', 'health-checks', 'health checks', 'health probes', 'health probe']],
  // The Docker daemon run without root is a host setting, not the container's user.
  ['rootless daemon', ['docker in rootless mode', 'rootless mode', 'rootless docker', 'rootless daemon']],
  ['non root', ['non-root', 'nonroot', 'rootless', 'unprivileged user', 'not as root', 'not run as root', "don't run as root", 'do not run as root', 'runasnonroot', 'least privileged user', 'least-privileged user', 'non-privileged user', 'nonprivileged user', 'unprivileged users']],
  ['kubernetes', ['k8s', 'kube']],
  // Isolating services on the network is segmenting it ("Network isolation configured").
  ['network segmentation', ['network isolation']],
  ['environment variable', ['env vars', 'env var', 'environment vars', 'env variables', 'env variable', 'environment variables']],
  ['database', ['db', 'postgresql', 'postgres']],
  ['tls', ['ssl/tls', 'tls/ssl', 'ssl', 'https']],
  ['vulnerability', ['vulnerabilities', 'vulns', 'cves', 'cve']],
  ['dependencies', ['deps', 'dependency', 'packages']],
  ['docker image', ['container images', 'container image', 'docker images']],
  ['pinned image tag', ['specific version tags', 'specific image tags', 'pinned version tags', 'pinned image tags', 'pinned versions', 'pinned tags', 'pinned images', 'pinned base images', 'pin image versions', 'pin image tags', 'pin base images', 'pinned to a version', 'pinned to a specific version']],
  ['image tag', ['version tags', 'version tag', 'image tags']],
  // One word: "multi" alone is not the concept ("multi-platform builds").
  ['multistage', ['multi-stage', 'multi stage']],
  ['ci', ['ci/cd', 'cicd', 'pipeline', 'pipelines', 'github actions', 'gitlab ci']],
  ['network policy', ['network policies', 'networkpolicy', 'networkpolicies']],
  ['egress', ['outbound traffic', 'outgoing traffic', 'outbound connections', 'outgoing connections', 'outbound']],
  // A BuildKit cache mount (`RUN --mount=type=cache`) keeps a package cache between builds: not a cache left in the image.
  ['cachemount', ['cache mounts', 'cache mount', 'cache-mounts', 'cache-mount', 'mount=type=cache']],
  // A quota on a namespace (a ResourceQuota) is an object of its own, not the namespace a workload runs in.
  ['resourcequota', ['resource quotas', 'resource quota', 'namespace quotas', 'namespace quota', 'resourcequotas', 'quotas', 'quota']],
  // Scanning code for leaked secrets (gitleaks, trufflehog) is a practice of its own, not a rule about secrets.
  ['secretscanning', ['secret scanning', 'secrets scanning', 'secret scanner', 'secrets scanner', 'secret scanners', 'secrets scanners', 'secret scan', 'secrets scan', 'secret scans', 'secrets scans', 'secret detection', 'secrets detection', 'scanning for secrets', 'scan for secrets', 'scans for secrets', 'credential scanning', 'credentials scanning']],
  ['secret', ['secrets', 'credentials', 'credential']],
  ['replica', ['replicas']],
  ['user id', ['uid', 'uids', 'user ids']],
  // One word: "only" alone says which way a requirement points (see normalize.ts), "read-only" names a property.
  ['readonly', ['read-only', 'read only', 'flag_read_only']],
  ['add capabilities', ['flag_cap_add', 'cap-add']],
  ['drop capabilities', ['flag_cap_drop', 'cap-drop']],
  // A stack trace is an error's detail, not request tracing.
  ['stacktrace', ['stack traces', 'stack trace', 'stacktraces']],
  ['container runtime socket', ['docker daemon socket', 'docker socket', 'docker.sock', '/var/run/docker.sock']],
];

/** Words naming what a requirement applies to: the kinds of files, objects, tools and places a rule reads. */
const SUBJECT_WORDS = `kubernetes docker dockerfile container image manifest workload service deployment env environment variable ci
  workflow script npm node app application file production runtime repository project code api system cluster
  namespace chart helm compose package build server backend frontend database port stage staging`;

/** Words naming a broad family of requirements rather than one ("policies", "security", "validation"). */
const BROAD_WORDS = `policy security secure validation validate valid management manage access control process automation
  automate monitoring setting handling handle support rule check level standard update version key error test
  connection type mode data value option limit request resource`;

/** Words that carry little of a requirement on their own: verbs and qualifiers any rule may use. */
const GENERIC_WORDS = `run declare confirm have keep same one list example default name get come target call set need required
  require specify provide include follow good best practice proper right new always present available given correct`;

const stems = (words: string) => new Set(words.split(/\s+/).filter(Boolean).map((w) => stem(w)));
/** The word families, stemmed on first use (a run that weighs no word never needs them). */
const wordFamilies = onFirstUse(() => ({ subjects: stems(SUBJECT_WORDS), broad: stems(BROAD_WORDS), generic: stems(GENERIC_WORDS) }));

/** The concepts the lexicon folds into one word ("secretscanning", "multistage"), stemmed on first use. */
const conceptWords = onFirstUse(() => new Set(CONCEPTS.map(([c]) => c).filter((c) => !c.includes(' ')).map((c) => stem(c))));

/** Whether a normalised word is a concept the lexicon names in one word: a line naming it speaks of it, as of a name it gives. */
export const isConceptWord = (word: string): boolean => conceptWords().has(word);

/**
 * Whether a normalised word names what a requirement applies to (a container, an image, an environment variable, a
 * workflow) rather than what it asks of it.
 */
export const isSubjectWord = (word: string): boolean => wordFamilies().subjects.has(word);

/** Whether a normalised word is one any rule may use ("required", "default", "correct"): it says little of what a requirement asks. */
export const isGenericWord = (word: string): boolean => wordFamilies().generic.has(word);

/**
 * A name a line gives that no rule knows (`LimitRange`, `ResourceQuota`): it is what the line is about, so it
 * weighs as much as the most specific word.
 */
export const NAME_WEIGHT = Math.log(1 + MEASURED_OVER);

/**
 * The fixed weight of a normalised (stemmed) word: how specific it is, as measured once over the built-in
 * catalogue (wordWeights.ts, `npm run lexicon`); a word that table does not know weighs by its kind: a property
 * ("liveness", "lockfile") as a word few rules use, a broad family, a subject or a generic verb far less.
 */
export function wordWeight(word: string): number {
  const known = SPECIFICITY[word];
  if (known !== undefined) return known;
  const of = (rules: number) => Math.log(1 + MEASURED_OVER / rules);
  const { generic, subjects, broad } = wordFamilies();
  return generic.has(word) ? of(100) : subjects.has(word) ? of(60) : broad.has(word) ? of(25) : of(3);
}
