import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseDockerfile } from '../../src/engine/parse/dockerfile';
import { parseIgnoreFile } from '../../src/engine/parse/ignoreFile';
import { dockerTemplates } from '../../src/engine/checks/docker';
import { dockerignoreExcludes } from '../../src/engine/checks/docker/dockerignore';
import { runCommands } from '../../src/engine/checks/docker/shell';
import { nodeInstall } from '../../src/engine/checks/docker/packageManager';
import { substitute } from '../../src/engine/checks/docker/util';
import type { AuditResult, Finding } from '../../src/engine/model';
import { LineIndex } from '../../src/engine/text';
import { WorkspaceIndex, type ParsedFile } from '../../src/engine/workspace';
import { auditFiles, builtinChecklists } from './helpers';

const dockerChecklist = () => builtinChecklists().filter((c) => c.id === 'dockerfile');

function audit(text: string, path = 'Dockerfile', extra: { path: string; text: string }[] = []): AuditResult {
  return auditFiles([{ path, text }, ...extra], { checklists: dockerChecklist() });
}

function findings(result: AuditResult, ruleId: string): Finding[] {
  return result.findings.filter((f) => f.ruleId === ruleId);
}

function status(result: AuditResult, ruleId: string): string | undefined {
  return result.items.find((i) => i.id === ruleId)?.status;
}

/** The text a finding's range covers. */
function covered(text: string, f: Finding): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(f.range.start), index.offsetAt(f.range.end));
}

/** Words of every command of every RUN, for tokenizer tests. */
function commandWords(text: string): string[][] {
  const { model } = parseDockerfile(text, 'Dockerfile');
  const index = new LineIndex(text);
  return model.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').flatMap((i) => runCommands(i, text, index, model.escapeChar))).map((c) => c.words.map((w) => w.value));
}

describe('Dockerfile parser extensions', () => {
  it('reads directives, the escape character, global ARG defaults, parent stages and template markers', () => {
    const text = '# syntax=docker/dockerfile:1.7\n# escape=`\nARG BASE=node:22\nARG TAG\nFROM $BASE AS build\nFROM build\n';
    const { model, problems } = parseDockerfile(text, 'Dockerfile');
    assert.deepEqual(problems, []);
    assert.deepEqual(model.directives.map((d) => `${d.name}=${d.value}`), ['syntax=docker/dockerfile:1.7', 'escape=`']);
    assert.equal(model.escapeChar, '`');
    assert.deepEqual(model.globalArgs, { BASE: 'node:22', TAG: undefined });
    assert.equal(model.stages[1].parent, 0);
    assert.equal(model.stages[0].parent, undefined);
    assert.equal(model.templated, false);
    assert.equal(parseDockerfile('FROM %%BASE_IMAGE%%\n', 'Dockerfile').model.templated, true);
    assert.equal(parseDockerfile('FROM node:22\n', 'Dockerfile.template').model.templated, true);
  });

  it('parses an empty Dockerfile without problems and without stages', () => {
    for (const text of ['', '\n\n', '# only a comment\n', '\r\n']) {
      const { model, problems } = parseDockerfile(text, 'Dockerfile');
      assert.equal(model.stages.length, 0);
      assert.deepEqual(problems, []);
    }
  });

  it('substitutes ARG defaults, including ${VAR:-default} forms, and lists what it cannot resolve', () => {
    assert.deepEqual(substitute('node:${V}', { V: '22' }), { value: 'node:22', unresolved: [] });
    assert.deepEqual(substitute('${REG:-docker.io}/app:$TAG', { TAG: undefined }), { value: 'docker.io/app:$TAG', unresolved: ['TAG'] });
    assert.deepEqual(substitute('x${SUFFIX:+-slim}', { SUFFIX: '1' }), { value: 'x-slim', unresolved: [] });
  });
});

