import { gzipSync } from 'node:zlib';
import { context, SpanKind, SpanStatusCode, trace, type Span as OtelSpan } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Span, TraceDetail } from '../../../src/shared/api';
import { openEventStream, raw, tempServer } from './harness';

type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];

/** Wraps a real exporter to record every export result (the SDK swallows failures). */
function recording(exporter: SpanExporter): { exporter: SpanExporter; results: ExportResult[] } {
  const results: ExportResult[] = [];
  return {
    results,
    exporter: {
      export: (spans: ReadableSpan[], done: (r: ExportResult) => void) =>
        exporter.export(spans, (r) => {
          results.push(r);
          done(r);
        }),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    },
  };
}

function provider(exporter: SpanExporter, batch = false) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'weather-bot', 'service.version': '2.3.1' }),
    spanProcessors: [batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
  });
}

const hex = (s: OtelSpan) => s.spanContext();

describe.each([
  { label: 'OTLP/HTTP JSON exporter', make: (url: string) => new JsonExporter({ url }) },
  { label: 'OTLP/HTTP protobuf exporter', make: (url: string) => new ProtoExporter({ url }) },
  {
    label: 'OTLP/HTTP protobuf exporter, gzip',
    make: (url: string) => new ProtoExporter({ url, compression: 'gzip' as never }),
  },
  { label: 'OTLP/HTTP JSON exporter, gzip', make: (url: string) => new JsonExporter({ url, compression: 'gzip' as never }) },
])('$label', ({ make }) => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  beforeAll(async () => {
    h = await tempServer();
  });
  afterAll(() => h.stop());

  it('stores an agent trace sent span by span, children before their parent', async () => {
    const rec = recording(make(h.server.otlpEndpoint!));
    const p = provider(rec.exporter);
    const tracer = p.getTracer('tracedeck-test', '1.0.0');
    const stream = await openEventStream(h.server.port);

    const root = tracer.startSpan('invoke_agent weather-bot', {
      kind: SpanKind.INTERNAL,
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'weather-bot' },
    });
    const rootCtx = trace.setSpan(context.active(), root);
    const llm = tracer.startSpan(
      'chat gpt-4o',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 120,
          'gen_ai.usage.output_tokens': 35,
          'http.retries': 0,
          'app.flags': ['a', 'b'],
        },
      },
      rootCtx,
    );
    llm.end();
    // SimpleSpanProcessor exports each span as it ends: this request holds only the child.
    await p.forceFlush();
    const traceId = hex(root).traceId;
    const rootId = hex(root).spanId;
    const llmId = hex(llm).spanId;

    const early = await h.rpc<TraceDetail>('getTrace', { traceId });
    expect(early.body.summary.spanCount).toBe(1);
    const earlyLlm = await h.rpc<Span>('getSpan', { traceId, spanId: llmId });
    // Parent not here yet: shown as a root, the source parent kept aside.
    expect(earlyLlm.body.parentId).toBeNull();
    expect(earlyLlm.body.attributes['tracedeck.source_parent']).toBe(rootId);

    const tool = tracer.startSpan(
      'execute_tool get_weather',
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'get_weather',
          'gen_ai.tool.call.id': 'call_42',
        },
      },
      rootCtx,
    );
    tool.setStatus({ code: SpanStatusCode.ERROR, message: 'city not found: Atlantis' });
    tool.end();
    const http = tracer.startSpan('GET /forecast', { kind: SpanKind.SERVER }, trace.setSpan(context.active(), tool));
    http.end();
    root.setStatus({ code: SpanStatusCode.OK });
    root.end();
    await p.forceFlush();
    await p.shutdown();
    expect(rec.results.map((r) => r.code)).toEqual([0, 0, 0, 0]); // ExportResultCode.SUCCESS

    const { body: detail } = await h.rpc<TraceDetail>('getTrace', { traceId });
    expect(detail.summary.spanCount).toBe(4);
    expect(detail.summary.service).toBe('weather-bot');
    expect(detail.summary.version).toBe('2.3.1');
    expect(detail.summary.errorCount).toBe(1);
    const byId = new Map(detail.spans.map((s) => [s.spanId, s]));
    expect(byId.get(rootId)!.parentId).toBeNull();
    expect(byId.get(llmId)!.parentId).toBe(rootId); // re-linked once the parent arrived
    expect(byId.get(hex(tool).spanId)!.parentId).toBe(rootId);
    expect(byId.get(hex(http).spanId)!.parentId).toBe(hex(tool).spanId);
    expect(detail.spans.filter((s) => s.parentId === null)).toHaveLength(1);

    const get = async (id: string) => (await h.rpc<Span>('getSpan', { traceId, spanId: id })).body;
    const rootSpan = await get(rootId);
    expect(rootSpan).toMatchObject({ name: 'invoke_agent weather-bot', kind: 'agent', status: 'ok' });

    const llmSpan = await get(llmId);
    expect(llmSpan).toMatchObject({ kind: 'llm', status: 'unset', model: 'gpt-4o', provider: 'openai' });
    expect(llmSpan.usage).toMatchObject({ inputTokens: 120, outputTokens: 35 });
    expect(llmSpan.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 120,
      'http.retries': 0,
      'app.flags': ['a', 'b'],
      'otel.scope.name': 'tracedeck-test',
    });
    expect(llmSpan.attributes['tracedeck.source_parent']).toBeUndefined();
    expect(llmSpan.endMs! - llmSpan.startMs).toBeGreaterThanOrEqual(0);

    const toolSpan = await get(hex(tool).spanId);
    expect(toolSpan).toMatchObject({ kind: 'tool', status: 'error', statusMessage: 'city not found: Atlantis' });
    expect(toolSpan.toolCall).toMatchObject({ name: 'get_weather', id: 'call_42', isError: true });

    const httpSpan = await get(hex(http).spanId);
    expect(httpSpan).toMatchObject({ kind: 'other', sourceKind: 'server' });

    expect(detail.summary.llmCalls).toBe(1);
    expect(detail.summary.toolCalls).toBe(1);
    expect(detail.summary.inputTokens).toBe(120);
    expect(detail.summary.outputTokens).toBe(35);

    const changed = await stream.waitFor((e) => e.type === 'traces-changed' && e.reason === 'otlp');
    expect(changed).toMatchObject({ traceIds: [traceId] });
    stream.close();

    // Another exporter (batch processor) adds a second trace; the first stays as it was.
    const again = recording(make(h.server.otlpEndpoint!));
    const p2 = provider(again.exporter, true);
    const t2 = p2.getTracer('tracedeck-test');
    const other = t2.startSpan('second trace');
    other.end();
    await p2.forceFlush();
    await p2.shutdown();
    expect(again.results.map((r) => r.code)).toEqual([0]);
    const list = await h.rpc<{ total: number }>('listTraces', {});
    expect(list.body.total).toBe(2);
    expect((await h.rpc<TraceDetail>('getTrace', { traceId })).body.summary.spanCount).toBe(4);
  });
});

