import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span, TraceMeta } from '../../../src/core/model/types';
import { beginStaging } from '../../../src/core/store/staging';
import { openStagedReader } from '../../../src/core/store/stagedReader';
import type { TracePreview } from '../../../src/core/store/finalise';
import { fileSource } from '../../../src/core/import/source';
import { detectFormat } from '../../../src/core/formats/registry';
import { generateBigTrace, writeBigTraceOtlp } from '../../bench/bigTrace';
import { fixture } from '../../helpers/workspace';
import { span } from '../../helpers/span';

// A file's traces are shown before they are written, from a preview computed in memory
// (finalise.ts previewTrace). It must be what the staged (then stored) trace reads back: the same
// repairs, span summaries, aggregates and traces row.

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Stage the calls `feed` makes with a preview kept; the previews and what the staging file reads back. */
async function stageWithPreview(feed: (sink: ReturnType<typeof beginStaging>['writer']) => void | Promise<void>, maxSpans = 1_000_000) {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-preview-'));
  const path = join(dir, 'staging');
  const staging = beginStaging(path, 'file.json', 'otlp-json', 7);
  staging.writer.keepPreview(maxSpans);
  await feed(staging.writer);
  const previews = staging.writer.previews();
  const ids = staging.finish();
  staging.commit();
  staging.close();
  const reader = openStagedReader(path);
  const staged = ids.map((id) => {
    const { meta, ...summary } = reader.trace(id)!;
    return { summary, meta, spans: reader.spanSummaries(id) };
  });
  reader.close();
  return { previews, staged };
}

const timeless = (ts: TracePreview[]) => ts.map((t) => ({ ...t, summary: { ...t.summary, importedAt: 0 } }));

describe('the preview of a file is the trace it stores', () => {
  it('with every repair: missing parents, several roots, cycles, duplicate ids, ends before starts, self-parents', async () => {
    const meta: TraceMeta = {
      traceId: 't1',
      name: 'run',
      evaluations: [
        { name: 'correct', source: 'file', value: 'yes' },
        { name: 'hallucination', source: 'file', value: 0.9 },
        { name: 'note', source: 'file', value: null, pass: null },
      ],
    };
    const spans: Partial<Span>[] = [
      { spanId: 'a', parentId: null, startMs: 100, endMs: 900 },
      { spanId: 'b', parentId: 'a', kind: 'llm', usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.5 }, model: 'm1' },
      { spanId: 'c', parentId: 'b', kind: 'llm', usage: { inputTokens: 7, outputTokens: 3, costUsd: 0.25 } },
      { spanId: 'b', parentId: 'a', kind: 'tool', status: 'error', toolCall: { name: 'grep', arguments: {} } },
      { spanId: 'd', parentId: 'gone', startMs: 50, endMs: 10 },
      { spanId: 'e', parentId: 'e' },
      { spanId: 'x', parentId: 'y' },
      { spanId: 'y', parentId: 'x', startMs: 20 },
      { spanId: 'r2', parentId: null, status: 'ok' },
    ];
    const { previews, staged } = await stageWithPreview((w) => {
      w.trace(meta);
      for (const s of spans) w.span(span(s));
      w.trace({ traceId: 't2', orphanParent: 'root' });
      w.span(span({ traceId: 't2', spanId: 'root' }));
      w.span(span({ traceId: 't2', spanId: 'orphan', parentId: 'elsewhere' }));
    });
    expect(previews.map((p) => p.summary.traceId)).toEqual(['t1', 't2']);
    expect(previews[0]!.spans[0]!.spanId).toBe('tracedeck.root');
    expect(previews[0]!.summary.evalPass + previews[0]!.summary.evalFail).toBe(2);
    expect(timeless(previews)).toEqual(timeless(staged));
  });

  it('a real file and a big generated trace', async () => {
    for (const file of [fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json'), 'big']) {
      let path = file;
      if (file === 'big') {
        path = join(mkdtempSync(join(tmpdir(), 'tracedeck-preview-big-')), 'big.json');
        await writeBigTraceOtlp(path, generateBigTrace({ spans: 5_000 }));
      }
      const source = await fileSource(path);
      const importer = detectFormat(path, source.head)!.importer;
      const { previews, staged } = await stageWithPreview((w) => importer.parse(source, w));
      expect(previews.length).toBeGreaterThan(0);
      expect(timeless(previews)).toEqual(timeless(staged));
      if (file === 'big') rmSync(join(path, '..'), { recursive: true, force: true });
    }
  }, 60_000);

  it('is let go for files beyond the span limit', async () => {
    const { previews, staged } = await stageWithPreview((w) => {
      for (let i = 0; i < 5; i++) w.span(span({ spanId: `s${i}`, parentId: i ? `s${i - 1}` : null }));
    }, 3);
    expect(previews).toEqual([]);
    expect(staged[0]!.spans).toHaveLength(5);
  });
});
