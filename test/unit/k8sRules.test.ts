import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseImage, hasDigest } from '../../src/engine/checks/k8s/imageRef';
import { parseQuantity } from '../../src/engine/checks/k8s/quantity';
import { LabelStats, SelectorIndex, selectorMatches, type Requirement, type Selector } from '../../src/engine/checks/k8s/selectors';
import { loadChecklist } from '../../src/engine/checklist/load';
import type { Checklist } from '../../src/engine/checklist/schema';
import type { AuditResult } from '../../src/engine/model';
import { auditFiles, builtinChecklists } from './helpers';

const k8sChecklist = (): Checklist => {
  const c = builtinChecklists().find((x) => x.id === 'kubernetes');
  assert.ok(c, 'the kubernetes checklist is built in');
  return c;
};
// opt-in items do not run unless configured
const k8sItems = () => k8sChecklist().sections.flatMap((s) => s.items.filter((i) => i.check && !i.optIn));
const audit = (files: { path: string; text: string }[]) => auditFiles(files, { checklists: [k8sChecklist()] });
const item = (r: AuditResult, id: string) => {
  const i = r.items.find((x) => x.id === id);
  assert.ok(i, `${id} ran`);
  return i;
};

function deployment(name: string, opts: { ns?: string; labels?: Record<string, string>; replicas?: number; containers?: string } = {}): string {
  const labels = opts.labels ?? { app: name };
  const lab = Object.entries(labels).map(([k, v]) => `        ${k}: ${v}`).join('\n');
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    ...(opts.ns ? [`  namespace: ${opts.ns}`] : []),
    'spec:',
    ...(opts.replicas !== undefined ? [`  replicas: ${opts.replicas}`] : []),
    '  template:',
    '    metadata:',
    '      labels:',
    lab,
    '    spec:',
    opts.containers ?? '      containers:\n        - name: app\n          image: example/app:1.0.0',
    '',
  ].join('\n');
}

