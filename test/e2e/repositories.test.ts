// What a new user sees on real repositories: the bundled example (examples/shop) and a copy of Google's
// microservices-demo, each opened in the real workbench (code-server, started by scripts/vscodeTests.mjs).
// The view, the status bar and the badge are read like a person reads them and compared with the engine's
// own audit of the same folder. Screenshots go to the results folder (the README's come from here).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Engine } from '../../src/engine/audit';
import { ignoreScopes } from '../../src/engine/fixes/ignore';
import { computeFix } from '../../src/engine/fixes/run';
import type { AuditResult } from '../../src/engine/model';
import { scanFolder } from '../../src/node/host';
import { checklistLabel } from '../../src/vscode/labels';
import { quickFixMenu } from '../../src/vscode/quickFixMenu';
import { scoreLabel, scoreLine, totalsOf } from '../../src/vscode/score';
import { expectText, openWorkbench, printStartup, RESULTS, STEP_MS, watchStartup, type Startup } from './workbench';

interface Repo {
  name: string;
  url?: string;
  folder?: string;
  /** An explorer row that shows once the folder is open. */
  ready: string;
  screenshot: string;
  /** A manifest line with many findings, where the light bulb's menu is read: folder, file, line text, token. */
  quickFix?: { folder: string; file: string; line: string; token: string };
  /** Files read in the Problems panel: a Node package (no repository-level finding on its line 1) and a Go service's Dockerfile (no Node rule). */
  problems?: { nodePackage: string; goDockerfile: string };
}

const REPOS: Repo[] = [
  { name: 'the bundled example (examples/shop)', url: process.env.SHIPSHAPE_UI_EXAMPLE_URL, folder: process.env.SHIPSHAPE_UI_EXAMPLE, ready: 'Dockerfile', screenshot: 'vscode-ui-example.png', quickFix: { folder: 'k8s', file: 'deployment.yaml', line: '- name: api', token: 'name' } },
  { name: 'a copy of microservices-demo', url: process.env.SHIPSHAPE_UI_DEMO_URL, folder: process.env.SHIPSHAPE_UI_DEMO, ready: 'kubernetes-manifests', screenshot: 'vscode-ui-demo.png', problems: { nodePackage: 'src/currencyservice/package.json', goDockerfile: 'src/frontend/Dockerfile' } },
];

