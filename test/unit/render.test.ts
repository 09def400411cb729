import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AuditResult, Finding } from '../../src/engine/model';
import { fixAll } from '../../src/engine/fixes/run';
import { RELEASE_NAMESPACE_PLACEHOLDER } from '../../src/engine/render/releaseNamespace';
import { scanFolder, type ScanOptions } from '../../src/node/host';
import { FIXTURES, SHARED } from './helpers';
import { helmBinary, kubectlBinary } from './renderSupport';

const DEMO = path.join(SHARED, 'corpus', 'realworld', 'microservices-demo');
const CHARTS = path.join(FIXTURES, 'charts');
const KUSTOMIZE = path.join(FIXTURES, 'kustomize');
const RELEASE_NS = path.join(FIXTURES, 'release-namespace');
const CHART_DEPS = path.join(FIXTURES, 'chart-dependencies');

function tools(): ScanOptions {
  return { render: { helm: helmBinary(), kubectl: kubectlBinary() } };
}

function find(result: AuditResult, ruleId: string, object: string, file?: string): Finding[] {
  return result.findings.filter((f) => f.ruleId === ruleId && f.object === object && (!file || f.file === file));
}

function at(f: Finding | undefined): string {
  return f ? `${f.file}:${f.range.start.line + 1}` : 'none';
}

/** A folder scanned with the tools, and the text of every chart it rendered. */
async function scanRendered(dir: string): Promise<{ result: AuditResult; rendered: string }> {
  const scan = await scanFolder(dir, tools());
  return { result: scan.result, rendered: scan.engine.paths.filter((p) => p.endsWith('(helm template)')).map((p) => scan.engine.file(p)!.text).join('') };
}

function copyFixture(src: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipshape-render-test-'));
  cpSync(src, dir, { recursive: true });
  return dir;
}

