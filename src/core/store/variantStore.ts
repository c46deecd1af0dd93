import type Database from 'better-sqlite3';
import type { ReplayResponse, VariantInfo } from '../model/replay';
import type { Message } from '../model/types';
import type { SpanBody } from './rows';
import { readerOf, writerOf } from './connection';
import type { Workspace } from './workspace';

/**
 * Variants of a trace made by replaying one of its LLM calls. A variant is a trace of its own —
 * the source trace's rows copied under a new id (`SOURCE~replay-N`) with the replayed span's
 * input, output, model and usage replaced — so the library, the trace view and every judge path
 * take it as they are; `trace_variants` links it back to the span.
 */

export interface SaveVariantArgs {
  sourceTraceId: string;
  spanId: string;
  /** The request sent, as JSON text. */
  request: string;
  inputMessages: Message[];
  response: ReplayResponse;
}

export class VariantStore {
  constructor(private readonly db: Database.Database) {}

  /** Reads on the workspace's reader connection. */
  static reading(ws: Workspace): VariantStore {
    return new VariantStore(readerOf(ws));
  }

  /** Writes on the writer connection: only inside `ws.exclusive`. */
  static writing(ws: Workspace): VariantStore {
    return new VariantStore(writerOf(ws));
  }

  /** Call inside `ws.exclusive`. Returns the new trace's id. Throws when the span is gone. */
  save(a: SaveVariantArgs): VariantInfo {
    const db = this.db;
    const src = db.prepare('SELECT name, meta, input_tokens, output_tokens FROM traces WHERE id = ?').get(a.sourceTraceId) as
      | { name: string; meta: string; input_tokens: number; output_tokens: number }
      | undefined;
    if (!src) throw new Error(`no trace '${a.sourceTraceId}'`);
    const span = db.prepare('SELECT body, input_tokens, output_tokens FROM spans WHERE trace_id = ? AND span_id = ?').get(a.sourceTraceId, a.spanId) as
      | { body: string; input_tokens: number | null; output_tokens: number | null }
      | undefined;
    if (!span) throw new Error(`no span '${a.spanId}' in trace '${a.sourceTraceId}'`);

    const taken = db.prepare('SELECT 1 FROM traces WHERE id = ?');
    let n = 1;
    while (taken.get(`${a.sourceTraceId}~replay-${n}`)) n++;
    const id = `${a.sourceTraceId}~replay-${n}`;
    const name = `${src.name} · replay ${n}`;
    const createdAt = Date.now();

    const meta = JSON.parse(src.meta) as { metadata?: Record<string, unknown> };
    meta.metadata = { ...(meta.metadata ?? {}), 'tracedeck.variant_of': { traceId: a.sourceTraceId, spanId: a.spanId, model: a.response.model } };

    const r = a.response;
    const inTok = r.inputTokens ?? 0;
    const outTok = r.outputTokens ?? 0;
    // The trace's token totals change by what this span's usage changed (the span is a leaf model
    // call, counted once in the totals); cost is unknown for the new answer, so it is dropped.
    db.prepare(
      `INSERT INTO traces (id, name, format, source_file, import_id, service, version, session_id, start_ms, end_ms,
         duration_ms, status, span_count, error_count, llm_calls, tool_calls, tool_errors, input_tokens, output_tokens,
         cost_usd, imported_at, meta, eval_pass, eval_fail)
       SELECT @id, @name, format, source_file, import_id, service, version, session_id, start_ms, end_ms,
         duration_ms, status, span_count, error_count, llm_calls, tool_calls, tool_errors,
         max(0, input_tokens - @oldIn + @newIn), max(0, output_tokens - @oldOut + @newOut),
         NULL, @now, @meta, 0, 0
         FROM traces WHERE id = @src`,
    ).run({
      id,
      name,
      src: a.sourceTraceId,
      oldIn: span.input_tokens ?? 0,
      oldOut: span.output_tokens ?? 0,
      newIn: inTok,
      newOut: outTok,
      now: createdAt,
      meta: JSON.stringify(meta),
    });
    db.prepare(
      `INSERT INTO spans (trace_id, span_id, parent_id, tree_parent_id, seq, name, kind, status, start_ms, end_ms, model,
         tool_name, input_tokens, output_tokens, cost_usd, body)
       SELECT @id, span_id, parent_id, tree_parent_id, seq, name, kind, status, start_ms, end_ms, model,
         tool_name, input_tokens, output_tokens, cost_usd, body
         FROM spans WHERE trace_id = @src`,
    ).run({ id, src: a.sourceTraceId });

    const body = JSON.parse(span.body) as SpanBody;
    body.inputMessages = a.inputMessages;
    body.outputMessages = r.messages;
    body.output = r.messages.map((m) => m.content).join('\n\n');
    delete body.input;
    body.usage = { ...(r.inputTokens !== null ? { inputTokens: r.inputTokens } : {}), ...(r.outputTokens !== null ? { outputTokens: r.outputTokens } : {}) };
    body.attributes = {
      ...(body.attributes ?? {}),
      'tracedeck.replay.of_trace': a.sourceTraceId,
      'tracedeck.replay.of_span': a.spanId,
      'tracedeck.replay.model': r.model,
      'tracedeck.replay.finish_reason': r.finishReason,
    };
    db.prepare(
      `UPDATE spans SET body = ?, model = ?, status = 'ok', input_tokens = ?, output_tokens = ?, cost_usd = NULL
        WHERE trace_id = ? AND span_id = ?`,
    ).run(JSON.stringify(body), r.model, r.inputTokens, r.outputTokens, id, a.spanId);
    db.prepare(
      'INSERT INTO trace_variants (trace_id, source_trace_id, source_span_id, model, request, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, a.sourceTraceId, a.spanId, r.model, a.request, createdAt);
    return { traceId: id, sourceTraceId: a.sourceTraceId, sourceSpanId: a.spanId, model: r.model, createdAt, name };
  }

  /** Variants of one span (or of any span of the trace), oldest first; deleted variants drop out. */
  list(sourceTraceId: string, spanId?: string): VariantInfo[] {
    const rows = this.db
      .prepare(
        `SELECT v.trace_id, v.source_trace_id, v.source_span_id, v.model, v.created_at, t.name
           FROM trace_variants v JOIN traces t ON t.id = v.trace_id
          WHERE v.source_trace_id = ? AND (? IS NULL OR v.source_span_id = ?)
          ORDER BY v.created_at, v.trace_id`,
      )
      .all(sourceTraceId, spanId ?? null, spanId ?? null) as {
      trace_id: string;
      source_trace_id: string;
      source_span_id: string;
      model: string;
      created_at: number;
      name: string;
    }[];
    return rows.map((r) => ({
      traceId: r.trace_id,
      sourceTraceId: r.source_trace_id,
      sourceSpanId: r.source_span_id,
      model: r.model,
      createdAt: r.created_at,
      name: r.name,
    }));
  }

  /** What a variant trace replays, or null for an ordinary trace. */
  sourceOf(traceId: string): VariantInfo | null {
    const r = this.db
      .prepare(
        `SELECT v.trace_id, v.source_trace_id, v.source_span_id, v.model, v.created_at, t.name
           FROM trace_variants v JOIN traces t ON t.id = v.trace_id WHERE v.trace_id = ?`,
      )
      .get(traceId) as
      | { trace_id: string; source_trace_id: string; source_span_id: string; model: string; created_at: number; name: string }
      | undefined;
    return r
      ? { traceId: r.trace_id, sourceTraceId: r.source_trace_id, sourceSpanId: r.source_span_id, model: r.model, createdAt: r.created_at, name: r.name }
      : null;
  }
}
