import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damagedWorkspace } from '../helpers/damagedWorkspace';
import { chromiumAvailable, launchChromium, openPage, screenshot } from './support/browser';
import { CHROMIUM } from './support/paths';
import { backToLibrary } from './support/ui';
import { startTestServer, type TestServer } from './support/server';

// Issue 11, browser mode as a user meets it: the address `tracedeck serve` prints carries a
// token that the page exchanges for an HttpOnly cookie (item 3); a file holding a stored trace's
// id from another file can be kept beside it (item 8); a damaged workspace says so (item 9).

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] browser access tests skipped: no Chromium at ${CHROMIUM}`);

const PHOENIX = join(__dirname, '../fixtures/openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const TRACE = 'fixture-trace-1';

describe.skipIf(skip)('browser mode access and workspace safety', () => {
  let srv: TestServer;
  let browser: Browser;
  let tmp: string;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-access-'));
    srv = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('without the token the API is closed and the page says how to get in', async () => {
    const { page } = await openPage(browser, srv.url, { authenticated: false });
    await page.goto(`${srv.url}/`);
    const alert = page.locator('.status-error');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/not authorised: open the address `tracedeck serve` printed/);
    expect(await page.evaluate(async () => (await fetch('/api/rpc/listTraces', { method: 'POST', body: '{}' })).status)).toBe(401);
    await screenshot(page, 'access-no-token');
    await page.context().close();
  });

  it('opening the printed address sets an HttpOnly SameSite=Strict cookie, strips the token, and the app works', async () => {
    const { page, problems } = await openPage(browser, srv.url, { authenticated: false });
    await page.goto(srv.openUrl);
    expect(page.url()).toBe(`${srv.url}/`);
    const cookies = await page.context().cookies(srv.url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: srv.server.cookieName, httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    // The UI's own import (upload + SSE progress) goes through with the cookie.
    await page.getByTestId('import-input').setInputFiles(PHOENIX);
    await page.locator('.import-item .import-icon.good').waitFor({ timeout: 60_000 });
    await backToLibrary(page);
    await page.locator('.trace-row').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('.trace-row').count()).toBe(1);
    expect(problems.consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('keeps both copies of a trace id held by two files when "keep both" is ticked', async () => {
    const spans = JSON.parse(readFileSync(PHOENIX, 'utf8')) as { parent_id: string | null }[];
    const other = join(tmp, 'other-export.json');
    writeFileSync(other, JSON.stringify(spans.filter((s) => s.parent_id === null)));
    const { page } = await openPage(browser, srv.url);
    await page.goto(`${srv.url}/`);
    await page.locator('.trace-row').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('keep-both').check();
    await page.getByTestId('import-input').setInputFiles(other);
    const item = page.locator('.import-item[data-import-file="other-export.json"]');
    await item.locator('.import-icon.good').waitFor({ timeout: 60_000 });
    await backToLibrary(page);
    await page.locator('.trace-row').nth(1).waitFor({ timeout: 30_000 });
    expect(await page.locator('.trace-row').count()).toBe(2);
    await item.locator('.import-warnings summary').click();
    expect(await item.locator('.import-warnings li').first().textContent()).toContain(
      `trace ${TRACE} is already stored from phoenix-rest-spans-agent-turn-tools-error.json (18 spans): this file's copy (1 spans) is stored as ${TRACE}#2; both are kept`,
    );
    await screenshot(page, 'import-keep-both');
    await page.context().close();
  });

  it('a damaged workspace shows a read-only banner', async () => {
    const path = await damagedWorkspace(tmp);
    const damaged = await startTestServer({ workspacePath: path });
    try {
      const { page } = await openPage(browser, damaged.url);
      await page.goto(`${damaged.url}/`);
      await expectDamagedBanner(page, path, 30_000);
      await screenshot(page, 'workspace-damaged-banner');
      await page.context().close();
    } finally {
      await damaged.close();
    }
  });

  it('a big damaged workspace, checked in the background, shows the banner without a reload', async () => {
    // Over the 64 MiB from which the check runs in the background.
    const path = await damagedWorkspace(tmp, { padBytes: 80 * 1024 * 1024 });
    const damaged = await startTestServer({ workspacePath: path });
    try {
      const { page } = await openPage(browser, damaged.url);
      // The race this covers: the page's appInfo answered before the check did (here it is made
      // to say so: the check of 80 MiB is quicker than a boot), so the news comes as an event.
      let bootInfo: string | null | undefined;
      await page.route('**/api/rpc/appInfo', async (route) => {
        const res = await route.fetch();
        const info = (await res.json()) as { workspaceDamaged: string | null };
        bootInfo = info.workspaceDamaged;
        await route.fulfill({ response: res, json: { ...info, workspaceDamaged: null } });
      });
      await page.goto(`${damaged.url}/`);
      // The library works meanwhile (reads do not wait for the check).
      await page.locator('.trace-row').first().waitFor({ timeout: 30_000 });
      const text = await expectDamagedBanner(page, path, 60_000);
      expect(bootInfo === undefined || bootInfo === null || text.includes(bootInfo)).toBe(true);
      await screenshot(page, 'workspace-damaged-late-banner');
      await page.context().close();
    } finally {
      await damaged.close();
      rmSync(path, { force: true });
    }
  }, 120_000);
});

/** The read-only banner, once shown: it names the file and what quick_check found. Returns its text. */
async function expectDamagedBanner(page: Page, path: string, timeout: number): Promise<string> {
  const banner = page.getByTestId('workspace-damaged');
  await banner.waitFor({ timeout });
  const text = (await banner.textContent()) ?? '';
  expect(text).toContain('This workspace is damaged and open read-only.');
  expect(text).toContain(path);
  expect(text).toMatch(/btreeInitPage|never used|malformed/);
  return text;
}
