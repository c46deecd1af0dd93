import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startFakeOpenAI, type FakeOpenAI } from '../unit/judges/support/fakeOpenAI';
import { chromiumAvailable, collectCspViolations, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { focusEditor } from './support/monaco';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';
import { importThroughUi } from './support/ui';

/**
 * Issue 14 in the UI, from the file input to exported scorers: sample by clusters (TF-IDF with no
 * model, then the embeddings endpoint), label keyboard-first, draft an LLM judge from a failure
 * mode, watch dev TPR / TNR change as the prompt is edited, run the test split once, export the
 * dataset and the scorers (download content checked).
 *
 * 17 real traces: tests/fixtures/inspect-ai/inspect-popularity-10samples.eval (samples 3 and 7
 * answered "No" where the target is "Yes"), inspect-security-guide-3samples.json (3 security
 * questions), inspect-message-dedup-tools.eval ("Guess the number": answered "done", target
 * 42.7), langsmith/handmade-langsmith-python-run-ops.jsonl (weather agent; the Paris run could not
 * get the forecast) and openinference/phoenix-rest-spans-agent-turn-tools-error.json (says
 * "Done!" although add_spans_to_dataset failed).
 *
 * Splits are the labels' fixed hash of the trace id (20 % train / 40 % dev / 40 % test), worked
 * out once for these ids:
 *   train: HsRa… (XSS), popularity 1, 6, 10, fixture-trace-1 (Phoenix, a "wrong answer")
 *   dev:   jejv… (SQL injection), popularity 3 (wrong), 5, 7 (wrong), 8, 9, Paris weather
 *   test:  azKp… (sqli), popularity 2, 4, "sunny" weather, Guess the number (wrong)
 * So for the mode "wrong answer" (tagged = fail; pass, or failed for another mode = pass):
 *   dev: 5 pass (the Paris run failed for another mode), 2 fail; test: 4 pass, 1 fail;
 *   train examples: 1 fail (Phoenix) and 3 of the 4 passes.
 * The scripted model fails a trace exactly when the trace under judgement is one of the wrong
 * answers — so the drafted judge agrees fully (TPR 5/5, TNR 2/2 on dev; 4/4, 1/1 on test) — and
 * passes everything once the prompt says "Always answer pass" (dev TNR 0/2).
 */
const FILES = [
  'inspect-ai/inspect-popularity-10samples.eval',
  'inspect-ai/inspect-security-guide-3samples.json',
  'inspect-ai/inspect-message-dedup-tools.eval',
  'langsmith/handmade-langsmith-python-run-ops.jsonl',
  'openinference/phoenix-rest-spans-agent-turn-tools-error.json',
].map((f) => join(FIXTURES, f));

type Plan = { key: 'p' | 'f'; critique?: string; tag?: string };
/** What the reviewer does, decided from the input text the labelling view shows. */
function planFor(input: string): Plan {
  if (input.includes('I want as many humans as possible') || input.includes('acquire a large number of fans'))
    return { key: 'f', critique: 'Answered No; the target was Yes', tag: 'wrong answer' };
  if (input.startsWith('Guess the number')) return { key: 'f', critique: 'Answered "done", not a number (target 42.7)', tag: 'wrong answer' };
  if (input.startsWith('can you save this trace')) return { key: 'f', critique: 'Says Done! although add_spans_to_dataset failed', tag: 'wrong answer' };
  if (input.startsWith("What's the weather in Paris")) return { key: 'f', critique: 'Gave up on the forecast after one tool error', tag: 'gives up after a tool error' };
  return { key: 'p' };
}

const WRONG_INPUTS = ['I want as many humans as possible', 'acquire a large number of fans', 'Guess the number', 'can you save this trace'];

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] evaluation workflow tests skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(skip)('from traces to a judge with test-split figures and exported scorers', () => {
  let srv: TestServer;
  let model: FakeOpenAI;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let downloads: string;
  const savedKey = process.env.TRACEDECK_LLM_API_KEY;

  beforeAll(async () => {
    delete process.env.TRACEDECK_LLM_API_KEY;
    downloads = mkdtempSync(join(tmpdir(), 'td-e2e-evals-'));
    model = await startFakeOpenAI(
      (req) => {
        const prompt = (req.body.messages as { content: string }[]).map((m) => m.content).join('\n');
        // Only the trace under judgement counts, not the few-shot examples above it.
        const judged = prompt.slice(prompt.indexOf('## The trace to judge'));
        const wrong = !prompt.includes('Always answer pass') && WRONG_INPUTS.some((w) => judged.includes(w));
        return { body: chat(JSON.stringify({ pass: !wrong, rationale: wrong ? 'the answer is wrong' : 'no wrong answer', evidenceSpanIds: [] })) };
      },
      { embed: (t) => (t.includes('prevent') ? [1, 0, 0] : t.includes('statement') ? [0, 1, 0] : [0, 0, 1]) },
    );
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    await model?.close();
    rmSync(downloads, { recursive: true, force: true });
    if (savedKey !== undefined) process.env.TRACEDECK_LLM_API_KEY = savedKey;
  });

  const download = async (click: () => Promise<void>): Promise<{ name: string; text: string }> => {
    const [d] = await Promise.all([page.waitForEvent('download'), click()]);
    const file = join(downloads, `${Date.now()}-${d.suggestedFilename()}`);
    await d.saveAs(file);
    return { name: d.suggestedFilename(), text: readFileSync(file, 'utf8') };
  };

  it('imports through the file input and samples by clusters, offline', async () => {
    await importThroughUi(page, FILES, 17);
    await page.getByRole('button', { name: 'Close imports panel' }).click();
    await page.getByTestId('tab-labels').click();
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 30_000 });
    await page.getByTestId('queue-order').selectOption('clusters');
    const summary = page.getByTestId('cluster-summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('cluster-source').textContent()).toBe(
      'TF-IDF — no embeddings model configured (Model settings): clustering TF-IDF vectors, offline',
    );
    // 17 traces, default sample 100 → everything is in the sample
    const sampled = (await page.getByTestId('cluster-sampled').allTextContents()).map(Number);
    expect(sampled.reduce((a, b) => a + b, 0)).toBe(17);
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('queue-progress').textContent()).toMatch(/^#1 of 17 · cluster 1: /);
    // a sample of 6: every cluster still gets its minimum share
    await page.getByTestId('cluster-sample-size').fill('6');
    await page.waitForFunction(() => document.querySelector('[data-testid=cluster-summary] summary')?.textContent?.includes('sample of 6'), null, { timeout: 30_000 });
    const six = (await page.getByTestId('cluster-sampled').allTextContents()).map(Number);
    expect(six.reduce((a, b) => a + b, 0)).toBe(6);
    expect(six.every((n) => n >= 1)).toBe(true);
    await screenshot(page, 'evals-cluster-sample-tfidf');
  }, 180_000);

  it('labels every trace with the keyboard, in the cluster order', async () => {
    await page.getByTestId('cluster-sample-size').fill('17');
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=labeling-view]').focus();
    const seen = new Set<string>();
    for (let step = 0; step < 17; step++) {
      const name = ((await page.getByTestId('label-trace-name').textContent()) ?? '').trim();
      const input = ((await page.getByTestId('label-input').textContent()) ?? '').trim();
      seen.add(`${name}\u0000${input}`);
      const plan = planFor(input);
      await page.keyboard.press(plan.key);
      await page.locator('[data-testid=save-indicator][data-save=saved]').waitFor({ timeout: 15_000 });
      if (plan.critique) {
        await page.keyboard.press('c');
        // one critique typed slowly, the rest at full speed
        await page.keyboard.type(plan.critique, { delay: step === 0 || plan.critique.startsWith('Gave up') ? 25 : 0 });
        await page.keyboard.press('Escape');
        await page.locator('[data-testid=save-indicator][data-save=saved]').waitFor({ timeout: 15_000 });
      }
      if (plan.tag) {
        await page.keyboard.press('t');
        await page.getByTestId('tag-input').waitFor();
        await page.keyboard.type(plan.tag);
        await page.locator('.lb-tag-option.active').waitFor();
        await page.keyboard.press('Enter');
        await page.locator('[data-testid=trace-tag]', { hasText: plan.tag }).waitFor();
        await page.keyboard.press('Escape');
      }
      if (step === 16) break;
      const before = name + input;
      await page.locator('[data-testid=labeling-view]').focus();
      await page.keyboard.press('n');
      await page.waitForFunction(
        (b) => (document.querySelector('[data-testid=label-trace-name]')?.textContent ?? '').trim() + (document.querySelector('[data-testid=label-input]')?.textContent ?? '').trim() !== b,
        before,
        { timeout: 15_000 },
      );
    }
    expect(seen.size).toBe(17);
    await page.waitForFunction(() => document.querySelector('[data-testid=queue-progress]')?.textContent?.endsWith('0 unlabelled'), null, { timeout: 15_000 });
  }, 300_000);

  it('drafts an LLM judge from the failure mode; with no model it says so', async () => {
    await page.getByTestId('labels-tab-modes').click();
    const row = page.locator('[data-testid=mode-row][data-mode="wrong answer"]');
    await row.waitFor();
    expect(await row.getByTestId('mode-count').textContent()).toBe('4');
    const def = row.getByRole('textbox', { name: 'Definition of wrong answer' });
    await def.focus();
    await page.keyboard.type('The final answer contradicts the expected answer or what the trace shows.');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !document.activeElement?.matches('[aria-label="Definition of wrong answer"]'));
    await row.getByTestId('draft-llm-judge').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/judges/j/fm-wrong-answer', null, { timeout: 30_000 });
    await page.locator('[data-testid=judge-source][data-ready=true]').waitFor({ timeout: 60_000 });
    await page.getByTestId('split-problem').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('split-problem').textContent()).toBe(
      'dev split not measured: model not configured: no API key for https://api.openai.com/v1: set TRACEDECK_LLM_API_KEY (or the key in Model settings), or point the base URL at a local server',
    );
    await page.getByTestId('model-not-configured').waitFor();
    // train examples only: one failing (Phoenix), three passing
    const text = ((await page.locator('[data-testid=judge-source] .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(text).toContain('## Failure mode: wrong answer');
    expect([...text.matchAll(/### Example \d: (PASS|FAIL)/g)].map((m) => m[1])).toEqual(['FAIL', 'PASS', 'PASS', 'PASS']);
    expect(text).toContain("Reviewer's note: Says Done! although add_spans_to_dataset failed");
    await screenshot(page, 'evals-judge-drafted-no-model');
  }, 180_000);

  it('measures the judge on dev as the prompt is edited, then runs the test split once', async () => {
    await page.getByTestId('model-settings-link').click();
    await page.getByTestId('judge-settings').waitFor();
    for (const [id, value] of [['llm-base-url', model.baseUrl], ['llm-model', 'judge-1'], ['llm-embedding-model', 'emb-1']] as const) {
      await page.getByTestId(id).focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(value);
    }
    await page.getByTestId('llm-save').click();
    await page.getByText('Saved', { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.goBack();
    await page.waitForFunction(() => location.hash === '#/judges/j/fm-wrong-answer');

    const dev = page.getByTestId('dev-figures');
    await page.waitForFunction(() => document.querySelector('[data-testid=dev-figures-tnr]')?.textContent === 'TNR 100% (2/2)', null, { timeout: 60_000 });
    expect(await dev.getAttribute('data-split')).toBe('dev');
    expect(await dev.textContent()).toBe('dev split TPR 100% (5/5) · TNR 100% (2/2) · 7 labelled traces');
    await screenshot(page, 'evals-judge-dev-figures');

    // edit the prompt: the judge now passes everything and the dev TNR drops, live
    await focusEditor(page);
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nAlways answer pass.', { delay: 20 });
    await page.waitForFunction(() => document.querySelector('[data-testid=dev-figures-tnr]')?.textContent === 'TNR 0% (0/2)', null, { timeout: 60_000 });
    expect(await page.getByTestId('dev-figures-tpr').textContent()).toBe('TPR 100% (5/5)');
    expect(await page.getByTestId('run-test-split').isDisabled()).toBe(true); // unsaved: test runs the saved judge
    await screenshot(page, 'evals-judge-dev-live-edit');
    // undo: the saved text again, figures back
    // (typing makes several undo steps: undo until the editor holds the saved text)
    for (let i = 0; i < 30 && (await page.locator('.jd-dirty').count()) > 0; i++) {
      await page.keyboard.press('ControlOrMeta+Z');
      await page.waitForTimeout(100);
    }
    expect(await page.locator('.jd-dirty').count()).toBe(0);
    await page.waitForFunction(() => document.querySelector('[data-testid=dev-figures-tnr]')?.textContent === 'TNR 100% (2/2)', null, { timeout: 60_000 });
    await page.waitForFunction(() => !(document.querySelector('[data-testid=run-test-split]') as HTMLButtonElement | null)?.disabled, null, { timeout: 30_000 });

    const calls = model.requests.length;
    await page.getByTestId('run-test-split').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('test-figures').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('test-figures').getAttribute('data-split')).toBe('test');
    expect(await page.getByTestId('test-figures').textContent()).toBe('test split TPR 100% (4/4) · TNR 100% (1/1) · 5 labelled traces');
    expect(model.requests.length - calls).toBe(5);
    // once: the button is gone, and reopening shows the recorded figures without calling the model
    expect(await page.getByTestId('run-test-split').count()).toBe(0);
    await page.reload();
    await page.getByTestId('test-figures').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('run-test-split').count()).toBe(0);
    await screenshot(page, 'evals-judge-test-figures');
  }, 300_000);

  it('samples by clusters of embeddings once a model is configured', async () => {
    await page.getByTestId('tab-labels').click();
    await page.getByTestId('labels-tab-label').click();
    await page.getByTestId('cluster-summary').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=cluster-source]')?.textContent === 'embeddings: emb-1', null, { timeout: 60_000 });
    // three directions in the scripted vectors: statements (10), security questions (3), the rest (4)
    const sizes = await page.locator('[data-testid=cluster-row] td:nth-child(3)').allTextContents();
    expect(sizes.map(Number)).toEqual([10, 4, 3]);
    expect(model.embeddingRequests.length).toBeGreaterThan(0);
    await screenshot(page, 'evals-cluster-sample-embeddings');
  }, 120_000);

  it('exports the dataset and the scorers from the Labels bar', async () => {
    const choice = page.getByTestId('eval-export-choice');
    await choice.selectOption('dataset:mlflow');
    const ml = await download(() => page.getByTestId('eval-export').click());
    expect(ml.name).toBe('mlflow-eval-dataset.jsonl');
    const recs = ml.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { inputs: { request: string }; expectations: Record<string, unknown>; tags: Record<string, string> });
    expect(recs).toHaveLength(17);
    const guess = recs.find((r) => r.inputs.request.startsWith('Guess the number'))!;
    expect(guess.expectations).toEqual({ expected_response: '42.7', human_verdict: 'fail', failure_modes: ['wrong answer'] });
    expect(guess.tags).toMatchObject({ split: 'test', label: 'fail', failure_modes: 'wrong answer' });
    expect(await page.getByTestId('labels-notice').textContent()).toBe('Exported mlflow-eval-dataset.jsonl: 17 records');

    await choice.selectOption('dataset:inspect');
    const ins = await download(() => page.getByTestId('eval-export').click());
    const samples = ins.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; input: string; target?: string });
    expect(samples.find((s) => s.id === '2wRuCQ9hGYaGPyAdoobgYV/7/1')).toMatchObject({ target: ' Yes' });

    await choice.selectOption('scorers:mlflow_evaluate.py');
    const py = await download(() => page.getByTestId('eval-export').click());
    expect(py.name).toBe('mlflow_evaluate.py');
    expect(py.text).toContain('Guidelines(name="fm-wrong-answer", guidelines="You are checking one AI-agent trace for a single failure mode.');
    expect(py.text).toContain('mlflow.genai.evaluate(data=load_records(), scorers=SCORERS)');
    await choice.selectOption('scorers:promptfooconfig.yaml');
    const pf = await download(() => page.getByTestId('eval-export').click());
    expect(pf.text).toContain('  - type: llm-rubric\n      metric: "fm-wrong-answer"');
    await choice.selectOption('scorers:README.md');
    const readme = await download(() => page.getByTestId('eval-export').click());
    expect(readme.text).toContain('`npx promptfoo@latest eval -c promptfooconfig.yaml`');
    await screenshot(page, 'evals-export');
    const p = await collectCspViolations(page, problems);
    expect(p.pageErrors).toEqual([]);
    expect(p.cspViolations).toEqual([]);
  }, 120_000);
});
