import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { backToLibrary } from './support/ui';
import { startTestServer, type TestServer } from './support/server';
import { holdRpc } from './support/slowServer';

// Facts read from the fixture file itself (18 spans in one trace 'fixture-trace-1': an AGENT
// root 'pxi.turn' from 00:00:00 to 00:00:35, 9 LLM + 8 TOOL children, span s11
// add_spans_to_dataset has status_code ERROR).
const PHOENIX = join(FIXTURES, 'openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const PHOENIX_NAME = 'phoenix-rest-spans-agent-turn-tools-error.json';
const PHOENIX_TRACE = 'fixture-trace-1';
// 5 spans in one trace '00000000000000000000000000000011', none with a parent, no error status.
// The import stores them under one synthetic root ('tracedeck.root', added by the finaliser for
// traces with several roots), so the import reports 5 spans and the library lists 6.
const JAEGER = join(FIXTURES, 'otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json');
const JAEGER_NAME = 'jaeger-integration-fixture-example-trace-multi-resource.json';
const BAD_NAME = 'broken-otlp-export.json';

const skip = !chromiumAvailable();
if (skip) console.warn(`[e2e] library tests skipped: no Chromium at ${CHROMIUM}`);

/** Text of the trace grid's rows, top to bottom, as arrays of cell texts. */
async function gridRows(page: Page): Promise<string[][]> {
  return page.$$eval('.trace-grid [role=row][data-trace-index]', (rows) =>
    rows
      .map((r) => ({
        i: Number((r as HTMLElement).dataset.traceIndex),
        cells: [...r.querySelectorAll('[role=gridcell]')].map((c) => (c.textContent ?? '').trim()),
      }))
      .sort((a, b) => a.i - b.i)
      .map((r) => r.cells),
  );
}

const COL = { name: 0, format: 1, start: 2, duration: 3, status: 4, spans: 5, llm: 6, tools: 7, toolErrors: 8, evals: 9, tokens: 10, cost: 11, source: 12 };

async function traceCount(page: Page): Promise<string> {
  return (await page.getByTestId('trace-count').textContent())?.trim() ?? '';
}

async function waitForCount(page: Page, prefix: string): Promise<void> {
  await page.waitForFunction(
    (p) => document.querySelector('[data-testid=trace-count]')?.textContent?.trim().startsWith(p),
    prefix,
    { timeout: 15_000 },
  );
}

describe.skipIf(skip)('library view in Chromium (browser mode)', () => {
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;
  let tmp: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-files-'));
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

  it('starts empty and shows the OTLP endpoint from appInfo', async () => {
    await page.getByText('No traces yet').waitFor();
    await waitForCount(page, '0 traces');
    const endpoint = srv.server.otlpEndpoint!;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/traces$/);
    await page.getByTestId('otlp-endpoint').getByText(endpoint, { exact: true }).waitFor();
    await page.locator('.empty-state').getByText(endpoint).waitFor();
  });

  it('imports a file through the file input and lists it with 18 spans and its failed tool call', async () => {
    await page.getByTestId('import-input').setInputFiles(PHOENIX);
    const item = page.locator(`.import-item[data-import-file="${PHOENIX_NAME}"]`);
    await item.locator('.import-icon.good').waitFor({ timeout: 30_000 });
    await expect(item.textContent()).resolves.toContain('1 trace, 18 spans');
    await backToLibrary(page);
    await waitForCount(page, '1 trace');

    const rows = await gridRows(page);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row[COL.spans]).toBe('18');
    expect(row[COL.llm]).toBe('9');
    // 8 tool calls, one of them failed
    expect(row[COL.tools]).toBe('8');
    expect(row[COL.toolErrors]).toBe('✕1');
    expect(row[COL.duration]).toBe('35.0s');
    expect(row[COL.source]).toBe(PHOENIX_NAME);
    expect(row[COL.format]).toBe('openinference');
    // The AGENT root s01 says OK: the failed tool call does not make a failed run.
    expect(row[COL.status]).toBe('ok');
  });

  it('sorts by spans through the header (server-side) and filters by text', async () => {
    await page.getByTestId('import-input').setInputFiles(JAEGER);
    const item = page.locator(`.import-item[data-import-file="${JAEGER_NAME}"]`);
    await item.locator('.import-icon.good').waitFor({ timeout: 30_000 });
    await expect(item.textContent()).resolves.toContain('1 trace, 5 spans');
    await backToLibrary(page);
    await waitForCount(page, '2 traces');

    const spansHeader = page.locator('button.sort-button[data-sort="spans"]');
    await spansHeader.click(); // first click on a numeric column: largest first
    await page.waitForFunction(() => document.querySelector('[role=columnheader].col-spans')?.getAttribute('aria-sort') === 'descending');
    await page.waitForFunction(() => document.querySelector('[data-trace-index="0"] .col-spans')?.textContent === '18');
    expect((await gridRows(page)).map((r) => r[COL.spans])).toEqual(['18', '6']);

    await spansHeader.click();
    await page.waitForFunction(() => document.querySelector('[data-trace-index="0"] .col-spans')?.textContent === '6');
    expect((await gridRows(page)).map((r) => r[COL.spans])).toEqual(['6', '18']);
    expect(await page.getAttribute('[role=columnheader].col-spans', 'aria-sort')).toBe('ascending');

    // '/' focuses the filter box from anywhere
    await page.locator('.trace-grid').focus();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Filter traces');
    await page.keyboard.type('phoenix-rest', { delay: 0 });
    await waitForCount(page, '1 trace');
    expect(await traceCount(page)).toBe('1 trace of 2');
    const filtered = await gridRows(page);
    expect(filtered.map((r) => r[COL.source])).toEqual([PHOENIX_NAME]);

    await page.keyboard.press('Escape'); // clears the text
    await waitForCount(page, '2 traces');

    // Slowly: every key is answered before the next (no debounce; at full speed the keys after the
    // first wait as one query), and the last answer is the one shown.
    await page.keyboard.type('phoenix-rest', { delay: 150 });
    await waitForCount(page, '1 trace');
    expect(await traceCount(page)).toBe('1 trace of 2');
    expect((await gridRows(page)).map((r) => r[COL.source])).toEqual([PHOENIX_NAME]);
    await page.keyboard.press('Escape');
    await waitForCount(page, '2 traces');
  });

  it('a sort repaints the rows in place: the old rows stay, inert, until the answer arrives', async () => {
    // Left by the test above: sorted by spans ascending, no filter.
    await page.waitForFunction(() => document.querySelector('[data-trace-index="0"] .col-spans')?.textContent === '6');
    expect((await gridRows(page)).map((r) => r[COL.spans])).toEqual(['6', '18']);
    const libraryHash = await page.evaluate(() => location.hash);
    await page.evaluate(() => {
      (window as unknown as { __row0: Element | null }).__row0 = document.querySelector('.trace-grid [data-trace-index="0"]');
    });
    // A slow server, played by holding the answer back: what shows while the query is out.
    const slow = await holdRpc(page, 'listTraces');
    try {
      await page.locator('button.sort-button[data-sort="spans"]').click();
      await page.locator('.trace-grid[aria-busy=true]').waitFor();
      // The previous order, not placeholders.
      expect((await gridRows(page)).map((r) => r[COL.spans])).toEqual(['6', '18']);
      expect(await page.locator('.trace-row.placeholder').count()).toBe(0);
      // Not to be opened meanwhile: a click on a row and Enter on the selection do nothing.
      const box = (await page.locator('.trace-grid [data-trace-index="0"]').boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.locator('.trace-grid').focus();
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => location.hash)).toBe(libraryHash);
    } finally {
      await slow.restore();
    }
    await page.waitForFunction(() => document.querySelector('[data-trace-index="0"] .col-spans')?.textContent === '18');
    await page.locator('.trace-grid:not([aria-busy])').waitFor();
    expect((await gridRows(page)).map((r) => r[COL.spans])).toEqual(['18', '6']);
    // The same row element, its cells rewritten (a remount would build every visible row anew).
    expect(
      await page.evaluate(() => (window as unknown as { __row0: Element | null }).__row0 === document.querySelector('.trace-grid [data-trace-index="0"]')),
    ).toBe(true);
    // Rows answer clicks again: back to ascending for the tests below.
    await page.locator('button.sort-button[data-sort="spans"]').click();
    await page.waitForFunction(() => document.querySelector('[data-trace-index="0"] .col-spans')?.textContent === '6');
  });

  it('moves the selection with j/k and shows a failed import verbatim, naming the file', async () => {
    await page.locator('.trace-grid').focus();
    await page.keyboard.press('j');
    await page.waitForFunction(() => document.querySelector('.trace-row.selected')?.getAttribute('data-trace-index') === '1');
    await page.keyboard.press('k');
    await page.waitForFunction(() => document.querySelector('.trace-row.selected')?.getAttribute('data-trace-index') === '0');

    // A truncated OTLP/JSON export: sniffs as OTLP, fails while parsing.
    const full = readFileSync(JAEGER, 'utf8');
    const bad = join(tmp, BAD_NAME);
    writeFileSync(bad, full.slice(0, Math.floor(full.length / 2)));
    await page.getByTestId('import-input').setInputFiles(bad);
    const item = page.locator(`.import-item[data-import-file="${BAD_NAME}"]`);
    await item.locator('.import-icon.bad').waitFor({ timeout: 30_000 });
    const shown = (await item.locator('.import-error').textContent()) ?? '';
    expect(shown).toContain(BAD_NAME);

    // Verbatim: the same bytes uploaded directly get the same message from the backend.
    const res = await fetch(`${srv.url}/api/upload?name=${encodeURIComponent(BAD_NAME)}`, {
      method: 'POST',
      headers: srv.authHeaders,
      body: readFileSync(bad),
    });
    const outcome = (await res.json()) as { ok: boolean; error?: string };
    expect(outcome.ok).toBe(false);
    expect(shown).toBe(outcome.error);

    // Nothing from the failed file reached the library.
    await waitForCount(page, '2 traces');
    const shot = await screenshot(page, 'library-imports');
    const stats = await imageStats(browser, shot.png);
    expect(stats.width).toBe(1440);
    expect(stats.colours).toBeGreaterThan(30);
    expect(stats.nonBackground).toBeGreaterThan(0.05);
    for (const text of [PHOENIX_NAME, JAEGER_NAME, BAD_NAME, '2 traces', 'Import files…']) {
      expect(await page.getByText(text).first().isVisible(), `${text} visible`).toBe(true);
    }
  });

  it('opens the trace route with Enter, and returns to the library as it was', async () => {
    // sorted by spans ascending: row 0 is the OTLP trace; go to the Phoenix one
    await page.locator('.trace-grid').focus();
    await page.keyboard.press('j');
    await page.waitForFunction(() => document.querySelector('.trace-row.selected')?.getAttribute('data-trace-index') === '1');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash === `#/trace/${id}`, PHOENIX_TRACE);
    // The trace view proper is another module: only rely on its route contract.
    const route = page.getByTestId('trace-route');
    await page.locator('[data-testid=trace-route][data-state=ok]').waitFor({ timeout: 15_000 });
    await route.getByText('pxi.turn').first().waitFor();
    expect(await page.locator('.library').isHidden()).toBe(true);
    const shot = await screenshot(page, 'trace-route');
    const stats = await imageStats(browser, shot.png);
    expect(stats.nonBackground).toBeGreaterThan(0.02);

    // back to the library: the view kept its sort and selection
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Library' }).click();
    await page.waitForFunction(() => location.hash === '#/');
    expect(await page.getAttribute('[role=columnheader].col-spans', 'aria-sort')).toBe('ascending');
    expect(await page.getAttribute('.trace-row.selected', 'data-trace-index')).toBe('1');
  });

  it('clicking a row opens it too; unknown ids show "Trace not found"', async () => {
    await page.locator('.trace-row[data-trace-index="0"]').click();
    await page.waitForFunction(() => location.hash === '#/trace/00000000000000000000000000000011');
    await page.locator('[data-testid=trace-route][data-state=ok]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => {
      location.hash = '#/trace/no-such-trace';
    });
    await page.getByText('Trace not found').waitFor();
    await page.evaluate(() => {
      location.hash = '#/';
    });
    await page.locator('.library').waitFor();
  });

  it('lists spans streamed to the OTLP receiver live, rendering hostile names as text', async () => {
    const before = await traceCount(page);
    const hostile = `<img src=x onerror="window.__pwned=1"> "quoted" & <script>window.__pwned=2</script>`;
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'live-agent <b>bold</b>' } }] },
          scopeSpans: [
            {
              scope: { name: 'e2e' },
              spans: [
                {
                  traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
                  spanId: 'bbbbbbbbbbbbbbbb',
                  name: hostile,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000001500000000',
                  kind: 1,
                  status: { code: 2, message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await fetch(srv.server.otlpEndpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(before).toBe('2 traces');
    await waitForCount(page, '3 traces'); // pushed over SSE: no reload, no polling
    const row = page.locator('.trace-row', { hasText: 'onerror' });
    await row.waitFor();
    expect(await row.locator('.cell-name').textContent()).toBe(hostile);
    expect(await row.locator('.cell-sub').textContent()).toBe('live-agent <b>bold</b>');
    expect(await row.locator('img, script, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('imports files dropped anywhere on the window', async () => {
    const content = readFileSync(join(FIXTURES, 'otlp-json/otel-proto-example-trace.json'), 'utf8');
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'dropped-otlp.json', { type: 'application/json' }));
      return d;
    }, content);
    await page.dispatchEvent('.status-bar', 'dragenter', { dataTransfer: dt });
    await page.locator('.drop-overlay').waitFor();
    await page.dispatchEvent('.status-bar', 'drop', { dataTransfer: dt });
    await page.locator('.drop-overlay').waitFor({ state: 'detached' });
    await page.locator('.import-item[data-import-file="dropped-otlp.json"] .import-icon.good').waitFor({ timeout: 30_000 });
    // A dropped file of one trace opens in the trace view (as soon as it is parsed).
    await page.locator('[data-testid=span-tree] [role=treeitem]', { hasText: "I'm a server span" }).waitFor();
    await backToLibrary(page);
    await waitForCount(page, '4 traces');
    // the file's one span: "I'm a server span", trace 5B8EFFF798038103D269B633813FC60C
    await page.locator('.trace-row', { hasText: "I'm a server span" }).waitFor();
  });

  it('shows a byte progress bar while a large file uploads', async () => {
    // ~40 MB that is not a trace: the upload takes long enough to be seen, then fails cleanly.
    const big = join(tmp, 'large-not-a-trace.log');
    writeFileSync(big, Buffer.alloc(40 * 1024 * 1024, 'x'));
    await page.evaluate(() => {
      const w = window as unknown as { __progressSeen?: string[] };
      w.__progressSeen = [];
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[role=progressbar]')) {
          w.__progressSeen!.push(`${el.getAttribute('aria-label')} ${el.getAttribute('aria-valuemax')}`);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId('import-input').setInputFiles(big);
    await page.locator('.import-item[data-import-file="large-not-a-trace.log"] .import-icon.bad').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((s) => s.endsWith(String(40 * 1024 * 1024)))).toBe(true);
    const error = await page.locator('.import-item[data-import-file="large-not-a-trace.log"] .import-error').textContent();
    expect(error).toContain('large-not-a-trace.log');
    await waitForCount(page, '4 traces');
    await screenshot(page, 'library-final');
  });

  it("sends the opened view's first request from the page's first script, once, and the library's first render has its rows", async () => {
    const asked: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const m = /\/api\/rpc\/(listTraces|getTraceColumns)$/.exec(r.url());
      if (m) asked.push(m[1]!);
    };
    page.on('request', onRequest);
    // The app's code arrives late (a slow disk, a busy machine): the first request's answer is here
    // before the app mounts, so its first render has the rows.
    await page.route(/\/assets\/boot-[\w-]+\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      asked.push('app code');
      await route.continue();
    });
    // What the library's list looked like when it first appeared (one commit: React inserts it whole).
    await page.addInitScript(() => {
      const w = window as unknown as { __firstList?: string };
      const mo = new MutationObserver(() => {
        const grid = document.querySelector('.library .trace-grid');
        const empty = document.querySelector('.library .empty-state');
        if (!grid && !empty) return;
        mo.disconnect();
        const rows = grid?.querySelectorAll('.trace-row:not(.placeholder)').length ?? 0;
        w.__firstList = grid ? `${rows} rows` : 'empty state';
      });
      mo.observe(document, { subtree: true, childList: true });
    });
    try {
      // Fresh loads (a hash change alone would not load the page again).
      await page.goto('about:blank');
      await page.goto(`${srv.url}/#/`);
      await waitForCount(page, '4 traces');
      await page.locator('.trace-row[data-trace-index="3"]').waitFor();
      // Once the first page is on screen the trace view's code loads in the background.
      await page.waitForFunction(
        () => performance.getEntriesByType('resource').some((e) => /\/assets\/TraceViewRoute-[\w-]+\.js$/.test(e.name)),
        null,
        { timeout: 15_000, polling: 100 },
      );
      // Asked for before the app's code came, once (the library took the request over), and the
      // list's first appearance already had the 4 rows.
      expect(asked).toEqual(['listTraces', 'app code']);
      expect(await page.evaluate(() => (window as unknown as { __firstList?: string }).__firstList)).toBe('4 rows');

      // A trace's deep link: its columns, asked once (the trace view takes the early request over).
      asked.length = 0;
      await page.goto('about:blank');
      await page.goto(`${srv.url}/#/trace/${PHOENIX_TRACE}`);
      await page.locator('[data-testid=span-tree] [role=treeitem]', { hasText: 'pxi.turn' }).first().waitFor();
      expect(asked.filter((m) => m !== 'listTraces')).toEqual(['getTraceColumns', 'app code']);
    } finally {
      page.off('request', onRequest);
      await page.unrouteAll({ behavior: 'wait' });
    }
    await backToLibrary(page);
    await waitForCount(page, '4 traces');
  });

  it('produced no console errors, page errors, CSP violations or foreign requests', async () => {
    await collectCspViolations(page, problems);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.foreignRequests).toEqual([]);
  });
});