describe('RUN command tokenizer', () => {
  it('joins continuation lines, drops comment lines inside them and splits on && ; |', () => {
    const text = 'FROM debian:12\nRUN apt-get update && \\\n# a comment inside the RUN\n    apt-get install -y "curl" ; echo done | tee log\n';
    assert.deepEqual(commandWords(text), [['apt-get', 'update'], ['apt-get', 'install', '-y', 'curl'], ['echo', 'done'], ['tee', 'log']]);
  });

  it('reads heredoc bodies as scripts, CRLF and the backtick escape', () => {
    assert.deepEqual(commandWords('FROM alpine:3\nRUN <<EOF\nset -e\nnpm ci\nEOF\n'), [['set', '-e'], ['npm', 'ci']]);
    assert.deepEqual(commandWords('FROM alpine:3\r\nRUN npm ci && \\\r\n  npm prune --omit=dev\r\n'), [['npm', 'ci'], ['npm', 'prune', '--omit=dev']]);
    assert.deepEqual(commandWords('# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n  Write-Host hi\n'), [['powershell', '-Command', 'Write-Host', 'hi']]);
  });

  it('reads the JSON form, and the script of ["sh", "-c", …]', () => {
    assert.deepEqual(commandWords('FROM alpine:3\nRUN ["npm", "ci"]\n'), [['npm', 'ci']]);
    assert.deepEqual(commandWords('FROM alpine:3\nRUN ["/bin/sh", "-c", "apt-get update && sudo ls"]\n'), [['apt-get', 'update'], ['sudo', 'ls']]);
  });

  it('keeps word offsets exact so findings point at the command', () => {
    const text = 'FROM node:22\nRUN   NODE_ENV=production  npm   install\n';
    const { model } = parseDockerfile(text, 'Dockerfile');
    const [cmd] = runCommands(model.stages[0].instructions[0], text, new LineIndex(text), '\\');
    assert.deepEqual(cmd.assignments.map((a) => a.value), ['NODE_ENV=production']);
    const install = nodeInstall(cmd)!;
    assert.equal(text.slice(install.start, install.end), 'npm   install');
    assert.equal(install.productionOnly, true);
    assert.equal(install.frozen, false);
  });

  it('tells dependency installs from package additions and global tools', () => {
    const first = (t: string) => runCommands(parseDockerfile(`FROM x:1\nRUN ${t}\n`, 'D').model.stages[0].instructions[0], `FROM x:1\nRUN ${t}\n`, new LineIndex(`FROM x:1\nRUN ${t}\n`), '\\')[0];
    assert.equal(nodeInstall(first('npm install -g pnpm')), undefined);
    assert.equal(nodeInstall(first('npm install express')), undefined);
    assert.equal(nodeInstall(first('yarn add lodash')), undefined);
    assert.equal(nodeInstall(first('npm ci --omit dev'))?.productionOnly, true);
    assert.equal(nodeInstall(first('yarn --immutable'))?.frozen, true);
    assert.equal(nodeInstall(first('pnpm install --filter api'))?.frozen, false);
    assert.equal(nodeInstall(first('npx --yes npm@10 ci'))?.frozen, true);
  });
});

