import type Database from 'better-sqlite3';
import type { FormatId, SpanStatus, SpanSummary, TraceMeta, TraceSummary } from '../model/types';
import { toRecordedEvaluation } from '../model/evaluations';
import { spanRowToSummary, traceRowToSummary, type SpanRow, type TraceRow } from './rows';
import { keepLive, LiveTrace, liveStats, takeLive, type SkeletonRow, type TraceAggregates } from './liveTrace';
import { writeRecordedEvaluations } from './recordedEvaluations';
import { repairTree } from '../import/repair';

type Skeleton = SkeletonRow;

/** Statements prepared once per connection: finalise runs once per trace, files hold thousands. */
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function stmt(db: Database.Database, sql: string): Database.Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}

export interface FinaliseArgs {
  traceId: string;
  meta: TraceMeta | undefined;
  format: FormatId;
  file: string;
  importId: number;
  warn: (message: string) => void;
  /**
   * Every stored span of the trace was written by this import and none was repaired yet (replace
   * mode: the writer cleared the trace first). Then the tree parents still equal the source
   * parents, so the spans are read from the covering spans_skeleton index instead of the table
   * (whose rows carry the bodies), and there are no earlier repairs to undo.
   */
  fresh?: boolean;
  /**
   * Merge mode (live OTLP): the spans this import stored in the trace, in seq order. When the
   * trace's live state is held (liveTrace.ts) they are folded in incrementally; otherwise the
   * trace is finalised whole and its live state built for the next batch.
   */
  added?: SkeletonRow[];
}

interface StoredTrace {
  imported_at: number;
  meta: string;
  import_id: number;
  span_count: number;
}

/**
 * Repairs one trace's tree (see repair.ts) and writes its traces row with aggregates.
 * Runs inside the import transaction. Returns the number of spans in the trace.
 */
export function finaliseTrace(db: Database.Database, a: FinaliseArgs): number {
  if (a.added) {
    const n = finaliseLive(db, a, a.added);
    if (n !== null) return n;
  }
  // Repairs are recomputed from the source parents every time (idempotent): in merge mode a
  // parent that arrives in a later OTLP request re-links its children.
  if (!a.fresh) stmt(db, 'DELETE FROM spans WHERE trace_id = ? AND seq = -1').run(a.traceId);
  const rows = (
    a.fresh
      ? stmt(
          db,
          `SELECT span_id, tree_parent_id AS parent_id, seq, name, kind, status, start_ms, end_ms, input_tokens, output_tokens, cost_usd
             FROM spans INDEXED BY spans_skeleton WHERE trace_id = ? ORDER BY seq`,
        )
      : stmt(
          db,
          `SELECT span_id, parent_id, seq, name, kind, status, start_ms, end_ms, input_tokens, output_tokens, cost_usd
             FROM spans WHERE trace_id = ? ORDER BY seq`,
        )
  ).all(a.traceId) as Skeleton[];
  const existing = readStored(db, a.traceId);
  if (rows.length === 0) {
    stmt(db, 'DELETE FROM traces WHERE id = ?').run(a.traceId);
    stmt(db, 'DELETE FROM recorded_evaluations WHERE trace_id = ?').run(a.traceId);
    if (a.meta) a.warn(`trace ${a.traceId} has no spans: not stored`);
    return 0;
  }

  const { repair, agg, hasUsage, usageBelow, llmBelow } = aggregateTrace(rows, a.meta?.orphanParent);

  // Rows are inserted with tree parent = source parent; only earlier repairs need undoing.
  if (!a.fresh) {
    stmt(db, 'UPDATE spans SET tree_parent_id = parent_id WHERE trace_id = ? AND tree_parent_id IS NOT parent_id').run(
      a.traceId,
    );
  }
  const setTreeParent = stmt(db, 'UPDATE spans SET tree_parent_id = ? WHERE trace_id = ? AND span_id = ?');
  for (const [i, parent] of repair.reparent) setTreeParent.run(parent, a.traceId, rows[i]!.span_id);
  for (const [i, old] of repair.cycleBroken) {
    a.warn(`trace ${a.traceId}: parent cycle broken at span ${rows[i]!.span_id} (was child of ${old})`);
  }
  warnMissingParents(a, repair.missingParent.size, repair.adoptedBy, repair.syntheticRoot !== null);
  if (repair.syntheticRoot) writeSyntheticRoot(db, a, repair.syntheticRoot);

  writeTraceRow(db, a, agg, existing);
  // Merge mode: keep what the next batch needs to be folded in without re-reading the trace.
  // Cycles and adoptive roots are repaired by re-walking the whole tree, so such traces stay on
  // this path.
  if (a.added && repair.cycleBroken.size === 0 && repair.adoptedBy === null && !a.meta?.orphanParent) {
    liveStats.whole++;
    const live = LiveTrace.fromFull(rows, repair.parentIndex, repair.missingParent, hasUsage, usageBelow, llmBelow, agg);
    live.importId = a.importId;
    keepLive(db, a.traceId, live);
  }
  return rows.length;
}

