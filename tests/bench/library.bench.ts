/**
 * The library with 100k traces (issue 13 item 7: first page ≤ 300 ms, sort and filter ≤ 150 ms).
 * Options: --library-traces=100k (--quick: 10k), --reps=5 (--quick: 2).
 *
 * The workspace: a generated OTLP file of agent traces (genOtlp.ts) imported through the real
 * path (importFile), then its `traces` rows multiplied in SQL to the wanted count by a store
 * function made for this bench (store/benchFill.ts: copies get shifted start, duration, tokens
 * and cost, and no spans — the library reads `traces` rows only). Importing 100k traces file by
 * file would take many minutes and measure the import, not the library.
 *
 * Measured, same run:
 *  - RPC: `listTraces` as the library asks it (200-row page + count) for the first page, every
 *    sortable column both ways, and the filter bar's filters; in-process backend on the workspace.
 *  - Baseline: `SELECT * FROM traces LIMIT 200` on the same table (no order, filter or count).
 *    No peer has a comparable figure (Jaeger's search list stops at 1500 results).
 *  - UI: `tracedeck serve` on the workspace, Chromium (production web build): navigation → first
 *    page of rows painted; a click on each sortable column head → rows repainted; a filter change
 *    → rows repainted. The filter bar asks at once (no debounce; at most one new query in flight:
 *    useTracePages), so the figure is the whole wait a user has.
 */
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { createBackend } from '../../src/backend/handlers';
import { importFile } from '../../src/core/import/importFile';
import { multiplyTracesForBench, plainTracePage } from '../../src/core/store/benchFill';
import { Workspace } from '../../src/core/store/workspace';
import type { TraceQuery } from '../../src/shared/api';
import { generateOtlpFile } from './genOtlp';
import { BIN_TRACEDECK, loadAverage, startServerProcess, stopServerProcess } from './procs';
import { REPO_ROOT } from './spawnChild';
import { medianRange, parseSize, type Stat } from './stats';
import type { Bench, BenchContext, BenchFigure, BenchOutcome } from './types';
import { ensureWebBuild } from '../helpers/webBuild';

const CHROMIUM = process.env.TRACEDECK_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync', '--disable-component-update'];
const PAGE = 200; // useTracePages.PAGE_SIZE
const SORTS = ['start', 'name', 'format', 'duration', 'status', 'spans', 'llmCalls', 'toolCalls', 'toolErrors', 'evalFail', 'tokens', 'cost'] as const;

/** The filter bar's filters, as the query the library sends and as the UI edit that makes it. */
const FILTERS: { id: string; query: TraceQuery; edit: (p: Page) => Promise<void>; reset: (p: Page) => Promise<void> }[] = [
  {
    id: 'text (matches some)',
    query: { text: 'research' },
    edit: (p) => p.fill('[aria-label="Filter traces"]', 'research'),
    reset: (p) => p.fill('[aria-label="Filter traces"]', ''),
  },
  {
    id: 'text (matches none)',
    query: { text: 'zzz-nothing' },
    edit: (p) => p.fill('[aria-label="Filter traces"]', 'zzz-nothing'),
    reset: (p) => p.fill('[aria-label="Filter traces"]', ''),
  },
  {
    id: 'status: failed runs',
    query: { status: ['error'] },
    edit: (p) => p.click('[aria-label="Run outcome"] button:has-text("Failed")'),
    reset: (p) => p.click('[aria-label="Run outcome"] button >> nth=0'),
  },
  {
    id: 'has tool errors',
    query: { hasToolErrors: true },
    edit: (p) => p.check('label:has-text("Has tool errors") input'),
    reset: (p) => p.uncheck('label:has-text("Has tool errors") input'),
  },
  {
    id: 'duration ≥ 20s',
    query: { minDurationMs: 20_000 },
    edit: (p) => p.fill('[aria-label="Dur ≥"]', '20s'),
    reset: (p) => p.fill('[aria-label="Dur ≥"]', ''),
  },
];

declare global {
  interface Window {
    __lib?: { t0: number; lists: number; done?: number };
  }
}

async function timeCalls(fn: () => Promise<unknown> | unknown, reps: number): Promise<Stat> {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return medianRange(out);
}

/** In the page before it loads: counts the answers to the library's listTraces requests. */
function countListAnswers(): void {
  const w = window as unknown as { __lists: number; fetch: typeof fetch };
  w.__lists = 0;
  const orig = w.fetch.bind(window);
  w.fetch = (input, init) => {
    const p = orig(input, init);
    if (String(input instanceof Request ? input.url : input).includes('listTraces')) void p.then(() => w.__lists++, () => w.__lists++);
    return p;
  };
}

