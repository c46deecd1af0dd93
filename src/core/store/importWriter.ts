import type Database from 'better-sqlite3';
import type { FormatId, Span, TraceMeta } from '../model/types';
import { SPAN_KINDS, SPAN_STATUSES } from '../model/types';
import type { ImportSink } from '../formats/types';
import { ImportError } from '../util/errors';
import type { SpanBody } from './rows';
import { boundValue, type SanitizeReport } from '../import/sanitize';
import { retrievedDocuments } from '../formats/common/documents';
import { finaliseTrace, previewTrace, type PreviewRow, type TracePreview } from './finalise';
import { indexMergedSpans, traceFingerprint } from './view';
import type { Workspace } from './workspace';
import { writerOf } from './connection';
import type { SkeletonRow } from './liveTrace';

export type WriteMode =
  /** A file is the authority for the traces it holds: their old spans are replaced. */
  | 'replace'
  /** Live OTLP: spans of one trace arrive over many requests and are merged. */
  | 'merge';

const MAX_WARNINGS = 200;

/** Span bodies held back while a file is previewed (keepPreview) before they are written anyway. */
const HOLD_MAX_CHARS = 128 * 1024 * 1024;

/**
 * Receives normalised spans from an importer and writes them into the already-open transaction.
 * Validation and per-span repairs happen here so every format gets them; whole-trace repairs
 * (missing parents, cycles, several roots) happen in finalise() once the trace is complete.
 */