describe('Helm charts and Kustomize overlays, audited as rendered', function () {
  this.timeout(120000);

  describe('microservices-demo', () => {
    let result: AuditResult;
    before(async () => {
      ({ result } = await scanFolder(DEMO, tools()));
    });

    it('renders the chart: findings sit on template lines, none on the rendered output, no template skipped', () => {
      assert.ok(!result.problems.some((p) => /nrendered Helm/.test(p.message)), result.problems.map((p) => `${p.file}: ${p.message}`).join('\n'));
      assert.deepEqual(result.unaudited.filter((u) => /rendered|template/.test(u.reason)).map((u) => `${u.file}: ${u.reason}`), []);
      assert.ok(!result.findings.some((f) => f.file.includes('(helm template)') || f.file.includes('(kustomize build)')));
      const hpa = find(result, 'k8s.hpa', 'Deployment/adservice', 'helm-chart/templates/adservice.yaml');
      assert.equal(hpa.length, 1);
      const template = readFileSync(path.join(DEMO, 'helm-chart/templates/adservice.yaml'), 'utf8').split('\n');
      assert.match(template[hpa[0].range.start.line], /^\s+name: \{\{ \.Values\.adService\.name \}\}/);
      assert.equal(hpa[0].fixable, false);
    });

    it('a value a template reads points at its values.yaml line', () => {
      const probe = find(result, 'k8s.probes.startup', 'Deployment/adservice', 'helm-chart/templates/adservice.yaml')[0];
      assert.ok(probe, 'startup probe finding on the template');
      const image = result.findings.find((f) => f.file === 'helm-chart/templates/adservice.yaml' && f.ruleId === 'k8s.image.pull-policy');
      assert.ok(image?.related?.some((r) => r.file === 'helm-chart/values.yaml' && /\.Values\.images\.(repository|tag) is set here/.test(r.message)), JSON.stringify(image?.related));
    });

    it('kustomize bases, components and patches are not audited as standalone objects', () => {
      for (const f of result.findings) assert.ok(!/kustomize\/components\/[^/]+\/kustomization\.yaml$/.test(f.file) || f.range.start.line > 0, `${f.file}`);
      // the kustomization files themselves are no objects
      assert.ok(!result.findings.some((f) => f.object?.startsWith('Kustomization/') || f.object?.startsWith('Component/')));
    });

    it('the same finding on the same object in kubernetes-manifests/ and kustomize/base/ is reported once, the other place related', () => {
      const pdb = result.findings.filter((f) => f.ruleId === 'k8s.pdb' && f.object === 'Deployment/adservice' && !f.file.startsWith('helm-chart/'));
      assert.equal(pdb.length, 1, pdb.map(at).join(', '));
      assert.equal(pdb[0].file, 'kubernetes-manifests/adservice.yaml');
      assert.ok(pdb[0].related?.some((r) => r.file === 'kustomize/base/adservice.yaml'), JSON.stringify(pdb[0].related));
      // four entry kustomizations render the base: still one finding per place
      const places = result.findings.map((f) => `${f.ruleId} ${f.file} ${f.range.start.line} ${f.range.start.character} ${f.message}`);
      assert.equal(new Set(places).size, places.length);
    });
  });

  describe('a chart with _helpers.tpl, a library chart and a vendored public subchart', () => {
    let result: AuditResult;
    before(async () => {
      ({ result } = await scanFolder(CHARTS, tools()));
    });

    it('findings on fields written by include land in the definition in _helpers.tpl', () => {
      const f = find(result, 'k8s.resources.limits.memory', 'Deployment/shop-prometheus-pushgateway')[0];
      assert.equal(f?.file, 'shop/charts/prometheus-pushgateway/templates/_helpers.tpl');
      const lines = readFileSync(path.join(CHARTS, f.file), 'utf8').split('\n');
      assert.match(lines[f.range.start.line], /^\s+- name: pushgateway/);
    });

    it("a subchart's value set in the parent's values.yaml points there", () => {
      const f = find(result, 'k8s.replicas.min', 'Deployment/shop-prometheus-pushgateway')[0];
      assert.equal(at(f), 'shop/charts/prometheus-pushgateway/templates/deployment.yaml:14');
      const rel = f.related?.find((r) => r.file === 'shop/values.yaml');
      assert.equal(rel?.range.start.line, 12, JSON.stringify(f.related));
    });

    it('a toYaml block under with .Values.x points at x in values.yaml; the image at repository and tag', () => {
      const limits = find(result, 'k8s.resources.limits.memory', 'Deployment/shop-shop')[0];
      assert.equal(at(limits), 'shop/templates/deployment.yaml:27');
      assert.ok(limits.related?.some((r) => r.file === 'shop/values.yaml' && r.range.start.line === 6));
      const tag = find(result, 'k8s.image.tag-pinned', 'Deployment/shop-shop')[0];
      assert.equal(at(tag), 'shop/templates/deployment.yaml:19');
      assert.deepEqual(tag.related?.filter((r) => r.file === 'shop/values.yaml').map((r) => r.range.start.line), [3, 4]);
    });

    it('a library chart is not rendered on its own and no template is audited raw', () => {
      assert.ok(!result.problems.some((p) => p.file.includes('common-lib') || /unrendered/.test(p.message)), result.problems.map((p) => p.message).join('\n'));
      assert.deepEqual(result.unaudited.map((u) => u.file), []);
      assert.ok(!result.findings.some((f) => f.file.includes('(helm template)')));
      assert.ok(!result.findings.some((f) => /^shop\/templates\/[^/]+\.yaml$/.test(f.file) && f.range.start.line === 0 && f.range.start.character === 0), 'no finding at the top of a template');
    });

    it('per-environment values files and --set values from .shipshape.yaml', async () => {
      const dir = copyFixture(CHARTS);
      try {
        writeFileSync(path.join(dir, '.shipshape.yaml'), 'render:\n  charts:\n    shop:\n      set: { prometheus-pushgateway.replicaCount: 4 }\n      environments:\n        prod: { values: [values-prod.yaml] }\n');
        const { result: prod } = await scanFolder(dir, tools());
        assert.equal(find(prod, 'k8s.image.tag-pinned', 'Deployment/shop-shop').length, 0, 'values-prod.yaml pins the tag');
        assert.equal(find(prod, 'k8s.replicas.min', 'Deployment/shop-shop').length, 0);
        assert.equal(find(prod, 'k8s.replicas.min', 'Deployment/shop-prometheus-pushgateway').length, 0, '--set replicaCount=4');
        const limits = find(prod, 'k8s.resources.limits.cpu', 'Deployment/shop-shop')[0];
        assert.ok(limits.related?.some((r) => r.file === 'shop/values-prod.yaml'), JSON.stringify(limits.related));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('a chart whose objects go to the release namespace, with a test hook', () => {
    let result: AuditResult;
    let rendered: string;
    before(async () => {
      ({ result, rendered } = await scanRendered(RELEASE_NS));
    });

    it('the release namespace is chosen at install time: not "the default namespace"; a namespace written into the chart is', () => {
      assert.deepEqual(result.findings.filter((f) => f.ruleId === 'k8s.namespace.not-default').map((f) => `${f.object} ${at(f)}`), ['ConfigMap/web-web web/templates/configmap.yaml:6']);
      assert.ok(!rendered.includes(RELEASE_NAMESPACE_PLACEHOLDER), 'the placeholder is not left in what is audited');
      assert.match(rendered, /value: "http:\/\/web-api\.default\.svc:8080"/, 'inside a longer value, as helm renders without -n');
    });

    it('objects in the release namespace and objects that name none are audited as one namespace', () => {
      // the NetworkPolicy (no namespace) selects the pods of the Deployment (namespace: {{ .Release.Namespace }}); the Service (the same, quoted) targets them
      assert.deepEqual(find(result, 'k8s.networkpolicy', 'Deployment/web-web'), []);
      assert.ok(!result.findings.some((f) => f.ruleId.startsWith('k8s.service.') && f.object === 'Service/web-web'), result.findings.filter((f) => f.object === 'Service/web-web').map((f) => f.message).join('\n'));
      assert.equal(find(result, 'k8s.probes.liveness', 'Deployment/web-web').length, 1, 'the workload itself is audited');
    });

    it("a test hook is left out, as helm install leaves it: nothing is audited on templates/tests", () => {
      assert.deepEqual(result.findings.filter((f) => f.file.includes('/templates/tests/')).map((f) => `${f.ruleId} ${at(f)}`), []);
      assert.ok(!rendered.includes('test-connection'));
    });
  });

  describe('charts whose dependencies are not in charts/ (helm dependency build not run)', () => {
    let result: AuditResult;
    let rendered: string;
    before(async () => {
      ({ result, rendered } = await scanRendered(CHART_DEPS));
    });

    it("each missing dependency is unaudited where it is declared (Chart.yaml or requirements.yaml); the chart's own templates are audited", () => {
      assert.deepEqual(
        result.unaudited.filter((u) => !u.file.startsWith('needs-common/')).map((u) => `${u.file}:${u.range.start.line + 1} ${u.scope}`),
        ['api/Chart.yaml:7 object', 'legacy/requirements.yaml:2 object'],
      );
      assert.match(result.unaudited[0].reason, /^Dependency postgresql is not in charts\/ \(helm dependency build fetches it\)/);
      assert.equal(at(find(result, 'k8s.probes.liveness', 'Deployment/api-api')[0]), 'api/templates/deployment.yaml:16');
      assert.equal(at(find(result, 'k8s.probes.liveness', 'Deployment/legacy-worker')[0]), 'legacy/templates/worker.yaml:16');
    });

    it("a template that calls a missing dependency's helpers cannot render: the chart is unaudited, naming what is missing", () => {
      const chart = result.unaudited.filter((u) => u.file.startsWith('needs-common/'));
      assert.deepEqual(chart.map((u) => `${u.file}:${u.range.start.line + 1} ${u.scope}`), ['needs-common/Chart.yaml:1 file']);
      assert.match(chart[0].reason, /^Helm chart not rendered: helm template failed: .*common\.names\.fullname.*; its dependencies common are not in charts\/ \(helm dependency build fetches them\)\.$/s);
    });

    it('a vendored dependency is rendered with the chart; the repository files are left as they were', () => {
      assert.match(rendered, /name: api-common/);
      assert.match(readFileSync(path.join(CHART_DEPS, 'api', 'Chart.yaml'), 'utf8'), /name: postgresql/);
      assert.ok(readFileSync(path.join(CHART_DEPS, 'api', 'Chart.lock'), 'utf8').includes('postgresql'));
    });
  });

  describe('a Kustomize overlay', () => {
    let result: AuditResult;
    before(async () => {
      ({ result } = await scanFolder(KUSTOMIZE, tools()));
    });

    it('images:, replicas and patches are honoured: the rendered objects are what is audited', () => {
      assert.equal(find(result, 'k8s.image.tag-pinned', 'Deployment/prod-api').length, 0);
      assert.equal(find(result, 'k8s.replicas.min', 'Deployment/prod-api').length, 0);
      assert.equal(find(result, 'k8s.resources.requests.cpu', 'Deployment/prod-api').length, 0);
      assert.ok(!result.findings.some((f) => f.object === 'Deployment/api'), 'the base is not audited on its own');
    });

    it('findings map to the patch that sets the field, or to the base when it is missing', () => {
      assert.equal(at(find(result, 'k8s.resources.limits.cpu', 'Deployment/prod-api')[0]), 'overlays/prod/resources.yaml:14');
      assert.equal(at(find(result, 'k8s.probes.liveness', 'Deployment/prod-api')[0]), 'base/deployment.yaml:18');
      assert.equal(at(find(result, 'k8s.pdb', 'Deployment/prod-api')[0]), 'base/deployment.yaml:4');
      assert.equal(at(find(result, 'k8s.pod-security.read-only-root-filesystem', 'Deployment/prod-api')[0]), 'components/hardening/kustomization.yaml:6');
    });

    it('a fix goes into the base where the field is missing and no patch sets it, never into a patch or component; rendering again clears its findings', async () => {
      const dir = copyFixture(KUSTOMIZE);
      try {
        const read = (p: string): string => readFileSync(path.join(dir, p), 'utf8');
        const others = ['overlays/prod/resources.yaml', 'overlays/prod/kustomization.yaml', 'components/hardening/kustomization.yaml', 'base/service.yaml', 'base/kustomization.yaml'];
        const kept = new Map(others.map((p) => [p, read(p)]));
        const scan = await scanFolder(dir, tools());
        const out = fixAll(scan.engine, { readFile: read });
        assert.deepEqual([...out.files.keys()], ['base/deployment.yaml']);
        const fixed = out.applied.map((a) => a.ruleId).sort();
        assert.ok(fixed.includes('k8s.probes.liveness') && fixed.includes('k8s.service-account.automount-token'), fixed.join());
        // the limits come from the overlay's patch, the securityContext from the component's JSON patch: no edit, the place to change named
        assert.match(out.declined.find((d) => d.ruleId === 'k8s.resources.limits.cpu')?.reason ?? '', /resources\.limits is not in the base base\/deployment\.yaml; a patch adds it; change it at overlays\/prod\/resources\.yaml:14/);
        assert.match(out.declined.find((d) => d.ruleId === 'k8s.pod-security.read-only-root-filesystem')?.reason ?? '', /change it at components\/hardening\/kustomization\.yaml:6/);
        for (const [file, { after }] of out.files) writeFileSync(path.join(dir, file), after);
        const again = await scanFolder(dir, tools());
        for (const id of fixed) assert.equal(find(again.result, id, 'Deployment/prod-api').length, 0, `${id} after rendering again`);
        assert.equal(find(again.result, 'k8s.resources.limits.cpu', 'Deployment/prod-api').length, 1);
        for (const [p, text] of kept) assert.equal(read(p), text, p);
        assert.equal(fixAll(again.engine, { readFile: read }).files.size, 0, 'a second run changes nothing');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('a kustomization file named Kustomization, with a name prefix and suffix', () => {
    it('is an entry point like kustomization.yaml; the renamed objects map back to their base', async () => {
      const dir = copyFixture(KUSTOMIZE);
      try {
        const entry = path.join(dir, 'overlays/prod/kustomization.yaml');
        writeFileSync(path.join(dir, 'overlays/prod/Kustomization'), readFileSync(entry, 'utf8').replace('namePrefix: prod-\n', 'namePrefix: prod-\nnameSuffix: -v2\n'));
        rmSync(entry);
        const { result } = await scanFolder(dir, tools());
        assert.ok(!result.findings.some((f) => f.object === 'Deployment/api'), 'the base and the patch are not audited on their own');
        assert.equal(at(find(result, 'k8s.probes.liveness', 'Deployment/prod-api-v2')[0]), 'base/deployment.yaml:18');
        assert.equal(at(find(result, 'k8s.pdb', 'Deployment/prod-api-v2')[0]), 'base/deployment.yaml:4');
        assert.equal(at(find(result, 'k8s.resources.limits.cpu', 'Deployment/prod-api-v2')[0]), 'overlays/prod/resources.yaml:14');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('fixes of a chart go into its values files', () => {
    it('a values key the template renders (toYaml block, {{ .Values.x }}) takes the fix; fields the template writes itself are left, with the template line; rendering again clears the fixed findings', async () => {
      const dir = copyFixture(CHARTS);
      try {
        const read = (p: string): string => readFileSync(path.join(dir, p), 'utf8');
        const templates = ['shop/templates/deployment.yaml', 'shop/templates/_helpers.tpl', 'shop/charts/prometheus-pushgateway/templates/_helpers.tpl', 'shop/charts/prometheus-pushgateway/templates/deployment.yaml'];
        const kept = new Map(templates.map((p) => [p, read(p)]));
        const scan = await scanFolder(dir, tools());
        const out = fixAll(scan.engine, { readFile: read });
        assert.deepEqual([...out.files.keys()].sort(), ['shop/charts/prometheus-pushgateway/values.yaml', 'shop/values.yaml']);
        const applied = (id: string, object: string): boolean => out.applied.some((a) => a.ruleId === id && scan.result.findings.some((f) => f.ruleId === id && f.object === object && f.file === a.file && f.range.start.line === a.line));
        assert.ok(applied('k8s.resources.limits.memory', 'Deployment/shop-shop'), 'resources: toYaml of .Values.resources');
        assert.ok(applied('k8s.replicas.min', 'Deployment/shop-prometheus-pushgateway'), "a subchart's value in the parent's values.yaml");
        assert.ok(applied('k8s.service-account.automount-token', 'Deployment/shop-prometheus-pushgateway'), "the subchart's own values.yaml");
        const values = out.files.get('shop/values.yaml')!.after;
        assert.match(values, /^resources:\n {2}requests:\n {4}cpu: 100m\n {4}memory: 128Mi\n {2}limits:\n {4}cpu: 500m\n {4}memory: 512Mi\n/m);
        assert.match(values, /^prometheus-pushgateway:\n {2}replicaCount: 3$/m);
        // the probe goes into a container the template writes itself: no values key can take it
        const probe = out.declined.find((d) => d.ruleId === 'k8s.probes.liveness' && d.file === 'shop/templates/deployment.yaml');
        assert.match(probe?.reason ?? '', /the template writes .*containers\[0\] itself .*change it at shop\/templates\/deployment\.yaml:18/);
        for (const [file, { after }] of out.files) writeFileSync(path.join(dir, file), after);
        const again = await scanFolder(dir, tools());
        for (const a of out.applied) {
          const left = again.result.findings.filter((f) => f.ruleId === a.ruleId && f.file === a.file && f.range.start.line === a.line);
          assert.equal(left.length, 0, `${a.ruleId} at ${a.file}:${a.line + 1} after rendering again`);
        }
        for (const [p, text] of kept) assert.equal(read(p), text, p);
        assert.equal(fixAll(again.engine, { readFile: read }).files.size, 0, 'a second run changes nothing');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('when rendering cannot run', () => {
    it('without helm, each chart is one unaudited result at its Chart.yaml saying how to enable it', async () => {
      const { result } = await scanFolder(CHARTS, { render: { helm: path.join(CHARTS, 'no-such-helm'), kubectl: kubectlBinary() } });
      const about = result.unaudited.filter((u) => u.file.startsWith('shop/'));
      assert.equal(about.length, 1, about.map((u) => u.reason).join('\n'));
      assert.equal(about[0].file, 'shop/Chart.yaml');
      assert.match(about[0].reason, /^Helm chart not rendered: helm was not found .*render\.helm in \.shipshape\.yaml/);
      assert.ok(!result.problems.some((p) => p.file.startsWith('shop/')));
      assert.ok(!result.findings.some((f) => f.file.startsWith('shop/')));
      assert.ok(result.items.some((i) => i.status === 'unaudited'), 'items reading manifests cannot pass');
    });

    it('in an untrusted workspace nothing runs: each chart and kustomization is unaudited, with the reason', async () => {
      const { result } = await scanFolder(KUSTOMIZE, { render: { trusted: false, kubectl: kubectlBinary() } });
      assert.deepEqual(
        result.unaudited.map((u) => u.file),
        ['overlays/prod/kustomization.yaml'],
      );
      assert.match(result.unaudited[0].reason, /^Kustomization not rendered: .*trusted workspace/);
      assert.equal(result.findings.length, 0);
    });

    it('a failing render is one located unaudited result with the tool\'s message, no absolute paths', async () => {
      const dir = copyFixture(KUSTOMIZE);
      try {
        writeFileSync(path.join(dir, 'overlays/prod/resources.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nothing-like-it}\nspec: {replicas: 2}\n');
        const { result } = await scanFolder(dir, tools());
        const u = result.unaudited.find((x) => x.file === 'overlays/prod/kustomization.yaml');
        assert.match(u?.reason ?? '', /^Kustomization not rendered: kubectl kustomize failed: /);
        assert.ok(!u!.reason.includes(dir) && !u!.reason.includes(tmpdir()), u!.reason);
        // a path the tool names is written from the repository's root, never from where the tool ran
        mkdirSync(path.join(dir, 'overlays/broken'));
        writeFileSync(path.join(dir, 'overlays/broken/kustomization.yaml'), 'resources:\n- ../gone\n');
        const again = (await scanFolder(dir, tools())).result.unaudited.find((x) => x.file === 'overlays/broken/kustomization.yaml');
        assert.match(again?.reason ?? '', /'overlays\/broken'/, again?.reason);
        assert.ok(!again!.reason.includes(path.basename(dir)), again!.reason);
        assert.doesNotMatch(again!.reason, /\d\d:\d\d:\d\d\.\d+/, 'no log time: the same error reads the same every run');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
