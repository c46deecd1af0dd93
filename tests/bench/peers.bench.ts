/**
 * What a user meets, side by side with Jaeger UI, in the same run on the same machine:
 *
 *  - a NEW file: Jaeger UI's Search → Upload → click the trace → rows painted, against the user's
 *    one action in Tracedeck: choosing the file in the app's own file input (`tracedeck serve` on
 *    an empty workspace, app booted) → the trace's tree rows and timeline canvas painted, shown
 *    from the parsed file while it is written (and, as a second row, `tracedeck import FILE` —
 *    the CLI process, wall clock — + opening the trace: navigation → rows and timeline painted);
 *  - an already imported trace: that open alone against Jaeger's upload → render;
 *  - scroll to the bottom and the page's JS heap after GC, both viewers;
 *  - `tracedeck import` against a Node process reading + JSON.parse-ing the same file.
 *
 * Both viewers get the same trace: the peer harness generates it as Jaeger JSON
 * (../shared/peers/harness/gen-jaeger-trace.js) and converts it to OTLP/JSON (jaeger-to-otlp.js);
 * both run as tools. Each repetition measures both in fresh Chromium instances, alternating which
 * goes first. Where the peers folder is absent the bench says so and measures Tracedeck alone on
 * its own generated trace (bigTrace.ts); no peer figure is ever typed into the code.
 *
 * Measurement rules (shared with the peer harness, ../shared/peers/README.md):
 *   render = first tree row in the DOM + 2 animation frames (Tracedeck: and the timeline canvas
 *            drew); scroll = last row inside the viewport + 1 frame; heap = CDP collectGarbage ×2,
 *            then Performance.getMetrics JSHeapUsedSize.
 *
 * Options: --spans=100k (--quick: 10k), --reps=3 (--quick: 1), --peers=DIR (default
 * $TRACEDECK_PEERS or ../shared/peers beside the repository).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { generateBigTrace, writeBigTraceOtlp } from './bigTrace';
import { BIN_TRACEDECK, processRssBytes, startServerProcess, stopServerProcess, timedRun, type Server } from './procs';
import { REPO_ROOT } from './spawnChild';
import { medianRange, parseSize, type Stat } from './stats';
import type { Bench, BenchContext, BenchFigure, BenchOutcome } from './types';
import { ensureWebBuild } from '../helpers/webBuild';

const CHROMIUM = process.env.TRACEDECK_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync', '--disable-component-update'];
const VIEWPORT = { width: 1600, height: 1000 };
const TIMEOUT = 300_000;
const MB = 1024 * 1024;

interface Peers {
  root: string;
  jaegerBuild: string;
  generator: string;
  toOtlp: string;
  staticServer: string;
}

/** The main checkout of this repository (a git worktree's common dir is its .git). */
function mainCheckout(): string | null {
  const r = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return r.status === 0 ? dirname(r.stdout.trim()) : null;
}

/**
 * ../shared/peers beside the repository (CI clones the repo with shared/ next to it), or beside
 * the main checkout when this is a git worktree elsewhere; --peers / $TRACEDECK_PEERS override.
 */
export function locatePeers(option?: string): { peers: Peers | null; looked: string; why?: string } {
  const explicit = option ?? process.env.TRACEDECK_PEERS;
  const candidates = explicit
    ? [resolve(explicit)]
    : [join(REPO_ROOT, '..', 'shared', 'peers'), ...[mainCheckout()].filter((m): m is string => !!m).map((m) => join(m, '..', 'shared', 'peers'))];
  const root = candidates.find((c) => existsSync(c)) ?? candidates[0]!;
  const peers: Peers = {
    root,
    jaegerBuild: join(root, 'jaeger-ui', 'build'),
    generator: join(root, 'harness', 'gen-jaeger-trace.js'),
    toOtlp: join(root, 'harness', 'jaeger-to-otlp.js'),
    staticServer: join(root, 'harness', 'serve-static.js'),
  };
  const missing = [join(peers.jaegerBuild, 'index.html'), peers.generator, peers.toOtlp, peers.staticServer].filter((p) => !existsSync(p));
  if (missing.length) return { peers: null, looked: root, why: `missing ${missing.join(', ')}` };
  return { peers, looked: root };
}

