import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { RunningServer } from '../../src/server';
import { fileURLToPath } from 'node:url';

/** bin/tracedeck (not from ./cli: that helper uses __dirname, which the ESM bench runner lacks). */
const BIN = fileURLToPath(new URL('../../bin/tracedeck', import.meta.url));

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];

/**
 * Issue 11 item 4, as a user meets it: `tracedeck serve` receives live OTLP spans from an agent
 * (the real OTel JS SDK + OTLP/HTTP exporter, which retries 503 and honours Retry-After) and
 * the UI keeps reading, while `tracedeck import` writes a big file into the same workspace from
 * another process. Used by the reliability test (asserts nothing is lost or refused) and the
 * bench (measures read latency; timings belong there only).
 */
export interface ConcurrentLoadResult {
  importExit: number | null;
  importStderr: string;
  /** Spans the agent ended (each was handed to the exporter). */
  spansSent: number;
  /** Every batch export's result as the SDK saw it (after its own retries). */
  exportResults: ExportResult[];
  /** HTTP status of every read call made while the import ran. */
  readStatuses: number[];
  readLatenciesMs: number[];
  /** The trace id of the streamed spans. */
  traceIds: string[];
}

export async function runConcurrentLoad(o: {
  server: RunningServer;
  workspacePath: string;
  file: string;
  /** Spans per agent "turn"; turns are emitted until the import ends. */
  spansPerTurn?: number;
  pauseMs?: number;
}): Promise<ConcurrentLoadResult> {
  const results: ExportResult[] = [];
  const inner = new OTLPTraceExporter({ url: o.server.otlpEndpoint!, timeoutMillis: 30_000 });
  const exporter: SpanExporter = {
    export: (spans: ReadableSpan[], done: (r: ExportResult) => void) =>
      inner.export(spans, (r) => {
        results.push(r);
        done(r);
      }),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush(),
  };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'live-agent' }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, { maxExportBatchSize: 20, scheduledDelayMillis: 50, maxQueueSize: 100_000 }),
    ],
  });
  const tracer = provider.getTracer('concurrent-load');

  const child = spawn(BIN, ['import', o.file, '--workspace', o.workspacePath], { cwd: tmpdir() });
  let importStderr = '';
  child.stderr.on('data', (c) => (importStderr += c));
  child.stdout.resume();
  let running = true;
  const importDone = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      running = false;
      resolve(code);
    }),
  );

  let spansSent = 0;
  const traceIds: string[] = [];
  const agent = (async () => {
    // Keep emitting while the import runs (and at least a few turns).
    for (let turn = 0; running || turn < 5; turn++) {
      const root = tracer.startSpan(`invoke_agent turn ${turn}`, { kind: SpanKind.INTERNAL });
      const ctx = trace.setSpan(context.active(), root);
      for (let i = 1; i < (o.spansPerTurn ?? 10); i++) {
        const s = tracer.startSpan(`execute_tool step ${i}`, { attributes: { 'gen_ai.operation.name': 'execute_tool', turn, i } }, ctx);
        s.end();
        spansSent++;
      }
      root.end();
      spansSent++;
      traceIds.push(root.spanContext().traceId);
      await new Promise((r) => setTimeout(r, o.pauseMs ?? 100));
    }
  })();

  const readStatuses: number[] = [];
  const readLatenciesMs: number[] = [];
  const reader = (async () => {
    while (running) {
      const t0 = performance.now();
      const status = await rpcStatus(o.server, 'listTraces', { limit: 50 });
      readLatenciesMs.push(performance.now() - t0);
      readStatuses.push(status);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const importExit = await importDone;
  await Promise.all([agent, reader]);
  await provider.forceFlush();
  await provider.shutdown();
  return { importExit, importStderr, spansSent, exportResults: results, readStatuses, readLatenciesMs, traceIds };
}

function rpcStatus(server: RunningServer, method: string, input: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(input);
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `/api/rpc/${method}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.secret}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
