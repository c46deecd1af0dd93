import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFixture } from '../../helpers/workspace';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { SpanTextIndex, traceFingerprint } from '../../../src/backend/spanTextIndex';
import { searchSpans } from '../../../src/backend/spanSearch';
import { buildTraceTree } from '../../../src/core/analysis/traceTree';
import { decodeFloat64, decodeInt32, decodeUint8 } from '../../../src/shared/columnCodec';
import { SPAN_KINDS, SPAN_STATUSES } from '../../../src/shared/api';
import type { Workspace } from '../../../src/core/store/workspace';

// Phoenix fixture facts (read from the file): 18 spans, root s01 (AGENT, 00:00:00–00:00:35),
// children s02…s18 alternating LLM (even) / TOOL (odd), one second each, starting at 00:00:01,
// 00:00:03, …; s11 (add_spans_to_dataset) is the only ERROR. Tool names by tool.name attribute:
// s03,s05 list_datasets, s07 ask_user, s09 create_dataset, s11,s15 add_spans_to_dataset, s13 bash,
// s17 get_route_info.
const TRACE = 'fixture-trace-1';

let ws: Workspace;
let backend: Backend;
let cleanup: () => void;

beforeAll(async () => {
  const f = await importFixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
  ws = f.ws;
  cleanup = f.cleanup;
  backend = createBackend({ workspace: ws, mode: 'browser' });
});
afterAll(() => cleanup());

const ids = (n: number[]) => n.map((i) => `s${String(i).padStart(2, '0')}`);

