import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openPage, screenshot } from './support/browser';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';

// Phoenix agent turn 'pxi.turn' (trace id fixture-trace-1, 18 spans).
const PHOENIX = join(FIXTURES, 'openinference/phoenix-rest-spans-agent-turn-tools-error.json');

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] model configuration tests skipped: no Chromium at ${CHROMIUM}`);

/**
 * Issue 10 item 5 in the UI: with no API key for the default (remote) endpoint, an LLM judge says
 * "model not configured" and links to Model settings, instead of failing per trace.
 */
describe.skipIf(skip)('an LLM judge without a configured model', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  const savedKey = process.env.TRACEDECK_LLM_API_KEY;

  beforeAll(async () => {
    delete process.env.TRACEDECK_LLM_API_KEY; // browser mode reads the key from the environment
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (savedKey !== undefined) process.env.TRACEDECK_LLM_API_KEY = savedKey;
  });

  it('shows "model not configured" with a link that opens Model settings', async () => {
    await page.getByTestId('import-input').setInputFiles(PHOENIX);
    await page.locator('.import-item .import-icon.good').waitFor({ timeout: 30_000 });
    await page.getByTestId('tab-judges').click();
    await page.getByTestId('new-judge-llm').click();
    await page.locator('[data-testid=judge-editor][data-kind=llm]').waitFor();
    const notice = page.getByTestId('model-not-configured');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toBe(
      'model not configured no API key for https://api.openai.com/v1: set TRACEDECK_LLM_API_KEY (or the key in Model settings), or point the base URL at a local server Model settings',
    );
    await screenshot(page, 'judge-model-not-configured');

    await page.getByTestId('model-settings-link').click();
    await page.getByTestId('judge-settings').waitFor();
    expect(await page.evaluate(() => location.hash)).toBe('#/judges/settings');
    expect(await page.getByTestId('llm-base-url').inputValue()).toBe('https://api.openai.com/v1');
    await screenshot(page, 'judge-model-settings-from-link');
  }, 120_000);
});
