import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, collectCspViolations, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { CHROMIUM, FIXTURES, REPO } from './support/paths';
import { startTestServer, type TestServer } from './support/server';

/**
 * Scenarios as a user lives them, driving only the UI: import real trace files and scenario
 * files (file input and drag and drop), see the trajectory overlay with its ratios from the trace
 * view and the Trajectory page; make a scenario from a trace, edit it in Monaco typing at full
 * speed and slowly, see a bad field named, save it and see the overlay follow.
 *
 * Traces (real files):
 * - Phoenix agent turn `openinference/phoenix-rest-spans-agent-turn-tools-error.json`, trace
 *   fixture-trace-1: root s01 00:00:00 → 00:00:35; 9 LLM spans (s02 s04 … s18, one model turn
 *   each) and 8 tool spans (s03 list_datasets, s05 list_datasets, s07 ask_user, s09
 *   create_dataset, s11 add_spans_to_dataset ERROR, s13 bash, s15 add_spans_to_dataset, s17
 *   get_route_info); input "can you save this trace to a dataset?".
 * - Pydantic AI joke generator `langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json`,
 *   trace 7a38edd8123db47ad8dcb8aa4c5e3926, tags ["example", "joke-generator"]: earliest
 *   observation 14:51:22.049, trace timestamp 22.053 + latency 7.424 s → ends 29.477, so 7.428 s;
 *   4 generations (22.053–24.415, 24.423–26.130, 26.133–27.416, 27.422–29.472) and 3 tools at
 *   24.416–24.422 (after turn 1 ended: all requested by turn 1), each with {"topic":"programming"}.
 * Scenarios (files):
 * - `scenarios/phoenix-save-trace-to-dataset.scenario.json` (attaches by input: its `input`
 *   equals the Phoenix turn's): 4 ideal steps, 3 ideal calls, 14 s, superset →
 *   step ratio 9/4 = 2.25, tool-call ratio 8/3 = 2.67, latency ratio 35/14 = 2.50,
 *   solve rate 4/35 = 0.114; correct (every ideal call made; extras allowed); rows in observed
 *   order: list_datasets matched, list_datasets extra, ask_user extra, create_dataset matched,
 *   add_spans (failed) extra, bash extra, add_spans matched (the successful retry), get_route_info extra.
 * - `tests/fixtures/scenarios/pydantic-joke-generator.scenario.json` (attaches by tag
 *   joke-generator): 3 ideal steps, 3 ideal calls, 5 s, unordered → step ratio 4/3 = 1.33,
 *   tool-call ratio 3/3 = 1.00, latency ratio 7.428/5 = 1.4856 → 1.49, solve rate 3/7.428 =
 *   0.404; correct (the 3 calls, no extra); rows: 3 matched.
 */
