import { writerOf } from '../../../src/core/store/connection';
import { afterEach, describe, expect, it } from 'vitest';
import type { Span } from '../../../src/core/model/types';
import { ImportWriter } from '../../../src/core/store/importWriter';
import { MAX_STRING_CHARS } from '../../../src/core/import/sanitize';
import { ImportError } from '../../../src/core/util/errors';
import { tempWorkspace } from '../../helpers/tempWorkspace';
import { span } from '../../helpers/span';


let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function writerFor(mode: 'replace' | 'merge' = 'replace') {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  const db = writerOf(t.ws);
  const importId = Number(
    db.prepare(`INSERT INTO imports (source, started_at, status) VALUES ('test', 0, 'running')`).run().lastInsertRowid,
  );
  return { ws: t.ws, writer: new ImportWriter(db, 'test.json', 'otlp-json', importId, mode) };
}

describe('ImportWriter: trace status is the run outcome', () => {
  const finish = (meta: Parameters<ImportWriter['trace']>[0], spans: Partial<Span>[]) => {
    const { ws, writer } = writerFor();
    writer.trace(meta);
    for (const s of spans) writer.span(span(s));
    writer.finish();
    return ws.getTrace('t1')!;
  };

  it('takes the root status, not an error span below it', () => {
    const t = finish({ traceId: 't1' }, [
      { spanId: 'root', status: 'unset' },
      { spanId: 'tool', parentId: 'root', kind: 'tool', status: 'error' },
    ]);
    expect([t.status, t.errorCount, t.toolErrors]).toEqual(['unset', 1, 1]);
  });

  it('fails the run when the root failed', () => {
    const t = finish({ traceId: 't1' }, [
      { spanId: 'root', status: 'error' },
      { spanId: 'llm', parentId: 'root', kind: 'llm', status: 'ok' },
    ]);
    expect([t.status, t.errorCount, t.toolErrors]).toEqual(['error', 1, 0]);
  });

  it('prefers the outcome the source states over the root span', () => {
    const t = finish({ traceId: 't1', status: 'error', statusMessage: 'sample limit exceeded' }, [{ spanId: 'root', status: 'ok' }]);
    expect(t.status).toBe('error');
  });

  it('uses orphans only when no span is a true root', () => {
    const withRoot = finish({ traceId: 't1' }, [
      { spanId: 'root', status: 'ok' },
      { spanId: 'orphan', parentId: 'gone', status: 'error' },
    ]);
    expect(withRoot.status).toBe('ok');
    const onlyOrphans = finish({ traceId: 't1' }, [
      { spanId: 'a', parentId: 'gone', status: 'error' },
      { spanId: 'b', parentId: 'gone', status: 'ok' },
    ]);
    expect(onlyOrphans.status).toBe('error');
  });
});

