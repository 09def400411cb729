import { strict as assert } from 'node:assert';
import { parseAllDocuments } from 'yaml';
import { YamlEditor, type EditResult } from '../../src/engine/fixes/yamlEdit';
import { applyEdits } from '../../src/engine/text';

function apply(text: string, f: (e: YamlEditor) => EditResult): string {
  const r = f(new YamlEditor(text));
  if ('declined' in r) throw new Error(`declined: ${r.declined}`);
  return applyEdits(text, r.edits);
}

function reason(text: string, f: (e: YamlEditor) => EditResult): string | undefined {
  const r = f(new YamlEditor(text));
  return 'declined' in r ? r.declined : undefined;
}

const lines = (...l: string[]) => l.join('\n') + '\n';
const C = ['spec', 'template', 'spec', 'containers', 0];

const DEPLOY = lines(
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: web # the app',
  '          image: nginx:1.25',
  '          ports:',
  '            - containerPort: 8080',
  '              name: http',
  '',
  '          # trailing comment about ports',
  '        - name: side',
  '          image: "busybox"  # sidecar',
);

describe('fix YAML edits', () => {
  it('inserts under a container after its last value, before trailing blank lines and comments (indented sequences)', () => {
    const out = apply(DEPLOY, (e) => e.insert(0, C, { livenessProbe: { tcpSocket: { port: 'http' } } }));
    assert.equal(out, DEPLOY.replace('              name: http\n', '              name: http\n          livenessProbe:\n            tcpSocket:\n              port: http\n'));
  });

  it('renders lists in the file’s own style: indented here', () => {
    const out = apply(DEPLOY, (e) => e.insert(0, C, { securityContext: { capabilities: { drop: ['ALL'] } } }));
    assert.ok(out.includes('          securityContext:\n            capabilities:\n              drop:\n                - ALL\n\n          # trailing'), out);
  });

  it('keeps flush sequences flush and 4-space indentation', () => {
    const text = lines('spec:', '    template:', '        spec:', '            containers:', '            - name: web', '              image: nginx:1.25', '              args:', '              - --port=80', 'status: {}');
    const out = apply(text, (e) => e.insert(0, C, { securityContext: { capabilities: { drop: ['ALL'] } } }));
    assert.equal(out, text.replace('              - --port=80\n', '              - --port=80\n              securityContext:\n                  capabilities:\n                      drop:\n                      - ALL\n'));
  });

  it('writes CRLF line endings into CRLF files', () => {
    const text = DEPLOY.replace(/\n/g, '\r\n');
    const out = apply(text, (e) => e.insert(0, C, { resources: { limits: { cpu: '500m' } } }));
    assert.equal(out, text.replace('              name: http\r\n', '              name: http\r\n          resources:\r\n            limits:\r\n              cpu: 500m\r\n'));
    assert.ok(!/[^\r]\n/.test(out), 'no bare LF');
  });

  it('creates missing parents under the deepest existing map', () => {
    const out = apply(DEPLOY, (e) => e.insert(0, [...C, 'resources', 'requests'], { memory: '256Mi' }));
    assert.ok(out.includes('              name: http\n          resources:\n            requests:\n              memory: 256Mi\n'), out);
  });

  it('inserts after a named key and as the first key on request', () => {
    const side = ['spec', 'template', 'spec', 'containers', 1];
    const out = apply(DEPLOY, (e) => e.insert(0, side, { imagePullPolicy: 'Always' }, { after: ['image'] }));
    assert.ok(out.endsWith('          image: "busybox"  # sidecar\n          imagePullPolicy: Always\n'), out);
    const top = apply(DEPLOY, (e) => e.insert(0, ['spec'], { replicas: 3 }, { first: true }));
    assert.ok(top.includes('spec:\n  replicas: 3\n  template:\n'), top);
  });

  it('replaces a scalar in place, keeping quotes and the trailing comment', () => {
    const side = ['spec', 'template', 'spec', 'containers', 1, 'image'];
    const out = apply(DEPLOY, (e) => e.replace(0, side, 'busybox:1.36'));
    assert.ok(out.endsWith('          image: "busybox:1.36"  # sidecar\n'), out);
    const single = apply("a: 'x' # c\n", (e) => e.replace(0, ['a'], "it's"));
    assert.equal(single, "a: 'it''s' # c\n");
    const plain = apply('a: debug # level\n', (e) => e.replace(0, ['a'], 'true'));
    assert.equal(plain, 'a: "true" # level\n', 'a string that looks like a boolean gets quotes');
  });

  it('declines non-empty flow maps and fills empty values in place', () => {
    assert.match(reason('a:\n  sc: {runAsUser: 1}\n', (e) => e.insert(0, ['a', 'sc'], { runAsNonRoot: true })) ?? '', /flow/);
    assert.equal(apply('a:\n  sc: {}\n  b: 1\n', (e) => e.insert(0, ['a', 'sc'], { x: true })), 'a:\n  sc:\n    x: true\n  b: 1\n');
    assert.equal(apply('a:\n  sc:\n  b: 1\n', (e) => e.insert(0, ['a', 'sc'], { x: true })), 'a:\n  sc:\n    x: true\n  b: 1\n');
    // the comment stays on its key's line, never glued to the inserted value
    assert.equal(apply('a:\n  sc: null # later\n', (e) => e.insert(0, ['a', 'sc'], { x: true })), 'a:\n  sc: # later\n    x: true\n');
    assert.equal(apply('a:\n  sc: # later\n  b: 1\n', (e) => e.insert(0, ['a', 'sc'], { x: true })), 'a:\n  sc: # later\n    x: true\n  b: 1\n');
    assert.equal(apply('a:\n  sc: {} # later\n', (e) => e.insert(0, ['a', 'sc'], { x: true })), 'a:\n  sc: # later\n    x: true\n');
    assert.equal(apply('a:\n  sc:\n    x: # later\n', (e) => e.merge(0, ['a', 'sc'], { x: false })), 'a:\n  sc:\n    x: false # later\n');
    assert.equal(apply('a:\n  sc:\n    x:   # later\n', (e) => e.merge(0, ['a', 'sc'], { x: false })), 'a:\n  sc:\n    x: false # later\n');
  });

  it('never edits a document that does not parse', () => {
    assert.match(reason('a: [1\nb: 2\n', (e) => e.insert(0, [], { c: 1 })) ?? '', /does not parse/);
  });

  it('edits the right document of a multi-document file', () => {
    const text = lines('a:', '  x: 1', '---', 'b:', '  y: 2', '---', 'c: 3');
    assert.equal(apply(text, (e) => e.insert(1, ['b'], { z: 3 })), lines('a:', '  x: 1', '---', 'b:', '  y: 2', '  z: 3', '---', 'c: 3'));
  });

  it('keeps block scalars whole', () => {
    const text = lines('data:', '  script: |', '    echo hi', '', '  # end');
    assert.equal(apply(text, (e) => e.insert(0, ['data'], { k: 'v' })), lines('data:', '  script: |', '    echo hi', '  k: v', '', '  # end'));
  });

  it('merges: completes maps, corrects values, appends to lists', () => {
    const text = lines('c:', '  securityContext:', '    allowPrivilegeEscalation: true # was', '    capabilities:', '      drop:', '        - NET_RAW', '  image: x');
    const out = apply(text, (e) => e.merge(0, ['c', 'securityContext'], { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, { overwrite: true }));
    assert.equal(out, lines('c:', '  securityContext:', '    allowPrivilegeEscalation: false # was', '    capabilities:', '      drop:', '        - NET_RAW', '        - ALL', '    runAsNonRoot: true', '  image: x'));
    assert.deepEqual(new YamlEditor(out).merge(0, ['c', 'securityContext'], { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, { overwrite: true }), { edits: [] }, 'merging again changes nothing');
  });

  it('appends to a flow list of scalars without reformatting it', () => {
    assert.equal(apply('drop: ["NET_RAW"]\n', (e) => e.append(0, ['drop'], ['ALL'])), 'drop: ["NET_RAW", "ALL"]\n');
  });

  describe('JSON', () => {
    const manifest = '{\n    "kind": "Pod",\n    "spec": {\n        "containers": [\n            {\n                "name": "a",\n                "image": "x"\n            }\n        ]\n    }\n}\n';

    it('inserts JSON members at the file’s indentation', () => {
      const out = apply(manifest, (e) => e.merge(0, ['spec', 'containers', 0], { resources: { limits: { cpu: '1' } } }));
      assert.equal(out, manifest.replace('"image": "x"\n', '"image": "x",\n                "resources": {\n                    "limits": {\n                        "cpu": "1"\n                    }\n                }\n'));
      assert.doesNotThrow(() => JSON.parse(out));
    });

    it('replaces JSON values with JSON text', () => {
      assert.equal(apply(manifest, (e) => e.replace(0, ['spec', 'containers', 0, 'image'], 'y:1')), manifest.replace('"x"', '"y:1"'));
    });

    it('fills an empty object and handles one-line objects', () => {
      assert.equal(apply('{\n\t"name": "x",\n\t"scripts": {}\n}\n', (e) => e.merge(0, ['scripts'], { t: 'tsc' })), '{\n\t"name": "x",\n\t"scripts": {\n\t\t"t": "tsc"\n\t}\n}\n');
      assert.equal(apply('{"scripts": {"a": "b"}, "name": "x"}', (e) => e.merge(0, ['scripts'], { t: 'tsc' })), '{"scripts": {"a": "b", "t": "tsc"}, "name": "x"}');
    });

    it('inserts after a given member, before the comma that follows it', () => {
      const out = apply('{\n  "name": "x",\n  "main": "i.js",\n  "license": "MIT"\n}\n', (e) => e.insert(0, [], { scripts: { t: 'tsc' } }, { after: ['main'] }));
      assert.equal(out, '{\n  "name": "x",\n  "main": "i.js",\n  "scripts": {\n    "t": "tsc"\n  },\n  "license": "MIT"\n}\n');
    });
  });

  it('every insert result still parses as YAML', () => {
    const out = apply(DEPLOY, (e) => e.merge(0, C, { livenessProbe: { httpGet: { path: '/health', port: 'http' } }, resources: { limits: { cpu: '1' } } }));
    for (const d of parseAllDocuments(out)) assert.deepEqual(d.errors, []);
  });
});
