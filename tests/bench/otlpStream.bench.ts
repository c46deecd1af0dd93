import { writerOf } from '../../src/core/store/connection';
/**
 * Live OTLP streaming of one big trace (issue 13 item 4; options: --stream-spans=100000,
 * --stream-batch=100).
 *
 * Tracedeck: the spans of one generated 100k-span agent trace (genOtlp.ts, every span given the
 * same trace id) sent as OTLP/JSON export requests of 100 spans, in the order a BatchSpanProcessor
 * exports them (children before parents), through the receiver's own entry point (`ingestOtlp`,
 * in-process: the HTTP layer is the same per request and not what grows). Request bodies are
 * serialised before timing. Baseline: `importFile` of one OTLP/JSON file holding the same spans,
 * in a fresh workspace, same process, same run. Target: streaming ≤ 2× the one-shot import, and a
 * per-request latency that does not grow with the trace (last 10 % of requests vs first 10 %).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiEventEmitter } from '../../src/backend/events';
import { ingestOtlp } from '../../src/backend/otlpIngest';
import { importFile } from '../../src/core/import/importFile';
import { liveSpanCount } from '../../src/core/store/liveTrace';
import { Workspace } from '../../src/core/store/workspace';
import { generateOtlpFile } from './genOtlp';
import { loadAverage } from './procs';
import { medianRange } from './stats';
import type { Bench, BenchContext, BenchOutcome } from './types';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const MB = 1024 * 1024;

interface Item {
  resource: unknown;
  scope: unknown;
  span: Record<string, unknown>;
}

function requestOf(items: Item[]): { resourceSpans: unknown[] } {
  const resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: unknown[] }[] }[] = [];
  for (const it of items) {
    let rs = resourceSpans[resourceSpans.length - 1];
    if (!rs || rs.resource !== it.resource) resourceSpans.push((rs = { resource: it.resource, scopeSpans: [] }));
    let ss = rs.scopeSpans[rs.scopeSpans.length - 1];
    if (!ss || ss.scope !== it.scope) rs.scopeSpans.push((ss = { scope: it.scope, spans: [] }));
    ss.spans.push(it.span);
  }
  return { resourceSpans };
}

export const otlpStreamBench: Bench = {
  name: 'otlp-stream',
  description: 'one 100k-span trace streamed over OTLP in 100-span requests vs importing the same spans at once',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const quick = ctx.options.quick === 'true';
    const spans = Number(ctx.options['stream-spans'] ?? (quick ? 5_000 : 100_000));
    const batch = Number(ctx.options['stream-batch'] ?? 100);
    const gen = join(ctx.tmpDir, 'stream-src.json');
    await generateOtlpFile({ path: gen, spans, seed: 13 });
    // One trace: every span gets the same trace id (parents stay; several roots get a synthetic root).
    const src = JSON.parse(readFileSync(gen, 'utf8')) as {
      resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: Record<string, unknown>[] }[] }[];
    };
    const items: Item[] = [];
    for (const rs of src.resourceSpans)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) items.push({ resource: rs.resource, scope: ss.scope, span: { ...span, traceId: TRACE_ID } });
    const oneFile = join(ctx.tmpDir, 'stream-one-shot.json');
    writeFileSync(oneFile, JSON.stringify(requestOf(items)));
    const bodies: Buffer[] = [];
    for (let k = 0; k < items.length; k += batch) bodies.push(Buffer.from(JSON.stringify(requestOf(items.slice(k, k + batch)))));
    ctx.log(`otlp-stream: ${items.length} spans, ${bodies.length} requests of ${batch}`);
    const problems: string[] = [];
    const load0 = loadAverage();

    // Baseline: the same spans imported at once.
    const wsA = Workspace.open(join(ctx.tmpDir, 'stream-one-shot.tracedeck'));
    let t = performance.now();
    const one = await importFile(wsA, oneFile, { force: true });
    const oneShotMs = performance.now() - t;
    const want = wsA.getTrace(TRACE_ID);
    wsA.close();

    // Streaming.
    const ws = Workspace.open(join(ctx.tmpDir, 'stream-live.tracedeck'));
    const events = new ApiEventEmitter();
    const lat: number[] = [];
    const rss0 = process.memoryUsage().rss;
    let rssPeak = rss0;
    t = performance.now();
    for (const body of bodies) {
      const b0 = performance.now();
      await ingestOtlp(ws, events, body, 'otlp-json');
      lat.push(performance.now() - b0);
      if (lat.length % 50 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    const streamMs = performance.now() - t;
    const got = ws.getTrace(TRACE_ID);
    const held = liveSpanCount(writerOf(ws));
    ws.close();
    const load1 = loadAverage();

    for (const k of ['spanCount', 'llmCalls', 'toolCalls', 'toolErrors', 'errorCount', 'inputTokens', 'outputTokens', 'status', 'name'] as const) {
      if (JSON.stringify(got?.[k as keyof typeof got]) !== JSON.stringify(want?.[k as keyof typeof want]))
        problems.push(`${k}: streamed ${JSON.stringify(got?.[k as keyof typeof got])} ≠ one-shot ${JSON.stringify(want?.[k as keyof typeof want])}`);
    }
    if (one.spanCount !== items.length) problems.push(`one-shot stored ${one.spanCount} of ${items.length} spans`);
    const tenth = Math.max(1, Math.floor(lat.length / 10));
    const first = medianRange(lat.slice(0, tenth));
    const last = medianRange(lat.slice(-tenth));
    const total = medianRange([streamMs]);
    const ratio = streamMs / oneShotMs;
    const growth = (last.median ?? 0) / (first.median ?? 1);
    const loads = `load average ${load0?.join(' / ')} → ${load1?.join(' / ')}`;
    const label = `${items.length.toLocaleString('en')} spans, one trace`;
    return {
      ok: problems.length === 0,
      data: { spans: items.length, batch, oneShotMs, streamMs, first, last, rssGrowthMB: (rssPeak - rss0) / MB, liveSpansHeld: held, problems, load0, load1 },
      tables: [
        {
          title: `Live OTLP streaming, ${label}, ${bodies.length} requests of ${batch} spans (${loads})`,
          headers: ['figure', 'value'],
          rows: [
            ['one-shot importFile of the same spans', `${oneShotMs.toFixed(0)} ms`],
            ['streamed, all requests', `${streamMs.toFixed(0)} ms (${ratio.toFixed(2)}× one-shot)`],
            ['request latency, first 10 % (median, min–max)', `${first.median?.toFixed(1)} ms (${first.min?.toFixed(1)}–${first.max?.toFixed(1)})`],
            ['request latency, last 10 % (median, min–max)', `${last.median?.toFixed(1)} ms (${last.min?.toFixed(1)}–${last.max?.toFixed(1)})`],
            ['RSS growth while streaming', `${((rssPeak - rss0) / MB).toFixed(0)} MB`],
            ['spans held in live state', `${held}`],
          ],
          notes: problems,
        },
      ],
      figures: [
        {
          id: 'otlp-stream.total',
          label: `live OTLP streaming, ${label} in ${batch}-span requests`,
          unit: 'ms',
          ours: streamMs,
          baseline: oneShotMs,
          baselineLabel: 'importFile of the same spans at once, same process, same run',
          better: 'lower',
          target: { on: 'ratio', op: '<=', value: 2 },
          stat: total,
        },
        {
          id: 'otlp-stream.latency-growth',
          label: `OTLP request latency, last 10 % of requests (${label})`,
          unit: 'ms',
          ours: last.median,
          baseline: first.median,
          baselineLabel: 'first 10 % of the same requests',
          better: 'lower',
          note: `per-request cost independent of trace size: last ÷ first = ${growth.toFixed(2)}`,
          stat: last,
          baselineStat: first,
        },
        {
          id: 'otlp-stream.rss',
          label: `RSS growth while streaming (${label})`,
          unit: 'MB',
          ours: (rssPeak - rss0) / MB,
          baseline: null,
          baselineLabel: '–',
          better: 'lower',
        },
      ],
    };
  },
};
