import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, collectCspViolations, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';
import { importThroughUi } from './support/ui';

// Numbers as the views show them (issue 10 item 8), from the files themselves:
// - cc-spotter-short-tool-errors.jsonl: one Claude Code session, first to last entry 259.6 s
//   → "4m 20s" everywhere (the old library formatter truncated it to "4m 19s"); format and
//   service are both "claude-code".
// - langfuse-pydantic-ai-tools: recorded cost $0.00032264999… → "$0.000323" (was "$0.0003").
// - jaeger-integration-fixture-example-trace-multi-resource.json: no token usage → "—" in the
//   library and in the trace header alike (was "0 in · 0 out" there).
// - inspect-security-guide-3samples.json: 3 samples; sample 1's target is "use parameterized
//   queries and prepared statements", its model_graded_fact score "C".
const CLAUDE = join(FIXTURES, 'claude-code/cc-spotter-short-tool-errors.jsonl');
const LANGFUSE = join(FIXTURES, 'langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json');
const JAEGER = join(FIXTURES, 'otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json');
const INSPECT = join(FIXTURES, 'inspect-ai/inspect-security-guide-3samples.json');
const CLAUDE_NAME = 'mix phx.server doesnt seem to start';

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] displayed-numbers tests skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(skip)('displayed numbers agree across views (UI only)', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(srv.url);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  /** Cell texts of the library row whose name cell starts with `name`. */
  async function libraryRow(name: string): Promise<Record<string, string>> {
    const row = page.locator('.trace-grid [role=row][data-trace-index]', { has: page.locator('.cell-name', { hasText: name }) }).first();
    await row.waitFor({ timeout: 15_000 });
    return row.evaluate((r) =>
      Object.fromEntries(
        [...r.querySelectorAll('[role=gridcell]')].map((c) => [[...c.classList].find((k) => k.startsWith('col-'))!.slice(4), (c.textContent ?? '').trim()]),
      ),
    );
  }

  const metric = async (id: string) => (await page.getByTestId(id).locator('.tv-metric-value').textContent())?.trim();

  it('imports the files through the file input', async () => {
    await importThroughUi(page, [CLAUDE, LANGFUSE, JAEGER, INSPECT], 6);
  });

  it('library: rounded durations, significant-digit costs, "—" for unknown tokens, counts never cut', async () => {
    expect((await libraryRow(CLAUDE_NAME)).duration).toBe('4m 20s');
    expect((await libraryRow('joke-generator')).cost).toBe('$0.000323');
    const tokens = await page.$$eval('.trace-grid [role=row][data-trace-index] .col-tokens', (cs) => cs.map((c) => c.textContent?.trim()));
    expect(tokens).toContain('—');
    // The count columns hold "1,000,000" without cutting it (measured in the real grid).
    const overflow = await page.$eval('.trace-grid [role=row][data-trace-index] .col-spans', (cell) => {
      const c = cell as HTMLElement;
      const before = c.textContent;
      c.textContent = '1,000,000';
      const cut = c.scrollWidth > c.clientWidth;
      c.textContent = before;
      return cut;
    });
    expect(overflow).toBe(false);
    // No numeric cell is cut with an ellipsis.
    const cut = await page.$$eval('.trace-grid [role=row][data-trace-index] .num', (cs) =>
      cs.filter((c) => (c as HTMLElement).scrollWidth > (c as HTMLElement).clientWidth).map((c) => `${c.className}: ${c.textContent}`),
    );
    expect(cut).toEqual([]);
    await screenshot(page, 'numbers-library');
  });

  it('a double-click on a library row opens the trace and selects no text; the header agrees with the library', async () => {
    const row = page.locator('.trace-grid [role=row][data-trace-index]', { has: page.locator('.cell-name', { hasText: CLAUDE_NAME }) }).first();
    await row.dblclick();
    await page.getByTestId('trace-view').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=metric-steps] .tv-metric-value')?.textContent !== '…', null, { timeout: 30_000 });
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    expect(await metric('metric-latency')).toBe('4m 20s');
    await screenshot(page, 'numbers-trace-header');
  });

  it('a trace without token usage reads "—" in the trace header too', async () => {
    await page.getByTestId('tab-library').click();
    const rows = page.locator('.trace-grid [role=row][data-trace-index]');
    const n = await rows.count();
    let opened = false;
    for (let i = 0; i < n && !opened; i++) {
      const r = rows.nth(i);
      if ((await r.locator('.col-tokens').textContent())?.trim() !== '—') continue;
      await r.click();
      opened = true;
    }
    expect(opened).toBe(true);
    await page.waitForFunction(() => document.querySelector('[data-testid=metric-steps] .tv-metric-value')?.textContent !== '…', null, { timeout: 30_000 });
    expect(await metric('metric-tokens')).toBe('—');
  });

  it('labelling: facts once in the header; an Inspect sample shows its target and scores', async () => {
    await page.getByTestId('tab-labels').click();
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 15_000 });
    await page.getByTestId('queue-order').selectOption('longest');
    await page.waitForFunction((n) => document.querySelector('[data-testid=label-trace-name]')?.textContent === n, CLAUDE_NAME, { timeout: 15_000 });
    const facts = (await page.locator('.lb-facts').textContent()) ?? '';
    expect(facts.split('claude-code').length - 1).toBe(1);
    expect(await metric('metric-latency')).toBe('4m 20s');

    await page.locator('[data-testid=labeling-view]').focus();
    // n walks the queue (6 traces) to the first Inspect sample.
    for (let i = 0; i < 6; i++) {
      const shown = await page.getByTestId('label-trace-name').textContent();
      if (shown === 'security_guide 1') break;
      await page.keyboard.press('n');
      await page.waitForFunction((prev) => document.querySelector('[data-testid=label-trace-name]')?.textContent !== prev, shown, { timeout: 15_000 });
    }
    await page.waitForFunction(() => document.querySelector('[data-testid=label-trace-name]')?.textContent === 'security_guide 1', null, { timeout: 15_000 });
    expect(await page.getByTestId('label-expected').textContent()).toBe('use parameterized queries and prepared statements');
    const score = page.getByTestId('label-score').first();
    expect(await score.locator('dt').textContent()).toBe('model_graded_fact');
    expect(await score.locator('dd').first().textContent()).toBe('C');
    await screenshot(page, 'numbers-labelling-inspect');
  });

  it('raised no page errors, console errors or CSP violations', async () => {
    await collectCspViolations(page, problems);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});
