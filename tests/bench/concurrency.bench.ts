/**
 * Concurrent writers (issue 11 item 4; options: --concurrency-spans=100000).
 *
 * `tracedeck serve` over a workspace while `tracedeck import` writes a big OTLP file into it from
 * another process, an agent streams spans to the receiver (real OTel SDK + OTLP/HTTP exporter)
 * and a client keeps calling listTraces. Tracedeck: read-call latency (p50, p99) during the
 * import. Baseline: the same calls against the same server with no import running. Target: p99
 * under 500 ms during the import; any lost span or failed export makes the bench fail.
 */
import { join } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import { startServer } from '../../src/server';
import { runConcurrentLoad } from '../helpers/concurrentLoad';
import { generateOtlpFile } from './genOtlp';
import type { Bench, BenchContext, BenchOutcome } from './types';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export const concurrencyBench: Bench = {
  name: 'concurrency',
  description: 'read latency and OTLP loss while a CLI import writes the served workspace',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const spans = Number(ctx.options['concurrency-spans'] ?? 100_000);
    const file = join(ctx.tmpDir, `concurrency-${spans}.otlp.json`);
    ctx.log(`concurrency: generating ${spans} spans …`);
    const gen = await generateOtlpFile({ path: file, spans, seed: 4 });
    const wsPath = join(ctx.tmpDir, 'concurrency.tracedeck');
    const server = await startServer({ workspacePath: wsPath, port: 0, staticDir: null });
    try {
      // Baseline: the same read call, nothing else running.
      const idle: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        await server.backend.dispatch('listTraces', { limit: 50 });
        idle.push(performance.now() - t0);
      }
      ctx.log(`concurrency: importing ${(gen.bytes / 1e6).toFixed(0)} MB from another process while streaming OTLP …`);
      const load = await runConcurrentLoad({ server, workspacePath: wsPath, file });
      const failedExports = load.exportResults.filter((r) => r.code !== ExportResultCode.SUCCESS).length;
      let stored = 0;
      for (const id of load.traceIds) stored += server.backend.workspace.getSpanSummaries(id).length;
      const lost = load.spansSent - stored;
      const badReads = load.readStatuses.filter((s) => s !== 200).length;
      const p50 = pct(load.readLatenciesMs, 50);
      const p99 = pct(load.readLatenciesMs, 99);
      const ok = load.importExit === 0 && lost === 0 && failedExports === 0 && badReads === 0;
      const rows = [
        ['read p50 (ms)', idle.length ? pct(idle, 50).toFixed(1) : '-', p50.toFixed(1)],
        ['read p99 (ms)', pct(idle, 99).toFixed(1), p99.toFixed(1)],
        ['read calls', String(idle.length), String(load.readLatenciesMs.length)],
        ['OTLP spans sent / lost', '-', `${load.spansSent} / ${lost}`],
        ['failed exports / failed reads', '-', `${failedExports} / ${badReads}`],
      ];
      return {
        ok,
        tables: [
          {
            title: `Concurrent writers: ${spans} spans (${(gen.bytes / 1e6).toFixed(0)} MB) imported by the CLI into a served workspace`,
            headers: ['', 'idle server', 'during import'],
            rows,
            notes: [`import exit ${load.importExit}${load.importStderr ? `; stderr: ${load.importStderr.trim()}` : ''}`],
          },
        ],
        data: { spans, bytes: gen.bytes, idle, during: load.readLatenciesMs, lost, failedExports, badReads, sent: load.spansSent },
        figures: [
          {
            id: 'concurrency.read.p99',
            label: `read call p99 during a ${spans}-span CLI import`,
            unit: 'ms',
            ours: p99,
            baseline: pct(idle, 99),
            baselineLabel: 'same call, idle server',
            better: 'lower',
            target: { on: 'ours', op: '<', value: 500 },
          },
          {
            id: 'concurrency.otlp.lost',
            label: 'OTLP spans lost during the import',
            unit: 'spans',
            ours: lost,
            baseline: null,
            baselineLabel: '–',
            better: 'lower',
            target: { on: 'ours', op: '<=', value: 0 },
          },
        ],
      };
    } finally {
      await server.close();
    }
  },
};
