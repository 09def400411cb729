import { strict as assert } from 'node:assert';
import { linkChecklist, type LinkedChecklist } from '../../src/engine/markdown/link';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { builtinChecklists } from './helpers';
import { resolveItems } from '../../src/engine/resolve';
import { scanFolder } from '../../src/node/host';
import { MARKDOWN_REPO } from './markdownRepo';

// A team's list with group lines: the items nested under a line say what it is made of.
const TEXT = [
  '# Go-live',
  '',
  '- [x] **Runtime security**',
  '  - [x] Memory limits are configured appropriately',
  '  - [x] Use readiness and liveness probes',
  '  - [ ] Team trained on the runbook',
  '- [ ] **Launch day**',
  '  - [ ] Announce the release to customers',
  '  - [ ] Watch the error dashboards for an hour',
  '  - [ ] Use readiness and liveness probes',
  '- [ ] **Probes** <!-- shipshape: manual -->',
  '  - [ ] Use readiness and liveness probes',
  '- [ ] Dockerfile optimized (multi-stage build)',
  '  - [ ] Memory limits are configured appropriately',
  '- [ ] **Platform**',
  '  - [ ] **Workloads**',
  '    - [ ] Memory limits are configured appropriately',
  '',
].join('\n');

describe('Markdown linking: a group line and the items nested under it', () => {
  let linked: LinkedChecklist;
  before(async () => {
    const scan = await scanFolder(MARKDOWN_REPO);
    const { model } = parseMarkdownChecklist(TEXT, 'GO_LIVE.md');
    linked = linkChecklist({ path: 'GO_LIVE.md', model }, scan.result, scan.engine.resolvedItems);
  });
  const item = (text: string) => linked.items.find((i) => i.text === text)!;
  const ids = (text: string) => item(text).links.map((l) => l.id);

  it('a group line whose own words link no check takes the checks its items link, each with the item as its reason', () => {
    const group = item('**Runtime security**');
    const fromItems = new Set([...item('Memory limits are configured appropriately').links, ...item('Use readiness and liveness probes').links].filter((l) => l.mode !== 'manual').map((l) => l.id));
    assert.ok(fromItems.size >= 2, `the items link checks: ${[...fromItems].join(', ')}`);
    assert.deepEqual(new Set(group.links.map((l) => l.id)), fromItems);
    assert.ok(group.links.some((l) => l.reason === 'through its item "Memory limits are configured appropriately"'), JSON.stringify(group.links));
    assert.ok(group.links.every((l) => l.reason.startsWith('through its item "') && !l.pinned));
  });

  it('a ticked group whose items fail their checks fails and is flagged like them', () => {
    const limits = item('Memory limits are configured appropriately');
    assert.equal(limits.status, 'fail', 'the fixture repository sets no memory limits');
    const group = item('**Runtime security**');
    assert.equal(group.status, 'fail');
    const flagged = linked.diagnostics.filter((d) => d.code === 'markdown.ticked-failing').map((d) => linked.items[d.item].text);
    assert.ok(flagged.includes('**Runtime security**'), flagged.join(' | '));
  });

  it('a group of mostly operational items, a pinned group and a line whose own words link a check take nothing from their items', () => {
    // one item of three links a check: the group is about launch day, not about probes
    assert.deepEqual(ids('**Launch day**'), []);
    assert.equal(item('**Launch day**').status, 'manual');
    // a pin is the author's word, `manual` included
    assert.deepEqual(item('**Probes**').links, []);
    // its own words link the multi-stage rule; the memory limit of its item is not added
    const own = ids('Dockerfile optimized (multi-stage build)');
    assert.ok(own.includes('docker.multi-stage'), own.join(', '));
    assert.ok(!own.some((id) => id.startsWith('k8s.resources')), own.join(', '));
  });

  it('a group of groups takes the checks of the items under its own items', () => {
    const inner = ids('**Workloads**');
    assert.ok(inner.some((id) => id.startsWith('k8s.resources.limits')), inner.join(', '));
    assert.deepEqual(ids('**Platform**'), inner);
    assert.ok(item('**Platform**').links.every((l) => l.reason === 'through its item "Workloads"'), JSON.stringify(item('**Platform**').links));
  });

  it('a nested line is read with the line it is nested under as its topic, as a line under a heading is', () => {
    const text = ['# App', '', '## Security', '', '- [ ] Referrer Policy', '- [ ] **Security headers enabled**', '  - [ ] Referrer Policy', ''].join('\n');
    const { model } = parseMarkdownChecklist(text, 'APP.md');
    const items = linkChecklist({ path: 'APP.md', model }, undefined, resolveItems(builtinChecklists()).items).items;
    // under a heading alone, the header's name says too little
    assert.deepEqual(items[0].links.filter((l) => l.mode !== 'manual'), []);
    // under "Security headers enabled" it is one of them
    assert.ok(items[2].links.some((l) => l.id === 'security.headers'), JSON.stringify(items[2].links));
  });

  it('a nested line is about the kind of file the line it is nested under names', () => {
    const text = ['# App', '', '- [ ] **Dockerfile**', '  - [ ] Runs as a non-root user', '- [ ] **Kubernetes**', '  - [ ] Runs as a non-root user', '- [ ] Runs as a non-root user', ''].join('\n');
    const { model } = parseMarkdownChecklist(text, 'APP.md');
    const items = linkChecklist({ path: 'APP.md', model }, undefined, resolveItems(builtinChecklists()).items).items;
    const checks = (i: number) => items[i].links.filter((l) => l.mode !== 'manual').map((l) => l.id).sort();
    assert.deepEqual(checks(1), ['docker.user.non-root']);
    assert.deepEqual(checks(3), ['k8s.pod-security.run-as-non-root']);
    // a line in no such group speaks of both
    assert.deepEqual(checks(4), ['docker.user.non-root', 'k8s.pod-security.run-as-non-root']);
    assert.deepEqual(checks(0), ['docker.user.non-root']);
  });
});

