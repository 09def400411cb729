// Drives the real VS Code workbench (code-server, started by scripts/vscodeTests.mjs) in headless Chromium
// the way a person would: open the Shipshape view, read the items and the score, tick a manual item, open
// the Problems panel. Screenshots go to test-results/.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expectText, openWorkbench, RESULTS, STEP_MS, WORKSPACE } from './workbench';

describe('Shipshape in the VS Code workbench (headless Chromium)', function () {
  this.timeout(180000);
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    ({ context, page } = await openWorkbench());
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(RESULTS, `vscode-ui-failure-${slug(this.currentTest.title)}.png`) });
  });

  after(async () => {
    await context?.close();
  });

  /** The Shipshape view container, opened from its activity-bar icon. */
  async function openReadinessView(): Promise<Locator> {
    const icon = page.locator('.activitybar .action-item a[aria-label^="Shipshape"], .activitybar .action-item .action-label[aria-label^="Shipshape"]').first();
    await icon.waitFor({ timeout: STEP_MS });
    const pane = page.locator('.pane-body, .pane').filter({ has: page.locator('.monaco-list-row', { hasText: 'Fixture readiness' }) });
    if (!(await pane.count())) await icon.click({ force: true }); // (the badge overlay takes the pointer; the click reaches the icon's item)
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.monaco-list-row', { hasText: 'Fixture readiness' }).waitFor({ timeout: STEP_MS });
    return sidebar;
  }

  function row(scope: Locator, text: string): Locator {
    return scope.locator('.monaco-list-row', { hasText: text }).first();
  }

  it('the readiness view shows the checklist, items with their status, and the score', async () => {
    const sidebar = await openReadinessView();
    for (const text of ['Fixture readiness', 'Kubernetes', 'Containers declare a liveness probe', 'To confirm by hand']) {
      await row(sidebar, text).waitFor({ timeout: STEP_MS });
    }
    // Manual items sit in one collapsed node after the checks: open it.
    await row(sidebar, 'To confirm by hand').click();
    await row(sidebar, 'An on-call runbook exists').waitFor({ timeout: STEP_MS });
    // Failing items are expanded to their findings; the item says how many.
    await expectText(row(sidebar, 'Containers declare a liveness probe'), /1 finding/);
    await row(sidebar, 'Deployment/shop › web').waitFor({ timeout: STEP_MS });
    // The score: in the view's title area and in the status bar.
    await expectText(sidebar.getByText(/Readiness \d+%/), /Readiness 0% · 4 failing checks of 4/);
    await expectText(page.locator('.statusbar-item [aria-label^="Shipshape readiness"], .statusbar-item[aria-label^="Shipshape readiness"]'), /0%/);
    // The badge on the activity-bar icon counts the failing items.
    await expectText(page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Shipshape"]') }).locator('.badge'), /4/);
    await page.screenshot({ path: path.join(RESULTS, 'vscode-ui-readiness.png') });
  });

  it('ticking a manual item signs it off: the attestation file is written and the score rises', async () => {
    const sidebar = page.locator('.part.sidebar');
    const manual = row(sidebar, 'An on-call runbook exists');
    const checkbox = manual.locator('.custom-view-tree-node-item-checkbox, .monaco-checkbox, [role="checkbox"]').first();
    await checkbox.click();
    await expectText(manual, /signed off by/);
    await expectText(sidebar.getByText(/Readiness \d+%/), /Readiness 20% · 4 failing checks of 4/);
    await expectText(page.locator('.statusbar-item [aria-label^="Shipshape readiness"], .statusbar-item[aria-label^="Shipshape readiness"]'), /20%/);
    const file = path.join(WORKSPACE, '.shipshape', 'attestations.yaml');
    assert.ok(existsSync(file), 'the attestation file exists');
    assert.match(readFileSync(file, 'utf8'), /fixture\.manual\.runbook:\n\s+by: /);
  });

  it('the Problems panel lists the findings, and a click reveals the line', async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel');
    await markers.waitFor({ timeout: STEP_MS });
    for (const text of ['has no liveness probe', 'has no readiness probe', 'sets no USER', 'NODE_ENV']) await markers.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: STEP_MS });
    await markers.locator('.monaco-list-row', { hasText: 'has no liveness probe' }).first().click();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'deployment.yaml' }).waitFor({ timeout: STEP_MS });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: STEP_MS });
    await page.screenshot({ path: path.join(RESULTS, 'vscode-ui.png') });
  });
});


function slug(s: string): string {
  return s.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
}
