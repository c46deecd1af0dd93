import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, imageStats, launchChromium, openPage, screenshot } from './support/browser';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';

// Issue 16, new formats through the UI's own import: a Codex CLI rollout, a SWE-agent
// trajectory and a Zipkin v2 span list, detected by content; a file of a recognisable but
// unreadable shape is refused with what it looks like. Facts read off the fixtures: the Codex
// session 019e1625… has 2 prompts, 105 tool calls (8 failed), prompt 1 "show tools"; the
// SWE-agent run has 5 steps (5 LLM + 5 tool spans + the run), first action `find_file`.
const CODEX_NAME = 'rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl';
const CODEX = join(FIXTURES, 'codex-cli', CODEX_NAME);
const SWE_NAME = '6e44b9__sweagenttestrepo-1c2844.traj';
const SWE = join(FIXTURES, 'swe-agent', SWE_NAME);
const ZIPKIN_NAME = 'zipkin-lens-yelp.json';
const ZIPKIN = join(FIXTURES, 'zipkin-json', ZIPKIN_NAME);

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] new-format tests skipped: no Chromium at ${CHROMIUM}`);

async function importThroughInput(page: Page, path: string, name: string): Promise<string> {
  await page.getByTestId('import-input').setInputFiles(path);
  const item = page.locator(`.import-item[data-import-file="${name}"]`);
  await item.locator('.import-icon.good, .import-icon.bad').first().waitFor({ timeout: 60_000 });
  return (await item.textContent()) ?? '';
}

async function rowOf(page: Page, source: string): Promise<string[]> {
  return page.$$eval(
    '.trace-grid [role=row][data-trace-index]',
    (rows, src) => {
      for (const r of rows) {
        const cells = [...r.querySelectorAll('[role=gridcell]')].map((c) => (c.textContent ?? '').trim());
        if (cells.includes(src)) return cells;
      }
      return [];
    },
    source,
  );
}

describe.skipIf(skip)('new trace formats imported through the UI', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let tmp: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-formats-'));
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
    await page.getByText('No traces yet').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('detects Codex CLI, SWE-agent and Zipkin files and lists them with their counts', async () => {
    expect(await importThroughInput(page, CODEX, CODEX_NAME)).toContain('1 trace, 174 spans');
    expect(await importThroughInput(page, SWE, SWE_NAME)).toContain('1 trace, 11 spans');
    expect(await importThroughInput(page, ZIPKIN, ZIPKIN_NAME)).toContain('1 trace, 16 spans');
    await page.waitForFunction(() => document.querySelector('[data-testid=trace-count]')?.textContent?.trim().startsWith('3 traces'), null, { timeout: 30_000 });
    const codex = await rowOf(page, CODEX_NAME);
    expect(codex[0]).toBe('show toolscodex-cli · 0.125.0'); // name, then service · version
    expect(codex[1]).toBe('codex-cli');
    // 105 tool calls, 8 of them failed commands — and the run itself ended normally
    expect([codex[4], codex[7], codex[8]]).toEqual(['ok', '105', '✕8']);
    const swe = await rowOf(page, SWE_NAME);
    expect([swe[0], swe[1], swe[5], swe[6], swe[7]]).toEqual(['SWE-agent__test-repo-i1swe-agent', 'swe-agent', '11', '5', '5']);
    expect((await rowOf(page, ZIPKIN_NAME))[1]).toBe('zipkin-json');
    const shot = await screenshot(page, 'new-formats-library');
    expect((await imageStats(browser, shot.png)).nonBackground).toBeGreaterThan(0.02);
  });

  it('opens the SWE-agent run: steps as LLM and tool spans, the tool call with its arguments', async () => {
    await page.locator('.trace-grid [role=row]', { hasText: SWE_NAME }).first().click();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=trace-route][data-state=ok]').waitFor({ timeout: 30_000 });
    const tree = page.getByTestId('span-tree');
    await tree.locator('[role=treeitem]').first().waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=span-tree] [role=treeitem]').length === 11);
    await tree.locator('[role=treeitem][data-span-id="step-1-action"]').click();
    const detail = page.getByTestId('span-detail');
    await detail.locator('.sd-name', { hasText: 'find_file' }).waitFor();
    expect(await detail.getByTestId('tool-args').first().textContent()).toContain('missing_colon.py');
    const shot = await screenshot(page, 'new-formats-swe-agent-trace');
    expect((await imageStats(browser, shot.png)).nonBackground).toBeGreaterThan(0.02);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Library' }).click();
  });

  it('refuses a file of a recognisable shape and says what it looks like', async () => {
    const name = 'rollout-odd-layout.jsonl';
    const odd = join(tmp, name);
    writeFileSync(
      odd,
      '{"timestamp":"2026-01-01T00:00:00Z","kind":"session_meta","data":{"id":"x"}}\n' +
        '{"timestamp":"2026-01-01T00:00:01Z","kind":"response_item","data":{"type":"message"}}\n',
    );
    await page.getByTestId('import-input').setInputFiles(odd);
    const item = page.locator(`.import-item[data-import-file="${name}"]`);
    await item.locator('.import-icon.bad').waitFor({ timeout: 30_000 });
    const shown = (await item.locator('.import-error').textContent()) ?? '';
    expect(shown).toContain('JSON Lines whose lines have keys timestamp, kind, data');
    expect(shown).toContain('it looks most like Codex CLI session (it has session_meta, response_item)');
    await screenshot(page, 'new-formats-refused');
  });
});