export class ImportWriter implements ImportSink {
  readonly warnings: string[] = [];
  spanCount = 0;
  private droppedWarnings = 0;
  private readonly seen = new Map<string, Set<string>>();
  private readonly seq = new Map<string, number>();
  private readonly metas = new Map<string, TraceMeta>();
  /** Merge mode: each touched trace as it was before this import (the text index follows it). */
  readonly mergeBase = new Map<string, { fingerprint: string | null; spanCount: number; maxSeq: number }>();
  /** Merge mode: each trace's spans stored by this import, for the incremental finalise. */
  private readonly added = new Map<string, SkeletonRow[]>();
  /** Replace mode, after keepPreview(): each trace's spans as stored, for previews(). */
  private preview: Map<string, PreviewRow[]> | null = null;
  private previewMax = 0;
  /** While previewing: rows not written yet (writeHeld), in order, and their bodies' size. */
  private held: (readonly unknown[])[] | null = null;
  private heldChars = 0;
  private readonly report: SanitizeReport = { truncated: 0 };
  private readonly insert: Database.Statement;
  private readonly clear: Database.Statement;
  private readonly maxSeq: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly format: FormatId,
    private readonly importId: number,
    private readonly mode: WriteMode,
  ) {
    this.insert = db.prepare(
      `INSERT OR REPLACE INTO spans (trace_id, span_id, parent_id, tree_parent_id, seq, name, kind, status,
         start_ms, end_ms, model, tool_name, input_tokens, output_tokens, cost_usd, body)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    this.clear = db.prepare('DELETE FROM spans WHERE trace_id = ?');
    this.maxSeq = db.prepare(
      'SELECT coalesce((SELECT max(seq) FROM spans WHERE trace_id = ?), -1) AS m, coalesce((SELECT span_count FROM traces WHERE id = ?), 0) AS n',
    );
  }

  /** A writer merging into the workspace's stored traces (live OTLP): use inside `ws.exclusive`. */
  static merging(ws: Workspace, file: string, format: FormatId, importId: number): ImportWriter {
    return new ImportWriter(writerOf(ws), file, format, importId, 'merge');
  }

  /** Merge mode, after finish(): the touched traces' text indexes follow this import (see view.ts). */
  indexMerged(buildFrom: number): void {
    for (const [traceId, before] of this.mergeBase) indexMergedSpans(this.db, traceId, before, buildFrom);
  }

  warn(message: string): void {
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(`${this.file}: ${message}`);
    else this.droppedWarnings++;
  }

  trace(meta: TraceMeta): void {
    if (!meta.traceId) throw new ImportError(this.file, 'trace without an id');
    // Trace-level input/output/metadata are as untrusted as span bodies and get the same bounds:
    // unbounded, a 20k-deep value made finalise's JSON.stringify overflow the stack (fuzzing).
    const before = this.report.truncated;
    meta = boundValue(meta, this.report) as TraceMeta;
    if (this.report.truncated > before) this.warn(`trace ${meta.traceId}: oversized values truncated`);
    this.touch(meta.traceId);
    const prev = this.metas.get(meta.traceId);
    this.metas.set(meta.traceId, prev ? { ...prev, ...meta, metadata: { ...prev.metadata, ...meta.metadata } } : meta);
  }

  span(span: Span): void {
    const where = { spanId: span.spanId };
    if (typeof span.traceId !== 'string' || span.traceId === '')
      throw new ImportError(this.file, `span ${this.spanCount + 1} has no trace id`, where);
    if (typeof span.spanId !== 'string' || span.spanId === '')
      throw new ImportError(this.file, `span ${this.spanCount + 1} of trace ${span.traceId} has no span id`);
    if (!Number.isFinite(span.startMs))
      throw new ImportError(this.file, `start time is not a valid time (${String(span.startMs)})`, where);
    if (!SPAN_KINDS.includes(span.kind)) throw new ImportError(this.file, `unknown span kind '${span.kind}'`, where);
    if (!SPAN_STATUSES.includes(span.status))
      throw new ImportError(this.file, `unknown span status '${span.status}'`, where);

    const traceId = span.traceId;
    const ids = this.touch(traceId);
    let spanId = span.spanId;
    if (ids.has(spanId)) {
      // Documented repair: keep both spans; the later one gets a suffixed id.
      let k = 2;
      while (ids.has(`${span.spanId}#${k}`)) k++;
      spanId = `${span.spanId}#${k}`;
      this.warn(`duplicate span id ${span.spanId} in trace ${traceId}: second copy stored as ${spanId}`);
    }
    ids.add(spanId);

    let endMs = span.endMs;
    if (endMs !== null && !Number.isFinite(endMs)) endMs = null;
    if (endMs !== null && endMs < span.startMs) {
      this.warn(
        `span ${spanId} ends ${(span.startMs - endMs).toFixed(3)} ms before it starts: end set to start (duration 0)`,
      );
      endMs = span.startMs;
    }

    const body: SpanBody = {
      attributes: span.attributes,
      events: span.events,
      links: span.links,
      sourceKind: span.sourceKind,
      statusMessage: span.statusMessage,
      provider: span.provider,
      usage: span.usage,
      input: span.input,
      output: span.output,
      inputMessages: span.inputMessages,
      outputMessages: span.outputMessages,
      toolCall: span.toolCall,
      documents: span.documents ?? (span.kind === 'retrieval' ? retrievedDocuments(span.output) : undefined),
    };
    const before = this.report.truncated;
    const bounded = boundValue(body, this.report);
    if (this.report.truncated > before) this.warn(`span ${spanId}: oversized values truncated to 1 Mi characters`);

    const seq = this.seq.get(traceId)! + 1;
    this.seq.set(traceId, seq);
    const u = span.usage;
    const parentId = span.parentId === spanId ? null : span.parentId || null;
    const row = [
      traceId,
      spanId,
      parentId,
      parentId, // tree parent starts as the source parent; finalise() repairs where needed
      seq,
      String(span.name ?? ''),
      span.kind,
      span.status,
      span.startMs,
      endMs,
      span.model ?? null,
      span.toolCall?.name ?? null,
      u?.inputTokens ?? null,
      u?.outputTokens ?? null,
      u?.costUsd ?? null,
      JSON.stringify(bounded),
    ] as const;
    if (this.held) {
      this.held.push(row);
      this.heldChars += row[15].length;
      if (this.heldChars > HOLD_MAX_CHARS) this.writeHeld();
    } else this.insert.run(...row);
    if (span.parentId === spanId) this.warn(`span ${spanId} names itself as parent: made a root`);
    if (this.preview && this.spanCount >= this.previewMax) {
      this.preview = null;
      this.writeHeld();
    }
    if (this.preview || this.mode === 'merge') {
      // One summary for both uses: the opened file's preview and merge mode's finalise.
      const summary = {
        span_id: spanId,
        parent_id: parentId,
        seq,
        name: String(span.name ?? ''),
        kind: span.kind,
        status: span.status,
        start_ms: span.startMs,
        end_ms: endMs,
        model: span.model ?? null,
        tool_name: span.toolCall?.name ?? null,
        input_tokens: u?.inputTokens ?? null,
        output_tokens: u?.outputTokens ?? null,
        cost_usd: u?.costUsd ?? null,
      };
      this.preview?.get(traceId)!.push(summary);
      if (this.mode === 'merge') this.added.get(traceId)!.push(summary);
    }
    this.spanCount++;
  }

  /** First sight of a trace in this import: in replace mode, drop what an older import stored. */
  private touch(traceId: string): Set<string> {
    let ids = this.seen.get(traceId);
    if (ids) return ids;
    ids = new Set();
    this.seen.set(traceId, ids);
    if (this.mode === 'replace') {
      this.clear.run(traceId);
      this.seq.set(traceId, -1);
      this.preview?.set(traceId, []);
    } else {
      // Merge mode keeps stored spans; a re-sent span id replaces its stored row (INSERT OR REPLACE).
      const base = this.maxSeq.get(traceId, traceId) as { m: number; n: number };
      this.seq.set(traceId, base.m);
      this.mergeBase.set(traceId, { fingerprint: traceFingerprint(this.db, traceId), spanCount: base.n, maxSeq: base.m });
      this.added.set(traceId, []);
    }
    return ids;
  }

  /**
   * Replace mode, before any span: keep what previews() needs (summaries only, no bodies), for
   * files of up to `maxSpans` spans (beyond, it is let go and there is no preview). The rows'
   * writes wait meanwhile (up to HOLD_MAX_CHARS of bodies) until writeHeld(): the preview is
   * what the user waits for, the write is not.
   */
  keepPreview(maxSpans: number): void {
    if (this.mode === 'replace') {
      this.preview = new Map();
      this.previewMax = maxSpans;
      this.held = [];
    }
  }

  /** Writes the rows held back while previewing (in order), and writes the next ones at once. */
  writeHeld(): void {
    const rows = this.held;
    this.held = null;
    this.heldChars = 0;
    for (const row of rows ?? []) this.insert.run(...row);
  }

  /**
   * The traces as finish() will store them, computed in memory (finalise.ts previewTrace): a file
   * can be shown before its write ends. Once: the kept rows are let go.
   */
  previews(): TracePreview[] {
    const out: TracePreview[] = [];
    for (const [traceId, rows] of this.preview ?? []) {
      const p = previewTrace({ traceId, meta: this.metas.get(traceId), format: this.format, file: this.file, importId: this.importId }, rows);
      if (p) out.push(p);
    }
    this.preview = null;
    return out;
  }

  /** Every trace id this import named (also those that ended up with no spans). */
  touchedTraceIds(): Iterable<string> {
    return this.seen.keys();
  }

  /** Repairs and aggregates for every trace this import touched. Returns their ids. */
  finish(): string[] {
    this.writeHeld();
    if (this.droppedWarnings) this.warnings.push(`${this.file}: … and ${this.droppedWarnings} more warnings`);
    const traceIds: string[] = [];
    for (const traceId of this.seen.keys()) {
      const spans = finaliseTrace(this.db, {
        traceId,
        meta: this.metas.get(traceId),
        format: this.format,
        file: this.file,
        importId: this.importId,
        warn: (m) => this.warn(m),
        fresh: this.mode === 'replace',
        added: this.added.get(traceId),
      });
      if (spans > 0) traceIds.push(traceId);
    }
    return traceIds;
  }
}
