import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JudgeStore, type NewVerdict } from '../../src/core/store/judges';
import type { VerdictStatus } from '../../src/core/judges/types';
import { phoenixSpans, writePhoenixVariant } from '../helpers/phoenixVariants';
import {
  chromiumAvailable,
  collectCspViolations,
  imageStats,
  launchChromium,
  openPage,
  screenshot,
  type PageProblems,
} from './support/browser';
import { CHROMIUM, REPO } from './support/paths';
import { startTestServer, type TestServer } from './support/server';

/**
 * Verdict diff, agent versions, side by side and the trajectory overlay in Chromium against a
 * real server. Data: two "agent versions" of the real Phoenix agent turn (see
 * tests/helpers/phoenixVariants.ts) — v2.0 skips the failed add_spans_to_dataset call and the
 * look-up after it but burns three times the tokens — plus a second task (same turn, another
 * input) in both versions, the example scenario (imported through the app's file input), and
 * two judge runs written through the judges store, one per version.
 */
const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] compare tests skipped: no Chromium at ${CHROMIUM}`);

const SCENARIO_FILE = resolve(REPO, 'scenarios/phoenix-save-trace-to-dataset.scenario.json');
const OTHER_INPUT = 'Please put this trace in the golden_examples dataset';
const DROP_V2 = ['s10', 's11', 's12', 's13'];

function tokens(drop: string[] = [], scale = 1): number {
  let n = 0;
  for (const s of phoenixSpans()) {
    if (drop.includes(s.context.span_id)) continue;
    n += ((s.attributes['llm.token_count.prompt'] as number) ?? 0) + ((s.attributes['llm.token_count.completion'] as number) ?? 0);
  }
  return n * scale;
}

describe.skipIf(skip)('compare views in Chromium (browser mode)', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let tmp: string;
  let runA: number;
  let runB: number;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-compare-'));
    srv = await startTestServer();
    const b = srv.server.backend;
    const files = [
      writePhoenixVariant(tmp, 'turn-v1.json', { traceId: 'turn-v1', rootAttributes: { 'gen_ai.agent.version': '1.0' } }),
      writePhoenixVariant(tmp, 'turn-v2.json', { traceId: 'turn-v2', rootAttributes: { 'gen_ai.agent.version': '2.0' }, drop: DROP_V2, tokenScale: 3 }),
      writePhoenixVariant(tmp, 'other-v1.json', { traceId: 'other-v1', rootAttributes: { 'gen_ai.agent.version': '1.0' }, input: OTHER_INPUT }),
      writePhoenixVariant(tmp, 'other-v2.json', { traceId: 'other-v2', rootAttributes: { 'gen_ai.agent.version': '2.0' }, input: OTHER_INPUT, drop: ['s04', 's05'] }),
    ];
    const out = await b.importPaths(files);
    expect(out.every((o) => o.ok)).toBe(true);

    // Two judge runs, one per version, as the judge runner stores them.
    const ws = b.workspace;
    const store = new JudgeStore(ws);
    const v = (judgeId: string, traceId: string, status: VerdictStatus, rationale: string, error?: string): NewVerdict => ({
      judgeId,
      judgeHash: `${judgeId}-h1`,
      traceId,
      traceImportId: null,
      cached: false,
      outcome: { status, rationale, evidenceSpanIds: [], durationMs: 3, model: null, ...(error ? { error } : {}) },
    });
    await ws.exclusive(async () => {
      runA = store.createRun('judges on 1.0', {}, [], 6, null).id;
      store.insertVerdicts(runA, [
        v('no-tool-errors', 'turn-v1', 'fail', 'add_spans_to_dataset (s11) failed: "an unexpected error occurred"; the agent retried with another span id.'),
        v('token-budget', 'turn-v1', 'pass', `${tokens()} tokens, under the 500k budget.`),
        v('answer-links-dataset', 'turn-v1', 'pass', 'The answer links /datasets/fixture-dataset-4/examples.'),
        v('no-tool-errors', 'other-v1', 'fail', 'add_spans_to_dataset (s11) failed.'),
        v('token-budget', 'other-v1', 'pass', `${tokens()} tokens, under the 500k budget.`),
        v('answer-links-dataset', 'other-v1', 'error', '', 'judge timed out after 60 s'),
      ]);
      store.finishRun(runA, 'done');
      runB = store.createRun('judges on 2.0', {}, [], 6, null).id;
      store.insertVerdicts(runB, [
        v('no-tool-errors', 'turn-v2', 'pass', 'All 6 tool calls succeeded.'),
        v('token-budget', 'turn-v2', 'fail', `${tokens(DROP_V2, 3)} tokens, over the 500k budget.`),
        v('answer-links-dataset', 'turn-v2', 'pass', 'The answer links /datasets/fixture-dataset-4/examples.'),
        v('no-tool-errors', 'other-v2', 'fail', 'add_spans_to_dataset (s11) failed.'),
        v('token-budget', 'other-v2', 'pass', `${tokens(['s04', 's05'])} tokens, under the 500k budget.`),
        v('answer-links-dataset', 'other-v2', 'pass', 'The answer links the dataset page.'),
      ]);
      store.finishRun(runB, 'done');
    });

    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
    // The example scenario comes in the way a user brings it: the app's own file input.
    await page.getByTestId('import-input').setInputFiles(SCENARIO_FILE);
    const item = page.locator('.import-item[data-import-file="phoenix-save-trace-to-dataset.scenario.json"]');
    await item.locator('.import-icon.good').waitFor({ timeout: 30_000 });
    await expect(item.textContent()).resolves.toContain('save-trace-to-dataset');
    await page.getByRole('button', { name: 'Close imports panel' }).click();
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('verdict diff: per-judge deltas with McNemar p, flips with rationale before/after, links to both traces', async () => {
    await page.getByTestId('tab-diff').click();
    await page.getByTestId('verdict-diff').waitFor();
    await page.getByTestId('diff-a').selectOption(String(runA));
    await page.getByTestId('diff-b').selectOption(String(runB));
    await page.locator('[data-testid=judge-table] tr[data-judge]').first().waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe(`#/diff?a=${runA}&b=${runB}`);

    const judges = await page.$$eval('[data-testid=judge-table] tr[data-judge]', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((c) => (c.textContent ?? '').trim())),
    );
    // runs judged different traces → paired by scenario / input: 2 pairs per judge
    expect(judges.map((r) => r[0])).toEqual(['answer-links-dataset', 'no-tool-errors', 'token-budget']);
    const tools = judges.find((r) => r[0] === 'no-tool-errors')!;
    // 0/2 → 1/2: +50 pp, one fail→pass, exact McNemar p = 1 with one discordant pair
    expect(tools.slice(1, 8)).toEqual(['2', '0.0%', '50.0%', '+50.0 pp', '1.000', '0', '1']);
    const budget = judges.find((r) => r[0] === 'token-budget')!;
    expect(budget.slice(1, 8)).toEqual(['2', '100.0%', '50.0%', '−50.0 pp', '1.000', '1', '0']);
    await expect(page.getByTestId('diff-summary').textContent()).resolves.toContain('paired by scenario / input');

    const flips = page.locator('[data-testid=flips] .cmp-flip');
    expect(await flips.count()).toBe(3);
    const regress = page.locator('[data-testid=flips] .cmp-flip[data-kind="pass→fail"]');
    await expect(regress.locator('.cmp-rationale').first().textContent()).resolves.toBe(`${tokens()} tokens, under the 500k budget.`);
    await expect(regress.locator('.cmp-rationale').nth(1).textContent()).resolves.toBe(`${tokens(DROP_V2, 3)} tokens, over the 500k budget.`);
    expect(await regress.locator('.cmp-trace-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      '#/trace/turn-v1',
      '#/trace/turn-v2',
    ]);
    const fixed = page.locator('[data-testid=flips] .cmp-flip[data-kind="error-fixed"]');
    await expect(fixed.locator('.cmp-rationale').first().textContent()).resolves.toBe('judge timed out after 60 s');

    const shot = await screenshot(page, 'compare-verdict-diff');
    const stats = await imageStats(browser, shot.png);
    expect(stats.colours).toBeGreaterThan(20);

    // click through to trace A
    await regress.locator('.cmp-trace-link').first().click();
    await page.waitForFunction(() => window.location.hash === '#/trace/turn-v1');
    await page.getByTestId('trace-route').waitFor();
  });

  it('agent versions: summary per version, regression flagged while judges pass, pairs', async () => {
    await page.getByTestId('tab-versions').click();
    await page.getByTestId('versions-view').waitFor();
    await page.locator('[data-testid=versions-table] tr[data-version="1.0"]').waitFor();
    await page.locator('tr[data-version="1.0"] input[name=version-a]').check();
    await page.locator('tr[data-version="2.0"] input[name=version-b]').check();
    await page.locator('[data-testid=pairs-table] tr[data-pair]').first().waitFor();

    const rows = await page.$$eval('[data-testid=versions-table] tbody tr', (trs) =>
      trs.map((r) => [...r.querySelectorAll('td')].slice(2).map((c) => (c.textContent ?? '').trim())),
    );
    // Version | Traces | Correct | Step ratio | Tool-call ratio | Latency ratio | Solve rate | …
    // 1.0: turn-v1 (9 turns, 8 calls, 35 s) and other-v1 (same spans, matched only by input hash → no scenario)
    expect(rows[0]!.slice(0, 6)).toEqual(['1.0', '2', '100%', '2.25×', '2.67×', '2.50×']);
    // 2.0: turn-v2 has 7 turns, 6 calls, 27 s: 1.75, 2.00, 27/14 = 1.93
    expect(rows[1]!.slice(0, 6)).toEqual(['2.0', '2', '100%', '1.75×', '2.00×', '1.93×']);

    const regressions = (await page.getByTestId('regressions').textContent()) ?? '';
    const meanA = (tokens() + tokens()) / 2;
    const meanB = (tokens(DROP_V2, 3) + tokens(['s04', 's05'])) / 2;
    expect(meanB / meanA).toBeLessThan(2);
    const pairs = await page.$$eval('[data-testid=pairs-table] tr[data-pair]', (trs) => trs.map((r) => r.getAttribute('data-pair')));
    expect(pairs).toHaveLength(2);
    expect(pairs).toContain('scenario:save-trace-to-dataset');
    const scenarioRow = page.locator('[data-testid=pairs-table] tr[data-pair="scenario:save-trace-to-dataset"]');
    await expect(scenarioRow.locator('.cmp-flag').allTextContents()).resolves.toEqual(['tokens', 'judges']);
    // the mean grows ×1.6 only, but the scenario task's tokens grew ×2.33 while its judges still pass
    expect(regressions).toContain(`tokens ×${(tokens(DROP_V2, 3) / tokens()).toFixed(2)} on 1 of 2 paired tasks`);

    await screenshot(page, 'compare-versions');
  });

  it('side by side: both trees and timelines on one axis, metric and verdict deltas', async () => {
    await page.locator('[data-testid=pairs-table] tr[data-pair="scenario:save-trace-to-dataset"] [data-testid=pair-open]').click();
    await page.getByTestId('side-by-side').waitFor();
    await page.locator('[data-testid=side-by-side][data-state=ok]').waitFor();
    await page.getByTestId('pair-facts').waitFor();
    await page.locator('[data-testid=pane-A] [role=treeitem]').first().waitFor();
    await page.locator('[data-testid=pane-B] [role=treeitem]').first().waitFor();
    expect(await page.getAttribute('[data-testid=pane-A]', 'data-trace-id')).toBe('turn-v1');
    expect(await page.getAttribute('[data-testid=pane-B]', 'data-trace-id')).toBe('turn-v2');
    // both trees show every span (18 and 14, nothing collapsed at this size)
    expect(await page.locator('[data-testid=pane-A] [data-testid=span-tree]').getAttribute('data-rows')).toBe('18');
    expect(await page.locator('[data-testid=pane-B] [data-testid=span-tree]').getAttribute('data-rows')).toBe('14');
    const tokenMetric = (await page.locator('[data-metric=Tokens]').textContent()) ?? '';
    expect(tokenMetric).toContain(`+${Math.round(((tokens(DROP_V2, 3) - tokens()) / tokens()) * 100)}%`);
    await page.waitForTimeout(300); // let both canvases draw
    const shot = await screenshot(page, 'compare-side-by-side');
    expect((await imageStats(browser, shot.png)).nonBackground).toBeGreaterThan(0.05);
  });

  it('trajectory overlay of a trace against its scenario', async () => {
    // from the trace view's header
    await page.goto(`${srv.url}/#/trace/turn-v1`);
    await page.getByTestId('trajectory-link').click();
    await page.waitForFunction(() => window.location.hash === '#/trace/turn-v1/trajectory');
    await page.locator('[data-testid=trajectory-overlay][data-state=ok]').waitFor();
    const metrics = (await page.getByTestId('trajectory-metrics').textContent()) ?? '';
    expect(metrics).toContain('✓ correct');
    expect(metrics).toContain('2.25');
    expect(metrics).toContain('2.67');
    expect(metrics).toContain('2.50');
    expect(metrics).toContain('0.114');
    const statuses = await page.$$eval('[data-testid=trajectory-rows] tr[data-status]', (trs) => trs.map((t) => t.getAttribute('data-status')));
    expect(statuses).toEqual(['matched', 'extra', 'extra', 'matched', 'extra', 'extra', 'matched', 'extra']);
    await screenshot(page, 'compare-trajectory');
  });

  it('no console errors, page errors, CSP violations or foreign requests', async () => {
    await collectCspViolations(page, problems);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], foreignRequests: [] });
  });
});
