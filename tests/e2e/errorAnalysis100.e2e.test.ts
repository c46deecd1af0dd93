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
 * Issue 14's "Done when", at the size it names: from 100 unlabelled real traces to a failure
 * taxonomy with counts and a saturation curve, to a judge drafted from one failure mode with
 * test-split TPR / TNR, to an exported dataset and scorer script — through the UI only (the app's
 * own file input, then keyboard-first), every figure worked out by hand from what this test did.
 *
 * Fixture: tests/fixtures/inspect-ai/inspect-scout-theory-of-mind-100samples.eval, a real Inspect
 * run of theory_of_mind (openai/gpt-4o-mini, chain of thought, model-graded): 100 samples. Each
 * sample's spans: sample → init, solvers (chain_of_thought, generate → the answering model call),
 * scorers (model_graded_fact → grader call, score). The grader marked 17 answers incorrect; the
 * reviewer here fails exactly those, marks the answering model call as the first failure and
 * writes what went wrong. Two kinds of question went wrong:
 *   "Where will X look for …?"               17 35 41 47 53 68 89             (7)
 *   "Where does A think that B searches …?"  6 15 27 30 33 42 51 54 87 99     (10)
 *
 * Splits (the labels' fixed hash of the trace id — Inspect's sample uuid — 20/40/40), worked out
 * once for this file: train 19 traces (nested failure 99), dev 45 (nested failures 15 27 30 42 51
 * 54 87; "where will" failures 17 35 41), test 36 (nested failures 6 33; 47 53 68 89).
 */
const TOM = join(FIXTURES, 'inspect-ai/inspect-scout-theory-of-mind-100samples.eval');

/** Incorrect answers: sample id → [question kind, the model's ANSWER, the target]. */
const WRONG: Record<number, ['will' | 'nested', string, string]> = {
  6: ['nested', 'pantry', 'bathtub'],
  15: ['nested', 'envelope', 'container'],
  17: ['will', 'cellar', 'container'],
  27: ['nested', 'cupboard', 'bucket'],
  30: ['nested', 'cupboard', 'bucket'],
  33: ['nested', 'crate', 'box'],
  35: ['will', 'crate', 'box'],
  41: ['will', 'treasure chest', 'drawer'],
  42: ['nested', 'treasure chest', 'drawer'],
  47: ['will', 'bathtub', 'suitcase'],
  51: ['nested', 'suitcase', 'basket'],
  53: ['will', 'suitcase', 'basket'],
  54: ['nested', 'suitcase', 'basket'],
  68: ['will', 'pantry', 'basket'],
  87: ['nested', 'suitcase', 'box'],
  89: ['will', 'suitcase', 'box'],
  99: ['nested', 'crate', 'bucket'],
};
const noteFor = (n: number) => {
  const [kind, answer, target] = WRONG[n]!;
  return kind === 'will'
    ? `Where-will question: sent them to the ${answer}, but they saw it moved to the ${target}`
    : `Nested belief: answered ${answer} for what one person thinks the other searches; target ${target}`;
};
const NESTED = Object.keys(WRONG).map(Number).filter((n) => WRONG[n]![0] === 'nested');

/**
 * The last words of some samples' input (unique in the file): the scripted judge recognises the
 * trace under judgement by them.
 */
const TAIL: Record<number, string> = {
  6: 'Where does Jackson think that Chloe searches for the boots?',
  15: 'Carter exited the cellar. Where does Mia think that Carter searches for the gloves?',
  19: 'Charlotte moved the coat to the crate. Where was the coat at the beginning?',
  27: 'likes the apple Where does Evelyn think that Owen searches for the shoes?',
  30: 'likes the apple Where does Owen think that Evelyn searches for the shoes?',
  33: 'Where does Oliver think that Emma searches for the grapes?',
  42: 'Where does Hannah think that Isla searches for the tie?',
  51: 'Where does Lily think that Nathan searches for the suit?',
  54: 'Where does Nathan think that Lily searches for the suit?',
  87: 'Where does Jayden think that Benjamin searches for the orange?',
  99: 'Where does Lily think that Abigail searches for the tie?',
};
/** The mode the judge is drafted for, after the manual merge below. */
const MODE = 'second-order belief';
const CLARIFY = 'A question about where something was at the beginning is never this failure mode.';
/**
 * The scripted judge: fails the nested-belief failures, except that it misses 27 (dev) and 33
 * (test), and it raises a false alarm on 19 (dev, passed by the reviewer) until the prompt holds
 * CLARIFY. Only the trace under judgement counts, not the few-shot examples above it.
 */
