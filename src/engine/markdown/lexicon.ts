/**
 * The property lexicon: general English for the properties rules assert, one table for every rule. A property is
 * the thing a requirement is about ("memory limit", "liveness probe", "root user"); `says` are the words people
 * use for it, `opposite` the words for its contrary ("latest" is the opposite of a pinned version, "non-root" of
 * the root user), so "No latest tag" and "Pin image versions" state one concept the same way round.
 *
 * Nothing here names a rule: a rule's property is read from its own data (id, title, fields) with this same table
 * (ruleConcept.ts). Phrases are matched on stemmed words, in order, with the words in between allowed to be
 * other property words or conjunctions ("CPU and memory requests and limits"); a word written in capitals
 * (`ADD`, `USER`) must be written in capitals (the Dockerfile instruction, not the verb). A property without
 * rules keeps its words from being read as another's ("rootless mode" is the daemon, not the container user).
 */
export interface PropertyEntry {
  property: string;
  says: readonly string[];
  opposite?: readonly string[];
  /** A wider property that stands for several: "resource limits" asserts the CPU limit and the memory limit. */
  family?: readonly string[];
  /** The family's good state is its members' absence: least-privilege RBAC is no wildcard, no cluster-admin binding. */
  membersAbsent?: boolean;
  /**
   * The family asserts each member the way its rules want it: a hardened security context is not root, no escalation,
   * a read-only root filesystem, all capabilities dropped, a seccomp profile (the settings a security context sets;
   * privileged mode is off unless set).
   */
  membersGood?: boolean;
  /**
   * Words that speak of the property without naming it: a common English word ("backup", "alert", "dashboard") or a
   * phrase that as often means a neighbouring property ("health check": the image's HEALTHCHECK, a probe or an
   * endpoint). They give a link its reason, never a link of their own (conceptLink.ts).
   */
  loose?: readonly string[];
}

