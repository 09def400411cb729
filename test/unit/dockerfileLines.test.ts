import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { From, JSONInstruction, Property } from 'dockerfile-ast';
import { isExecForm } from '../../src/engine/checks/docker/execForm';
import { copyFromFlag, dockerArgValues, dockerFlags, dockerJoinedArgs, dockerJson, dockerProperties, parseDockerfile, type DockerInstruction } from '../../src/engine/parse/dockerfile';
import { readLines } from '../../src/engine/parse/dockerfileLines';
import type { HoldsReads } from '../../src/engine/checks/fileValues';
import { LineIndex } from '../../src/engine/text';
import { SHARED } from './helpers';

/** Every file whose name says Dockerfile or Containerfile under the given folders (a Markdown page about Dockerfiles is not one). */
function dockerfiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) dockerfiles(abs, out);
    else if (/dockerfile|containerfile/i.test(name) && !/\.(dockerignore|md|markdown)$/i.test(name)) out.push(abs);
  }
  return out;
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** Texts that exercise the line reader's edges (continuations, comments inside them, directives, CRLF, flags, JSON). */
const EDGES = [
  '# syntax=docker/dockerfile:1\n# check=skip=all\nFROM node:20 AS build\nRUN npm ci\n',
  '#syntax=docker/dockerfile:1   \n# escape=\\\nFROM x\n',
  '# comment = spaced\nFROM x\n',
  'FROM --platform=$BUILDPLATFORM golang:1.22@sha256:abc AS b\nFROM registry.example.com:5000/team/app:1.2.3\nFROM localhost/app\nFROM docker.io/library/node\nFROM b\n',
  'FROM alpine:3.20\r\nRUN apk add --no-cache \\\r\n    curl \\\r\n  # a comment inside\r\n    git\r\nUSER 1000\r\n',
  'FROM alpine\nRUN --mount=type=cache,target=/var/lib/apt --network=none apt-get update \\\n\n    && apt-get install -y curl\nCOPY --from=build --chown=1:1 /a /b\nCOPY --from=build /app/node_modules ./node_modules\nADD --checksum=sha256:x https://e.com/a.tar.gz /x\n',
  'FROM alpine\nENV A=1 B=2\nENV LEGACY value with spaces\nENV ONE two\nARG X\nARG Y=\nLABEL a=b c=d\nENV Q="quoted value" R=\'single\'\n',
  'ARG BASE=node:20\nARG TAG\nFROM ${BASE}\n',
  'FROM alpine\nCMD ["node", "dist/main.js"]\nENTRYPOINT [ "tini", "--" ]\nCMD []\nCMD [ ]\nCMD ["a",\'b\']\nCMD [ "x" , "y,z" ] trailing\nRUN ["sh", "-c", "echo hi"]\nHEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE\n',
  'FROM alpine\nRUN echo a \\\n    && echo b \\\n  \\\n    && echo c\nWORKDIR app\nonbuild run echo hi\nexpose 80/tcp 443\nstopsignal\nRUN  \n',
  'FROM alpine\nRUN echo one#two # not a comment\n    # indented comment\n  RUN echo indented\nCOPY a b\n',
  'FROM a\nRUN x \\',
  'FROM a\nRUN x \\  \n',
  'FROM a:1 as Builder\nFROM builder AS final\nCOPY --from=Builder /a /b\n',
];

const range = (r: { start: { line: number; character: number }; end: { line: number; character: number } } | null | undefined) => (r ? `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}` : null);
const props = (ps: readonly { getName(): string; getValue(): string | null; getUnescapedValue(): string | null; getRange(): never; getNameRange(): never; getValueRange(): never }[]) =>
  ps.map((p) => ({ name: p.getName(), value: p.getValue(), unescaped: p.getUnescapedValue(), range: range(p.getRange()), nameRange: range(p.getNameRange()), valueRange: range(p.getValueRange()) }));