describe('getTraceColumns', () => {
  it('sends the span table as tree-ordered typed columns', async () => {
    const c = (await backend.call('getTraceColumns', { traceId: TRACE }))!.columns;
    expect(c.n).toBe(18);
    expect(c.spanId).toEqual(ids([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]));
    expect(Array.from(decodeInt32(c.parent))).toEqual([-1, ...Array(17).fill(0)]);
    const kinds = Array.from(decodeUint8(c.kind), (k) => SPAN_KINDS[k]);
    expect(kinds.slice(0, 4)).toEqual(['agent', 'llm', 'tool', 'llm']);
    const status = Array.from(decodeUint8(c.status), (k) => SPAN_STATUSES[k]);
    expect(status.filter((s) => s === 'error').length).toBe(1);
    expect(status[10]).toBe('error'); // row 10 = s11
    const start = decodeFloat64(c.start);
    const end = decodeFloat64(c.end);
    expect([start[0], end[0]]).toEqual([0, 35_000]);
    expect([start[10], end[10]]).toEqual([19_000, 20_000]);
    expect(c.t0).toBe(Date.parse('2026-07-09T00:00:00+00:00'));
    const names = Array.from(decodeInt32(c.name), (k) => c.names[k]);
    expect(names[10]).toBe('add_spans_to_dataset');
    const tools = Array.from(decodeInt32(c.tool), (k) => (k >= 0 ? c.tools[k] : null));
    expect(tools[14]).toBe('add_spans_to_dataset');
    expect(tools[1]).toBeNull();
    // usage on the 9 LLM rows; the first one (s02) has prompt 32321 / completion 119
    const uRow = Array.from(decodeInt32(c.usage.row));
    expect(uRow).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17]);
    expect([decodeFloat64(c.usage.inputTokens)[0], decodeFloat64(c.usage.outputTokens)[0]]).toEqual([32321, 119]);
    expect(Array.from(decodeInt32(c.concurrent))).toEqual([]); // strictly sequential children
  });

  it('returns null for an unknown trace and rejects bad input', async () => {
    expect(await backend.dispatch('getTraceColumns', { traceId: 'nope' })).toBeNull();
    await expect(backend.dispatch('getTraceColumns', { traceId: '' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(backend.dispatch('searchSpans', { traceId: TRACE, kinds: ['wizard'] })).rejects.toMatchObject({
      code: 'bad-input',
    });
  });
});

describe('getTraceAnalysis', () => {
  it('lists errors in time order and the critical path through every sequential child', async () => {
    const a = (await backend.call('getTraceAnalysis', { traceId: TRACE }))!;
    expect(a.errorSpanIds).toEqual(['s11']);
    expect(a.metrics.toolFailures).toBe(1);
    // root self-time in each 1 s gap + the 17 children: 18 + 17 segments tiling 0–35 s
    const span = Array.from(decodeInt32(a.criticalPath.span), (k) => a.criticalPath.spanIds[k]);
    const start = decodeFloat64(a.criticalPath.start);
    const end = decodeFloat64(a.criticalPath.end);
    expect(span.length).toBe(35);
    expect(span.slice(0, 4)).toEqual(['s01', 's02', 's01', 's03']);
    expect([start[0], end[0], start[1], end[1]]).toEqual([0, 1000, 1000, 2000]);
    expect(end[34]).toBe(35_000);
  });
});

describe('getRootCause', () => {
  it('answers through the contract', async () => {
    const rc = (await backend.call('getRootCause', { traceId: TRACE, spanId: 's11' }))!;
    expect(rc.steps.map((s) => s.spanId)).toEqual(['s10', 's11']);
    expect(await backend.call('getRootCause', { traceId: TRACE, spanId: 'nope' })).toBeNull();
  });
});

describe('searchSpans', () => {
  const search = async (f: Record<string, unknown>) =>
    (await backend.call('searchSpans', { traceId: TRACE, ...f } as never)).spanIds;

  // Expected sets: spans whose name or any attribute value in the file contains the text.
  it('finds text inside span bodies: messages, tool arguments and results', async () => {
    expect(await search({ text: 'golden_examples' })).toEqual(ids([1, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18]));
    expect(await search({ text: 'FX-OTEL-SPAN-1' })).toEqual(ids([10, 11, 12, 13, 14, 16, 18]));
    // quotes: matched as the user typed them, not in their JSON-escaped stored form
    expect(await search({ text: '"datasetName": "golden' })).toEqual(ids([10, 11, 12, 14, 15, 16, 18]));
    expect(await search({ text: '50%' })).toEqual([]);
  });

  it('combines text with kind, status, duration and attribute criteria', async () => {
    expect(await search({ text: 'golden_examples', kinds: ['tool'] })).toEqual(ids([7, 9, 11, 15]));
    expect(await search({ status: ['error'] })).toEqual(['s11']);
    expect(await search({ minDurationMs: 2000 })).toEqual(['s01']);
    expect(await search({ attribute: { key: 'tool.name', value: 'ADD_spans' } })).toEqual(ids([11, 15]));
    expect(await search({ attribute: { key: 'tool.name' } })).toEqual(ids([3, 5, 7, 9, 11, 13, 15, 17]));
    expect(await search({ attribute: { key: 'tool' } })).toEqual([]);
  });

  it('gives the same answers from the trigram index as from the scan', async () => {
    const index = new SpanTextIndex(ws);
    const spans = ws.getSpanSummaries(TRACE);
    const tree = buildTraceTree(spans);
    const needles = ['golden_examples', '"datasetName": "golden', 'Exception', 'dataset_gamma', 'zzz-not-there', 'ab', '_', '%'];
    const scanned = needles.map((text) => searchSpans(ws, index, { traceId: TRACE, text }, spans, tree));
    expect(scanned.every((r) => !r.indexed)).toBe(true);
    await index.ensure(TRACE, traceFingerprint(ws.readDb, TRACE)!);
    expect(index.isReady(TRACE, traceFingerprint(ws.readDb, TRACE)!)).toBe(true);
    const indexed = needles.map((text) => searchSpans(ws, index, { traceId: TRACE, text }, spans, tree));
    // needles of 3+ characters go through the index; shorter ones still scan
    expect(indexed.map((r) => r.indexed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(indexed.map((r) => r.spanIds)).toEqual(scanned.map((r) => r.spanIds));
    expect(indexed[0]!.spanIds.length).toBe(11);
  });
});

describe('big traces: background preparation, persisted columns, text index', () => {
  it('prepares a big trace after import, serves it from trace_view_cache after a restart, searches by index', async () => {
    const { tempWorkspace } = await import('../../helpers/tempWorkspace');
    const { generateBigTrace, writeBigTraceOtlp } = await import('../../bench/bigTrace');
    const { join } = await import('node:path');
    const t = tempWorkspace();
    try {
      const trace = generateBigTrace({ spans: 12_000, seed: 5 });
      const file = join(t.dir, 'big.json');
      await writeBigTraceOtlp(file, trace);
      const b1 = createBackend({ workspace: t.ws, mode: 'browser' });
      const [outcome] = await b1.importPaths([file]);
      expect(outcome!.spanCount).toBe(12_000);
      const traceId = trace.traceId;
      // the import's traces-changed event starts the preparation: wait for all three parts
      const ready = () =>
        t.ws.readDb
          .prepare(
            `SELECT (SELECT count(*) FROM trace_view_cache WHERE trace_id = ? AND columns IS NOT NULL AND analysis IS NOT NULL)
                  + (SELECT count(*) FROM span_text_state WHERE trace_id = ? AND complete = 1) AS n`,
          )
          .get(traceId, traceId) as { n: number };
      for (let i = 0; i < 300 && ready().n < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(ready().n).toBe(2);

      const fresh = (await b1.call('getTraceColumns', { traceId }))!.columns;
      // a new backend over the same workspace (an app restart): same columns, read from the cache
      const b2 = createBackend({ workspace: t.ws, mode: 'browser' });
      const reopened = (await b2.call('getTraceColumns', { traceId }))!.columns;
      expect(reopened).toEqual(fresh);
      expect(reopened.n).toBe(12_000);
      const a2 = (await b2.call('getTraceAnalysis', { traceId }))!;
      expect(a2.metrics.toolFailures).toBe(trace.toolErrors);
      expect(a2.metrics.llmCalls).toBe(trace.llm);

      const hit = await b2.call('searchSpans', { traceId, text: 'upstream timed out' });
      expect(hit.indexed).toBe(true);
      // every failed tool call says so in its status message and exception event
      expect(hit.spanIds.length).toBe(trace.toolErrors);

      // a re-import is a new version of the trace: neither cache nor index is used for it
      await b2.importPaths([{ path: file, force: true }]);
      const after = await b2.call('searchSpans', { traceId, text: 'upstream timed out' });
      expect(after.indexed).toBe(false);
      expect(after.spanIds.length).toBe(trace.toolErrors);
    } finally {
      t.cleanup();
    }
  });

  it('opening a big trace imported without this backend (tracedeck import) builds its text index in the background', async () => {
    const { tempWorkspace } = await import('../../helpers/tempWorkspace');
    const { generateBigTrace, writeBigTraceOtlp } = await import('../../bench/bigTrace');
    const { importFile } = await import('../../../src/core/import/importFile');
    const { join } = await import('node:path');
    const t = tempWorkspace();
    try {
      const trace = generateBigTrace({ spans: 11_000, seed: 9 });
      const file = join(t.dir, 'big.json');
      await writeBigTraceOtlp(file, trace);
      // the core import sends no event: nothing prepares or indexes this trace
      await importFile(t.ws, file);
      const indexed = () =>
        (t.ws.readDb.prepare('SELECT count(*) AS n FROM span_text_state WHERE trace_id = ? AND complete = 1').get(trace.traceId) as { n: number }).n;
      const b = createBackend({ workspace: t.ws, mode: 'browser' });
      expect(indexed()).toBe(0);
      expect((await b.call('getTraceColumns', { traceId: trace.traceId }))!.columns.n).toBe(11_000);
      // no search was made: the open alone starts the index
      for (let i = 0; i < 300 && indexed() === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(indexed()).toBe(1);
      const hit = await b.call('searchSpans', { traceId: trace.traceId, text: 'upstream timed out' });
      expect(hit.indexed).toBe(true);
      expect(hit.spanIds.length).toBe(trace.toolErrors);
    } finally {
      t.cleanup();
    }
  });
});