export const PROPERTIES: readonly PropertyEntry[] = [
  // Kubernetes: resources and probes
  { property: 'cpu limit', says: ['cpu limit', 'cpu cap', 'cpu ceiling', 'cpu bound', 'cpu lims'] },
  { property: 'memory limit', says: ['memory limit', 'memory cap', 'memory ceiling', 'memory bound', 'mem limit', 'ram limit', 'ram cap', 'ram bound', 'memory lims'] },
  { property: 'cpu request', says: ['cpu request', 'cpu req', 'cpu reservation'] },
  { property: 'memory request', says: ['memory request', 'memory req', 'mem request', 'ram request', 'memory reservation'] },
  { property: 'resource limits', family: ['cpu limit', 'memory limit'], says: ['resource limit', 'resource constraint', 'resource bound', 'resource cap', 'resources limit'] },
  { property: 'resource requests', family: ['cpu request', 'memory request'], says: ['resource request', 'resources request', 'resource reservation'] },
  { property: 'requests within limits', says: ['requests within limits', 'requests below limits'], opposite: ['requests above limits', 'requests exceed limits', 'requests higher than limits'] },
  { property: 'liveness probe', says: ['liveness', 'liveness probe', 'alive check', 'is alive', 'kubelet poll'] },
  { property: 'readiness probe', says: ['readiness probe', 'readiness check', 'readiness endpoint', 'readiness gate', 'ready check', 'ready to serve', 'ready for traffic', 'readinessprobe'] },
  { property: 'startup probe', says: ['startup probe', 'startup check', 'start up probe', 'startupprobe'] },
  // Kubernetes: pod security
  { property: 'root user', says: ['as root', 'root user', 'root privilege', 'root account', 'uid 0', 'user id 0', 'runasuser 0'], opposite: ['non root', 'nonroot', 'unprivileged user', 'unprivileged', 'non privileged user', 'runasnonroot', 'rootless container', 'drop root', 'drop root privilege'] },
  { property: 'rootless daemon', says: ['rootless mode', 'rootless docker', 'rootless daemon', 'docker daemon as non root'] },
  { property: 'root login', says: ['root login', 'root ssh'] },
  { property: 'Docker daemon settings', says: ['docker daemon', 'daemon logging level', 'daemon log level', 'daemon configuration', 'daemon json'] },
  { property: 'privileged container', says: ['privileged mode', 'privileged container', 'privileged flag'], opposite: ['unprivileged container'], loose: ['privileged'] },
  { property: 'privileged port', says: ['privileged port', 'port below 1024', 'port under 1024'], opposite: ['unprivileged port', 'port above 1024', 'high port'] },
  { property: 'privilege escalation', says: ['privilege escalation', 'escalate privilege', 'escalation of privilege', 'allow privilege escalation', 'allowprivilegeescalation'] },
  { property: 'sudo', says: ['sudo'] },
  { property: 'read-only root filesystem', says: ['read only root filesystem', 'read only root file system', 'readonly root filesystem', 'read only filesystem', 'read only file system', 'filesystem read only', 'file system read only', 'immutable container', 'read only container', 'readonlyrootfilesystem', 'root filesystem read only', 'flag read only'] },
  { property: 'dropped capabilities', says: ['drop capabilities', 'drop all capabilities', 'drop linux capabilities', 'capabilities drop', 'cap drop', 'minimal capabilities', 'least capabilities', 'drop all'] },
  { property: 'added capabilities', says: ['add capabilities', 'capabilities add', 'cap add', 'sys admin', 'net admin', 'dangerous capabilities', 'extra capabilities', 'additional capabilities'] },
  { property: 'host network', says: ['host network', 'hostnetwork', 'host networking'] },
  { property: 'host pid', says: ['host pid', 'hostpid', 'host process namespace', 'host process id'] },
  { property: 'host ipc', says: ['host ipc', 'hostipc', 'host ipc namespace'] },
  { property: 'host port', says: ['host port', 'hostport'] },
  { property: 'hostPath volume', says: ['hostpath', 'host path', 'host volume', 'host mount'] },
  { property: 'container runtime socket', says: ['docker socket', 'docker sock', 'docker daemon socket', 'container runtime socket', 'containerd socket', 'runtime socket'] },
  { property: 'sensitive host directories', says: ['sensitive director', 'sensitive host mount', 'sensitive host director', 'sensitive host path', 'host director'] },
  { property: 'seccomp profile', says: ['seccomp'] },
  { property: 'apparmor profile', says: ['apparmor', 'selinux'] },
  { property: 'service account token', says: ['service account token', 'serviceaccount token', 'automount service account token', 'automountserviceaccounttoken', 'token automount', 'auto mount token', 'token auto mount', 'service account auto mount', 'serviceaccount auto mount', 'automount'] },
  { property: 'default service account', says: ['default service account', 'default serviceaccount'], opposite: ['dedicated service account', 'own service account'] },
  { property: 'default namespace', says: ['default namespace'], opposite: ['dedicated namespace'] },
  { property: 'proc mount', says: ['proc mount', 'procmount', 'masked proc', 'unmasked proc'] },
  { property: 'sysctls', says: ['sysctl', 'unsafe sysctl'] },
  // Kubernetes: images, availability, network, access
  { property: 'pinned version', says: ['pinned image', 'pin image', 'pinned base image', 'pin base image', 'pinned version', 'pin version', 'pin all version', 'explicit version', 'specific version', 'specific tag', 'image digest', 'sha256', 'version tag', 'pinned tag', 'pin tag', 'tag pinned', 'image pinned', 'explicit tag'], loose: ['immutable tag', 'digest', 'fixed version', 'exact version'], opposite: ['latest tag', 'latest image', 'latest base image', 'floating tag', 'mutable tag'] },
  { property: 'pinned packages', says: ['pin package', 'package pinned', 'pinned package', 'package version', 'packages pinned', 'pinned apt', 'apt package version'] },
  { property: 'image pull policy', says: ['image pull policy', 'imagepullpolicy', 'pull policy', 'always pull'] },
  { property: 'replicas', says: ['multiple replica', 'replica count', 'number of replica', 'minimum replica', 'min replica', 'at least 2 replica', 'at least 3 replica', 'at least two replica', 'at least three replica', 'several replica', 'more than one replica', 'single replica'], loose: ['single point of failure', 'replicas', 'multiple instance', 'single instance', 'more than one instance'] },
  { property: 'database replicas', says: ['read replica', 'replica set', 'database replica', 'db replica'] },
  { property: 'fixed replicas', says: ['fixed replica', 'replicas unset', 'hardcoded replica'] },
  { property: 'replica spread', says: ['anti affinity', 'antiaffinity', 'topology spread', 'spread across', 'spread replica', 'replica spread', 'across zone', 'across node', 'multiple zone', 'multiple node'] },
  { property: 'pod disruption budget', says: ['pod disruption budget', 'disruption budget', 'pdb', 'poddisruptionbudget'] },
  { property: 'node autoscaling', says: ['node autoscal', 'cluster autoscal', 'node auto scal', 'karpenter'] },
  { property: 'autoscaling', says: ['hpa', 'horizontal pod autoscal', 'autoscal', 'auto scal', 'horizontalpodautoscaler', 'horizontal scaling', 'scale automatically'] },
  { property: 'rolling update', says: ['rolling update', 'rolling strategy', 'rolling deploy', 'rolling upgrade', 'update strategy', 'rollout strategy', 'maxunavailable', 'max surge', 'maxsurge'], loose: ['deployment strategy', 'zero downtime'] },
  { property: 'network policy', says: ['network policy', 'networkpolicy', 'network segmentation', 'namespace isolation', 'default deny', 'pod to pod traffic', 'inter service communication'], loose: ['network isolation', 'restrict traffic', 'traffic between'] },
  { property: 'tls', says: ['ingress tls', 'tls on ingress', 'tls for ingress'], loose: ['tls', 'https', 'ssl', 'encrypt in transit', 'encrypted in transit', 'encryption in transit'] },
  { property: 'tls verification', says: ['certificate verification', 'tls verification', 'ssl verification', 'verify certificate', 'check certificate', 'insecure download', 'curl insecure'] },
  { property: 'node port service', says: ['nodeport', 'node port', 'loadbalancer service', 'external load balancer'] },
  { property: 'hardened security context', membersGood: true, family: ['root user', 'privilege escalation', 'read-only root filesystem', 'dropped capabilities', 'seccomp profile'], says: ['security context', 'securitycontext'] },
  // The Pod Security Standards (restricted) ask the same of a pod's settings, without a read-only root filesystem: a line
  // asking workloads to meet them asserts those settings (a cluster enforcing them is the platform's: lineReading.ts).
  { property: 'pod security standards', membersGood: true, family: ['root user', 'privilege escalation', 'dropped capabilities', 'seccomp profile'], says: ['pod security standard', 'pod security standards', 'restricted pod security standard'] },
  { property: 'least-privilege RBAC', membersAbsent: true, family: ['cluster-admin binding', 'RBAC wildcard', 'escalation verbs', 'secret read access'], says: ['least privilege rbac', 'minimal rbac', 'rbac least privilege', 'least privileged rbac', 'restrictive rbac', 'scoped rbac'] },
  { property: 'cluster-admin binding', says: ['cluster admin', 'cluster admin binding'] },
  { property: 'RBAC wildcard', says: ['wildcards in rbac', 'rbac wildcard'], loose: ['wildcard'] },
  { property: 'escalation verbs', says: ['escalation verb', 'impersonate', 'bind escalate'] },
  { property: 'secret read access', says: ['secret read', 'read secrets', 'read access to secrets'] },
  { property: 'exec into pods', says: ['exec attach', 'pod exec', 'exec into', 'kubectl exec access'] },
  { property: 'secrets as files', says: ['secrets as volume', 'secrets as file', 'secret volume', 'mount secret', 'mounted secret', 'secrets mounted'] },
  { property: 'ssh', says: ['ssh', 'port 22', 'ssh server', 'ssh daemon', 'sshd'] },
  { property: 'deprecated api', says: ['deprecated api', 'removed api', 'api deprecation', 'deprecated apiversion', 'removed version'] },
  // Dockerfile
  { property: 'ADD instruction', says: ['ADD', 'ADD instruction'], opposite: ['COPY instead of ADD', 'COPY over ADD', 'COPY rather than ADD', 'prefer COPY', 'COPY not ADD'] },
  { property: 'multi-stage build', says: ['multistage', 'multi stage', 'separate build stage', 'build stage', 'builder stage'] },
  { property: 'healthcheck', says: ['HEALTHCHECK', 'healthcheck instruction'], loose: ['healthcheck', 'health check', 'health probe', 'health checking'] },
  { property: 'health endpoint', says: ['health endpoint', 'health check endpoint', 'health route', 'healthz', 'health api', 'status endpoint'] },
  { property: 'exec form', says: ['exec form', 'json form', 'json array form', 'json array syntax', 'exec syntax'], opposite: ['shell form'] },
  { property: 'WORKDIR', says: ['WORKDIR', 'absolute workdir', 'working directory'] },
  { property: 'numeric user', says: ['numeric user', 'numeric uid', 'numeric user id', 'uid number'] },
  { property: 'secret in image', says: ['secret in env', 'secret in arg', 'secret in environment variable', 'environment variable for secret', 'secret as environment variable', 'secret as env', 'secret in layer', 'secret in dockerfile', 'secret in image', 'secret in any layer', 'secret in build arg', 'secret baked'] },
  { property: 'hardcoded secret', says: ['hardcode secret', 'hardcoded secret', 'hard code secret', 'hard coded secret', 'secret in code', 'secret in source', 'hardcoded credential'] },
  { property: 'dockerignore', says: ['dockerignore'] },
  { property: 'recommended packages', says: ['install recommend', 'recommended package', 'unnecessary package', 'extra package'], opposite: ['only necessary package'] },
  { property: 'package cache', says: ['package cache', 'package manager cache', 'pip cache', 'npm cache', 'apk cache', 'apt list', 'var lib apt list', 'apt get clean', 'apt cache'], opposite: ['package cache clean', 'package manager cache clean', 'package cache cleaned', 'no cache dir', 'flag no cache'] },
  { property: 'apt-get update with install', says: ['apt get update', 'apt update', 'apt get update and install'] },
  { property: 'pipefail', says: ['pipefail', 'pipe fail'] },
  { property: 'OCI labels', says: ['oci label', 'image label', 'oci standard label', 'label schema'] },
  { property: 'trusted registry', says: ['trusted registry', 'allowed registry', 'approved registry', 'official image', 'verified image', 'trusted image', 'trusted base image', 'official base image', 'trusted source', 'known registry'] },
  { property: 'package signatures', says: ['signature verification', 'signed package', 'package signature', 'untrusted package', 'allow untrusted', 'gpg'] },
  { property: 'interactive install', says: ['interactive install', 'interactive prompt', 'debian frontend'], loose: ['interactive'] },
  { property: 'npm ci', says: ['npm ci', 'frozen lockfile', 'install from lockfile', 'install from the lockfile', 'clean install', 'immutable install'] },
  { property: 'production dependencies', says: ['production dependencies', 'prod dependencies', 'dev dependencies', 'devdependencies', 'omit dev', 'only production', 'production only'] },
  // Repository, package.json and CI
  { property: '.env git-ignored', says: ['gitignore env', 'env gitignore', 'env git ignore', 'env file git ignore', 'env file gitignore', 'env ignored by git', 'env in gitignore', 'env listed in gitignore', 'ignore env'] },
  { property: '.env committed', says: ['commit env', 'env commit', 'env file commit', 'env in repository', 'env in the repo', 'env in git', 'env check in', 'env in version control', 'env file in repo'] },
  { property: 'lockfile', says: ['lockfile', 'lock file', 'lock dependencies', 'lock dependency', 'locked dependencies', 'dependency lock', 'package lock', 'yarn lock', 'pnpm lock', 'shrinkwrap'] },
  { property: 'node engines', says: ['engines field', 'node engine', 'engines node', 'node version', 'nvmrc', 'node js version'] },
  { property: 'start script', says: ['start script', 'nodemon', 'ts node in production'] },
  { property: 'build script', says: ['build script'] },
  { property: 'unit tests', says: ['unit test', 'test script', 'test runner', 'test suite'], loose: ['automated test'] },
  { property: 'tests in CI', says: ['tests in ci', 'test in ci', 'ci runs tests', 'ci runs the tests', 'ci test', 'tests run in ci', 'tests in the pipeline', 'tests in pipeline', 'pipeline runs tests', 'ci test job'] },
  { property: 'integration tests', says: ['integration test'] },
  { property: 'end-to-end tests', says: ['e2e', 'end to end test', 'end to end testing'] },
  { property: 'load tests', says: ['load test', 'perf test', 'load testing'], loose: ['performance test', 'stress test'] },
  { property: 'smoke tests', says: ['smoke test', 'sanity test'] },
  { property: 'test coverage', says: ['coverage threshold', 'code coverage', 'test coverage', 'minimum coverage'], loose: ['coverage'] },
  { property: 'type checking', says: ['type check', 'typecheck', 'tsc', 'typescript compil'] },
  { property: 'typescript strict mode', says: ['typescript strict', 'strict typescript', 'strict true', 'ts strict', 'strict compiler'] },
  { property: 'linting', says: [], loose: ['lint', 'linter', 'linting', 'eslint', 'hadolint', 'static analysis'] },
  { property: 'dependency scan', says: ['dependency scan', 'scan dependencies', 'npm audit', 'dependency audit', 'audit dependencies', 'deps audit', 'vulnerable dependencies', 'dependency vulnerabilit', 'sca scan', 'software composition analysis'], loose: ['security scan', 'snyk'] },
  { property: 'image scan', says: ['image scan', 'scan image', 'scan the image', 'container scan', 'scan container', 'trivy', 'grype', 'image vulnerabilit', 'scan base image', 'scan docker image', 'scan container image'] },
  { property: 'image signing', says: ['image signing', 'sign image', 'signed image', 'cosign', 'image signature', 'content trust'] },
  { property: 'dependency updates', says: ['dependabot', 'renovate', 'automated dependency update', 'dependency update', 'update dependencies', 'keep dependencies up to date', 'outdated dependencies'] },
  { property: 'automated deployment', says: ['automated deployment', 'deployment automated', 'deploy automated', 'automated deploy', 'continuous deployment', 'deploy pipeline', 'deployment pipeline', 'gitops'] },
  { property: 'rollout verification', says: ['rollout status', 'verify rollout', 'verify the rollout', 'post deploy check', 'post deployment check'] },
  { property: 'image build in CI', says: ['docker build in ci', 'image build in ci', 'build image in ci', 'build the image in ci', 'ci builds the image'] },
  { property: 'compose file', says: ['compose file', 'docker compose', 'compose yaml'] },
  // Environment and application
  { property: 'NODE_ENV production', says: ['node env'] },
  { property: 'log level', says: ['log level', 'logging level', 'debug logging', 'verbose logging'] },
  { property: 'structured logging', says: ['structured logging', 'structured log', 'json log', 'json logging', 'log format'] },
  { property: 'request logging', says: ['request logging', 'log request', 'log all api request', 'access log', 'http logging', 'log http request', 'activity logging'] },
  { property: 'correlation id', says: ['correlation id', 'request id', 'trace id', 'correlation header'] },
  { property: 'graceful shutdown', says: ['graceful shutdown', 'sigterm', 'shut down gracefully', 'shutdown gracefully', 'graceful termination', 'shutdown hook'] },
  { property: 'rate limiting', says: ['rate limit', 'ratelimit', 'throttl', 'brute force', 'brute forcing'] },
  { property: 'security headers', says: ['security header', 'helmet', 'http security header', 'hsts', 'content security policy'] },
  { property: 'cors', says: ['cors', 'cross origin'] },
  { property: 'input validation', says: ['input validation', 'validate input', 'sanitize input', 'sanitise input', 'input sanitization', 'request validation', 'validate request', 'validate user input', 'validation of input', 'payload validation', 'schema validation'] },
  { property: 'env validation', says: ['validate environment variable', 'environment variable validation', 'env validation', 'environment validation', 'config validation', 'configuration validation', 'validate config', 'validate configuration'] },
  { property: 'error tracking', says: ['error tracking', 'errortracking', 'sentry', 'error monitoring', 'crash reporting', 'exception tracking', 'error reporting', 'bugsnag', 'rollbar'] },
  { property: 'tracing', says: ['distributed tracing', 'request tracing', 'apm', 'opentelemetry', 'performance monitoring'], loose: ['new relic', 'datadog'] },
  { property: 'metrics', says: ['metrics endpoint', 'prometheus', 'expose metric', 'application metric', 'service metric', 'app metric', 'metrics scraping'] },
  { property: 'alert rules', says: ['alert rule', 'alerting rule'], loose: ['alerting', 'alert'] },
  { property: 'alert notifications', says: ['alert notification', 'pagerduty', 'opsgenie', 'alert routing'] },
  { property: 'dashboards', says: ['grafana'], loose: ['dashboard'] },
  { property: 'backups', says: ['backup schedule', 'scheduled backup', 'automated backup', 'backup job'], loose: ['backup', 'back up', 'snapshot'] },
  { property: 'migrations', says: ['migration script', 'migration tool', 'migration framework'], loose: ['migration', 'migrate', 'schema change'] },
  { property: 'feature flags', says: ['feature flag', 'feature toggle', 'feature switch'] },
  { property: 'API documentation', says: ['openapi', 'swagger', 'api documentation', 'api docs', 'api spec'] },
  { property: 'API versioning', says: ['api versioning', 'versioned api', 'api version'] },
  { property: 'circuit breakers', says: ['circuit breaker', 'circuit breaking'] },
  { property: 'retries', says: ['retry logic', 'retry policy', 'exponential backoff', 'retries with backoff'], loose: ['retry', 'retries', 'backoff', 'back off'] },
  { property: 'response caching', says: ['response caching', 'cache response', 'api caching', 'cache api response', 'http cache', 'redis cache'] },
  // A datastore named is what a line is about, not what it asserts of it (its connection, password, persistence).
  { property: 'redis', says: [], loose: ['redis', 'valkey'] },
  { property: 'authentication', says: [], loose: ['authentication', 'authorization', 'authenticate', 'jwt', 'auth', 'access token', 'oauth'] },
  { property: 'secrets manager', says: ['secret manag', 'secrets management', 'vault', 'external secret', 'sealed secret', 'key vault'], loose: ['secret store'] },
  { property: 'SQL injection', says: ['sql injection', 'db orm', 'parameterized quer', 'parameterised quer', 'prepared statement', 'orm', 'query builder'] },
  { property: 'connection pool', says: ['connection pool', 'pool size'], loose: ['pooling'] },
  { property: 'compression', says: ['compression', 'gzip', 'brotli', 'compress response'] },
];
