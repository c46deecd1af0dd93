import { afterAll, describe, expect, it } from 'vitest';
import { jaegerImporter } from '../../../src/core/formats/jaeger/jaeger';
import { importBuffer } from '../../../src/core/import/importFile';
import { ImportError } from '../../../src/core/util/errors';
import { importFixture, tempWorkspace } from '../../helpers/workspace';

// Expectations read off the fixtures by hand (tests/fixtures/SOURCES.md: jaeger-json/*).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`jaeger-json/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('jaeger-json'); // detected, not forced
  expect(result.warnings).toEqual([]);
  return { ws, result };
}

describe('Jaeger JSON', () => {
  it('a Jaeger UI download {data: [trace]}: µs times, a FOLLOWS_FROM reference as parent, the process as service', async () => {
    const { ws, result } = await load('jaeger-ui-download-2992f2a5-follows-from.json');
    expect(result.traceIds).toEqual(['2992f2a5b5d037a8aabffd08ef384237']);
    const spans = ws.getSpans('2992f2a5b5d037a8aabffd08ef384237');
    expect(spans.map((s) => [s.spanId, s.name, s.parentId])).toEqual([
      ['1bdf4201221bb2ac', 'thread', 'ea7cfaca83f0724b'],
      ['ea7cfaca83f0724b', 'demo', null],
    ]);
    const demo = spans[1]!;
    expect(demo.startMs).toBeCloseTo(1509533706470.949, 3);
    expect(demo.endMs! - demo.startMs).toBeCloseTo(70.406, 3);
    expect(spans[0]!.endMs! - spans[0]!.startMs).toBeCloseTo(1.173, 3);
    const t = ws.getTrace('2992f2a5b5d037a8aabffd08ef384237')!;
    expect(t.service).toBe('issue115');
    expect(t.name).toBe('demo');
    expect(t.spanCount).toBe(2);
  });

  it('GenAI tags on Jaeger spans: agents, LLM calls with usage and messages, tool calls with arguments and results', async () => {
    const { ws, result } = await load('jaeger-ui-genai-test-trace.json');
    const id = '4a1b2c3d4e5f60718293a4b5c6d7e8f9';
    expect(result.traceIds).toEqual([id]);
    expect(result.spanCount).toBe(57);
    const spans = ws.getSpans(id);
    const byKind = (k: string) => spans.filter((s) => s.kind === k);
    expect(byKind('agent').map((s) => s.name)).toEqual(['invoke_agent triage-agent', 'invoke_agent summarizer']);
    expect(byKind('llm').length).toBe(5);
    expect(byKind('tool').length).toBe(7);
    expect(byKind('retrieval').length).toBe(3);
    const chat = ws.getSpan(id, '0000000000000005')!;
    expect([chat.model, chat.provider, chat.parentId]).toEqual(['model-a', 'example-ai', '0000000000000004']);
    expect(chat.usage).toMatchObject({ inputTokens: 1840, outputTokens: 260, cacheReadTokens: 920 });
    expect(chat.inputMessages?.map((m) => [m.role, m.content])).toEqual([
      ['system', 'You are a triage assistant. Use the available tools before answering.'],
      ['user', 'Why did the checkout latency regress this afternoon?'],
    ]);
    expect(chat.outputMessages?.[0]?.content).toBe('Latency rose with a slow pod rollout. Checking the dashboards and traces now.');
    const tool = ws.getSpan(id, '0000000000000007')!;
    expect(tool.toolCall).toEqual({ id: 'call_list_dashboards', name: 'list_dashboards', arguments: { window: '1h' }, result: { status: 'ok', rows: 12 } });
    expect(tool.sourceKind).toBeDefined();
    // the one span tagged error=true (an HTTP call under a tool)
    const failed = spans.filter((s) => s.status === 'error');
    expect(failed.map((s) => [s.spanId, s.name])).toEqual([['0000000000000011', 'GET /api/v1/pods']]);
    const t = ws.getTrace(id)!;
    expect([t.llmCalls, t.toolCalls, t.inputTokens, t.outputTokens]).toEqual([5, 7, 1840 * 4 + 920, 260 * 4 + 140]);
    expect(t.service).toBe('api-edge');
  });

  it('reads otel.status_code, exception logs and old parentSpanID; names the span without ids', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const doc = {
      data: [
        {
          traceID: 'abc',
          processes: { p1: { serviceName: 'svc', tags: [{ key: 'service.version', type: 'string', value: '2.0' }] } },
          spans: [
            { traceID: 'abc', spanID: 'r', operationName: 'root', startTime: 1000, duration: 5000, processID: 'p1', tags: [] },
            {
              traceID: 'abc',
              spanID: 'c',
              parentSpanID: 'r',
              operationName: 'child',
              startTime: 2000,
              duration: 10,
              processID: 'p1',
              tags: [{ key: 'otel.status_code', type: 'string', value: 'ERROR' }],
              logs: [
                { timestamp: 2005, fields: [{ key: 'event', value: 'exception' }, { key: 'exception.type', value: 'Boom' }, { key: 'exception.message', value: 'it broke' }] },
              ],
            },
          ],
        },
      ],
    };
    const r = await importBuffer(t.ws, 'j.json', Buffer.from(JSON.stringify(doc)));
    expect(r.format).toBe('jaeger-json');
    const c = t.ws.getSpan('abc', 'c')!;
    expect([c.parentId, c.status, c.statusMessage]).toEqual(['r', 'error', 'Boom: it broke']);
    expect(c.events[0]).toMatchObject({ name: 'exception', timeMs: 2.005 });
    expect(t.ws.getTrace('abc')!.version).toBe('2.0');

    doc.data[0]!.spans[1] = { ...doc.data[0]!.spans[1]!, spanID: '' };
    const e = await importBuffer(t.ws, 'bad.json', Buffer.from(JSON.stringify(doc))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ImportError);
    expect((e as Error).message).toBe('bad.json (at $.data[0].spans[1]): span of trace abc has no spanID');
  });

  it('sniff: the query API envelope and a bare trace, not Zipkin or OTLP', () => {
    expect(jaegerImporter.sniff('t.json', Buffer.from('{"data":[{"traceID":"a","spans":[{"traceID":"a","spanID":"b","operationName":"x"}]}]}'))).toBeGreaterThanOrEqual(0.9);
    expect(jaegerImporter.sniff('t.json', Buffer.from('[{"traceId":"a","id":"b","localEndpoint":{}}]'))).toBe(0);
    expect(jaegerImporter.sniff('t.json', Buffer.from('{"resourceSpans":[]}'))).toBe(0);
  });
});
