import { afterAll, describe, expect, it } from 'vitest';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { decodeOtlpJsonRequest, otlpJsonImporter } from '../../../src/core/formats/otlp/otlpJson';
import { anyValueToJson, otlpId } from '../../../src/core/formats/otlp/otlpSpan';
import { importBuffer } from '../../../src/core/import/importFile';
import { ImportError } from '../../../src/core/util/errors';
import { importFixture, tempWorkspace } from '../../helpers/workspace';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function fixtureTrace(rel: string) {
  const { ws, result, cleanup } = await importFixture(`otlp-json/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('otlp-json');
  return { ws, result };
}

async function importText(name: string, text: string) {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const result = await importBuffer(t.ws, name, Buffer.from(text), { format: 'otlp-json' });
  return { ws: t.ws, result };
}

async function importError(name: string, text: string): Promise<ImportError> {
  try {
    await importText(name, text);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

const kv = (key: string, value: unknown) => ({ key, value });
const str = (s: string) => ({ stringValue: s });

describe('OTLP/JSON fixtures', () => {
  it('otel-proto-example-trace.json: uppercase hex ids, ns strings, parent outside the file', async () => {
    const { ws, result } = await fixtureTrace('otel-proto-example-trace.json');
    expect(result.spanCount).toBe(1);
    expect(result.traceIds).toEqual(['5b8efff798038103d269b633813fc60c']);
    const [s] = ws.getSpans('5b8efff798038103d269b633813fc60c');
    expect(s!.spanId).toBe('eee19b7ec3c1b174');
    // parentSpanId EEE19B7EC3C1B173 is not in the file: shown as root, source parent kept
    expect(s!.parentId).toBeNull();
    expect(s!.attributes['tracedeck.source_parent']).toBe('eee19b7ec3c1b173');
    expect(s!.name).toBe("I'm a server span");
    expect(s!.sourceKind).toBe('server'); // kind 2
    expect(s!.startMs).toBe(1544712660000);
    expect(s!.endMs).toBe(1544712661000);
    expect(s!.attributes['my.span.attr']).toBe('some value');
    expect(s!.attributes['otel.scope.name']).toBe('my.library');
    expect(s!.attributes['otel.scope.version']).toBe('1.0.0');
    expect(s!.attributes['service.name']).toBeUndefined(); // resource attributes stay out of spans
    const t = ws.getTrace(result.traceIds[0]!)!;
    expect(t.service).toBe('my.service');
    expect(t.meta.metadata?.resource).toEqual({ 'service.name': 'my.service' });
    expect(t.durationMs).toBe(1000);
    expect(result.warnings.join('\n')).toContain('name a parent that is not in the trace');
  });

  it('jaeger multi-resource fixture: 5 spans of one trace over 3 services, nameless events, empty status', async () => {
    const { ws, result } = await fixtureTrace('jaeger-integration-fixture-example-trace-multi-resource.json');
    expect(result.spanCount).toBe(5);
    expect(result.traceIds).toEqual(['00000000000000000000000000000011']);
    const spans = ws.getSpans(result.traceIds[0]!).filter((s) => s.attributes['tracedeck.synthetic'] !== true);
    expect(spans.map((s) => s.spanId).sort()).toEqual(['0000000000000003', '0000000000000004', '0000000000000005', '0000000000000006', '0000000000000007']);
    for (const s of spans) {
      expect(s.status).toBe('unset');
      expect(s.events).toHaveLength(2);
      expect(s.events[0]!.name).toBe('event');
      expect(s.events[0]!.timeMs).toBeCloseTo(1485449191639.875, 3);
      expect(s.startMs).toBeCloseTo(1485449191639.875, 3);
      expect(s.endMs! - s.startMs).toBeCloseTo(0.1, 3);
    }
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.get('0000000000000006')!.sourceKind).toBe('server');
    expect(byId.get('0000000000000007')!.sourceKind).toBe('client');
    expect(byId.get('0000000000000004')!.sourceKind).toBeUndefined(); // no kind in the file
    const t = ws.getTrace(result.traceIds[0]!)!;
    expect(t.service).toBe('example-service-2'); // first resourceSpans
    expect(t.meta.metadata?.services).toEqual(['example-service-2', 'example-service-3', 'example-service-1']);
  });

  it('jaeger API v3 {"result": …}: one error span without times', async () => {
    const { ws, result } = await fixtureTrace('jaeger-apiv3-GetTrace-snapshot-result-wrapped.json');
    expect(result.spanCount).toBe(1);
    const [s] = ws.getSpans('00000000000000000000000000000001');
    expect(s!.spanId).toBe('0000000000000002');
    expect(s!.name).toBe('foobar');
    expect(s!.status).toBe('error');
    expect(s!.sourceKind).toBe('server');
    expect(s!.startMs).toBe(0);
    expect(s!.endMs).toBeNull();
    expect(ws.getTrace('00000000000000000000000000000001')!.errorCount).toBe(1);
    expect(result.warnings.join('\n')).toContain('no start time');
  });
});

const span = (over: Record<string, unknown>) => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  name: 'span',
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000001000000000',
  ...over,
});
const envelope = (spans: unknown[], resource: unknown = { attributes: [kv('service.name', str('svc'))] }) => ({
  resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'scope-a' }, spans }] }],
});

describe('OTLP/JSON shapes', () => {
  it('reads file-exporter JSON Lines where a trace continues on a later line', async () => {
    const line1 = envelope([span({ spanId: '1111111111111111', parentSpanId: '2222222222222222', name: 'child' })]);
    const line2 = envelope([span({ spanId: '2222222222222222', name: 'root' })]);
    const line3 = envelope([span({ traceId: 'ffffffffffffffffffffffffffffffff', spanId: '3333333333333333' })]);
    const { ws, result } = await importText(
      'traces.jsonl',
      [line1, line2, line3].map((l) => JSON.stringify(l)).join('\n') + '\n',
    );
    expect(result.spanCount).toBe(3);
    expect(result.traceIds.sort()).toEqual(['0af7651916cd43dd8448eb211c80319c', 'ffffffffffffffffffffffffffffffff']);
    const spans = ws.getSpans('0af7651916cd43dd8448eb211c80319c');
    expect(spans.find((s) => s.spanId === '1111111111111111')!.parentId).toBe('2222222222222222');
    expect(ws.getTrace('0af7651916cd43dd8448eb211c80319c')!.service).toBe('svc');
  });

  it('reads a JSON array of export requests (Python captures: base64 ids, enum names), pretty or not', async () => {
    // What `json.dump([MessageToDict(req) for req in captured])` writes: protobuf's JSON mapping
    // (ids base64 of the bytes, enums by name, int64 as strings), one request per export call.
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    const TRACE = '5b8efff798038103d269b633813fc60c';
    const req = (service: string, spans: unknown[]) => ({
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', str(service))] },
          scopeSpans: [{ scope: { name: 'opentelemetry.instrumentation.openai_v2' }, spans }],
        },
      ],
    });
    const pySpan = (spanId: string, parent: string | undefined, name: string, code: string, kind: string) => ({
      traceId: b64(TRACE),
      spanId: b64(spanId),
      ...(parent ? { parentSpanId: b64(parent) } : {}),
      name,
      kind,
      startTimeUnixNano: '1544712660000000000',
      endTimeUnixNano: '1544712661500000000',
      attributes: [kv('gen_ai.operation.name', str(name.split(' ')[0]!))],
      status: { code },
    });
    const doc = [
      req('py-agent', [pySpan('eee19b7ec3c1b174', 'aaaaaaaaaaaaaaaa', 'chat gpt-4o', 'STATUS_CODE_OK', 'SPAN_KIND_CLIENT')]),
      req('py-agent', [pySpan('aaaaaaaaaaaaaaaa', undefined, 'invoke_agent triage', 'STATUS_CODE_ERROR', 'SPAN_KIND_INTERNAL')]),
    ];
    for (const text of [JSON.stringify(doc, null, 2), JSON.stringify(doc)]) {
      expect(otlpJsonImporter.sniff('captured.json', Buffer.from(text))).toBeGreaterThanOrEqual(0.9);
      const t = tempWorkspace();
      cleanups.push(t.cleanup);
      // detected, not forced
      const result = await importBuffer(t.ws, 'captured.json', Buffer.from(text));
      expect(result.format).toBe('otlp-json');
      expect(result.spanCount).toBe(2);
      expect(result.traceIds).toEqual([TRACE]);
      const spans = t.ws.getSpans(TRACE);
      const chat = spans.find((s) => s.spanId === 'eee19b7ec3c1b174')!;
      expect(chat.parentId).toBe('aaaaaaaaaaaaaaaa');
      expect([chat.kind, chat.status, chat.sourceKind]).toEqual(['llm', 'ok', 'chat']);
      expect(chat.endMs! - chat.startMs).toBe(1500);
      const agent = spans.find((s) => s.spanId === 'aaaaaaaaaaaaaaaa')!;
      expect([agent.kind, agent.status, agent.parentId]).toEqual(['agent', 'error', null]);
      expect(t.ws.getTrace(TRACE)!.service).toBe('py-agent');
    }
    // forced, too (it used to say "no spans found")
    const forced = await importText('captured.json', JSON.stringify(doc));
    expect(forced.result.spanCount).toBe(2);
  });

  it('reads old instrumentationLibrarySpans, base64 ids, string enums and every AnyValue kind', async () => {
    const doc = {
      resourceSpans: [
        {
          resource: { attributes: [kv('service.name', str('old')), kv('service.version', str('0.9'))] },
          instrumentationLibrarySpans: [
            {
              instrumentationLibrary: { name: 'legacy-lib', version: '0.1' },
              spans: [
                {
                  traceId: 'CvdlGRbNQ92ESOshHIAxnA==', // base64 of 0af7651916cd43dd8448eb211c80319c
                  spanId: 't61rcWkgMzE=', // base64 of b7ad6b7169203331
                  parentSpanId: '',
                  name: 'legacy',
                  kind: 'SPAN_KIND_CLIENT',
                  startTimeUnixNano: 1700000000000000000,
                  endTimeUnixNano: '1700000000500000000',
                  status: { code: 'STATUS_CODE_ERROR' },
                  attributes: [
                    kv('int.str', { intValue: '42' }),
                    kv('int.num', { intValue: 7 }),
                    kv('int.big', { intValue: '9007199254740993' }),
                    kv('dbl', { doubleValue: 1.5 }),
                    kv('flag', { boolValue: false }),
                    kv('raw', { bytesValue: 'aGk=' }),
                    kv('list', { arrayValue: { values: [str('a'), { intValue: '1' }] } }),
                    kv('map', { kvlistValue: { values: [kv('inner', { kvlistValue: { values: [kv('x', str('y'))] } })] } }),
                    kv('empty', {}),
                  ],
                  events: [
                    {
                      timeUnixNano: '1700000000250000000',
                      name: 'exception',
                      attributes: [kv('exception.type', str('ValueError')), kv('exception.message', str('bad input'))],
                    },
                  ],
                  links: [{ traceId: 'ffffffffffffffffffffffffffffffff', spanId: 'AAAAAAAAAAAAAAAA', attributes: [kv('l', str('1'))] }],
                },
              ],
            },
          ],
        },
      ],
    };
    const { ws, result } = await importText('legacy.json', JSON.stringify(doc));
    expect(result.traceIds).toEqual(['0af7651916cd43dd8448eb211c80319c']);
    const [s] = ws.getSpans('0af7651916cd43dd8448eb211c80319c');
    expect(s!.spanId).toBe('b7ad6b7169203331');
    expect(s!.parentId).toBeNull();
    expect(s!.sourceKind).toBe('client');
    expect(s!.status).toBe('error');
    expect(s!.statusMessage).toBe('ValueError: bad input'); // from the exception event: status had none
    expect(s!.startMs).toBe(1700000000000);
    expect(s!.endMs).toBe(1700000000500);
    expect(s!.attributes).toMatchObject({
      'int.str': 42,
      'int.num': 7,
      'int.big': '9007199254740993', // beyond 2^53: kept exact as a string
      dbl: 1.5,
      flag: false,
      raw: 'aGk=',
      list: ['a', 1],
      map: { inner: { x: 'y' } },
      empty: null,
      'otel.scope.name': 'legacy-lib',
    });
    expect(s!.links).toEqual([{ traceId: 'ffffffffffffffffffffffffffffffff', spanId: 'aaaaaaaaaaaaaaaa', attributes: { l: '1' } }]);
    const t = ws.getTrace(result.traceIds[0]!)!;
    expect(t.service).toBe('old');
    expect(t.version).toBe('0.9');
  });

  it('gives a trace its service when the resource comes after the spans (key order is free)', async () => {
    const text =
      '{"resourceSpans":[{"scopeSpans":[{"spans":[' +
      JSON.stringify(span({})) +
      ']}],"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late"}}]}}]}';
    const { ws, result } = await importText('late.json', text);
    expect(ws.getTrace(result.traceIds[0]!)!.service).toBe('late');
  });

  it('reads snake_case proto field names', async () => {
    const doc = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'snake' } }] },
          scope_spans: [
            {
              spans: [
                {
                  trace_id: '0af7651916cd43dd8448eb211c80319c',
                  span_id: 'b7ad6b7169203331',
                  name: 'snake',
                  start_time_unix_nano: '1700000000000000000',
                  attributes: [{ key: 'n', value: { int_value: '3' } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const { ws, result } = await importText('snake.json', JSON.stringify(doc));
    const [s] = ws.getSpans(result.traceIds[0]!);
    expect(s!.attributes.n).toBe(3);
    expect(s!.startMs).toBe(1700000000000);
    expect(ws.getTrace(result.traceIds[0]!)!.service).toBe('snake');
  });

  it('interprets GenAI spans: agent → llm (usage) → tool error, counted on the trace', async () => {
    const doc = envelope([
      span({ spanId: 'a000000000000001', name: 'invoke_agent planner', attributes: [kv('gen_ai.operation.name', str('invoke_agent'))] }),
      span({
        spanId: 'a000000000000002',
        parentSpanId: 'a000000000000001',
        name: 'chat gpt-4o',
        attributes: [
          kv('gen_ai.operation.name', str('chat')),
          kv('gen_ai.request.model', str('gpt-4o')),
          kv('gen_ai.usage.input_tokens', { intValue: '120' }),
          kv('gen_ai.usage.output_tokens', { intValue: '30' }),
        ],
      }),
      span({
        spanId: 'a000000000000003',
        parentSpanId: 'a000000000000001',
        name: 'execute_tool get_weather',
        status: { code: 2, message: 'timeout' },
        attributes: [
          kv('gen_ai.operation.name', str('execute_tool')),
          kv('gen_ai.tool.name', str('get_weather')),
          kv('gen_ai.tool.call.id', str('call_1')),
          kv('gen_ai.tool.call.arguments', str('{"city":"Paris"}')),
        ],
      }),
    ]);
    const { ws, result } = await importText('genai.json', JSON.stringify(doc));
    const spans = new Map(ws.getSpans(result.traceIds[0]!).map((s) => [s.spanId, s]));
    expect(spans.get('a000000000000001')!.kind).toBe('agent');
    const llm = spans.get('a000000000000002')!;
    expect(llm.kind).toBe('llm');
    expect(llm.model).toBe('gpt-4o');
    expect(llm.usage).toEqual({ inputTokens: 120, outputTokens: 30 });
    const tool = spans.get('a000000000000003')!;
    expect(tool.kind).toBe('tool');
    expect(tool.toolCall).toEqual({ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' }, isError: true });
    expect(tool.statusMessage).toBe('timeout');
    const t = ws.getTrace(result.traceIds[0]!)!;
    expect([t.llmCalls, t.toolCalls, t.toolErrors, t.inputTokens, t.outputTokens]).toEqual([1, 1, 1, 120, 30]);
  });

  it('imports what the OTel JS SDK JSON serializer writes', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'json-sdk' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('sdk-scope');
    const root = tracer.startSpan('root', { startTime: [1700000000, 5000] });
    const child = tracer.startSpan('child', { kind: SpanKind.CLIENT, startTime: [1700000000, 1_000_000] }, trace.setSpan(context.active(), root));
    child.setStatus({ code: SpanStatusCode.OK });
    child.end([1700000000, 3_000_000]);
    root.end([1700000001, 0]);
    const body = Buffer.from(JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())!);
    const { ws, result } = await importText('sdk.json', body.toString());
    const traceId = root.spanContext().traceId;
    expect(result.traceIds).toEqual([traceId]);
    const spans = new Map(ws.getSpans(traceId).map((s) => [s.spanId, s]));
    const c = spans.get(child.spanContext().spanId)!;
    expect(c.parentId).toBe(root.spanContext().spanId);
    expect(c.status).toBe('ok');
    expect(c.startMs).toBe(1700000000001);
    expect(c.endMs).toBe(1700000000003);
    expect(spans.get(root.spanContext().spanId)!.startMs).toBeCloseTo(1700000000000.005, 4);
    await provider.shutdown();
  });
});

describe('OTLP/JSON errors', () => {
  it('names the file and line of a span without a traceId', async () => {
    const text = JSON.stringify(envelope([span({}), span({ traceId: '' })]), null, 1);
    const e = await importError('bad-span.json', text);
    expect(e.message).toContain('bad-span.json');
    expect(e.message).toContain('span has no traceId');
    expect(e.line).toBe(text.split('\n').findIndex((l) => l.includes('"traceId": ""')));
    expect(e.path).toBe('resourceSpans[0].scopeSpans[0].spans[1]');
  });

  it('reports a truncated file with the byte offset', async () => {
    const text = JSON.stringify(envelope([span({}), span({ spanId: 'c000000000000001' })]));
    const e = await importError('cut.json', text.slice(0, 300));
    expect(e.message).toContain('cut.json');
    expect(e.message).toContain('JSON ends early at byte 300');
    expect(e.offset).toBe(300);
  });

  it('reports invalid JSON between spans with line and offset', async () => {
    const e = await importError('broken.json', '{"resourceSpans": [\n  {"scopeSpans": [] ]\n}');
    expect(e.message).toContain("invalid JSON at byte 40: expected ',' or '}'");
    expect(e.line).toBe(2);
  });
});

describe('decodeOtlpJsonRequest', () => {
  it('accepts objects, strings, buffers and the Jaeger wrapper; {} is an empty request', () => {
    const doc = envelope([span({})]);
    for (const body of [doc, JSON.stringify(doc), Buffer.from(JSON.stringify(doc)), { result: doc }]) {
      const req = decodeOtlpJsonRequest(body);
      expect(req.resourceSpans).toHaveLength(1);
      expect(req.resourceSpans[0]!.scopeSpans[0]!.spans).toHaveLength(1);
    }
    expect(decodeOtlpJsonRequest({})).toEqual({ resourceSpans: [] });
    expect(() => decodeOtlpJsonRequest({ spans: [] }, 'req')).toThrow(/req: not an OTLP traces request/);
    expect(() => decodeOtlpJsonRequest('{oops', 'req')).toThrow(ImportError);
  });
});

describe('OTLP helpers', () => {
  it('normalises ids: hex any case, base64, bytes; other strings stay', () => {
    expect(otlpId('5B8EFFF798038103D269B633813FC60C')).toBe('5b8efff798038103d269b633813fc60c');
    expect(otlpId('YUMtSIxXQHea1DTgS+G2zg==')).toBe('61432d488c5740779ad434e04be1b6ce');
    expect(otlpId(new Uint8Array([1, 2, 255]))).toBe('0102ff');
    expect(otlpId('fixture-trace-1')).toBe('fixture-trace-1');
    expect(otlpId('')).toBe('');
  });

  it('decodes AnyValue deeply without recursion limits', () => {
    let v: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 20000; i++) v = { arrayValue: { values: [v] } };
    let out = anyValueToJson(v);
    let depth = 0;
    while (Array.isArray(out)) {
      out = out[0];
      depth++;
    }
    expect(depth).toBe(20000);
    expect(out).toBe('leaf');
  });
});

describe('otlpJsonImporter.sniff', () => {
  it('recognises the envelope and nothing else', () => {
    expect(otlpJsonImporter.sniff('x.json', Buffer.from('{"resourceSpans":[]}'))).toBeGreaterThanOrEqual(0.9);
    expect(otlpJsonImporter.sniff('x.json', Buffer.from('{"result":{"resourceSpans":[]}}'))).toBeGreaterThanOrEqual(0.9);
    expect(otlpJsonImporter.sniff('x.json', Buffer.from('[{"spanContext":{}}]'))).toBe(0);
    expect(otlpJsonImporter.sniff('x.json', Buffer.from('[ {"resourceSpans":[]}]'))).toBeGreaterThanOrEqual(0.9);
    expect(otlpJsonImporter.sniff('x.json', Buffer.from('[{"note":"resourceSpans": []}]'))).toBe(0);
    expect(otlpJsonImporter.sniff('x.json', Buffer.from('{"trace":{},"observations":[]}'))).toBe(0);
  });
});
