import type { NormalisedVerdict } from '../traceAccess';
import { JudgeProcess } from './judgeProcess';
import { JUDGE_PRELUDE_SOURCE, JUDGE_WORKER_SOURCE } from './workerSource';

/** Outcome of one judge on one trace inside the sandbox. */
export type SandboxResult =
  | { ok: true; verdict: NormalisedVerdict; durationMs: number; logs?: string[] }
  | { ok: false; error: string; kind: SandboxErrorKind; durationMs: number; logs?: string[] };

export type SandboxErrorKind = 'throw' | 'timeout' | 'memory' | 'load' | 'invalid' | 'crash' | 'cancelled';

export interface SandboxOptions {
  /** Worker threads (default: 1; the runner sizes it from its concurrency limit and CPUs). */
  workers?: number;
  /** Per trace time limit in ms (default 5000). */
  timeoutMs?: number;
  /** Old-generation heap limit of each worker in MB (default 256). */
  memoryMb?: number;
  /**
   * Resident size limit of each judge process in MB, all memory counted (V8 heap, native
   * memory such as ICU objects, the trace texts in transit). Default: memoryMb + 320.
   */
  processMemoryMb?: number;
  /** Characters of trace text per worker message, at most (default 32 Mi): bounds memory in transit. */
  batchChars?: number;
  /** Traces per worker message (default 64). */
  batchSize?: number;
  /** A timed vm run covers as many traces as fit in this many ms (default 50). */
  sliceMs?: number;
  /** Extra time before the hard stop terminates a silent worker (default 2000 ms). */
  graceMs?: number;
}

export interface CompiledJudge {
  /** Cache key of the compiled code (the judge content hash). */
  key: string;
  /** CommonJS JS from compile.ts */
  js: string;
}

interface Batch {
  id: number;
  judge: CompiledJudge;
  texts: string[];
  /** Where each result goes, parallel to texts. */
  sinks: ((r: SandboxResult) => void)[];
  received: number;
  /** Set after a crash: a batch of one whose crash names its trace. */
  isolated: boolean;
  /** The editor's live re-run: one trace the worker decodes once and keeps (by key). */
  preview?: { traceKey: string };
}

type Worker = JudgeProcess;

interface Slot {
  worker: Worker | null;
  batch: Batch | null;
  lastHeard: number;
  /** Key of the trace the worker keeps decoded for previews (what it was last sent). */
  keptKey: string | null;
}

const SEP = '\u0000';

/** Answer a batch's unanswered traces as cancelled. */
function answerCancelled(b: Batch): void {
  const cancelled: SandboxResult = { ok: false, error: 'cancelled', kind: 'cancelled', durationMs: 0 };
  for (let i = b.received; i < b.sinks.length; i++) b.sinks[i]!(cancelled);
  b.received = b.sinks.length;
}

/**
 * A pool of worker threads running code judges in isolated vm contexts (see workerSource.ts).
 * Traces are batched per message; when a worker dies (memory limit, hard stop) the unfinished
 * traces of its batch are retried one per batch, so the one that kills a worker is identified
 * and reported while the others still get verdicts.
 */
export class JudgeSandbox {
  private readonly opts: Required<SandboxOptions>;
  private readonly slots: Slot[];
  private readonly queue: Batch[] = [];
  private nextId = 1;
  private closed = false;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(opts: SandboxOptions = {}) {
    this.opts = {
      workers: Math.max(1, opts.workers ?? 1),
      timeoutMs: opts.timeoutMs ?? 5000,
      memoryMb: opts.memoryMb ?? 256,
      batchSize: Math.max(1, opts.batchSize ?? 64),
      sliceMs: opts.sliceMs ?? 50,
      graceMs: opts.graceMs ?? 2000,
      processMemoryMb: opts.processMemoryMb ?? (opts.memoryMb ?? 256) + 320,
      batchChars: Math.max(1, opts.batchChars ?? 32 * 1024 * 1024),
    };
    this.slots = Array.from({ length: this.opts.workers }, () => ({ worker: null, batch: null, lastHeard: 0, keptKey: null }));
  }

