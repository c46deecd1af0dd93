import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startFakeOpenAI, type FakeOpenAI } from '../unit/judges/support/fakeOpenAI';
import { chromiumAvailable, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';
import { importThroughUi } from './support/ui';

/**
 * Issue 15 items 4–6 through the UI only: sessions and their thread view, the Overview's charts
 * opening the library on their traces, and replaying a recorded LLM call against the local
 * scripted OpenAI-compatible server, saved as a variant. Expectations are worked out from the
 * files: the three-turn session (tests/fixtures/HANDMADE.md) and the real OTel GenAI client span
 * (Weather in Paris, answered "rainy, 57°F").
 */
const SESSION_FILE = join(FIXTURES, 'otlp-json/handmade-otlp-session-three-turns.json');
const GENAI_FILE = join(FIXTURES, 'otlp-json/otel-genai-flat-attrs-client-span-tool-calls.json');
const GENAI_TRACE = '2abfb68d529e23debf7fed5219e31a47';
const GENAI_SPAN = '75c7e40fb3da0b40';

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] sessions / overview / replay tests skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(skip)('sessions, overview and LLM-call replay', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let model: FakeOpenAI;
  const savedKey = process.env.TRACEDECK_LLM_API_KEY;

  const hash = () => page.evaluate(() => location.hash);
  const count = () => page.getByTestId('trace-count').textContent();
  const waitCount = (prefix: string) =>
    page.waitForFunction((p) => document.querySelector('[data-testid=trace-count]')?.textContent?.trim().startsWith(p), prefix, { timeout: 30_000 });

  beforeAll(async () => {
    delete process.env.TRACEDECK_LLM_API_KEY; // browser mode reads the key from the environment
    model = await startFakeOpenAI((req) => {
      const text = JSON.stringify(req.body.messages);
      return { body: chat(/Lyon/.test(text) ? 'It is sunny in Lyon, 21°C.' : 'It is still rainy in Paris.') };
    });
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await model?.close();
    if (savedKey !== undefined) process.env.TRACEDECK_LLM_API_KEY = savedKey;
  });

  it('imports both files through the file input; the library shows each trace’s session', async () => {
    await importThroughUi(page, [SESSION_FILE, GENAI_FILE], 5);
    const sessions = await page.$$eval('.trace-row', (rows) => rows.map((r) => r.textContent ?? ''));
    expect(sessions.filter((t) => t.includes('support-chat-7'))).toHaveLength(3);
  }, 120_000);

  it('lists the session with its totals, searches it (typed slowly and fast) and opens the thread by keyboard', async () => {
    await page.getByTestId('tab-sessions').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('sessions-list').waitFor({ timeout: 30_000 });
    const row = page.getByTestId('session-row');
    expect(await row.count()).toBe(1);
    const cells = await row.first().locator('td').allTextContents();
    // session, first turn, turns, last activity, duration, tokens, cost, tool calls, tool errors, failed turns
    expect([cells[0], cells[1], cells[2], cells[4], cells[5], cells[6], cells[7], cells[8], cells[9]]).toEqual([
      'support-chat-7', 'invoke_agent support-bot', '3', '3m 01s', '580 in · 95 out', '—', '2', '1', '1',
    ]);
    await page.keyboard.press('/');
    await page.keyboard.type('zz', { delay: 0 });
    await page.getByText('No session id matches').waitFor();
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('chat-7', { delay: 60 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=session-row]').length === 1);
    await screenshot(page, 'sessions-list');
    await page.keyboard.press('Escape'); // leaves the search box for the list
    await page.keyboard.press('Enter');
    await page.getByTestId('thread-view').waitFor();
    expect(await hash()).toBe('#/sessions/support-chat-7');
    const totals = await page.getByTestId('thread-totals').locator('dd').allTextContents();
    expect(totals.slice(0, 7)).toEqual(['3', '3m 01s', '580 in · 95 out', '—', '2', '1', '1']);
    const turns = page.getByTestId('turn');
    expect(await turns.count()).toBe(3);
    expect(await turns.nth(0).locator('.ins-turn-msg.user').textContent()).toBe('inputWhere is my order A-1009?');
    expect(await turns.nth(1).locator('.ins-turn-msg.assistant').textContent()).toBe("outputI'm sorry, I could not reach the order service.");
    expect(await turns.nth(1).locator('.badge').textContent()).toBe('failed');
    await screenshot(page, 'session-thread');
    // the first turn has focus; j moves to the second, Enter opens its trace
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=trace-view]')?.getAttribute('data-trace-id') === 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2', null, {
      timeout: 30_000,
    });
    await page.goBack();
    await page.getByTestId('thread-view').waitFor();
    await page.getByTestId('session-in-library').click();
    await waitCount('3 traces');
    expect(await count()).toBe('3 traces of 5');
    expect(await page.getByTestId('library-drill').textContent()).toContain('Session support-chat-7');
    await screenshot(page, 'library-session-filter');
    await page.getByTestId('clear-drill').click();
    await waitCount('5 traces');
  }, 120_000);

  it('opens the library on a session from a reloaded thread page, where the library was never shown', async () => {
    // The library mounts on its first visit (App.tsx): the drill is asked for before it exists.
    await page.getByTestId('tab-sessions').click();
    await page.getByTestId('session-row').first().locator('a').click();
    await page.getByTestId('thread-view').waitFor();
    await page.reload();
    await page.getByTestId('thread-view').waitFor({ timeout: 30_000 });
    expect(await page.locator('.library').count()).toBe(0);
    await page.getByTestId('session-in-library').click();
    await waitCount('3 traces');
    expect(await count()).toBe('3 traces of 5');
    expect(await page.getByTestId('library-drill').textContent()).toContain('Session support-chat-7');
    await page.getByTestId('clear-drill').click();
    await waitCount('5 traces');
  }, 120_000);

  it('summarises the library filter in the Overview; a latency bar and a failed-run point open their traces', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('support-bot', { delay: 0 });
    await waitCount('4 traces');
    await page.getByTestId('tab-overview').click();
    await page.getByTestId('hist-duration').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('scope-filter').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('overview-total').textContent()).toBe('4 traces');
    // durations 350, 650, 1250, 1650 ms → bars [200, 400) [600, 800) [1200, 1400) [1600, 1800]
    const bars = page.getByTestId('bar-duration');
    expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual([
      'Latency 200ms – 400ms (excl.): 1 trace',
      'Latency 600ms – 800ms (excl.): 1 trace',
      'Latency 1.20s – 1.40s (excl.): 1 trace',
      'Latency 1.60s – 1.80s: 1 trace',
    ]);
    const failed = page.getByTestId('trend-failed');
    expect(await failed.first().getAttribute('aria-label')).toMatch(/: 1 of 3 runs failed \(33\.3%\)$/);
    expect(await page.getByTestId('pass-rates').textContent()).toContain('No judge run has judged these traces yet');
    await screenshot(page, 'overview');
    // keyboard: focus the first bar, → three times, Enter
    await bars.first().focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Latency 1.60s – 1.80s: 1 trace');
    await page.keyboard.press('Enter');
    await waitCount('1 trace');
    expect(await count()).toBe('1 trace of 5');
    expect(await page.locator('.trace-row .cell-name').allTextContents()).toEqual(['invoke_agent support-bot']);
    expect(await page.locator('.trace-row').first().textContent()).toContain('1.65s');
    expect(await page.getByTestId('library-drill').textContent()).toContain('Latency 1.60s – 1.80s');
    await screenshot(page, 'overview-opened-bar');

    await page.getByTestId('tab-overview').click();
    await failed.first().focus();
    await page.keyboard.press('Enter');
    // the count already read "1 trace" for the latency bar: wait for this drill's chip and row
    await page.getByTestId('library-drill').getByText('Failed runs started', { exact: false }).waitFor({ timeout: 30_000 });
    await page.locator('.trace-row .badge', { hasText: 'failed' }).waitFor({ timeout: 30_000 });
    expect(await count()).toBe('1 trace of 5');
    expect(await page.locator('.trace-row .badge').allTextContents()).toEqual(['failed']);
    await page.getByTestId('clear-drill').click();
    await waitCount('4 traces');
  }, 120_000);

  it('after a judge run, the pass-rate point of that judge opens the traces it judged', async () => {
    // The starter code judge fails a trace with a failed tool call: a1 (lookup_order) of the four.
    await page.getByTestId('tab-judges').click();
    await page.getByTestId('new-judge-code').click();
    await page.locator('[data-testid=judge-source][data-ready=true]').waitFor({ timeout: 30_000 });
    await page.getByTestId('judge-id').fill('starter');
    await page.getByTestId('judge-save').click();
    await page.waitForFunction(() => location.hash === '#/judges/j/starter', null, { timeout: 30_000 });
    await page.getByTestId('judges-tab-runs').click();
    await page.getByTestId('run-panel').waitFor();
    await page.getByTestId('run-judge-starter').check();
    await page.getByTestId('run-start').click();
    await page.locator('[data-testid=run-view][data-status=done]').waitFor({ timeout: 60_000 });
    await page.getByTestId('tab-overview').click();
    const point = page.getByTestId('pass-point');
    await point.first().waitFor({ timeout: 30_000 });
    expect(await point.count()).toBe(1);
    // over the library filter (the four support-bot traces): 3 pass, 1 fails
    expect(await point.first().getAttribute('aria-label')).toMatch(/ in run \d+ \(.*\): 3 of 4 passed \(75%\)$/);
    await screenshot(page, 'overview-pass-rate');
    await point.first().focus();
    await page.keyboard.press('Enter');
    await waitCount('4 traces');
    expect(await page.getByTestId('library-drill').textContent()).toMatch(/run \d+: judged traces/);
    await page.getByTestId('clear-drill').click();
  }, 180_000);

  it('replays the recorded LLM call: no model → says so; configured → edit, run, compare, save a variant', async () => {
    await page.goto(`${srv.url}/#/trace/${GENAI_TRACE}/span/${GENAI_SPAN}`);
    const replay = page.getByTestId('replay-open');
    await replay.waitFor({ timeout: 30_000 });
    await replay.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('replay-view').waitFor({ timeout: 30_000 });
    const problem = page.getByTestId('replay-model-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/^Cannot replay: model not configured: no API key for https:\/\/api\.openai\.com\/v1/);
    expect(await page.getByTestId('replay-run').isDisabled()).toBe(true);
    await screenshot(page, 'replay-no-model');

    // Model settings through the UI: the local scripted server needs no key.
    await problem.getByRole('button', { name: 'Model settings' }).click();
    await page.getByTestId('judge-settings').waitFor();
    await page.getByTestId('llm-base-url').fill('');
    await page.getByTestId('llm-base-url').focus();
    await page.keyboard.type(model.baseUrl, { delay: 0 });
    await page.getByTestId('llm-model').fill('');
    await page.getByTestId('llm-model').focus();
    await page.keyboard.type('replay-model', { delay: 40 });
    await page.getByTestId('llm-save').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=llm-save]')?.hasAttribute('disabled') || true);
    await page.waitForTimeout(300);
    await page.goBack();
    await page.getByTestId('replay-view').waitFor();
    await page.locator('[data-testid=replay-editor][data-ready=true] .view-line').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('replay-model-problem').count()).toBe(0);
    const lines = await page.$$eval('[data-testid=replay-editor] .view-line', (ls) =>
      ls
        .map((l) => ({ top: parseFloat((l as HTMLElement).style.top) || 0, t: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.t),
    );
    expect(lines.slice(0, 7)).toEqual(['{', '  "model": "replay-model",', '  "messages": [', '    {', '      "role": "user",', '      "content": "Weather in Paris?"', '    },']);
    expect(await page.getByTestId('replay-recorded').textContent()).toContain('The weather in Paris is currently rainy with a temperature of 57°F.');

    // Edit: line 6, replace "Paris" by typing; Ctrl+Enter runs from inside the editor.
    await page.locator('[data-testid=replay-editor] .view-lines').click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('Lyon', { delay: 0 });
    await page.keyboard.press('Control+Enter');
    const fresh = page.getByTestId('replay-new');
    // the answer, or an error that says why there is none
    await page.locator('[data-testid=replay-new] .conversation, [data-testid=replay-run-error]').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('replay-run-error').count() ? await page.getByTestId('replay-run-error').textContent() : null).toBeNull();
    await fresh.getByText('It is sunny in Lyon, 21°C.').waitFor({ timeout: 30_000 });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]!.body.model).toBe('replay-model');
    expect(model.requests[0]!.body.messages[0]).toEqual({ role: 'user', content: 'Weather in Lyon?' });
    expect(model.requests[0]!.body).toMatchObject({ temperature: 0.5, top_p: 0.9, max_tokens: 200 });
    expect(await fresh.textContent()).toContain('fake-model');
    await screenshot(page, 'replay-side-by-side');

    await page.getByTestId('replay-save').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('replay-saved').waitFor();
    expect(await page.getByTestId('replay-saved').textContent()).toContain('chat gpt-4 · replay 1');
    await page.getByTestId('open-variant').click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=trace-view]')?.getAttribute('data-trace-id') === id, `${GENAI_TRACE}~replay-1`, {
      timeout: 30_000,
    });
    const detail = page.getByTestId('span-detail');
    await detail.getByTestId('conversation').getByText('It is sunny in Lyon, 21°C.').waitFor({ timeout: 30_000 });
    expect(await detail.getByTestId('conversation').textContent()).toContain('Weather in Lyon?');
    await detail.getByTestId('variant-of').waitFor();
    await screenshot(page, 'replay-variant-span');
    // the original span lists its variant
    await detail.getByTestId('variant-of').click();
    await page.getByTestId('span-variants').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('span-variants').textContent()).toBe('variants: replay 1');
    expect(problems.pageErrors).toEqual([]);
  }, 180_000);
});
