/**
 * Judges (options: --traces=10000, --spans-per-trace=20, --live-spans=10000, --repeat=15).
 *
 * 1. Throughput: the example code judge judges/no-tool-errors.judge.ts over every stored trace
 *    (10,000 agent traces of ~20 spans, imported as OTLP/JSON) through `runJudges` — isolated
 *    worker threads, fresh vm contexts, verdicts written to the workspace, cache off. Baseline:
 *    the same compiled judge run in-process on the same traces, read the same way, no isolation
 *    and nothing written. Target ≥ 2,000 traces/s on a 2-core machine.
 * 2. Live re-run latency: the editor's `previewJudge` on one 10k-span trace, the judge text
 *    changing every time (as while typing: compile + new script each call). Baseline: decode +
 *    index + judge in-process on the cached trace text. Target < 100 ms.
 */
import { mulberry32 } from '../../src/core/util/random';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createBackend } from '../../src/backend/handlers';
import { importFile } from '../../src/core/import/importFile';
import { compileJudgeSource } from '../../src/core/judges/compile';
import { parseJudgeFile } from '../../src/core/judges/judgeFiles';
import { runJudges } from '../../src/core/judges/runs';
import { createTrace, decodeTraceWire, normaliseJudgeReturn } from '../../src/core/judges/traceAccess';
import type { Trace } from '../../src/core/judges/traceApi';
import { TraceLoader } from '../../src/core/store/judgeTraces';
import { Workspace } from '../../src/core/store/workspace';
import { generateBigTrace, writeBigTraceOtlp } from './bigTrace';
import { REPO_ROOT } from './spawnChild';
import type { Bench, BenchContext, BenchOutcome } from './types';

const TARGET = { tracesPerSec: 2000, liveMs: 100 };

const rng = mulberry32;

const hex = (r: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
  return s;
};
const kv = (key: string, v: string | number) =>
  typeof v === 'number' ? { key, value: Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } } : { key, value: { stringValue: v } };
const TOOLS = ['search_docs', 'get_weather', 'run_sql', 'read_file', 'http_get'];

/**
 * `traces` OTel GenAI agent traces of about `spansPerTrace` spans (invoke_agent → chat turns,
 * each followed by its tool calls; ~4 % of tool calls fail), as OTLP/JSON, 200 traces per batch.
 */
