import type { RootCause } from '../model/analysis';
import type { Span, SpanSummary, TraceMeta, TraceSummary } from '../model/types';
import type { SpanSearchResult, TraceAnalysis, TraceColumns } from '../model/traceView';
import type { SpanFilter } from '../analysis/spanSearch';
import { computeRootCause } from '../analysis/rootCause';
import type { TracePreview } from '../store/finalise';
import { openStagedReader, type StagedReader } from '../store/stagedReader';
import { analyse, skeletonOf, toColumns, type Skeleton } from './derive';
import { searchSpans } from './spanSearch';

/**
 * Traces of files the user just opened, viewable before they are stored. As soon as a file is
 * parsed, its traces are viewable from what the import computed in memory (a preview:
 * store/finalise.ts previewTrace, the same repairs and aggregates as the stored trace); once the
 * import has staged the file (written, repaired, aggregated into its private staging database),
 * span bodies are read from there (store/stagedReader.ts, the same queries as for stored traces),
 * until its publish ends. The view is the same derivation as for stored traces (derive.ts).
 * Nothing here writes: whether the file then reaches the workspace is the import's transaction alone.
 */

/** A file import that has been parsed, not yet written: its traces as they will be stored. */
export interface ParsedFile {
  source: string;
  traces: readonly TracePreview[];
  spanCount: number;
}

/** A file import that has been parsed and staged, not yet published. */
export interface StagedFile {
  source: string;
  stagingPath: string;
  traceIds: readonly string[];
  spanCount: number;
}

export interface StagedViewData {
  summary: TraceSummary;
  meta: Omit<TraceMeta, 'traceId'>;
  columns: TraceColumns;
}

interface Entry {
  source: string;
  /** Null while the file is parsed but not staged yet (a preview); `staged` settles then. */
  reader: StagedReader | null;
  staged: Promise<StagedReader | null>;
  settle: (reader: StagedReader | null) => void;
  /** A preview's trace, until the view and skeleton are derived from it. */
  preview?: TracePreview;
  skeleton?: Skeleton;
  data?: StagedViewData;
  analysis?: TraceAnalysis;
  asked: Set<'columns' | 'analysis'>;
  viewed?: () => void;
}

function entry(source: string, reader: StagedReader | null, preview?: TracePreview): Entry {
  let settle!: (reader: StagedReader | null) => void;
  const staged = reader ? Promise.resolve(reader) : new Promise<StagedReader | null>((resolve) => (settle = resolve));
  return { source, reader, staged, settle: settle ?? (() => {}), preview, asked: new Set() };
}

export class StagedViews {
  private readonly traces = new Map<string, Entry>();

  /**
   * Make a parsed file's traces viewable before it is staged. Returns the release, to call once
   * the file is staged (add) or has failed.
   */
  preview(file: ParsedFile): () => void {
    const mine = new Map<string, Entry>();
    for (const t of file.traces) {
      const e = entry(file.source, null, t);
      mine.set(t.summary.traceId, e);
      this.traces.set(t.summary.traceId, e);
    }
    return () => {
      for (const [id, e] of mine) {
        // add() took the entry over, or the import failed and there is nothing to read any more.
        if (e.reader) continue;
        e.settle(null);
        e.viewed?.();
        if (this.traces.get(id) === e) this.traces.delete(id);
      }
    };
  }

  /**
   * Make a staged file's traces viewable (a preview of it keeps what it derived; span bodies are
   * read from the staging file from now on). Returns the release, to call before the staging
   * file is removed (after publish, or on failure).
   */
  add(file: StagedFile): () => void {
    const reader = openStagedReader(file.stagingPath);
    for (const id of file.traceIds) {
      const e = this.traces.get(id);
      if (e && !e.reader && e.source === file.source) {
        e.reader = reader;
        e.settle(reader);
      } else this.traces.set(id, entry(file.source, reader));
    }
    return () => {
      for (const id of file.traceIds) {
        const e = this.traces.get(id);
        if (e?.reader !== reader) continue;
        e.viewed?.();
        this.traces.delete(id);
      }
      reader.close();
    };
  }

  has(traceId: string): boolean {
    return this.traces.has(traceId);
  }

  /** The staged file a trace comes from, while it is being written. */
  sourceOf(traceId: string): string | null {
    return this.traces.get(traceId)?.source ?? null;
  }

  /**
   * Derive a trace's view now, before a viewer asks (the one a file opens in: its viewer is on
   * its way). The analysis waits for its request: computed earlier it would hold up the columns'
   * answer, which the first paint needs.
   */
  deriveAhead(traceId: string): void {
    const e = this.traces.get(traceId);
    if (e) this.derive(traceId, e);
  }

  view(traceId: string): StagedViewData | null {
    const e = this.traces.get(traceId);
    if (!e || !this.derive(traceId, e)) return null;
    this.asked(e, 'columns');
    return e.data!;
  }

  private derive(traceId: string, e: Entry): boolean {
    if (!e.data) {
      let head: Pick<StagedViewData, 'summary' | 'meta'> | undefined = e.preview;
      if (!head) {
        const t = e.reader?.trace(traceId);
        if (!t) return false;
        const { meta, ...summary } = t;
        head = { summary, meta };
      }
      e.data = { summary: head.summary, meta: head.meta, columns: toColumns(this.skeleton(traceId, e)) };
    }
    return true;
  }

  analysis(traceId: string): TraceAnalysis | null {
    const e = this.traces.get(traceId);
    if (!e) return null;
    e.analysis ??= analyse(this.skeleton(traceId, e));
    this.asked(e, 'analysis');
    return e.analysis;
  }

  /** A span with its body: from the staging file, so a preview answers once the file is staged. */
  async span(traceId: string, spanId: string): Promise<Span | null> {
    const reader = await this.traces.get(traceId)?.staged;
    return reader?.span(traceId, spanId) ?? null;
  }

  async rootCause(traceId: string, spanId: string): Promise<RootCause | null> {
    const e = this.traces.get(traceId);
    if (!e) return null;
    const sk = this.skeleton(traceId, e);
    const target = sk.index.get(spanId);
    if (target === undefined) return null;
    const reader = await e.staged;
    if (!reader) return null;
    return computeRootCause(sk.spans, sk.tree, target, (i) => reader.span(traceId, sk.spans[i]!.spanId));
  }

  /** Names, ids, models, tools, kinds, status, durations; bodies once the trace is stored. */
  search(input: SpanFilter & { traceId: string }): SpanSearchResult | null {
    const e = this.traces.get(input.traceId);
    if (!e) return null;
    const sk = this.skeleton(input.traceId, e);
    return searchSpans(null, input, sk.spans, sk.tree);
  }

  /**
   * Resolves once a view has loaded the trace (its columns and analysis were answered), or after
   * `ms`, or when the trace is released. The import waits on this before writing on: that holds
   * this process for seconds, and the user is looking at the view.
   */
  whenViewed(traceId: string, ms: number): Promise<void> {
    const e = this.traces.get(traceId);
    if (!e || e.asked.size === 2) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        e!.viewed = undefined;
        // Let the answer that completed the view leave the process first.
        setImmediate(resolve);
      }
      e.viewed = done;
    });
  }

  private asked(e: Entry, what: 'columns' | 'analysis'): void {
    e.asked.add(what);
    if (e.asked.size === 2) e.viewed?.();
  }

  private skeleton(traceId: string, e: Entry): Skeleton {
    if (!e.skeleton) {
      const spans: SpanSummary[] = e.preview ? e.preview.spans : e.reader!.spanSummaries(traceId);
      e.skeleton = skeletonOf(spans);
    }
    return e.skeleton;
  }
}
