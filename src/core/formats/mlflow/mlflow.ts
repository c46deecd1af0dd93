import { readUsage, type UsageKeyTable } from '../common/usage';
import type { Message, RecordedEvaluationInput, Span, SpanEvent, SpanKind, SpanStatus, ToolCall, TraceMeta, Usage } from '../../model/types';
import type { FormatImporter, ImportSink, ImportSource } from '../types';
import { asNumber, asString, isRecord, maybeJson, parseJsonText, utf8 } from '../common/json';
import { normaliseMessage, normalisePrompt, normaliseReply } from '../common/messages';
import { interpretAttributes, type SemanticFields } from '../common/semconv';
import { durationStringToMs, isoToMs, nanosToMs } from '../common/time';
import { demoteWrapperModelSpans } from '../common/wrapperSpans';
import { ImportError } from '../../util/errors';

/**
 * MLflow traces (FORMATS.md §3): `Trace.to_json()` / `mlflow traces get` output
 * {info, data: {spans}}, the artifact `traces.json` {spans}, or a list of either. Span dicts come
 * in three generations: MLflow 2 ({context: {span_id: "0x…"}, parent_id, start_time ns,
 * status_code}), MLflow 3 (span_id/trace_id base64 of the OTel bytes, parent_span_id,
 * start_time_unix_nano, status {code: "STATUS_CODE_OK"}), and the newest (hex ids, trace_id
 * "tr-…", status {code: "OK"}). Every attribute value is JSON-encoded and decoded here.
 */
