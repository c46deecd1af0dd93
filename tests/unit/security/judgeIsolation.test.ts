import { afterAll, describe, expect, it } from 'vitest';
import { compileJudgeSource } from '../../../src/core/judges/compile';
import { JudgeSandbox, type SandboxOptions, type SandboxResult } from '../../../src/core/judges/sandbox/pool';

// Code-judge isolation, beyond what tests/unit/judges/sandbox.test.ts already proves (require,
// process, fetch, timers, import 'fs', Function-constructor escapes from trace objects, frozen
// intrinsics, loops, a heap memory bomb, recursion): binary-buffer memory the heap limit does
// not bound, the other function constructors and stack-trace hooks, every Node module a judge
// could use for files, sockets or processes, host globals, and loops hidden in finally blocks.

function wire(traceId: string): string {
  return JSON.stringify({
    info: { traceId, name: traceId, format: 'otlp-json', service: null, version: null, sessionId: null, startMs: 0, endMs: 10, durationMs: 10, status: 'ok', spanCount: 1, errorCount: 0, m: {} },
    spans: [['root', null, 'agent run', 'agent', 'ok', 0, 10, null, null, { attributes: {}, events: [] }]],
  });
}

const sandboxes: JudgeSandbox[] = [];
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

let n = 0;
async function run(source: string, texts: string[], opts: SandboxOptions = {}): Promise<SandboxResult[]> {
  const c = compileJudgeSource(source);
  const sb = new JudgeSandbox({ timeoutMs: 1000, ...opts });
  sandboxes.push(sb);
  return sb.run({ key: `iso${++n}`, js: c.js }, texts);
}

const verdict = (r: SandboxResult) => {
  if (!r.ok) throw new Error(`expected a verdict, got ${r.kind}: ${r.error}`);
  return r.verdict;
};
const failure = (r: SandboxResult) => {
  if (r.ok) throw new Error(`expected an error, got verdict ${JSON.stringify(r.verdict)}`);
  return r;
};

