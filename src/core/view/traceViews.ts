import type { RootCause } from '../model/analysis';
import type { SpanFilter } from '../analysis/spanSearch';
import type { SpanSearchResult, TraceAnalysis, TraceColumns } from '../model/traceView';
import type { Workspace } from '../store/workspace';
import { committedFingerprint, readCachedView, readCachedViewBytes, spanCountOf, writeCachedView, type ViewField } from '../store/view';
import { computeRootCause } from '../analysis/rootCause';
import { analyse, loadSkeleton, toColumns, type Skeleton } from './derive';
import { searchSpans } from './spanSearch';
import { startTextIndex } from './textIndex';

/**
 * The trace view as an engine capability: per trace, the skeleton, the encoded span columns, the
 * analysis, root causes and span search. In memory for the few traces open at a time; for big
 * traces the columns and analysis are persisted in trace_view_cache (prepared at import, see
 * prepareTraces), so reopening a 100k-span trace after a restart is one row read. Everything is
 * keyed by the trace's fingerprint: a re-import or live OTLP spans invalidate it.
 */

/**
 * Traces at least this big are prepared when an import stores them (columns, analysis and text
 * index persisted); smaller ones are computed on open in milliseconds.
 */
const PREPARE_MIN_SPANS = 10_000;

interface Entry {
  fingerprint: string;
  skeleton?: Skeleton;
  columns?: TraceColumns;
  /** Derived fields as UTF-8 JSON, as stored (see json). */
  text?: Partial<Record<ViewField, Buffer>>;
  analysis?: TraceAnalysis;
}

const CACHE_SIZE = 3;

export class TraceViews {
  private readonly cache = new Map<string, Entry>();

  constructor(private readonly ws: Workspace) {}

  /** The span table in columns; null when the trace is not stored. */
  columns(traceId: string): TraceColumns | null {
    const e = this.entry(traceId);
    return e ? this.derived(traceId, e, 'columns') : null;
  }

  /**
   * The columns or the analysis as UTF-8 JSON, for a transport that sends JSON (HTTP): a prepared
   * trace's bytes are sent as stored, never parsed and stringified, nor even decoded to a string
   * — at 1M spans that is 80 + 47 MB of JSON, seconds of server CPU and hundreds of MB of objects
   * per open. Held as bytes in memory: one flat buffer, not a million small objects. Null when
   * the trace is not stored.
   */
  json(traceId: string, field: ViewField): Buffer | null {
    const e = this.entry(traceId);
    if (!e) return null;
    const text = (e.text ??= {});
    if (text[field] === undefined) {
      text[field] =
        readCachedViewBytes(this.ws, traceId, e.fingerprint, field) ?? Buffer.from(JSON.stringify(this.derived(traceId, e, field)));
      e[field] = undefined; // the text is what this trace is asked for now
    }
    return text[field];
  }

  analysis(traceId: string): TraceAnalysis | null {
    const e = this.entry(traceId);
    return e ? this.derived(traceId, e, 'analysis') : null;
  }

  rootCause(traceId: string, spanId: string): RootCause | null {
    const e = this.entry(traceId);
    if (!e) return null;
    const sk = this.skeleton(traceId, e);
    const target = sk.index.get(spanId);
    if (target === undefined) return null;
    return computeRootCause(sk.spans, sk.tree, target, (i) => this.ws.getSpan(traceId, sk.spans[i]!.spanId));
  }

  search(input: SpanFilter & { traceId: string }): SpanSearchResult {
    const e = this.entry(input.traceId);
    if (!e) return { spanIds: [], indexed: false, tookMs: 0 };
    const sk = this.skeleton(input.traceId, e);
    return searchSpans(this.ws, input, sk.spans, sk.tree);
  }

  /** Drop what is held for a trace (it was deleted). */
  forget(traceId: string): void {
    this.cache.delete(traceId);
  }

  private entry(traceId: string): Entry | null {
    const fp = committedFingerprint(this.ws, traceId);
    if (fp === null) {
      this.cache.delete(traceId);
      return null;
    }
    let e = this.cache.get(traceId);
    if (!e || e.fingerprint !== fp) e = { fingerprint: fp };
    this.cache.delete(traceId); // (re-)insert: most recently used last
    this.cache.set(traceId, e);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return e;
  }

  private skeleton(traceId: string, e: Entry): Skeleton {
    return (e.skeleton ??= loadSkeleton(this.ws, traceId));
  }

  private derived<F extends ViewField>(traceId: string, e: Entry, field: F): NonNullable<Entry[F]> {
    const have = e[field];
    if (have) return have as NonNullable<Entry[F]>;
    const stored = readCachedView(this.ws, traceId, e.fingerprint, field);
    if (stored) return (e[field] = JSON.parse(stored)) as NonNullable<Entry[F]>;
    const sk = this.skeleton(traceId, e);
    const value = (field === 'columns' ? toColumns(sk) : analyse(sk)) as NonNullable<Entry[F]>;
    e[field] = value;
    // A big trace stored before imports prepared it: persist for the next open, after the answer
    // is sent and through the write queue (never inside a running import).
    if (sk.spans.length >= PREPARE_MIN_SPANS) {
      void new Promise<void>((done) => setImmediate(done))
        .then(() => this.ws.exclusive(async () => void writeCachedView(this.ws, traceId, e.fingerprint, field, JSON.stringify(value))))
        .catch(() => undefined); // a cache: failing to write it changes nothing
    }
    return value;
  }
}

/**
 * The one way a stored trace is prepared for viewing, used by every entry point (file import
 * in the app, the CLI and the server; see importFile): for big traces, the columns and analysis
 * are persisted and the span text index is built, so the first open and the first search after
 * an import do no multi-second work. Small traces need nothing. Live OTLP traces keep their
 * index up to date per request (store/view.ts indexMergedSpans) and are derived on open.
 */
export async function prepareTraces(ws: Workspace, traceIds: readonly string[]): Promise<void> {
  for (const traceId of traceIds) {
    const n = spanCountOf(ws, traceId);
    const fp = committedFingerprint(ws, traceId);
    if (n === null || fp === null || n < PREPARE_MIN_SPANS) continue;
    // The text index tokenises on a worker thread while this one derives columns and analysis.
    const index = startTextIndex(ws, traceId, fp);
    await index.started;
    const sk = loadSkeleton(ws, traceId);
    const columns = JSON.stringify(toColumns(sk));
    const analysis = JSON.stringify(analyse(sk));
    // Written once the index is done: meanwhile its worker holds the write lock chunk by chunk,
    // and waiting for it here would be reported as waiting for another process.
    await index.done;
    await ws.exclusive(
      async () => {
        if (writeCachedView(ws, traceId, fp, 'columns', columns)) writeCachedView(ws, traceId, fp, 'analysis', analysis);
      },
      { what: `trace view of ${traceId}` },
    );
  }
}
