import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createBackend, type Backend } from '../../../src/backend/handlers';
import type { ApiEvent, ImportOutcome } from '../../../src/shared/api';
import { fixture, tempWorkspace } from '../../helpers/workspace';

let t: ReturnType<typeof tempWorkspace>;
let backend: Backend;
let events: ApiEvent[];

beforeEach(() => {
  t = tempWorkspace();
  backend = createBackend({ workspace: t.ws, mode: 'browser', otlpEndpoint: null, version: '9.9.9' });
  events = [];
  backend.events.subscribe((e) => events.push(e));
});
afterEach(() => t.cleanup());

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('dispatch validation', () => {
  it('rejects unknown methods, including prototype keys', async () => {
    for (const m of ['nope', '__proto__', 'toString', 'constructor', 'hasOwnProperty', '']) {
      const e = await rejection(backend.dispatch(m, {}));
      expect(e.code).toBe('bad-input');
      expect(e.message).toContain('unknown method');
    }
  });

  it('rejects input the schema refuses, naming the field', async () => {
    let e = await rejection(backend.dispatch('getTrace', {}));
    expect(e.code).toBe('bad-input');
    expect(e.message).toMatch(/getTrace: traceId/);

    e = await rejection(backend.dispatch('getTrace', { traceId: 42 }));
    expect(e.message).toContain('traceId');

    e = await rejection(backend.dispatch('getTrace', { traceId: 'x', extra: 1 }));
    expect(e.message).toContain('extra');

    e = await rejection(backend.dispatch('listTraces', { limit: 0 }));
    expect(e.message).toContain('limit');

    e = await rejection(backend.dispatch('listTraces', { sort: 'DROP TABLE traces' }));
    expect(e.message).toContain('sort');

    for (const bad of [null, 'text', 7, [], true]) {
      e = await rejection(backend.dispatch('appInfo', bad));
      expect(e.code).toBe('bad-input');
    }
  });

  it('rejects huge input without echoing it back', async () => {
    const big = 'x'.repeat(2_000_000);
    let e = await rejection(backend.dispatch('listTraces', { text: big }));
    expect(e.code).toBe('bad-input');
    expect(e.message.length).toBeLessThan(2000);

    e = await rejection(backend.dispatch('getTrace', { [big]: 1, traceId: 'a' }));
    expect(e.message.length).toBeLessThan(2000);

    e = await rejection(backend.dispatch('importPaths', { paths: Array.from({ length: 1001 }, (_, i) => `/f${i}`) }));
    expect(e.message).toContain('paths');

    e = await rejection(backend.dispatch('getTrace', { traceId: 'y'.repeat(5000) }));
    expect(e.message).toContain('traceId');
  });

  it('treats a missing input as {} and answers appInfo', async () => {
    expect(await backend.dispatch('appInfo', undefined)).toEqual({
      version: '9.9.9',
      mode: 'browser',
      workspacePath: t.ws.path,
      otlpEndpoint: null,
      workspaceDamaged: null,
    });
    backend.setOtlpEndpoint('http://127.0.0.1:1/v1/traces');
    expect(((await backend.dispatch('appInfo', {})) as { otlpEndpoint: string }).otlpEndpoint).toBe(
      'http://127.0.0.1:1/v1/traces',
    );
  });

  it('lists every importer in formats', async () => {
    const formats = (await backend.dispatch('formats', {})) as { id: string }[];
    expect(formats.map((f) => f.id)).toEqual(
      expect.arrayContaining(['otlp-json', 'otlp-proto', 'langfuse', 'langsmith', 'inspect-ai', 'claude-code']),
    );
  });
});

describe('imports through the backend', () => {
  it('imports files one by one, reports a failing file and keeps going', async () => {
    const bad = join(t.dir, 'broken.json');
    // The real OTLP example, cut off inside its span list.
    writeFileSync(bad, readFileSync(fixture('otlp-json/otel-proto-example-trace.json'), 'utf8').slice(0, 700));
    const good = fixture('langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json');
    const missing = join(t.dir, 'missing.json');

    const progress: { source: string }[] = [];
    const out = (await backend.importPaths([bad, good, missing], (p) => progress.push(p))) as ImportOutcome[];

    expect(out.map((o) => o.ok)).toEqual([false, true, false]);
    expect(out[0]!.error).toContain(bad);
    expect(out[0]!.error).toMatch(/line \d+/);
    expect(out[2]!.error).toContain('missing.json');
    expect(out[2]!.error).toContain('not found');
    // langfuse-vercel-aisdk: trace df41e597…, 3 observations (2 GENERATION, 1 TOOL getWeather)
    // under one span standing for the trace itself.
    expect(out[1]).toMatchObject({ source: good, format: 'langfuse', spanCount: 4, unchanged: false });
    expect(out[1]!.traceIds).toEqual(['df41e597d0a85e0d7a6ae8ebfaa70aa0']);

    expect(progress.some((p) => p.source === good)).toBe(true);
    const finished = events.filter((e) => e.type === 'import-finished');
    expect(finished).toHaveLength(3);
    const changed = events.filter((e) => e.type === 'traces-changed');
    expect(changed).toEqual([
      { type: 'traces-changed', traceIds: ['df41e597d0a85e0d7a6ae8ebfaa70aa0'], reason: 'import' },
    ]);
    const lastProgress = events.filter((e) => e.type === 'import-progress' && e.source === good).pop();
    expect(lastProgress).toMatchObject({ bytesDone: 20851, bytesTotal: 20851 });

    const imports = (await backend.dispatch('listImports', {})) as { status: string; source: string }[];
    // Every attempt is history, the missing file included: two failures and one success.
    expect(imports.map((i) => i.status).sort()).toEqual(['failed', 'failed', 'ok']);
  });

  it('serves the imported trace, its spans, and deletes it', async () => {
    await backend.call('importPaths', { paths: [fixture('langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json')] });
    const id = 'df41e597d0a85e0d7a6ae8ebfaa70aa0';
    const list = await backend.call('listTraces', {});
    expect(list.total).toBe(1);
    const detail = await backend.call('getTrace', { traceId: id });
    expect(detail!.summary.traceId).toBe(id);
    expect(detail!.spans.map((s) => s.spanId).sort()).toEqual([
      '1dc6768109615657',
      '91a17a2274bfd23f',
      id,
      'e9bb8c191e1e4706',
    ]);
    expect(detail!.spans.find((s) => s.spanId === '1dc6768109615657')!.parentId).toBe(id);
    const tool = await backend.call('getSpan', { traceId: id, spanId: 'e9bb8c191e1e4706' });
    expect(tool!.parentId).toBe('1dc6768109615657');
    expect(tool!.kind).toBe('tool');
    expect(tool!.toolCall?.name).toBe('getWeather');
    expect(await backend.call('getSpan', { traceId: id, spanId: 'nope' })).toBeNull();
    expect(await backend.call('getTrace', { traceId: 'nope' })).toBeNull();

    events.length = 0;
    expect(await backend.dispatch('deleteTrace', { traceId: id })).toEqual({ deleted: true });
    expect(events).toEqual([{ type: 'traces-changed', traceIds: [id], reason: 'delete' }]);
    expect(await backend.dispatch('deleteTrace', { traceId: id })).toEqual({ deleted: false });
    expect(await backend.call('getTrace', { traceId: id })).toBeNull();
  });
});
