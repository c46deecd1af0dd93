import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFixture } from '../../helpers/workspace';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { ensureTextIndex, isTextIndexReady } from '../../../src/core/view/textIndex';
import { searchSpans } from '../../../src/core/view/spanSearch';
import { committedFingerprint } from '../../../src/core/store/view';
import { buildTraceTree } from '../../../src/core/analysis/traceTree';
import { decodeFloat64, decodeInt32, decodeUint8 } from '../../../src/shared/columnCodec';
import { SPAN_KINDS, SPAN_STATUSES } from '../../../src/shared/api';
import type { Workspace } from '../../../src/core/store/workspace';
import { readCachedView } from '../../../src/core/store/view';
import { importFile } from '../../../src/core/import/importFile';
import { tempWorkspace } from '../../helpers/tempWorkspace';
import { generateBigTrace, otlpSpan, writeBigTraceOtlp } from '../../bench/bigTrace';
import { join } from 'node:path';

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

  it('the JSON transport (dispatchJson) sends the same answer as dispatch, errors alike', async () => {
    for (const [method, input] of [
      ['getTraceColumns', { traceId: TRACE }],
      ['getTraceColumns', { traceId: 'nope' }],
      ['getTraceAnalysis', { traceId: TRACE }],
      ['getTraceAnalysis', { traceId: 'nope' }],
      ['getTrace', { traceId: TRACE }],
    ] as const) {
      expect(JSON.parse(String(await backend.dispatchJson(method, input)))).toEqual(JSON.parse(JSON.stringify(await backend.dispatch(method, input))));
    }
    await expect(backend.dispatchJson('getTraceColumns', { traceId: '' })).rejects.toMatchObject({ code: 'bad-input' });
    await expect(backend.dispatchJson('noSuchMethod', {})).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe('getTraceAnalysis', () => {
  it('lists errors in time order and the critical path through every sequential child', async () => {
    const a = (await backend.call('getTraceAnalysis', { traceId: TRACE }))!;
    // Rows of the columns: the view maps them without an id index.
    const ids = (await backend.call('getTraceColumns', { traceId: TRACE }))!.columns.spanId;
    expect(Array.from(decodeInt32(a.errorRows), (r) => ids[r])).toEqual(['s11']);
    expect(a.metrics.toolFailures).toBe(1);
    // root self-time in each 1 s gap + the 17 children: 18 + 17 segments tiling 0–35 s
    const span = Array.from(decodeInt32(a.criticalPath.row), (r) => ids[r]);
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
    const spans = ws.getSpanSummaries(TRACE);
    const tree = buildTraceTree(spans);
    const needles = ['golden_examples', '"datasetName": "golden', 'Exception', 'dataset_gamma', 'zzz-not-there', 'ab', '_', '%'];
    const scanned = needles.map((text) => searchSpans(ws, { traceId: TRACE, text }, spans, tree));
    expect(scanned.every((r) => !r.indexed)).toBe(true);
    await ensureTextIndex(ws, TRACE, committedFingerprint(ws, TRACE)!);
    expect(isTextIndexReady(ws, TRACE, committedFingerprint(ws, TRACE)!)).toBe(true);
    const indexed = needles.map((text) => searchSpans(ws, { traceId: TRACE, text }, spans, tree));
    // needles of 3+ characters go through the index; shorter ones still scan
    expect(indexed.map((r) => r.indexed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(indexed.map((r) => r.spanIds)).toEqual(scanned.map((r) => r.spanIds));
    expect(indexed[0]!.spanIds.length).toBe(11);
  });
});

describe('big traces: prepared by their import, persisted columns, text index', () => {
  /** Columns + analysis in trace_view_cache and a complete text index, for this version of the trace. */
  const prepared = (w: Workspace, traceId: string) => {
    const fp = committedFingerprint(w, traceId)!;
    return {
      columns: readCachedView(w, traceId, fp, 'columns') !== null,
      analysis: readCachedView(w, traceId, fp, 'analysis') !== null,
      index: isTextIndexReady(w, traceId, fp),
    };
  };

  it('an import prepares a big trace before it returns; a restart serves it from trace_view_cache; search uses the index', async () => {
    const t = tempWorkspace();
    try {
      const trace = generateBigTrace({ spans: 12_000, seed: 5 });
      const file = join(t.dir, 'big.json');
      await writeBigTraceOtlp(file, trace);
      const b1 = createBackend({ workspace: t.ws, mode: 'browser' });
      const [outcome] = await b1.importPaths([file]);
      expect(outcome!.spanCount).toBe(12_000);
      const traceId = trace.traceId;
      // no timer, no event: the import itself did it
      expect(prepared(t.ws, traceId)).toEqual({ columns: true, analysis: true, index: true });

      const fresh = (await b1.call('getTraceColumns', { traceId }))!.columns;
      // a new backend over the same workspace (an app restart): same columns, read from the cache
      const b2 = createBackend({ workspace: t.ws, mode: 'browser' });
      const reopened = (await b2.call('getTraceColumns', { traceId }))!.columns;
      expect(reopened).toEqual(fresh);
      expect(reopened.n).toBe(12_000);
      // over HTTP the stored text is sent as it is: the same answer
      const b3 = createBackend({ workspace: t.ws, mode: 'browser' });
      expect(JSON.parse(String(await b3.dispatchJson('getTraceColumns', { traceId }))).columns).toEqual(fresh);
      expect(JSON.parse(String(await b3.dispatchJson('getTraceAnalysis', { traceId })))).toEqual(await b2.call('getTraceAnalysis', { traceId }));
      const a2 = (await b2.call('getTraceAnalysis', { traceId }))!;
      expect(a2.metrics.toolFailures).toBe(trace.toolErrors);
      expect(a2.metrics.llmCalls).toBe(trace.llm);

      const hit = await b2.call('searchSpans', { traceId, text: 'upstream timed out' });
      expect(hit.indexed).toBe(true);
      // every failed tool call says so in its status message and exception event
      expect(hit.spanIds.length).toBe(trace.toolErrors);

      // a re-import is a new version of the trace, prepared again by that import
      const before = committedFingerprint(t.ws, traceId);
      await b2.importPaths([{ path: file, force: true }]);
      expect(committedFingerprint(t.ws, traceId)).not.toBe(before);
      expect(prepared(t.ws, traceId)).toEqual({ columns: true, analysis: true, index: true });
      const after = await b2.call('searchSpans', { traceId, text: 'upstream timed out' });
      expect(after.indexed).toBe(true);
      expect(after.spanIds).toEqual(hit.spanIds);
    } finally {
      t.cleanup();
    }
  });

  it('the core import (what `tracedeck import` runs) prepares too; a trace stored unprepared is indexed from its first search', async () => {
    const t = tempWorkspace();
    try {
      const trace = generateBigTrace({ spans: 11_000, seed: 9 });
      const file = join(t.dir, 'big.json');
      await writeBigTraceOtlp(file, trace);
      await importFile(t.ws, file);
      expect(prepared(t.ws, trace.traceId)).toEqual({ columns: true, analysis: true, index: true });

      // as a workspace written before imports prepared traces: nothing derived is stored
      await importFile(t.ws, file, { force: true, prepare: false });
      expect(prepared(t.ws, trace.traceId)).toEqual({ columns: false, analysis: false, index: false });
      const b = createBackend({ workspace: t.ws, mode: 'browser' });
      const first = await b.call('searchSpans', { traceId: trace.traceId, text: 'upstream timed out' });
      expect(first.indexed).toBe(false);
      expect(first.spanIds.length).toBe(trace.toolErrors);
      for (let i = 0; i < 300 && !prepared(t.ws, trace.traceId).index; i++) await new Promise((r) => setTimeout(r, 100));
      const next = await b.call('searchSpans', { traceId: trace.traceId, text: 'upstream timed out' });
      expect(next.indexed).toBe(true);
      expect(next.spanIds).toEqual(first.spanIds);
    } finally {
      t.cleanup();
    }
  });

  it('live OTLP: the index is built once the trace grows past 10k spans and then follows every request', async () => {
    const t = tempWorkspace();
    try {
      const trace = generateBigTrace({ spans: 10_600, seed: 3 });
      const b = createBackend({ workspace: t.ws, mode: 'browser' });
      // exported as a BatchSpanProcessor does: by end time, here 1,500 spans per request
      const byEnd = trace.spans.slice().sort((x, y) => x.endMs - y.endMs);
      const body = (spans: typeof byEnd) =>
        Buffer.from(
          JSON.stringify({
            resourceSpans: [
              {
                resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent-bench' } }] },
                scopeSpans: [{ scope: { name: 't' }, spans: spans.map((s) => otlpSpan(trace.traceId, s)) }],
              },
            ],
          }),
        );
      const traceId = trace.traceId;
      const needles = ['upstream timed out', 'read_file', 'Researcher'];
      const sent: typeof byEnd = [];
      for (let i = 0; i < byEnd.length; i += 1500) {
        const batch = byEnd.slice(i, i + 1500);
        await b.ingestOtlp(body(batch), 'otlp-json');
        sent.push(...batch);
        const fp = committedFingerprint(t.ws, traceId)!;
        // below 10k spans: no index (a scan is instant); from the request that crosses it on, complete
        expect(isTextIndexReady(t.ws, traceId, fp)).toBe(sent.length >= 10_000);
        if (sent.length < 10_000) continue;
        for (const text of needles) {
          const r = await b.call('searchSpans', { traceId, text });
          expect(r.indexed).toBe(true);
          // the same answer as a scan of the stored bodies
          const sk = t.ws.getSpanSummaries(traceId);
          const tree = buildTraceTree(sk);
          const scanned = searchSpans(t.ws, { traceId, text }, sk, tree);
          expect(r.spanIds).toEqual(scanned.spanIds);
        }
      }
      // a retried request (same spans again) keeps it complete and the answers unchanged
      const last = byEnd.slice(-1500);
      const beforeRetry = await b.call('searchSpans', { traceId, text: 'upstream timed out' });
      await b.ingestOtlp(body(last), 'otlp-json');
      expect(isTextIndexReady(t.ws, traceId, committedFingerprint(t.ws, traceId)!)).toBe(true);
      const afterRetry = await b.call('searchSpans', { traceId, text: 'upstream timed out' });
      expect(afterRetry).toMatchObject({ indexed: true, spanIds: beforeRetry.spanIds });
      // every failed tool call of the spans sent
      expect(afterRetry.spanIds.length).toBe(sent.filter((s) => s.error).length);
    } finally {
      t.cleanup();
    }
  });
});