describe('Dockerfile rules', () => {
  it('docker.image.pinned points at the floating tag, names ARG-resolved images, and skips stages, scratch and templates', () => {
    const text = 'ARG BASE=node\nFROM node:latest AS build\nFROM $BASE AS app\nFROM build AS test\nFROM scratch\nFROM %%BASE_IMAGE%%\nFROM img/{{ env.variant }}:{{ env.tag }}\n';
    const r = audit(text);
    const fs = findings(r, 'docker.image.pinned');
    assert.deepEqual(fs.map((f) => f.range.start.line), [1, 2]);
    assert.equal(covered(text, fs[0]), 'latest');
    assert.equal(covered(text, fs[1]), '$BASE');
    assert.match(fs[1].message, /\$BASE resolves to node/);
    assert.deepEqual(fs.map((f) => f.data?.stage), [0, 1]);
  });

  it('docker.image.pinned: a digest passes, requireDigest demands one', () => {
    assert.equal(status(audit('FROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n'), 'docker.image.pinned'), 'pass');
    assert.equal(status(audit('FROM node:22.12\n'), 'docker.image.pinned'), 'pass');
  });

  it('docker.user.non-root: the last USER of the final stage counts; root points at the argument', () => {
    const text = 'FROM node:22 AS build\nUSER node\nFROM node:22\nUSER node\nRUN npm ci\nUSER root\n';
    const [f] = findings(audit(text), 'docker.user.non-root');
    assert.equal(covered(text, f), 'root');
    assert.equal(f.data?.stage, 1);
    assert.equal(status(audit('FROM node:22 AS build\nUSER root\nFROM node:22\nUSER 1000:1000\n'), 'docker.user.non-root'), 'pass');
    assert.equal(status(audit('FROM node:22\nARG APP_UID\nUSER $APP_UID\n'), 'docker.user.non-root'), 'unaudited', 'a user from an ARG without default cannot be judged, which is not a pass');
    const missing = findings(audit('FROM node:22 AS a\nFROM node:22-alpine\nCMD ["node"]\n'), 'docker.user.non-root');
    assert.equal(missing[0].range.start.line, 1, 'a missing USER points at the final FROM');
  });

  it('docker.healthcheck: HEALTHCHECK NONE in the final stage fails on that instruction', () => {
    const text = 'FROM node:22\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n';
    const [f] = findings(audit(text), 'docker.healthcheck');
    assert.equal(covered(text, f), 'HEALTHCHECK NONE');
  });

  it('docker.copy-not-add points at the ADD keyword, allows URLs and archives', () => {
    const text = 'FROM debian:12\nADD https://example.com/a.tar.gz /opt/\nADD site.tgz /srv/\nadd src /src\n';
    const fs = findings(audit(text), 'docker.copy-not-add');
    assert.deepEqual(fs.map((f) => covered(text, f)), ['add']);
  });

  it('docker.deps.npm-ci and docker.deps.production-only point at the install command; one install is one finding', () => {
    // npm i ignores the lockfile and keeps devDependencies: the lockfile rule reports it, with both reasons
    const text = 'FROM node:22\nRUN npm i --no-audit\n';
    const r = audit(text);
    const [ci] = findings(r, 'docker.deps.npm-ci');
    assert.deepEqual(findings(r, 'docker.deps.npm-ci').map((f) => covered(text, f)), ['npm i']);
    assert.match(ci.message, /also installs devDependencies into the final image \(`npm ci --omit=dev`/);
    assert.equal(status(r, 'docker.deps.production-only'), 'not-applicable');
    // npm ci follows the lockfile and still keeps devDependencies: production-only's alone
    const frozen = 'FROM node:22\nRUN npm ci\n';
    const rf = audit(frozen);
    assert.deepEqual(findings(rf, 'docker.deps.production-only').map((f) => covered(frozen, f)), ['npm ci']);
    assert.equal(status(rf, 'docker.deps.npm-ci'), 'pass');
    // npm install in a build stage only: the lockfile finding, without the devDependencies reason
    const builder = 'FROM node:22 AS build\nRUN npm install\nRUN npm run build\nFROM nginx:1.27\nCOPY --from=build /app/dist /usr/share/nginx/html\n';
    const [b] = findings(audit(builder), 'docker.deps.npm-ci');
    assert.doesNotMatch(b.message, /devDependencies/);
    assert.equal(status(audit('FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n'), 'docker.deps.production-only'), 'not-applicable');
  });

  it('docker.deps.production-only: NODE_ENV from an ARG default or an inherited stage counts', () => {
    assert.equal(status(audit('FROM node:22\nARG NODE_ENV=production\nRUN npm ci\n'), 'docker.deps.production-only'), 'pass');
    assert.equal(status(audit('FROM node:22 AS base\nENV NODE_ENV=production\nFROM base\nRUN npm ci\n'), 'docker.deps.production-only'), 'pass');
    assert.equal(status(audit('FROM node:22 AS base\nRUN npm ci\nFROM base\nENV NODE_ENV=production\n'), 'docker.deps.production-only'), 'fail');
  });

  it('docker.secrets.env-arg names the key and never prints the value', () => {
    const secret = 'sup3r-s3cret-value';
    const text = `FROM node:22\nENV PORT=3000 DB_PASSWORD=${secret}\nARG API_TOKEN=${secret}\n`;
    const fs = findings(audit(text), 'docker.secrets.env-arg');
    assert.deepEqual(fs.map((f) => f.data?.key), ['DB_PASSWORD', 'API_TOKEN']);
    const more = findings(audit('FROM postgres:16\nENV PGPASSWORD=abc123 POSTGRES_HOST_AUTH_METHOD=md5 PASSWORD_FILE=/run/secrets/pw\n'), 'docker.secrets.env-arg');
    assert.deepEqual(more.map((f) => f.data?.key), ['PGPASSWORD']);
    for (const f of fs) {
      assert.ok(!f.message.includes(secret), f.message);
      assert.match(covered(text, f), /^(DB_PASSWORD|API_TOKEN)=/);
    }
  });

  it('docker.secrets.env-arg reports a secret passed as a build argument or kept in ENV from one, and not an empty ENV', () => {
    const text = 'ARG openai_api_key\nFROM node:22\nARG NPM_TOKEN\nARG NODE_ENV\nENV NPM_TOKEN=${NPM_TOKEN} JWT_SECRET= AWS_ACCESS_KEY_ID=$KEY_ID CLIENT_ID=$CID\nRUN npm ci\n';
    const fs = findings(audit(text), 'docker.secrets.env-arg');
    assert.deepEqual(fs.map((f) => [f.range.start.line, f.data?.key]), [[0, 'openai_api_key'], [2, 'NPM_TOKEN'], [4, 'NPM_TOKEN'], [4, 'AWS_ACCESS_KEY_ID']]);
    assert.match(fs[1].message, /^ARG NPM_TOKEN takes a secret as a build argument.*--mount=type=secret,id=npm_token/);
    assert.match(fs[2].message, /^ENV NPM_TOKEN copies a build-time value into the image's environment/);
    const off = auditFiles([{ path: 'Dockerfile', text }], { checklists: dockerChecklist(), config: { rules: { 'docker.secrets.env-arg': { with: { buildArgs: false } } } } as never });
    assert.equal(status(off, 'docker.secrets.env-arg'), 'pass');
  });

  it('docker.apt.* judge each RUN, and lists only in stages that ship', () => {
    const text = 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nFROM debian:12\nRUN apt-get update && apt-get install -y curl\n';
    const r = audit(text);
    assert.deepEqual(findings(r, 'docker.apt.clean-lists').map((f) => f.range.start.line), [3]);
    assert.deepEqual(findings(r, 'docker.apt.no-install-recommends').map((f) => covered(text, f)), ['apt-get install']);
    assert.equal(status(r, 'docker.apt.update-install'), 'pass');
    assert.equal(status(audit('FROM alpine:3.20\nRUN apk add --no-cache curl\n'), 'docker.apt.update-install'), 'not-applicable');
  });

  it('docker.no-sudo, docker.workdir.absolute and docker.cmd.exec-form point at the offending word or argument', () => {
    const text = 'FROM debian:12\nWORKDIR app\nRUN true && sudo ls\nCMD node main.js\nENTRYPOINT ["tini", "--"]\n';
    const r = audit(text);
    assert.deepEqual(findings(r, 'docker.no-sudo').map((f) => covered(text, f)), ['sudo']);
    assert.deepEqual(findings(r, 'docker.workdir.absolute').map((f) => covered(text, f)), ['app']);
    assert.deepEqual(findings(r, 'docker.cmd.exec-form').map((f) => covered(text, f)), ['node main.js']);
  });

  it('docker.packages.pinned reads a Git install as pinned only with a tag or commit, and never repeats its URL', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir git+https://ci:s3cr3t@git.example.com/team/lib.git#egg=lib',
      'RUN pip install --no-cache-dir git+https://github.com/org/tool.git@v1.4.0#egg=tool flask==3.0.0',
      'RUN npm install -g git+ssh://git@github.com:org/cli.git',
      'RUN npm install -g org/helper',
      'RUN npm install -g github:org/pinned#v2.0.1 git://github.com/org/other.git#semver:^1.2 left-pad@1.3.0',
      '',
    ].join('\n');
    const got = findings(audit(text), 'docker.packages.pinned');
    assert.deepEqual(
      got.map((f) => [f.range.start.line, covered(text, f)]),
      [
        [1, 'git+https://ci:s3cr3t@git.example.com/team/lib.git#egg=lib'],
        [3, 'git+ssh://git@github.com:org/cli.git'],
        [4, 'org/helper'],
      ],
    );
    for (const f of got) assert.ok(!f.message.includes('s3cr3t') && !f.message.includes('://'), f.message);
  });

  it('judges the RUN an ONBUILD triggers as a RUN, at its own words', () => {
    const text = [
      'FROM debian:12 AS base',
      'ONBUILD RUN apt-get update && apt-get install -y curl \\',
      '    && pip install flask',
      'onbuild run sudo make install',
      'ONBUILD COPY . /app',
      'RUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39.5-0+deb12u1 && rm -rf /var/lib/apt/lists/*',
      '',
    ].join('\n');
    const r = audit(text);
    assert.deepEqual(findings(r, 'docker.apt.no-install-recommends').map((f) => [f.range.start.line, covered(text, f)]), [[1, 'apt-get install']]);
    assert.deepEqual(findings(r, 'docker.apt.clean-lists').map((f) => f.range.start.line), [1]);
    assert.deepEqual(findings(r, 'docker.packages.pinned').map((f) => [f.range.start.line, covered(text, f)]), [[1, 'curl'], [2, 'flask']]);
    assert.deepEqual(findings(r, 'docker.no-sudo').map((f) => [f.range.start.line, covered(text, f)]), [[3, 'sudo']]);
    // the ONBUILD instructions themselves are still read as such
    assert.equal(status(r, 'docker.structure.onbuild'), 'pass');
    assert.equal(status(audit(text.replace('ONBUILD COPY', 'ONBUILD FROM')), 'docker.structure.onbuild'), 'fail');
  });

  it('docker.structure.instructions names an unknown keyword at its place, the line that lost its continuation, and bare instructions', () => {
    const text = 'FROM debian:12\nRUNN apt-get update\nRUN apt-get update\n  && apt-get install -y curl\nCOPY app.sh\nUSER\nWORKDIR /app\nCOPY --chown=1000 <<EOF /app/run.sh\necho hi\nEOF\n';
    const got = findings(audit(text), 'docker.structure.instructions');
    assert.deepEqual(
      got.map((f) => [f.range.start.line, covered(text, f).split('\n')[0]]),
      [
        [1, 'RUNN'],
        [3, '&&'],
        [4, 'COPY app.sh'],
        [5, 'USER'],
      ],
    );
    assert.match(got[0].message, /^RUNN is not a Dockerfile instruction \(did you mean RUN\?\)/);
    assert.match(got[1].message, /the line before it \(line 3\) lacks the trailing \\ that would continue it/);
    assert.match(got[2].message, /^COPY needs a source and a destination/);
    // a pasted variable names its key, never its value
    const [pasted] = findings(audit('FROM debian:12\nAPI_TOKEN=s3cr3t-value\n'), 'docker.structure.instructions');
    assert.equal(pasted.message, 'A line starting with API_TOKEN is not a Dockerfile instruction; Docker rejects the file.');
    // a template's placeholder lines are filled in before Docker reads them
    const template = 'FROM node:%%NODE_VERSION%%\n%%INSTALL_STEPS%%\nCMD ["node"]\n';
    assert.equal(status(audit(template, 'Dockerfile.template'), 'docker.structure.instructions'), 'pass');
    const jinja = 'FROM python:{{ python_version }}\n{% if dev %}\nRUN pip install debugpy==1.8.0\n{% endif %}\nCMD ["python", "app.py"]\n';
    assert.equal(status(audit(jinja, 'Dockerfile.j2'), 'docker.structure.instructions'), 'pass');
    assert.equal(status(audit(jinja), 'docker.structure.instructions'), 'pass', 'a template by its placeholders, whatever its name');
  });

  it('docker.copy.relative-needs-workdir reads a Windows drive path as absolute, escapes read or not', () => {
    const r = audit('FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe c:\\app\\app.exe\nCOPY run.cmd "C:/tools/run.cmd"\nCOPY notes.txt notes.txt\n');
    assert.deepEqual(findings(r, 'docker.copy.relative-needs-workdir').map((f) => f.range.start.line), [3]);
  });

  it('docker.multi-stage is not applicable to a single stage without a build step', () => {
    assert.equal(status(audit('FROM nginx:1.27\nCOPY dist /usr/share/nginx/html\n'), 'docker.multi-stage'), 'not-applicable');
    const text = 'FROM node:22\nCOPY . .\nRUN npm run build:prod\n';
    const [f] = findings(audit(text), 'docker.multi-stage');
    assert.equal(f.range.start.line, 0);
    assert.equal(f.related?.[0].range.start.line, 2);
  });

  it('an empty Dockerfile gives no findings and no problems', () => {
    const r = audit('', 'Dockerfile', []);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.problems, []);
  });

  it('honours hadolint ignore comments through the aliases, unless strict', () => {
    const text = 'FROM debian:12\n# hadolint ignore=DL3020\nADD src /src\n';
    assert.equal(status(audit(text), 'docker.copy-not-add'), 'pass');
    const strict = auditFiles([{ path: 'Dockerfile', text }], { checklists: dockerChecklist(), strict: true });
    assert.equal(status(strict, 'docker.copy-not-add'), 'fail');
  });

  it('a comment above a multi-line RUN silences findings on its continuation lines, and only the named rule', () => {
    const text = 'FROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get update && \\\n    apt-get install -y curl && \\\n    sudo true\n';
    const r = audit(text);
    assert.equal(status(r, 'docker.apt.no-install-recommends'), 'pass');
    assert.deepEqual(findings(r, 'docker.no-sudo').map((f) => [f.range.start.line, f.data?.instructionLine]), [[4, 2]]);
    const own = audit(text.replace('# hadolint ignore=DL3015', '# shipshape-ignore docker.no-sudo -- base image needs it'));
    assert.equal(status(own, 'docker.no-sudo'), 'pass');
    assert.equal(status(own, 'docker.apt.no-install-recommends'), 'fail');
  });
});