describe('ImportWriter', () => {
  it('stores spans and computes trace aggregates without double-counting rolled-up usage', () => {
    const { ws, writer } = writerFor();
    writer.trace({ traceId: 't1', name: 'agent run', service: 'svc', version: '1.2' });
    writer.span(span({ spanId: 'root', kind: 'agent', status: 'ok', startMs: 1000, endMs: 5000 }));
    // wrapper with rolled-up usage, and the real call below it
    writer.span(
      span({ spanId: 'gen', parentId: 'root', kind: 'chain', usage: { inputTokens: 100, outputTokens: 10 } }),
    );
    writer.span(
      span({ spanId: 'call', parentId: 'gen', kind: 'llm', usage: { inputTokens: 100, outputTokens: 10, costUsd: 0.5 } }),
    );
    writer.span(
      span({
        spanId: 'tool',
        parentId: 'root',
        kind: 'tool',
        status: 'error',
        toolCall: { name: 'search', arguments: { q: 'x' } },
        startMs: 3000,
        endMs: 6000,
      }),
    );
    writer.span(span({ spanId: 'call2', parentId: 'root', kind: 'llm', usage: { inputTokens: 7, outputTokens: 3 } }));
    expect(writer.finish()).toEqual(['t1']);
    const t = ws.getTrace('t1')!;
    expect(t.name).toBe('agent run');
    expect(t.service).toBe('svc');
    expect(t.version).toBe('1.2');
    expect(t.spanCount).toBe(5);
    expect(t.llmCalls).toBe(2);
    expect(t.toolCalls).toBe(1);
    expect(t.toolErrors).toBe(1);
    expect(t.errorCount).toBe(1);
    // The root says ok: a failed tool call is counted, it does not fail the run.
    expect(t.status).toBe('ok');
    expect(t.inputTokens).toBe(107);
    expect(t.outputTokens).toBe(13);
    expect(t.costUsd).toBe(0.5);
    expect(t.startMs).toBe(1000);
    expect(t.endMs).toBe(6000);
    expect(t.durationMs).toBe(5000);
    expect(ws.getSpan('t1', 'tool')!.toolCall).toEqual({ name: 'search', arguments: { q: 'x' } });
    expect(ws.getSpanSummaries('t1').map((s) => s.spanId)).toEqual(['root', 'gen', 'call', 'tool', 'call2']);
  });

  it('counts an LLM span that wraps another LLM span as one model call', () => {
    const { ws, writer } = writerFor();
    writer.span(span({ spanId: 'root', kind: 'agent' }));
    writer.span(span({ spanId: 'outer', parentId: 'root', kind: 'llm' }));
    writer.span(span({ spanId: 'inner', parentId: 'outer', kind: 'llm', usage: { inputTokens: 5 } }));
    writer.span(span({ spanId: 'other', parentId: 'root', kind: 'llm' }));
    writer.finish();
    expect(ws.getTrace('t1')!.llmCalls).toBe(2);
  });

  it('renames a duplicate span id and warns, keeping both spans', () => {
    const { ws, writer } = writerFor();
    writer.span(span({ spanId: 'a', name: 'first' }));
    writer.span(span({ spanId: 'a', name: 'second', parentId: 'a' }));
    writer.finish();
    const spans = ws.getSpanSummaries('t1');
    expect(spans.map((s) => [s.spanId, s.name])).toEqual([
      ['a', 'first'],
      ['a#2', 'second'],
    ]);
    expect(writer.warnings.join('\n')).toMatch(/test\.json: duplicate span id a in trace t1: second copy stored as a#2/);
  });

  it('clamps a negative duration to zero and names the span', () => {
    const { ws, writer } = writerFor();
    writer.span(span({ spanId: 'neg', startMs: 5000, endMs: 4000 }));
    writer.finish();
    const s = ws.getSpan('t1', 'neg')!;
    expect(s.endMs).toBe(5000);
    expect(writer.warnings[0]).toMatch(/span neg ends 1000\.000 ms before it starts/);
  });

  it('truncates huge attribute values and says so', () => {
    const { ws, writer } = writerFor();
    const huge = 'x'.repeat(MAX_STRING_CHARS + 123);
    writer.span(span({ spanId: 'big', attributes: { blob: huge, small: 'ok' } }));
    writer.finish();
    const stored = ws.getSpan('t1', 'big')!.attributes;
    expect(stored.small).toBe('ok');
    expect((stored.blob as string).length).toBeLessThan(huge.length);
    expect(stored.blob as string).toMatch(/truncated 123 chars\]$/);
    expect(writer.warnings.join()).toMatch(/span big: oversized values truncated/);
  });

  it('rejects spans without ids or with invalid times, naming the span', () => {
    const { writer } = writerFor();
    expect(() => writer.span(span({ spanId: '' }))).toThrow(ImportError);
    expect(() => writer.span(span({ spanId: 'x', startMs: Number.NaN }))).toThrow(/test\.json \(span x\): start time/);
    expect(() => writer.span(span({ spanId: 'y', kind: 'bogus' as never }))).toThrow(/unknown span kind 'bogus'/);
  });

  it('attaches orphans and several roots to a synthetic root, keeping the source parent visible', () => {
    const { ws, writer } = writerFor();
    writer.span(span({ spanId: 'a' }));
    writer.span(span({ spanId: 'b', parentId: 'missing', startMs: 500, endMs: 9000 }));
    writer.finish();
    const tree = ws.getSpanSummaries('t1');
    const root = tree.find((s) => s.parentId === null)!;
    expect(root.spanId).toBe('tracedeck.root');
    expect(root.startMs).toBe(500);
    expect(root.endMs).toBe(9000);
    expect(tree.filter((s) => s.parentId === 'tracedeck.root').map((s) => s.spanId).sort()).toEqual(['a', 'b']);
    expect(ws.getSpan('t1', 'b')!.attributes['tracedeck.source_parent']).toBe('missing');
    expect(ws.getTrace('t1')!.spanCount).toBe(3);
  });

  it('merge mode re-links children when their parent arrives in a later batch', () => {
    const { ws, writer } = writerFor('merge');
    writer.span(span({ spanId: 'child', parentId: 'parent' }));
    writer.span(span({ spanId: 'other-root' }));
    writer.finish();
    expect(ws.getSpanSummaries('t1').find((s) => s.spanId === 'child')!.parentId).toBe('tracedeck.root');

    const db = writerOf(ws);
    const id2 = Number(
      db.prepare(`INSERT INTO imports (source, started_at, status) VALUES ('t', 0, 'running')`).run().lastInsertRowid,
    );
    const w2 = new ImportWriter(db, 'otlp', 'otlp-json', id2, 'merge');
    w2.span(span({ spanId: 'parent', parentId: 'other-root' }));
    w2.finish();
    const tree = ws.getSpanSummaries('t1');
    expect(tree.map((s) => s.spanId).sort()).toEqual(['child', 'other-root', 'parent']);
    expect(tree.find((s) => s.spanId === 'child')!.parentId).toBe('parent');
    expect(tree.find((s) => s.spanId === 'other-root')!.parentId).toBeNull();
    expect(ws.getSpan('t1', 'child')!.attributes['tracedeck.source_parent']).toBeUndefined();
  });
});