export function traceIdOf(file: string): string {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(600);
  readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const m = /"trace_?I[Dd]"\s*:\s*"([0-9a-fA-F]+)"/.exec(buf.toString('utf8'));
  if (!m) throw new Error(`no trace id in the first bytes of ${file}`);
  return m[1]!.toLowerCase();
}

// ---- in-page probes (run in the browser) --------------------------------------------------------

type Marks = Record<string, number>;
declare global {
  interface Window {
    __m: Marks;
    __mark: (k: string) => void;
  }
}

function installMarks(): void {
  window.__m = {};
  window.__mark = (k: string) => {
    if (window.__m[k] === undefined) window.__m[k] = performance.now();
  };
}

export async function newPage(browser: Browser): Promise<{ page: Page; cdp: CDPSession; errors: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e.message).slice(0, 300)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  // tsx compiles this file with esbuild's keepNames, which wraps named inner functions of the
  // probes below in __name(…): give the page that helper before any probe runs.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(installMarks);
  return { page, cdp, errors };
}

export async function heapMB(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / MB;
}

// ---- Jaeger UI ----------------------------------------------------------------------------------

export interface JaegerRun {
  /** upload → trace listed (its JSON.parse + transform) */
  parseMs: number;
  /** click on the trace → rows painted */
  paintMs: number;
  /** upload → rendered rows, without the bench's own click latency */
  loadMs: number;
  scrollMs: number;
  heapMB: number;
  rows: number;
  errors: string[];
}

export async function runJaeger(browser: Browser, base: string, file: string, traceId: string): Promise<JaegerRun> {
  const { page, cdp, errors } = await newPage(browser);
  try {
    await page.addInitScript((id: string) => {
      const mark = window.__mark;
      document.addEventListener('change', (e) => {
        if ((e.target as HTMLInputElement | null)?.type === 'file') mark('change');
      }, true);
      document.addEventListener('click', (e) => {
        if ((e.target as Element).closest?.(`a[href*="trace/${id}"]`)) mark('click');
      }, true);
      const mo = new MutationObserver(() => {
        if (window.__m.listed === undefined && document.querySelector(`a[href*="trace/${id}"]`)) mark('listed');
        if (window.__m.rows === undefined && document.querySelector('.VirtualizedTraceView--row')) {
          mark('rows');
          requestAnimationFrame(() => requestAnimationFrame(() => mark('painted')));
          mo.disconnect();
        }
      });
      mo.observe(document, { childList: true, subtree: true });
    }, traceId);
    await page.goto(`${base}search`, { waitUntil: 'networkidle' });
    await page.getByRole('tab', { name: 'Upload' }).click();
    const input = page.locator('input[type=file]');
    await input.waitFor({ state: 'attached' });
    await input.setInputFiles(file, { timeout: TIMEOUT });
    const link = page.locator(`a[href*="trace/${traceId}"]`).first();
    await link.waitFor({ timeout: TIMEOUT });
    await link.click({ timeout: TIMEOUT });
    await page.waitForFunction(() => window.__m.painted !== undefined, null, { timeout: TIMEOUT, polling: 50 });
    const m = await page.evaluate(() => window.__m);
    const parseMs = m.listed! - m.change!;
    const paintMs = m.painted! - m.click!;
    const rows = await page.locator('.VirtualizedTraceView--row').count();
    const scrollMs = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const t0 = performance.now();
          const se = document.scrollingElement!;
          window.scrollTo(0, se.scrollHeight);
          const check = () => {
            if (performance.now() - t0 > 60_000) return reject(new Error('scroll timeout'));
            if (se.scrollTop + window.innerHeight < se.scrollHeight - 2) window.scrollTo(0, se.scrollHeight);
            const holder = document.querySelector('.VirtualizedTraceView--rowsWrapper') as HTMLElement | null;
            const scroller = holder?.parentElement;
            if (holder && scroller) {
              const total = scroller.offsetHeight;
              const kids = holder.children;
              for (let i = kids.length - 1; i >= 0; i--) {
                const r = kids[i] as HTMLElement;
                if (r.offsetTop + r.offsetHeight >= total - 2) {
                  const rect = r.getBoundingClientRect();
                  if (rect.top < window.innerHeight && rect.bottom > 0) return requestAnimationFrame(() => resolve(performance.now() - t0));
                }
              }
            }
            requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
    );
    return { parseMs, paintMs, loadMs: parseMs + paintMs, scrollMs, heapMB: await heapMB(cdp), rows, errors };
  } finally {
    await page.context().close().catch(() => {});
  }
}

