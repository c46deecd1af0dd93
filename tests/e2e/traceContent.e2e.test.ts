import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, collectCspViolations, launchChromium, openPage, screenshot, type PageProblems } from './support/browser';
import { CHROMIUM, FIXTURES } from './support/paths';
import { startTestServer, type TestServer } from './support/server';
import { importThroughUi } from './support/ui';

// Reading content (issue 15, items 1, 2, 3, 7) through the UI only: Markdown messages with a raw
// toggle, links behind a confirmation, Monaco-coloured code, image thumbnails that open larger,
// audio / file parts named, retrieved documents, and notes with recorded scores.
// Facts read from the two fixtures (tests/fixtures/HANDMADE.md, "issue 15"):
// - langfuse/handmade-langfuse-multimodal-retriever.trace.json: trace 15a0c0de… 'RetrievalQA';
//   ChatOpenAI (a15a…03) user message = text + PNG data URI + remote https image + WAV input_audio
//   (844 bytes) + policy.pdf file (136 bytes); reply = Markdown with an h2, a 3-item ordered list,
//   a link to https://example.com/policy/refunds, a ```python block and a 2-row table.
//   ChatAnthropic (…04): base64 JPEG, base64 SVG (refused), terms.pdf. ChatGoogleGenerativeAI
//   (…05): WebP inline_data, malformed PNG base64, gs:// video. VectorStoreRetriever (…02):
//   2 LangChain documents. Scores: answer_relevance 0.9 (trace), context_precision 0.5 (…02),
//   hallucination 0.8 (…03, a defect score: fails), reviewer 0 with dataType BOOLEAN (…04: false, fails).
// - otlp-json/handmade-multimodal-rag-openinference.json: trace 5eed…15 'support-agent'; span
//   'retrieve' with retrieval.documents 0..2 (kb-refunds-001 0.913, kb-giftcards-007 0.774,
//   kb-shipping-003 0.412).
const LANGFUSE = join(FIXTURES, 'langfuse/handmade-langfuse-multimodal-retriever.trace.json');
const OI = join(FIXTURES, 'otlp-json/handmade-multimodal-rag-openinference.json');
const LF_TRACE = '15a0c0de15a0c0de15a0c0de15a0c0de';
const OI_TRACE = '5eed0000000000000000000000000015';
const SPAN = { retriever: 'a15a000000000002', openai: 'a15a000000000003', anthropic: 'a15a000000000004', gemini: 'a15a000000000005' };

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] trace content tests skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(skip)('trace content: Markdown, media, documents, notes and scores', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  const popups: string[] = [];
  const external: string[] = [];

  async function openTrace(traceId: string, name: string) {
    await page.goto(`${srv.url}/`);
    await page.locator('.trace-row', { hasText: name }).first().click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=trace-view]')?.getAttribute('data-trace-id') === id, traceId, {
      timeout: 30_000,
    });
  }

  async function selectSpan(spanId: string) {
    await page.locator(`[role=treeitem][data-span-id="${spanId}"]`).click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=trace-view]')?.getAttribute('data-selected-span') === id, spanId);
  }

  /** The message of a role in the open span's conversation. */
  const message = (role: string) => page.getByTestId('span-detail').locator(`[data-testid=message][data-role=${role}]`).first();

  beforeAll(async () => {
    srv = await startTestServer();
    browser = await launchChromium();
    ({ page, problems } = await openPage(browser, srv.url));
    page.on('popup', (p) => popups.push(p.url()));
    // Every request leaving the app's origin is recorded and answered locally (nothing reaches out).
    await page.context().route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => {
      external.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'external page (test)' });
    });
    await page.goto(`${srv.url}/`);
    await importThroughUi(page, [LANGFUSE, OI], 2);
    await page.getByRole('button', { name: 'Close imports panel' }).click();
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('renders the reply as Markdown: heading, list, table, and a code block coloured by Monaco', async () => {
    await openTrace(LF_TRACE, 'RetrievalQA');
    await selectSpan(SPAN.openai);
    const reply = message('assistant');
    const md = reply.getByTestId('markdown');
    await md.waitFor();
    expect(await md.locator('h2').textContent()).toBe('Refund policy, in short');
    expect(await md.locator('ol > li').allTextContents()).toEqual(['Keep the receipt.', 'Items must be unused.', 'Refunds go to the original payment method.']);
    expect(await md.locator('strong').first().textContent()).toBe('unused');
    expect(await md.locator('table tbody tr').count()).toBe(2);
    expect(await md.locator('.md-code-inline').textContent()).toBe('non-refundable');
    // Monaco's colorizer ran: the code is split into token spans with its theme classes.
    const code = md.locator('pre.md-code[data-colorized=true]');
    await code.waitFor({ timeout: 30_000 });
    expect(await code.locator('span[class^=mtk]').count()).toBeGreaterThan(5);
    expect((await code.textContent())?.split('\n')).toEqual([
      'from datetime import date, timedelta',
      '',
      'def within_window(bought: date, today: date) -> bool:',
      '    return today - bought <= timedelta(days=30)',
    ]);
    const colours = await code.locator('span[class^=mtk]').evaluateAll((els) => new Set(els.map((e) => getComputedStyle(e).color)).size);
    expect(colours).toBeGreaterThan(2);
    await reply.scrollIntoViewIfNeeded();
    await screenshot(page, 'content-markdown-reply');
  });

  it('a link opens only after confirming; Escape cancels; the app never navigates', async () => {
    const url = page.url();
    const link = message('assistant').locator('.md-link', { hasText: 'full policy' });
    expect(await link.getAttribute('data-href')).toBe('https://example.com/policy/refunds');
    await link.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('link-confirm');
    await dialog.waitFor();
    expect(await dialog.locator('.md-dialog-url').textContent()).toBe('https://example.com/policy/refunds');
    await screenshot(page, 'content-link-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('full policy');
    expect(popups).toEqual([]);
    // Confirmed: a new tab opens on the address; this page stays where it was.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Open link' }).click();
    const tab = await popup;
    await tab.waitForLoadState().catch(() => undefined);
    expect(tab.url()).toBe('https://example.com/policy/refunds');
    await tab.close();
    expect(page.url()).toBe(url);
  });

  it('the raw toggle shows the text as written, is reached with the keyboard and is remembered', async () => {
    const toggle = page.getByTestId('span-detail').getByTestId('raw-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const raw = message('assistant').getByTestId('raw-text');
    expect(await raw.textContent()).toContain('## Refund policy, in short');
    expect(await message('assistant').getByTestId('markdown').count()).toBe(0);
    await page.reload();
    await page.waitForFunction((id) => document.querySelector('[data-testid=trace-view]')?.getAttribute('data-trace-id') === id, LF_TRACE, {
      timeout: 30_000,
    });
    await selectSpan(SPAN.openai);
    await message('assistant').getByTestId('raw-text').waitFor();
    expect(await page.getByTestId('span-detail').getByTestId('raw-toggle').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('span-detail').getByTestId('raw-toggle').focus();
    await page.keyboard.press(' ');
    await message('assistant').getByTestId('markdown').waitFor();
  });

  it('OpenAI parts: the PNG as a thumbnail that opens with Enter and closes with Escape; remote image, audio and file named', async () => {
    const user = message('user');
    const thumbs = user.getByTestId('media-thumb');
    expect(await thumbs.count()).toBe(1);
    expect(await thumbs.locator('img').getAttribute('src')).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(await thumbs.locator('img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(48);
    const chips = await user.getByTestId('media-chip').allTextContents();
    expect(chips).toHaveLength(3);
    expect(chips[0]).toContain('https://images.example.com/receipt-42.png');
    expect(chips[0]).toContain('remote image: not fetched');
    expect(chips[1]).toContain('audio/wav · 844 B');
    expect(chips[2]).toContain('policy.pdf');
    expect(chips[2]).toContain('application/pdf · 136 B');
    expect(await page.locator('img[src*="images.example.com"]').count()).toBe(0);

    await thumbs.focus();
    await page.keyboard.press('Enter');
    const box = page.getByTestId('media-lightbox');
    await box.waitFor();
    const big = await box.locator('img').boundingBox();
    expect(big!.width).toBeGreaterThanOrEqual(240);
    await screenshot(page, 'content-image-lightbox');
    await page.keyboard.press('Escape');
    await box.waitFor({ state: 'detached' });
    // Focus went back to the thumbnail, and the span detail is still open (Escape was the box's).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('media-thumb');
    await page.getByTestId('span-detail').waitFor();
    await user.scrollIntoViewIfNeeded();
    await screenshot(page, 'content-openai-parts');
  });

  it('Anthropic parts: the JPEG shown, the SVG refused, the PDF named', async () => {
    await selectSpan(SPAN.anthropic);
    const user = message('user');
    await user.getByTestId('media-parts').waitFor();
    expect(await user.locator('[data-testid=media-thumb] img').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    const chips = await user.getByTestId('media-chip').allTextContents();
    expect(chips[0]).toContain('image/svg+xml');
    expect(chips[0]).toContain('SVG is not shown from trace data');
    expect(chips[1]).toContain('terms.pdf');
    expect(await page.locator('img[src^="data:image/svg"]').count()).toBe(0);
    await screenshot(page, 'content-anthropic-parts');
  });

  it('Gemini parts: the WebP shown, malformed base64 refused, the gs:// video kept as text', async () => {
    await selectSpan(SPAN.gemini);
    const user = message('user');
    await user.getByTestId('media-parts').waitFor();
    expect(await user.locator('[data-testid=media-thumb] img').getAttribute('src')).toMatch(/^data:image\/webp;base64,UklGR/);
    const chips = await user.getByTestId('media-chip').allTextContents();
    expect(chips[0]).toContain('malformed base64: not shown');
    expect(chips[1]).toContain('gs://example-bucket/clip.mp4');
    expect(chips[1]).toContain('video/mp4');
  });

  it('a LangChain retriever lists its documents with id and metadata', async () => {
    await selectSpan(SPAN.retriever);
    const docs = page.getByTestId('span-detail').getByTestId('document');
    await docs.first().waitFor();
    expect(await page.getByTestId('span-detail').getByRole('tab', { name: /Documents \(2\)/ }).getAttribute('aria-selected')).toBe('true');
    expect(await docs.count()).toBe(2);
    expect(await docs.nth(0).locator('.doc-id').textContent()).toBe('kb-refunds-001');
    expect(await docs.nth(0).getByTestId('markdown').textContent()).toBe('Refunds: unused items may be returned within 30 days of purchase with a receipt.');
    expect(await docs.nth(1).locator('.doc-head').textContent()).toContain('no id');
    await docs.nth(0).locator('.doc-meta summary').focus();
    await page.keyboard.press('Enter');
    expect(await docs.nth(0).getByTestId('json-view').textContent()).toContain('relevance_score');
  });

  it('notes and recorded scores: on the span (strip and tab) and together in the trace panel', async () => {
    // The retriever's own score, reached from the strip in the span header.
    const strip = page.getByTestId('span-notes-strip');
    expect((await strip.textContent())?.replace(/\s+/g, ' ')).toContain('context_precision 0.5');
    await strip.focus();
    await page.keyboard.press('Enter');
    const note = page.getByTestId('span-note');
    await note.first().waitFor();
    expect(await note.count()).toBe(1);
    expect(await note.first().textContent()).toContain('Only one of the two retrieved documents is about refunds.');
    // The OpenAI call's hallucination score (a defect score of 0.8: fails).
    await selectSpan(SPAN.openai);
    await page.getByTestId('span-detail').getByRole('tab', { name: 'Notes & scores (1)' }).click();
    expect(await note.first().getAttribute('data-pass')).toBe('false');
    expect(await note.first().textContent()).toContain('The reply invents a **free shipping** rule not in the context.');
    await screenshot(page, 'content-span-notes');
  });

  it('a human label written in the labelling view shows beside the recorded scores in the trace panel', async () => {
    await page.getByTestId('tab-labels').click();
    await page.locator('[data-testid=labeling-view][data-state=ready]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=labeling-view]').focus();
    for (let i = 0; i < 3 && (await page.getByTestId('label-trace-name').textContent())?.trim() !== 'RetrievalQA'; i++) {
      const before = await page.getByTestId('label-trace-name').textContent();
      await page.keyboard.press('n');
      await page.waitForFunction((b) => document.querySelector('[data-testid=label-trace-name]')?.textContent !== b, before, { timeout: 10_000 });
    }
    expect((await page.getByTestId('label-trace-name').textContent())?.trim()).toBe('RetrievalQA');
    await page.keyboard.press('f');
    await page.locator('[data-testid=save-indicator][data-save=saved]').waitFor({ timeout: 10_000 });
    await page.keyboard.press('c');
    await page.keyboard.type('Described the SVG although it was never shown.');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=save-indicator][data-save=saved]').waitFor({ timeout: 10_000 });

    await openTrace(LF_TRACE, 'RetrievalQA');
    const panel = page.getByTestId('recorded-evaluations');
    await panel.waitFor({ timeout: 30_000 });
    const head = panel.locator('.tv-evals-head');
    expect((await head.textContent())?.replace(/\s+/g, ' ')).toContain('human: fail');
    expect((await head.textContent())?.replace(/\s+/g, ' ')).toContain('2 pass · 2 fail');
    await head.focus();
    await page.keyboard.press('Enter');
    const label = panel.getByTestId('label-note');
    await label.waitFor();
    expect(await label.textContent()).toContain('Described the SVG although it was never shown.');
    const rows = await panel.getByTestId('recorded-evaluation').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => (td.textContent ?? '').trim())),
    );
    expect(rows).toEqual([
      ['answer_relevance', '0.9', 'pass'],
      ['context_precision', '0.5', 'pass'],
      ['hallucination', '0.8', 'fail'],
      ['reviewer', 'false', 'fail'],
    ]);
    await screenshot(page, 'content-trace-notes-and-scores');
  });

  it('OpenInference retrieval.documents: id, score and metadata in rank order', async () => {
    await openTrace(OI_TRACE, 'support-agent');
    await selectSpan('1500000000000002');
    const docs = page.getByTestId('span-detail').getByTestId('document');
    await docs.first().waitFor();
    expect(await docs.locator('.doc-id').allTextContents()).toEqual(['kb-refunds-001', 'kb-giftcards-007', 'kb-shipping-003']);
    expect(await docs.getByTestId('document-score').allTextContents()).toEqual(['0.913', '0.774', '0.412']);
    // Document text is Markdown too.
    expect(await docs.nth(0).locator('strong').textContent()).toBe('30 days');
    await screenshot(page, 'content-retrieval-documents');
  });

  it('fetched nothing from outside, opened only the confirmed tab, broke no CSP rule', async () => {
    await collectCspViolations(page, problems);
    expect(external).toEqual(['https://example.com/policy/refunds']);
    expect(popups).toEqual(['https://example.com/policy/refunds']);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });
});
