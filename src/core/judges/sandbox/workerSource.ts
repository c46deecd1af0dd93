/**
 * Source of the code-judge worker (run with `new Worker(src, { eval: true })`, so it needs no
 * file on disk and works the same under tsx, vitest and a bundled app).
 *
 * Isolation model:
 * - the judge runs in a fresh `vm` context per batch, created with DONT_CONTEXTIFY (an ordinary
 *   global with ECMAScript builtins only: no require, process, fetch, import(), timers), with
 *   code generation from strings and WebAssembly disabled;
 * - nothing from the worker's own realm enters the context: trace data arrives as JSON text
 *   (strings are primitives) and is parsed inside; results leave as JSON text. The worker calls
 *   only functions the prelude created before any judge code ran, and reads only primitives;
 * - every timed run is bounded by the vm timeout (sync loops, promise-job loops via
 *   microtaskMode 'afterEvaluate'); memory by the worker's resourceLimits; the host terminates
 *   the worker when it stops answering (hard stop).
 *
 * Protocol (host → worker): { type: 'batch', id, key, js, texts: string (wire JSON texts joined
 * by \u0000), timeoutMs, sliceMs }. Worker → host: { type: 'tick', id, results: string[] } after
 * every slice, then { type: 'done', id } or { type: 'failed', id, error }.
 */
import { TRACE_ACCESS_JS } from '../generated/judgeApi.generated';

