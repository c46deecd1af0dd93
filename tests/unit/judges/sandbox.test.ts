import { afterAll, describe, expect, it } from 'vitest';
import { compileJudgeSource } from '../../../src/core/judges/compile';
import { JudgeSandbox, type SandboxOptions, type SandboxResult } from '../../../src/core/judges/sandbox/pool';

/** A small trace in the wire form the runner sends (see traceAccess.ts TraceWire). */
function wire(traceId: string, toolError = false): string {
  return JSON.stringify({
    info: {
      traceId,
      name: `trace ${traceId}`,
      format: 'otlp-json',
      service: null,
      version: null,
      sessionId: null,
      startMs: 0,
      endMs: 10,
      durationMs: 10,
      status: toolError ? 'error' : 'ok',
      spanCount: 2,
      errorCount: toolError ? 1 : 0,
      m: { input: 'hi' },
    },
    spans: [
      ['root', null, 'agent run', 'agent', 'ok', 0, 10, null, null, { attributes: {}, events: [] }],
      ['t1', 'root', 'call search', 'tool', toolError ? 'error' : 'ok', 1, 3, null, null, { attributes: {}, events: [], toolCall: { name: 'search', arguments: { q: 'x' }, isError: toolError } }],
    ],
  });
}

const sandboxes: JudgeSandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

let keyN = 0;
async function run(source: string, texts: string[], opts: SandboxOptions = {}): Promise<SandboxResult[]> {
  const c = compileJudgeSource(source);
  expect(c.diagnostics).toEqual([]);
  const sb = new JudgeSandbox({ timeoutMs: 500, ...opts });
  sandboxes.push(sb);
  return sb.run({ key: `k${++keyN}`, js: c.js }, texts);
}

const ok = (r: SandboxResult) => {
  if (!r.ok) throw new Error(`expected a verdict, got error: ${r.error}`);
  return r.verdict;
};
const err = (r: SandboxResult) => {
  if (r.ok) throw new Error(`expected an error, got verdict ${JSON.stringify(r.verdict)}`);
  return r;
};

describe('code judges in the sandbox', () => {
  it('runs a typed judge and returns its verdict with evidence and logs', async () => {
    const [a, b] = await run(
      `import type { Trace, JudgeResult } from 'tracedeck/judge';
       export default function (trace: Trace): JudgeResult {
         const bad = trace.toolCalls().filter((t) => t.isError);
         console.log('checked', trace.id, bad.length);
         return { pass: bad.length === 0, score: bad.length, rationale: bad.map((t) => t.name).join(','), evidenceSpanIds: bad };
       }`,
      [wire('a'), wire('b', true)],
    );
    expect(ok(a!)).toEqual({ pass: true, score: 0, rationale: '', evidenceSpanIds: [] });
    expect(a!.logs).toEqual(['checked a 0']);
    expect(ok(b!)).toEqual({ pass: false, score: 1, rationale: 'search', evidenceSpanIds: ['t1'] });
  });

  it('accepts defineJudge objects and boolean returns', async () => {
    const [r] = await run(
      `import { defineJudge } from 'tracedeck/judge';
       export default defineJudge({ name: 'x', run: (t) => t.spans.length === 2 });`,
      [wire('a')],
    );
    expect(ok(r!).pass).toBe(true);
  });

  it('records a judge that throws as an error, not a fail', async () => {
    const [r] = await run(`export default function () { throw new Error('boom'); }`, [wire('a')]);
    expect(err(r!).kind).toBe('throw');
    expect(err(r!).error).toMatch(/^Error: boom/);
  });

  it('rejects results that are not verdicts', async () => {
    const [a, b, c] = await Promise.all([
      run(`export default function () { return 'yes'; }`, [wire('a')]),
      run(`export default function () { return Promise.resolve(true); }`, [wire('a')]),
      run(`export default function () { return { pass: 1 }; }`, [wire('a')]),
    ]).then((rs) => rs.map((r) => r[0]!));
    expect(err(a!).error).toMatch(/must return a boolean/);
    expect(err(b!).error).toMatch(/synchronous/);
    expect(err(c!).error).toMatch(/pass: boolean/);
  });

  it('reports a file without a default export', async () => {
    const [r] = await run(`export const meta = { name: 'x' };`, [wire('a')]);
    expect(err(r!).kind).toBe('load');
  });
});