describe('repo.dockerignore', () => {
  const ignore = (text: string) => parseIgnoreFile(text).model;

  it('follows .dockerignore semantics: anchored patterns, parent folders, last match wins, ! re-includes', () => {
    assert.equal(dockerignoreExcludes(ignore('node_modules\n'), 'node_modules'), true);
    assert.equal(dockerignoreExcludes(ignore('/node_modules/\n'), 'node_modules'), true);
    assert.equal(dockerignoreExcludes(ignore('**/node_modules\n'), 'node_modules'), true);
    assert.equal(dockerignoreExcludes(ignore('src/node_modules\n'), 'node_modules'), false);
    assert.equal(dockerignoreExcludes(ignore('.env*\n!.env.production\n'), '.env.production'), false);
    assert.equal(dockerignoreExcludes(ignore('*\n!src\n'), '.git'), true);
    assert.equal(dockerignoreExcludes(ignore('.git\n'), '.git/HEAD'), true);
  });

  it('reports the .dockerignore once, with what it misses, and a missing one on the Dockerfile FROM line', () => {
    const df = 'FROM node:22\nCOPY . .\n';
    const r = auditFiles(
      [
        { path: 'a/Dockerfile', text: df },
        { path: 'a/worker.Dockerfile', text: `# comment\n${df}` },
        { path: 'a/.dockerignore', text: 'node_modules\r\n.git\r\n' },
        { path: 'b/Dockerfile', text: `# syntax=docker/dockerfile:1\n${df}` },
      ],
      { checklists: dockerChecklist() },
    );
    const fs = findings(r, 'repo.dockerignore');
    assert.deepEqual(fs.map((f) => `${f.file}:${f.range.start.line}`), ['a/.dockerignore:0', 'b/Dockerfile:1']);
    assert.match(fs[0].message, /\.env, \.env\.production/);
    assert.ok(!/node_modules|\.git,/.test(fs[0].message.split('does not exclude')[1].split(';')[0]));
  });

  it('a repo-root .dockerignore serves Dockerfiles in sub-folders; <name>.dockerignore wins over it', () => {
    const df = 'FROM node:22\n';
    const r = auditFiles(
      [
        { path: 'svc/api/Dockerfile', text: df },
        { path: '.dockerignore', text: 'node_modules\n.git\n.env\n.env.*\n' },
        { path: 'svc/web/Dockerfile', text: df },
        { path: 'svc/web/Dockerfile.dockerignore', text: 'node_modules\n' },
      ],
      { checklists: dockerChecklist() },
    );
    assert.deepEqual(findings(r, 'repo.dockerignore').map((f) => f.file), ['svc/web/Dockerfile.dockerignore']);
  });
});

