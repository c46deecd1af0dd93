import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Span, SpanEvent } from '../../model/types';
import type { FormatImporter, ImportSink } from '../types';
import { asNumber, asString, isRecord, parseJsonText, safeString, safeStringify, utf8 } from '../common/json';
import { ImportError } from '../../util/errors';
import { nestThread, type Instant, type Slice } from './threadTree';

/**
 * Chrome Trace Event format (chrome://tracing, Perfetto, PyTorch/Kineto profiler): one file = one
 * trace; root → a span per process → a span per thread → slices nested by time containment.
 * Complete (X) and begin/end (B/E) events are slices; async (b/e) pairs hang under their process;
 * instants, counters and async steps become span events; flows, samples and objects are counted
 * and skipped. `ts`/`dur` are microseconds.
 */

type Json = Record<string, unknown>;

const MAX_COUNTER_EVENTS = 10_000;

export const chromeTraceImporter: FormatImporter = {
  id: 'chrome-trace',
  label: 'Chrome trace events',
  extensions: ['json', 'gz'],
  signature: {
    tokens: ['traceEvents', 'ph', 'pid', 'tid', 'dur', 'displayTimeUnit', 'X', 'B', 'E'],
    requires: 'trace events with a `ph` phase ({traceEvents: [...]} or an array of events)',
  },

  sniff(name, head) {
    const text = head.toString('utf8');
    if (/^\uFEFF?\s*\{/.test(text) && /"traceEvents"\s*:\s*\[/.test(text)) return 0.95;
    if (/^\uFEFF?\s*\{/.test(text) && /"schemaVersion"\s*:/.test(text) && /"(deviceProperties|distributedInfo)"\s*:/.test(text))
      return 0.85; // Kineto puts traceEvents after a large header
    if (/^\uFEFF?\s*\[\s*\{/.test(text) && /"ph"\s*:\s*"[XBEiIMCbensftPON]"/.test(text) && /"ts"\s*:/.test(text)) return 0.85;
    if (/\.pt\.trace\.json(\.gz)?$/i.test(name)) return 0.5;
    return 0;
  },

  async parse(source, sink) {
    const data = await source.readAll();
    const doc = parseTraceJson(source.name, utf8(data));
    const events = Array.isArray(doc) ? doc : isRecord(doc) ? doc.traceEvents : undefined;
    if (!Array.isArray(events)) {
      throw new ImportError(source.name, "not a Chrome trace: no 'traceEvents' array", { path: '$.traceEvents' });
    }
    // Forced with --format, any array would do otherwise: a trace has at least one event with a phase.
    if (events.length > 0 && !events.some((e) => isRecord(e) && typeof e.ph === 'string')) {
      throw new ImportError(source.name, `not a Chrome trace: none of the ${events.length} events is an object with a phase ('ph')`, {
        path: Array.isArray(doc) ? '$[0]' : '$.traceEvents[0]',
      });
    }
    const header: Json = isRecord(doc) ? { ...doc } : {};
    delete header.traceEvents;
    const traceId = createHash('sha256').update(data).digest('hex').slice(0, 32);
    const fileName = basename(source.name).replace(/\.gz$/i, '');
    new TraceBuilder(source.name, traceId, fileName, events, header, sink).run();
  },
};

/** Parse, accepting the JSON Array Format's allowed missing `]` (and trailing comma) at the end. */
function parseTraceJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const t = text.trimEnd();
    if (/^\uFEFF?\s*\[/.test(t) && !t.endsWith(']')) {
      try {
        return JSON.parse(`${t.replace(/,\s*$/, '')}]`);
      } catch {
        /* fall through to the located error */
      }
    }
    return parseJsonText(file, text);
  }
}

interface ThreadAcc {
  pid: string;
  tid: string;
  slices: Slice[];
  instants: Instant[];
  open: number[];
}

class TraceBuilder {
  private readonly procNames = new Map<string, string>();
  private readonly procLabels = new Map<string, string>();
  private readonly threadNames = new Map<string, string>();
  private readonly threads = new Map<string, ThreadAcc>();
  private readonly spans = new Map<number, Span>();
  private readonly slices = new Map<number, Slice>();
  private readonly procEvents = new Map<string, SpanEvent[]>();
  private readonly asyncSpans: { idx: number; pid: string }[] = [];
  private readonly rootEvents: SpanEvent[] = [];
  private readonly pendingInstant = new Map<number, { event: SpanEvent; pid: string; tid: string }>();
  private readonly skipped = new Map<string, number>();
  private baseMs = 0;
  private minMs = Infinity;
  private maxMs = -Infinity;
  private unmatchedEnds = 0;
  private counters = 0;

  constructor(
    private readonly file: string,
    private readonly traceId: string,
    private readonly fileName: string,
    private readonly events: unknown[],
    private readonly header: Json,
    private readonly sink: ImportSink,
  ) {}

  run(): void {
    this.baseMs = this.baseOffsetMs();
    const asyncOpen = new Map<string, number[]>();
    for (let idx = 0; idx < this.events.length; idx++) {
      const ev = this.events[idx];
      if (!isRecord(ev)) {
        this.skip('non-object');
        continue;
      }
      const ph = asString(ev.ph) ?? '';
      const pid = String(ev.pid ?? '');
      const tid = String(ev.tid ?? '');
      switch (ph) {
        case 'M':
          this.metadata(ev, pid, tid);
          break;
        case 'X':
        case 'B': {
          const ts = this.tsUs(ev, idx);
          const th = this.thread(pid, tid);
          const endUs = ph === 'X' ? ts + Math.max(0, asNumber(ev.dur) ?? 0) : null;
          const slice = { idx, startUs: ts, endUs };
          th.slices.push(slice);
          this.slices.set(idx, slice);
          if (ph === 'B') th.open.push(idx);
          this.spans.set(idx, this.sliceSpan(ev, idx, ts, endUs));
          break;
        }
        case 'E': {
          const th = this.thread(pid, tid);
          const b = th.open.pop();
          if (b === undefined) {
            this.unmatchedEnds++;
            break;
          }
          const ts = this.tsUs(ev, idx);
          const slice = this.slices.get(b)!;
          slice.endUs = Math.max(ts, slice.startUs);
          const span = this.spans.get(b)!;
          span.endMs = this.ms(slice.endUs);
          this.touch(span.endMs);
          if (isRecord(ev.args)) span.attributes.args = { ...(span.attributes.args as Json), ...ev.args };
          break;
        }
        case 'i':
        case 'I':
        case 'R': {
          const ts = this.tsUs(ev, idx);
          const scope = asString(ev.s) ?? 't';
          const event = this.spanEvent(ev, ts);
          if (scope === 'g') this.rootEvents.push(event);
          else if (scope === 'p') this.procList(pid).push(event);
          else {
            this.thread(pid, tid).instants.push({ idx, tsUs: ts });
            this.pendingInstant.set(idx, { event, pid, tid });
          }
          this.touch(this.ms(ts));
          break;
        }
        case 'C': {
          const ts = this.tsUs(ev, idx);
          if (++this.counters <= MAX_COUNTER_EVENTS) this.procList(pid).push(this.spanEvent(ev, ts, 'counter'));
          this.touch(this.ms(ts));
          break;
        }
        case 'b':
        case 'S': {
          const ts = this.tsUs(ev, idx);
          const key = asyncKey(ev, pid);
          const stack = asyncOpen.get(key) ?? [];
          stack.push(idx);
          asyncOpen.set(key, stack);
          const span = this.sliceSpan(ev, idx, ts, null);
          span.spanId = `a${idx}`;
          span.attributes.async = true;
          this.spans.set(idx, span);
          this.asyncSpans.push({ idx, pid });
          break;
        }
        case 'e':
        case 'F': {
          const b = asyncOpen.get(asyncKey(ev, pid))?.pop();
          if (b === undefined) {
            this.unmatchedEnds++;
            break;
          }
          const span = this.spans.get(b)!;
          span.endMs = Math.max(this.ms(this.tsUs(ev, idx)), span.startMs);
          this.touch(span.endMs);
          break;
        }
        case 'n':
        case 'T':
        case 'p': {
          const ts = this.tsUs(ev, idx);
          const open = asyncOpen.get(asyncKey(ev, pid));
          const target = open?.length ? this.spans.get(open[open.length - 1]!)!.events : this.procList(pid);
          target.push(this.spanEvent(ev, ts));
          break;
        }
        default:
          this.skip(ph || '(no ph)');
      }
    }
    this.emit();
  }

  /** Kineto writes ts relative to `baseTimeNanoseconds`; others write absolute (or boot-relative) µs. */
  private baseOffsetMs(): number {
    const base = this.header.baseTimeNanoseconds;
    if (base === undefined) return 0;
    const firstTs = this.events.map((e) => (isRecord(e) ? asNumber(e.ts) : undefined)).find((t) => t !== undefined);
    if (firstTs !== undefined && firstTs > 1e15) return 0; // already epoch µs
    if (typeof base === 'number' && Number.isFinite(base)) return base / 1e6;
    if (typeof base === 'string' && /^\d+$/.test(base)) {
      const b = BigInt(base);
      return Number(b / 1_000_000n) + Number(b % 1_000_000n) / 1e6;
    }
    return 0;
  }

  private tsUs(ev: Json, idx: number): number {
    const ts = asNumber(ev.ts);
    if (ts === undefined) {
      throw new ImportError(this.file, `event ${idx} (ph '${String(ev.ph)}') has no numeric ts`, {
        path: `$.traceEvents[${idx}].ts`,
      });
    }
    return ts;
  }

  private ms(us: number): number {
    return this.baseMs + us / 1000;
  }

  private touch(ms: number): void {
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  private skip(what: string): void {
    this.skipped.set(what, (this.skipped.get(what) ?? 0) + 1);
  }

  private thread(pid: string, tid: string): ThreadAcc {
    const key = `${pid}\u0000${tid}`;
    let t = this.threads.get(key);
    if (!t) this.threads.set(key, (t = { pid, tid, slices: [], instants: [], open: [] }));
    return t;
  }

  private procList(pid: string): SpanEvent[] {
    let l = this.procEvents.get(pid);
    if (!l) this.procEvents.set(pid, (l = []));
    return l;
  }

  private metadata(ev: Json, pid: string, tid: string): void {
    const args = isRecord(ev.args) ? ev.args : {};
    const name = asString(args.name);
    if (ev.name === 'process_name' && name) this.procNames.set(pid, name);
    else if (ev.name === 'thread_name' && name) this.threadNames.set(`${pid}\u0000${tid}`, name);
    else if (ev.name === 'process_labels' && asString(args.labels)) this.procLabels.set(pid, asString(args.labels)!);
  }

  private sliceSpan(ev: Json, idx: number, tsUs: number, endUs: number | null): Span {
    const startMs = this.ms(tsUs);
    const endMs = endUs === null ? null : this.ms(endUs);
    this.touch(startMs);
    if (endMs !== null) this.touch(endMs);
    const cat = asString(ev.cat);
    return {
      traceId: this.traceId,
      spanId: `e${idx}`,
      parentId: null,
      name: asString(ev.name) ?? '(unnamed)',
      kind: 'other',
      sourceKind: cat ?? `ph:${String(ev.ph)}`,
      status: 'unset',
      startMs,
      endMs,
      attributes: { ph: ev.ph, cat, pid: ev.pid, tid: ev.tid, ts: ev.ts, dur: ev.dur, args: isRecord(ev.args) ? ev.args : undefined },
      events: [],
    };
  }

  private spanEvent(ev: Json, tsUs: number, prefix?: string): SpanEvent {
    const name = asString(ev.name) ?? '(unnamed)';
    return {
      name: prefix ? `${prefix} ${name}` : name,
      timeMs: this.ms(tsUs),
      attributes: { ph: ev.ph, cat: ev.cat, scope: ev.s, ...(isRecord(ev.args) ? { args: ev.args } : {}) },
    };
  }

  private emit(): void {
    if (this.unmatchedEnds) this.sink.warn(`${this.unmatchedEnds} end event(s) without a matching begin ignored`);
    if (this.counters > MAX_COUNTER_EVENTS) {
      this.sink.warn(`${this.counters} counter events: only the first ${MAX_COUNTER_EVENTS} kept as span events`);
    }
    if (this.skipped.size) {
      const list = [...this.skipped].map(([ph, n]) => `${n}× ${ph}`).join(', ');
      this.sink.warn(`events not shown (flows, samples, objects, unknown phases): ${list}`);
    }
    let openBegins = 0;
    for (const t of this.threads.values()) openBegins += t.open.length;
    if (openBegins) this.sink.warn(`${openBegins} begin (B) event(s) never ended: shown as open spans`);

    const rootId = 'trace';
    const startMs = Number.isFinite(this.minMs) ? this.minMs : this.baseMs;
    const endMs = Number.isFinite(this.maxMs) ? this.maxMs : startMs;
    const processes = [...new Set([...[...this.threads.values()].map((t) => t.pid), ...this.procEvents.keys(), ...this.asyncSpans.map((a) => a.pid)])];
    const firstProc = processes.map((p) => this.procNames.get(p)).find(Boolean);
    this.sink.trace({
      traceId: this.traceId,
      name: this.fileName,
      service: firstProc,
      metadata: { ...summariseHeader(this.header), processes: processes.length, threads: this.threads.size },
    });
    this.sink.span({
      traceId: this.traceId,
      spanId: rootId,
      parentId: null,
      name: this.fileName,
      kind: 'other',
      sourceKind: 'trace file',
      status: 'unset',
      startMs,
      endMs,
      attributes: this.header,
      events: this.rootEvents,
    });

    const threadsByPid = new Map<string, ThreadAcc[]>();
    for (const t of this.threads.values()) threadsByPid.set(t.pid, [...(threadsByPid.get(t.pid) ?? []), t]);
    const asyncByPid = new Map<string, number[]>();
    for (const a of this.asyncSpans) {
      let l = asyncByPid.get(a.pid);
      if (!l) asyncByPid.set(a.pid, (l = []));
      l.push(a.idx);
    }
    let overlaps = 0;
    for (const pid of processes) {
      const threads = threadsByPid.get(pid) ?? [];
      const procId = `p:${pid}`;
      const procSpan: Span = {
        traceId: this.traceId,
        spanId: procId,
        parentId: rootId,
        name: this.procNames.get(pid) ?? `process ${pid}`,
        kind: 'other',
        sourceKind: 'process',
        status: 'unset',
        startMs: Infinity,
        endMs: -Infinity,
        attributes: { pid, labels: this.procLabels.get(pid) },
        events: this.procEvents.get(pid) ?? [],
      };
      const out: Span[] = [];
      for (const th of threads) {
        const threadId = `t:${pid}:${th.tid}`;
        const threadSpan: Span = {
          traceId: this.traceId,
          spanId: threadId,
          parentId: procId,
          name: this.threadNames.get(`${pid}\u0000${th.tid}`) ?? `thread ${th.tid}`,
          kind: 'other',
          sourceKind: 'thread',
          status: 'unset',
          startMs: Infinity,
          endMs: -Infinity,
          attributes: { pid, tid: th.tid },
          events: [],
        };
        const nest = nestThread(th.slices, th.instants);
        overlaps += nest.overlaps;
        const children: Span[] = [];
        for (const s of [...th.slices].sort((a, b) => a.startUs - b.startUs || a.idx - b.idx)) {
          const span = this.spans.get(s.idx)!;
          const p = nest.parentOf.get(s.idx) ?? -1;
          span.parentId = p >= 0 ? `e${p}` : threadId;
          children.push(span);
          widen(threadSpan, span);
        }
        for (const [idx, inSlice] of nest.instantIn) {
          const pending = this.pendingInstant.get(idx)!;
          (inSlice >= 0 ? this.spans.get(inSlice)!.events : threadSpan.events).push(pending.event);
          widen(threadSpan, { startMs: pending.event.timeMs!, endMs: pending.event.timeMs! });
        }
        if (!Number.isFinite(threadSpan.startMs)) continue;
        widen(procSpan, threadSpan);
        out.push(threadSpan);
        for (const c of children) out.push(c); // no spread: threads can hold millions of slices
      }
      for (const idx of asyncByPid.get(pid) ?? []) {
        const span = this.spans.get(idx)!;
        span.parentId = procId;
        out.push(span);
        widen(procSpan, span);
      }
      for (const e of procSpan.events) widen(procSpan, { startMs: e.timeMs!, endMs: e.timeMs! });
      if (!Number.isFinite(procSpan.startMs)) {
        procSpan.startMs = startMs;
        procSpan.endMs = startMs;
      }
      this.sink.span(procSpan);
      for (const s of out) this.sink.span(s);
    }
    if (overlaps) this.sink.warn(`${overlaps} slice(s) end after the slice that contains their start: nested anyway`);
  }
}

function widen(into: Span, s: { startMs: number; endMs: number | null }): void {
  into.startMs = Math.min(into.startMs, s.startMs);
  into.endMs = Math.max(into.endMs ?? -Infinity, s.endMs ?? s.startMs);
}

function asyncKey(ev: Json, pid: string): string {
  // safe*: ids are untrusted values (a deeply nested array overflowed the stack under fuzzing)
  const id = ev.id2 !== undefined ? safeStringify(ev.id2) : safeString(ev.id ?? '');
  return `${pid}\u0000${safeString(ev.cat ?? '')}\u0000${id}`;
}

/** Small, useful header facts for the trace list (the full header stays on the root span). */
function summariseHeader(h: Json): Json {
  const out: Json = {};
  for (const k of ['schemaVersion', 'displayTimeUnit', 'baseTimeNanoseconds', 'traceName']) if (h[k] !== undefined) out[k] = h[k];
  if (isRecord(h.distributedInfo)) {
    const d = h.distributedInfo;
    out.distributed = { backend: d.backend, rank: d.rank, world_size: d.world_size };
  }
  return out;
}