// ---- Tracedeck ----------------------------------------------------------------------------------

interface TracedeckRun {
  /** the app's file input: change → rows + timeline painted (the trace shown while it is written) */
  newFileMs: number;
  /** the same action: change → the write finished (stored and prepared; the staged bar gone) */
  newFileStoredMs: number;
  newFileSpans: number;
  /** `tracedeck import FILE` as a process, wall clock */
  importMs: number;
  importPeakRssMB: number | null;
  importedSpans: number;
  /** a Node process reading + JSON.parse-ing the same file, wall clock */
  parseProcessMs: number;
  /** inside that process: JSON.parse alone */
  parseInProcessMs: number;
  parsePeakRssMB: number;
  /** first open after the import, fresh server: navigation → rows + timeline painted */
  openMs: number;
  scrollMs: number;
  heapMB: number;
  serverRssMB: number | null;
  viewSpans: number;
  errors: string[];
}

export async function openTracedeck(browser: Browser, server: Server, traceId: string) {
  const s = await newPage(browser);
  await s.page.addInitScript(installPaintProbe);
  await s.page.goto(`${server.url}#/trace/${encodeURIComponent(traceId)}`, { waitUntil: 'commit', timeout: TIMEOUT });
  await s.page.waitForFunction(() => window.__m.painted !== undefined, null, { timeout: TIMEOUT, polling: 50 });
  const m = await s.page.evaluate(() => ({ painted: window.__m.painted!, spans: window.__tracedeckTraceView!.spans }));
  return { ...s, openMs: m.painted, viewSpans: m.spans };
}

/**
 * Marks the trace's rows and then its painted timeline; for a new file also where the probe starts,
 * the file input's change (as in runJaeger).
 */
function installPaintProbe(): void {
  const mark = window.__mark;
  document.addEventListener('change', (e) => {
    if ((e.target as HTMLInputElement | null)?.type === 'file') mark('change');
  }, true);
  const mo = new MutationObserver(() => {
    if (!document.querySelector('[role=treeitem]')) return;
    mo.disconnect();
    mark('rows');
    const wait = () => {
      const tv = window.__tracedeckTraceView;
      if (tv && tv.timeline.frames > 0) requestAnimationFrame(() => requestAnimationFrame(() => mark('painted')));
      else requestAnimationFrame(wait);
    };
    requestAnimationFrame(wait);
  });
  mo.observe(document, { childList: true, subtree: true });
}

/**
 * A new file, the way a user opens it: the app (browser mode, empty workspace) is up; the file
 * goes in through the app's own file input; measured from the input's change to the trace's rows
 * and timeline painted, then on to the end of the write.
 */
