import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, collectCspViolations, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { caretToLineEnd, editorText, focusEditor, pasteIntoEditor, waitForEditorText } from './support/monaco';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';
import { holdRpc, rpcSent } from './support/slowServer';
import { importThroughUi } from './support/ui';

// The workflow "write and edit a judge and re-run it", driven only through the UI from the
// app's own import. Span counts of the imported traces (checked with `tracedeck ls`):
//   fixture-trace-1 (Phoenix pxi.turn) 18 · langfuse joke-generator 13 · 3 Inspect samples 8 each
//   · Claude Code session 5. So a judge "spans <= 10" passes 4 (5, 8, 8, 8) and fails 2 (13, 18);
//   "<= 15" passes 5 and fails 1 (18); "<= 20" passes all 6; "<= 1" or "<= 2" (a lost key) fail all.
const FILES = [
  join(FIXTURES, 'openinference/phoenix-rest-spans-agent-turn-tools-error.json'),
  join(FIXTURES, 'langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json'),
  join(FIXTURES, 'inspect-ai/inspect-security-guide-3samples.json'),
  join(FIXTURES, 'claude-code/cc-spotter-short-tool-errors.jsonl'),
];
const PHOENIX = 'fixture-trace-1';
const LANGFUSE = '7a38edd8123db47ad8dcb8aa4c5e3926';