describe('Dockerfile checks on arbitrary text', () => {
  const pieces = ['FROM ', 'from ', 'node:latest', ' AS b', '$BASE', '${X:-y}', 'RUN ', 'run ', 'npm i', 'apt-get install', ' && ', ' \\\n', '\r\n', '\n', '<<EOF\n', 'EOF\n', '["sh", "-c", "', '"]', '[', 'USER ', '0', 'root', 'ENV ', 'ARG ', 'A=1 ', 'TOKEN=x ', 'COPY --from=b ', 'ADD ', 'x.tgz ', 'WORKDIR ', 'HEALTHCHECK ', 'NONE', 'CMD ', '# escape=`\n', '`\n', '%%V%%', '{{ v }}', '"', "'", '#', ' ', 'ONBUILD ', 'onbuild ', 'pip install git+https://h/r.git', 'COPPY ', '&& '];
  it('never throws, whatever the input', () => {
    const file = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(file, fc.string({ maxLength: 40 }), (text, noise) => {
        for (const t of [text, text + noise, noise + text]) {
          const parsed = parseDockerfile(t, 'Dockerfile');
          const pf: ParsedFile = { path: 'Dockerfile', kind: 'dockerfile', text: t, model: parsed.model, problems: parsed.problems };
          const ws = new WorkspaceIndex([pf, { path: '.dockerignore', kind: 'dockerignore', text: noise, model: parseIgnoreFile(noise).model, problems: [] }]);
          for (const tpl of dockerTemplates) {
            const out = tpl.scope === 'file' ? tpl.run(pf, tpl.params.parse({})) : tpl.run(ws, tpl.params.parse({}));
            for (const f of out?.findings ?? []) assert.ok(f.range.start.line >= 0 && f.message.length > 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the built-in Dockerfile rules, as the checklist configures them, never fail on it and find only real places', () => {
    const file = fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(file, (text) => {
        const r = audit(text);
        assert.deepEqual(r.problems.filter((p) => /failed on this file/.test(p.message)), []);
        const lines = text.split(/\r?\n/).length;
        for (const f of r.findings) assert.ok(f.range.start.line >= 0 && f.range.end.line < lines && f.message.length > 0, `${f.ruleId} at ${f.range.start.line}`);
      }),
      { numRuns: 150 },
    );
  });
});