async function newFileTracedeck(browser: Browser, otlpFile: string, wsDir: string, rep: number) {
  const ws = join(wsDir, `peers-new-${rep}.tracedeck`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(ws + suffix, { force: true });
  const server = await startServerProcess(
    BIN_TRACEDECK(REPO_ROOT),
    ['serve', '--workspace', ws, '--port', '0', '--no-open', '--no-otlp'],
    /UI:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/,
    REPO_ROOT,
  );
  const s = await newPage(browser);
  try {
    await s.page.addInitScript(installPaintProbe);
    await s.page.goto(server.url, { waitUntil: 'networkidle', timeout: TIMEOUT });
    const input = s.page.getByTestId('import-input');
    await input.waitFor({ state: 'attached', timeout: TIMEOUT });
    await input.setInputFiles(otlpFile, { timeout: TIMEOUT });
    await s.page.waitForFunction(() => window.__m.painted !== undefined, null, { timeout: TIMEOUT, polling: 50 });
    const m = await s.page.evaluate(() => ({ painted: window.__m.painted!, change: window.__m.change!, spans: window.__tracedeckTraceView!.spans }));
    await s.page.locator('.import-item .import-icon.good, .import-item .import-icon.bad').first().waitFor({ timeout: TIMEOUT });
    const stored = await s.page.evaluate(() => performance.now());
    if (await s.page.locator('.import-item .import-icon.bad').count()) throw new Error(`the file did not import: ${await s.page.locator('.import-error').first().textContent()}`);
    return { newFileMs: m.painted - m.change, newFileStoredMs: stored - m.change, newFileSpans: m.spans, errors: s.errors };
  } finally {
    await s.page.context().close().catch(() => {});
    await stopServerProcess(server.child);
    for (const suffix of ['', '-wal', '-shm']) rmSync(ws + suffix, { force: true });
  }
}

async function tracedeckScroll(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const el = document.querySelector('[data-testid=span-tree]') as HTMLElement;
        const total = window.__tracedeckTraceView!.visibleRows();
        const t0 = performance.now();
        el.scrollTop = el.scrollHeight;
        const check = () => {
          if (performance.now() - t0 > 60_000) return reject(new Error('scroll timeout'));
          if (el.scrollTop + el.clientHeight < el.scrollHeight - 2) el.scrollTop = el.scrollHeight;
          const lastRow = Number(el.dataset.lastRow);
          const drawn = window.__tracedeckTraceView!.timeline.lastRange[1];
          if (lastRow === total - 1 && drawn === total) return requestAnimationFrame(() => resolve(performance.now() - t0));
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );
}

async function runTracedeck(browser: Browser, otlpFile: string, traceId: string, wsDir: string, rep: number): Promise<TracedeckRun> {
  const fresh = await newFileTracedeck(browser, otlpFile, wsDir, rep);
  const ws = join(wsDir, `peers-${rep}.tracedeck`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(ws + suffix, { force: true });
  const rssFile = join(wsDir, `rss-${rep}.txt`);

  const parse = await timedRun(process.execPath, [join(REPO_ROOT, 'tests/bench/parseChild.mjs'), otlpFile], { rssFile });
  if (parse.code !== 0) throw new Error(`JSON.parse baseline failed: ${parse.stderr.slice(-300)}`);
  const p = JSON.parse(parse.stdout) as { parseMs: number; spans: number; maxRssBytes: number };

  const imp = await timedRun(BIN_TRACEDECK(REPO_ROOT), ['import', otlpFile, '--workspace', ws, '--json'], { cwd: REPO_ROOT, rssFile });
  if (imp.code !== 0) throw new Error(`tracedeck import failed (${imp.code}): ${imp.stderr.slice(-400)}`);
  const outcome = (JSON.parse(imp.stdout) as { spanCount: number }[])[0]!;

  const server = await startServerProcess(
    BIN_TRACEDECK(REPO_ROOT),
    ['serve', '--workspace', ws, '--port', '0', '--no-open', '--no-otlp'],
    // The printed address carries the session token (exchanged for the cookie on first load).
    /UI:\s+(http:\/\/127\.0\.0\.1:\d+\/\S*)/,
    REPO_ROOT,
  );
  try {
    const open = await openTracedeck(browser, server, traceId);
    try {
      const scrollMs = await tracedeckScroll(open.page);
      return {
        newFileMs: fresh.newFileMs,
        newFileStoredMs: fresh.newFileStoredMs,
        newFileSpans: fresh.newFileSpans,
        importMs: imp.wallMs,
        importPeakRssMB: imp.peakRssBytes === null ? null : imp.peakRssBytes / MB,
        importedSpans: outcome.spanCount,
        parseProcessMs: parse.wallMs,
        parseInProcessMs: p.parseMs,
        parsePeakRssMB: (parse.peakRssBytes ?? p.maxRssBytes) / MB,
        openMs: open.openMs,
        scrollMs,
        heapMB: await heapMB(open.cdp),
        serverRssMB: (processRssBytes(server.child.pid) ?? NaN) / MB,
        viewSpans: open.viewSpans,
        errors: [...fresh.errors, ...open.errors],
      };
    } finally {
      await open.page.context().close().catch(() => {});
    }
  } finally {
    await stopServerProcess(server.child);
    for (const suffix of ['', '-wal', '-shm']) rmSync(ws + suffix, { force: true });
  }
}

// ---- the bench ----------------------------------------------------------------------------------

export interface PeersBenchData {
  spans: number;
  fileMB: { otlp: number; jaeger: number | null };
  peers: string | null;
  peersMissing: string | null;
  reps: number;
  jaeger: JaegerRun[];
  tracedeck: TracedeckRun[];
  order: string[][];
}

export const peersBench: Bench = {
  name: 'peers',
  description: 'a new file and an imported trace, Tracedeck vs Jaeger UI measured in the same run (interleaved)',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const quick = ctx.options.quick === 'true';
    const spans = parseSize(ctx.options.spans ?? (quick ? '10k' : '100k'));
    const reps = Math.max(1, Number(ctx.options.reps ?? (quick ? 1 : 3)));
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}`);
    const found = locatePeers(ctx.options.peers);
    const peers = found.peers;
    if (!peers) ctx.log(`peers: no Jaeger UI to compare with (${found.why}); measuring Tracedeck alone`);
    ensureWebBuild(ctx.log);

    const dir = join(ctx.tmpDir, 'peers');
    mkdirSync(dir, { recursive: true });
    const otlpFile = join(dir, `otlp-${spans}.json`);
    let jaegerFile: string | null = null;
    if (peers) {
      ctx.log(`peers: generating a ${spans}-span trace with ${peers.generator} …`);
      jaegerFile = join(dir, `jaeger-${spans}.json`);
      for (const [tool, args] of [[peers.generator, [String(spans), jaegerFile]], [peers.toOtlp, [jaegerFile, otlpFile]]] as const) {
        const r = spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8', maxBuffer: 16 * MB });
        if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr.slice(-400)}`);
      }
    } else {
      await writeBigTraceOtlp(otlpFile, generateBigTrace({ spans }));
    }
    const traceId = traceIdOf(otlpFile);
    if (jaegerFile && traceIdOf(jaegerFile) !== traceId) throw new Error('the Jaeger and OTLP files hold different trace ids');

    const data: PeersBenchData = {
      spans,
      fileMB: { otlp: statSync(otlpFile).size / MB, jaeger: jaegerFile ? statSync(jaegerFile).size / MB : null },
      peers: peers?.root ?? null,
      peersMissing: peers ? null : `${found.looked}: ${found.why}`,
      reps,
      jaeger: [],
      tracedeck: [],
      order: [],
    };
    const problems: string[] = [];
    const jaegerServer = peers
      ? await startServerProcess(process.execPath, [peers.staticServer, peers.jaegerBuild, '0'], /on (http:\/\/127\.0\.0\.1:\d+\/)/)
      : null;
    try {
      for (let rep = 0; rep < reps; rep++) {
        const order = rep % 2 === 0 ? ['jaeger', 'tracedeck'] : ['tracedeck', 'jaeger'];
        data.order.push(order);
        for (const viewer of order) {
          if (viewer === 'jaeger' && !jaegerServer) continue;
          ctx.log(`peers: ${viewer}, ${spans} spans, repetition ${rep + 1}/${reps} …`);
          // A fresh browser for every measurement: nothing cached, nothing warmed up.
          const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
          try {
            if (viewer === 'jaeger') {
              const j = await runJaeger(browser, jaegerServer!.url, jaegerFile!, traceId);
              data.jaeger.push(j);
              if (j.errors.length) problems.push(`Jaeger UI page errors: ${j.errors.join(' | ')}`);
            } else {
              const t = await runTracedeck(browser, otlpFile, traceId, dir, rep);
              data.tracedeck.push(t);
              if (t.importedSpans !== spans) problems.push(`tracedeck import stored ${t.importedSpans} spans, expected ${spans}`);
              if (t.newFileSpans !== spans) problems.push(`Tracedeck's view of the new file shows ${t.newFileSpans} spans, expected ${spans}`);
              if (t.viewSpans !== spans) problems.push(`Tracedeck's view shows ${t.viewSpans} spans, expected ${spans}`);
              if (t.errors.length) problems.push(`Tracedeck page errors: ${t.errors.join(' | ')}`);
            }
          } finally {
            await browser.close().catch(() => {});
          }
        }
      }
    } finally {
      if (jaegerServer) await stopServerProcess(jaegerServer.child);
    }

    const figures = peersFigures(data);
    const show = (s: Stat, unit: string) => {
      if (s.median === null) return '–';
      const d = unit === 'ms' ? 0 : 1;
      return `${s.median.toFixed(d)} ${unit}${s.n > 1 ? ` (${s.min!.toFixed(d)}–${s.max!.toFixed(d)})` : ''}`;
    };
    return {
      ok: problems.length === 0,
      data,
      figures,
      tables: [
        {
          title: `Tracedeck vs Jaeger UI, one ${spans.toLocaleString('en-US')}-span trace, ${reps} interleaved repetition(s)`,
          headers: ['measure', 'Tracedeck median (min–max)', 'baseline median (min–max)', 'ratio', 'target'],
          rows: figures.map((f) => [
            f.label,
            show(f.stat ?? medianRange([]), f.unit),
            show(f.baselineStat ?? medianRange([]), f.unit),
            f.ours !== null && f.baseline ? `${(f.ours / f.baseline).toFixed(2)}×` : '–',
            f.target ? `${f.target.on} ${f.target.op} ${f.target.value}` : '–',
          ]),
          notes: [
            peers ? `Jaeger UI from ${peers.jaegerBuild}; trace from ${peers.generator} (${data.fileMB.jaeger!.toFixed(1)} MB Jaeger JSON, ${data.fileMB.otlp.toFixed(1)} MB OTLP/JSON)` : `Jaeger UI not measured: ${data.peersMissing}`,
            ...problems,
          ],
        },
      ],
    };
  },
};