describe('isolation', () => {
  it('denies require, process, fetch, timers and Node globals', async () => {
    const [r] = await run(
      `export default function () {
         const g: any = globalThis;
         const seen = ['require', 'process', 'fetch', 'setTimeout', 'setImmediate', 'Buffer', 'global', 'module', 'exports',
           'SharedArrayBuffer', 'Atomics', 'WebAssembly', '__filename', 'XMLHttpRequest', 'WebSocket']
           .filter((k) => typeof g[k] !== 'undefined');
         return { pass: seen.length === 0, rationale: seen.join(',') };
       }`,
      [wire('a')],
    );
    expect(ok(r!)).toMatchObject({ pass: true, rationale: '' });
  });

  it('denies importing fs', async () => {
    const [r] = await run(`import * as fs from 'fs'; export default function () { return !!fs; }`, [wire('a')]);
    expect(err(r!).kind).toBe('load');
    expect(err(r!).error).toMatch(/cannot import 'fs'/);
    const [d] = await run(`export default function () { const p = import('node:fs'); return { pass: false, rationale: typeof p }; }`, [wire('a')]);
    // import() yields a rejected promise inside the sandbox and nothing else.
    expect(ok(d!)).toMatchObject({ pass: false, rationale: 'object' });
  });

  it('blocks constructor escapes to the host Function (trace objects, globalThis, functions)', async () => {
    const [r] = await run(
      `export default function (trace: any) {
         const attempts: [string, () => any][] = [
           ['trace.constructor', () => trace.constructor.constructor('return process')()],
           ['span.constructor', () => trace.spans[0].constructor.constructor('return process')()],
           ['array.constructor', () => trace.spans.constructor.constructor('return process')()],
           ['globalThis.constructor', () => (globalThis as any).constructor.constructor('return process')()],
           ['arrow.constructor', () => (() => 0).constructor('return process')()],
           ['console.log.constructor', () => (console.log as any).constructor('return process')()],
           ['eval', () => (0, eval)('process')],
           ['Function', () => Function('return process')()],
           ['proto chain', () => Object.getPrototypeOf(Object.getPrototypeOf(trace)).constructor.constructor('return process')()],
         ];
         const escaped: string[] = [];
         for (const [name, f] of attempts) {
           try { const p = f(); if (p && typeof p.pid === 'number') escaped.push(name); } catch { /* denied */ }
         }
         return { pass: escaped.length === 0, rationale: escaped.join(',') };
       }`,
      [wire('a')],
    );
    expect(ok(r!)).toMatchObject({ pass: true, rationale: '' });
  });

  it('freezes intrinsics and the trace: no prototype pollution, no edits carried to the next run', async () => {
    const [proto, push, span, sort] = await Promise.all([
      run(`export default function () { (Object.prototype as any).polluted = 'yes'; return true; }`, [wire('a')]),
      run(`export default function () { (Array.prototype as any).push = () => 0; return true; }`, [wire('a')]),
      run(`export default function (t: any) { t.spans[0].name = 'renamed'; return true; }`, [wire('a')]),
      run(`export default function (t: any) { t.spans.sort(); return true; }`, [wire('a')]),
    ]).then((rs) => rs.map((r) => r[0]!));
    expect(err(proto!).error).toMatch(/^TypeError: Cannot add property polluted, object is not extensible/);
    expect(err(push!).error).toMatch(/^TypeError: Cannot assign to read only property 'push'/);
    expect(err(span!).error).toMatch(/^TypeError: Cannot assign to read only property 'name'/);
    expect(err(sort!).error).toMatch(/^TypeError/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Copies are the judge's own.
    const [copy] = await run(`export default function (t: any) { const s = [...t.spans].sort((a: any, b: any) => b.startMs - a.startMs); return { pass: s[0].spanId === 't1' }; }`, [wire('a')]);
    expect(ok(copy!).pass).toBe(true);
  });

  it('keeps the decoded trace between editor re-runs, each run with a fresh judge', async () => {
    const sb = new JudgeSandbox({ timeoutMs: 300 });
    sandboxes.push(sb);
    const js = (src: string) => compileJudgeSource(src).js;
    const text = wire('live', true);
    const a = await sb.preview({ key: 'p1', js: js(`export default (t: any) => ({ pass: true, rationale: t.toolCalls().map((c: any) => c.name).join() })`) }, 'live@1', text);
    expect(ok(a).rationale).toBe('search');
    // Mutation attempts fail and leave nothing behind for the next run.
    const b = await sb.preview({ key: 'p2', js: js(`export default (t: any) => { t.toolCalls()[0].name = 'x'; return true; }`) }, 'live@1', text);
    expect(err(b).error).toMatch(/read only property 'name'/);
    const c = await sb.preview({ key: 'p3', js: js(`export default (t: any) => ({ pass: t.toolCalls()[0].name === 'search' })`) }, 'live@1', '');
    expect(ok(c).pass).toBe(true); // no text sent: the worker still has the trace
    // A loop is stopped; the worker asks for the trace again and carries on.
    const d = await sb.preview({ key: 'p4', js: js(`export default () => { for (;;) {} }`) }, 'live@1', text);
    expect(err(d).kind).toBe('timeout');
    const e = await sb.preview({ key: 'p5', js: js(`export default (t: any) => t.spans.length === 2`) }, 'live@1', text);
    expect(ok(e).pass).toBe(true);
  });

  it('cancels one editor run by its signal, waiting or running, and leaves the other runs alone', async () => {
    const sb = new JudgeSandbox({ timeoutMs: 5000 });
    sandboxes.push(sb);
    const js = (src: string) => compileJudgeSource(src).js;
    const text = wire('live', true);
    const slow = { key: 's1', js: js(`export default () => { const t = Date.now(); while (Date.now() - t < 800) {} return { pass: true, rationale: 'slow' }; }`) };
    const quick = (key: string) => ({ key, js: js(`export default (t: any) => ({ pass: true, rationale: 'quick ' + t.spans.length })`) });
    // One worker: the slow run holds it, the second waits, the third waits behind it.
    const running = new AbortController();
    const waiting = new AbortController();
    const a = sb.preview(slow, 'live@1', text, running.signal);
    const b = sb.preview(quick('q1'), 'live@1', text, waiting.signal);
    const c = sb.preview(quick('q2'), 'live@1', text);
    waiting.abort();
    expect(await b).toMatchObject({ ok: false, kind: 'cancelled' });
    await new Promise((r) => setTimeout(r, 200));
    running.abort();
    expect(await a).toMatchObject({ ok: false, kind: 'cancelled' });
    // The run that named no signal still gets its verdict (from a fresh worker).
    expect(ok(await c).rationale).toBe('quick 2');
    // A signal aborted before the call answers at once; one never aborted changes nothing.
    expect(await sb.preview(quick('q3'), 'live@1', text, AbortSignal.abort())).toMatchObject({ ok: false, kind: 'cancelled' });
    expect(ok(await sb.preview(quick('q4'), 'live@1', text, new AbortController().signal)).rationale).toBe('quick 2');
  });

  it('stops an infinite loop and still judges the other traces of the batch', async () => {
    const t0 = Date.now();
    const rs = await run(
      `export default function (trace: any) { if (trace.id === 'loop') { for (;;) {} } return true; }`,
      [wire('a'), wire('loop'), wire('c'), wire('d')],
      { timeoutMs: 300 },
    );
    expect(ok(rs[0]!).pass).toBe(true);
    expect(err(rs[1]!).kind).toBe('timeout');
    expect(err(rs[1]!).error).toMatch(/300 ms time limit/);
    expect(ok(rs[2]!).pass).toBe(true);
    expect(ok(rs[3]!).pass).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops a loop in top-level code and promise-job loops', async () => {
    const [top] = await run(`while (true) {} export default function () { return true; }`, [wire('a')], { timeoutMs: 200 });
    expect(err(top!).kind).toBe('timeout');
    const [jobs] = await run(
      `export default function () { const f = (): any => Promise.resolve().then(f); f(); return true; }`,
      [wire('a')],
      { timeoutMs: 200 },
    );
    // The verdict was produced before the job loop; the loop itself is cut by the timeout.
    expect(jobs!.ok ? 'verdict' : jobs!.kind).toMatch(/verdict|timeout/);
  });

  it('stops a memory bomb, names its trace, and judges the others', async () => {
    const rs = await run(
      `export default function (trace: any) {
         if (trace.id === 'bomb') { const keep: number[][] = []; for (;;) keep.push(new Array(1_000_000).fill(1.5)); }
         return true;
       }`,
      [wire('a'), wire('bomb'), wire('c')],
      { timeoutMs: 20_000, memoryMb: 64 },
    );
    expect(ok(rs[0]!).pass).toBe(true);
    expect(err(rs[1]!).kind).toBe('memory');
    expect(err(rs[1]!).error).toMatch(/64 MB memory limit/);
    expect(ok(rs[2]!).pass).toBe(true);
  }, 60_000);

  it('stops native memory outside the V8 heap: the whole judge process is limited (issue 11 item 6)', async () => {
    // Each Intl.Segmenter holds about 6 KB of ICU memory and a few bytes of heap: 100,000 of
    // them are about 650 MB resident while the heap stays near 16 MB, far under its 64 MB limit.
    // The process limit (64 + 320 MB) stops it; before, the judge passed at ~700 MB RSS.
    const rs = await run(
      `export default function (trace: any) {
         if (trace.id === 'segmenters') {
           const keep: unknown[] = [];
           for (let i = 0; i < 100_000; i++) keep.push(new Intl.Segmenter('en', { granularity: 'word' }));
           return keep.length > 0;
         }
         return true;
       }`,
      [wire('a'), wire('segmenters'), wire('c')],
      { timeoutMs: 120_000, memoryMb: 64 },
    );
    expect(ok(rs[0]!).pass).toBe(true);
    expect(err(rs[1]!).kind).toBe('memory');
    expect(err(rs[1]!).error).toMatch(/64 MB memory limit: its process used \d+ MB \(at most 384 MB with the runtime\)/);
    expect(ok(rs[2]!).pass).toBe(true);
  }, 180_000);

  it('survives a recursion bomb (stack overflow is an ordinary error)', async () => {
    const [r] = await run(`export default function f(t: any): any { return f(t); }`, [wire('a')]);
    expect(err(r!).error).toMatch(/RangeError: Maximum call stack/);
  });

  it('can be cancelled', async () => {
    const c = compileJudgeSource(`export default function () { for (;;) {} }`);
    const sb = new JudgeSandbox({ timeoutMs: 30_000 });
    sandboxes.push(sb);
    const p = sb.run({ key: 'cancel', js: c.js }, [wire('a'), wire('b')]);
    setTimeout(() => sb.cancel(), 200);
    const rs = await p;
    expect(rs.every((r) => !r.ok && r.kind === 'cancelled')).toBe(true);
  });
});
