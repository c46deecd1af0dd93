import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import type { Span } from '../../../src/core/model/types';
import type { Workspace } from '../../../src/core/store/workspace';
import { fixture, importFixture, tempWorkspace } from '../../helpers/workspace';

// Expected values computed by hand from the traceEvents (ts/dur in µs) read with python3.

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function view(ws: Workspace, traceId: string) {
  const spans = ws.getSpans(traceId);
  const byName = (name: string) => spans.filter((s) => s.name === name);
  const one = (name: string) => {
    const found = byName(name);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const parentName = (s: Span) => spans.find((p) => p.spanId === s.parentId)?.name;
  return { spans, one, byName, parentName, summary: ws.getTrace(traceId)! };
}

describe('Chrome trace: PyTorch profiler excerpt (7 X events)', () => {
  const rel = 'chrome-trace/hta-pytorch-profiler-backward-thread-excerpt.json';

  it('is one trace: file root → process → thread → slices nested by time', async () => {
    const { ws, result, cleanup } = await importFixture(rel);
    cleanups.push(cleanup);
    expect(result.format).toBe('chrome-trace');
    const expectedId = createHash('sha256').update(readFileSync(fixture(rel))).digest('hex').slice(0, 32);
    expect(result.traceIds).toEqual([expectedId]);
    const { spans, one, parentName, summary } = view(ws, expectedId);
    expect(spans).toHaveLength(13); // root + 2 processes + 3 threads + 7 slices
    expect(summary.name).toBe('hta-pytorch-profiler-backward-thread-excerpt.json');
    expect(parentName(one('ProfilerStep#552'))).toBe('thread 3914');
    expect(parentName(one('## backward ##'))).toBe('ProfilerStep#552');
    // tid 24922: evaluate_function ⊃ AddmmBackward0 ⊃ aten::mm ⊃ cudaLaunchKernel (364374 + 10 ≤ 364330 + 58)
    expect(parentName(one('AddmmBackward0'))).toBe('autograd::engine::evaluate_function: AddmmBackward0');
    expect(parentName(one('aten::mm'))).toBe('AddmmBackward0');
    expect(parentName(one('cudaLaunchKernel'))).toBe('aten::mm');
    expect(parentName(one('thread 24922'))).toBe('process 3914');
    const kernel = spans.find((s) => s.name.startsWith('void cutlass::Kernel'))!;
    expect(parentName(kernel)).toBe('thread 7');
    expect(parentName(one('thread 7'))).toBe('process 0');
    expect(parentName(one('process 0'))).toBe(summary.name);
  });

  it('converts µs to epoch ms and keeps args (correlation links CPU launch and GPU kernel)', async () => {
    const { ws, result, cleanup } = await importFixture(rel);
    cleanups.push(cleanup);
    const { one, spans, summary } = view(ws, result.traceIds[0]!);
    const step = one('ProfilerStep#552');
    expect(step.startMs).toBeCloseTo(1666149715033.2, 3);
    expect(step.endMs! - step.startMs).toBeCloseTo(413.451, 3);
    expect(summary.startMs).toBeCloseTo(1666149715033.2, 3);
    expect(summary.durationMs).toBeCloseTo(413.451, 3); // nothing ends after the step
    expect(one('aten::mm').attributes.args).toMatchObject({ 'Input Dims': [[2048, 2048], [2048, 256]] });
    const kernel = spans.find((s) => s.name.startsWith('void cutlass::Kernel'))!;
    expect((one('cudaLaunchKernel').attributes.args as { correlation: number }).correlation).toBe(
      (kernel.attributes.args as { correlation: number }).correlation,
    );
    expect(one('aten::mm').sourceKind).toBe('cpu_op');
  });
});

describe('Chrome trace: gzip PyTorch profiler trace (16 X, 12 M, 2 i)', () => {
  const rel = 'chrome-trace/hta-pytorch-profiler-cpu-only-rank-34.pt.trace.json.gz';

  it('imports through the gzip pipeline with process/thread names from M events', async () => {
    const { ws, result, cleanup } = await importFixture(rel);
    cleanups.push(cleanup);
    expect(result.format).toBe('chrome-trace');
    expect(result.traceIds).toHaveLength(1);
    const { spans, one, byName, parentName, summary } = view(ws, result.traceIds[0]!);
    expect(spans).toHaveLength(23); // root + 2 processes + 4 threads + 16 slices
    expect(summary.name).toBe('hta-pytorch-profiler-cpu-only-rank-34.pt.trace.json');
    expect(summary.service).toBe('pyper:trainer:8:2');
    expect(byName('gloo:all_reduce')).toHaveLength(10);
    expect(byName('gloo:all_reduce').filter((s) => parentName(s) === 'thread 3553 (pt_main_thread)')).toHaveLength(5);
    expect(parentName(one('thread 3553 (pt_main_thread)'))).toBe('pyper:trainer:8:2');
    expect(one('pyper:trainer:8:2').attributes.labels).toBe('CPU');
    // the aten::empty calls start after ProfilerStep#551 ends: siblings, not children
    expect(byName('aten::empty').every((s) => parentName(s) === 'thread 1074 (pt_main_thread)')).toBe(true);
    // pid "Spans" / tid "PyTorch Profiler" have no name metadata: string ids are kept as they are
    expect(parentName(one('PyTorch Profiler (0)'))).toBe('thread PyTorch Profiler');
    expect(parentName(one('thread PyTorch Profiler'))).toBe('process Spans');
    // two global-scope instants are events on the root
    const root = spans.find((s) => s.parentId === null)!;
    expect(root.events.map((e) => e.name)).toEqual(['Iteration Start: PyTorch Profiler', 'Record Window End']);
  });

  it('adds baseTimeNanoseconds to the relative ts values', async () => {
    const { ws, result, cleanup } = await importFixture(rel);
    cleanups.push(cleanup);
    const { one } = view(ws, result.traceIds[0]!);
    const step = one('ProfilerStep#551');
    // base 1719853884000000000 ns + ts 1212075529876.817 µs → 2024-07-15T17:52:39.529Z (the
    // INFO lines say 10:52 local, PDT)
    expect(step.startMs).toBeCloseTo(1719853884000 + 1212075529.876817, 2);
    expect(new Date(step.startMs).toISOString()).toBe('2024-07-15T17:52:39.529Z');
    expect(step.endMs! - step.startMs).toBeCloseTo(210.109162, 3);
  });
});

describe('Chrome trace: B/E pairs, instants, counters, async and the array format', () => {
  async function importEvents(text: string) {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const result = await importBuffer(t.ws, 'events.json', Buffer.from(text), { format: 'chrome-trace' });
    return { result, ...view(t.ws, result.traceIds[0]!) };
  }

  const events = [
    { ph: 'M', name: 'process_name', pid: 1, tid: 0, args: { name: 'agent' } },
    { ph: 'M', name: 'thread_name', pid: 1, tid: 2, args: { name: 'main' } },
    { ph: 'B', name: 'outer', pid: 1, tid: 2, ts: 1000 },
    { ph: 'B', name: 'inner', pid: 1, tid: 2, ts: 1100, args: { a: 1 } },
    { ph: 'i', name: 'tick', pid: 1, tid: 2, ts: 1150, s: 't' },
    { ph: 'E', pid: 1, tid: 2, ts: 1200, args: { b: 2 } },
    { ph: 'X', name: 'sibling', pid: 1, tid: 2, ts: 1300, dur: 50 },
    { ph: 'E', pid: 1, tid: 2, ts: 2000 },
    { ph: 'C', name: 'mem', pid: 1, ts: 1500, args: { v: 3 } },
    { ph: 'b', cat: 'net', id: '0x1', name: 'request', pid: 1, tid: 2, ts: 1000 },
    { ph: 'n', cat: 'net', id: '0x1', name: 'headers', pid: 1, tid: 2, ts: 1400 },
    { ph: 'e', cat: 'net', id: '0x1', name: 'request', pid: 1, tid: 2, ts: 3000 },
    { ph: 's', id: 1, pid: 1, tid: 2, ts: 1000 },
  ];

  it('pairs B/E on a thread stack, merges E args, nests X inside and places instants', async () => {
    // JSON Array Format: trailing comma and no closing bracket are allowed
    const text = `[${events.map((e) => JSON.stringify(e)).join(',\n')},\n`;
    const { one, parentName, result } = await importEvents(text);
    const outer = one('outer');
    expect([outer.startMs, outer.endMs]).toEqual([1, 2]);
    expect(parentName(outer)).toBe('main');
    expect(parentName(one('main'))).toBe('agent');
    const inner = one('inner');
    expect(parentName(inner)).toBe('outer');
    expect(inner.attributes.args).toEqual({ a: 1, b: 2 });
    expect(inner.events.map((e) => [e.name, e.timeMs])).toEqual([['tick', 1.15]]);
    expect(parentName(one('sibling'))).toBe('outer');
    expect(one('agent').events.map((e) => e.name)).toEqual(['counter mem']);
    const req = one('request');
    expect(parentName(req)).toBe('agent');
    expect([req.startMs, req.endMs]).toEqual([1, 3]);
    expect(req.events.map((e) => e.name)).toEqual(['headers']);
    expect(result.warnings.join('\n')).toMatch(/1× s/);
  });

  it('keeps a B without E open and warns about an E without B', async () => {
    const { one, result } = await importEvents(
      JSON.stringify({
        traceEvents: [
          { ph: 'E', pid: 1, tid: 1, ts: 5 },
          { ph: 'B', name: 'never ends', pid: 1, tid: 1, ts: 10 },
        ],
      }),
    );
    expect(one('never ends').endMs).toBeNull();
    expect(result.warnings.join('\n')).toMatch(/1 end event\(s\) without a matching begin/);
    expect(result.warnings.join('\n')).toMatch(/1 begin \(B\) event\(s\) never ended/);
  });

  it('names the problem for files that are not traces', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    await expect(
      importBuffer(t.ws, 'x.json', Buffer.from('{"foo": 1}'), { format: 'chrome-trace' }),
    ).rejects.toThrow(/^x\.json \(at \$\.traceEvents\): not a Chrome trace/);
    await expect(
      importBuffer(t.ws, 'y.json', Buffer.from('{"traceEvents": [{"ph": "X", "name": "a", "pid": 1, "tid": 1}]}'), {
        format: 'chrome-trace',
      }),
    ).rejects.toThrow(/\$\.traceEvents\[0\]\.ts.*has no numeric ts/);
    await expect(
      importBuffer(t.ws, 'z.json', Buffer.from('{"traceEvents": [\n{"ph": "X",\n"ts": 1,,}]}'), { format: 'chrome-trace' }),
    ).rejects.toThrow(/^z\.json \(line 3/);
    expect(t.ws.traceIds()).toEqual([]);
  });
});
