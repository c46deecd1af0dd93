/**
 * Issue 2 §4: bad input gets a clear error naming the file and position, or a documented repair,
 * and never leaves a half-imported trace. End to end through importFile on real files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { MAX_STRING_CHARS } from '../../../src/core/import/sanitize';
import type { Workspace } from '../../../src/core/store/workspace';
import { ImportError } from '../../../src/core/util/errors';
import { fixture, tempWorkspace } from '../../helpers/workspace';

interface GenSpan {
  id: string;
  parent?: string;
  start?: string;
  end?: string;
  attrs?: Record<string, string>;
  name?: string;
}

const T = 1_700_000_000_000_000_000n;
const hex16 = (n: number) => n.toString(16).padStart(16, '0');

function otlp(spans: GenSpan[], traceId = 'aa'.repeat(16)): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bad-input-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: spans.map((s, i) => ({
              traceId,
              spanId: s.id,
              parentSpanId: s.parent ?? '',
              name: s.name ?? `span ${i}`,
              startTimeUnixNano: s.start ?? String(T + BigInt(i) * 1_000_000n),
              endTimeUnixNano: s.end ?? String(T + BigInt(i) * 1_000_000n + 500_000n),
              attributes: Object.entries(s.attrs ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
            })),
          },
        ],
      },
    ],
  });
}

let ws: Workspace;
let dir: string;
let cleanup: () => void;
let baseline: string[];

beforeEach(async () => {
  ({ ws, dir, cleanup } = tempWorkspace());
  // Something already stored that a failed import must not touch.
  await importFile(ws, fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json'));
  baseline = ws.traceIds();
});
afterEach(() => cleanup());

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function expectRejected(path: string, pattern: RegExp): Promise<ImportError> {
  const err = await importFile(ws, path).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportError);
  expect((err as ImportError).message).toContain(path);
  expect((err as ImportError).message).toMatch(pattern);
  // Nothing half-written: exactly the traces that were there before, with all their spans.
  expect(ws.traceIds()).toEqual(baseline);
  expect(ws.getTrace(baseline[0]!)!.spanCount).toBe(18);
  expect(ws.integrityCheck()).toBe('ok');
  const failed = ws.listImports(1)[0]!;
  expect(failed.status).toBe('failed');
  expect(failed.error).toBe((err as ImportError).message);
  return err as ImportError;
}

describe('bad input is rejected with file and position, and stores nothing', () => {
  it('truncated JSON', async () => {
    const full = readFileSync(fixture('otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json'), 'utf8');
    await expectRejected(write('truncated.json', full.slice(0, Math.floor(full.length * 0.6))), /line \d+|byte \d+/);
  });

  it('a file that is not JSON at all', async () => {
    await expectRejected(write('notes.json', 'this is not a trace\njust some notes\n'), /unknown trace format/);
  });

  it('binary garbage', async () => {
    await expectRejected(write('garbage.bin', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 255, 254])), /./);
  });

  it('JSON of an unknown shape', async () => {
    await expectRejected(write('config.json', JSON.stringify({ name: 'my-app', dependencies: { a: '1' } })), /unknown trace format/);
  });

  it('an empty file', async () => {
    await expectRejected(write('empty.json', ''), /empty|unknown trace format/);
  });

  it('a bad span after many good ones rolls back the whole file', async () => {
    const spans: GenSpan[] = [];
    for (let i = 0; i < 5000; i++) spans.push({ id: hex16(i + 1), parent: i ? hex16(1) : undefined });
    spans.push({ id: hex16(9999), start: 'not-a-time', end: 'also-not' });
    const err = await expectRejected(write('bad-tail.json', otlp(spans)), /span|time/i);
    expect(err.message).toMatch(/0000000000009999|spans\[5000\]|line/);
    expect(ws.getSpanSummaries('aa'.repeat(16))).toEqual([]);
  });

  it('a gzip file that is corrupt', async () => {
    await expectRejected(write('trace.json.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7])), /gzip/);
  });
});

describe('documented repairs', () => {
  async function importOk(name: string, content: string) {
    const r = await importFile(ws, write(name, content));
    return { r, spans: ws.getSpanSummaries(r.traceIds[0]!) };
  }

  it('cyclic parents are broken and reported', async () => {
    const { r, spans } = await importOk(
      'cycle.json',
      otlp([
        { id: hex16(1), parent: hex16(3) },
        { id: hex16(2), parent: hex16(1) },
        { id: hex16(3), parent: hex16(2) },
      ]),
    );
    expect(r.warnings.join('\n')).toMatch(/cycle\.json: trace a+: parent cycle broken at span 0+[123]/);
    expect(spans.filter((s) => s.parentId === null)).toHaveLength(1);
  });

  it('missing parents: orphans under a synthetic root, source parent kept', async () => {
    const { r, spans } = await importOk(
      'orphans.json',
      otlp([{ id: hex16(1) }, { id: hex16(2), parent: hex16(77) }, { id: hex16(3), parent: hex16(1) }]),
    );
    expect(r.warnings.join('\n')).toMatch(/1 span\(s\) name a parent that is not in the trace; attached to a synthetic root/);
    const root = spans.find((s) => s.parentId === null)!;
    expect(root.spanId).toBe('tracedeck.root');
    expect(spans.find((s) => s.spanId === hex16(2))!.parentId).toBe('tracedeck.root');
    expect(ws.getSpan(r.traceIds[0]!, hex16(2))!.attributes['tracedeck.source_parent']).toBe(hex16(77));
  });

  it('duplicate span ids: both kept, the second renamed', async () => {
    const { r, spans } = await importOk(
      'dups.json',
      otlp([{ id: hex16(1), name: 'first' }, { id: hex16(1), name: 'second', parent: hex16(1) }]),
    );
    expect(spans.map((s) => s.name)).toEqual(['first', 'second']);
    expect(spans[1]!.spanId).toBe(`${hex16(1)}#2`);
    expect(r.warnings.join()).toMatch(/duplicate span id 0000000000000001/);
  });

  it('negative durations are clamped to zero', async () => {
    const { r, spans } = await importOk(
      'negative.json',
      otlp([{ id: hex16(1), start: String(T + 5_000_000n), end: String(T + 1_000_000n) }]),
    );
    expect(spans[0]!.endMs).toBe(spans[0]!.startMs);
    expect(r.warnings.join()).toMatch(/ends 4\.000 ms before it starts/);
  });

  it('huge attribute values are truncated with a marker', async () => {
    const big = 'A'.repeat(MAX_STRING_CHARS * 3);
    const { r } = await importOk('huge.json', otlp([{ id: hex16(1), attrs: { 'tool.output': big } }]));
    const v = ws.getSpan(r.traceIds[0]!, hex16(1))!.attributes['tool.output'] as string;
    expect(v.length).toBeLessThan(MAX_STRING_CHARS + 100);
    expect(v).toMatch(/truncated 2097152 chars\]$/);
  });

  it('a 100k-deep parent chain imports without recursion', async () => {
    const n = 100_000;
    const spans: GenSpan[] = [];
    for (let i = 0; i < n; i++) spans.push({ id: hex16(i + 1), parent: i ? hex16(i) : undefined });
    const { r, spans: stored } = await importOk('deep.json', otlp(spans));
    expect(r.spanCount).toBe(n);
    expect(stored).toHaveLength(n);
    // walk from the leaf up to the root iteratively: the chain is intact
    const parent = new Map(stored.map((s) => [s.spanId, s.parentId]));
    let depth = 0;
    for (let cur: string | null = hex16(n); cur !== null; cur = parent.get(cur) ?? null) depth++;
    expect(depth).toBe(n);
  });

  it('re-importing the same file changes nothing and says so', async () => {
    const path = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
    const again = await importFile(ws, path);
    expect(again.unchanged).toBe(true);
    expect(ws.traceIds()).toEqual(baseline);
    const forced = await importFile(ws, path, { force: true });
    expect(forced.unchanged).toBe(false);
    expect(ws.traceIds()).toEqual(baseline);
    expect(ws.getTrace(baseline[0]!)!.spanCount).toBe(18);
  });
});
