import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { classifyPath } from '../../src/engine/discover';
import { parseFile } from '../../src/engine/parse';
import { ciSteps } from '../../src/engine/parse/ci';
import { runnableCommands } from '../../src/engine/parse/shellText';
import type { YamlFile } from '../../src/engine/parse/yamlSupport';
import type { ParsedFile } from '../../src/engine/workspace';
import { auditFixture, FIXTURES, withinHangBound } from './helpers';

/** Only CI steps that run count: not `if: false`, not `when: never`, not an unextended template, not a tool named in an echo or a comment. */

const statusOf = (r: Awaited<ReturnType<typeof auditFixture>>, id: string) => r.items.find((i) => i.id === id)?.status;

describe('CI checks: only steps that run count', () => {
  it('GitHub Actions: if: false steps and jobs, echo/printf text and shell comments do not meet a requirement', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'ci-runs', 'not-run'));
    assert.equal(statusOf(r, 'ci.test'), 'pass', 'npm ci and npm test run');
    for (const id of ['ci.lint', 'ci.security-scan', 'ci.image-scan', 'ci.image-signing']) assert.equal(statusOf(r, id), 'fail', id);
  });

  it('GitLab CI: steps merged in with <<: *anchor and templates a job extends count; when: never and unextended templates do not', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'ci-runs', 'gitlab'));
    assert.equal(statusOf(r, 'ci.test'), 'pass', 'npm ci comes from <<: *node');
    assert.equal(statusOf(r, 'ci.security-scan'), 'pass', 'npm audit comes from <<: [*node, *audit]');
    assert.equal(statusOf(r, 'ci.lint'), 'pass', 'lint extends .lint-template');
    assert.equal(statusOf(r, 'ci.image-scan'), 'fail', 'trivy image runs only in an unextended template and a when: never job');
  });

  it('a repository without a package.json is not judged by npm steps; its linters count (Go, charts, Dockerfiles)', async () => {
    const r = await auditFixture(path.join(FIXTURES, 'ci-runs', 'go-service'));
    assert.equal(statusOf(r, 'ci.test'), 'not-applicable', 'npm ci and npm test are steps of a Node project');
    assert.equal(statusOf(r, 'ci.lint'), 'pass', 'golangci-lint and ct lint run');
    const lint = r.items.find((i) => i.id === 'ci.lint')!;
    assert.ok(lint.evidence.some((e) => /golangci-lint-action/.test(e.message)) && lint.evidence.some((e) => e.message.startsWith('runs the linter: a step')), JSON.stringify(lint.evidence));
  });

  it("a workflow of another repository that a job calls is not read: what it may run is unaudited, not failed; one in this repository is read", async () => {
    const r = await auditFixture(path.join(FIXTURES, 'ci-runs', 'reusable'));
    assert.equal(statusOf(r, 'ci.lint'), 'pass', 'npm run lint runs in ./.github/workflows/lint.yml');
    assert.equal(statusOf(r, 'ci.test'), 'unaudited', 'npm ci runs in lint.yml, npm test nowhere that can be read');
    const test = r.unaudited.filter((u) => u.rules?.includes('ci.test'));
    assert.deepEqual(
      test.map((u) => `${u.file}:${u.range.start.line + 1} ${u.reason}`),
      ['.github/workflows/ci.yml:5 Job build calls example-org/.github/.github/workflows/node-build.yml@v2, a workflow of another repository; whether it runs the tests could not be read'],
    );
    assert.ok(!r.findings.some((f) => f.ruleId === 'ci.test'), 'no "no CI step" finding');
  });

  it('Cloud Build: a step runs its entrypoint, else its builder image, with its args; bash -c runs the script', () => {
    const text = [
      'steps:',
      "  - name: gcr.io/cloud-builders/docker",
      "    args: ['build', '-t', 'gcr.io/$PROJECT_ID/api:$SHORT_SHA', '.']",
      '  - name: gcr.io/k8s-skaffold/skaffold:v2.13.2',
      '    args: [skaffold, build, --default-repo=gcr.io/$PROJECT_ID]',
      '  - name: gcr.io/cloud-builders/gcloud',
      '    entrypoint: bash',
      '    args: [-c, "echo deploying\\nkubectl rollout status deploy/api"]',
      '  - name: gcr.io/cloud-builders/kubectl',
      '    entrypoint: /bin/sh',
      "    args: ['-c', 'kubectl wait --for=condition=available deploy/api']",
      '  - name: gcr.io/cloud-builders/npm@sha256:0123',
      '    args: [ci]',
      '  - name: gcr.io/cloud-builders/gcloud',
      '    args: [{storage: cp}]',
      '',
    ].join('\n');
    const file = parseFile({ path: 'cloudbuild.yaml', kind: 'ciWorkflow', text }) as ParsedFile<YamlFile>;
    assert.equal(classifyPath('ci/cloudbuild-pr.yaml'), 'ciWorkflow');
    assert.equal(classifyPath('.github/cloudbuild/deploy.yaml'), 'ciWorkflow');
    // a deeper cloudbuild/ folder may hold manifests
    assert.equal(classifyPath('deploy/cloudbuild/app.yaml'), 'maybeKubernetes');
    assert.deepEqual(
      ciSteps(file).map((s) => [s.kind, s.text]),
      [
        ['run', 'docker build -t gcr.io/$PROJECT_ID/api:$SHORT_SHA .'],
        ['run', 'skaffold build --default-repo=gcr.io/$PROJECT_ID'],
        ['run', 'kubectl rollout status deploy/api'],
        ['run', 'kubectl wait --for=condition=available deploy/api'],
        ['run', 'npm ci'],
      ],
    );
  });

  it('Travis CI: its script and install steps are read, and a Node project with no install step installs from the lockfile', () => {
    const steps = (text: string) => ciSteps(parseFile({ path: '.travis.yml', kind: 'ciWorkflow', text }) as ParsedFile<YamlFile>).map((s) => s.text);
    assert.equal(classifyPath('.travis.yml'), 'ciWorkflow');
    assert.deepEqual(steps('language: node_js\nnode_js: ["22"]\nscript:\n  - npm run lint\n  - npm test\n'), ['npm run lint', 'npm test', 'npm ci']);
    assert.deepEqual(steps('language: node_js\ninstall: npm install\nscript: npm test\n'), ['npm install', 'npm test']);
    assert.deepEqual(steps('language: python\nscript: pytest\n'), ['pytest']);
  });

  it('Jenkins: the sh, bat and powershell steps of a Jenkinsfile and its docker.build calls are read; comment lines are not', () => {
    const text = [
      'pipeline {',
      '  triggers { cron(\'H */4 * * 1-5\') }',
      '  stages {',
      '    stage(\'Build\') {',
      '      steps {',
      '        // sh \'npm run lint\'',
      '        sh \'npm ci\'',
      '        sh label: \'image\', script: """',
      '          docker build -t app:${GIT_COMMIT} .',
      '          trivy image app:${GIT_COMMIT}',
      '        """',
      '        script { def img = docker.build("app:${env.BUILD_ID}") }',
      '        sh(script: \'kubectl rollout status deploy/app\', returnStatus: true)',
      '        bat \'rmdir /s /q dist\'',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    assert.equal(classifyPath('Jenkinsfile'), 'ciWorkflow');
    assert.equal(classifyPath('ci/deploy.jenkinsfile'), 'ciWorkflow');
    const file = parseFile({ path: 'Jenkinsfile', kind: 'ciWorkflow', text }) as ParsedFile<YamlFile>;
    assert.deepEqual(file.problems, []);
    assert.deepEqual(
      ciSteps(file).map((s) => [s.range.start.line, s.text]),
      [
        [6, 'npm ci'],
        [7, 'docker build -t app:${GIT_COMMIT} .\ntrivy image app:${GIT_COMMIT}'],
        [11, 'docker build'],
        [12, 'kubectl rollout status deploy/app'],
        [13, 'rmdir /s /q dist'],
      ],
    );
  });

  it('Jenkins: hostile Jenkinsfiles (a run of unclosed block comments, of unclosed steps, of docker.build calls) read in linear time', () => {
    const read = (text: string) => ciSteps(parseFile({ path: 'Jenkinsfile', kind: 'ciWorkflow', text }) as ParsedFile<YamlFile>);
    assert.equal(withinHangBound('unclosed block comments', () => read('/*\n'.repeat(300_000))).length, 0);
    assert.equal(withinHangBound('unclosed steps', () => read("sh '".repeat(200_000))).length, 100_000);
    assert.equal(withinHangBound('docker.build calls', () => read('docker.build('.repeat(100_000))).length, 100_000);
    // a string that never closes hides no later step written with another quote
    assert.deepEqual(read("sh 'unclosed\nsh \"npm test\"\n").map((s) => s.text), ['npm test']);
    // code after a block comment that closes mid-line is read
    assert.deepEqual(read("/* build */ sh 'npm ci'\n").map((s) => s.text), ['npm ci']);
  });

  it('the commands of a script: comments, heredoc bodies and echo/printf are left out, the rest kept one per line', () => {
    assert.equal(runnableCommands('echo "trivy cosign"'), '');
    assert.equal(runnableCommands('trivy image x # scan'), 'trivy image x');
    assert.equal(runnableCommands('# trivy fs .\nnpm test'), 'npm test');
    assert.equal(runnableCommands('echo hi && trivy fs .'), 'trivy fs .');
    assert.equal(runnableCommands('printf "cosign sign"; npm ci'), 'npm ci');
    assert.equal(runnableCommands('cat <<EOF > notes\ntrivy image x\nEOF\nnpm test'), 'cat <<EOF > notes\nnpm test');
    assert.equal(runnableCommands('echo "a; trivy fs ."'), '');
    assert.equal(runnableCommands('docker run --rm aquasec/trivy image app'), 'docker run --rm aquasec/trivy image app');
    assert.equal(runnableCommands('CI=1 npm audit --audit-level=high'), 'CI=1 npm audit --audit-level=high');
  });
});
