import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  collectCspViolations,
  imageStats,
  launchChromium,
  openPage,
  screenshot,
  type PageProblems,
} from './support/browser';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';

// Fixtures: the Inspect AI popularity .eval (10 samples 'popularity 1'..'popularity 10'; its
// `match` scorer marked 3 and 7 incorrect — answer "No", target " Yes" — and the rest correct)
// and the Phoenix agent turn 'pxi.turn' (18 spans, the add_spans_to_dataset tool call failed,
// yet the final answer says "Done!").
const POPULARITY = join(FIXTURES, 'inspect-ai/inspect-popularity-10samples.eval');
const PHOENIX = join(FIXTURES, 'openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;

// A code judge reproducing the scorer: pass when the final answer equals metadata.target. On
// 'pxi.turn' there is no target, so it fails.
const JUDGE_ID = 'answer-match';
const JUDGE = `
export const meta = { name: 'Answer matches target' };
export default function (trace) {
  const target = String(trace.info.metadata.target ?? '').trim();
  const answer = String(trace.info.output ?? '').trim();
  if (!target) return { pass: false, rationale: 'no target to compare the answer with' };
  return { pass: answer === target, rationale: 'answered ' + answer.slice(0, 60) + ', target ' + target };
}
`;

// What the human does on each trace, by name. Traces not named here are skipped with n.
type Plan = { key: 'p' | 'f' | 'd'; critique?: string; tag?: string };
const PLAN: Record<string, Plan> = {
  'pxi.turn': { key: 'f', critique: 'Says Done! although add_spans_to_dataset failed', tag: 'false success' },
  'popularity 1': { key: 'p' },
  'popularity 2': { key: 'p' },
  'popularity 3': { key: 'f', critique: 'Answered No; the target was Yes', tag: 'wrong answer' },
  'popularity 4': { key: 'f', critique: 'A bare No with no reasoning' },
  'popularity 7': { key: 'd' },
};
// Hand-computed from PLAN and the judge:
//   human pass: popularity 1, 2 → judge pass both: TP 2, FN 0 → TPR 2/2 = 100.0%
//   human fail: pxi.turn, popularity 3 (judge fail: TN 2), popularity 4 (judge pass: FP 1) → TNR 2/3 = 66.7%
//   unlabelled (no pass/fail label): popularity 5, 6, 7 (deferred), 8, 9, 10 → judge passes 5 of 6
//   θ = (5/6 + 2/3 − 1) / (1 + 2/3 − 1) = 0.5 / 0.6667 = 0.75 → 75.0%

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] labels tests skipped: no Chromium at ${CHROMIUM}`);

async function rpc<T>(srv: TestServer, method: string, input: unknown): Promise<T> {
  const res = await fetch(`${srv.url}/api/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...srv.authHeaders },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
  return body;
}

async function shownName(page: Page): Promise<string> {
  return ((await page.getByTestId('label-trace-name').textContent()) ?? '').trim();
}

async function waitSaved(page: Page): Promise<void> {
  await page.locator('[data-testid=save-indicator][data-save=saved]').waitFor({ timeout: 10_000 });
}

