import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { TRACE_SORT_FIELDS, type TraceQuery, type TraceSortField } from '../../../src/core/model/query';
import type { TraceSummary } from '../../../src/core/model/types';
import { multiplyTracesForBench } from '../../../src/core/store/benchFill';
import { readerOf, writerOf } from '../../../src/core/store/connection';
import { traceSummariesById } from '../../../src/core/store/traces';
import type { Workspace } from '../../../src/core/store/workspace';
import { generateOtlpFile } from '../../bench/genOtlp';
import { tempWorkspace } from '../../helpers/tempWorkspace';

/**
 * The library's list query (store/traceQuery.ts) against a plain reference in TypeScript: every
 * sortable column both ways (nulls last, ties by trace id in the sort's direction), each filter of
 * the filter bar, and pages that join up to the whole ordered result. The indexes of migration 12
 * and the page query's index hints must change how fast, never which rows or in what order.
 */
const VALUE: Record<TraceSortField, (t: TraceSummary) => number | string | null> = {
  start: (t) => t.startMs,
  name: (t) => t.name,
  duration: (t) => t.durationMs,
  spans: (t) => t.spanCount,
  errors: (t) => t.errorCount,
  toolErrors: (t) => t.toolErrors,
  evalFail: (t) => t.evalFail,
  tokens: (t) => t.inputTokens + t.outputTokens,
  toolCalls: (t) => t.toolCalls,
  llmCalls: (t) => t.llmCalls,
  cost: (t) => t.costUsd,
  status: (t) => t.status,
  format: (t) => t.format,
  imported: (t) => t.importedAt,
};

/** SQLite's order: NULL last here, numbers before text, text by bytes (BINARY). */
function cmp(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function reference(all: TraceSummary[], sort: TraceSortField, dir: 'asc' | 'desc', keep: (t: TraceSummary) => boolean): string[] {
  const sign = dir === 'asc' ? 1 : -1;
  return all
    .filter(keep)
    .sort((x, y) => {
      const a = VALUE[sort](x);
      const b = VALUE[sort](y);
      if (a === null || b === null) {
        if (a !== b) return a === null ? 1 : -1;
      } else {
        const c = cmp(a, b);
        if (c !== 0) return sign * c;
      }
      return sign * cmp(x.traceId, y.traceId);
    })
    .map((t) => t.traceId);
}

let ws: Workspace;
let cleanup: () => void;
let all: TraceSummary[];

beforeAll(async () => {
  const t = tempWorkspace();
  ws = t.ws;
  cleanup = t.cleanup;
  const file = join(t.dir, 'seed.json');
  await generateOtlpFile({ path: file, spans: 900, seed: 3 });
  await importFile(ws, file, { force: true });
  // Copies bring many equal values (ties) and shifted ones; some costs are NULL in the seed.
  await ws.exclusive(async () => multiplyTracesForBench(ws, 12));
  all = [...traceSummariesById(ws).values()];
}, 60_000);
afterAll(() => cleanup());

const FILTERS: [string, Omit<TraceQuery, 'sort' | 'dir'>, (t: TraceSummary) => boolean][] = [
  ['none', {}, () => true],
  ['text', { text: 'RESEARCH' }, (t) => [t.name, t.traceId, t.service ?? '', t.sourceFile].some((s) => s.toLowerCase().includes('research'))],
  ['status', { status: ['error'] }, (t) => t.status === 'error'],
  ['tool errors', { hasToolErrors: true }, (t) => t.toolErrors > 0],
  ['no errors', { hasErrors: false }, (t) => t.errorCount === 0],
  ['duration', { minDurationMs: 5_000 }, (t) => (t.durationMs ?? -Infinity) >= 5_000],
  ['tokens + tool calls', { minTokens: 2_000, minToolCalls: 2 }, (t) => t.inputTokens + t.outputTokens >= 2_000 && t.toolCalls >= 2],
  ['spans range', { minSpans: 5, maxSpans: 40 }, (t) => t.spanCount >= 5 && t.spanCount <= 40],
];

describe('library list query: order and filters', () => {
  it('has a library with ties and nulls to sort', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(new Set(all.map((t) => t.name)).size).toBeLessThan(all.length / 4);
  });

  it.each(TRACE_SORT_FIELDS.flatMap((s) => (['asc', 'desc'] as const).map((d) => [s, d] as const)))('sort %s %s', (sort, dir) => {
    const want = reference(all, sort, dir, () => true);
    const got = ws.listTraces({ sort, dir, limit: 5000 });
    expect(got.total).toBe(want.length);
    expect(got.rows.map((r) => r.traceId)).toEqual(want);
    // Pages of 37 join up to the same order.
    const paged: string[] = [];
    for (let off = 0; off < want.length; off += 37) paged.push(...ws.listTraces({ sort, dir, limit: 37, offset: off }).rows.map((r) => r.traceId));
    expect(paged).toEqual(want);
  });

  it.each(FILTERS)('filter %s, under several sorts', (_name, filter, keep) => {
    for (const sort of ['start', 'status', 'tokens', 'name'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const want = reference(all, sort, dir, keep);
        const got = ws.listTraces({ ...filter, sort, dir, limit: 5000 });
        expect(got.total, `${sort} ${dir}`).toBe(want.length);
        expect(got.rows.map((r) => r.traceId), `${sort} ${dir}`).toEqual(want);
      }
    }
  });
});