/**
 * The tree repairs and the traces-row aggregates of one trace's spans (in seq order): pure, so the
 * stored trace (finaliseTrace) and a file's preview before it is written (previewTrace) are one
 * computation.
 */
function aggregateTrace(rows: Skeleton[], orphanParent: string | undefined) {
  const repair = repairTree({
    ids: rows.map((r) => r.span_id),
    parents: rows.map((r) => r.parent_id),
    starts: rows.map((r) => r.start_ms),
    ends: rows.map((r) => r.end_ms),
    orphanParent,
  });

  // Aggregates. Usage counts only on the innermost spans that carry it: SDKs roll usage up onto
  // wrapper spans (Vercel ai.generateText over ai.generateText.doGenerate), which must not double.
  const n = rows.length;
  const hasUsage = new Uint8Array(n);
  const usageBelow = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.input_tokens !== null || r.output_tokens !== null || r.cost_usd !== null) hasUsage[i] = 1;
  }
  // Likewise an LLM span wrapping another LLM span (a streamed OTLP export can't tell which is the
  // wrapper until the trace is complete) is one model call: only the innermost counts.
  const llmBelow = new Uint8Array(n);
  const order = repair.order;
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k]!;
    const p = repair.parentIndex[i]!;
    if (p < 0) continue;
    if (hasUsage[i] || usageBelow[i]) usageBelow[p] = 1;
    if (rows[i]!.kind === 'llm' || llmBelow[i]) llmBelow[p] = 1;
  }

  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  let llm = 0;
  let tools = 0;
  let toolErrors = 0;
  let inTok = 0;
  let outTok = 0;
  let cost: number | null = null;
  // The trace status is the run's outcome, not "some span failed": a failed tool call the agent
  // recovered from is counted in errors / toolErrors, not here. An importer that knows the outcome
  // (Inspect sample error, Claude Code API error …) states it in meta.status; otherwise the true
  // roots decide (spans without a source parent; orphans only when there is no true root).
  let rootErr = 0;
  let rootOk = 0;
  let orphanErr = 0;
  let orphanOk = 0;
  let trueRoots = 0;
  let rootName: string | null = null;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    start = Math.min(start, r.start_ms);
    end = Math.max(end, r.end_ms ?? r.start_ms);
    if (r.status === 'error') errors++;
    if (repair.parentIndex[i]! < 0) {
      const isTrueRoot = !repair.missingParent.has(i) && !repair.cycleBroken.has(i);
      if (isTrueRoot) {
        trueRoots++;
        if (r.status === 'error') rootErr++;
        if (r.status === 'ok') rootOk++;
      } else {
        if (r.status === 'error') orphanErr++;
        if (r.status === 'ok') orphanOk++;
      }
    }
    if (r.kind === 'llm' && !llmBelow[i]) llm++;
    if (r.kind === 'tool') {
      tools++;
      if (r.status === 'error') toolErrors++;
    }
    if (hasUsage[i] && !usageBelow[i]) {
      inTok += r.input_tokens ?? 0;
      outTok += r.output_tokens ?? 0;
      if (r.cost_usd !== null) cost = (cost ?? 0) + r.cost_usd;
    }
    if (rootName === null && repair.parentIndex[i] === -1) rootName = r.name;
  }
  const agg: TraceAggregates = {
    n,
    start,
    end,
    errors,
    llm,
    tools,
    toolErrors,
    inTok,
    outTok,
    cost,
    trueRoots,
    rootErr,
    rootOk,
    orphanErr,
    orphanOk,
    missingParents: repair.missingParent.size,
    rootName,
    firstName: rows[0]!.name,
    synthetic: repair.syntheticRoot,
  };
  return { repair, agg, hasUsage, usageBelow, llmBelow };
}

/** A span as a replace-mode import stores it, without its body (SkeletonRow + model and tool). */
export type PreviewRow = SkeletonRow & Pick<SpanRow, 'model' | 'tool_name'>;