describe('kubernetes rules: building blocks', () => {
  it('parses Kubernetes quantities', () => {
    const cases: [unknown, number | undefined][] = [
      ['500m', 0.5],
      ['0.5', 0.5],
      [0.5, 0.5],
      [2, 2],
      ['1', 1],
      ['1Ki', 1024],
      ['256Mi', 256 * 2 ** 20],
      ['1Gi', 2 ** 30],
      ['1.5Gi', 1.5 * 2 ** 30],
      ['1k', 1000],
      ['128M', 128e6],
      ['1G', 1e9],
      ['1e3', 1000],
      ['1E3', 1000],
      ['1E', 1e18],
      ['100n', 100e-9],
      ['+1', 1],
      ['.5', 0.5],
      ['1 Gi', undefined],
      ['256MB', undefined],
      ['1gi', undefined],
      ['abc', undefined],
      ['', undefined],
      [null, undefined],
      [true, undefined],
    ];
    for (const [input, expected] of cases) {
      const got = parseQuantity(input);
      if (expected === undefined) assert.equal(got, undefined, `${String(input)} is not a quantity`);
      else assert.ok(got !== undefined && Math.abs(got - expected) <= Math.abs(expected) * 1e-12, `${String(input)} = ${expected}, got ${got}`);
    }
  });

  it('splits image references: tag, registry port, digest', () => {
    assert.deepEqual(parseImage('nginx'), { repository: 'nginx' });
    assert.deepEqual(parseImage('nginx:1.25'), { repository: 'nginx', tag: '1.25' });
    assert.deepEqual(parseImage('localhost:5000/app'), { repository: 'localhost:5000/app' });
    assert.deepEqual(parseImage('localhost:5000/team/app:v2'), { repository: 'localhost:5000/team/app', tag: 'v2' });
    const d = parseImage('ghcr.io/o/app:1.0@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
    assert.equal(d.tag, '1.0');
    assert.ok(hasDigest(d));
    assert.ok(!hasDigest(parseImage('app@sha256:short')));
  });

  it('the selector index finds exactly what a brute-force comparison finds', () => {
    const key = fc.constantFrom('app', 'tier', 'part-of', 'env');
    const value = fc.constantFrom('a', 'b', 'c');
    const labels = fc.dictionary(key, value, { maxKeys: 4 });
    const req: fc.Arbitrary<Requirement> = fc.oneof(
      fc.record({ key, op: fc.constant<'In'>('In'), values: fc.array(value, { minLength: 1, maxLength: 2 }) }),
      fc.record({ key, op: fc.constantFrom<'NotIn' | 'Exists' | 'DoesNotExist'>('NotIn', 'Exists', 'DoesNotExist'), values: fc.array(value, { maxLength: 2 }) }),
    );
    const selector: fc.Arbitrary<Selector> = fc.record({ reqs: fc.array(req, { maxLength: 3 }) });
    const ns = fc.constantFrom(undefined, 'x', 'y');
    fc.assert(
      fc.property(fc.array(fc.record({ ns, labels }), { maxLength: 12 }), fc.array(fc.record({ ns, sel: selector, all: fc.boolean() }), { maxLength: 12 }), (pods, sels) => {
        const stats = new LabelStats();
        for (const p of pods) stats.add(p.labels);
        const index = new SelectorIndex<number>(stats);
        sels.forEach((s, i) => index.add(s.ns, s.sel, i, s.all));
        for (const p of pods) {
          const got = index.match(p.ns, p.labels).sort((a, b) => a - b);
          const want = sels
            .map((s, i) => ({ s, i }))
            .filter(({ s }) => (s.ns ?? '') === (p.ns ?? '') && (s.sel.reqs.length === 0 ? s.all : selectorMatches(s.sel, p.labels)))
            .map(({ i }) => i);
          assert.deepEqual(got, want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('selector lookups stay linear when thousands of selectors share a label', () => {
    const n = 5000;
    const stats = new LabelStats();
    const pods = Array.from({ length: n }, (_, i) => ({ ns: `ns${i % 50}`, labels: { 'app.kubernetes.io/part-of': 'shop', app: `svc${i}` } }));
    for (const p of pods) stats.add(p.labels);
    const index = new SelectorIndex<number>(stats);
    // every selector shares part-of=shop; only the rare app label tells them apart
    pods.forEach((p, i) => index.add(p.ns, { reqs: [{ key: 'app.kubernetes.io/part-of', op: 'In', values: ['shop'] }, { key: 'app', op: 'In', values: [`svc${i}`] }] }, i, false));
    let matched = 0;
    for (const p of pods) matched += index.match(p.ns, p.labels).length;
    assert.equal(matched, n);
    assert.ok(index.visits <= 2 * n, `${index.visits} selector comparisons for ${n} pods`);
  });
});

describe('kubernetes checklist data', () => {
  it('every item explains why and how to fix, and names its peers’ ids', () => {
    const peers = /^(polaris|kube-linter|kube-score|checkov):/;
    // no peer checks request ≤ limit (the API server does), that the manifests hold a workload and a Service, that a startup
    // probe is present, or CronJob overlap and Job retry settings
    const noPeer = new Set(['k8s.resources.requests-within-limits', 'k8s.manifests.present', 'k8s.probes.startup', 'k8s.cronjob.concurrency', 'k8s.job.backoff-limit']);
    for (const i of k8sChecklist().sections.flatMap((s) => s.items)) {
      assert.ok(i.id.startsWith('k8s.'), i.id);
      assert.ok(i.docs?.why && i.docs.fix, `${i.id} has docs.why and docs.fix`);
      assert.ok(i.matches.length > 0, `${i.id} has phrasings`);
      for (const a of i.aliases) assert.match(a, peers, `${i.id}: ${a}`);
      if (!noPeer.has(i.id)) assert.ok(i.aliases.length > 0, `${i.id} has aliases`);
    }
  });
});

describe('kubernetes rules: user patterns', () => {
  it('an unsafe secret-name pattern in a checklist is a located error, not a hang', () => {
    const text = 'id: mine\ntitle: Mine\nsections:\n  - id: s\n    title: S\n    items:\n      - id: my.secrets\n        title: T\n        check: k8s.env-secret-literal\n        with:\n          namePattern: "(a+)+$"\n';
    const { problems } = loadChecklist(text, 'mine.checklist.yaml');
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0].message, /namePattern: unsafe or invalid pattern/);
    assert.equal(problems[0].range?.start.line, 10);
  });

  it('a custom pattern with the (?i) prefix applies', () => {
    const c = structuredClone(k8sChecklist());
    for (const sec of c.sections) for (const i of sec.items) if (i.id === 'k8s.secrets.secret-ref') i.with = { namePattern: '(?i)^stripe_' };
    const text = deployment('api', { containers: '      containers:\n        - name: app\n          image: example/app:1.0.0\n          env:\n            - name: STRIPE_WEBHOOK\n              value: whsec-not-real\n            - name: DB_PASSWORD\n              value: x\n' });
    const f = item(auditFiles([{ path: 'a.yaml', text }], { checklists: [c] }), 'k8s.secrets.secret-ref').findings;
    assert.deepEqual(f.map((x) => x.data?.key), ['STRIPE_WEBHOOK']);
  });
});

describe('kubernetes rules: what cannot be judged is neither pass nor fail', () => {
  // the manifest rules judge the file as a whole: a malformed pod spec is a schema error, and a file without a Service fails k8s.manifests.present
  const ids = () => k8sItems().filter((i) => !i.id.startsWith('k8s.manifests.')).map((i) => i.id);

  it('unrendered Helm and envsubst templates are unaudited documents, located at the template', () => {
    const helm = deployment('api').replace('image: example/app:1.0.0', 'image: "{{ .Values.image }}"');
    const envsubst = deployment('api').replace('image: example/app:1.0.0', 'image: ${IMAGE}');
    for (const text of [helm, envsubst]) {
      const r = audit([{ path: 'k8s/deployment.yaml', text }]);
      for (const id of ids()) assert.equal(item(r, id).status, 'unaudited', `${id} on a template`);
      const [u] = r.unaudited;
      assert.equal(u?.scope, 'document');
      assert.equal(u.range.start.line, text.split('\n').findIndex((l) => l.includes('image:')), 'at the templated value');
    }
  });

  it('a container variable whose value holds ${NAME} is audited: Kubernetes passes it as written, and a secret there is named', () => {
    const containers = [
      '      containers:',
      '        - name: app',
      '          image: example/app:1.0.0',
      '          env:',
      '            - name: LD_LIBRARY_PATH',
      '              value: ${LD_LIBRARY_PATH}:/usr/local/nvidia/lib64',
      '            - name: DB_PASSWORD',
      '              value: ${DB_PASSWORD}',
    ].join('\n');
    const r = audit([{ path: 'k8s/app.yaml', text: deployment('app', { containers }) }]);
    assert.deepEqual(r.unaudited, []);
    const [f] = r.findings.filter((x) => x.ruleId === 'k8s.secrets.secret-ref');
    assert.match(f.message, /DB_PASSWORD looks like a secret but is filled into the pod spec from \$\{DB_PASSWORD\}/);
    // a Helm action there is still an unrendered template
    const helm = audit([{ path: 'k8s/app.yaml', text: deployment('app', { containers: containers.replace('${DB_PASSWORD}', '"{{ .Values.password }}"') }) }]);
    assert.equal(helm.unaudited[0]?.scope, 'document');
  });

  const malformed: Record<string, string> = {
    'containers as a map': deployment('a', { containers: '      containers:\n        app:\n          image: example/app:latest' }),
    'spec: null': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n',
    'template spec: null': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: 1\n  template:\n    spec:\n',
    'env as a string': deployment('a', { containers: '      containers:\n        - name: app\n          image: example/app:latest\n          env: "PASSWORD=hunter2"' }),
    'securityContext as a list': deployment('a', { containers: '      containers:\n        - name: app\n          image: example/app:latest\n          securityContext: [privileged]' }),
    'a container that is a string': deployment('a', { containers: '      containers:\n        - example/app:latest' }),
    'pod spec as a list': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  - containers: []\n',
  };
  for (const [what, text] of Object.entries(malformed)) {
    it(`a workload with ${what} never passes, is unaudited where it is wrong, and does not crash`, () => {
      const r = audit([{ path: 'k8s/app.yaml', text }]);
      // a wrongly typed container field stops only the checks that read it; a bad pod template stops all
      const field = r.unaudited.find((u) => u.scope === 'field');
      for (const id of field ? field.rules! : ids()) assert.notEqual(item(r, id).status, 'pass', `${id} on ${what}`);
      if (field) assert.ok(ids().some((id) => item(r, id).status === 'pass'), 'other checks still judge the object');
      assert.ok(!r.problems.some((p) => /failed on this file|Internal error/.test(p.message)), JSON.stringify(r.problems));
      assert.ok(r.unaudited.some((u) => / should be | is empty/.test(u.reason) && u.range.start.line > 0), `the shape error is a located unaudited entry: ${JSON.stringify(r.unaudited)}`);
    });
  }

  it('a malformed object does not hide the findings of a well-formed one in the same file', () => {
    const text = `${malformed['containers as a map']}---\n${deployment('b', { replicas: 1 })}`;
    const r = audit([{ path: 'k8s/app.yaml', text }]);
    const live = item(r, 'k8s.probes.liveness');
    assert.equal(live.status, 'fail');
    assert.deepEqual([...new Set(live.findings.map((f) => f.object))], ['Deployment/b']);
    assert.deepEqual([...new Set(item(r, 'k8s.replicas.min').findings.map((f) => f.object))], ['Deployment/b']);
  });

  it('files without workloads leave the workload rules not applicable', () => {
    const r = audit([{ path: 'k8s/svc.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: s\n' }]);
    // rules about Services themselves (or every object) judge it; its selector matches no pod
    const aboutServices: Record<string, string> = { 'k8s.service.selects-pods': 'fail', 'k8s.service.type': 'pass', 'k8s.namespace.not-default': 'pass', 'k8s.api.removed-versions': 'pass' };
    for (const id of ids()) assert.equal(item(r, id).status, aboutServices[id] ?? 'not-applicable', id);
  });
});

describe('kubernetes rules: cross-file behaviour', () => {
  it('Jobs and CronJobs need no probes; their images and security are still checked', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: m\n          image: example/migrate:latest\n';
    const r = audit([{ path: 'job.yaml', text: job }]);
    assert.equal(item(r, 'k8s.probes.liveness').status, 'not-applicable');
    assert.equal(item(r, 'k8s.probes.readiness').status, 'not-applicable');
    assert.equal(item(r, 'k8s.image.tag-pinned').status, 'fail');
    assert.equal(item(r, 'k8s.pod-security.run-as-non-root').status, 'fail');
  });

  it('an HPA in another file exempts the workload from the replica minimum and satisfies k8s.hpa', () => {
    const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: api\n  minReplicas: 3\n  maxReplicas: 6\n';
    const r = audit([
      { path: 'k8s/deployment.yaml', text: deployment('api', { ns: 'shop' }) },
      { path: 'k8s/hpa.yaml', text: hpa },
    ]);
    assert.equal(item(r, 'k8s.replicas.min').status, 'not-applicable', 'the only workload is autoscaled');
    assert.equal(item(r, 'k8s.hpa').status, 'pass');
    // the same HPA in another namespace does not count
    const other = audit([
      { path: 'k8s/deployment.yaml', text: deployment('api', { ns: 'shop' }) },
      { path: 'k8s/hpa.yaml', text: hpa.replace('namespace: shop', 'namespace: billing') },
    ]);
    assert.equal(item(other, 'k8s.replicas.min').status, 'fail');
    assert.equal(item(other, 'k8s.hpa').status, 'fail');
  });

  it('a KEDA ScaledObject counts as an autoscaler', () => {
    const so = 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: worker\nspec:\n  scaleTargetRef:\n    name: worker\n  minReplicaCount: 3\n  maxReplicaCount: 20\n';
    const r = audit([{ path: 'k8s/worker.yaml', text: `${deployment('worker')}---\n${so}` }]);
    assert.equal(item(r, 'k8s.hpa').status, 'pass');
  });

  it('a PDB matches pod template labels, not the Deployment’s own labels, and only in its namespace', () => {
    const pdb = (ns: string) => `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: api\n  namespace: ${ns}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: api\n`;
    const ok = audit([{ path: 'a.yaml', text: `${deployment('api', { ns: 'shop', replicas: 3 })}---\n${pdb('shop')}` }]);
    assert.equal(item(ok, 'k8s.pdb').status, 'pass');
    const wrongNs = audit([{ path: 'a.yaml', text: `${deployment('api', { ns: 'shop', replicas: 3 })}---\n${pdb('billing')}` }]);
    assert.equal(item(wrongNs, 'k8s.pdb').status, 'fail');
    const podLabelsDiffer = audit([{ path: 'a.yaml', text: `${deployment('api', { ns: 'shop', replicas: 3, labels: { component: 'api' } })}---\n${pdb('shop')}` }]);
    assert.equal(item(podLabelsDiffer, 'k8s.pdb').status, 'fail');
    const single = audit([{ path: 'a.yaml', text: deployment('api', { ns: 'shop', replicas: 1 }) }]);
    assert.equal(item(single, 'k8s.pdb').status, 'not-applicable', 'replicas: 1 is skipped, as kube-score does');
  });

  it('the Service-backed readiness rule is off by default (k8s.probes.readiness reports the same container); turned on, it names the Service and links it', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n';
    const byDefault = audit([
      { path: 'k8s/svc.yaml', text: svc },
      { path: 'k8s/deploy.yaml', text: deployment('api') },
    ]);
    assert.equal(byDefault.items.find((i) => i.id === 'k8s.probes.service-readiness'), undefined, 'opt-in: not in the default audit');
    assert.equal(item(byDefault, 'k8s.probes.readiness').findings.length, 1, 'one missing probe, one finding');
    const optedIn = (files: { path: string; text: string }[]) => auditFiles(files, { checklists: [k8sChecklist()], config: { rules: { 'k8s.probes.service-readiness': 'error' } } });
    const r = optedIn([
      { path: 'k8s/svc.yaml', text: svc },
      { path: 'k8s/deploy.yaml', text: deployment('api') },
    ]);
    const f = item(r, 'k8s.probes.service-readiness').findings;
    assert.equal(f.length, 1);
    assert.equal(f[0].file, 'k8s/deploy.yaml');
    assert.match(f[0].message, /Service\/api/);
    assert.equal(f[0].related?.[0].file, 'k8s/svc.yaml');
    // an ExternalName Service or a selector that does not match leaves the rule not applicable
    const none = optedIn([
      { path: 'k8s/svc.yaml', text: svc.replace('app: api', 'app: web') },
      { path: 'k8s/deploy.yaml', text: deployment('api') },
    ]);
    assert.equal(item(none, 'k8s.probes.service-readiness').status, 'not-applicable');
  });

  it('secret findings name the variable, never its value', () => {
    const text = deployment('api', { containers: '      containers:\n        - name: app\n          image: example/app:1.0.0\n          env:\n            - name: API_TOKEN\n              value: s3cr3t-v4lue-123\n' });
    const f = item(audit([{ path: 'a.yaml', text }]), 'k8s.secrets.secret-ref').findings;
    assert.equal(f.length, 1);
    assert.match(f[0].message, /API_TOKEN/);
    assert.ok(!JSON.stringify(f[0]).includes('s3cr3t-v4lue-123'));
  });

  it('a URL with a password is a secret whatever the name; the finding names the key, never the URL', () => {
    const env = (value: string) => deployment('api', { containers: `      containers:\n        - name: app\n          image: example/app:1.0.0\n          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: db, key: password}\n            - name: DATABASE_URL\n              value: ${value}\n` });
    const text = env('postgres://shop:Tr0ub4dor-3@db:5432/shop');
    const literal = item(audit([{ path: 'a.yaml', text }]), 'k8s.secrets.secret-ref');
    assert.equal(literal.findings.length, 1);
    assert.match(literal.findings[0].message, /DATABASE_URL holds a URL with a password/);
    assert.equal(literal.findings[0].range.start.line, text.split('\n').findIndex((l) => l.includes('value: postgres')), 'on the value');
    const json = JSON.stringify(literal.findings[0]);
    for (const part of ['Tr0ub4dor-3', 'postgres://', 'shop:']) assert.ok(!json.includes(part), `${part} leaked`);
    for (const safe of ['postgres://shop:$(DB_PASSWORD)@db:5432/shop', 'redis://redis:6379/0', 'https://shop@db/x']) {
      assert.equal(item(audit([{ path: 'a.yaml', text: env(safe) }]), 'k8s.secrets.secret-ref').findings.length, 0, safe);
    }
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  LOG_LEVEL: info\n  AMQP_URL: amqp://shop:guest-pw@rabbit:5672/\n';
    const inMap = item(audit([{ path: 'cm.yaml', text: cm }]), 'k8s.secrets.secret-ref').findings;
    assert.deepEqual(inMap.map((f) => [f.range.start.line, f.message.includes('AMQP_URL holds a URL with a password'), JSON.stringify(f).includes('guest-pw')]), [[6, true, false]]);
  });

  it('params switch the contested definitions (followed peer)', () => {
    const withParams = (id: string, params: Record<string, unknown>): Checklist => {
      const c = structuredClone(k8sChecklist());
      for (const s of c.sections) for (const i of s.items) if (i.id === id) i.with = { ...(i.with ?? {}), ...params };
      return c;
    };
    const groupZero = deployment('g', { containers: '      containers:\n        - name: app\n          image: example/app:1.0.0\n          securityContext:\n            runAsUser: 1001\n            runAsGroup: 0\n' });
    const r1 = auditFiles([{ path: 'a.yaml', text: groupZero }], { checklists: [k8sChecklist()] });
    assert.equal(item(r1, 'k8s.pod-security.run-as-non-root').status, 'pass', 'default: Polaris/checkov');
    const r2 = auditFiles([{ path: 'a.yaml', text: groupZero }], { checklists: [withParams('k8s.pod-security.run-as-non-root', { allowRootGroup: false })] });
    assert.equal(item(r2, 'k8s.pod-security.run-as-non-root').status, 'fail', 'allowRootGroup: false follows kube-linter');
    const untagged = deployment('u', { containers: '      containers:\n        - name: app\n          image: nginx\n' });
    assert.equal(item(audit([{ path: 'a.yaml', text: untagged }]), 'k8s.image.pull-policy').status, 'pass', 'default: effective policy (kube-score/checkov)');
    const strictPolicy = auditFiles([{ path: 'a.yaml', text: untagged }], { checklists: [withParams('k8s.image.pull-policy', { requireExplicit: true })] });
    assert.equal(item(strictPolicy, 'k8s.image.pull-policy').status, 'fail', 'requireExplicit follows Polaris');
    const two = deployment('t', { replicas: 2 });
    assert.equal(item(audit([{ path: 'a.yaml', text: two }]), 'k8s.replicas.min').status, 'fail', 'default minimum 3 (kube-linter)');
    assert.equal(item(auditFiles([{ path: 'a.yaml', text: two }], { checklists: [withParams('k8s.replicas.min', { min: 2 })] }), 'k8s.replicas.min').status, 'pass', 'min: 2 follows Polaris/kube-score');
  });
});

describe('kubernetes rules: scale', () => {
  it('cross-file checks compare each workload with a bounded number of selectors, not with every PDB, Service and NetworkPolicy', function () {
    this.timeout(60000);
    const crossFile = ['k8s.pdb', 'k8s.hpa', 'k8s.replicas.min', 'k8s.networkpolicy', 'k8s.probes.service-readiness'];
    const checklist: Checklist = { ...k8sChecklist(), sections: k8sChecklist().sections.map((s) => ({ ...s, items: s.items.filter((i) => crossFile.includes(i.id)) })) };
    // 400 workloads in 4 namespaces; every selector shares the part-of=shop pair, so a pairwise scan would make ~100 comparisons per workload and selector kind
    const n = 400;
    const files: { path: string; text: string }[] = [];
    for (let i = 0; i < n; i++) {
      const ns = `team${i % 4}`;
      const labels = { app: `svc${i}`, 'app.kubernetes.io/part-of': 'shop' };
      const pdb = `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: svc${i}\n  namespace: ${ns}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/part-of: shop\n      app: svc${i}\n`;
      const svc = `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc${i}\n  namespace: ${ns}\nspec:\n  selector:\n    app.kubernetes.io/part-of: shop\n    app: svc${i}\n`;
      const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: svc${i}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchExpressions:\n      - key: app\n        operator: In\n        values: [svc${i}, legacy]\n`;
      files.push({ path: `k8s/svc${i}.yaml`, text: [deployment(`svc${i}`, { ns, labels, replicas: 3 }), pdb, svc, np].join('---\n') });
    }
    const original = SelectorIndex.prototype.match;
    let visits = 0;
    let lookups = 0;
    SelectorIndex.prototype.match = function (this: SelectorIndex<unknown>, ...args: Parameters<SelectorIndex<unknown>['match']>) {
      const before = this.visits;
      const out = original.apply(this, args);
      visits += this.visits - before;
      lookups++;
      return out;
    };
    try {
      const r = auditFiles(files, { checklists: [checklist], config: { rules: { 'k8s.probes.service-readiness': 'error' } } });
      assert.equal(item(r, 'k8s.pdb').status, 'pass');
      assert.equal(item(r, 'k8s.networkpolicy').status, 'pass');
      assert.equal(item(r, 'k8s.probes.service-readiness').status, 'fail');
      assert.equal(lookups, 3 * n, 'one lookup per workload for PDBs, NetworkPolicies and Services');
      assert.ok(visits <= 2 * lookups, `${visits} selector comparisons for ${lookups} lookups`);
    } finally {
      SelectorIndex.prototype.match = original;
    }
  });
});