export async function writeAgentTraces(path: string, traces: number, spansPerTrace: number): Promise<{ spans: number; failedTraces: number }> {
  const r = rng(7);
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  let spans = 0;
  let failedTraces = 0;
  await write('{"resourceSpans":[');
  for (let t = 0; t < traces; t += 200) {
    const batch: unknown[] = [];
    for (let k = t; k < Math.min(traces, t + 200); k++) {
      const traceId = hex(r, 32);
      const rootId = hex(r, 16);
      let clock = 1_750_000_000_000 + k * 60_000;
      const ns = (ms: number) => `${Math.round(ms)}000000`;
      const start = clock;
      const list: Record<string, unknown>[] = [];
      let failed = false;
      const turns = Math.max(1, Math.round((spansPerTrace - 1) / 3));
      for (let turn = 0; turn < turns && list.length < spansPerTrace - 1; turn++) {
        const llmStart = clock;
        clock += 200 + r() * 800;
        list.push({
          traceId,
          spanId: hex(r, 16),
          parentSpanId: rootId,
          name: 'chat gpt-4o-mini',
          kind: 3,
          startTimeUnixNano: ns(llmStart),
          endTimeUnixNano: ns(clock),
          attributes: [
            kv('gen_ai.operation.name', 'chat'),
            kv('gen_ai.request.model', 'gpt-4o-mini'),
            kv('gen_ai.usage.input_tokens', 500 + Math.floor(r() * 2000)),
            kv('gen_ai.usage.output_tokens', 20 + Math.floor(r() * 200)),
            kv('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `step ${turn}` }] }])),
          ],
          status: {},
        });
        for (let c = 0; c < 2 && list.length < spansPerTrace - 1; c++) {
          const toolStart = clock;
          clock += 20 + r() * 300;
          const err = r() < 0.04;
          failed ||= err;
          const tool = TOOLS[Math.floor(r() * TOOLS.length)]!;
          list.push({
            traceId,
            spanId: hex(r, 16),
            parentSpanId: rootId,
            name: `execute_tool ${tool}`,
            kind: 1,
            startTimeUnixNano: ns(toolStart),
            endTimeUnixNano: ns(clock),
            attributes: [
              kv('gen_ai.operation.name', 'execute_tool'),
              kv('gen_ai.tool.name', tool),
              kv('gen_ai.tool.call.id', `call_${hex(r, 8)}`),
              kv('gen_ai.tool.call.arguments', JSON.stringify({ q: `query ${k}.${turn}` })),
              kv('gen_ai.tool.call.result', err ? 'error: upstream timeout' : JSON.stringify({ ok: true, rows: Math.floor(r() * 50) })),
            ],
            status: err ? { code: 2, message: 'upstream timeout' } : {},
          });
        }
      }
      list.unshift({
        traceId,
        spanId: rootId,
        name: 'invoke_agent SupportAgent',
        kind: 1,
        startTimeUnixNano: ns(start),
        endTimeUnixNano: ns(clock + 5),
        attributes: [kv('gen_ai.operation.name', 'invoke_agent'), kv('gen_ai.agent.name', 'SupportAgent')],
        status: failed ? { code: 2, message: 'tool failed' } : {},
      });
      if (failed) failedTraces++;
      spans += list.length;
      batch.push(...list);
    }
    await write(
      (t ? ',' : '') +
        JSON.stringify({
          resource: { attributes: [kv('service.name', 'bench-agent')] },
          scopeSpans: [{ scope: { name: 'bench' }, spans: batch }],
        }),
    );
  }
  await write(']}');
  out.end();
  await once(out, 'finish');
  return { spans, failedTraces };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);

/** The compiled judge as a host function (the no-isolation baseline). */
function hostJudge(js: string): (t: Trace) => unknown {
  const mod = { exports: {} as Record<string, unknown> };
  new Function('exports', 'module', 'require', js)(mod.exports, mod, () => ({ defineJudge: (x: unknown) => x }));
  const d = mod.exports.default as (t: Trace) => unknown;
  return d;
}

export const judgesBench: Bench = {
  name: 'judges',
  description: 'code judge over 10k stored traces (isolated) and live re-run on a 10k-span trace',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const quick = ctx.options.quick === 'true';
    const nTraces = Number(ctx.options.traces ?? (quick ? 500 : 10_000));
    const perTrace = Number(ctx.options['spans-per-trace'] ?? 20);
    const liveSpans = Number(ctx.options['live-spans'] ?? (quick ? 1_000 : 10_000));
    const repeat = Number(ctx.options.repeat ?? (quick ? 3 : 15));
    let ok = true;

    const judgeSource = readFileSync(join(REPO_ROOT, 'judges/no-tool-errors.judge.ts'), 'utf8');
    const judge = parseJudgeFile('no-tool-errors.judge.ts', judgeSource);
    const compiled = compileJudgeSource(judgeSource);

    // ---- 1. throughput ----------------------------------------------------------------------
    const ws = Workspace.open(join(ctx.tmpDir, 'judges-bench.tracedeck'));
    const file = join(ctx.tmpDir, 'agent-traces.json');
    let t0 = performance.now();
    const gen = await writeAgentTraces(file, nTraces, perTrace);
    ctx.log(`generated ${nTraces} traces, ${gen.spans} spans in ${f0(performance.now() - t0)} ms`);
    t0 = performance.now();
    const imported = await importFile(ws, file);
    ctx.log(`imported ${imported.traceIds.length} traces in ${f0(performance.now() - t0)} ms`);
    if (imported.traceIds.length !== nTraces) {
      ctx.log(`expected ${nTraces} traces, got ${imported.traceIds.length}`);
      ok = false;
    }

    const runs: { seconds: number; failed: number }[] = [];
    for (let i = 0; i < 2; i++) {
      t0 = performance.now();
      const { run } = await runJudges(ws, { judges: [judge], selection: { mode: 'all' }, useCache: false });
      const seconds = (performance.now() - t0) / 1000;
      runs.push({ seconds, failed: run.failed });
      if (run.errored > 0 || run.done !== nTraces) ok = false;
      if (run.failed !== gen.failedTraces) {
        ctx.log(`judge failed ${run.failed} traces, the generator made ${gen.failedTraces} with a failed tool call`);
        ok = false;
      }
    }
    t0 = performance.now();
    const cachedRun = await runJudges(ws, { judges: [judge], selection: { mode: 'all' } });
    const cachedSeconds = (performance.now() - t0) / 1000;
    if (cachedRun.run.cached !== nTraces) ok = false;

    // Baseline: same reads, same decode + index, the judge as a plain function, one thread.
    const fn = hostJudge(compiled.js);
    const loader = new TraceLoader(ws);
    t0 = performance.now();
    let baselineFails = 0;
    for (const id of ws.traceIds()) {
      const trace = createTrace(decodeTraceWire(loader.wireText(id)!));
      if (!normaliseJudgeReturn(fn(trace), trace).pass) baselineFails++;
    }
    const baselineSeconds = (performance.now() - t0) / 1000;
    if (baselineFails !== gen.failedTraces) ok = false;
    const best = Math.min(...runs.map((r) => r.seconds));
    const tps = nTraces / best;
    if (tps < TARGET.tracesPerSec) ctx.log(`below target: ${f0(tps)} traces/s < ${TARGET.tracesPerSec}`);
    ws.close();

    // ---- 2. live re-run latency on a 10k-span trace -------------------------------------------
    const liveWs = Workspace.open(join(ctx.tmpDir, 'judges-live.tracedeck'));
    const big = generateBigTrace({ spans: liveSpans, seed: 3 });
    const bigFile = join(ctx.tmpDir, 'big-trace.json');
    await writeBigTraceOtlp(bigFile, big);
    await importFile(liveWs, bigFile);
    const backend = createBackend({ workspace: liveWs, mode: 'browser' });
    const cold: number[] = [];
    const warm: number[] = [];
    const judgeOnly: number[] = [];
    let liveVerdict = '';
    for (let i = 0; i <= repeat; i++) {
      // A different text each time: what typing does (new hash → compile + new script).
      const src = judgeSource.replace('none failed', `none failed (${i})`);
      const s = performance.now();
      const p = await backend.call('previewJudge', { traceId: big.traceId, kind: 'code', source: src });
      const ms = performance.now() - s;
      if (i === 0) cold.push(ms);
      else warm.push(ms);
      judgeOnly.push(p.durationMs);
      liveVerdict = `${p.status}: ${p.rationale}`;
      if (p.status === 'error') ok = false;
    }
    const text = new TraceLoader(liveWs).wireText(big.traceId)!;
    const base: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const s = performance.now();
      const trace = createTrace(decodeTraceWire(text));
      normaliseJudgeReturn(fn(trace), trace);
      base.push(performance.now() - s);
    }
    liveWs.close();
    const liveMedian = median(warm);
    if (liveMedian > TARGET.liveMs) ctx.log(`below target: live re-run median ${f1(liveMedian)} ms > ${TARGET.liveMs} ms`);

    const data = {
      traces: nTraces,
      spans: gen.spans,
      workers: Math.min(4, availableParallelism()),
      isolatedSeconds: runs.map((r) => r.seconds),
      tracesPerSec: tps,
      cachedSeconds,
      baselineSeconds,
      baselineTracesPerSec: nTraces / baselineSeconds,
      live: { spans: liveSpans, coldMs: cold[0], warmMedianMs: liveMedian, warmP95Ms: p95(warm), judgeMedianMs: median(judgeOnly), baselineMedianMs: median(base), verdict: liveVerdict },
      targets: TARGET,
    };
    return {
      ok,
      data,
      tables: [
        {
          title: `Code judge over ${nTraces} stored traces (${gen.spans} spans; ${gen.failedTraces} with a failed tool call)`,
          headers: ['', 'seconds', 'traces/s'],
          rows: [
            ['Tracedeck (isolated workers, verdicts stored)', runs.map((r) => r.seconds.toFixed(2)).join(' / '), f0(tps)],
            ['same run, all verdicts cached', cachedSeconds.toFixed(2), f0(nTraces / cachedSeconds)],
            ['baseline: in-process, no isolation, nothing stored', baselineSeconds.toFixed(2), f0(nTraces / baselineSeconds)],
          ],
          notes: [`target ≥ ${TARGET.tracesPerSec} traces/s — ${tps >= TARGET.tracesPerSec ? 'met' : 'NOT met'}`, `${availableParallelism()} CPUs`],
        },
        {
          title: `Live re-run in the editor on a ${liveSpans}-span trace (previewJudge, text changes every call)`,
          headers: ['', 'median ms', 'p95 ms'],
          rows: [
            ['Tracedeck previewJudge, first call (worker start, trace load)', f1(cold[0]!), ''],
            ['Tracedeck previewJudge, while typing', f1(liveMedian), f1(p95(warm))],
            ['  of which the judge itself (in the sandbox)', f1(median(judgeOnly)), ''],
            ['baseline: decode + index + judge in-process', f1(median(base)), f1(p95(base))],
          ],
          notes: [`target < ${TARGET.liveMs} ms — ${liveMedian < TARGET.liveMs ? 'met' : 'NOT met'}`, `verdict: ${liveVerdict}`],
        },
      ],
    };
  },
};
