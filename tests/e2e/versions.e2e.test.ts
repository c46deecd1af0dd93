import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runName, runTraceId, TASK_INPUTS, writeRepeatedRuns } from '../helpers/repeatedRuns';
import { chromiumAvailable, collectCspViolations, imageStats, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { CHROMIUM } from './support/paths';
import { startTestServer, type TestServer } from './support/server';

/**
 * Comparing two agent versions that ran each task several times, driven only through the UI:
 * import the two generated OTLP files (tests/helpers/repeatedRuns.ts) with the file input,
 * create and run the starter "no tool errors" code judge, open Versions, read the regression,
 * the per-criterion and per-task tables, flaky flags and the p-value, then open the most telling
 * pair side by side and pick another run.
 *
 * Expected, worked out by hand from the generated runs (v1 → v2):
 *   refund   5/6 → 4/8 (the case: 1 of 6 failing tool → 4 of 8)   Δ −33.3 pp, flaky in both
 *   weather  4/4 → 0/4                                                    Δ −100 pp, not flaky
 *   summary  4/4 → 4/4                                                    Δ 0
 *   only in v1: translate (1/1); only in v2: booking (2/2)
 *   A failing tool makes the trace status error and the judge fail, so 'all criteria', 'run
 *   outcome' and 'no-tool-errors' agree: pass rate (5/6 + 1 + 1)/3 = 94.4% → (1/2 + 0 + 1)/3 =
 *   50.0%, Δ −44.4 pp, exact paired permutation p = 1047/210210 = 0.00498 → "0.005 **"
 *   (derivation: tests/unit/stats/repeatedRunsStats.test.ts).
 *   k = 4 (fewest runs of a paired task): pass^4 refund C(5,4)/C(6,4) = 33% → C(4,4)/C(8,4) = 1%,
 *   version means (1/3 + 2)/3 = 77.8% → (1/70 + 1)/3 = 33.8%; pass@4 100.0% → (69/70 + 1)/3 = 66.2%.
 *   k = 2: refund pass^2 C(5,2)/C(6,2) = 67% → C(4,2)/C(8,2) = 21%.
 *   Most telling refund pair: v1 run 1 (first passing) beside v2 run 2 (first failing).
 */
const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] versions tests skipped: no Chromium at ${CHROMIUM}`);

const JUDGE = 'no-tool-errors';

async function cells(page: Page, selector: string): Promise<string[][]> {
  return page.$$eval(selector, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => (c.textContent ?? '').trim())));
}

describe.skipIf(skip)('agent versions with repeated runs, UI only', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let tmp: string;
  let files: [string, string];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-versions-'));
    files = writeRepeatedRuns(tmp);
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

  it('imports both versions through the file input', async () => {
    await page.getByTestId('import-input').setInputFiles(files);
    // 15 + 18 runs
    await page.waitForFunction(() => document.querySelector('[data-testid=trace-count]')?.textContent?.trim().startsWith('33 traces'), null, {
      timeout: 60_000,
    });
    await page.getByRole('button', { name: 'Close imports panel' }).click();
  });

  it('creates the starter code judge and runs it over every trace', async () => {
    await page.getByTestId('tab-judges').click();
    await page.getByTestId('new-judge-code').click();
    await page.locator('[data-testid=judge-source][data-ready=true]').waitFor({ timeout: 60_000 });
    const id = page.getByTestId('judge-id');
    await id.fill('');
    await id.click();
    await page.keyboard.type(JUDGE, { delay: 0 });
    expect(await id.inputValue()).toBe(JUDGE);
    await page.getByTestId('judge-save').click();
    await page.waitForFunction((j) => location.hash === `#/judges/j/${j}`, JUDGE, { timeout: 30_000 });
    await page.getByTestId('judges-tab-runs').click();
    await page.getByTestId('run-panel').waitFor();
    await page.getByTestId(`run-judge-${JUDGE}`).check();
    await page.getByTestId('run-start').click();
    await page.locator('[data-testid=run-view][data-status=done]').waitFor({ timeout: 120_000 });
  });

  it('Versions shows the regression over every run: criteria, tasks, flaky flags, p-value', async () => {
    await page.getByTestId('tab-versions').click();
    await page.getByTestId('versions-view').waitFor();
    // Retype the version attribute slowly (30 ms a key): the grouping follows what was typed.
    const key = page.getByTestId('group-by-key');
    await key.fill('');
    await key.click();
    await page.keyboard.type('gen_ai.agent.version', { delay: 30 });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=versions-table] tr[data-version="v1"]').waitFor({ timeout: 30_000 });
    await page.locator('tr[data-version="v1"] input[name=version-a]').check();
    await page.locator('tr[data-version="v2"] input[name=version-b]').check();
    await page.locator('[data-testid=criteria-table] tr[data-criterion]').first().waitFor({ timeout: 30_000 });

    const regressions = (await page.getByTestId('regressions').textContent()) ?? '';
    expect(regressions).toContain('pass rate 94.4% → 50.0% (Δ −44.4 pp');
    expect(regressions).toContain('p = 0.005) over 3 tasks, 14 + 16 runs');

    const criteria = await cells(page, '[data-testid=criteria-table] tr[data-criterion]');
    expect(criteria.map((r) => r[0])).toEqual(['All criteria', 'Run outcome', JUDGE]);
    for (const r of criteria) {
      // Criterion | Tasks | Runs A/B | Pass A | Pass B | Δ | CI | p | pass@4 | pass^4 | Flaky
      expect(r.slice(1, 6)).toEqual(['3', '14 / 16', '94.4%', '50.0%', '−44.4 pp']);
      expect(r[7]).toBe('0.005**');
      expect(r.slice(8)).toEqual(['100.0% → 66.2%', '77.8% → 33.8%', '1 / 1']);
    }
    expect(await page.getByTestId('k-select').inputValue()).toBe('4');

    const tasks = await cells(page, '[data-testid=tasks-table] tr[data-task]');
    expect(tasks.map((r) => r[0])).toEqual([TASK_INPUTS.weather, TASK_INPUTS.refund, TASK_INPUTS.summary]);
    const refund = page.locator('[data-testid=tasks-table] tr[data-task]').nth(1);
    // every run a mark: v1 ✓✓✗✓✓✓, v2 ✓✗✓✗✓✗✓✗
    expect(await refund.getByTestId('runs-A').textContent()).toBe('✓✓✗✓✓✓');
    expect(await refund.getByTestId('runs-B').textContent()).toBe('✓✗✓✗✓✗✓✗');
    expect(tasks[1]!.slice(3, 6)).toEqual(['5/6 → 4/8', '−33.3 pp', '33% → 1%']);
    expect(await refund.getByTestId('task-flaky').textContent()).toBe('flaky Aflaky B');
    expect(tasks[0]!.slice(3, 7)).toEqual(['4/4 → 0/4', '−100.0 pp', '100% → 0%', '']);
    // median latency of refund: v1 runs last 1.0…1.5 s → 1.25 s; v2 1.5…2.2 s → 1.85 s
    expect(tasks[1]![7]).toBe('1.25s → 1.85s');
    const unpaired = (await page.getByTestId('unpaired-tasks').textContent()) ?? '';
    expect(unpaired).toContain(`Only in v1: ${TASK_INPUTS.translate} (1/1 passed)`);
    expect(unpaired).toContain(`Only in v2: ${TASK_INPUTS.booking} (2/2 passed)`);

    await page.getByTestId('repeated-runs').scrollIntoViewIfNeeded();
    const shot = await screenshot(page, 'versions-repeated-runs');
    expect((await imageStats(browser, shot.png)).colours).toBeGreaterThan(20);

    // k = 2: refund pass^2 C(5,2)/C(6,2) = 67% → C(4,2)/C(8,2) = 21%
    await page.getByTestId('k-select').selectOption('2');
    await page.waitForFunction(() => document.querySelector('[data-testid=criteria-table] th:nth-child(10)')?.textContent === 'pass^2 A → B', null, {
      timeout: 30_000,
    });
    const tasks2 = await cells(page, '[data-testid=tasks-table] tr[data-task]');
    expect(tasks2[1]![5]).toBe('67% → 21%');
  });

  it('side by side opens the most telling pair and lets the user pick another run', async () => {
    const refund = page.locator('[data-testid=tasks-table] tr[data-task]').nth(1);
    await refund.getByTestId('task-open').click();
    await page.locator('[data-testid=side-by-side][data-state=ok]').waitFor({ timeout: 30_000 });
    await page.getByTestId('run-pickers').waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('[data-testid=pane-A]', 'data-trace-id')).toBe(runTraceId(1, 'refund', 0));
    expect(await page.getAttribute('[data-testid=pane-B]', 'data-trace-id')).toBe(runTraceId(2, 'refund', 1));
    expect(await page.getByTestId('pick-run-A').inputValue()).toBe(runTraceId(1, 'refund', 0));
    expect(await page.getByTestId('pick-run-B').inputValue()).toBe(runTraceId(2, 'refund', 1));
    const optionsB = await page.locator('[data-testid=pick-run-B] option').allTextContents();
    expect(optionsB).toHaveLength(8);
    expect(optionsB[1]).toBe(`run 2 · failed (outcome, ${JUDGE}) · ${runName('refund', 1)}`);
    expect(optionsB[2]).toBe(`run 3 · passed · ${runName('refund', 2)}`);
    await page.locator('[data-testid=pane-B] [role=treeitem]').first().waitFor();
    await page.waitForTimeout(300); // let both canvases draw
    await screenshot(page, 'versions-side-by-side-telling');

    // Pick the failing v1 run instead (run 3).
    await page.getByTestId('pick-run-A').selectOption(runTraceId(1, 'refund', 2));
    await page.waitForFunction((id) => document.querySelector('[data-testid=pane-A]')?.getAttribute('data-trace-id') === id, runTraceId(1, 'refund', 2), {
      timeout: 30_000,
    });
    await page.locator('[data-testid=side-by-side][data-state=ok]').waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('[data-testid=pane-B]', 'data-trace-id')).toBe(runTraceId(2, 'refund', 1));
    const status = await page.locator('[data-metric=Status]').textContent();
    expect(status).toContain('error');
    await page.waitForTimeout(300);
    await screenshot(page, 'versions-side-by-side-picked');
  });

  it('the verdict diff of the versions shows the judge regression too', async () => {
    await page.goBack();
    await page.goBack();
    await page.getByTestId('versions-verdict-diff').click();
    await page.locator('[data-testid=judge-table] tr[data-judge]').first().waitFor({ timeout: 30_000 });
    const judges = await cells(page, '[data-testid=judge-table] tr[data-judge]');
    // tasks judged in both | 94.4% | 50.0% | −44.4 pp | p | tasks fell | tasks rose
    expect(judges[0]!.slice(0, 8)).toEqual([JUDGE, '3', '94.4%', '50.0%', '−44.4 pp', '0.005 **', '2', '0']);
    expect(await page.locator('[data-testid=flips] .cmp-flip[data-kind="pass→fail"]').count()).toBe(2);
    await screenshot(page, 'versions-verdict-diff');
    // A flip opens its task side by side, with the run pickers.
    await page.locator('[data-testid=flips] .cmp-flip[data-kind="pass→fail"]').first().getByText('side by side →').click();
    await page.getByTestId('run-pickers').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=pick-run-A] option').count()).toBeGreaterThan(1);
  });

  it('loaded nothing from outside the app and broke no CSP rule', async () => {
    await collectCspViolations(page, problems);
    expect(problems.cspViolations).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });
});