const SPAN_BUDGET = [
  "import type { Trace, JudgeResult } from 'tracedeck/judge';",
  "export const meta = { name: 'Span budget' };",
  'export default function (trace: Trace): JudgeResult {',
  '  const n = trace.spans.length;',
  "  return { pass: n <= 10, score: 1 - n * 0.05, rationale: 'spans: ' + n };",
  '}',
].join('\n');
const TOOL_FAILURES = [
  "import type { Trace, JudgeResult } from 'tracedeck/judge';",
  "export const meta = { name: 'No failed tools' };",
  'export default function (trace: Trace): JudgeResult {',
  '  const bad = trace.toolCalls().filter((t) => t.isError);',
  "  return { pass: bad.length === 0, rationale: 'failed: ' + bad.length };",
  '}',
].join('\n');
// 33 characters, typed at the end of line 4: no brackets or quotes, so Monaco inserts nothing.
const COMMENT = ' // spans of any kind, all roots.';
const lines = (text: string) => text.split('\n');
const withLine = (text: string, line: number, f: (l: string) => string) =>
  lines(text)
    .map((l, i) => (i === line - 1 ? f(l) : l))
    .join('\n');

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] judge editing tests skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(skip)('write and edit a judge and re-run it (UI only, typing at full speed and slowly)', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracedeck-judges-'));
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    await page.goto(srv.url);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The judge's stored source, read back (never set) through the backend. */
  async function stored(id: string): Promise<string> {
    const j = await srv.server.backend.call('getJudge', { id });
    if (!j) throw new Error(`no stored judge ${id}`);
    return j.source;
  }

  /** Expect the editor to show exactly `expected` (fails with both texts). */
  async function expectEditor(expected: string): Promise<void> {
    expect(await waitForEditorText(page, expected)).toBe(expected);
  }

  /** Wait for the live re-run of the text in the editor now (not of an earlier text). */
  async function currentPreview(): Promise<{ status: string; rationale: string; score: string }> {
    await page.locator('[data-testid=judge-preview][data-current=true]').waitFor({ timeout: 30_000 });
    return page.evaluate(() => ({
      status: document.querySelector('[data-testid=verdict-status]')?.textContent ?? '',
      rationale: document.querySelector('[data-testid=preview-rationale]')?.textContent ?? '',
      score: document.querySelector('[data-testid=preview-score]')?.textContent ?? '',
    }));
  }

  async function chooseTrace(id: string): Promise<void> {
    await page.getByTestId('judge-trace-select').selectOption(id);
  }

  async function unsaved(): Promise<boolean> {
    return (await page.locator('[data-testid=judge-editor] .jd-dirty').count()) > 0;
  }

  async function save(id: string): Promise<void> {
    await page.getByTestId('judge-save').click();
    await page.waitForFunction((h) => location.hash === h || document.querySelector('[data-testid=judge-message].text-error'), `#/judges/j/${id}`, { timeout: 15_000 });
    // A refused save says why: show it rather than time out.
    const refused = page.locator('[data-testid=judge-message].text-error');
    if (await refused.count()) expect.fail(`save refused: ${await refused.textContent()}`);
    await page.waitForFunction((h) => location.hash === h, `#/judges/j/${id}`, { timeout: 15_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid=judge-editor] .jd-dirty'), null, { timeout: 15_000 });
  }

  async function openJudge(id: string): Promise<void> {
    await page.locator(`[data-testid=judge-list] a[href="#/judges/j/${id}"]`).click();
    await page.locator(`[data-testid=judge-source][data-ready=true][data-path="/judges/${id}.judge.ts"]`).waitFor({ timeout: 30_000 });
  }

  /** Start a run of one judge over every trace from the Runs tab; the counts when it is done. */
  async function runJudge(id: string): Promise<{ pass: number; fail: number; error: number }> {
    await page.getByTestId('judges-tab-runs').click();
    await page.getByTestId('run-panel').waitFor();
    for (const box of await page.locator('[data-testid^=run-judge-]').all()) await box.setChecked(false);
    await page.getByTestId(`run-judge-${id}`).check();
    const before = await page.evaluate(() => location.hash);
    await page.getByTestId('run-start').click();
    // The new run opens in the run view (its own URL).
    await page.waitForFunction(
      (h) => (location.hash !== h && /\/\d+$/.test(location.hash)) || document.querySelector('[data-testid=run-panel] .text-error'),
      before,
      { timeout: 30_000 },
    );
    const refused = page.locator('[data-testid=run-panel] .text-error');
    if (await refused.count()) expect.fail(`run refused: ${await refused.textContent()}`);
    await page.locator('[data-testid=run-view][data-status=done]').waitFor({ timeout: 60_000 });
    const counts = (await page.$$eval('[data-testid=run-counts] > span', (xs) => xs.map((x) => x.textContent).join(' | '))) ?? '';
    const n = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(counts)?.[1] ?? NaN);
    return { pass: n('pass'), fail: n('fail'), error: n('error') };
  }

  it('imports the trace files through the file input', async () => {
    await importThroughUi(page, FILES, 6);
  });

  it('creates a code judge by pasting into Monaco; the live re-run follows it', async () => {
    await page.getByTestId('tab-judges').click();
    await page.getByTestId('new-judge-code').click();
    await page.locator('[data-testid=judge-editor][data-kind=code] [data-testid=judge-source][data-ready=true]').waitFor({ timeout: 30_000 });
    await chooseTrace(PHOENIX);
    await focusEditor(page);
    await page.keyboard.press('ControlOrMeta+A');
    await pasteIntoEditor(page, SPAN_BUDGET);
    await expectEditor(SPAN_BUDGET);
    // Phoenix has 18 spans: 18 > 10 fails; score 1 − 18·0.05 = 0.1 (0.09999999999999987 in floats).
    expect(await currentPreview()).toEqual({ status: 'fail', rationale: 'spans: 18', score: 'score 0.1' });
    await page.getByTestId('judge-id').fill('span-budget');
    await save('span-budget');
    await expectEditor(SPAN_BUDGET);
  });

  it('types a 33-character comment at the end of a line at full speed (0 ms per key): every key lands where it was typed', async () => {
    expect(COMMENT).toHaveLength(33);
    await focusEditor(page);
    await caretToLineEnd(page, 4);
    await page.keyboard.type(COMMENT, { delay: 0 });
    const expected = withLine(SPAN_BUDGET, 4, (l) => l + COMMENT);
    await expectEditor(expected);
    expect(await unsaved()).toBe(true);
    // Typing on: the caret is still at the end of the comment, not at line 1, column 1.
    await page.keyboard.type('!', { delay: 0 });
    await expectEditor(withLine(SPAN_BUDGET, 4, (l) => `${l + COMMENT}!`));
    await page.keyboard.press('Backspace');
    await expectEditor(expected);
    expect(await currentPreview()).toEqual({ status: 'fail', rationale: 'spans: 18', score: 'score 0.1' });
  });

  it('undo walks the typing back to the saved text (no longer unsaved) and redo brings it back', async () => {
    const typed = withLine(SPAN_BUDGET, 4, (l) => l + COMMENT);
    let text = await editorText(page);
    for (let i = 0; i < 60 && text !== SPAN_BUDGET; i++) {
      await page.keyboard.press('ControlOrMeta+Z');
      text = await editorText(page);
      // Every intermediate state is the saved text plus a prefix of the comment, on line 4 (the
      // first undo brings back the "!" that Backspace removed).
      const l4 = lines(text)[3]!;
      expect(withLine(text, 4, () => lines(SPAN_BUDGET)[3]!), `after ${i + 1} undo(s)`).toBe(SPAN_BUDGET);
      expect(`${COMMENT}!`.startsWith(l4.slice(lines(SPAN_BUDGET)[3]!.length)), `line 4 after ${i + 1} undo(s): ${l4}`).toBe(true);
    }
    await expectEditor(SPAN_BUDGET);
    await page.waitForFunction(() => !document.querySelector('[data-testid=judge-editor] .jd-dirty'), null, { timeout: 10_000 });
    for (let i = 0; i < 60 && (await editorText(page)) !== typed; i++) await page.keyboard.press('ControlOrMeta+Shift+Z');
    await expectEditor(typed);
    expect(await unsaved()).toBe(true);
  });

  it('changes the threshold at 30 ms per key; the live re-run and the saved judge have exactly that text', async () => {
    // Langfuse joke-generator: 13 spans. "<= 10" fails it, "<= 15" passes it, "<= 1" fails it.
    await chooseTrace(LANGFUSE);
    const before = withLine(SPAN_BUDGET, 4, (l) => l + COMMENT);
    expect(await currentPreview()).toMatchObject({ status: 'fail', rationale: 'spans: 13' });
    await focusEditor(page);
    // Line 5 is "  return { pass: n <= 10, …": Home goes to "return"; "<= 10" ends 22 keys on.
    await caretToLineEnd(page, 5);
    await page.keyboard.press('Home');
    for (let i = 0; i < 22; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace', { delay: 30 });
    await page.keyboard.type('<= 15', { delay: 30 });
    const expected = withLine(before, 5, (l) => l.replace('n <= 10,', 'n <= 15,'));
    await expectEditor(expected);
    expect(await currentPreview()).toEqual({ status: 'pass', rationale: 'spans: 13', score: 'score 0.35' });
    await save('span-budget');
    await expectEditor(expected);
    // What was stored is exactly what was typed (read back, not set up, through the backend).
    expect(await stored('span-budget')).toBe(expected);
  });

  it('re-runs the saved judge over every trace: 5 pass (≤ 15 spans), 1 fails (18)', async () => {
    expect(await runJudge('span-budget')).toEqual({ pass: 5, fail: 1, error: 0 });
    await page.getByTestId('verdict-row').first().waitFor();
    const scores = await page.$$eval('[data-testid=verdict-row] td:nth-child(4)', (tds) => tds.map((t) => t.textContent ?? ''));
    // 1 − n·0.05 for n = 18, 13, 8, 8, 8, 5: printed without floating-point noise.
    expect([...scores].sort()).toEqual(['0.1', '0.35', '0.6', '0.6', '0.6', '0.75']);
    // Traces by name: the three Inspect samples (ids of random letters) are told apart.
    const names = await page.$$eval('[data-testid=verdict-trace]', (as) => as.map((a) => a.textContent ?? ''));
    expect([...names].sort()).toEqual([
      'joke-generator',
      'mix phx.server doesnt seem to start',
      'pxi.turn',
      'security_guide 1',
      'security_guide 2',
      'security_guide 3',
    ]);
    await screenshot(page, 'judge-editing-run-15');
  });

  it('edits the threshold again at full speed and the re-run flips the last trace', async () => {
    await page.getByTestId('judges-tab-judges').click();
    await openJudge('span-budget');
    await chooseTrace(PHOENIX);
    const start = await stored('span-budget');
    await expectEditor(start);
    await focusEditor(page);
    await caretToLineEnd(page, 5);
    await page.keyboard.press('Home');
    for (let i = 0; i < 22; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type('20', { delay: 0 });
    const expected = withLine(start, 5, (l) => l.replace('n <= 15,', 'n <= 20,'));
    await expectEditor(expected);
    expect(await currentPreview()).toEqual({ status: 'pass', rationale: 'spans: 18', score: 'score 0.1' });
    await screenshot(page, 'judge-editing-live');
    await save('span-budget');
    expect(await stored('span-budget')).toBe(expected);
    expect(await runJudge('span-budget')).toEqual({ pass: 6, fail: 0, error: 0 });
  });

  it('switching judges back and forth keeps each judge’s own text, unsaved edits included', async () => {
    await page.getByTestId('judges-tab-judges').click();
    await page.getByTestId('new-judge-code').click();
    await page.locator('[data-testid=judge-source][data-ready=true][data-path="/judges/new/code.judge.ts"]').waitFor({ timeout: 30_000 });
    await focusEditor(page);
    await page.keyboard.press('ControlOrMeta+A');
    await pasteIntoEditor(page, TOOL_FAILURES);
    await expectEditor(TOOL_FAILURES);
    await page.getByTestId('judge-id').fill('tool-failures');
    await save('tool-failures');

    const budget = await stored('span-budget');
    const budgetEdited = withLine(budget, 2, (l) => `${l} // edited`);
    const toolsEdited = withLine(TOOL_FAILURES, 4, (l) => `${l} // errors only`);

    await focusEditor(page);
    await caretToLineEnd(page, 4);
    await page.keyboard.type(' // errors only', { delay: 0 });
    await expectEditor(toolsEdited);

    await openJudge('span-budget');
    await expectEditor(budget);
    await focusEditor(page);
    await caretToLineEnd(page, 2);
    await page.keyboard.type(' // edited', { delay: 0 });
    await expectEditor(budgetEdited);

    for (let round = 0; round < 3; round++) {
      await openJudge('tool-failures');
      await expectEditor(toolsEdited);
      expect(await unsaved()).toBe(true);
      await openJudge('span-budget');
      await expectEditor(budgetEdited);
      expect(await unsaved()).toBe(true);
    }
    // The stored judges are untouched by unsaved edits.
    expect(await stored('tool-failures')).toBe(TOOL_FAILURES);
    expect(await stored('span-budget')).toBe(budget);

    // Revert replaces the text with the saved judge, as one undoable edit.
    await page.getByTestId('judge-revert').click();
    await expectEditor(budget);
    expect(await unsaved()).toBe(false);
    await focusEditor(page);
    await page.keyboard.press('ControlOrMeta+Z');
    await expectEditor(budgetEdited);
    await page.getByTestId('judge-revert').click();
    await expectEditor(budget);
  });

  it('reloads a judge changed on disk (export, edit the file, import the folder) and after a page reload', async () => {
    await page.getByLabel('Judges folder').fill(dir);
    await page.getByRole('button', { name: 'Export to folder' }).click();
    await page.getByText(/Wrote 2 file\(s\)/).waitFor({ timeout: 15_000 });
    const file = join(dir, 'span-budget.judge.ts');
    const onDisk = readFileSync(file, 'utf8');
    const changed = onDisk.replace('n <= 20,', 'n <= 12,');
    expect(changed).not.toBe(onDisk);
    writeFileSync(file, changed);
    await page.getByRole('button', { name: 'Import folder' }).click();
    await page.getByText(/Imported 2 judge\(s\)/).waitFor({ timeout: 15_000 });
    // The open judge shows the file's text; the live re-run follows (Phoenix: 18 > 12 fails).
    const fromDisk = await stored('span-budget');
    expect(fromDisk).toContain('n <= 12,');
    await expectEditor(fromDisk);
    expect(await unsaved()).toBe(false);
    expect(await currentPreview()).toMatchObject({ status: 'fail', rationale: 'spans: 18' });

    await page.reload();
    await page.locator('[data-testid=judge-source][data-ready=true][data-path="/judges/span-budget.judge.ts"]').waitFor({ timeout: 30_000 });
    await expectEditor(fromDisk);
    await screenshot(page, 'judge-editing-reloaded');
  });

  it('a type error in the editor is named beside the live re-run (the preview runs the code as written)', async () => {
    await openJudge('tool-failures');
    await expectEditor(TOOL_FAILURES);
    await chooseTrace(PHOENIX);
    await currentPreview();
    const warning = page.getByTestId('judge-type-errors');
    expect(await warning.count()).toBe(0);
    // A misspelt property at full speed: TypeScript flags it, the transpiled code still runs.
    await focusEditor(page);
    await caretToLineEnd(page, 4);
    await page.keyboard.press('Enter');
    await page.keyboard.type('const typo = bad.lenght;', { delay: 0 });
    // The TypeScript worker may first report a text from half-way through the typing.
    await warning.filter({ hasText: "line 5: Property 'lenght'" }).waitFor({ timeout: 30_000 });
    expect(await warning.textContent()).toMatch(/^1 type error in the editor: the preview ran the code as written\. line 5: Property 'lenght' does not exist/);
    // The preview still runs the judge (no compile error), now with the warning beside it.
    expect((await currentPreview()).rationale).toMatch(/^failed: \d+$/);
    await screenshot(page, 'judge-editing-type-error');
    // Corrected slowly (30 ms per key): the warning goes.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('th;', { delay: 30 });
    await warning.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('judge-revert').click();
    await expectEditor(TOOL_FAILURES);
  });

  it('shows the run of the text on screen when an older edit’s request reaches the server last', async () => {
    // A slow judge (1.2 s a run), edited while an older edit's request is held back on its way
    // (another connection, a busy server): the older request must not stop the newer run.
    const slow = (tag: string) =>
      [
        "import type { Trace, JudgeResult } from 'tracedeck/judge';",
        'export default function (trace: Trace): JudgeResult {',
        '  const t = Date.now();',
        '  while (Date.now() - t < 1200) {}',
        `  return { pass: true, rationale: 'slow ${tag}' };`,
        '}',
      ].join('\n');
    await openJudge('tool-failures');
    await chooseTrace(PHOENIX);
    await currentPreview();
    const slowServer = await holdRpc(page, 'previewJudge', (body) => body.includes('slow v1'));
    const v1Sent = rpcSent(page, 'previewJudge', 'slow v1');
    const v2Sent = rpcSent(page, 'previewJudge', 'slow v2');
    // v1's request goes on once v2's has been running for 500 ms.
    v2Sent.then(
      () => setTimeout(slowServer.release, 500),
      () => slowServer.release(), // no v2 request: the test fails on its own; nothing stays held
    );
    try {
      await focusEditor(page);
      await page.keyboard.press('ControlOrMeta+A');
      await pasteIntoEditor(page, slow('v1'));
      await v1Sent;
      // 'v1' → 'v2' at full speed: the caret after the "1" of line 5, one key out, one in.
      await caretToLineEnd(page, 5);
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Backspace');
      await page.keyboard.type('2', { delay: 0 });
      await expectEditor(slow('v2'));
      expect(await currentPreview()).toEqual({ status: 'pass', rationale: 'slow v2', score: '' });
      expect(await page.getByTestId('preview-error').count()).toBe(0);
      await screenshot(page, 'judge-editing-out-of-order');
    } finally {
      await slowServer.restore();
    }
    await page.getByTestId('judge-revert').click();
    await expectEditor(TOOL_FAILURES);
  });

  it('loaded nothing from outside the app, broke no CSP rule and threw nothing', async () => {
    await collectCspViolations(page, problems);
    expect(problems.foreignRequests).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
  });
});