function judgeVerdict(prompt: string): boolean {
  const judged = prompt.slice(prompt.indexOf('## The trace to judge'));
  const is = (n: number) => judged.includes(TAIL[n]!);
  if (is(19)) return prompt.includes(CLARIFY);
  if (is(27) || is(33)) return true;
  return !NESTED.some(is);
}

/** The scripted axial coding: groups the notes by what they say, naming them by the prompt's ids. */
function groupNotes(prompt: string) {
  const notes = [...prompt.matchAll(/^\[(\d+)\] (.*)$/gm)].map((m) => ({ id: Number(m[1]), text: m[2]! }));
  const ids = (f: (t: string) => boolean) => notes.filter((x) => f(x.text)).map((x) => x.id);
  return {
    groups: [
      { name: 'stale location', definition: 'Answers where the object was, not where the person saw it go.', noteIds: ids((t) => t.includes('Where-will')) },
      { name: MODE, definition: 'Gets wrong what one person believes about another person’s search.', noteIds: ids((t) => t.includes('Nested belief') && !t.includes('cupboard')) },
      { name: 'cupboard confusion', definition: 'Answers the cupboard.', noteIds: ids((t) => t.includes('cupboard')) },
    ],
  };
}

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] 100-trace error analysis skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(skip)('from 100 unlabelled traces to a taxonomy, a judge with test figures and exports', () => {
  let srv: TestServer;
  let model: FakeOpenAI;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let downloads: string;
  const savedKey = process.env.TRACEDECK_LLM_API_KEY;
  /** Sample ids in the order they were labelled (the review order of the saturation curve). */
  const reviewed: number[] = [];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    delete process.env.TRACEDECK_LLM_API_KEY; // browser mode reads the key from the environment
    downloads = mkdtempSync(join(tmpdir(), 'td-e2e-ea100-'));
    model = await startFakeOpenAI((req) => {
      const prompt = (req.body?.messages as { content: string }[]).map((m) => String(m.content)).join('\n');
      if (prompt.includes('## The trace to judge')) {
        const pass = judgeVerdict(prompt);
        return { body: chat(JSON.stringify({ pass, rationale: pass ? 'beliefs tracked' : 'nested belief wrong', evidenceSpanIds: [] })) };
      }
      return { body: chat(JSON.stringify(groupNotes(prompt))) };
    });
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(`${srv.url}/`);
  });

  afterAll(async () => {
    console.log(`[e2e] 100-trace error analysis, ms per step: ${JSON.stringify(timings)}`);
    await browser?.close();
    await srv?.close();
    await model?.close();
    rmSync(downloads, { recursive: true, force: true });
    if (savedKey !== undefined) process.env.TRACEDECK_LLM_API_KEY = savedKey;
  });

  const timed = async (name: string, f: () => Promise<void>) => {
    const t0 = Date.now();
    await f();
    timings[name] = Date.now() - t0;
  };
  const download = async (click: () => Promise<void>): Promise<{ name: string; text: string }> => {
    const [d] = await Promise.all([page.waitForEvent('download'), click()]);
    const file = join(downloads, `${Date.now()}-${d.suggestedFilename()}`);
    await d.saveAs(file);
    return { name: d.suggestedFilename(), text: readFileSync(file, 'utf8') };
  };
  const shownName = async () => ((await page.getByTestId('label-trace-name').textContent()) ?? '').trim();
  const saved = () => page.locator('[data-testid=save-indicator][data-save=saved]').waitFor({ timeout: 15_000 });

  it('imports the 100-sample log through the file input', async () => {
    await timed('import', async () => {
      await importThroughUi(page, [TOM], 100);
      await page.getByRole('button', { name: 'Close imports panel' }).click();
    });
    await screenshot(page, 'ea100-library');
  }, 120_000);

  it('labels all 100 traces keyboard-first: verdicts, first failures and open-coding notes', async () => {
    await page.getByTestId('tab-labels').click();
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('queue-progress').textContent()).toBe('#1 of 100 · 100 unlabelled');
    await page.locator('[data-testid=labeling-view]').focus();
    await timed('label100', async () => {
      for (let step = 0; step < 100; step++) {
        const name = await shownName();
        const n = Number(/^theory_of_mind (\d+)$/.exec(name)?.[1]);
        expect(n, name).toBeGreaterThan(0);
        // the answering model call is the sixth step (sample, init, solvers, chain_of_thought, generate, model)
        const answer = page.locator('[data-testid=label-step]').nth(5);
        await answer.waitFor({ timeout: 15_000 });
        if (WRONG[n]) {
          for (let i = 0; i < 5; i++) await page.keyboard.press('j');
          expect(await page.locator('[data-testid=label-step][aria-selected=true] .lb-step-name').textContent()).toBe('openai/gpt-4o-mini');
          await page.keyboard.press('x');
          await page.getByTestId('note-input').waitFor();
          // most notes at full speed, two typed slowly
          await page.keyboard.type(noteFor(n), { delay: n === 27 || n === 68 ? 30 : 0 });
          await page.keyboard.press('Enter');
          await page.locator('[data-testid=span-note]', { hasText: noteFor(n) }).waitFor({ timeout: 15_000 });
          expect(await page.locator('[data-testid=label-step][data-marked=true]').getAttribute('data-span-id')).toBe(await answer.getAttribute('data-span-id'));
          await page.keyboard.press('f');
        } else await page.keyboard.press('p');
        await saved();
        reviewed.push(n);
        if (step === 99) break;
        await page.keyboard.press('n');
        await page.waitForFunction((b) => document.querySelector('[data-testid=label-trace-name]')?.textContent?.trim() !== b, name, { timeout: 15_000 });
      }
    });
    expect(new Set(reviewed).size).toBe(100);
    await page.waitForFunction(() => document.querySelector('[data-testid=queue-progress]')?.textContent?.endsWith(' 0 unlabelled'), null, { timeout: 15_000 });
    await screenshot(page, 'ea100-labelling-last');
  }, 600_000);

  it('groups the 17 notes with the configured model, renamed and merged by hand', async () => {
    await page.getByTestId('labels-tab-modes').click();
    await page.getByTestId('axial-coding').waitFor();
    await page.locator('[data-testid=note-row]').nth(16).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('note-row').count()).toBe(17);

    // with no model configured, g says so and links to the settings
    await page.locator('body').press('g');
    await page.getByTestId('axial-problem').waitFor({ timeout: 15_000 });
    await page.getByTestId('axial-settings-link').click();
    await page.getByTestId('llm-base-url').waitFor();
    for (const [id, value] of [['llm-base-url', model.baseUrl], ['llm-model', 'fake-1']] as const) {
      await page.getByTestId(id).focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(value);
    }
    await page.getByTestId('llm-save').click();
    await page.getByText('Saved', { exact: false }).first().waitFor({ timeout: 15_000 });
    await page.getByTestId('tab-labels').click();
    await page.getByTestId('labels-tab-modes').click();
    await page.locator('[data-testid=note-row]').nth(16).waitFor({ timeout: 15_000 });

    await timed('axial', async () => {
      await page.locator('body').press('g');
      await page.getByTestId('proposed-group').nth(2).waitFor({ timeout: 30_000 });
    });
    // the prompt holds every note, with its trace, span and the first-failure mark
    const prompt = String(model.requests.at(-1)!.body.messages.map((m: { content: string }) => m.content).join('\n'));
    for (const n of Object.keys(WRONG).map(Number))
      expect(prompt).toContain(`trace "theory_of_mind ${n}", span "openai/gpt-4o-mini" (llm), FIRST FAILURE: ${noteFor(n)}`);
    const group = (name: string) => page.locator(`[data-testid=proposed-group][data-group="${name}"]`);
    expect(await group('stale location').getByTestId('group-member').count()).toBe(7);
    expect(await group(MODE).getByTestId('group-member').count()).toBe(8);
    expect(await group('cupboard confusion').getByTestId('group-member').count()).toBe(2);

    // rename by typing; merge the cupboard group into the nested-belief one
    await group('stale location').getByTestId('group-name').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('ignores the observed move', { delay: 20 });
    await group('cupboard confusion').getByTestId('group-merge').selectOption({ label: MODE });
    await group('cupboard confusion').waitFor({ state: 'detached' });
    expect(await group(MODE).getByTestId('group-member').count()).toBe(10);
    await screenshot(page, 'ea100-proposals');
    await page.getByTestId('accept-all-groups').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('proposed-groups').waitFor({ state: 'detached', timeout: 15_000 });

    const row = (m: string) => page.locator(`[data-testid=mode-row][data-mode="${m}"]`);
    await row(MODE).waitFor({ timeout: 15_000 });
    expect(await row(MODE).getByTestId('mode-count').textContent()).toBe('10');
    expect(await row('ignores the observed move').getByTestId('mode-count').textContent()).toBe('7');
    // 100 traces labelled: 10 of 100, 7 of 100
    expect(await row(MODE).getByTestId('mode-rate').textContent()).toBe('10%');
    expect(await row('ignores the observed move').getByTestId('mode-rate').textContent()).toBe('7.0%');
    expect(await page.getByTestId('mode-row').count()).toBe(2);
    // Beside the notes the table is narrow: every name and definition is shown whole (wrapped), not clipped.
    const clipped = await page.$$eval('[data-testid=mode-row] :is(input, textarea)', (boxes) =>
      boxes.filter((b) => b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1).map((b) => (b as HTMLInputElement).value),
    );
    expect(clipped).toEqual([]);
    await screenshot(page, 'ea100-modes');
  }, 180_000);

  it('shows the taxonomy counts, the saturation curve over 100 reviewed traces and the first-failure matrix', async () => {
    await page.getByTestId('labels-tab-analysis').click();
    await page.getByTestId('saturation-chart').waitFor({ timeout: 15_000 });
    // the curve: distinct modes among the traces reviewed so far, in the order this test labelled
    const seen = new Set<string>();
    const points = reviewed.map((n) => {
      if (WRONG[n]) seen.add(WRONG[n]![0]);
      return seen.size;
    });
    expect(await page.getByTestId('saturation-chart').getAttribute('data-points')).toBe(points.join(','));
    expect(await page.getByTestId('new-mode-dot').count()).toBe(2);
    const lastNew = points.indexOf(2) + 1;
    expect(await page.getByTestId('saturation-progress').textContent()).toBe(
      `100 of 100 traces reviewed · 2 failure modes · ${100 - lastNew} trace${100 - lastNew === 1 ? '' : 's'} since the last new mode`,
    );
    expect(await page.getByRole('progressbar', { name: 'Traces reviewed toward the target' }).getAttribute('aria-valuenow')).toBe('100');
    const countRow = (m: string) => page.locator(`[data-testid=mode-count-row][data-mode="${m}"]`);
    expect(await countRow(MODE).getByTestId('mode-count-n').textContent()).toBe('10');
    expect(await countRow('ignores the observed move').getByTestId('mode-count-n').textContent()).toBe('7');
    // Wilson 95% (z = 1.96): 10 of 100 → [0.0552, 0.1744]; 7 of 100 → [0.0343, 0.1375]
    expect(await countRow(MODE).getByTestId('mode-count-ci').textContent()).toBe('5.5%–17%');
    expect(await countRow('ignores the observed move').getByTestId('mode-count-ci').textContent()).toBe('3.4%–14%');
    // every first failure is the answering model call, right after the generate step
    const cells = page.getByTestId('matrix-cell');
    expect(await cells.count()).toBe(1);
    expect(await cells.first().textContent()).toBe('17');
    await screenshot(page, 'ea100-saturation-matrix');
    await page.getByTestId('saturation-chart').scrollIntoViewIfNeeded();
    await page.locator('[data-testid=first-failure-matrix]').scrollIntoViewIfNeeded();
    await screenshot(page, 'ea100-matrix');
  }, 120_000);

  it('drafts a judge from one failure mode, iterates on dev, runs the test split once', async () => {
    await page.getByTestId('labels-tab-modes').click();
    const row = page.locator(`[data-testid=mode-row][data-mode="${MODE}"]`);
    await row.getByTestId('draft-llm-judge').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/judges/j/fm-second-order-belief', null, { timeout: 30_000 });
    await page.locator('[data-testid=judge-source][data-ready=true]').waitFor({ timeout: 60_000 });
    const text = ((await page.locator('[data-testid=judge-source] .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(text).toContain(`## Failure mode: ${MODE}`);

    // Dev, worked out by hand: 45 traces; 7 carry the mode (fail), 38 do not (pass). The judge
    // misses 27 (TNR 6/7) and raises a false alarm on 19 (TPR 37/38) until the prompt is clarified.
    await timed('dev-first', () =>
      page.waitForFunction(() => document.querySelector('[data-testid=dev-figures]')?.textContent?.includes('45 labelled'), null, { timeout: 120_000 }).then(() => undefined),
    );
    expect(await page.getByTestId('dev-figures').getAttribute('data-split')).toBe('dev');
    expect(await page.getByTestId('dev-figures').textContent()).toBe('dev split TPR 97% (37/38) · TNR 86% (6/7) · 45 labelled traces');
    await screenshot(page, 'ea100-judge-dev');

    await focusEditor(page);
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(`\n${CLARIFY}`);
    await timed('dev-edit', () =>
      page.waitForFunction(() => document.querySelector('[data-testid=dev-figures-tpr]')?.textContent === 'TPR 100% (38/38)', null, { timeout: 120_000 }).then(() => undefined),
    );
    expect(await page.getByTestId('dev-figures-tnr').textContent()).toBe('TNR 86% (6/7)');
    // keyboard save
    await page.keyboard.press('ControlOrMeta+S');
    await page.waitForFunction(() => !document.querySelector('.jd-dirty'), null, { timeout: 15_000 });
    await page.waitForFunction(() => !(document.querySelector('[data-testid=run-test-split]') as HTMLButtonElement | null)?.disabled, null, { timeout: 30_000 });

    // Test, by hand: 36 traces; 2 carry the mode (6 and 33; the judge misses 33), 34 pass.
    const calls = model.requests.length;
    await page.getByTestId('run-test-split').focus();
    await timed('test-split', async () => {
      await page.keyboard.press('Enter');
      await page.getByTestId('test-figures').waitFor({ timeout: 120_000 });
    });
    expect(await page.getByTestId('test-figures').getAttribute('data-split')).toBe('test');
    expect(await page.getByTestId('test-figures').textContent()).toBe('test split TPR 100% (34/34) · TNR 50% (1/2) · 36 labelled traces');
    expect(model.requests.length - calls).toBe(36);
    expect(await page.getByTestId('run-test-split').count()).toBe(0);
    await screenshot(page, 'ea100-judge-test');
  }, 400_000);

  it('exports the dataset and the scorer script in the target tools’ documented shapes', async () => {
    await page.getByTestId('tab-labels').click();
    const choice = page.getByTestId('eval-export-choice');
    await choice.waitFor();

    // MLflow GenAI evaluation dataset records (https://mlflow.org/docs/latest/genai/concepts/evaluation-datasets,
    // schema table in Databricks' "Evaluation dataset reference"): `inputs` dict (required),
    // `expectations` dict (optional; reserved keys expected_response, expected_facts, guidelines),
    // `tags` dict of strings (optional). mlflow.genai.evaluate(data=[...]) takes these records.
    await choice.selectOption('dataset:mlflow');
    const ml = await download(() => page.getByTestId('eval-export').click());
    expect(ml.name).toBe('mlflow-eval-dataset.jsonl');
    const recs = ml.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { inputs: Record<string, unknown>; expectations: Record<string, unknown>; tags: Record<string, string> });
    expect(recs).toHaveLength(100);
    for (const r of recs) {
      expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['expectations', 'inputs']));
      expect(typeof r.inputs).toBe('object');
      expect(typeof r.inputs.request).toBe('string');
      expect(Object.values(r.tags).every((v) => typeof v === 'string')).toBe(true);
    }
    const verdicts = recs.map((r) => r.expectations.human_verdict);
    expect(verdicts.filter((v) => v === 'fail')).toHaveLength(17);
    expect(verdicts.filter((v) => v === 'pass')).toHaveLength(83);
    expect(recs.filter((r) => (r.expectations.failure_modes as string[] | undefined)?.includes(MODE))).toHaveLength(10);
    const splits = recs.map((r) => r.tags.split);
    expect([splits.filter((s) => s === 'train').length, splits.filter((s) => s === 'dev').length, splits.filter((s) => s === 'test').length]).toEqual([19, 45, 36]);
    const r6 = recs.find((r) => String(r.inputs.request).endsWith(TAIL[6]!))!;
    expect(r6.expectations).toMatchObject({ expected_response: 'bathtub', human_verdict: 'fail', failure_modes: [MODE] });
    expect(r6.tags).toMatchObject({ split: 'test', label: 'fail' });

    // Inspect dataset samples read by json_dataset() with no field spec
    // (https://inspect.aisi.org.uk/datasets.html, class inspect_ai.dataset.Sample): `input`
    // (str | list[ChatMessage], required), optional `choices`, `target` (str | list[str]), `id`,
    // `metadata` (dict), `sandbox`, `files`, `setup`; nothing else.
    await choice.selectOption('dataset:inspect');
    const ins = await download(() => page.getByTestId('eval-export').click());
    const samples = ins.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(samples).toHaveLength(100);
    const allowed = ['input', 'target', 'choices', 'id', 'metadata', 'sandbox', 'files', 'setup'];
    for (const s of samples) {
      expect(Object.keys(s).filter((k) => !allowed.includes(k))).toEqual([]);
      expect(typeof s.input === 'string' || Array.isArray(s.input)).toBe(true);
      expect(['string', 'number']).toContain(typeof s.id);
      if ('target' in s) expect(typeof s.target === 'string' || Array.isArray(s.target)).toBe(true);
      if ('metadata' in s) expect(typeof s.metadata).toBe('object');
    }
    expect(new Set(samples.map((s) => s.id)).size).toBe(100);
    expect(samples.find((s) => String(s.input).endsWith(TAIL[6]!))).toMatchObject({ target: 'bathtub' });

    // The scorer script: MLflow's evaluate harness with the drafted judge as a Guidelines scorer.
    await choice.selectOption('scorers:mlflow_evaluate.py');
    const py = await download(() => page.getByTestId('eval-export').click());
    expect(py.name).toBe('mlflow_evaluate.py');
    expect(py.text).toContain('Guidelines(name="fm-second-order-belief"');
    expect(py.text).toContain(CLARIFY);
    expect(py.text).toContain('mlflow.genai.evaluate(data=load_records(), scorers=SCORERS)');

    // promptfoo config (https://promptfoo.dev/docs/configuration/reference/): `providers`,
    // `prompts` and `tests` are the required top-level keys; `defaultTest.assert` entries have a
    // `type` (llm-rubric: `value` is the rubric, `metric` names the score).
    await choice.selectOption('scorers:promptfooconfig.yaml');
    const pf = await download(() => page.getByTestId('eval-export').click());
    for (const key of ['prompts:', 'providers:', 'tests:']) expect(pf.text).toMatch(new RegExp(`^${key}`, 'm'));
    expect(pf.text).toContain('  - type: llm-rubric\n      metric: "fm-second-order-belief"');
    expect(pf.text).toMatch(/^defaultTest:\n {2}assert:\n {4}- type: llm-rubric\n/m);
    // one test case per labelled trace, each with the vars the prompt and rubric read
    expect(pf.text.match(/^ {2}- description: .*\n {4}vars:\n {6}input: .*\n {6}output: .*$/gm)).toHaveLength(100);
    await screenshot(page, 'ea100-export');
  }, 180_000);

  it('left no console errors, page errors, CSP violations or foreign requests', async () => {
    await collectCspViolations(page, problems);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [], foreignRequests: [] });
  });
});
