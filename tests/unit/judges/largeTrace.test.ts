import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { runJudges } from '../../../src/core/judges/runs';
import { decodeTraceWire } from '../../../src/core/judges/traceAccess';
import { TraceLoader } from '../../../src/core/store/judgeTraces';
import { capWireSpan, truncationMarker, WIRE_LIMITS } from '../../../src/core/judges/wireLimits';
import { Workspace } from '../../../src/core/store/workspace';
import type { JudgeSpec } from '../../../src/core/judges/types';
import { writeBigValueTrace } from './support/bigValues';

/**
 * Issue 11 item 1: a valid trace with very long values plus a trivial code judge crashed the
 * process (the whole trace became one unbounded string). Here 48 spans carry a 1 MiB string
 * each (48 MiB of values); what a judge receives must be bounded, say what was cut, and judge.
 */
const SPANS = 48;
const MIB = 1024 * 1024;

let dir: string;
let ws: Workspace;
let traceId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-big-values-'));
  const file = join(dir, 'big-values.otlp.json');
  traceId = await writeBigValueTrace(file, { spans: SPANS, valueChars: MIB });
  ws = Workspace.open(join(dir, 'ws.tracedeck'));
  const r = await importFile(ws, file);
  expect(r.traceIds).toEqual([traceId]);
}, 240_000);
afterAll(() => {
  ws?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('judges on a trace with very long values', () => {
  it('cuts each long value to the limit with a marker saying how long it was', () => {
    const text = new TraceLoader(ws).wireText(traceId)!;
    // 48 values of 64 Ki characters plus markers and span summaries: under 4 MiB, not 48 MiB.
    expect(text.length).toBeLessThan(4 * MIB);
    const data = decodeTraceWire(text);
    expect(data.spans).toHaveLength(SPANS);
    const span = data.spans.find((s) => s.spanId === '0000000000000003')!; // span index 2: letter 'c'
    const payload = span.attributes!.payload as string;
    expect(payload).toBe('c'.repeat(WIRE_LIMITS.valueChars) + truncationMarker(MIB, WIRE_LIMITS.valueChars));
    expect(payload.endsWith(`…[tracedeck: value truncated for judges: 1048576 characters, the first 65536 shown]`)).toBe(true);
    expect(span.attributes!['tracedeck.truncated']).toBe('1 value(s) cut to 65536 characters');
  });

  it('runs a code judge over it and records a verdict', async () => {
    const judge: JudgeSpec = {
      id: 'sees-all-spans',
      kind: 'code',
      name: 'sees all spans',
      description: '',
      gating: true,
      tags: [],
      hash: 'big-values-1',
      source: `export default (t: any) => {
        const cut = t.spans.filter((s: any) => s.attributes['tracedeck.truncated']).length;
        return { pass: t.spans.length === ${SPANS} && cut === ${SPANS}, rationale: t.spans.length + ' spans, ' + cut + ' cut' };
      }`,
    };
    const { run } = await runJudges(ws, { judges: [judge], selection: { mode: 'all' }, useCache: false });
    expect(run).toMatchObject({ status: 'done', total: 1, done: 1, passed: 1, errored: 0 });
  }, 120_000);

  it('leaves span bodies out past the trace budget, saying so', () => {
    const body = JSON.stringify({ attributes: { a: 'x' }, events: [] });
    expect(capWireSpan(body, 0)).toBe(body);
    const omitted = JSON.parse(capWireSpan(body, WIRE_LIMITS.traceChars - 10));
    expect(omitted).toEqual({
      attributes: { 'tracedeck.truncated': 'body omitted: the trace is over the 48 Mi characters judges receive' },
      events: [],
    });
  });
});