const PRELUDE = String.raw`
(function () {
  'use strict';
  var exports = {};
  var module = { exports: exports };
  // Int32Array is passed in as a local: the trace API needs it, judges do not get it (below).
  (function (exports, module, Int32Array) {
/*TRACE_ACCESS_JS*/
  })(exports, module, Int32Array);
  var api = exports;
  var KeptInt32Array = Int32Array; // the trace API's, kept for lockdown() after the globals go
  var stringify = JSON.stringify;
  var parse = JSON.parse;
  var now = Date.now;
  var StringCtor = String;
  var defineProperty = Object.defineProperty;
  var freeze = Object.freeze;
  var MAX_LOG_LINES = 200;
  var MAX_LOG_CHARS = 4000;

  // Results and logs are kept as strings: the worker reads them after judge code ran, and
  // string concatenation cannot be hooked the way array element access can.
  var logs = '';
  var logCount = 0;
  function fmt(v) {
    if (typeof v === 'string') return v;
    try { var s = stringify(v); return s === undefined ? StringCtor(v) : s; } catch (e) { return '[unprintable]'; }
  }
  function logger(level) {
    return function () {
      if (logCount >= MAX_LOG_LINES) return;
      var line = '';
      for (var i = 0; i < arguments.length; i++) line += (i ? ' ' : '') + fmt(arguments[i]);
      if (line.length > MAX_LOG_CHARS) line = line.slice(0, MAX_LOG_CHARS) + '…';
      logs += (logCount ? '\n' : '') + (level === 'log' ? '' : level + ': ') + line;
      logCount++;
    };
  }
  var consoleObj = freeze({ log: logger('log'), info: logger('info'), warn: logger('warn'), error: logger('error'), debug: logger('debug') });

  // Shared memory and wasm are of no use to a judge and only widen the surface.
  delete globalThis.SharedArrayBuffer;
  delete globalThis.Atomics;
  delete globalThis.WebAssembly;
  // ArrayBuffer memory lives outside the V8 heap, so the worker's memory limit does not bound
  // it: a judge filled 1.5 GB of Uint8Arrays under a 64 MB limit in 1.3 s
  // (tests/unit/security/judgeIsolation.test.ts). Judges read JSON; they get no binary buffers.
  ['ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
    'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']
    .forEach(function (k) { delete globalThis[k]; });
  globalThis.console = consoleObj;

  var judgeFn = null;
  var loadError = null;
  var texts = [];
  var index = 0;
  var results = '';
  var timeoutMs = 5000;

  function describe(e) {
    try {
      if (e && typeof e === 'object' && typeof e.message === 'string') {
        var name = typeof e.name === 'string' ? e.name : 'Error';
        var stack = typeof e.stack === 'string' ? e.stack : '';
        var at = '';
        var m = /judge\.ts:(\d+):(\d+)/.exec(stack);
        if (m) at = ' (judge.ts:' + m[1] + ':' + m[2] + ')';
        return name + ': ' + e.message + at;
      }
      return 'thrown: ' + fmt(e);
    } catch (x) {
      return 'thrown: [unprintable]';
    }
  }

  var judgeModule = freeze({
    defineJudge: function (def) { return def; },
  });
  function requireFn(name) {
    if (name === 'tracedeck/judge') return judgeModule;
    throw new Error("judges cannot import '" + StringCtor(name) + "': only types from 'tracedeck/judge' are available");
  }

  function load(factory) {
    judgeFn = null;
    loadError = null;
    var mod = { exports: {} };
    try {
      factory(mod.exports, mod, requireFn, consoleObj);
      var ex = mod.exports;
      var d = ex && (ex.__esModule || 'default' in ex) ? ex['default'] : ex;
      if (typeof d === 'function') judgeFn = d;
      else if (d && typeof d === 'object' && typeof d.run === 'function') {
        var obj = d;
        judgeFn = function (t) { return obj.run(t); };
      } else loadError = 'the judge file must export default a function (trace) => verdict, or defineJudge({ run })';
    } catch (e) {
      loadError = describe(e);
    }
  }

  function setBatch(joined, limitMs) {
    texts = joined.split('\u0000');
    index = 0;
    results = '';
    timeoutMs = limitMs;
  }

  // One judge on one trace (a wire text, or the decoded trace kept for the editor), as JSON text.
  function judgeOne(text, ready) {
    logs = '';
    logCount = 0;
    var t0 = now();
    var out;
    if (loadError !== null || judgeFn === null) {
      out = { ok: false, error: loadError || 'no judge loaded', kind: 'load', ms: 0 };
    } else {
      try {
        // Read-only: a judge reads the trace (and cannot leave edits for the next run).
        var trace = ready || api.createTrace(api.decodeTraceWire(text), { freeze: true });
        var ret = judgeFn(trace);
        var v = api.normaliseJudgeReturn(ret, trace);
        out = { ok: true, v: v, ms: now() - t0 };
      } catch (e) {
        out = { ok: false, error: describe(e), kind: 'throw', ms: now() - t0 };
      }
    }
    if (out.ms > timeoutMs) out = { ok: false, error: 'exceeded the ' + timeoutMs + ' ms time limit (took ' + out.ms + ' ms)', kind: 'timeout', ms: out.ms };
    if (logCount) out.logs = logs;
    try {
      return stringify(out);
    } catch (e) {
      return stringify({ ok: false, error: 'verdict is not serialisable: ' + describe(e), kind: 'invalid', ms: out.ms });
    }
  }

  // Runs judges until the slice is used up, so one timed vm run covers many traces.
  function runSlice(sliceMs) {
    var sliceStart = now();
    while (index < texts.length && now() - sliceStart < sliceMs) {
      var i = index;
      var s = judgeOne(texts[i], null);
      results += (results ? '\u0000' : '') + s;
      texts[i] = '';
      index = i + 1;
    }
  }

  // The editor's live re-run: decode and index the trace once, then judge it again and again.
  var kept = null;
  function prepare() {
    kept = api.createTrace(api.decodeTraceWire(texts[0]), { freeze: true });
    // Warm the memoised views so that they are frozen before any judge sees them.
    kept.llmCalls();
    kept.toolCalls();
    texts = [];
  }
  function runKept() {
    results = judgeOne('', kept);
  }

  // Frozen intrinsics: a judge cannot change what the next judge run in this context sees
  // (the editor reuses a context across runs; batches get the same rules, so both behave alike).
  function lockdown() {
    var seen = [];
    var roots = [globalThis];
    var names = Object.getOwnPropertyNames(globalThis);
    for (var i = 0; i < names.length; i++) {
      var d = Object.getOwnPropertyDescriptor(globalThis, names[i]);
      if (d && 'value' in d && (typeof d.value === 'function' || (d.value && typeof d.value === 'object'))) roots.push(d.value);
    }
    roots.push(Object.getPrototypeOf(function* () {}), Object.getPrototypeOf([][Symbol.iterator]()), Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
    roots.push(Object.getPrototypeOf(new Map()[Symbol.iterator]()), Object.getPrototypeOf(new Set()[Symbol.iterator]()), Object.getPrototypeOf(''[Symbol.iterator]()));
    roots.push(KeptInt32Array, Object.getPrototypeOf(KeptInt32Array), Object.getPrototypeOf(/x/[Symbol.matchAll]('x')));
    while (roots.length) {
      var o = roots.pop();
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.indexOf(o) >= 0) continue;
      seen.push(o);
      var proto = Object.getPrototypeOf(o);
      if (proto) roots.push(proto);
      if (typeof o === 'function' && o.prototype) roots.push(o.prototype);
      Object.freeze(o);
    }
  }

  function takeResults() {
    var r = results;
    results = '';
    return r;
  }

  var host = freeze({
    load: load,
    runSlice: runSlice,
    prepare: prepare,
    runKept: runKept,
  });
  defineProperty(globalThis, '__tracedeck', { value: host, writable: false, configurable: false, enumerable: false });
  lockdown();
  // What the worker keeps: functions created here, before any judge code exists.
  return freeze({
    setBatch: setBatch,
    takeResults: takeResults,
    index: function () { return index; },
    total: function () { return texts.length; },
    logs: function () { return logs; },
  });
})()
`;

