import { afterAll, describe, expect, it } from 'vitest';
import { zipkinImporter } from '../../../src/core/formats/zipkin/zipkin';
import { importFixture } from '../../helpers/workspace';

// Expectations read off the fixtures by hand (tests/fixtures/SOURCES.md: zipkin-json/*).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`zipkin-json/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('zipkin-json'); // detected, not forced
  expect(result.warnings).toEqual([]);
  return { ws, result };
}

describe('Zipkin v2 JSON', () => {
  it('yelp.json: 16 spans of one trace; shared server halves nest under their client span, and the id\'s children under the server', async () => {
    const { ws, result } = await load('zipkin-lens-yelp.json');
    expect(result.traceIds).toEqual(['a03ee8fff1dcd9b9']);
    expect(result.spanCount).toBe(16);
    const spans = ws.getSpans('a03ee8fff1dcd9b9');
    // no duplicate-id repair: the server half of 7a778764a0d0b594 is its child
    expect(spans.some((s) => s.spanId.includes('#'))).toBe(false);
    const server = ws.getSpan('a03ee8fff1dcd9b9', '7a778764a0d0b594:server')!;
    expect([server.parentId, server.sourceKind, server.name]).toEqual(['7a778764a0d0b594', 'server', 'get']);
    expect(server.startMs).toBeCloseTo(1571896375310.74, 3);
    expect(server.endMs! - server.startMs).toBeCloseTo(1.49, 3);
    expect(server.attributes['service.name']).toBe('spectre');
    expect(server.attributes['habitat']).toBe('uswest1aprod');
    const client = ws.getSpan('a03ee8fff1dcd9b9', '15fc03927f0f68df')!;
    // f5f268651b2a2b34 was reported by both halves: its children were the server's work
    expect([client.parentId, client.sourceKind]).toEqual(['f5f268651b2a2b34:server', 'client']);
    expect(ws.getSpan('a03ee8fff1dcd9b9', 'f5f268651b2a2b34:server')!.parentId).toBe('f5f268651b2a2b34');
    // the root 2e8cfb154b59a41f is shared but has no client half: it keeps its id
    expect(ws.getSpan('a03ee8fff1dcd9b9', '2e8cfb154b59a41f')!.parentId).toBeNull();
    expect(client.attributes['zipkin.remoteEndpoint.serviceName']).toBe('blt');
    expect(client.attributes['client_status_code']).toBe('200');
    expect(spans.filter((s) => s.spanId.endsWith(':server')).map((s) => s.spanId).sort()).toEqual([
      '668ed78ad94b35a1:server',
      '7a778764a0d0b594:server',
      'f5f268651b2a2b34:server',
    ]);
    const t = ws.getTrace('a03ee8fff1dcd9b9')!;
    expect([t.name, t.service, t.errorCount]).toEqual(['post /location/update/v4', 'routing', 0]);
  });

  it('messaging-kafka.json: CONSUMER/PRODUCER kinds, annotations as events, an `error` tag is a failure with its message', async () => {
    const { ws, result } = await load('zipkin-lens-messaging-kafka.json');
    expect(result.spanCount).toBe(28);
    const spans = ws.getSpans('0562809467078eab');
    const failed = spans.filter((s) => s.status === 'error');
    expect(failed.map((s) => [s.spanId, s.statusMessage ?? null]).sort()).toEqual([
      ['2f77d5b0b8e0de35', 'some error'],
      ['4a64a63e4b58e665', 'some error'],
      ['568b33e6af8a225a', null], // error tag present but empty
    ]);
    const root = ws.getSpan('0562809467078eab', '0562809467078eab')!;
    expect([root.parentId, root.sourceKind, root.name]).toEqual([null, 'consumer', 'poll']);
    expect(ws.getTrace('0562809467078eab')!.errorCount).toBe(3);
  });

  it('sniff: span lists and trace lists, not Jaeger', () => {
    expect(zipkinImporter.sniff('z.json', Buffer.from('[[{"traceId":"a","id":"b","localEndpoint":{"serviceName":"s"}}]]'))).toBeGreaterThanOrEqual(0.9);
    expect(zipkinImporter.sniff('z.json', Buffer.from('{"data":[{"traceID":"a","spans":[]}]}'))).toBe(0);
  });
});