for (const repo of REPOS) {
  describe(`Shipshape on ${repo.name} (headless Chromium)`, function () {
    this.timeout(180000);
    let context: BrowserContext | undefined;
    let page: Page;
    let result: AuditResult;
    let engine: Engine;

    before(async function () {
      if (!repo.url || !repo.folder) {
        console.log(`  skipped: ${repo.name} is not available on this machine (scripts/vscodeTests.mjs copies it when present)`);
        this.skip();
      }
      ({ result, engine } = await scanFolder(repo.folder!));
      const opened = Date.now();
      let startup: Startup | undefined;
      ({ context, page } = await openWorkbench(path.basename(repo.folder!), repo.url, repo.ready, (p) => (startup = watchStartup(p, repo.ready))));
      await startup?.done;
      const ms = (v: number | undefined): string => (v === undefined ? 'not seen' : `${v} ms`);
      console.log(`  startup on ${repo.name}: workbench load → workbench shown ${ms(startup?.workbench)}, → the explorer lists the folder ${ms(startup?.explorer)}, → Shipshape progress visible ${ms(startup?.progress)}, → score visible (complete result) ${ms(startup?.score)}`);
      printStartup(`first complete result on ${repo.name}`, repo.folder!, opened);
    });

    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(RESULTS, `failure-${repo.screenshot}`) });
    });

    after(async () => {
      await context?.close();
    });

    it('the view: failing checklists first, short rows, no operations or not-applicable rows; one score everywhere', async () => {
      const icon = page.locator('.activitybar .action-item a[aria-label^="Shipshape"], .activitybar .action-item .action-label[aria-label^="Shipshape"]').first();
      await icon.waitFor({ timeout: STEP_MS });
      const sidebar = page.locator('.part.sidebar');
      const rows = sidebar.locator('.monaco-list-row');
      const t = totalsOf([result]);
      assert.ok(t.score !== undefined && t.failed > 0, 'the repository has failing checks');
      if (!(await sidebar.getByText(/Readiness \d+%/).count())) await icon.click({ force: true }); // (the badge overlay takes the pointer; the click reaches the icon's item)
      // The view's line, the status bar and the badge say the same: one score and one failing count.
      // (Read from the view: the editor's audit of a folder is the editor host's, which may read fewer
      // inputs than the CLI host; scoreLine/scoreLabel are what both would print.)
      const line = sidebar.getByText(/Readiness \d+%/);
      await expectText(line, /^Readiness \d+% · \d+ failing checks? of \d+( · \d+ not audited)?$/);
      const [, score, failing] = /^Readiness (\d+)% · (\d+) failing/.exec((await line.first().textContent()) ?? '')!;
      assert.ok(Number(failing) > 0, 'the repository has failing checks');
      await expectText(page.locator('.statusbar-item [aria-label^="Shipshape readiness"], .statusbar-item[aria-label^="Shipshape readiness"]'), new RegExp(`${score}% ready`));
      await expectText(page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Shipshape"]') }).locator('.badge'), new RegExp(`^${failing}$`));
      assert.match(scoreLine(t), /^Readiness \d+% · \d+ failing checks? of \d+/, 'the CLI host audit of the same folder has a score too');
      assert.match(scoreLabel(t), /^\d+% ready$/);

      // Roots: the checklists with failing checks, the one with the most failing errors first.
      const failingByChecklist = new Map<string, number>();
      for (const i of result.items) if (i.status === 'fail') failingByChecklist.set(i.checklist, (failingByChecklist.get(i.checklist) ?? 0) + (i.severity === 'error' ? 10000 : i.severity === 'warning' ? 100 : 1));
      const firstId = [...failingByChecklist].sort((a, b) => b[1] - a[1])[0][0];
      const firstTitle = checklistLabel({ kubernetes: 'Kubernetes workloads', dockerfile: 'Dockerfile', scripts: 'Package scripts and dependencies', repo: 'Repository, CI and Compose', env: 'Environment configuration', app: 'Application evidence' }[firstId] ?? firstId);
      await rows.first().waitFor({ timeout: STEP_MS });
      await expectText(rows.first(), new RegExp(`^${escape(firstTitle)}`));
      // The first screen: the failing checks of that checklist, their findings as short rows naming the object.
      await widenSidebar(page);
      const screen = await rows.allTextContents();
      assert.ok(screen.some((x) => /^[A-Z][A-Za-z]+\/[a-z0-9.-]+( › [a-z0-9.-]+)?/.test(x)), `finding rows name the object (Kind/name › container): ${screen.join(' | ')}`);
      assert.ok(!screen.some((x) => /seed|not applicable|evidence: 0/i.test(x)), `no internal or not-applicable rows: ${screen.join(' | ')}`);
      await page.screenshot({ path: path.join(RESULTS, repo.screenshot) });
      // The README's picture: the side bar and the status bar's score (copied to docs/images after a run).
      await page.screenshot({ path: path.join(RESULTS, `readme-${repo.screenshot}`), clip: { x: 0, y: 0, width: 700, height: 900 } });

      // Collapsed, the roots are the checklists: no opt-in operations checklist, the failing ones first.
      await sidebar.locator('.action-label[aria-label="Collapse All"], a[aria-label="Collapse All"]').first().click();
      await expectCount(rows, (n) => n <= 8);
      const roots = await rows.allTextContents();
      assert.ok(!result.items.some((i) => i.checklist === 'operations'), 'the operations checklist is opt-in');
      assert.ok(!roots.some((x) => /^Operations/.test(x)), roots.join(' | '));
      assert.match(roots[0], new RegExp(`^${escape(firstTitle)}`));
      // Opened, a checklist with checks and manual items shows its sections, then the manual items in one node.
      const mixed = roots.findIndex((x) => /failing/.test(x) && /signed off/.test(x));
      assert.ok(mixed > 0, `a failing checklist with manual items, not first: ${roots.join(' | ')}`);
      await rows.nth(mixed).click();
      await expectCount(rows, (n) => n > roots.length);
      // (the tree renders the opened node's children asynchronously: read the rows once its manual node shows)
      await rows.filter({ hasText: /^To confirm by hand/ }).first().waitFor({ timeout: STEP_MS }).catch(() => undefined);
      const opened = await rows.allTextContents();
      const manual = opened.findIndex((x) => x.startsWith('To confirm by hand'));
      assert.ok(manual > mixed + 1, `manual items grouped after the checks: ${opened.join(' | ')}`);
      assert.match(opened[manual], /To confirm by hand0\/\d+ signed off/);
      await page.screenshot({ path: path.join(RESULTS, repo.screenshot.replace('.png', '-collapsed.png')) });
    });

    const pr = repo.problems;
    if (pr) it('the Problems panel: nothing on line 1 of a package.json for the repository, no Node rule on a Go service', async () => {
      const nodeRules = new Set(engine.resolvedItems.filter((r) => r.item.appliesTo?.runtime?.includes('node')).map((r) => r.item.id));
      const repositoryRules = new Set(result.findings.filter((f) => f.scope === 'repository').map((f) => f.ruleId));
      assert.ok(nodeRules.size > 0 && repositoryRules.size > 0, 'the built-in rules have Node-only rules and the demo has repository-level findings');
      await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.waitFor({ timeout: STEP_MS });
      const maximize = page.locator('.part.panel .action-label[aria-label^="Maximize Panel"]').first();
      if (await maximize.isVisible().catch(() => false)) await maximize.click();
      const filter = page.locator('.part.panel .viewpane-filter input, .part.panel .markers-panel-action-filter input').first();
      const read = async (glob: string, file: string): Promise<{ code: string; line: number }[]> => {
        await filter.fill(glob);
        const rows = panel.locator('.monaco-list-row');
        const expected = result.findings.filter((f) => f.file === file).length;
        const until = Date.now() + STEP_MS;
        let markers: { code: string; line: number }[] = [];
        while (Date.now() < until) {
          const texts = await rows.allTextContents();
          // the filtered list has caught up when its one file row names this file's folder
          if (!texts.some((t) => !/Ln \d+, Col/.test(t) && t.includes(path.posix.dirname(file)))) {
            await page.waitForTimeout(200);
            continue;
          }
          markers = texts.flatMap((t) => {
            // "message  shipshape(rule.id) [Ln 6, Col 3]": the parentheses and brackets may be drawn by CSS, so only the words count
            const m = [...t.matchAll(/shipshape\W*([a-z][a-z0-9.-]*[a-z0-9])\W*Ln (\d+), Col \d+/gi)].pop();
            return m ? [{ code: m[1], line: Number(m[2]) }] : [];
          });
          if (markers.length >= Math.min(expected, 8)) break;
          await page.waitForTimeout(200);
        }
        return markers;
      };
      const pkg = await read(`**/${pr.nodePackage}`, pr.nodePackage);
      await page.screenshot({ path: path.join(RESULTS, 'problems-node-package.png') });
      assert.ok(pkg.length > 0, `the Node package has findings in the Problems panel`);
      assert.deepEqual(pkg.filter((m) => m.line === 1 || repositoryRules.has(m.code)), [], `no repository-level finding on ${pr.nodePackage}: ${JSON.stringify(pkg)}`);
      const go = await read(`**/${pr.goDockerfile}`, pr.goDockerfile);
      await page.screenshot({ path: path.join(RESULTS, 'problems-go-service.png') });
      assert.ok(go.length > 0, `the Go service's Dockerfile has findings in the Problems panel`);
      assert.deepEqual(go.filter((m) => nodeRules.has(m.code)), [], `no Node rule on ${pr.goDockerfile}: ${JSON.stringify(go)}`);
      await filter.fill('');
    });

    const q = repo.quickFix;
    if (q) it('the light bulb on a line with many findings: a short menu, the preferred fix first, one ignore and one docs entry', async () => {
      const explorerIcon = page.locator('.activitybar .action-item a[aria-label^="Explorer"], .activitybar .action-item .action-label[aria-label^="Explorer"]').first();
      const explorer = page.locator('.explorer-folders-view');
      if (!(await explorer.isVisible())) await explorerIcon.click({ force: true });
      const dir = explorer.locator(`.monaco-list-row[aria-label="${q.folder}"]`);
      await dir.waitFor({ timeout: STEP_MS });
      if ((await dir.getAttribute('aria-expanded')) !== 'true') await dir.click();
      // The explorer redraws its rows as the file decorations (finding counts) arrive: click again until the tab opens.
      const tab = page.locator('.tabs-container .tab', { hasText: q.file });
      for (let attempt = 0; attempt < 5 && !(await tab.isVisible()); attempt++) {
        await explorer.locator(`.monaco-list-row[aria-label="${q.file}"]`).click();
        await tab.waitFor({ timeout: 3000 }).catch(() => undefined);
      }
      await tab.waitFor({ timeout: STEP_MS });
      // the text editor showing the file (an editor part keeps the panes of other editor kinds, hidden)
      const editor = page.locator('.part.editor .editor-instance .monaco-editor:visible').first();
      await editor.locator('.squiggly-error').first().waitFor({ timeout: STEP_MS });
      const lineText = editor.locator('.view-line', { hasText: q.line });
      await lineText.locator('span span', { hasText: new RegExp(`^${q.token}$`) }).first().click();
      await page.locator('[class*="codicon-gutter-lightbulb"], .lightBulbWidget[class*="codicon-lightbulb"]').first().waitFor({ timeout: STEP_MS });
      const menu = page.locator('.action-widget .monaco-list-row.action');
      for (let attempt = 0; attempt < 5 && !(await menu.first().isVisible()); attempt++) {
        await page.keyboard.press('Control+.');
        await menu.first().waitFor({ timeout: 3000 }).catch(() => undefined);
      }
      await menu.first().waitFor({ timeout: STEP_MS });
      const entries = await menu.allTextContents();
      await page.screenshot({ path: path.join(RESULTS, 'readme-quickfix.png'), clip: { x: 0, y: 0, width: 1400, height: 700 } });
      await page.keyboard.press('Escape');

      // What the engine says about that line (the CLI host's audit of the same folder), as the menu module groups it.
      const rel = `${q.folder}/${q.file}`;
      const text = readFileSync(path.join(repo.folder!, rel), 'utf8');
      const line = text.split('\n').findIndex((l) => l.includes(q.line));
      const findings = result.findings.filter((f) => f.file === rel && f.range.start.line === line);
      const offers = findings.map((f) => {
        const fix = f.fixable ? computeFix(engine, f) : undefined;
        const ok = fix && 'edits' in fix ? fix : undefined;
        return { diagnostic: f, finding: f, scopes: ignoreScopes('kubernetes', rel), fix: ok && { title: ok.title, changesBehaviour: ok.changesBehaviour, groupTitle: engine.item(f.ruleId)?.fix?.template.groupTitle } };
      });
      const expected = quickFixMenu(offers);
      const fixableInFile = result.findings.filter((f) => f.file === rel && f.fixable).length;
      assert.ok(findings.length >= 5, `a line with many findings: ${findings.map((f) => f.ruleId).join(', ')}`);
      assert.equal(entries.length, expected.fixes.length + (fixableInFile > 1 ? 1 : 0) + 2, `menu: ${entries.join(' | ')}`);
      assert.ok(entries.length <= 10, `a short menu for ${findings.length} findings: ${entries.join(' | ')}`);
      assert.ok(entries[0].startsWith(expected.fixes[0].title.replace(/ — changes behaviour$/, '')), `the preferred fix first: ${entries.join(' | ')}`);
      assert.match(entries[1], /^Fix all auto-fixable Shipshape findings in this file/);
      assert.equal(entries.filter((e) => /^Ignore /.test(e)).length, 1);
      assert.equal(entries.filter((e) => /^Show .*docs/.test(e)).length, 1);
    });
  });
}


/** Drags the side bar's edge to the right, as a person does to read long rows. */
async function widenSidebar(page: Page): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const x = box.x + box.width + 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 320, y, { steps: 8 });
  await page.mouse.up();
}

async function expectCount(locator: Locator, ok: (n: number) => boolean): Promise<void> {
  const until = Date.now() + STEP_MS;
  while (Date.now() < until && !ok(await locator.count())) await locator.page().waitForTimeout(100);
  assert.ok(ok(await locator.count()), `unexpected row count ${await locator.count()}`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