/** What the model and the helpers say about one instruction, computed from dockerfile-ast's node alone. */
function fromNode(ins: DockerInstruction, index: LineIndex) {
  const n = ins.node;
  const flagsOf = (n as unknown as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags;
  const json = n as JSONInstruction;
  const hasJson = typeof json.getJSONStrings === 'function' && !!json.getOpeningBracket?.() && !!json.getClosingBracket?.();
  return {
    keyword: n.getKeyword().toUpperCase(),
    args: n.getRawArgumentsContent() ?? '',
    range: range(n.getRange()),
    keywordRange: range(n.getInstructionRange()),
    argsRange: range(n.getArgumentsRange()),
    flags: typeof flagsOf === 'function' ? flagsOf.call(n).map((f) => ({ name: f.getName(), value: f.getValue() })) : [],
    argValues: n.getArguments().map((a) => a.getValue()),
    json: hasJson ? json.getJSONStrings().map((j) => ({ value: j.getValue(), start: index.offsetAt(j.getRange().start), end: index.offsetAt(j.getRange().end) })) : undefined,
    exec: isExecForm((json.getArgumentsContent?.() ?? ins.args)) || isExecForm(ins.args.replace(/\\\r?\n/g, '')),
    properties: ['ENV', 'ARG', 'LABEL'].includes(n.getKeyword().toUpperCase()) ? props((n as unknown as { getProperties(): Property[] }).getProperties() as never) : [],
    fromFlag: n.getKeyword().toUpperCase() === 'COPY' ? ((n as unknown as { getFromFlag(): { getValue(): string | null } | null }).getFromFlag()?.getValue() ?? undefined) : undefined,
  };
}

function fromModel(ins: DockerInstruction, index: LineIndex) {
  return {
    keyword: ins.keyword,
    args: ins.args,
    range: range(ins.range),
    keywordRange: range(ins.keywordRange),
    argsRange: range(ins.argsRange),
    flags: dockerFlags(ins),
    argValues: dockerArgValues(ins),
    json: dockerJson(ins, index),
    exec: isExecForm(dockerJoinedArgs(ins)) || isExecForm(ins.args.replace(/\\\r?\n/g, '')),
    properties: props(dockerProperties(ins) as never),
    fromFlag: ins.keyword === 'COPY' ? (copyFromFlag(ins) ?? undefined) : undefined,
  };
}

/** Compares the line reader's model of a text with dockerfile-ast's; returns whether the line reader read it. */
function compare(text: string, name: string): boolean {
  const { model } = parseDockerfile(text, name);
  if (!model.lines) return false;
  const index = new LineIndex(text);
  const ast = model.ast;
  const astIns = ast.getInstructions();
  const ours = [...model.preamble, ...model.stages.flatMap((s) => [s.from as unknown as DockerInstruction, ...s.instructions])];
  assert.equal(ours.length, astIns.length, `${name}: instruction count`);
  for (const s of model.stages) {
    const f = s.from.node as From;
    assert.deepEqual(
      { image: s.from.image, imageName: s.from.imageName, tag: s.from.tag, digest: s.from.digest, imageRange: range(s.from.imageRange), tagRange: range(s.from.tagRange), args: s.from.args, name: s.name, range: range(s.from.range) },
      { image: f.getImage() ?? '', imageName: f.getImageName() ?? undefined, tag: f.getImageTag() ?? undefined, digest: f.getImageDigest() ?? undefined, imageRange: range(f.getImageRange()), tagRange: range(f.getImageTagRange()), args: f.getRawArgumentsContent() ?? '', name: f.getBuildStage()?.toLowerCase() ?? undefined, range: range(f.getRange()) },
      `${name}: FROM at line ${s.from.range.start.line + 1}`,
    );
    for (const ins of s.instructions) assert.deepEqual(fromModel(ins, index), fromNode(ins, index), `${name}: ${ins.keyword} at line ${ins.range.start.line + 1}`);
  }
  for (const ins of model.preamble) assert.deepEqual(fromModel(ins, index), fromNode(ins, index), `${name}: ${ins.keyword} at line ${ins.range.start.line + 1}`);
  assert.deepEqual(
    model.directives.map((d) => ({ ...d, range: range(d.range) })),
    ast.getDirectives().map((d) => ({ name: d.getName().toLowerCase(), value: d.getValue(), range: range(d.getRange()) })),
    `${name}: directives`,
  );
  assert.equal(model.escapeChar, ast.getEscapeCharacter());
  return true;
}

describe('Dockerfile line reader agrees with dockerfile-ast', () => {
  it('on edge texts (and declines heredocs, escape directives, escaped characters, variables in FROM)', () => {
    let read = 0;
    for (const [i, text] of EDGES.entries()) if (compare(text, `edge ${i}`)) read++;
    assert.ok(read >= EDGES.length - 3, `only ${read} of ${EDGES.length} edge texts were line-read`);
    for (const declined of ['FROM a\nRUN <<EOF\necho\nEOF\n', '# escape=`\nFROM a\n', 'FROM a\nWORKDIR C:\\app\n', 'ARG B=a\nFROM $B\n', '\ufeffFROM a\n', 'FROM a\nRUN echo\\\n  b\n']) {
      assert.equal(parseDockerfile(declined, 'Dockerfile').model.lines, undefined, JSON.stringify(declined));
      assert.equal(readLines(declined) !== undefined && parseDockerfile(declined, 'D').model.stages.length >= 0, readLines(declined) !== undefined);
    }
  });

  it('on texts whose offsets pass 65,535 and whose instructions number in the thousands', () => {
    // a model keeps its numbers two bytes each while they are fewer than 4,096 and below 65,535 (else four): all read alike
    const stage = 'FROM node:20-alpine AS build\nWORKDIR /app\nCOPY --from=base /src ./src\nRUN npm ci --omit=dev \\\n  && npm run build\nENV NODE_ENV=production\n';
    for (const copies of [1, 140, 700]) {
      const text = `# syntax=docker/dockerfile:1\nARG V=1\n${stage.repeat(copies)}FROM gcr.io/distroless/nodejs20 AS final\nCMD ["node", "dist/server.js"]\n`;
      assert.ok(compare(text, `${copies} stages`), `${copies} stages: not line-read`);
      const { model } = parseDockerfile(text, 'Dockerfile');
      assert.equal(model.stages.length, copies + 1);
      assert.deepEqual(range(model.final!.from.tagRange), range((model.ast.getFROMs().at(-1) as From).getImageTagRange()));
    }
  });

  for (const [label, dir] of [
    ['rule fixtures', FIXTURES],
    ['shared corpus', path.join(SHARED, 'corpus')],
    ['conformance', path.join(SHARED, 'conformance')],
  ] as const) {
    it(`on every Dockerfile of the ${label}`, () => {
      const files = dockerfiles(dir);
      let read = 0;
      for (const abs of files) if (compare(readFileSync(abs, 'utf8'), path.relative(dir, abs))) read++;
      // most real files are plain enough for the line reader (else the test would compare nothing)
      if (files.length > 0) assert.ok(read >= files.length / 2, `${label}: only ${read} of ${files.length} files were line-read`);
    });
  }
});

describe('Dockerfile model: what a run of the checks holds', () => {
  const text = 'FROM alpine:3.20\nENV A=1 B=2\nARG TOKEN\nLABEL org.opencontainers.image.source=https://example.com/r\nRUN echo hi\n';

  it("an ENV, ARG or LABEL instruction's properties are read once while a run holds the reads, and afresh after it", () => {
    const { model: parsed } = parseDockerfile(text, 'Dockerfile');
    const model = parsed as typeof parsed & HoldsReads;
    model.holdReads(true);
    const [env, arg, label, run] = model.stages[0].instructions;
    const held = dockerProperties(env);
    assert.equal(dockerProperties(env), held, 'the same list while the run holds it');
    assert.deepEqual(held.map((p) => [p.getName(), p.getValue()]), [['A', '1'], ['B', '2']]);
    assert.deepEqual(dockerProperties(arg).map((p) => [p.getName(), p.getValue()]), [['TOKEN', null]]);
    assert.deepEqual(dockerProperties(label).map((p) => p.getName()), ['org.opencontainers.image.source']);
    assert.deepEqual(dockerProperties(run), [], 'a RUN has none');
    model.holdReads(false);
    const after = dockerProperties(model.stages[0].instructions[0]);
    assert.notEqual(after, held, 'a read outside a run makes its own list');
    assert.deepEqual(after.map((p) => [p.getName(), p.getValue()]), [['A', '1'], ['B', '2']]);
    // a new run holds new reads: nothing derived outlives the run that made it
    model.holdReads(true);
    assert.notEqual(dockerProperties(model.stages[0].instructions[0]), held);
    model.holdReads(false);
  });
});