  get options(): Readonly<Required<SandboxOptions>> {
    return this.opts;
  }

  /** Run one judge over trace wire texts; results come back in input order. */
  run(judge: CompiledJudge, texts: string[], onResult?: (index: number, r: SandboxResult) => void): Promise<SandboxResult[]> {
    if (this.closed) return Promise.reject(new Error('judge sandbox is closed'));
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const out: SandboxResult[] = new Array(texts.length);
      let pending = texts.length;
      const sinkFor = (i: number) => (r: SandboxResult) => {
        if (out[i]) return;
        out[i] = r;
        onResult?.(i, r);
        if (--pending === 0) resolve(out);
      };
      // Batches are bounded by count and by characters: big traces travel a few at a time.
      for (let i = 0; i < texts.length; ) {
        let end = i + 1;
        let chars = texts[i]!.length;
        while (end < texts.length && end - i < this.opts.batchSize && chars + texts[end]!.length <= this.opts.batchChars) {
          chars += texts[end]!.length;
          end++;
        }
        const slice = texts.slice(i, end);
        const sinks = slice.map((_, k) => sinkFor(i + k));
        this.enqueue(judge, slice, sinks, false);
        i = end;
      }
      this.pump();
    });
  }

  /**
   * Judge one trace for the editor. The worker keeps the decoded, frozen trace between calls
   * (keyed by `traceKey`, e.g. trace id + version), so a re-run costs the judge, not the decode.
   * Aborting `signal` answers 'cancelled' at once: a waiting run leaves the queue, a running one
   * stops with its worker (the next run starts a fresh one). Other callers' work is untouched.
   */
  preview(judge: CompiledJudge, traceKey: string, text: string, signal?: AbortSignal): Promise<SandboxResult> {
    if (this.closed) return Promise.reject(new Error('judge sandbox is closed'));
    return new Promise((resolve) => {
      const batch: Batch = { id: this.nextId++, judge, texts: [text], sinks: [], received: 0, isolated: true, preview: { traceKey } };
      const stop = () => this.drop(batch);
      batch.sinks.push((r) => {
        signal?.removeEventListener('abort', stop);
        resolve(r);
      });
      if (signal?.aborted) return answerCancelled(batch);
      signal?.addEventListener('abort', stop, { once: true });
      this.queue.push(batch);
      this.pump();
    });
  }

  /** Drop queued work (answered as cancelled) and stop the workers that are busy. */
  cancel(): void {
    for (const b of this.queue.splice(0)) answerCancelled(b);
    for (const slot of this.slots) {
      const b = slot.batch;
      if (!b) continue;
      slot.batch = null;
      this.kill(slot);
      answerCancelled(b);
    }
  }

  /** Cancel one batch: out of the queue if it waits, its worker stopped if it runs. */
  private drop(b: Batch): void {
    const waiting = this.queue.indexOf(b);
    if (waiting >= 0) {
      this.queue.splice(waiting, 1);
      answerCancelled(b);
      return;
    }
    const slot = this.slots.find((s) => s.batch === b);
    if (!slot) return; // answered already
    slot.batch = null;
    this.kill(slot);
    answerCancelled(b);
    if (!this.closed) this.pump();
  }

  async close(): Promise<void> {
    this.cancel();
    this.closed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    await Promise.all(this.slots.map((s) => (s.worker ? s.worker.terminate() : undefined)));
    for (const s of this.slots) s.worker = null;
  }

  private enqueue(judge: CompiledJudge, texts: string[], sinks: Batch['sinks'], isolated: boolean): void {
    this.queue.push({ id: this.nextId++, judge, texts, sinks, received: 0, isolated });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.batch || this.queue.length === 0) continue;
      const batch = this.queue.shift()!;
      slot.batch = batch;
      slot.lastHeard = Date.now();
      const w = this.workerFor(slot);
      // Busy workers keep the process alive (a CLI run must not end half-way because the event
      // loop ran dry); idle ones do not (a server stops on close() without waiting for them).
      w.ref();
      if (batch.preview) this.postPreview(slot, w, batch, false);
      else
        w.postMessage({
          type: 'batch',
          id: batch.id,
          key: batch.judge.key,
          js: batch.judge.js,
          texts: batch.texts.join(SEP),
          timeoutMs: this.opts.timeoutMs,
          sliceMs: this.opts.sliceMs,
        });
    }
    this.updateWatchdog();
  }

  private postPreview(slot: Slot, w: Worker, batch: Batch, forceText: boolean): void {
    const traceKey = batch.preview!.traceKey;
    // The big trace text crosses the thread boundary only when the worker does not have it.
    const send = forceText || slot.keptKey !== traceKey;
    slot.keptKey = traceKey;
    w.postMessage({
      type: 'preview',
      id: batch.id,
      key: batch.judge.key,
      js: batch.judge.js,
      traceKey,
      text: send ? batch.texts[0] : undefined,
      timeoutMs: this.opts.timeoutMs,
    });
  }

  private workerFor(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    // A worker thread in its own process (judgeProcess.ts): the process's whole memory is bounded,
    // not only the V8 heap. The worker itself needs nothing from the host environment.
    const w = new JudgeProcess({
      source: JUDGE_WORKER_SOURCE,
      workerData: { prelude: JUDGE_PRELUDE_SOURCE },
      resourceLimits: {
        maxOldGenerationSizeMb: this.opts.memoryMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(this.opts.memoryMb / 8))),
        stackSizeMb: 4,
      },
      rssLimitMb: this.opts.processMemoryMb,
    });
    slot.worker = w;
    slot.keptKey = null;
    w.on('message', (m: WorkerMessage) => this.onMessage(slot, w, m));
    w.on('error', (e: Error & { code?: string }) => this.onCrash(slot, w, crashReason(e, this.opts.memoryMb, this.opts.processMemoryMb)));
    w.on('exit', (code) => this.onCrash(slot, w, { kind: 'crash', error: `judge worker exited (code ${code})` }));
    return w;
  }

  private onMessage(slot: Slot, w: Worker, m: WorkerMessage): void {
    if (slot.worker !== w) return;
    slot.lastHeard = Date.now();
    const b = slot.batch;
    if (!b || m.id !== b.id) return;
    if (m.type === 'tick') {
      for (const text of m.results) {
        if (b.received >= b.sinks.length) break;
        b.sinks[b.received++]!(parseResult(text));
      }
    } else if (m.type === 'need-text') {
      this.postPreview(slot, w, b, true);
    } else if (m.type === 'requeue') {
      const rest = b.texts.slice(m.from);
      const sinks = b.sinks.slice(m.from);
      b.sinks.length = m.from;
      b.texts.length = m.from;
      if (rest.length) this.queue.unshift({ id: this.nextId++, judge: b.judge, texts: rest, sinks, received: 0, isolated: b.isolated });
    } else if (m.type === 'done' || m.type === 'failed') {
      slot.batch = null;
      w.unref();
      const error = m.type === 'failed' ? `judge runner failed: ${m.error}` : 'judge runner returned no verdict';
      for (let i = b.received; i < b.sinks.length; i++) b.sinks[i]!({ ok: false, error, kind: 'crash', durationMs: 0 });
      this.pump();
    }
  }

  private onCrash(slot: Slot, w: Worker, reason: { kind: SandboxErrorKind; error: string }): void {
    if (slot.worker !== w) return;
    slot.worker = null;
    const b = slot.batch;
    slot.batch = null;
    if (b) this.retryOrFail(b, reason);
    if (!this.closed) this.pump();
  }

  /** The worker died mid-batch: the trace running then is unknown unless the batch held one. */
  private retryOrFail(b: Batch, reason: { kind: SandboxErrorKind; error: string }): void {
    const left = b.texts.length - b.received;
    if (left <= 0) return;
    if (b.isolated || left === 1) {
      const sink = b.sinks[b.received]!;
      b.received++;
      sink({ ok: false, error: reason.error, kind: reason.kind, durationMs: 0 });
      if (b.received < b.texts.length) this.retryRest(b);
      return;
    }
    this.retryRest(b);
  }

  private retryRest(b: Batch): void {
    for (let i = b.texts.length - 1; i >= b.received; i--) {
      this.queue.unshift({ id: this.nextId++, judge: b.judge, texts: [b.texts[i]!], sinks: [b.sinks[i]!], received: 0, isolated: true });
    }
  }

  private kill(slot: Slot): void {
    const w = slot.worker;
    slot.worker = null;
    if (w) void w.terminate();
  }

  /** Hard stop: a worker silent for longer than any timed run may take is terminated. */
  private updateWatchdog(): void {
    const busy = this.slots.some((s) => s.batch);
    if (busy && !this.watchdog) {
      this.watchdog = setInterval(() => this.checkSilentWorkers(), 250);
      this.watchdog.unref();
    } else if (!busy && this.watchdog) {
      clearInterval(this.watchdog);
      this.watchdog = null;
    }
  }

  private checkSilentWorkers(): void {
    const limit = this.opts.timeoutMs + this.opts.sliceMs + this.opts.graceMs + 5000;
    const now = Date.now();
    for (const slot of this.slots) {
      if (!slot.batch || now - slot.lastHeard < limit) continue;
      const b = slot.batch;
      slot.batch = null;
      this.kill(slot);
      this.retryOrFail(b, {
        kind: 'timeout',
        error: `stopped: the judge did not return within ${this.opts.timeoutMs} ms and the worker was terminated`,
      });
    }
    this.pump();
  }
}

