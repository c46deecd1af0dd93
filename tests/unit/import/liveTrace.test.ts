import { writerOf } from '../../../src/core/store/connection';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Span, TraceMeta } from '../../../src/core/model/types';
import { detectFormat } from '../../../src/core/formats/registry';
import { bufferSource } from '../../../src/core/import/source';
import { ImportWriter } from '../../../src/core/store/importWriter';
import { liveStats } from '../../../src/core/store/liveTrace';
import type Database from 'better-sqlite3';
import { tempWorkspace } from '../../helpers/tempWorkspace';
import { span } from '../../helpers/span';

/**
 * Live OTLP streaming folds each request into the stored trace incrementally (liveTrace.ts). The
 * one-shot finalise is the reference: the same spans streamed in small batches, in file order and
 * in reverse (children before their parents, as BatchSpanProcessor exports), must leave the same
 * traces rows and the same repaired tree as importing them in one go.
 */
const FIXTURES = join(__dirname, '../../fixtures');
const DIRS = ['otlp-json', 'openinference', 'vercel-ai-sdk', 'jaeger-json', 'zipkin-json', 'mlflow', 'langsmith', 'openhands'];

interface Parsed {
  metas: TraceMeta[];
  spans: Span[];
}

async function parse(path: string): Promise<Parsed | null> {
  const data = readFileSync(path);
  const found = detectFormat(path, data.subarray(0, 64 * 1024));
  if (!found) return null;
  const out: Parsed = { metas: [], spans: [] };
  const seen = new Set<string>();
  await found.importer.parse(bufferSource(path, data), {
    trace: (m) => out.metas.push(m),
    span: (s) => {
      // A re-sent span id replaces its stored row in merge mode but is kept beside it (suffixed)
      // within one file: not the same input, so duplicates are left out of the comparison.
      const key = `${s.traceId}\u0000${s.spanId}`;
      if (!seen.has(key)) out.spans.push(s);
      seen.add(key);
    },
    warn: () => undefined,
  });
  return out;
}

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function freshDb(): Database.Database {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  return writerOf(t.ws);
}

function writer(db: Database.Database, mode: 'replace' | 'merge'): ImportWriter {
  const id = Number(
    db.prepare(`INSERT INTO imports (source, started_at, status) VALUES ('t', 0, 'running')`).run().lastInsertRowid,
  );
  return new ImportWriter(db, 'fixture', 'otlp-json', id, mode);
}

function snapshot(db: Database.Database) {
  const traces = db
    .prepare(
      `SELECT id, name, status, span_count, error_count, llm_calls, tool_calls, tool_errors, input_tokens,
              output_tokens, cost_usd, start_ms, end_ms, duration_ms, service, meta, eval_pass, eval_fail
         FROM traces ORDER BY id`,
    )
    .all() as Record<string, unknown>[];
  const spans = db
    .prepare(`SELECT trace_id, span_id, parent_id, tree_parent_id, name, start_ms, end_ms FROM spans ORDER BY trace_id, span_id`)
    .all();
  const costs = traces.map((t) => t.cost_usd as number | null);
  for (const t of traces) delete t.cost_usd;
  return { traces, spans, costs };
}

function oneShot(p: Parsed, spans: Span[]) {
  const db = freshDb();
  const w = writer(db, 'replace');
  for (const m of p.metas) w.trace(m);
  for (const s of spans) w.span(s);
  w.finish();
  return snapshot(db);
}

function streamed(p: Parsed, spans: Span[], batch: number) {
  const db = freshDb();
  for (let k = 0; k < spans.length; k += batch) {
    const w = writer(db, 'merge');
    const part = spans.slice(k, k + batch);
    const ids = new Set(part.map((s) => s.traceId));
    for (const m of p.metas) if (ids.has(m.traceId)) w.trace(m);
    for (const s of part) w.span(s);
    w.finish();
  }
  return snapshot(db);
}

/** Some trace's spans fall into more than one batch (so a later batch can be folded in). */
function spreadsOverBatches(spans: Span[], batch: number): boolean {
  const firstBatch = new Map<string, number>();
  return spans.some((s, k) => {
    const b = Math.floor(k / batch);
    const f = firstBatch.get(s.traceId);
    if (f === undefined) firstBatch.set(s.traceId, b);
    return f !== undefined && f !== b;
  });
}