/** Arms a repaint probe: done once a listTraces answer came after now, and its rows are painted. */
async function armRepaint(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lists = () => (window as unknown as { __lists: number }).__lists;
    const s: { t0: number; lists: number; done?: number } = { t0: performance.now(), lists: lists() };
    window.__lib = s;
    const check = () => {
      if (s.done !== undefined) return;
      const spinner = document.querySelector('.library-summary .spinner');
      const row = document.querySelector('.trace-row[aria-rowindex="2"]');
      const empty = document.querySelector('.library .empty-state');
      const painted = (row && !row.classList.contains('placeholder')) || empty;
      if (lists() > s.lists && !spinner && painted) {
        requestAnimationFrame(() => requestAnimationFrame(() => (s.done = performance.now())));
        return;
      }
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

async function waitRepaint(page: Page): Promise<number> {
  await page.waitForFunction(() => window.__lib?.done !== undefined, null, { timeout: 60_000, polling: 20 });
  return page.evaluate(() => window.__lib!.done! - window.__lib!.t0);
}

export const libraryBench: Bench = {
  name: 'library',
  description: 'the library with 100k traces: first page, sort by each column, filters (RPC and Chromium repaint)',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const quick = ctx.options.quick === 'true';
    const want = parseSize(ctx.options['library-traces'] ?? (quick ? '10k' : '100k'));
    const reps = Math.max(1, Number(ctx.options.reps ?? (quick ? 2 : 5)));
    const problems: string[] = [];
    const load0 = loadAverage();

    // ---- the workspace
    const src = join(ctx.tmpDir, 'library-seed.json');
    await generateOtlpFile({ path: src, spans: quick ? 2_000 : 10_000, seed: 21 });
    const wsPath = join(ctx.tmpDir, 'library.tracedeck');
    let ws = Workspace.open(wsPath);
    let t = performance.now();
    const seed = await importFile(ws, src, { force: true });
    const seedMs = performance.now() - t;
    const copies = Math.max(0, Math.ceil(want / seed.traceIds.length) - 1);
    t = performance.now();
    const traces = await ws.exclusive(async () => multiplyTracesForBench(ws, copies));
    const fillMs = performance.now() - t;
    ws.close();
    ctx.log(`library: ${seed.traceIds.length} imported traces (${seedMs.toFixed(0)} ms) × ${copies + 1} → ${traces} traces (${fillMs.toFixed(0)} ms)`);

    // ---- RPC answers (in-process backend, fresh workspace connection)
    ws = Workspace.open(wsPath);
    const backend = createBackend({ workspace: ws, mode: 'browser' });
    const rpc: { id: string; stat: Stat; rows: number }[] = [];
    const list = async (id: string, q: TraceQuery) => {
      let rows = 0;
      const stat = await timeCalls(async () => {
        const r = await backend.call('listTraces', { ...q, limit: PAGE, offset: 0 });
        rows = r.total;
      }, reps);
      rpc.push({ id, stat, rows });
    };
    let baseline: Stat;
    try {
      baseline = await timeCalls(() => plainTracePage(ws, PAGE), reps);
      await list('first page (start ↓)', { sort: 'start', dir: 'desc' });
      for (const s of SORTS) for (const dir of ['asc', 'desc'] as const) await list(`sort ${s} ${dir === 'asc' ? '↑' : '↓'}`, { sort: s, dir });
      for (const f of FILTERS) await list(`filter ${f.id}`, { sort: 'start', dir: 'desc', ...f.query });
      // Deep page: what a jump to the middle of the scroller asks for.
      const mid = Math.floor(traces / 2);
      const deep = await timeCalls(() => backend.call('listTraces', { sort: 'start', dir: 'desc', limit: PAGE, offset: mid }), reps);
      rpc.push({ id: `page at offset ${mid} (start ↓)`, stat: deep, rows: traces });
    } finally {
      ws.close();
    }

    // ---- UI (tracedeck serve + Chromium)
    ensureWebBuild(ctx.log);
    const ui: { id: string; stat: Stat }[] = [];
    const server = await startServerProcess(
      BIN_TRACEDECK(REPO_ROOT),
      ['serve', '--workspace', wsPath, '--port', '0', '--no-open', '--no-otlp'],
      /UI:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/,
      REPO_ROOT,
    );
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    try {
      const firstPage: number[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
        const page = await context.newPage();
        page.on('pageerror', (e) => problems.push(`page error: ${String(e.message).slice(0, 200)}`));
        await page.addInitScript({ content: 'window.__name = (f) => f;' });
        await page.addInitScript(countListAnswers);
        await page.addInitScript(() => {
          const mo = new MutationObserver(() => {
            const row = document.querySelector('.trace-row[aria-rowindex="2"]');
            if (!row || row.classList.contains('placeholder')) return;
            mo.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => ((window as unknown as { __painted: number }).__painted = performance.now())));
          });
          mo.observe(document, { childList: true, subtree: true });
        });
        await page.goto(server.url, { waitUntil: 'commit', timeout: 120_000 });
        await page.waitForFunction(() => (window as unknown as { __painted?: number }).__painted !== undefined, null, { timeout: 120_000, polling: 20 });
        firstPage.push(await page.evaluate(() => (window as unknown as { __painted: number }).__painted));
        if (rep === 0) {
          const count = await page.textContent('[data-testid=trace-count]');
          if (!count?.replace(/\D/g, '').startsWith(String(traces))) problems.push(`library shows '${count}', expected ${traces} traces`);
          const perSort: Record<string, number[]> = {};
          for (let r = 0; r < reps; r++) {
            for (const s of SORTS) {
              // Two clicks: the column's first direction, then the other one.
              for (let k = 0; k < 2; k++) {
                await armRepaint(page);
                await page.click(`button.sort-button[data-sort="${s}"]`);
                (perSort[s] ??= []).push(await waitRepaint(page));
              }
            }
          }
          for (const s of SORTS) ui.push({ id: `sort ${s} (click → rows repainted)`, stat: medianRange(perSort[s]!) });
          for (const f of FILTERS) {
            const times: number[] = [];
            for (let r = 0; r < reps; r++) {
              await armRepaint(page);
              await f.edit(page);
              times.push(await waitRepaint(page));
              await armRepaint(page);
              await f.reset(page);
              await waitRepaint(page);
            }
            ui.push({ id: `filter ${f.id} (edit → rows repainted)`, stat: medianRange(times) });
          }
        }
        await context.close();
      }
      ui.unshift({ id: 'first page (navigation → rows painted)', stat: medianRange(firstPage) });
    } finally {
      await browser.close().catch(() => {});
      await stopServerProcess(server.child);
    }
    const load1 = loadAverage();

    const ms = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
    const range = (s: Stat) => `${ms(s.min)}–${ms(s.max)}`;
    const loads = `load average ${load0?.join(' / ')} → ${load1?.join(' / ')}`;
    const label = `${traces.toLocaleString('en-US')} traces`;
    const figures: BenchFigure[] = [];
    const first = ui[0]!.stat;
    figures.push({
      id: 'library.firstPage',
      label: `library first page painted, ${label} (Chromium, tracedeck serve)`,
      unit: 'ms',
      ours: first.median,
      baseline: baseline.median,
      baselineLabel: `SELECT * FROM traces LIMIT ${PAGE}, same table, same run`,
      better: 'lower',
      target: { on: 'ours', op: '<=', value: 300 },
      stat: first,
      baselineStat: baseline,
    });
    const sortUi = ui.filter((u) => u.id.startsWith('sort '));
    const worstSort = sortUi.reduce((a, b) => ((b.stat.median ?? 0) > (a.stat.median ?? 0) ? b : a));
    figures.push({
      id: 'library.sort.worst',
      label: `library sort, slowest column: ${worstSort.id}, ${label}`,
      unit: 'ms',
      ours: worstSort.stat.median,
      baseline: baseline.median,
      baselineLabel: `SELECT * FROM traces LIMIT ${PAGE}, same table, same run`,
      better: 'lower',
      target: { on: 'ours', op: '<=', value: 150 },
      stat: worstSort.stat,
    });
    const filterUi = ui.filter((u) => u.id.startsWith('filter '));
    const worstFilter = filterUi.reduce((a, b) => ((b.stat.median ?? 0) > (a.stat.median ?? 0) ? b : a));
    figures.push({
      id: 'library.filter.worst',
      label: `library filter, slowest: ${worstFilter.id}, ${label}`,
      unit: 'ms',
      ours: worstFilter.stat.median,
      baseline: baseline.median,
      baselineLabel: `SELECT * FROM traces LIMIT ${PAGE}, same table, same run`,
      better: 'lower',
      target: { on: 'ours', op: '<=', value: 150 },
      stat: worstFilter.stat,
    });
    return {
      ok: problems.length === 0,
      data: { traces, seedTraces: seed.traceIds.length, seedMs, fillMs, baseline, rpc, ui, load0, load1, problems },
      tables: [
        {
          title: `Library UI, ${label}, Chromium on tracedeck serve (${loads})`,
          headers: ['action', 'median', 'min–max', 'target'],
          rows: ui.map((u) => [
            u.id,
            ms(u.stat.median),
            range(u.stat),
            u.id.startsWith('first') ? '≤ 300 ms' : '≤ 150 ms',
          ]),
          notes: problems,
        },
        {
          title: `Library RPC (listTraces: ${PAGE}-row page + count), ${label}, in-process backend`,
          headers: ['query', 'median', 'min–max', 'matching traces'],
          rows: [
            [`baseline: SELECT * FROM traces LIMIT ${PAGE}`, ms(baseline.median), range(baseline), '–'],
            ...rpc.map((r) => [r.id, ms(r.stat.median), range(r.stat), r.rows.toLocaleString('en-US')]),
          ],
        },
      ],
      figures,
    };
  },
};