/** A trace of a file as it will be stored: its traces row and span summaries, before any write. */
export interface TracePreview {
  summary: TraceSummary;
  meta: Omit<TraceMeta, 'traceId'>;
  /** In seq order (a synthetic root first), tree parents repaired: as getSpanSummaries reads them. */
  spans: SpanSummary[];
}

/**
 * What finaliseTrace stores for a fresh trace (replace mode) and the staged reader then reads,
 * computed in memory from the rows the writer is storing (the same repairs, aggregates and
 * traces row): the trace of a file the user opened, shown before its write and finish end.
 */
export function previewTrace(a: Pick<FinaliseArgs, 'traceId' | 'meta' | 'format' | 'file' | 'importId'>, rows: PreviewRow[]): TracePreview | null {
  if (rows.length === 0) return null;
  const { repair, agg } = aggregateTrace(rows, a.meta?.orphanParent);
  const evals = { p: 0, f: 0 };
  for (const e of a.meta?.evaluations ?? []) {
    const pass = toRecordedEvaluation(e).pass;
    if (pass === true) evals.p++;
    else if (pass === false) evals.f++;
  }
  const row = traceRowOf(a, agg, a.meta, evals, Date.now());
  const spans: SpanSummary[] = [];
  if (repair.syntheticRoot) spans.push(syntheticRootSummary(a.meta, repair.syntheticRoot));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    spans.push(spanRowToSummary({ ...r, tree_parent_id: repair.reparent.has(i) ? repair.reparent.get(i)! : r.parent_id }));
  }
  return { summary: traceRowToSummary(row), meta: JSON.parse(row.meta) as Omit<TraceMeta, 'traceId'>, spans };
}

/**
 * Folds a merge batch into the trace's live state, writing only what changed. Null when there is
 * no usable state (none held, or the stored trace is not the one it describes: another writer,
 * a rolled-back batch, a deleted trace) or the batch needs the one-shot finalise.
 */
function finaliseLive(db: Database.Database, a: FinaliseArgs, added: SkeletonRow[]): number | null {
  const live = takeLive(db, a.traceId);
  if (!live || a.meta?.orphanParent) return null;
  const existing = readStored(db, a.traceId);
  if (!existing || existing.import_id !== live.importId || existing.span_count !== live.agg.n + (live.agg.synthetic ? 1 : 0))
    return null;
  const plan = live.add(added);
  if (!plan) return null;
  const setTreeParent = stmt(db, 'UPDATE spans SET tree_parent_id = ? WHERE trace_id = ? AND span_id = ?');
  for (const [id, parent] of plan.treeParents) setTreeParent.run(parent, a.traceId, id);
  stmt(db, 'DELETE FROM spans WHERE trace_id = ? AND seq = -1').run(a.traceId);
  warnMissingParents(a, live.agg.missingParents, null, plan.synthetic !== null);
  if (plan.synthetic) writeSyntheticRoot(db, a, plan.synthetic);
  live.agg.rootName =
    plan.singleRoot === null
      ? null
      : (stmt(db, 'SELECT name FROM spans WHERE trace_id = ? AND span_id = ?').get(a.traceId, plan.singleRoot) as {
          name: string;
        }).name;
  writeTraceRow(db, a, live.agg, existing);
  liveStats.folded++;
  live.importId = a.importId;
  keepLive(db, a.traceId, live);
  return live.agg.n;
}

function readStored(db: Database.Database, traceId: string): StoredTrace | undefined {
  return stmt(db, 'SELECT imported_at, meta, import_id, span_count FROM traces WHERE id = ?').get(traceId) as
    | StoredTrace
    | undefined;
}

function warnMissingParents(a: FinaliseArgs, count: number, adoptedBy: string | null, synthetic: boolean): void {
  if (count === 0) return;
  a.warn(
    `trace ${a.traceId}: ${count} span(s) name a parent that is not in the trace` +
      (adoptedBy !== null
        ? `; attached to the trace root ${adoptedBy}`
        : synthetic
          ? '; attached to a synthetic root'
          : '; shown as root'),
  );
}

