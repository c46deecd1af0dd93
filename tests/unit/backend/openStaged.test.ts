import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import type { ApiEvent, TraceViewData } from '../../../src/shared/api';
import { decodeInt32 } from '../../../src/shared/columnCodec';
import { generateBigTrace, writeBigTraceOtlp } from '../../bench/bigTrace';
import { fixture, tempWorkspace } from '../../helpers/workspace';

// Opening a file: its trace is served from the parsed (staged) spans before the file is written
// to the workspace, identical to what the stored trace serves afterwards, and the events tell
// the UI where the write is. Nothing of the file is in the workspace until it is published.

const PHOENIX = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');

let t: ReturnType<typeof tempWorkspace>;
let backend: Backend;
let events: ApiEvent[];

beforeEach(() => {
  t = tempWorkspace();
  backend = createBackend({ workspace: t.ws, mode: 'browser', otlpEndpoint: null });
  events = [];
  backend.events.subscribe((e) => events.push(e));
});
afterEach(() => t.cleanup());

interface SeenWhileStaged {
  view: TraceViewData | null;
  storedTrace: unknown;
  listed: number;
  analysisErrors: number | null;
  span: unknown;
  search: string[];
  stagingFiles: number;
}

/** Opens `file` as the UI does (open: true) and looks at the trace the moment it is staged. */
async function openAndLook(file: string): Promise<{ seen: SeenWhileStaged; traceId: string }> {
  let look: Promise<SeenWhileStaged> | null = null;
  let traceId = '';
  const off = backend.events.subscribe((e) => {
    if (e.type !== 'import-staged' || look) return;
    traceId = e.traceIds[0]!;
    // As the renderer does: columns, then the analysis; the write waits for both.
    look = (async () => {
      const view = await backend.call('getTraceColumns', { traceId });
      const analysis = await backend.call('getTraceAnalysis', { traceId });
      const first = view!.columns.spanId[0]!;
      return {
        view,
        storedTrace: t.ws.getTrace(traceId),
        listed: t.ws.listTraces().total,
        analysisErrors: analysis ? decodeInt32(analysis.errorRows).length : null,
        span: await backend.call('getSpan', { traceId, spanId: first }),
        search: (await backend.call('searchSpans', { traceId, text: view!.columns.names[0]! })).spanIds,
        stagingFiles: readdirSync(t.dir).filter((f) => f.includes('staging')).length,
      };
    })();
  });
  const [outcome] = await backend.importPaths([{ path: file, open: true }]);
  off();
  expect(outcome!.ok, outcome!.error).toBe(true);
  expect(look).not.toBeNull();
  return { seen: await look!, traceId };
}

describe('opening a file shows its trace before it is stored', () => {
  it('serves the staged trace while the workspace holds nothing of it, then the same view stored', async () => {
    const { seen, traceId } = await openAndLook(PHOENIX);
    expect(seen.view!.staged).toBe(true);
    expect(seen.storedTrace).toBeNull();
    expect(seen.listed).toBe(0);
    expect(seen.view!.columns.n).toBe(18);
    expect(seen.analysisErrors).toBeGreaterThan(0);
    expect(seen.span).toMatchObject({ traceId });
    expect(seen.search.length).toBeGreaterThan(0);

    const stored = await backend.call('getTraceColumns', { traceId });
    expect(stored!.staged).toBeUndefined();
    // One derivation: the staged view is the stored view.
    expect(seen.view!.columns).toEqual(stored!.columns);
    // (The trace is shown before it is written: its import time is the parse's end.)
    expect({ ...seen.view!.summary, importedAt: 0 }).toEqual({ ...stored!.summary, importedAt: 0 });
    expect(await backend.call('getSpan', { traceId, spanId: stored!.columns.spanId[0]! })).toEqual(seen.span);

    // staged → published → finished → traces-changed, and the staging file is gone.
    const order = events.map((e) => e.type).filter((x) => x !== 'import-progress');
    expect(order).toEqual(['import-staged', 'import-published', 'import-finished', 'traces-changed']);
    expect(readdirSync(t.dir).filter((f) => f.includes('staging'))).toEqual([]);
  });

  it('a big trace: the staged view equals the prepared stored view', async () => {
    const big = join(t.dir, 'big.json');
    await writeBigTraceOtlp(big, generateBigTrace({ spans: 12_000 }));
    const { seen, traceId } = await openAndLook(big);
    expect(seen.view!.columns.n).toBe(12_000);
    expect(seen.storedTrace).toBeNull();
    const stored = await backend.call('getTraceColumns', { traceId });
    expect(stored!.staged).toBeUndefined();
    expect(seen.view!.columns).toEqual(stored!.columns);
    expect(await backend.call('getTraceAnalysis', { traceId })).toBeTruthy();
  }, 60_000);

  it('a file the workspace already holds (unchanged bytes) is not staged again', async () => {
    await backend.importPaths([PHOENIX]);
    events.length = 0;
    const [again] = await backend.importPaths([{ path: PHOENIX, open: true }]);
    expect(again!.unchanged).toBe(true);
    expect(events.some((e) => e.type === 'import-staged')).toBe(false);
  });

  it('the importPaths call (desktop drop) can ask to open its first file, with a boolean only', async () => {
    const other = fixture('langfuse/langfuse-openai-agents-2025-09-30.trace.json');
    const off = backend.events.subscribe((e) => {
      if (e.type === 'import-staged' && e.open) void backend.call('getTraceColumns', { traceId: e.traceIds[0]! }).then(() => backend.call('getTraceAnalysis', { traceId: e.traceIds[0]! }));
    });
    const outcomes = await backend.call('importPaths', { paths: [PHOENIX, other], open: true });
    off();
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    const staged = events.flatMap((e) => (e.type === 'import-staged' ? [[e.source, e.open]] : []));
    expect(staged).toEqual([[PHOENIX, true], [other, false]]);
    await expect(backend.call('importPaths', { paths: [PHOENIX], open: 'yes' } as never)).rejects.toThrow(/open/);
  });

  it('without a viewer the write does not wait for one', async () => {
    // open is the renderer's promise to load the view; a plain import never waits on it.
    const [o] = await backend.importPaths([PHOENIX]);
    expect(o!.ok).toBe(true);
    expect(events.some((e) => e.type === 'import-staged')).toBe(true);
    expect(existsSync(t.ws.path)).toBe(true);
  });
});