describe('OTLP receiver edge cases', () => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  beforeAll(async () => {
    h = await tempServer();
  });
  afterAll(() => h.stop());

  const post = (body: string | Buffer, headers: Record<string, string>) =>
    raw(h.server.port, { method: 'POST', path: '/v1/traces', headers, body });

  const span = (spanId: string, parentSpanId?: string) => ({
    traceId: '5B8EFFF798038103D269B633813FC60C',
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name: `span ${spanId}`,
    startTimeUnixNano: '1544712660000000000',
    endTimeUnixNano: '1544712661000000000',
  });
  const request = (...spans: object[]) =>
    JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: {}, spans }] }] });

  it('re-sending a span replaces it rather than duplicating it', async () => {
    const headers = { 'content-type': 'application/json' };
    expect((await post(request(span('EEE19B7EC3C1B174', 'EEE19B7EC3C1B173')), headers)).status).toBe(200);
    expect((await post(request(span('EEE19B7EC3C1B174', 'EEE19B7EC3C1B173')), headers)).status).toBe(200);
    expect((await post(request(span('EEE19B7EC3C1B173')), headers)).status).toBe(200);
    const d = (await h.rpc<TraceDetail>('getTrace', { traceId: '5b8efff798038103d269b633813fc60c' })).body;
    expect(d.spans.map((s) => [s.spanId, s.parentId])).toEqual(
      expect.arrayContaining([
        ['eee19b7ec3c1b173', null],
        ['eee19b7ec3c1b174', 'eee19b7ec3c1b173'],
      ]),
    );
    expect(d.spans).toHaveLength(2);
  });

  it('answers 200 with an empty response in the request encoding', async () => {
    const json = await post(request(span('00000000000000a1')), { 'content-type': 'application/json' });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json');
    expect(JSON.parse(json.body.toString())).toEqual({});

    const gz = await post(gzipSync(request(span('00000000000000a2'))), {
      'content-type': 'application/json; charset=utf-8',
      'content-encoding': 'gzip',
    });
    expect(gz.status).toBe(200);
  });

  it('refuses bad bodies with 400 and a message, other types with 415', async () => {
    const badJson = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body.toString())).toMatchObject({ code: 3, message: expect.any(String) });

    const badProto = await post(Buffer.from([0x0a, 0xff, 0xff, 0x01, 0x02]), { 'content-type': 'application/x-protobuf' });
    expect(badProto.status).toBe(400);
    expect(badProto.headers['content-type']).toBe('application/x-protobuf');
    // google.rpc.Status: field 1 (code) = 3 first.
    expect([...badProto.body.subarray(0, 2)]).toEqual([0x08, 3]);

    const badGzip = await post(Buffer.from('not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(badGzip.status).toBe(400);

    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const br = await post('x', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    const get = await raw(h.server.port, { path: '/v1/traces' });
    expect(get.status).toBe(405);
  });
});
