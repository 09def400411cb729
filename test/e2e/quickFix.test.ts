// A person fixes a finding from the light bulb in the real VS Code workbench (code-server, started by
// scripts/vscodeTests.mjs) in headless Chromium: open the Deployment that lacks probes, put the cursor on
// the container, wait for the light bulb, Ctrl+., choose the probe fix, save. The probe must be in the file
// on disk and the error squiggle gone. The file is put back at the end. Screenshots go to the results folder.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openWorkbench, RESULTS, STEP_MS, WORKSPACE } from './workbench';

describe('Shipshape quick fix from the light bulb (headless Chromium)', function () {
  this.timeout(180000);
  let context: BrowserContext;
  let page: Page;
  const file = () => path.join(WORKSPACE, 'k8s', 'deployment.yaml');
  let original = '';

  before(async function () {
    original = readFileSync(file(), 'utf8');
    ({ context, page } = await openWorkbench('quick-fix'));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: path.join(RESULTS, 'vscode-ui-quickfix-failure.png') });
  });

  after(async () => {
    // The window closes first: a file put back under an open editor can leave that editor dirty, and the next
    // window on this folder (the UI test's) would restore it, probe and all, from its backup.
    await context?.close();
    if (original && readFileSync(file(), 'utf8') !== original) writeFileSync(file(), original);
  });

  it('the light bulb offers the probe fix; applied and saved, the probe is on disk and the error squiggle goes', async () => {
    // Open the manifest from the explorer (k8s folder, then the file).
    const explorer = page.locator('.explorer-folders-view');
    const k8s = explorer.locator('.monaco-list-row[aria-label="k8s"]');
    await k8s.waitFor({ timeout: STEP_MS });
    if ((await k8s.getAttribute('aria-expanded')) !== 'true') await k8s.click();
    await explorer.locator('.monaco-list-row[aria-label="deployment.yaml"]').click();
    await page.locator('.tabs-container .tab', { hasText: 'deployment.yaml' }).waitFor({ timeout: STEP_MS });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.squiggly-error').first().waitFor({ timeout: STEP_MS });

    // The cursor on the container's `name` key, where the finding points.
    const line = editor.locator('.view-line', { hasText: '- name: web' });
    await line.locator('span span', { hasText: /^name$/ }).first().click();
    // The light bulb: in the glyph margin, or inside the indentation of the line when there is room.
    await page.locator('[class*="codicon-gutter-lightbulb"], .lightBulbWidget[class*="codicon-lightbulb"]').first().waitFor({ timeout: STEP_MS });

    // Ctrl+. opens the quick-fix menu; retried, as the first press now and then lands before the menu can open.
    const menu = page.locator('.action-widget .monaco-list-row');
    for (let attempt = 0; attempt < 5 && !(await menu.first().isVisible()); attempt++) {
      await page.keyboard.press('Control+.');
      await menu.first().waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    const fix = menu.filter({ hasText: 'Add livenessProbe' }).first();
    await fix.waitFor({ timeout: STEP_MS });
    const offered = await menu.allTextContents();
    assert.ok(offered.some((t) => /Ignore a Shipshape finding here/.test(t)), `ignore offered too: ${offered.join(' | ')}`);
    await page.screenshot({ path: path.join(RESULTS, 'vscode-ui-quickfix-menu.png') });
    await fix.click();

    await editor.locator('.view-line', { hasText: 'livenessProbe:' }).waitFor({ timeout: STEP_MS });
    await page.keyboard.press('Control+S');
    await waitUntil(() => readFileSync(file(), 'utf8').includes('livenessProbe:'), 'the probe saved to disk');
    const saved = readFileSync(file(), 'utf8');
    assert.ok(saved.startsWith(original), 'everything before the probe is kept byte for byte');
    assert.match(saved.slice(original.length), /^\n? {10}livenessProbe:\n {12}httpGet:\n {14}path: \/health\n {14}port: http\n/);
    // The error squiggle (liveness is an error) goes; the readiness warning stays.
    await waitUntil(async () => (await editor.locator('.squiggly-error').count()) === 0, 'the error squiggle to go');
    assert.ok((await editor.locator('.squiggly-warning').count()) > 0, 'the readiness warning is still shown');
    await page.screenshot({ path: path.join(RESULTS, 'vscode-ui-quickfix.png') });
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = STEP_MS): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}
