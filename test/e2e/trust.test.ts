// Workspace trust in the real workbench: scripts/vscodeTests.mjs starts a second code-server with workspace
// trust on (the first runs with --disable-workspace-trust) and opens a folder holding a Helm chart; helm is a
// wrapper that records each run. Left untrusted (restricted mode), the chart is not audited, with the reason,
// and helm never runs; once the folder is trusted, the chart is rendered (helm runs).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expectText, openWorkbench, RESULTS, STEP_MS } from './workbench';

const URL = process.env.SHIPSHAPE_UI_TRUST_URL;
const HELM_LOG = process.env.SHIPSHAPE_UI_HELM_LOG ?? '';

describe('Shipshape in an untrusted workspace (headless Chromium, workspace trust on)', function () {
  this.timeout(240000);
  let context: BrowserContext | undefined;
  let page: Page;

  before(function () {
    if (!URL) {
      console.log('  skipped: run through scripts/vscodeTests.mjs, which starts a server with workspace trust on');
      this.skip();
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(RESULTS, 'failure-vscode-ui-trust.png') });
  });

  after(async () => {
    await context?.close();
  });

  it('restricted mode: the chart is not audited, with the reason, and helm never runs; trusting the folder renders it', async () => {
    ({ context, page } = await openWorkbench(undefined, URL, 'Dockerfile'));
    // The startup prompt: leave the folder untrusted.
    await page.getByRole('button', { name: /No, I don.t trust/i }).first().click({ timeout: STEP_MS });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: STEP_MS });
    await page.locator('.statusbar-item[aria-label^="Shipshape readiness"], .statusbar-item [aria-label^="Shipshape readiness"]').first().waitFor({ timeout: STEP_MS });

    // The Problems panel names the chart's reason; the view counts it as not audited.
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.markers-panel');
    await panel.waitFor({ timeout: STEP_MS });
    const reason = panel.locator('.monaco-list-row', { hasText: /only in a trusted workspace/ }).first();
    await reason.waitFor({ timeout: STEP_MS });
    assert.match((await reason.textContent()) ?? '', /rendering this Helm chart runs helm, which Shipshape does only in a trusted workspace/);
    const icon = page.locator('.activitybar .action-item a[aria-label^="Shipshape"], .activitybar .action-item .action-label[aria-label^="Shipshape"]').first();
    await icon.click({ force: true });
    await expectText(page.locator('.part.sidebar').getByText(/^Readiness \d+%/), /\d+ not audited$/);
    await page.locator('.part.sidebar .monaco-list-row').first().waitFor({ timeout: STEP_MS });
    await page.screenshot({ path: path.join(RESULTS, 'vscode-ui-untrusted.png') });
    assert.ok(!existsSync(HELM_LOG), 'helm did not run in the untrusted workspace');

    // Trusting the folder renders the chart: helm runs (the wrapper renders nothing, so its failure is the new reason).
    await page.keyboard.press('F1');
    await page.keyboard.type('Manage Workspace Trust');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Manage Workspace Trust' }).first().click({ timeout: STEP_MS });
    await page.locator('.workspace-trust-editor').getByRole('button', { name: /^Trust$/ }).first().click({ timeout: STEP_MS });
    const until = Date.now() + STEP_MS;
    while (!existsSync(HELM_LOG) && Date.now() < until) await page.waitForTimeout(200);
    assert.ok(existsSync(HELM_LOG), 'helm ran once the folder was trusted');
    await page.keyboard.press('Control+Shift+M');
    const trustRows = panel.locator('.monaco-list-row', { hasText: /only in a trusted workspace/ });
    const gone = Date.now() + STEP_MS;
    while ((await trustRows.count()) > 0 && Date.now() < gone) await page.waitForTimeout(200);
    assert.equal(await trustRows.count(), 0, 'the trust reason is gone');
    await page.screenshot({ path: path.join(RESULTS, 'vscode-ui-trusted.png') });
  });
});