/** The text filter's meaning: the needle lowercased (JavaScript) inside a field lowercased by SQLite (ASCII only). */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const hasText = (needle: string) => (t: TraceSummary) =>
  [t.name, t.traceId, t.service ?? '', t.sourceFile].some((s) => asciiLower(s).includes(needle.toLowerCase()));

describe('library text filter: the trigram index (migration 13) never changes the answer', () => {
  it('agrees with the scan for needles of every kind, after renames, re-imports and deletes', async () => {
    const db = writerOf(ws);
    const ids = all.map((t) => t.traceId);
    // Names the index folds differently from lower(): non-ASCII capitals, quotes, FTS syntax.
    const names = ['ÉCOLE Agent', 'Café "quoted" AND OR NOT', 'naïve*run', 'x', 'ab', 'İstanbul trip', 'RESEARCH plan'];
    await ws.exclusive(async () => names.forEach((n, i) => db.prepare('UPDATE traces SET name = ? WHERE id = ?').run(n, ids[i])));
    await ws.exclusive(async () => ws.deleteTrace(ids[10]!));
    // A re-insert under the same id (what import's INSERT OR REPLACE does) is found by its new text only.
    await ws.exclusive(async () =>
      db.prepare(`INSERT OR REPLACE INTO traces SELECT * FROM traces WHERE id = ?`).run(ids[11]),
    );
    await ws.exclusive(async () => db.prepare(`UPDATE traces SET name = 'renamed-zq' WHERE id = ?`).run(ids[11]));
    const now = [...traceSummariesById(ws).values()];
    const needles = ['research', 'RESEARCH', 'agent', 'invoke_', 'zzz-nothing', 're', 'x', 'école', 'ÉCOLE', 'cole', 'café', '"quoted"', 'and or',
      'ïve*', 'i̇stanbul', 'istanbul', ids[3]!.slice(4, 12).toUpperCase(), 'seed.json', 'renamed-zq', names[4]!, 'zzz-nothing"'];
    for (const text of needles) {
      const want = reference(now, 'start', 'desc', hasText(text));
      const got = ws.listTraces({ text, sort: 'start', dir: 'desc', limit: 5000 });
      expect(got.total, text).toBe(want.length);
      expect(got.rows.map((r) => r.traceId), text).toEqual(want);
    }
    expect(ws.listTraces({ text: 'renamed-zq' }).total).toBe(1);
    expect(ws.listTraces({ text: ids[10]!, limit: 5000 }).rows.map((r) => r.traceId)).not.toContain(ids[10]);
    // One index row per trace, whatever happened to them.
    const mapped = readerOf(ws).prepare('SELECT count(*) FROM trace_text_map').pluck().get();
    expect(mapped).toBe(now.length);
  });
});