describe.skipIf(skip)('labelling, failure modes and judge alignment in Chromium', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;

  beforeAll(async () => {
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('imports the fixtures through the server and runs a code judge over them', async () => {
    await page.getByTestId('import-input').setInputFiles([POPULARITY, PHOENIX]);
    await page.waitForFunction(() => document.querySelector('[data-testid=trace-count]')?.textContent?.trim().startsWith('11 traces'), null, {
      timeout: 30_000,
    });
    await rpc(srv, 'saveJudge', { id: JUDGE_ID, kind: 'code', source: JUDGE });
    const { runId } = await rpc<{ runId: number }>(srv, 'startJudgeRun', { judgeIds: [JUDGE_ID], selection: { mode: 'all' } });
    let run: { status: string; passed: number; failed: number } | null = null;
    for (let i = 0; i < 400 && (!run || run.status === 'running'); i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      run = await rpc(srv, 'getJudgeRun', { runId });
    }
    expect(run).toMatchObject({ status: 'done', passed: 8, failed: 3 });
    // the import panel would cover the bottom of the screenshots
    await page.getByRole('button', { name: 'Close imports panel' }).click();
  });

  it('labels traces with the keyboard only, auto-saving verdicts, critiques and tags', async () => {
    await page.getByTestId('tab-labels').click();
    await page.waitForFunction(() => location.hash === '#/labels');
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 15_000 });
    // Outliers first: the longest trace (pxi.turn, 35 s) leads.
    await page.getByTestId('queue-order').selectOption('longest');
    await page.waitForFunction(() => document.querySelector('[data-testid=label-trace-name]')?.textContent === 'pxi.turn');
    await page.locator('[data-testid=labeling-view]').focus();
    expect(await page.getByTestId('queue-progress').textContent()).toContain('#1 of 11');
    expect(await page.getByTestId('label-input').textContent()).toBe('can you save this trace to a dataset?');
    expect(await page.locator('[data-testid=label-tool].error').count()).toBe(1);
    expect(await page.locator('[data-testid=label-tool].error').textContent()).toContain('add_spans_to_dataset');

    const done = new Set<string>();
    let shotTaken = false;
    for (let step = 0; step < 11 && done.size < Object.keys(PLAN).length; step++) {
      const name = await shownName(page);
      const plan = PLAN[name];
      if (plan && !done.has(name)) {
        await page.keyboard.press(plan.key);
        await waitSaved(page);
        expect(await page.getAttribute(`[data-testid=verdict-${{ p: 'pass', f: 'fail', d: 'defer' }[plan.key]}]`, 'aria-pressed')).toBe('true');
        if (plan.critique) {
          await page.keyboard.press('c');
          expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('critique');
          await page.keyboard.type(plan.critique);
          await page.keyboard.press('Escape'); // leaves the field and saves now
          expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('critique');
          await waitSaved(page);
        }
        if (plan.tag) {
          await page.keyboard.press('t');
          await page.getByTestId('tag-input').waitFor();
          await page.keyboard.type(plan.tag);
          // a new name is offered for creation; an existing one would be listed with its definition
          await page.locator('.lb-tag-option.active', { hasText: `Create “${plan.tag}”` }).waitFor();
          if (name === 'popularity 3') await screenshot(page, 'labels-tag-typeahead');
          await page.keyboard.press('Enter'); // creates the mode and tags the trace
          await page.locator('[data-testid=trace-tag]', { hasText: plan.tag }).waitFor();
        }
        done.add(name);
        if (name === 'pxi.turn' && !shotTaken) {
          shotTaken = true;
          expect(await page.getByTestId('queue-progress').textContent()).toContain('#1 of 11 · 10 unlabelled');
          const shot = await screenshot(page, 'labels-labeling');
          const stats = await imageStats(browser, shot.png);
          expect(stats.colours).toBeGreaterThan(30);
          expect(stats.nonBackground).toBeGreaterThan(0.05);
        }
      }
      const before = await shownName(page);
      await page.keyboard.press('n');
      await page.waitForFunction((b) => document.querySelector('[data-testid=label-trace-name]')?.textContent !== b, before, {
        timeout: 10_000,
      }).catch(() => undefined); // the last one may have nowhere new to go
    }
    expect([...done].sort()).toEqual(Object.keys(PLAN).sort());

    // b goes back to the trace labelled before, with its label shown
    const current = await shownName(page);
    await page.keyboard.press('b');
    await page.waitForFunction((c) => document.querySelector('[data-testid=label-trace-name]')?.textContent !== c, current);
    expect(await page.locator('[data-testid=save-indicator]').getAttribute('data-save')).toBe('saved');

    // o opens the full trace; browser back resumes the session at the same trace
    const here = await shownName(page);
    await page.keyboard.press('o');
    await page.waitForFunction(() => location.hash.startsWith('#/trace/'));
    await page.goBack();
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor();
    await page.waitForFunction((h) => document.querySelector('[data-testid=label-trace-name]')?.textContent === h, here);

    // What the backend stored is exactly what was typed.
    const labels = await rpc<{ traceId: string; verdict: string; critique: string; failureModes: string[] }[]>(srv, 'listLabels', {});
    const byId = Object.fromEntries(labels.map((l) => [l.traceId, l]));
    expect(labels).toHaveLength(6);
    expect(byId['fixture-trace-1']).toMatchObject({
      verdict: 'fail',
      critique: PLAN['pxi.turn']!.critique,
      failureModes: ['false success'],
    });
    expect(byId[POP(3)]).toMatchObject({ verdict: 'fail', critique: PLAN['popularity 3']!.critique, failureModes: ['wrong answer'] });
    expect(byId[POP(4)]).toMatchObject({ verdict: 'fail', critique: PLAN['popularity 4']!.critique });
    expect(byId[POP(1)]!.verdict).toBe('pass');
    expect(byId[POP(2)]!.verdict).toBe('pass');
    expect(byId[POP(7)]!.verdict).toBe('defer');
  });

  it('shows failure modes with counts and rates, and creates one from the form', async () => {
    await page.getByTestId('labels-tab-modes').click();
    await page.locator('[data-testid=modes-table]').waitFor();
    // 5 traces labelled pass or fail (the defer does not count): 1 of 5 = 20%
    const row = (m: string) => page.locator(`[data-testid=mode-row][data-mode="${m}"]`);
    expect(await row('false success').getByTestId('mode-count').textContent()).toBe('1');
    expect(await row('false success').getByTestId('mode-rate').textContent()).toBe('20%');
    expect(await row('wrong answer').getByTestId('mode-rate').textContent()).toBe('20%');
    await page.getByTestId('new-mode-name').fill('terse answer');
    await page.getByTestId('new-mode-definition').fill('Answers without giving any reason');
    await page.getByTestId('new-mode-add').click();
    await row('terse answer').waitFor();
    expect(await row('terse answer').getByTestId('mode-count').textContent()).toBe('0');
    expect(await page.getByTestId('critique-item').count()).toBe(3);
    const shot = await screenshot(page, 'labels-failure-modes');
    expect((await imageStats(browser, shot.png)).nonBackground).toBeGreaterThan(0.03);
  });

  it('reads the alignment report: TPR, TNR, confusion matrix, θ, disagreements, few-shot examples', async () => {
    await page.getByTestId('labels-tab-alignment').click();
    await page.locator('[data-testid=align-report]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('align-judge').inputValue()).toBe(JUDGE_ID);
    const text = async (id: string) => (await page.getByTestId(id).innerText()).replace(/\s+/g, ' ').trim();
    expect(await text('align-tpr')).toBe('TPR 100.0% 2 of 2 human passes');
    expect(await text('align-tnr')).toBe('TNR 66.7% 2 of 3 human fails');
    expect([await text('cm-tp'), await text('cm-fn'), await text('cm-fp'), await text('cm-tn')]).toEqual(['2', '0', '1', '2']);
    expect(await text('align-theta')).toMatch(/^75\.0% 95% CI \d+\.\d% – \d+\.\d%/);
    expect(await text('align-counts')).toContain('5 labelled pass/fail · 5 paired with a verdict · 1 deferred');
    const dis = page.getByTestId('align-disagreement');
    expect(await dis.count()).toBe(1);
    expect(await dis.getAttribute('data-trace-id')).toBe(POP(4));
    expect(await dis.textContent()).toContain('A bare No with no reasoning');
    expect(await dis.textContent()).toContain('answered No, target No');
    // Few-shot examples come from the train split when it holds critiques (splits are a stable
    // hash of the trace id), else from all three critiqued traces.
    const labels = await rpc<{ verdict: string; critique: string; split: string | null }[]>(srv, 'listLabels', {});
    const critiqued = labels.filter((l) => l.verdict !== 'defer' && l.critique);
    const inTrain = critiqued.filter((l) => l.split === 'train').length;
    expect(await page.getByTestId('fewshot-example').count()).toBe(inTrain || critiqued.length);
    expect(await page.getByTestId('align-fewshot').textContent()).toContain('Verdict: FAIL');
    await page.getByTestId('fewshot-copy-all').click();
    await page.getByTestId('fewshot-copy-all').getByText('Copied ✓').waitFor();
    const shot = await screenshot(page, 'labels-alignment');
    const stats = await imageStats(browser, shot.png);
    expect(stats.colours).toBeGreaterThan(30);
    expect(stats.nonBackground).toBeGreaterThan(0.05);

    // A split where the judge cannot be corrected names the reason instead of a number.
    for (const split of ['train', 'dev', 'test'] as const) {
      await page.getByTestId(`align-split-${split}`).click();
      await page.locator('[data-testid=alignment-view][data-loading=false]').waitFor();
      await page.locator('[data-testid=align-report]').waitFor();
      const err = page.getByTestId('align-agreement-error');
      if (await err.count()) expect(await err.textContent()).toMatch(/no (human "(pass|fail)"|pass\/fail)/);
    }
    await page.getByTestId('align-split-all').click();
  });

  it('left no console errors, page errors, CSP violations or foreign requests', async () => {
    await collectCspViolations(page, problems);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], foreignRequests: [] });
  });
});
