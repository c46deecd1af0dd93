import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, collectCspViolations, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';
import { importThroughUi } from './support/ui';
import { chat, startFakeOpenAI, type FakeOpenAI } from '../unit/judges/support/fakeOpenAI';

// Error analysis through the UI only (issue 14 items 1, 2, 3, 5), from the app's own import to
// the failure taxonomy, its saturation curve and the first-failure matrix.
//
// Fixtures: the Inspect popularity .eval (10 samples 'popularity 1'..'10'; its scorer marked 3
// and 7 incorrect — answer "No", target " Yes"; each sample: sample → system_message, generate →
// model-5 (llm), match → score-9) and the Phoenix agent turn 'pxi.turn' (18 spans: s01 agent over
// alternating LLM calls s02, s04 … s18 and tool calls s03 … s17; s11 add_spans_to_dataset failed,
// the final answer says "Done!").
const POPULARITY = join(FIXTURES, 'inspect-ai/inspect-popularity-10samples.eval');
const PHOENIX = join(FIXTURES, 'openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;

const NOTE_S11 = 'add_spans_to_dataset failed with a GraphQL error';
const NOTE_S18 = 'Says Done! although the save failed';
const NOTE_TRACE = 'Never told the user the save failed';
const NOTE_WRONG = 'Answered No; the target was Yes';

/**
 * The scripted model: groups the notes of the prompt by what they say — the GraphQL failure, the
 * false "Done!" and the silence about it, the wrong answers — naming each note by the id the
 * prompt gave it.
 */
function groupNotes(prompt: string) {
  const ids = (needle: string) =>
    [...prompt.matchAll(/^\[(\d+)\] (.*)$/gm)].filter((m) => m[2]!.includes(needle)).map((m) => Number(m[1]));
  return {
    groups: [
      { name: 'tool failure', definition: 'A tool call returns an error.', noteIds: ids('GraphQL') },
      { name: 'false success', definition: 'The agent reports success after a failure.', noteIds: [...ids('Done!'), ...ids('Never told')] },
      { name: 'wrong answer', definition: 'The final answer differs from the target.', noteIds: ids('target was Yes') },
    ],
  };
}

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] error analysis tests skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(skip).each([
  { delay: 0, tag: 'fast' },
  { delay: 35, tag: 'slow' },
])('error analysis in Chromium, typing with delay $delay ms', ({ delay, tag }) => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let model: FakeOpenAI;
  const savedKey = process.env.TRACEDECK_LLM_API_KEY;
  /** Trace names in the order they were labelled (the review order of the saturation curve). */
  const reviewed: string[] = [];

  beforeAll(async () => {
    delete process.env.TRACEDECK_LLM_API_KEY; // browser mode reads the key from the environment
    model = await startFakeOpenAI((req) => ({ body: chat(JSON.stringify(groupNotes(String(req.body?.messages?.[0]?.content ?? '')))) }));
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

  const shownName = async () => ((await page.getByTestId('label-trace-name').textContent()) ?? '').trim();
  const cursorSpan = () => page.locator('[data-testid=label-step][aria-selected=true]').getAttribute('data-span-id');
  const typeNote = async (text: string) => {
    await page.getByTestId('note-input').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('note-input');
    await page.keyboard.type(text, { delay });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=span-note]', { hasText: text }).waitFor({ timeout: 15_000 });
  };
  const verdict = async (key: 'p' | 'f') => {
    await page.keyboard.press(key);
    await page.locator('[data-testid=save-indicator][data-save=saved]').waitFor({ timeout: 15_000 });
  };
  const moveTo = async (spanId: string) => {
    for (let i = 0; i < 30 && (await cursorSpan()) !== spanId; i++) await page.keyboard.press('j');
    expect(await cursorSpan()).toBe(spanId);
  };

  it('imports the fixtures through the app’s file input', async () => {
    await importThroughUi(page, [POPULARITY, PHOENIX], 11);
    await page.getByRole('button', { name: 'Close imports panel' }).click();
  }, 120_000);

  it('marks first failures and writes notes on spans and traces with the keyboard only', async () => {
    await page.getByTestId('tab-labels').click();
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 30_000 });
    await page.getByTestId('queue-order').selectOption('longest'); // pxi.turn (35 s) first
    await page.waitForFunction(() => document.querySelector('[data-testid=label-trace-name]')?.textContent === 'pxi.turn');
    await page.locator('[data-testid=label-step]').nth(17).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=labeling-view]').focus();
    // The conversation opens on the first error: the failed add_spans_to_dataset call.
    expect(await page.getByTestId('label-step').count()).toBe(18);
    expect(await cursorSpan()).toBe('s11');
    await page.keyboard.press('x');
    await typeNote(NOTE_S11);
    expect(await page.locator('[data-testid=label-step][data-marked=true]').getAttribute('data-span-id')).toBe('s11');
    await moveTo('s18');
    await page.keyboard.press('m');
    await typeNote(NOTE_S18);
    await page.keyboard.press('w');
    await page.getByTestId('note-input').waitFor();
    await page.keyboard.type(NOTE_TRACE, { delay });
    await page.keyboard.press('Enter');
    await page.getByTestId('trace-notes').getByText(NOTE_TRACE).waitFor();
    // k goes back up; the mark stays on s11 alone
    await page.keyboard.press('k');
    expect(await cursorSpan()).toBe('s17');
    expect(await page.locator('[data-testid=label-step][data-marked=true]').count()).toBe(1);
    await verdict('f');
    await screenshot(page, `error-analysis-labeling-${tag}`);

    // o opens the full trace: the tree marks the first failure and the span with a note.
    await page.keyboard.press('o');
    await page.waitForFunction(() => location.hash.startsWith('#/trace/'));
    await page.locator('.tv-row[data-span-id=s11] [data-testid=tree-first-failure]').waitFor({ timeout: 30_000 });
    expect(await page.locator('.tv-row[data-span-id=s18] [data-testid=tree-note]').textContent()).toBe('✎ 1');
    expect(await page.locator('[data-testid=tree-first-failure]').count()).toBe(1);
    await screenshot(page, `error-analysis-trace-markers-${tag}`);
    await page.getByTestId('tab-labels').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=label-trace-name]')?.textContent === 'pxi.turn');
    reviewed.push('pxi.turn');
    await page.locator('[data-testid=labeling-view]').focus();

    // The ten popularity samples: 3 and 7 answered No where the target was Yes.
    for (let step = 0; step < 10; step++) {
      const before = await shownName();
      await page.keyboard.press('n');
      await page.waitForFunction((b) => document.querySelector('[data-testid=label-trace-name]')?.textContent !== b, before, { timeout: 15_000 });
      const name = await shownName();
      expect(name).toMatch(/^popularity \d+$/);
      await page.locator('[data-testid=label-step][data-span-id=score-9]').waitFor({ timeout: 15_000 });
      if (name === 'popularity 3' || name === 'popularity 7') {
        await moveTo('model-5');
        await page.keyboard.press('x');
        await typeNote(NOTE_WRONG);
        await verdict('f');
      } else await verdict('p');
      reviewed.push(name);
    }
    expect([...reviewed].sort()).toEqual(['pxi.turn', ...Array.from({ length: 10 }, (_, i) => `popularity ${i + 1}`)].sort());
  }, 300_000);

  it('says the model is not configured, then proposes groups with the configured one', async () => {
    await page.getByTestId('labels-tab-modes').click();
    await page.getByTestId('axial-coding').waitFor();
    await page.locator('[data-testid=note-row]').nth(4).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('note-row').count()).toBe(5);
    await page.locator('body').press('g');
    const problem = page.getByTestId('axial-problem');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.textContent()).toMatch(/^model not configured: no API key for https:\/\/api\.openai\.com\/v1/);
    expect(model.requests).toHaveLength(0);
    await screenshot(page, `error-analysis-no-model-${tag}`);

    // Model settings, reached from the notice: point the base URL at the local scripted server.
    await page.getByTestId('axial-settings-link').click();
    await page.getByTestId('llm-base-url').waitFor();
    await page.getByTestId('llm-base-url').fill(model.baseUrl);
    await page.getByTestId('llm-model').fill('fake-axial');
    await page.getByTestId('llm-save').click();
    await page.getByText('Saved.').waitFor();

    await page.getByTestId('tab-labels').click();
    await page.getByTestId('labels-tab-modes').click();
    await page.locator('[data-testid=note-row]').nth(4).waitFor({ timeout: 15_000 });
    await page.locator('body').press('g');
    await page.getByTestId('proposed-group').nth(2).waitFor({ timeout: 30_000 });
    const prompt = String(model.requests.at(-1)!.body.messages[0].content);
    expect(prompt).toContain(`trace "pxi.turn", span "add_spans_to_dataset" (tool), FIRST FAILURE: ${NOTE_S11}`);
    expect(prompt).toContain(`trace "pxi.turn", whole trace: ${NOTE_TRACE}`);
    const group = (name: string) => page.locator(`[data-testid=proposed-group][data-group="${name}"]`);
    expect(await group('false success').getByTestId('group-member').count()).toBe(2);
    expect(await group('wrong answer').getByTestId('group-member').count()).toBe(2);

    // Rename the first group, split the silence out of "false success", rename the split.
    const first = page.getByTestId('group-name').first();
    await first.focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('tool call failed', { delay });
    const silent = group('false success').locator('[data-testid=group-member]', { hasText: NOTE_TRACE });
    await silent.getByTestId('member-move').selectOption({ label: 'a new group (split)' });
    await group('false success (split)').waitFor();
    await group('false success (split)').getByTestId('group-name').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('silent failure', { delay });
    await group('silent failure').getByTestId('group-definition').focus();
    await page.keyboard.type('The agent does not tell the user that something failed.', { delay });
    await screenshot(page, `error-analysis-proposals-${tag}`);
    await page.getByTestId('accept-all-groups').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('proposed-groups').waitFor({ state: 'detached', timeout: 15_000 });

    const row = (m: string) => page.locator(`[data-testid=mode-row][data-mode="${m}"]`);
    await row('silent failure').waitFor({ timeout: 15_000 });
    const counts = Object.fromEntries(
      await Promise.all(['wrong answer', 'tool call failed', 'false success', 'silent failure'].map(async (m) => [m, await row(m).getByTestId('mode-count').textContent()])),
    );
    expect(counts).toEqual({ 'wrong answer': '2', 'tool call failed': '1', 'false success': '1', 'silent failure': '1' });
    // 11 traces labelled pass or fail: 2 of 11 = 18%, 1 of 11 = 9.1%
    expect(await row('wrong answer').getByTestId('mode-rate').textContent()).toBe('18%');
    expect(await row('silent failure').getByTestId('mode-rate').textContent()).toBe('9.1%');
    expect(await page.locator(`[data-testid=note-row][data-mode="wrong answer"]`).count()).toBe(2);
    await screenshot(page, `error-analysis-modes-${tag}`);
  }, 180_000);

  it('shows the saturation curve, counts with Wilson intervals and the first-failure matrix', async () => {
    await page.getByTestId('labels-tab-analysis').click();
    await page.getByTestId('saturation-chart').waitFor({ timeout: 15_000 });
    // pxi.turn (reviewed first) brought three modes; the first wrong answer brought the fourth.
    const firstWrong = reviewed.findIndex((n) => n === 'popularity 3' || n === 'popularity 7') + 1;
    const points = reviewed.map((_, i) => (i + 1 < firstWrong ? 3 : 4)).join(',');
    expect(await page.getByTestId('saturation-chart').getAttribute('data-points')).toBe(points);
    expect(await page.getByTestId('new-mode-dot').count()).toBe(2);
    const since = 11 - firstWrong;
    expect(await page.getByTestId('saturation-progress').textContent()).toBe(
      `11 of 100 traces reviewed · 4 failure modes · ${since} trace${since === 1 ? '' : 's'} since the last new mode`,
    );
    const ci = (m: string) => page.locator(`[data-testid=mode-count-row][data-mode="${m}"] [data-testid=mode-count-ci]`).textContent();
    // Wilson 95%: 2 of 11 → [0.0514, 0.4770]; 1 of 11 → [0.0162, 0.3774] (worked in the unit test's way)
    expect(await ci('wrong answer')).toBe('5.1%–48%');
    expect(await ci('tool call failed')).toBe('1.6%–38%');

    // Where agents fail first: the wrong answers failed on their first step (the LLM call); the
    // Phoenix turn failed on add_spans_to_dataset right after an LLM call.
    const cell = (from: string, to: string) => page.locator(`[data-testid=matrix-cell][data-from="${from}"][data-to="${to}"]`);
    expect(await cell('(start)', 'llm').textContent()).toBe('2');
    expect(await cell('llm', 'add_spans_to_dataset').textContent()).toBe('1');
    expect(await page.getByTestId('matrix-cell').count()).toBe(2);
    await cell('(start)', 'llm').focus();
    await page.keyboard.press('Enter');
    const traces = page.getByTestId('matrix-trace');
    await traces.nth(1).waitFor();
    expect((await traces.allTextContents()).sort()).toEqual([POP(3), POP(7)]);
    await screenshot(page, `error-analysis-saturation-${tag}`);
    await traces.first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/trace/'));
    await page.locator('.tv-row[data-span-id=model-5] [data-testid=tree-first-failure]').waitFor({ timeout: 30_000 });
  }, 120_000);

  it('left no console errors, page errors, CSP violations or foreign requests', async () => {
    await collectCspViolations(page, problems);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], foreignRequests: [] });
  });
});
