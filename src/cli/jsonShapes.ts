import type { FormatInfo, ImportOutcome, Span, TraceDetail, TraceSummary } from '../shared/api';

/**
 * The CLI's --json shapes (docs/cli.md). Objects are rebuilt key by key so the key order is part
 * of the contract, independent of how the store happens to assemble them.
 */

export function outcomeJson(o: ImportOutcome) {
  return {
    source: o.source,
    ok: o.ok,
    format: o.format ?? null,
    traceIds: o.traceIds,
    spanCount: o.spanCount,
    warnings: o.warnings,
    unchanged: o.unchanged ?? false,
    error: o.error ?? null,
  };
}

export function traceSummaryJson(t: TraceSummary) {
  return {
    traceId: t.traceId,
    name: t.name,
    format: t.format,
    sourceFile: t.sourceFile,
    service: t.service,
    version: t.version,
    status: t.status,
    startMs: t.startMs,
    endMs: t.endMs,
    durationMs: t.durationMs,
    spanCount: t.spanCount,
    errorCount: t.errorCount,
    llmCalls: t.llmCalls,
    toolCalls: t.toolCalls,
    toolErrors: t.toolErrors,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    costUsd: t.costUsd,
    importedAt: t.importedAt,
    evalPass: t.evalPass,
    evalFail: t.evalFail,
  };
}

export function traceMetaJson(meta: TraceDetail['meta']) {
  return {
    name: meta.name,
    service: meta.service,
    version: meta.version,
    sessionId: meta.sessionId,
    input: meta.input,
    output: meta.output,
    metadata: meta.metadata,
  };
}

/**
 * A span with its body. Required keys always appear; optional ones (absent in the source) are
 * left out rather than written as null, so `"usage" in span` means the source had usage.
 */
export function spanJson(s: Span) {
  return {
    spanId: s.spanId,
    parentId: s.parentId,
    name: s.name,
    kind: s.kind,
    sourceKind: s.sourceKind,
    status: s.status,
    statusMessage: s.statusMessage,
    startMs: s.startMs,
    endMs: s.endMs,
    model: s.model,
    provider: s.provider,
    usage: s.usage,
    toolCall: s.toolCall,
    input: s.input,
    output: s.output,
    inputMessages: s.inputMessages,
    outputMessages: s.outputMessages,
    documents: s.documents,
    attributes: s.attributes,
    events: s.events,
    links: s.links,
  };
}

export function formatInfoJson(f: FormatInfo) {
  return { id: f.id, label: f.label, extensions: f.extensions };
}

/** Pretty JSON with a fixed indent; `undefined` members vanish (JSON.stringify semantics). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
