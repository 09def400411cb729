// A folder with nothing Shipshape audits (a README only), opened in the real workbench: once scanned, no score
// anywhere (not a perfect 100%), no count on the icon, and the view's welcome text says there is nothing to audit
// and what is read.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openWorkbench, RESULTS, STEP_MS } from './workbench';

const URL = process.env.SHIPSHAPE_UI_EMPTY_URL;

describe('Shipshape on a folder with nothing to audit (headless Chromium)', function () {
  this.timeout(180000);
  let context: BrowserContext | undefined;
  let page: Page;

  before(function () {
    if (!URL) this.skip();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(RESULTS, 'failure-vscode-ui-empty.png') });
  });

  after(async () => {
    await context?.close();
  });

  it('shows no score and no badge; the view says there is nothing to audit', async () => {
    ({ context, page } = await openWorkbench('empty', URL, 'README.md'));
    const icon = page.locator('.activitybar .action-item a[aria-label^="Shipshape"], .activitybar .action-item .action-label[aria-label^="Shipshape"]').first();
    await icon.waitFor({ timeout: STEP_MS });
    await icon.click({ force: true });
    const sidebar = page.locator('.part.sidebar');
    // The extension activates when the view opens and scans the folder; its status-bar item then reads the result.
    const status = page.locator('.statusbar-item[aria-label^="Shipshape readiness"], .statusbar-item [aria-label^="Shipshape readiness"]').first();
    await status.waitFor({ timeout: STEP_MS });
    assert.match((await status.getAttribute('aria-label')) ?? '', /nothing to audit/);
    assert.doesNotMatch((await status.textContent()) ?? '', /\d+%/, 'the status bar gives no score');
    await sidebar.getByText(/Nothing to audit in this folder yet/).waitFor({ timeout: STEP_MS });
    assert.doesNotMatch((await sidebar.textContent()) ?? '', /Readiness \d+%|\d+% ready/, 'the view gives no score');
    assert.equal(await sidebar.locator('.monaco-list-row').count(), 0, 'the view has no rows');
    // (a spinning badge shows while the scan runs; no count once it is done)
    const badge = page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Shipshape"]') }).locator('.badge-content');
    const counts = (await badge.allTextContents()).filter((t) => /\d/.test(t));
    assert.deepEqual(counts, [], 'no count on the Shipshape icon');
    await page.screenshot({ path: path.join(RESULTS, 'vscode-ui-empty.png') });
  });
});