const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] scenario tests skipped: no Chromium at ${CHROMIUM}`);

const PHOENIX = join(FIXTURES, 'openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const PYDANTIC = join(FIXTURES, 'langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json');
const PHOENIX_SCENARIO = resolve(REPO, 'scenarios/phoenix-save-trace-to-dataset.scenario.json');
const JOKE_SCENARIO = join(FIXTURES, 'scenarios/pydantic-joke-generator.scenario.json');
const JOKE_TRACE = '7a38edd8123db47ad8dcb8aa4c5e3926';

describe.skipIf(skip)('scenarios in Chromium (browser mode), driven only through the UI', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let tmp: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-scenarios-'));
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const importItem = (file: string) => page.locator(`.import-item[data-import-file="${file}"]`);

  async function openFromLibrary(name: string, traceId: string): Promise<void> {
    await page.getByRole('button', { name: 'Library' }).click();
    await page.locator('.trace-row', { hasText: name }).first().click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=trace-view]')?.getAttribute('data-trace-id') === id, traceId, {
      timeout: 30_000,
    });
  }

  async function metricsOf(): Promise<Record<string, string>> {
    await page.locator('[data-testid=trajectory-overlay][data-state=ok] [data-testid=trajectory-metrics]').waitFor({ timeout: 30_000 });
    return page.$$eval('[data-testid=trajectory-metrics] [data-metric]', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-metric'), (e.querySelector('.v')?.textContent ?? '').trim()])),
    );
  }

  it('imports trace files and scenario files through the file input and by drag and drop', async () => {
    // One pick of four files: *.scenario.json go to the scenarios, the rest are traces.
    const bad = join(tmp, 'bad-mode.scenario.json');
    writeFileSync(bad, JSON.stringify({ id: 'bad', ideal: { steps: [{}], trajectoryMatch: 'fuzzy' } }));
    await page.getByTestId('import-input').setInputFiles([PHOENIX, PYDANTIC, PHOENIX_SCENARIO, bad]);
    await importItem('phoenix-save-trace-to-dataset.scenario.json').locator('.import-icon.good').waitFor({ timeout: 30_000 });
    await expect(importItem('phoenix-save-trace-to-dataset.scenario.json').textContent()).resolves.toContain('scenariosave-trace-to-dataset');
    // The bad file is rejected naming the file and the field; nothing of it is stored.
    await importItem('bad-mode.scenario.json').locator('.import-icon.bad').waitFor({ timeout: 30_000 });
    await expect(importItem('bad-mode.scenario.json').locator('.import-error').textContent()).resolves.toBe(
      'bad-mode.scenario.json: ideal.trajectoryMatch: Invalid option: expected one of "strict"|"unordered"|"subset"|"superset"',
    );
    await importItem('phoenix-rest-spans-agent-turn-tools-error.json').locator('.import-icon.good').waitFor({ timeout: 30_000 });
    await importItem('langfuse-pydantic-ai-tools-2025-12-04.trace.json').locator('.import-icon.good').waitFor({ timeout: 30_000 });

    // The joke scenario is dropped on the window.
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'pydantic-joke-generator.scenario.json', { type: 'application/json' }));
      return d;
    }, readFileSync(JOKE_SCENARIO, 'utf8'));
    await page.dispatchEvent('.status-bar', 'dragenter', { dataTransfer: dt });
    await page.locator('.drop-overlay').waitFor();
    await page.dispatchEvent('.status-bar', 'drop', { dataTransfer: dt });
    await importItem('pydantic-joke-generator.scenario.json').locator('.import-icon.good').waitFor({ timeout: 30_000 });

    // The Scenarios page lists both, with how each attaches to traces.
    await page.getByTestId('tab-scenarios').click();
    await page.locator('[data-testid=scenarios-table] tr[data-scenario]').nth(1).waitFor({ timeout: 30_000 });
    const rows = await page.$$eval('[data-testid=scenarios-table] tbody tr', (trs) =>
      trs.map((r) => [...r.querySelectorAll('td')].slice(0, 7).map((c) => (c.textContent ?? '').trim())),
    );
    expect(rows).toEqual([
      ['joke-generator', 'Write a programming joke from three kinds of inspiration', '3', '3', '5 s', 'unordered · args exact', 'scenario.id = joke-generator · tag joke-generator'],
      ['save-trace-to-dataset', 'Save the current trace to a dataset', '4', '3', '14 s', 'superset · args superset', 'scenario.id = save-trace-to-dataset · input equals'],
    ]);
    await screenshot(page, 'scenarios-list');
  });

  it('shows the overlay with its ratios from the trace view and on the Trajectory page (attached by input)', async () => {
    await openFromLibrary('pxi.turn', 'fixture-trace-1');
    // Trace header: 9/4, 8/3, 35/14 (see the file comment).
    await page.getByTestId('trajectory-chip').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('trajectory-chip').textContent()).toBe(' ✓ steps 2.25× · calls 2.67× · latency 2.50×');
    await screenshot(page, 'scenarios-trace-header');
    await page.getByTestId('trajectory-link').click();
    await page.waitForFunction(() => window.location.hash === '#/trace/fixture-trace-1/trajectory');
    expect(await metricsOf()).toEqual({ correct: '✓ correct', 'step-ratio': '2.25', 'tool-call-ratio': '2.67', 'latency-ratio': '2.50', 'solve-rate': '0.114' });
    expect(await page.locator('.traj-head').textContent()).toContain('matched by input');
    const statuses = await page.$$eval('[data-testid=trajectory-rows] tr[data-status]', (trs) => trs.map((t) => t.getAttribute('data-status')));
    expect(statuses).toEqual(['matched', 'extra', 'extra', 'matched', 'extra', 'extra', 'matched', 'extra']);
    await screenshot(page, 'scenarios-trajectory-by-input');
  });

  it('attaches by tag: the Pydantic AI trace against the joke scenario', async () => {
    await openFromLibrary('joke-generator', JOKE_TRACE);
    await page.getByTestId('trajectory-chip').waitFor({ timeout: 30_000 });
    // 4/3, 3/3, 7.428/5
    expect(await page.getByTestId('trajectory-chip').textContent()).toBe(' ✓ steps 1.33× · calls 1.00× · latency 1.49×');
    await page.getByTestId('trajectory-link').click();
    expect(await metricsOf()).toEqual({ correct: '✓ correct', 'step-ratio': '1.33', 'tool-call-ratio': '1.00', 'latency-ratio': '1.49', 'solve-rate': '0.404' });
    expect(await page.locator('.traj-head').textContent()).toContain('matched by tag joke-generator');
    const rows = await page.$$eval('[data-testid=trajectory-rows] tr[data-status]', (trs) =>
      trs.map((t) => `${t.getAttribute('data-status')} ${(t.querySelectorAll('td')[4]?.textContent ?? '').trim()}`),
    );
    expect(rows.sort()).toEqual(['matched get_dad_joke_suggestion', 'matched get_one_liner_suggestion', 'matched get_pun_suggestion']);
    await screenshot(page, 'scenarios-trajectory-by-tag');
  });

  async function editorText(): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scenario-download').click()]);
    const file = join(tmp, `download-${Date.now()}.json`);
    await download.saveAs(file);
    return readFileSync(file, 'utf8');
  }

  /** Put the caret on line `line` (1-based), at its end: a click into the editor, then keys. */
  async function caretToLineEnd(line: number): Promise<void> {
    await page.locator('[data-testid=scenario-source] .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+Home');
    for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
  }

  it('makes a scenario from a trace, edits it in Monaco (delay 0 and 30 ms/key), names a bad field, saves', async () => {
    await openFromLibrary('joke-generator', JOKE_TRACE);
    await page.getByTestId('use-as-ideal').click();
    await page.getByTestId('from-trace-dialog').waitFor();
    await page.getByTestId('from-trace-id').fill('joke-from-trace');
    await page.getByTestId('from-trace-name').fill('Joke ideal');
    await page.getByTestId('from-trace-mode').selectOption('unordered');
    await page.getByTestId('from-trace-args').selectOption('superset');
    await page.getByTestId('from-trace-attach').selectOption('tag');
    await page.getByTestId('from-trace-tag').fill('example');
    await screenshot(page, 'scenarios-from-trace-dialog');
    await page.getByTestId('from-trace-create').click();
    await page.waitForFunction(() => window.location.hash === '#/scenarios/joke-from-trace');
    await page.locator('[data-testid=scenario-source][data-ready=true] .monaco-editor textarea').waitFor({ state: 'attached', timeout: 30_000 });

    // What the trace made: 4 model turns → 4 steps; turn 1 requested the 3 tools at once.
    const original = await editorText();
    const made = JSON.parse(original);
    expect(made).toMatchObject({
      id: 'joke-from-trace',
      name: 'Joke ideal',
      match: { attribute: 'scenario.id', tag: 'example' },
      ideal: { latencySeconds: 7.428, trajectoryMatch: 'unordered', argMatch: 'superset', toolArgMatch: {} },
    });
    expect(made.input).toBeUndefined();
    expect(made.ideal.steps.map((s: { calls: unknown[]; parallel: boolean }) => [s.calls.length, s.parallel])).toEqual([
      [3, true],
      [0, false],
      [0, false],
      [0, false],
    ]);
    expect(made.ideal.steps[0].calls.map((c: { tool: string }) => c.tool).sort()).toEqual([
      'get_dad_joke_suggestion',
      'get_one_liner_suggestion',
      'get_pun_suggestion',
    ]);
    for (const c of made.ideal.steps[0].calls) expect(c.args).toEqual({ topic: 'programming' });
    const lines = original.split('\n');
    expect(lines[2]).toBe('  "name": "Joke ideal",');

    // Type at full speed inside the name (before the closing quote), then slowly inside the id.
    await caretToLineEnd(3);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const fast = ' typed at full speed, no delay between keys';
    await page.keyboard.type(fast, { delay: 0 });
    await caretToLineEnd(2);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    const slow = '-v2 slowly';
    await page.keyboard.type(slow, { delay: 30 });
    // Exactly what was typed, where it was typed; every other line untouched.
    const expected = [...lines];
    expected[1] = `  "id": "joke-from-trace${slow}",`;
    expected[2] = `  "name": "Joke ideal${fast}",`;
    await page.waitForFunction(() => document.querySelector('[data-testid=scenario-save-state]')?.textContent === 'unsaved changes');
    expect(await editorText()).toBe(expected.join('\n'));

    // A bad field: a negative ideal latency. Named in the issues list and squiggled in the editor.
    const latencyLine = lines.findIndex((l) => l.includes('"latencySeconds": 7.428')) + 1;
    expect(latencyLine).toBeGreaterThan(3);
    await caretToLineEnd(latencyLine);
    await page.keyboard.press('ArrowLeft'); // before the ','
    for (let i = 0; i < '7.428'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('-1', { delay: 0 });
    await page.locator('[data-testid=scenario-issues] li[data-path="ideal.latencySeconds"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=scenario-issues] li').allTextContents()).toEqual([
      'ideal.latencySeconds: Too small: expected number to be >0',
    ]);
    await page.locator('[data-testid=scenario-source] .squiggly-error').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'scenarios-editor-bad-field');
    // Saving invalid text stores nothing.
    await page.getByTestId('scenario-save').click();
    await page.locator('[data-testid=scenario-issues] li[data-path="ideal.latencySeconds"]').waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/scenarios/joke-from-trace');

    // Fix it (6.5 s) and save: the id changed, so the scenario is replaced under its new id.
    await caretToLineEnd(latencyLine);
    await page.keyboard.press('ArrowLeft'); // before the ','
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('6.5', { delay: 30 });
    await page.waitForFunction(() => document.querySelector('[data-testid=scenario-issues]')?.getAttribute('data-count') === '0', null, {
      timeout: 30_000,
    });

    // Completion from the JSON Schema: on the trajectoryMatch value, the four modes.
    await caretToLineEnd(latencyLine + 1);
    expect(lines[latencyLine]).toBe('    "trajectoryMatch": "unordered",');
    await page.keyboard.press('ArrowLeft'); // before the ','
    for (let i = 0; i < '"unordered"'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget.visible .monaco-list-row');
    await suggestions.first().waitFor({ timeout: 30_000 });
    const labels = (await suggestions.evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''))).join(' | ');
    for (const mode of ['"strict"', '"unordered"', '"subset"', '"superset"']) expect(labels).toContain(mode);
    await screenshot(page, 'scenarios-editor-completion');
    await page.keyboard.press('Escape');
    await page.getByTestId('scenario-save').click();
    await page.waitForFunction(() => window.location.hash === '#/scenarios/joke-from-trace-v2%20slowly');
    await page.locator('[data-testid=scenario-editor-route][data-state=ok]').waitFor();
    await page.locator('[data-testid=scenario-source][data-ready=true]').waitFor({ timeout: 30_000 });
    const stored = JSON.parse(await editorText());
    expect(stored.id).toBe('joke-from-trace-v2 slowly');
    expect(stored.name).toBe(`Joke ideal${fast}`);
    expect(stored.ideal.latencySeconds).toBe(6.5);
    await screenshot(page, 'scenarios-editor-saved');

    await page.getByTestId('tab-scenarios').click();
    await page.locator('[data-testid=scenarios-table] tr[data-scenario]').nth(2).waitFor();
    expect(await page.$$eval('[data-testid=scenarios-table] tr[data-scenario]', (trs) => trs.map((t) => t.getAttribute('data-scenario')))).toEqual([
      'joke-from-trace-v2 slowly',
      'joke-generator',
      'save-trace-to-dataset',
    ]);

    // Both scenarios attach to the joke trace by tag; the smaller id wins: the new one.
    // 4 turns / 4 steps, 3 / 3 calls, 7.428 / 6.5 s = 1.1428 → 1.14; superset args: equal args match.
    await openFromLibrary('joke-generator', JOKE_TRACE);
    await page.getByTestId('trajectory-chip').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('trajectory-chip').textContent()).toBe(' ✓ steps 1.00× · calls 1.00× · latency 1.14×');
  });

  it('no console errors, page errors, CSP violations or foreign requests', async () => {
    await collectCspViolations(page, problems);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], foreignRequests: [] });
  });
});