type WorkerMessage =
  | { type: 'tick'; id: number; results: string[] }
  | { type: 'requeue'; id: number; from: number }
  | { type: 'need-text'; id: number }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; error: string };

function crashReason(e: Error & { code?: string }, memoryMb: number, processMemoryMb: number): { kind: SandboxErrorKind; error: string } {
  if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { kind: 'memory', error: `stopped: the judge exceeded the ${memoryMb} MB memory limit` };
  }
  if (e.code === 'ERR_JUDGE_PROCESS_MEMORY') {
    return { kind: 'memory', error: `stopped: the judge exceeded the ${memoryMb} MB memory limit: ${e.message} (at most ${processMemoryMb} MB with the runtime)` };
  }
  return { kind: 'crash', error: `judge worker crashed: ${e.message}` };
}

const MAX_ERROR_CHARS = 2000;

/** Results come from untrusted code: validate the shape rather than trust it. */
function parseResult(text: string): SandboxResult {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return { ok: false, error: 'judge produced an unreadable result', kind: 'invalid', durationMs: 0 };
  }
  const o = (r ?? {}) as Record<string, unknown>;
  const durationMs = typeof o.ms === 'number' && Number.isFinite(o.ms) ? o.ms : 0;
  const logs = typeof o.logs === 'string' ? o.logs.split('\n') : undefined;
  if (o.ok === true) {
    const v = (o.v ?? {}) as Record<string, unknown>;
    if (typeof v.pass !== 'boolean') return { ok: false, error: 'judge verdict has no boolean pass', kind: 'invalid', durationMs, logs };
    const verdict: NormalisedVerdict = {
      pass: v.pass,
      rationale: typeof v.rationale === 'string' ? v.rationale : '',
      evidenceSpanIds: Array.isArray(v.evidenceSpanIds) ? v.evidenceSpanIds.filter((x): x is string => typeof x === 'string') : [],
    };
    if (typeof v.score === 'number' && Number.isFinite(v.score)) verdict.score = v.score;
    return { ok: true, verdict, durationMs, logs };
  }
  const kinds: SandboxErrorKind[] = ['throw', 'timeout', 'memory', 'load', 'invalid', 'crash'];
  const kind = kinds.includes(o.kind as SandboxErrorKind) ? (o.kind as SandboxErrorKind) : 'throw';
  const error = typeof o.error === 'string' ? o.error.slice(0, MAX_ERROR_CHARS) : 'judge failed';
  return { ok: false, error, kind, durationMs, logs };
}
