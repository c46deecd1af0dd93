import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiEventEmitter } from '../../../src/backend/events';
import { ingestOtlp } from '../../../src/backend/otlpIngest';
import { writerOf } from '../../../src/core/store/connection';
import { ImportWriter } from '../../../src/core/store/importWriter';
import { bodyMatchesIndexed, bodyMatchesScan, committedFingerprint, textIndexComplete } from '../../../src/core/store/view';
import { emitOtlpRequest, type OtlpTracesRequest } from '../../../src/core/formats/otlp/otlpSpan';
import { trigramQuery } from '../../../src/core/store/trigrams';
import { importFile } from '../../../src/core/import/importFile';
import type { Workspace } from '../../../src/core/store/workspace';
import { generateOtlpFile } from '../../bench/genOtlp';
import { tempWorkspace } from '../../helpers/tempWorkspace';

/**
 * Live OTLP streaming (issue 13 item 4): one trace sent as many export requests, children before
 * parents, must end up as the trace a one-shot import of the same spans stores — same spans, tree
 * parents, aggregates — and its text index, kept up to date request by request, must answer every
 * search exactly as a scan of the stored bodies does.
 */
const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const NEEDLES = ['upstream', 'search_docs', 'Researcher', 'tracedeck.synthetic', '"status"', 'zzz-not-there'];

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function fresh(): { ws: Workspace; dir: string } {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  return t;
}

/** A generated agent workload as one trace, and as requests of `batch` spans in export order. */
async function workload(dir: string, spans: number, batch: number) {
  const gen = join(dir, 'gen.json');
  await generateOtlpFile({ path: gen, spans, seed: 5 });
  const src = JSON.parse(readFileSync(gen, 'utf8')) as OtlpTracesRequest;
  const items: { resource: unknown; scope: unknown; span: Record<string, unknown> }[] = [];
  for (const rs of src.resourceSpans)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) items.push({ resource: rs.resource, scope: ss.scope, span: { ...(span as object), traceId: TRACE_ID } });
  const request = (part: typeof items): OtlpTracesRequest => ({
    resourceSpans: part.map((i) => ({ resource: i.resource, scopeSpans: [{ scope: i.scope, spans: [i.span] }] })),
  });
  const requests: OtlpTracesRequest[] = [];
  for (let k = 0; k < items.length; k += batch) requests.push(request(items.slice(k, k + batch)));
  const oneFile = join(dir, 'one.json');
  writeFileSync(oneFile, JSON.stringify(request(items)));
  return { oneFile, requests };
}

function snapshot(ws: Workspace) {
  const db = writerOf(ws);
  const trace = db
    .prepare(
      `SELECT id, name, status, span_count, error_count, llm_calls, tool_calls, tool_errors, input_tokens, output_tokens,
              round(cost_usd, 9) AS cost, start_ms, end_ms, duration_ms, service
         FROM traces WHERE id = ?`,
    )
    .get(TRACE_ID);
  const spans = db
    .prepare(`SELECT span_id, parent_id, tree_parent_id, name, kind, status, start_ms, end_ms, body FROM spans WHERE trace_id = ? ORDER BY span_id`)
    .all(TRACE_ID);
  return { trace, spans };
}

function searchBoth(ws: Workspace, needle: string): { indexed: string[]; scanned: string[] } {
  const match = trigramQuery(needle)!;
  return {
    indexed: bodyMatchesIndexed(ws, TRACE_ID, match, needle.toLowerCase()).sort(),
    scanned: bodyMatchesScan(ws, TRACE_ID, needle).sort(),
  };
}

describe('live OTLP streaming equals the one-shot import', () => {
  it('through the receiver entry point: same spans, parents and aggregates', async () => {
    const a = fresh();
    const { oneFile, requests } = await workload(a.dir, 1_200, 100);
    await importFile(a.ws, oneFile, { force: true });
    const want = snapshot(a.ws);
    const b = fresh();
    for (const r of requests) await ingestOtlp(b.ws, new ApiEventEmitter(), Buffer.from(JSON.stringify(r)), 'otlp-json');
    const got = snapshot(b.ws);
    expect(got.trace).toEqual(want.trace);
    expect(got.spans.length).toBe(want.spans.length);
    expect(got.spans).toEqual(want.spans);
  });

  it('the text index kept request by request answers every search as a scan does, re-sent spans included', async () => {
    const { ws, dir } = fresh();
    const { requests } = await workload(dir, 900, 50);
    const db = writerOf(ws);
    const merge = (req: OtlpTracesRequest, buildFrom: number) =>
      ws.exclusive(async () => {
        const importId = Number(
          db.prepare(`INSERT INTO imports (source, started_at, status) VALUES ('otlp-receiver', 0, 'running')`).run().lastInsertRowid,
        );
        const w = ImportWriter.merging(ws, 'otlp-receiver', 'otlp-json', importId);
        emitOtlpRequest(req, 'otlp-receiver', w);
        w.finish();
        w.indexMerged(buildFrom);
      });
    // The index is built once the trace passes 200 spans, then kept up to date by each request.
    for (const r of requests) await merge(r, 200);
    expect(textIndexComplete(ws, TRACE_ID, committedFingerprint(ws, TRACE_ID)!)).toBe(true);
    for (const n of NEEDLES) {
      const { indexed, scanned } = searchBoth(ws, n);
      expect(indexed, n).toEqual(scanned);
    }
    expect(searchBoth(ws, 'search_docs').scanned.length).toBeGreaterThan(0);

    // A retried export re-sends a span with another body: the index follows the new body.
    const first = requests[3]!.resourceSpans[0]!;
    const resent = structuredClone(first);
    const sp = resent.scopeSpans[0]!.spans[0] as { name: string; attributes?: unknown[] };
    sp.attributes = [...((sp.attributes as unknown[]) ?? []), { key: 'retry.note', value: { stringValue: 'qqq-resent-marker' } }];
    await merge({ resourceSpans: [resent] }, 200);
    expect(textIndexComplete(ws, TRACE_ID, committedFingerprint(ws, TRACE_ID)!)).toBe(true);
    for (const n of ['qqq-resent-marker', ...NEEDLES]) {
      const { indexed, scanned } = searchBoth(ws, n);
      expect(indexed, n).toEqual(scanned);
    }
    expect(searchBoth(ws, 'qqq-resent-marker').indexed).toHaveLength(1);
  });
});