describe('code-judge isolation (extends tests/unit/judges/sandbox.test.ts)', () => {
  it('has no binary buffers: ArrayBuffer memory would escape the worker’s heap limit', async () => {
    // Before the fix this judge filled 1.5 GB of Uint8Arrays under a 64 MB limit and the app's
    // RSS grew with it. The loop is capped so a regression fails the test instead of the machine.
    const rssBefore = process.memoryUsage().rss;
    const [bomb] = await run(
      `export default function () {
         const keep: any[] = []; let total = 0;
         while (total < 768 * 1024 * 1024) { const b = new Uint8Array(64 * 1024 * 1024); b.fill(1); keep.push(b); total += b.length; }
         return { pass: true, rationale: String(total) };
       }`,
      [wire('bomb')],
      { memoryMb: 64, timeoutMs: 20_000 },
    );
    expect(failure(bomb!).error).toMatch(/Uint8Array is not defined/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);

    const [probe] = await run(
      `export default function () {
         const g: any = globalThis;
         const names = ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
           'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
           'Atomics', 'WebAssembly'];
         const found = names.filter((k) => typeof g[k] !== 'undefined');
         // nor reachable through the trace object
         let viaTrace = '';
         try { viaTrace = typeof (Object.getPrototypeOf(g) as any).Int32Array; } catch { viaTrace = 'threw'; }
         return { pass: found.length === 0, rationale: found.join(',') + '|' + viaTrace };
       }`,
      [wire('a')],
    );
    expect(verdict(probe!)).toMatchObject({ pass: true, rationale: '|undefined' });
  });

  it('blocks the other function constructors and stack-trace hooks as escapes to the host', async () => {
    const [r] = await run(
      `export default function (trace: any) {
         const ctor = (f: any) => f.constructor;
         const attempts: [string, () => any][] = [
           ['AsyncFunction', () => ctor(async () => 0)('return process')],
           ['GeneratorFunction', () => ctor(function* () {})('return process')().next().value],
           ['AsyncGeneratorFunction', () => ctor(async function* () {})('return process')],
           ['Reflect.construct(Function)', () => Reflect.construct(Function, ['return process'])()],
           ['bound Function', () => Function.prototype.bind.call(Function, null, 'return process')()()],
           ['trace method constructor', () => trace.toolCalls.constructor('return process')()],
           ['prepareStackTrace', () => {
             let leaked: any = null;
             (Error as any).prepareStackTrace = (_e: any, frames: any[]) => {
               for (const f of frames) { try { const t = f.getThis(); if (t && t.process) leaked = t.process; const fn = f.getFunction(); if (fn) leaked = leaked || fn.constructor('return process')(); } catch {} }
               return '';
             };
             void new Error('x').stack;
             return leaked;
           }],
           ['captureStackTrace', () => { const o: any = {}; (Error as any).captureStackTrace?.(o); return o.stack && (o as any).process; }],
         ];
         const escaped: string[] = [];
         for (const [name, f] of attempts) {
           try { const p = f(); if (p && typeof p.pid === 'number') escaped.push(name); } catch { /* denied */ }
         }
         return { pass: escaped.length === 0, rationale: escaped.join(',') };
       }`,
      [wire('a')],
    );
    expect(verdict(r!)).toMatchObject({ pass: true, rationale: '' });
  });

  it('cannot import any module for files, sockets, processes, threads or the VM', async () => {
    const modules = ['fs', 'node:fs/promises', 'net', 'node:http', 'https', 'tls', 'dgram', 'dns', 'child_process', 'node:worker_threads',
      'cluster', 'vm', 'module', 'os', 'inspector', 'process', 'v8', 'electron', 'better-sqlite3', '../../../src/core/store/workspace'];
    const results = await Promise.all(
      // 20 sandboxes (20 judge processes) at once: a generous time limit, so that a loaded
      // machine shows the import refusal and not a timeout.
      modules.map((m) => run(`import * as x from ${JSON.stringify(m)}; export default function () { return { pass: !!x }; }`, [wire('a')], { timeoutMs: 15_000 })),
    );
    results.forEach(([r], i) => {
      expect(failure(r!).kind, modules[i]).toBe('load');
      expect(failure(r!).error, modules[i]).toMatch(/cannot import/);
    });
    // require() is not there either, nor a way to get one.
    const [req] = await run(
      `export default function () {
         const g: any = globalThis;
         const found = ['require', 'module', 'process', 'global', 'Buffer', 'navigator', 'performance', 'queueMicrotask', 'structuredClone',
           'crypto', 'TextEncoder', 'TextDecoder', 'URL', 'EventTarget', 'MessageChannel', 'BroadcastChannel', 'Worker', 'Blob', 'Response',
           'fetch', 'WebSocket', 'setInterval', 'clearTimeout', 'importScripts', 'postMessage', 'onmessage'].filter((k) => typeof g[k] !== 'undefined');
         return { pass: found.length === 0, rationale: found.join(',') };
       }`,
      [wire('a')],
    );
    expect(verdict(req!)).toMatchObject({ pass: true, rationale: '' });
  });

  it('cannot see or change the app’s globals, and leaves nothing for the next run', async () => {
    const host = globalThis as Record<string, unknown>;
    host.__tracedeckHostSecret = 'secret-from-the-app';
    try {
      const [a] = await run(
        `export default function () {
           const g: any = globalThis;
           let frozen = 'no';
           try { g.__leak = 'from judge'; } catch { frozen = 'yes'; } // the judge's global is frozen
           try { (Object as any).prototype.__leak2 = 1; } catch {}
           return { pass: g.__tracedeckHostSecret === undefined, rationale: String(g.__tracedeckHostSecret) + ' frozen:' + frozen };
         }`,
        [wire('a')],
      );
      expect(verdict(a!)).toMatchObject({ pass: true, rationale: 'undefined frozen:yes' });
      expect(host.__leak).toBeUndefined();
      expect(({} as Record<string, unknown>).__leak2).toBeUndefined();
      const [b] = await run(`export default function () { return { pass: (globalThis as any).__leak === undefined }; }`, [wire('b')]);
      expect(verdict(b!).pass).toBe(true);
    } finally {
      delete host.__tracedeckHostSecret;
    }
  });

  it('stops loops hidden in catch and finally blocks, and judges the rest of the batch', async () => {
    const rs = await run(
      `export default function (t: any) {
         if (t.id === 'catch') { try { for (;;) {} } catch { for (;;) {} } }
         if (t.id === 'finally') { try { for (;;) {} } finally { for (;;) {} } }
         return true;
       }`,
      [wire('catch'), wire('ok1'), wire('finally'), wire('ok2')],
      { timeoutMs: 300 },
    );
    expect(rs.map((r) => (r.ok ? 'pass' : r.kind))).toEqual(['timeout', 'pass', 'timeout', 'pass']);
  }, 30_000);

  it('stops a string-building memory bomb at the heap limit', async () => {
    const rs = await run(
      `export default function (t: any) {
         if (t.id === 'bomb') { const keep: string[] = []; for (let i = 0; ; i++) keep.push('x'.repeat(1 << 20) + i); }
         return true;
       }`,
      [wire('bomb'), wire('after')],
      { memoryMb: 64, timeoutMs: 20_000 },
    );
    expect(failure(rs[0]!).kind).toBe('memory');
    expect(verdict(rs[1]!).pass).toBe(true);
  }, 60_000);
});