// Span-annotation files hold no spans: they annotate spans stored by an earlier import.
const files = DIRS.flatMap((d) => readdirSync(join(FIXTURES, d)).map((f) => join(d, f))).filter(
  (f) => !f.includes('span-annotations'),
);

describe('incremental finalise equals the one-shot finalise on real fixtures', () => {
  it.each(files)('%s', async (file) => {
    const p = await parse(join(FIXTURES, file));
    if (!p || p.spans.length < 2) return; // not a span format this test can split (checked below)
    for (const order of ['file order', 'children first'] as const) {
      const spans = order === 'file order' ? p.spans : [...p.spans].reverse();
      const want = oneShot(p, spans);
      for (const batch of [1, 3]) {
        const before = liveStats.folded;
        const got = streamed(p, spans, batch);
        expect(got.traces, `${order}, batches of ${batch}`).toEqual(want.traces);
        expect(got.spans, `${order}, batches of ${batch}`).toEqual(want.spans);
        // Cost is a float sum: the incremental one adds and subtracts in another order.
        got.costs.forEach((c, i) => (c === null ? expect(want.costs[i]).toBeNull() : expect(c).toBeCloseTo(want.costs[i]!, 9)));
        // The incremental path really ran (not only the one-shot fallback), except where the
        // source names an adoptive root (Langfuse-style), which is always finalised whole.
        if (!p.metas.some((m) => m.orphanParent) && spreadsOverBatches(spans, batch))
          expect(liveStats.folded).toBeGreaterThan(before);
      }
    }
  });

  it('covers enough fixtures to mean something', async () => {
    let usable = 0;
    for (const f of files) if (((await parse(join(FIXTURES, f)))?.spans.length ?? 0) >= 2) usable++;
    expect(usable).toBeGreaterThanOrEqual(8);
  });
});

describe('incremental finalise: cases the fixtures do not reach', () => {
  const stream = (batches: Partial<Span>[][]) => {
    const db = freshDb();
    for (const b of batches) {
      const w = writer(db, 'merge');
      for (const s of b) w.span(span(s));
      w.finish();
    }
    return db.prepare('SELECT span_count, llm_calls, input_tokens, output_tokens, cost_usd, name FROM traces').get();
  };

  it('an LLM wrapper counts once when its inner call arrives in a later request (usage too)', () => {
    const wrapper = { spanId: 'gen', kind: 'llm' as const, name: 'ai.generateText', usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.3 } };
    const inner = { spanId: 'do', parentId: 'gen', kind: 'llm' as const, name: 'doGenerate', usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.3 } };
    const want = { span_count: 2, llm_calls: 1, input_tokens: 10, output_tokens: 5, cost_usd: 0.3, name: 'ai.generateText' };
    expect(stream([[wrapper], [inner]])).toEqual(want);
    expect(stream([[inner], [wrapper]])).toEqual(want);
  });

  it('a root arriving after its orphans removes the synthetic root; a second root brings it back', () => {
    // Two orphans of 'r' → synthetic root (3 spans); 'r' arrives → one tree (3 spans, named r);
    // an unrelated root → synthetic root again (5 spans, named after the first span stored).
    expect(stream([[{ spanId: 'a', parentId: 'r', name: 'a' }, { spanId: 'b', parentId: 'r', name: 'b' }]])).toMatchObject({ span_count: 3, name: 'a' });
    expect(stream([[{ spanId: 'a', parentId: 'r', name: 'a' }, { spanId: 'b', parentId: 'r' }], [{ spanId: 'r', name: 'r' }]])).toMatchObject({ span_count: 3, name: 'r' });
    expect(
      stream([[{ spanId: 'a', parentId: 'r', name: 'a' }, { spanId: 'b', parentId: 'r' }], [{ spanId: 'r', name: 'r' }], [{ spanId: 'x', name: 'x' }]]),
    ).toMatchObject({ span_count: 5, name: 'a' });
  });
});