function writeSyntheticRoot(db: Database.Database, a: FinaliseArgs, r: { id: string; startMs: number; endMs: number }): void {
  const s = syntheticRootSummary(a.meta, r);
  stmt(
    db,
    `INSERT INTO spans (trace_id, span_id, parent_id, tree_parent_id, seq, name, kind, status, start_ms, end_ms, body)
     VALUES (?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    a.traceId,
    s.spanId,
    s.seq,
    s.name,
    s.kind,
    s.status,
    s.startMs,
    s.endMs,
    JSON.stringify({ attributes: { 'tracedeck.synthetic': true }, events: [] }),
  );
}

/** The synthetic root that holds a trace's several roots (seq -1: first in source order). */
function syntheticRootSummary(meta: TraceMeta | undefined, r: { id: string; startMs: number; endMs: number }): SpanSummary {
  return {
    spanId: r.id,
    parentId: null,
    seq: -1,
    name: meta?.name ?? '(trace)',
    kind: 'other',
    status: 'unset',
    startMs: r.startMs,
    endMs: r.endMs,
    model: null,
    toolName: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
  };
}

/** The traces row (with recorded evaluations) from a trace's aggregates. */
function writeTraceRow(db: Database.Database, a: FinaliseArgs, agg: TraceAggregates, existing: StoredTrace | undefined): void {
  // Merge-mode batches often carry no trace meta: keep what an earlier batch stored.
  const m: Partial<TraceMeta> | undefined = a.meta ?? (existing ? JSON.parse(existing.meta) : undefined);
  // A batch without meta (OTLP merge mode) keeps the evaluations an earlier batch stored.
  if (a.meta) writeRecordedEvaluations(db, a.traceId, a.meta.evaluations ?? []);
  const evals = stmt(
    db,
    'SELECT coalesce(sum(pass = 1), 0) AS p, coalesce(sum(pass = 0), 0) AS f FROM recorded_evaluations WHERE trace_id = ?',
  ).get(a.traceId) as { p: number; f: number };
  const r = traceRowOf(a, agg, m, evals, existing?.imported_at ?? Date.now());
  stmt(
    db,
    `INSERT OR REPLACE INTO traces (id, name, format, source_file, import_id, service, version, session_id,
       start_ms, end_ms, duration_ms, status, span_count, error_count, llm_calls, tool_calls, tool_errors,
       input_tokens, output_tokens, cost_usd, imported_at, meta, eval_pass, eval_fail)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  ).run(
    r.id,
    r.name,
    r.format,
    r.source_file,
    r.import_id,
    r.service,
    r.version,
    r.session_id,
    r.start_ms,
    r.end_ms,
    r.duration_ms,
    r.status,
    r.span_count,
    r.error_count,
    r.llm_calls,
    r.tool_calls,
    r.tool_errors,
    r.input_tokens,
    r.output_tokens,
    r.cost_usd,
    r.imported_at,
    r.meta,
    r.eval_pass,
    r.eval_fail,
  );
}

/** A trace's traces row from its aggregates and meta (what writeTraceRow stores, what a preview shows). */
function traceRowOf(
  a: Pick<FinaliseArgs, 'traceId' | 'format' | 'file' | 'importId'>,
  agg: TraceAggregates,
  m: Partial<TraceMeta> | undefined,
  evals: { p: number; f: number },
  importedAt: number,
): TraceRow {
  const [anyErr, anyOk] = agg.trueRoots > 0 ? [agg.rootErr > 0, agg.rootOk > 0] : [agg.orphanErr > 0, agg.orphanOk > 0];
  const status: SpanStatus = m?.status ?? (anyErr ? 'error' : anyOk ? 'ok' : 'unset');
  const metaJson = JSON.stringify({
    name: m?.name,
    service: m?.service,
    version: m?.version,
    sessionId: m?.sessionId,
    status: m?.status,
    statusMessage: m?.statusMessage,
    input: m?.input,
    output: m?.output,
    metadata: m?.metadata ?? {},
    ...(m?.mergedFrom?.length ? { mergedFrom: m.mergedFrom } : {}),
  });
  return {
    id: a.traceId,
    name: m?.name ?? agg.rootName ?? agg.firstName,
    format: a.format,
    source_file: m?.sourceFile ?? a.file,
    import_id: a.importId,
    service: m?.service ?? null,
    version: m?.version ?? null,
    session_id: m?.sessionId ?? null,
    start_ms: agg.start,
    end_ms: agg.end,
    duration_ms: agg.end - agg.start,
    status,
    span_count: agg.n + (agg.synthetic ? 1 : 0),
    error_count: agg.errors,
    llm_calls: agg.llm,
    tool_calls: agg.tools,
    tool_errors: agg.toolErrors,
    input_tokens: agg.inTok,
    output_tokens: agg.outTok,
    cost_usd: agg.cost,
    imported_at: importedAt,
    meta: metaJson,
    eval_pass: evals.p,
    eval_fail: evals.f,
  };
}