const WORKER = String.raw`
'use strict';
const vm = require('node:vm');
const { parentPort, workerData } = require('node:worker_threads');

// A rejected promise left behind by a judge (e.g. import()) must not kill the worker.
process.on('unhandledRejection', () => {});

const prelude = new vm.Script(workerData.prelude, { filename: 'tracedeck-prelude.js' });
const scripts = new Map();
const runSliceScripts = new Map();
const MAX_SCRIPTS = 64;

function judgeScript(key, js) {
  let s = scripts.get(key);
  if (!s) {
    if (scripts.size >= MAX_SCRIPTS) scripts.delete(scripts.keys().next().value);
    s = new vm.Script('__tracedeck.load(function (exports, module, require, console) {' + js + '\n})', {
      filename: 'judge.ts',
      importModuleDynamically: () => { throw new Error('import() is not available in judges'); },
    });
    scripts.set(key, s);
  }
  return s;
}

function sliceScript(ms) {
  let s = runSliceScripts.get(ms);
  if (!s) {
    s = new vm.Script('__tracedeck.runSlice(' + Number(ms) + ')', { filename: 'tracedeck-run.js' });
    runSliceScripts.set(ms, s);
  }
  return s;
}

function timeoutMessage(e) {
  return e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

function newContext() {
  const ctx = vm.createContext(vm.constants.DONT_CONTEXTIFY, {
    name: 'tracedeck-judge',
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  const ctl = prelude.runInContext(ctx, { timeout: 5000 });
  return { ctx, ctl };
}

const prepareScript = new vm.Script('__tracedeck.prepare()', { filename: 'tracedeck-prepare.js' });
const runKeptScript = new vm.Script('__tracedeck.runKept()', { filename: 'tracedeck-run.js' });
/** The editor's trace, decoded once and kept in its own context: { traceKey, ctx, ctl }. */
let kept = null;

function preview(msg) {
  const { id, key, js, traceKey, text, timeoutMs } = msg;
  const fail = (error, kind) => {
    parentPort.postMessage({ type: 'tick', id, results: [JSON.stringify({ ok: false, error, kind, ms: timeoutMs })] });
    parentPort.postMessage({ type: 'done', id });
  };
  try {
    if (!kept || kept.traceKey !== traceKey) {
      kept = null;
      if (typeof text !== 'string') {
        parentPort.postMessage({ type: 'need-text', id });
        return;
      }
      const { ctx, ctl } = newContext();
      ctl.setBatch(text, timeoutMs);
      prepareScript.runInContext(ctx, { timeout: Math.max(30000, timeoutMs) });
      kept = { traceKey, ctx, ctl };
    }
    const { ctx, ctl } = kept;
    ctl.setBatch('', timeoutMs);
    try {
      judgeScript(key, js).runInContext(ctx, { timeout: timeoutMs });
      runKeptScript.runInContext(ctx, { timeout: timeoutMs });
    } catch (e) {
      if (!timeoutMessage(e)) throw e;
      kept = null; // stopped mid-run: start the next run from a clean context
      return fail('stopped: exceeded the ' + timeoutMs + ' ms time limit (infinite loop?)', 'timeout');
    }
    parentPort.postMessage({ type: 'tick', id, results: [ctl.takeResults()] });
    parentPort.postMessage({ type: 'done', id });
  } catch (e) {
    kept = null;
    parentPort.postMessage({ type: 'failed', id, error: String(e && e.message ? e.message : e) });
  }
}

parentPort.on('message', (msg) => {
  if (msg.type === 'preview') return preview(msg);
  if (msg.type !== 'batch') return;
  const { id, key, js, texts, timeoutMs, sliceMs } = msg;
  try {
    const { ctx, ctl } = newContext();
    const setBatch = ctl.setBatch, takeResults = ctl.takeResults, index = ctl.index, total = ctl.total, logs = ctl.logs;
    setBatch(texts, timeoutMs);
    const n = total();
    try {
      judgeScript(key, js).runInContext(ctx, { timeout: timeoutMs });
    } catch (e) {
      if (!timeoutMessage(e)) throw e;
      // Top-level code looped: every trace of the batch gets the same error.
      const err = JSON.stringify({ ok: false, error: 'loading the judge exceeded the ' + timeoutMs + ' ms time limit', kind: 'timeout', ms: timeoutMs });
      parentPort.postMessage({ type: 'tick', id, results: new Array(n).fill(err) });
      parentPort.postMessage({ type: 'done', id });
      return;
    }
    const run = sliceScript(sliceMs);
    while (index() < n) {
      const before = index();
      let timedOut = false;
      try {
        run.runInContext(ctx, { timeout: sliceMs + timeoutMs });
      } catch (e) {
        if (!timeoutMessage(e)) throw e;
        timedOut = true;
      }
      const done = takeResults();
      const results = done ? done.split('\u0000') : [];
      if (timedOut) {
        // index() is the trace that was running when the watchdog fired.
        const culprit = index();
        const l = logs();
        results.push(JSON.stringify({ ok: false, error: 'stopped: exceeded the ' + timeoutMs + ' ms time limit (infinite loop?)', kind: 'timeout', ms: timeoutMs, logs: l || undefined }));
        parentPort.postMessage({ type: 'tick', id, results });
        if (culprit + 1 < n) {
          // The context may be mid-mutation: finish the batch in a fresh one.
          parentPort.postMessage({ type: 'requeue', id, from: culprit + 1 });
        }
        parentPort.postMessage({ type: 'done', id });
        return;
      }
      if (index() === before && results.length === 0) throw new Error('judge runner made no progress');
      parentPort.postMessage({ type: 'tick', id, results });
    }
    parentPort.postMessage({ type: 'done', id });
  } catch (e) {
    parentPort.postMessage({ type: 'failed', id, error: String(e && e.message ? e.message : e) });
  }
});
`;

export const JUDGE_PRELUDE_SOURCE = PRELUDE.replace('/*TRACE_ACCESS_JS*/', () => TRACE_ACCESS_JS);
export const JUDGE_WORKER_SOURCE = WORKER;
