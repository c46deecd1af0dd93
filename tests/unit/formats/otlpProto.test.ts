import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeOtlpProtoRequest, otlpProtoImporter } from '../../../src/core/formats/otlp/otlpProto';
import { emitOtlpRequest } from '../../../src/core/formats/otlp/otlpSpan';
import { detectFormat } from '../../../src/core/formats/registry';
import type { ImportSink } from '../../../src/core/formats/types';
import { importBuffer } from '../../../src/core/import/importFile';
import type { Span, TraceMeta } from '../../../src/core/model/types';
import { ImportError } from '../../../src/core/util/errors';
import { tempWorkspace } from '../../helpers/workspace';

// Real spans made with the OTel JS SDK and serialised by its own protobuf serializer: what an
// OTLP/HTTP exporter sends and what `otelcol` writes with the file exporter's proto format.

let spans: ReadableSpan[];
let body: Buffer;
let ids: { trace: string; root: string; llm: string; tool: string };
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

beforeAll(async () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'proto-agent', 'service.version': '2.1.0', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('agent-scope', '0.3.0');
  const root = tracer.startSpan('invoke_agent planner', {
    startTime: [1700000000, 123456789],
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'session.id': 'sess-42' },
  });
  const ctx = trace.setSpan(context.active(), root);
  const llm = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: [1700000000, 200000000],
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1500,
        'gen_ai.usage.output_tokens': 42,
        'gen_ai.request.temperature': 0.25,
        'gen_ai.response.finish_reasons': ['tool_calls'],
        'gen_ai.output.messages': JSON.stringify([
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_7', name: 'get_weather', arguments: { city: 'Oslo' } }] },
        ]),
        streamed: false,
      },
    },
    ctx,
  );
  llm.addEvent('gen_ai.content.chunk', { n: 3 }, [1700000000, 250000000]);
  llm.end([1700000000, 900000000]);
  const tool = tracer.startSpan(
    'execute_tool get_weather',
    {
      startTime: [1700000000, 950000000],
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.id': 'call_7',
        'gen_ai.tool.call.arguments': '{"city":"Oslo"}',
      },
      links: [{ context: llm.spanContext(), attributes: { reason: 'requested-by' } }],
    },
    ctx,
  );
  tool.recordException(new TypeError('weather service down'), [1700000001, 0]);
  tool.setStatus({ code: SpanStatusCode.ERROR });
  tool.end([1700000001, 100000000]);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end([1700000002, 0]);
  spans = exporter.getFinishedSpans();
  body = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  ids = {
    trace: root.spanContext().traceId,
    root: root.spanContext().spanId,
    llm: llm.spanContext().spanId,
    tool: tool.spanContext().spanId,
  };
  await provider.shutdown();
});

async function importProto(name: string, data: Buffer) {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const result = await importBuffer(t.ws, name, data);
  return { ws: t.ws, result };
}

