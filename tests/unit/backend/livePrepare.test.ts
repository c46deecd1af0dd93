import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { committedFingerprint, readCachedView } from '../../../src/core/store/view';
import { generateBigTrace, writeBigTraceOtlp } from '../../bench/bigTrace';
import { fixture, tempWorkspace } from '../../helpers/workspace';

// A live OTLP trace changes version with every request, so nothing derived for its view can be
// kept while spans arrive; once a big one goes quiet it is prepared as an import prepares it
// (columns and analysis persisted for its current version), so its first open is the fast case.

const QUIET_MS = 150;
let t: ReturnType<typeof tempWorkspace>;
let backend: Backend;

beforeEach(() => {
  t = tempWorkspace();
  backend = createBackend({ workspace: t.ws, mode: 'browser', livePrepareAfterMs: QUIET_MS });
});
afterEach(async () => {
  await backend.close();
  t.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const prepared = (traceId: string) => {
  const fp = committedFingerprint(t.ws, traceId);
  return fp !== null && readCachedView(t.ws, traceId, fp, 'columns') !== null && readCachedView(t.ws, traceId, fp, 'analysis') !== null;
};
/** Polls until `f` holds or `ms` passed. */
async function within(ms: number, f: () => boolean): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(25)) if (f()) return true;
  return f();
}

describe('live OTLP traces are prepared once quiet', () => {
  it('a big trace: not while requests keep coming, then columns and analysis persisted for its last version', async () => {
    const file = join(t.dir, 'big.json');
    await writeBigTraceOtlp(file, generateBigTrace({ spans: 12_000 }));
    const [traceId] = (await backend.ingestOtlp(readFileSync(file), 'otlp-json')).traceIds;
    // More spans before the quiet time is out (the same request again: a retried export).
    await sleep(QUIET_MS / 3);
    await backend.ingestOtlp(readFileSync(file), 'otlp-json');
    expect(prepared(traceId!)).toBe(false);
    expect(await within(5000, () => prepared(traceId!))).toBe(true);
    // What was persisted is what the view serves.
    const view = await backend.call('getTraceColumns', { traceId: traceId! });
    expect(view!.columns.n).toBe(12_000);
    expect(JSON.parse(readCachedView(t.ws, traceId!, committedFingerprint(t.ws, traceId!)!, 'columns')!)).toEqual(view!.columns);
  }, 60_000);

  it('a small trace is left to be derived on open (milliseconds)', async () => {
    const body = readFileSync(fixture('otlp-json/otel-proto-example-trace.json'));
    const r = await backend.ingestOtlp(body, 'otlp-json');
    expect(r.traceIds.length).toBeGreaterThan(0);
    await sleep(QUIET_MS * 3);
    expect(r.traceIds.some(prepared)).toBe(false);
  });
});