/** The report's figures; exported for its unit test. */
export function peersFigures(d: PeersBenchData): BenchFigure[] {
  const n = d.spans.toLocaleString('en-US');
  const jaegerLoad = medianRange(d.jaeger.map((j) => j.loadMs));
  const newFile = medianRange(d.tracedeck.map((t) => t.newFileMs));
  const newFileStored = medianRange(d.tracedeck.map((t) => t.newFileStoredMs));
  const firstOpen = medianRange(d.tracedeck.map((t) => t.importMs + t.openMs));
  const open = medianRange(d.tracedeck.map((t) => t.openMs));
  const mbps = (ms: number) => d.fileMB.otlp / (ms / 1000);
  const importTp = medianRange(d.tracedeck.map((t) => mbps(t.importMs)));
  const parseProcTp = medianRange(d.tracedeck.map((t) => mbps(t.parseProcessMs)));
  const parseTp = medianRange(d.tracedeck.map((t) => mbps(t.parseInProcessMs)));
  const jaegerLabel = d.peersMissing ? 'Jaeger UI (not measured: peers folder absent)' : 'Jaeger UI upload → rows painted, same run';
  const fig = (f: Omit<BenchFigure, 'ours' | 'baseline'>): BenchFigure => ({ ...f, ours: f.stat?.median ?? null, baseline: f.baselineStat?.median ?? null });
  return [
    fig({
      id: 'peers.newFile',
      label: `first open of a new ${n}-span file: choose it in the app → trace painted`,
      unit: 'ms',
      stat: newFile,
      baselineStat: jaegerLoad,
      baselineLabel: jaegerLabel,
      better: 'lower',
      target: { on: 'ratio', op: '<=', value: 0.5 },
      note: 'the app\'s file input (browser mode, app booted, empty workspace): change → tree rows + timeline painted, shown from the parsed file while it is written; Jaeger likewise from its upload input',
    }),
    fig({
      id: 'peers.newFileStored',
      label: `… the same file stored (write and search preparation finished)`,
      unit: 'ms',
      stat: newFileStored,
      baselineStat: jaegerLoad,
      baselineLabel: jaegerLabel,
      better: 'lower',
      note: 'from the same change to the import finished in the Imports panel; Jaeger UI stores nothing',
    }),
    fig({
      id: 'peers.firstOpen',
      label: `first open of a new ${n}-span file: tracedeck import + open`,
      unit: 'ms',
      stat: firstOpen,
      baselineStat: jaegerLoad,
      baselineLabel: jaegerLabel,
      better: 'lower',
      target: { on: 'ratio', op: '<=', value: 0.5 },
      note: 'import = the `tracedeck import` process, wall clock (start, read, parse, store, prepare the view); open = navigation → rows + timeline painted, fresh server and browser',
    }),
    fig({
      id: 'peers.openImported',
      label: `open an imported ${n}-span trace`,
      unit: 'ms',
      stat: open,
      baselineStat: jaegerLoad,
      baselineLabel: jaegerLabel,
      better: 'lower',
      target: { on: 'ratio', op: '<=', value: 0.2 },
    }),
    fig({
      id: 'peers.importVsParse',
      label: `tracedeck import throughput, ${d.fileMB.otlp.toFixed(0)} MB OTLP/JSON (CLI process)`,
      unit: 'MB/s',
      stat: importTp,
      baselineStat: parseTp,
      baselineLabel: 'JSON.parse of the same file (in-process, read excluded), same run',
      better: 'higher',
      target: { on: 'ratio', op: '>=', value: 0.5 },
      note: 'the strict comparison of the issue: a whole CLI process against JSON.parse alone',
    }),
    fig({
      id: 'peers.importVsParseProcess',
      label: `tracedeck import throughput vs a Node process that reads + JSON.parses the file`,
      unit: 'MB/s',
      stat: importTp,
      baselineStat: parseProcTp,
      baselineLabel: 'node parseChild.mjs (start + read + JSON.parse), same run',
      better: 'higher',
      target: { on: 'ratio', op: '>=', value: 0.5 },
    }),
    fig({
      id: 'peers.scroll',
      label: `scroll to the bottom, ${n} spans`,
      unit: 'ms',
      stat: medianRange(d.tracedeck.map((t) => t.scrollMs)),
      baselineStat: medianRange(d.jaeger.map((j) => j.scrollMs)),
      baselineLabel: jaegerLabel.replace('upload → rows painted', 'scroll to the bottom'),
      better: 'lower',
    }),
    fig({
      id: 'peers.heap',
      label: `page JS heap after GC, ${n} spans`,
      unit: 'MB',
      stat: medianRange(d.tracedeck.map((t) => t.heapMB)),
      baselineStat: medianRange(d.jaeger.map((j) => j.heapMB)),
      baselineLabel: jaegerLabel.replace('upload → rows painted', 'heap'),
      better: 'lower',
    }),
    fig({
      id: 'peers.importPeakRss',
      label: `tracedeck import peak RSS ÷ file size (${d.fileMB.otlp.toFixed(0)} MB)`,
      unit: 'MB',
      stat: medianRange(d.tracedeck.map((t) => t.importPeakRssMB ?? NaN)),
      baselineStat: medianRange(d.tracedeck.map(() => d.fileMB.otlp)),
      baselineLabel: 'file size',
      better: 'lower',
      note: 'whole process (modules, SQLite cache included)',
    }),
  ];
}