function checkTrace(ws: ReturnType<typeof tempWorkspace>['ws']) {
  const byId = new Map(ws.getSpans(ids.trace).map((s) => [s.spanId, s]));
  expect(byId.size).toBe(3);
  const root = byId.get(ids.root)!;
  const llm = byId.get(ids.llm)!;
  const tool = byId.get(ids.tool)!;

  expect(root.parentId).toBeNull();
  expect(llm.parentId).toBe(ids.root);
  expect(tool.parentId).toBe(ids.root);

  // HrTime [1700000000, 123456789] = 1700000000123.456789 ms (float64 keeps ~0.2 µs here)
  expect(root.startMs).toBeCloseTo(1700000000123.456789, 3);
  expect(root.endMs).toBe(1700000002000);
  expect(llm.startMs).toBe(1700000000200);
  expect(llm.endMs).toBe(1700000000900);

  expect(root.kind).toBe('agent');
  expect(root.status).toBe('ok');
  expect(llm.kind).toBe('llm');
  expect(llm.sourceKind).toBe('chat');
  expect(llm.status).toBe('unset');
  expect(llm.model).toBe('gpt-4o');
  expect(llm.provider).toBe('openai');
  expect(llm.usage).toEqual({ inputTokens: 1500, outputTokens: 42 });
  expect(llm.attributes['gen_ai.request.temperature']).toBe(0.25);
  expect(llm.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
  expect(llm.attributes.streamed).toBe(false);
  expect(llm.attributes['otel.scope.name']).toBe('agent-scope');
  expect(llm.outputMessages?.[0]?.toolCalls).toEqual([{ id: 'call_7', name: 'get_weather', arguments: { city: 'Oslo' } }]);
  expect(llm.events).toEqual([{ name: 'gen_ai.content.chunk', timeMs: 1700000000250, attributes: { n: 3 } }]);

  expect(tool.kind).toBe('tool');
  expect(tool.status).toBe('error');
  expect(tool.statusMessage).toBe('TypeError: weather service down');
  expect(tool.toolCall).toEqual({ id: 'call_7', name: 'get_weather', arguments: { city: 'Oslo' }, isError: true });
  expect(tool.events[0]!.name).toBe('exception');
  expect(tool.events[0]!.timeMs).toBe(1700000001000);
  expect(tool.links).toEqual([{ traceId: ids.trace, spanId: ids.llm, attributes: { reason: 'requested-by' } }]);

  const t = ws.getTrace(ids.trace)!;
  expect(t.service).toBe('proto-agent');
  expect(t.version).toBe('2.1.0');
  expect(t.meta.sessionId).toBe('sess-42');
  expect(t.meta.metadata?.resource).toMatchObject({ 'service.name': 'proto-agent', 'deployment.environment': 'test' });
  expect([t.spanCount, t.llmCalls, t.toolCalls, t.toolErrors, t.inputTokens, t.outputTokens]).toEqual([3, 1, 1, 1, 1500, 42]);
}

describe('OTLP protobuf import (SDK-serialised spans)', () => {
  it('detects the body as otlp-proto, by content alone and by name', () => {
    expect(detectFormat('request.bin', body)?.importer.id).toBe('otlp-proto');
    expect(otlpProtoImporter.sniff('traces.binpb', body)).toBeGreaterThanOrEqual(0.9);
    expect(otlpProtoImporter.sniff('x.json', Buffer.from('\n{"resourceSpans":[]}'))).toBe(0);
  });

  it('keeps ids, parents, times, attributes, status, events and links', async () => {
    const { ws, result } = await importProto('traces.pb', body);
    expect(result.format).toBe('otlp-proto');
    expect(result.spanCount).toBe(3);
    expect(result.traceIds).toEqual([ids.trace]);
    checkTrace(ws);
  });

  it('reads the collector file exporter format (4-byte big-endian length before each message)', async () => {
    const first = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans.slice(0, 1))!);
    const rest = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans.slice(1))!);
    const frame = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
    const file = Buffer.concat([frame(first), frame(rest)]);
    expect(otlpProtoImporter.sniff('dump.bin', file)).toBeGreaterThanOrEqual(0.8);
    const { ws, result } = await importProto('dump.pb', file);
    expect(result.spanCount).toBe(3);
    checkTrace(ws);
  });

  it('reports a truncated body with a byte offset', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const cut = body.subarray(0, body.length - 20);
    const e = await importBuffer(t.ws, 'cut.pb', cut, { format: 'otlp-proto' }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).message).toMatch(/cut\.pb \(byte \d+\): protobuf ends early \(file truncated\?\)/);
    expect((e as ImportError).offset).toBeGreaterThanOrEqual(0);
    expect((e as ImportError).offset).toBeLessThan(cut.length);
  });

  it('decodeOtlpProtoRequest gives the shape emitOtlpRequest takes (live receiver path)', () => {
    const req = decodeOtlpProtoRequest(body);
    expect(req.resourceSpans).toHaveLength(1);
    expect(req.resourceSpans[0]!.scopeSpans[0]!.spans).toHaveLength(3);
    const got: Span[] = [];
    const metas: TraceMeta[] = [];
    const sink: ImportSink = { span: (s) => got.push(s), trace: (m) => metas.push(m), warn: () => {} };
    expect(emitOtlpRequest(req, 'live', sink)).toBe(3);
    expect(new Set(got.map((s) => s.spanId))).toEqual(new Set([ids.root, ids.llm, ids.tool]));
    expect(got.find((s) => s.spanId === ids.llm)!.parentId).toBe(ids.root);
    expect(metas.find((m) => m.service)?.service).toBe('proto-agent');
    expect(decodeOtlpProtoRequest(Buffer.alloc(0))).toEqual({ resourceSpans: [] });
    expect(() => decodeOtlpProtoRequest(body.subarray(0, 30), 'req')).toThrow(ImportError);
  });
});