export const mlflowImporter: FormatImporter = {
  id: 'mlflow',
  label: 'MLflow trace',
  extensions: ['json'],
  signature: {
    tokens: ['info', 'data', 'request_id', 'request_metadata', 'trace_location', 'execution_time_ms', 'mlflow.spanType', 'span_id'],
    requires: 'an object {info, data: {spans}}',
  },
  sniff(_name, head) {
    const text = utf8(head);
    if (!/^\s*[[{]/.test(text)) return 0;
    const spans = /"spans"\s*:/.test(text);
    if (/"mlflow\.(spanType|traceRequestId|spanInputs|spanOutputs)"\s*:/.test(text) && (spans || /"(context|span_id)"\s*:/.test(text)))
      return 0.95;
    if (spans && /"(request_metadata|trace_metadata)"\s*:/.test(text)) return 0.9;
    if (spans && /"(request_id|trace_location)"\s*:/.test(text)) return 0.6;
    return 0;
  },
  async parse(source, sink) {
    const root = parseKeepingBigInts(source.name, utf8(await source.readAll()));
    for (const doc of documents(source, root)) importDocument(source, sink, doc);
  },
};

type Obj = Record<string, unknown>;

interface TraceDocument {
  info?: Obj;
  spans: unknown[];
  /** data.request / data.response of MLflow 2 Trace JSON. */
  data?: Obj;
  path: string;
}

/**
 * JSON.parse, except integers beyond 2^53 (MLflow 3 writes ns timestamps as bare numbers) are
 * kept as their decimal text so nanosecond values convert exactly.
 */
function parseKeepingBigInts(file: string, text: string): unknown {
  const revive = (_key: string, value: unknown, context?: { source?: string }): unknown =>
    typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
      ? context.source
      : value;
  try {
    return JSON.parse(text, revive as (this: unknown, key: string, value: unknown) => unknown);
  } catch {
    return parseJsonText(file, text); // throws with line and column
  }
}

function documents(source: ImportSource, root: unknown): TraceDocument[] {
  if (Array.isArray(root)) {
    if (root.length > 0 && root.every(looksLikeSpan)) return [{ spans: root, path: '$' }];
    return root.map((item, i) => document(source, item, `[${i}]`));
  }
  if (isRecord(root) && Array.isArray(root.traces)) return root.traces.map((t, i) => document(source, t, `traces[${i}]`));
  return [document(source, root, '$')];
}

function document(source: ImportSource, v: unknown, path: string): TraceDocument {
  if (isRecord(v) && isRecord(v.data) && Array.isArray(v.data.spans))
    return { info: isRecord(v.info) ? v.info : undefined, spans: v.data.spans, data: v.data, path: `${path}.data.spans` };
  if (isRecord(v) && Array.isArray(v.spans)) return { info: isRecord(v.info) ? v.info : undefined, spans: v.spans, path: `${path}.spans` };
  throw new ImportError(source.name, 'not an MLflow trace: expected {info, data: {spans}} or {spans}', { path });
}

function looksLikeSpan(v: unknown): boolean {
  return isRecord(v) && (isRecord(v.context) || 'span_id' in v) && 'attributes' in v;
}

function importDocument(source: ImportSource, sink: ImportSink, doc: TraceDocument): void {
  const info = doc.info;
  const infoTraceId = info ? asString(info.trace_id) ?? asString(info.request_id) : undefined;
  const spans = doc.spans.map((raw, i) => spanOf(source, raw, `${doc.path}[${i}]`, infoTraceId));
  demoteWrapperModelSpans(spans);

  const traceIds = [...new Set(spans.map((s) => s.traceId))];
  if (info && infoTraceId) sink.trace(traceMeta(info, infoTraceId, doc.data, spans));
  else for (const id of traceIds) sink.trace(artifactMeta(id, spans));
  for (const s of spans) sink.span(s);
}

const KIND_BY_SPAN_TYPE: Record<string, SpanKind> = {
  LLM: 'llm',
  CHAT_MODEL: 'llm',
  AGENT: 'agent',
  TOOL: 'tool',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  EMBEDDING: 'embedding',
  CHAIN: 'chain',
  PARSER: 'chain',
  MEMORY: 'chain',
  GUARDRAIL: 'chain',
  EVALUATOR: 'chain',
};

/** Attributes shown as the span's input/output instead (they are the bulk of a span). */
const IO_ATTRIBUTES = new Set(['mlflow.spanInputs', 'mlflow.spanOutputs']);

function spanOf(source: ImportSource, raw: unknown, path: string, infoTraceId: string | undefined): Span {
  if (!isRecord(raw)) throw new ImportError(source.name, 'span is not an object', { path });
  const v2 = isRecord(raw.context);
  const ctx = v2 ? (raw.context as Obj) : raw;
  const spanId = normaliseId(ctx.span_id);
  if (!spanId) throw new ImportError(source.name, 'span has no span_id', { path });
  const attrs = decodeAttributes(raw.attributes);
  const parentRaw = v2 ? raw.parent_id : raw.parent_span_id;
  const parentId = normaliseId(parentRaw) ?? null;

  const requestId = asString(attrs['mlflow.traceRequestId']);
  const spanTrace = asString(ctx.trace_id);
  const traceId =
    infoTraceId ?? requestId ?? (spanTrace?.startsWith('tr-') ? spanTrace : undefined) ?? normaliseId(raw.otel_trace_id ?? ctx.trace_id);
  if (!traceId) throw new ImportError(source.name, 'span has no trace id', { path, spanId });

  const startMs = nanosToMs(v2 ? raw.start_time : raw.start_time_unix_nano);
  if (startMs === undefined) throw new ImportError(source.name, 'span has no valid start time', { path, spanId });
  const endMs = nanosToMs(v2 ? raw.end_time : raw.end_time_unix_nano) ?? null;

  const name = asString(raw.name) ?? 'span';
  const events = spanEvents(raw.events);
  const { status, message } = spanStatus(raw, events);
  const spanType = asString(attrs['mlflow.spanType']) ?? asString(raw.span_type);
  const sem: Partial<SemanticFields> = spanType && spanType !== 'UNKNOWN' ? {} : interpretAttributes(attrs, name);
  const kind: SpanKind = (spanType ? KIND_BY_SPAN_TYPE[spanType.toUpperCase()] : undefined) ?? sem.kind ?? 'other';

  const attributes: Obj = {};
  for (const [k, v] of Object.entries(attrs)) if (!IO_ATTRIBUTES.has(k)) attributes[k] = v;
  const inputs = 'mlflow.spanInputs' in attrs ? attrs['mlflow.spanInputs'] : sem.input;
  const outputs = 'mlflow.spanOutputs' in attrs ? attrs['mlflow.spanOutputs'] : sem.output;

  const span: Span = {
    traceId,
    spanId,
    parentId: parentId === spanId ? null : parentId,
    name,
    kind,
    sourceKind: spanType,
    status,
    startMs,
    endMs,
    attributes,
    events,
  };
  if (message) span.statusMessage = message;
  if (inputs !== undefined && inputs !== null) span.input = inputs;
  if (outputs !== undefined && outputs !== null) span.output = outputs;

  const model =
    asString(attrs['mlflow.llm.model']) ??
    sem.model ??
    (isRecord(inputs) ? asString(inputs.model) : undefined) ??
    (isRecord(outputs) ? asString(outputs.model) : undefined);
  if (model) span.model = model;
  const provider = asString(attrs['mlflow.llm.provider']) ?? sem.provider;
  if (provider) span.provider = provider;

  if (kind === 'llm') {
    const usage = spanUsage(attrs) ?? sem.usage;
    if (usage) span.usage = usage;
    const { input, output } = chatMessages(attrs, inputs, outputs, sem);
    if (input?.length) span.inputMessages = input;
    if (output?.length) span.outputMessages = output;
  }
  if (kind === 'tool') {
    const call: ToolCall = { name: sem.toolCall?.name ?? name, arguments: inputs, result: outputs };
    const id = sem.toolCall?.id ?? asString(attrs['gen_ai.tool.call.id']);
    if (id) call.id = id;
    if (status === 'error') call.isError = true;
    span.toolCall = call;
  }
  return span;
}

/** "0x"-hex (MLflow 2), base64 of the OTel bytes (MLflow 3), or hex (newest) → lowercase hex. */
function normaliseId(v: unknown): string | undefined {
  const s = asString(v);
  if (!s) return undefined;
  const hex = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  if (/^[0-9a-f]+$/i.test(hex) && (hex.length === 16 || hex.length === 32)) return hex.toLowerCase();
  if ((s.length === 12 && /^[A-Za-z0-9+/]{11}=$/.test(s)) || (s.length === 24 && /^[A-Za-z0-9+/]{22}==$/.test(s)))
    return Buffer.from(s, 'base64').toString('hex');
  return s;
}

/** Every MLflow attribute value is JSON text ("\"LLM\"", "{\"input\": 1}", "false"); OTel-native ones are not. */
function decodeAttributes(v: unknown): Obj {
  const out: Obj = {};
  if (!isRecord(v)) return out;
  for (const [k, raw] of Object.entries(v)) {
    if (typeof raw !== 'string') {
      out[k] = raw;
      continue;
    }
    try {
      out[k] = JSON.parse(raw);
    } catch {
      out[k] = raw;
    }
  }
  return out;
}

function spanEvents(v: unknown): SpanEvent[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((e) => {
    const ev: SpanEvent = { name: asString(e.name) ?? 'event', attributes: isRecord(e.attributes) ? e.attributes : {} };
    const t = nanosToMs(e.time_unix_nano ?? e.timestamp);
    if (t !== undefined) ev.timeMs = t;
    return ev;
  });
}

function spanStatus(raw: Obj, events: SpanEvent[]): { status: SpanStatus; message?: string } {
  const st = isRecord(raw.status) ? raw.status : undefined;
  const code = String(st?.code ?? raw.status_code ?? '')
    .toUpperCase()
    .replace(/^STATUS_CODE_/, '');
  let message = asString(st?.message ?? st?.description) ?? asString(raw.status_message);
  const status: SpanStatus = code === 'ERROR' || code === '2' ? 'error' : code === 'OK' || code === '1' ? 'ok' : 'unset';
  if (status === 'error' && !message) {
    const ex = events.find((e) => e.name === 'exception');
    if (ex) {
      const type = asString(ex.attributes['exception.type']);
      const msg = asString(ex.attributes['exception.message']);
      message = type && msg ? `${type}: ${msg}` : msg ?? type;
    }
  }
  return message ? { status, message } : { status };
}

const MLFLOW_USAGE: UsageKeyTable = [
  ['inputTokens', ['input_tokens']],
  ['outputTokens', ['output_tokens']],
  ['totalTokens', ['total_tokens']],
  ['cacheReadTokens', ['cache_read_input_tokens']],
  ['cacheWriteTokens', ['cache_creation_input_tokens']],
];

/** mlflow.chat.tokenUsage {input_tokens, output_tokens, total_tokens}; mlflow.llm.cost {total_cost} USD. */
function spanUsage(attrs: Obj): Usage | undefined {
  const u = isRecord(attrs['mlflow.chat.tokenUsage']) ? attrs['mlflow.chat.tokenUsage'] : undefined;
  const c = isRecord(attrs['mlflow.llm.cost']) ? attrs['mlflow.llm.cost'] : undefined;
  const usage: Usage = (u && readUsage(u, MLFLOW_USAGE)) || {};
  const cost = c ? (asNumber(c.total_cost) ?? sumDefined(asNumber(c.input_cost), asNumber(c.output_cost))) : undefined;
  if (cost !== undefined) usage.costUsd = cost;
  return Object.keys(usage).length ? usage : undefined;
}

function sumDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/**
 * Messages of a model call: from the request/response in spanInputs/spanOutputs (OpenAI,
 * Responses, Anthropic shapes); MLflow 2 also kept the whole conversation, reply last, in
 * mlflow.chat.messages.
 */
function chatMessages(attrs: Obj, inputs: unknown, outputs: unknown, sem: Partial<SemanticFields>): { input?: Message[]; output?: Message[] } {
  let input = normalisePrompt(inputs) ?? sem.inputMessages;
  let output = normaliseReply(outputs) ?? sem.outputMessages;
  const all = Array.isArray(attrs['mlflow.chat.messages']) ? attrs['mlflow.chat.messages'].map((m) => normaliseMessage(m)) : undefined;
  if (all?.length && (!input || !output)) {
    let split = all.length;
    while (split > 0 && all[split - 1]!.role === 'assistant') split--;
    if (split === 0) split = all.length;
    input ??= all.slice(0, split);
    if (!output && split < all.length) output = all.slice(split);
  }
  return { input, output };
}

function traceMeta(info: Obj, traceId: string, data: Obj | undefined, spans: Span[]): TraceMeta {
  const md = isRecord(info.trace_metadata) ? info.trace_metadata : isRecord(info.request_metadata) ? info.request_metadata : {};
  const tags = isRecord(info.tags) ? info.tags : {};
  const root = spans.find((s) => s.parentId === null);
  const meta: TraceMeta = { traceId, metadata: {} };
  const name = asString(tags['mlflow.traceName']) ?? root?.name;
  if (name) meta.name = name;
  const session = asString(md['mlflow.trace.session']);
  if (session) meta.sessionId = session;
  const input = decodedText(md['mlflow.traceInputs']) ?? decodedText(data?.request) ?? decodedText(info.request_preview) ?? root?.input;
  const output = decodedText(md['mlflow.traceOutputs']) ?? decodedText(data?.response) ?? decodedText(info.response_preview) ?? root?.output;
  if (input !== undefined) meta.input = input;
  if (output !== undefined) meta.output = output;

  const m = meta.metadata!;
  const location = isRecord(info.trace_location) ? info.trace_location : undefined;
  const experiment = isRecord(location?.mlflow_experiment) ? location.mlflow_experiment : undefined;
  const experimentId = asString(info.experiment_id) ?? asString(experiment?.experiment_id);
  if (experimentId) m.experimentId = experimentId;
  const state = asString(info.state) ?? asString(info.status);
  if (state) m.state = state;
  const start = asNumber(info.timestamp_ms) ?? isoToMs(info.request_time) ?? asNumber(info.request_time);
  if (start !== undefined) m.requestTimeMs = start;
  const duration = asNumber(info.execution_time_ms) ?? asNumber(info.execution_duration_ms) ?? durationStringToMs(info.execution_duration);
  if (duration !== undefined) m.executionDurationMs = duration;
  const clientRequestId = asString(info.client_request_id);
  if (clientRequestId) m.clientRequestId = clientRequestId;
  const tokenUsage = maybeJson(md['mlflow.trace.tokenUsage']);
  if (isRecord(tokenUsage)) m.tokenUsage = tokenUsage;
  const cost = maybeJson(md['mlflow.trace.cost']);
  if (isRecord(cost)) m.cost = cost;
  const user = asString(md['mlflow.trace.user']) ?? asString(md['mlflow.user']);
  if (user) m.user = user;
  const rest: Obj = {};
  for (const [k, v] of Object.entries(md)) if (k !== 'mlflow.traceInputs' && k !== 'mlflow.traceOutputs') rest[k] = v;
  if (Object.keys(rest).length) m.traceMetadata = rest;
  if (Object.keys(tags).length) m.tags = tags;
  if (Array.isArray(info.assessments) && info.assessments.length) {
    m.assessments = info.assessments;
    const evaluations = info.assessments.filter(isRecord).flatMap(mlflowEvaluation);
    if (evaluations.length) meta.evaluations = evaluations;
  }
  return meta;
}

function artifactMeta(traceId: string, spans: Span[]): TraceMeta {
  const root = spans.find((s) => s.traceId === traceId && s.parentId === null);
  const meta: TraceMeta = { traceId };
  if (root) {
    meta.name = root.name;
    if (root.input !== undefined) meta.input = root.input;
    if (root.output !== undefined) meta.output = root.output;
  }
  return meta;
}

function decodedText(v: unknown): unknown {
  if (v === undefined || v === null || v === '') return undefined;
  return maybeJson(v);
}

/**
 * An MLflow 3 assessment as a recorded evaluation: feedback only (an expectation is ground truth,
 * not a verdict), value from `feedback.value`, rationale as comment, source type and id as author.
 */
function mlflowEvaluation(a: Obj): RecordedEvaluationInput[] {
  const name = asString(a.assessment_name) ?? asString(a.name);
  if (!name || !isRecord(a.feedback)) return [];
  const e: RecordedEvaluationInput = { name, source: 'mlflow', value: a.feedback.value ?? null };
  const rationale = asString(a.rationale);
  const error = isRecord(a.feedback.error) ? asString(a.feedback.error.error_message) : undefined;
  if (rationale || error) e.comment = rationale ?? error;
  if (isRecord(a.source)) {
    const author = [asString(a.source.source_type), asString(a.source.source_id)].filter(Boolean).join(':');
    if (author) e.author = author;
  }
  const t = isoToMs(a.create_time) ?? isoToMs(a.last_update_time);
  if (t !== undefined) e.timeMs = t;
  return [e];
}
