import type { Message, RecordedEvaluationInput, Span, SpanKind, ToolCall, TraceMeta, Usage } from '../../model/types';
import type { FormatImporter, ImportSink, ImportSource } from '../types';
import { asNumber, asString, isRecord, maybeJson, parseJsonText, utf8 } from '../common/json';
import { normalisePrompt, normaliseReply } from '../common/messages';
import { interpretAttributes, type SemanticFields } from '../common/semconv';
import { isoToMs } from '../common/time';
import { demoteWrapperModelSpans } from '../common/wrapperSpans';
import { ImportError } from '../../util/errors';

/**
 * Langfuse trace export: the UI/API "download trace" JSON `{trace, observations}` (one trace per
 * file), also the public API's trace object with `observations` inlined. Two serializers exist
 * (FORMATS.md §4): A writes input/output/metadata/toolCalls as JSON strings (sometimes twice
 * encoded), observation latency in seconds and a copy of the list in trace.observations; B writes
 * real JSON and observation latency in milliseconds.
 */
export const langfuseImporter: FormatImporter = {
  id: 'langfuse',
  label: 'Langfuse trace export',
  extensions: ['json'],
  signature: {
    tokens: ['trace', 'observations', 'scores', 'projectId', 'GENERATION', 'SPAN', 'EVENT'],
    requires: 'an object {trace, observations}',
  },
  sniff(_name, head) {
    const text = utf8(head);
    if (!/^\s*[[{]/.test(text)) return 0;
    const observations = /"observations"\s*:/.test(text);
    if (observations && /"parentObservationId"\s*:/.test(text)) return 0.95;
    if (/^\s*\{\s*"trace"\s*:\s*\{/.test(text) && observations) return 0.9;
    return 0;
  },
  async parse(source, sink) {
    const root = parseJsonText(source.name, utf8(await source.readAll()));
    for (const entry of exportEntries(source, root)) importTrace(source, sink, entry);
  },
};

interface ExportEntry {
  trace: Record<string, unknown>;
  observations: unknown[];
  /** JSON paths for error messages. */
  path: string;
  tracePath: string;
}

function exportEntries(source: ImportSource, root: unknown): ExportEntry[] {
  const list = Array.isArray(root) ? root : [root];
  return list.map((item, i) => {
    const base = Array.isArray(root) ? `[${i}].` : '';
    const notExport = () =>
      new ImportError(source.name, 'not a Langfuse trace export: expected {trace, observations}', { path: base ? `[${i}]` : '$' });
    if (!isRecord(item)) throw notExport();
    if (isRecord(item.trace)) {
      const obs = item.observations ?? item.trace.observations ?? [];
      if (!Array.isArray(obs)) throw new ImportError(source.name, 'observations is not a list', { path: `${base}observations` });
      return { trace: item.trace, observations: obs, path: `${base}observations`, tracePath: `${base}trace` };
    }
    // Public API GET /traces/{id}: the trace object itself with observations inlined.
    if (typeof item.id === 'string' && Array.isArray(item.observations)) {
      return { trace: item, observations: item.observations, path: `${base}observations`, tracePath: base ? `[${i}]` : '$' };
    }
    throw notExport();
  });
}

function importTrace(source: ImportSource, sink: ImportSink, entry: ExportEntry): void {
  const { trace } = entry;
  const traceId = asString(trace.id);
  if (!traceId) throw new ImportError(source.name, 'trace has no id', { path: `${entry.tracePath}.id` });
  const observations = entry.observations.map((o, i) => {
    // The trace list endpoint names observations by id only.
    if (typeof o === 'string')
      throw new ImportError(source.name, 'observations are listed by id only: export the full trace instead', { path: `${entry.path}[${i}]` });
    if (!isRecord(o) || typeof o.id !== 'string' || o.id === '')
      throw new ImportError(source.name, 'observation without an id', { path: `${entry.path}[${i}]` });
    return o;
  });

  const rootId = observations.some((o) => o.id === traceId) ? `trace:${traceId}` : traceId;
  const latencyUnit = latencyUnitMs(trace, observations);
  const spans = observations.map((o, i) => observationSpan(source, o, i, entry.path, traceId, rootId, trace, latencyUnit));
  spans.unshift(traceRootSpan(source, entry, traceId, rootId, spans));
  demoteWrapperModelSpans(spans);

  // In Langfuse the trace is the root of everything in it: an observation whose parent is not in
  // the export hangs under the trace node (finalise reports the repair), as Langfuse shows it.
  sink.trace({ ...traceMeta(trace, traceId), orphanParent: rootId });
  for (const s of spans) sink.span(s);
}

/** ms per unit of observation `latency`, learned from observations that have both end time and latency. */
function latencyUnitMs(trace: Record<string, unknown>, observations: Record<string, unknown>[]): number {
  let votesSeconds = 0;
  let votesMs = 0;
  for (const o of observations) {
    const start = isoToMs(o.startTime);
    const end = isoToMs(o.endTime);
    const latency = asNumber(o.latency);
    if (start === undefined || end === undefined || latency === undefined || latency <= 0) continue;
    const dur = end - start;
    if (Math.abs(dur - latency * 1000) < Math.abs(dur - latency)) votesSeconds++;
    else votesMs++;
  }
  if (votesSeconds !== votesMs) return votesSeconds > votesMs ? 1000 : 1;
  // No evidence: serializer A (JSON-string metadata, trace.observations copy) writes seconds.
  const variantA = Array.isArray(trace.observations) || observations.some((o) => typeof o.metadata === 'string');
  return variantA ? 1000 : 1;
}

const KIND_BY_TYPE: Record<string, SpanKind> = {
  GENERATION: 'llm',
  TOOL: 'tool',
  AGENT: 'agent',
  RETRIEVER: 'retrieval',
  EMBEDDING: 'embedding',
  CHAIN: 'chain',
  SPAN: 'chain',
  EVALUATOR: 'chain',
  GUARDRAIL: 'chain',
  EVENT: 'other',
};

/** Kinds the OTel attributes may refine a generic SPAN/EVENT into. */
const REFINABLE: ReadonlySet<SpanKind> = new Set(['agent', 'tool', 'retrieval', 'embedding']);

/** Fields that are the span's skeleton (or its bulky I/O) and so are not repeated in attributes. */
const NOT_ATTRIBUTES = new Set([
  'id', 'traceId', 'parentObservationId', 'name', 'type', 'startTime', 'endTime', 'input', 'output',
  'projectId', 'createdAt', 'updatedAt', 'metadata', 'toolCalls',
]);

function observationSpan(
  source: ImportSource,
  o: Record<string, unknown>,
  i: number,
  path: string,
  traceId: string,
  rootId: string,
  trace: Record<string, unknown>,
  latencyUnit: number,
): Span {
  const type = (asString(o.type) ?? 'SPAN').toUpperCase();
  const metadata = decodeDeep(o.metadata);
  const otelAttrs = isRecord(metadata) && isRecord(metadata.attributes) ? metadata.attributes : undefined;
  const sem: Partial<SemanticFields> = otelAttrs ? interpretAttributes(otelAttrs, asString(o.name)) : {};

  const startMs = isoToMs(o.startTime) ?? isoToMs(trace.timestamp);
  if (startMs === undefined)
    throw new ImportError(source.name, `observation ${String(o.id)} has no valid startTime`, { path: `${path}[${i}].startTime`, spanId: String(o.id) });
  const latency = asNumber(o.latency);
  const endMs = isoToMs(o.endTime) ?? (latency !== undefined ? startMs + latency * latencyUnit : null);

  // Langfuse fills input/output from ADK's `gcp.vertex.agent.llm_request/llm_response`, which ADK
  // sets to `{}` on tool spans: an empty object there says nothing, the OTel attributes say more.
  const input = unlessEmpty(decodeDeep(o.input));
  const output = unlessEmpty(decodeDeep(o.output));
  const langchainTool = type === 'SPAN' ? langchainToolResult(output) : undefined;
  let kind: SpanKind = KIND_BY_TYPE[type] ?? 'other';
  if ((type === 'SPAN' || type === 'EVENT' || !(type in KIND_BY_TYPE)) && sem.kind && REFINABLE.has(sem.kind)) kind = sem.kind;
  if (langchainTool) kind = 'tool';

  const level = asString(o.level);
  const statusMessage = asString(o.statusMessage) ?? undefined;
  const span: Span = {
    traceId,
    spanId: String(o.id),
    parentId: asString(o.parentObservationId) || rootId,
    name: asString(o.name) ?? type.toLowerCase(),
    kind,
    sourceKind: type,
    status: level === 'ERROR' ? 'error' : 'unset',
    startMs,
    endMs,
    attributes: observationAttributes(o, metadata),
    events: [],
    input: input ?? sem.input,
    output: output ?? sem.output,
  };
  if (level === 'ERROR') span.statusMessage = statusMessage ?? 'error';
  else if (statusMessage) span.statusMessage = statusMessage;

  const model = asString(o.model) ?? sem.model;
  if (model) span.model = model;
  // gen_ai.system on a framework's own spans names the framework ("langchain"), not a provider.
  if (sem.provider && (model || kind === 'llm' || kind === 'embedding')) span.provider = sem.provider;

  if (kind === 'llm') {
    const usage = langfuseUsage(o) ?? sem.usage;
    if (usage) span.usage = usage;
  }
  if (kind === 'llm' || type === 'GENERATION') {
    const inMsgs = normalisePrompt(input) ?? sem.inputMessages;
    const outMsgs = withToolCallList(normaliseReply(output) ?? sem.outputMessages, o);
    if (inMsgs?.length) span.inputMessages = inMsgs;
    if (outMsgs?.length) span.outputMessages = outMsgs;
  }
  if (kind === 'tool') span.toolCall = toolCallOf(o, input, output, sem, langchainTool, level === 'ERROR');
  return span;
}

/** The span standing for the trace itself, so the observation roots hang under one root. */
function traceRootSpan(source: ImportSource, entry: ExportEntry, traceId: string, rootId: string, spans: Span[]): Span {
  const { trace } = entry;
  let start = isoToMs(trace.timestamp);
  let end: number | null = null;
  for (const s of spans) {
    start = start === undefined ? s.startMs : Math.min(start, s.startMs);
    const e = s.endMs ?? s.startMs;
    end = end === null ? e : Math.max(end, e);
  }
  if (start === undefined) throw new ImportError(source.name, 'trace has no timestamp and no observations', { path: `${entry.tracePath}.timestamp` });
  // trace.latency is seconds in both serializers.
  const latency = asNumber(trace.latency);
  if (latency !== undefined && isoToMs(trace.timestamp) !== undefined) {
    const byLatency = isoToMs(trace.timestamp)! + latency * 1000;
    end = end === null ? byLatency : Math.max(end, byLatency);
  }
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(trace)) {
    if (['id', 'name', 'input', 'output', 'observations', 'scores', 'projectId', 'createdAt', 'updatedAt'].includes(k)) continue;
    const d = decodeDeep(v);
    if (!isEmpty(d)) attributes[k] = d;
  }
  return {
    traceId,
    spanId: rootId,
    parentId: null,
    name: asString(trace.name) ?? 'trace',
    kind: 'chain',
    sourceKind: 'TRACE',
    status: 'unset',
    startMs: start,
    endMs: end ?? start,
    attributes,
    events: [],
    input: decodeDeep(trace.input) ?? undefined,
    output: decodeDeep(trace.output) ?? undefined,
  };
}

function traceMeta(trace: Record<string, unknown>, traceId: string): TraceMeta {
  const metadata = decodeDeep(trace.metadata);
  const meta: TraceMeta = { traceId, metadata: {} };
  const name = asString(trace.name);
  if (name) meta.name = name;
  const sessionId = asString(trace.sessionId);
  if (sessionId) meta.sessionId = sessionId;
  const version = asString(trace.version) ?? asString(trace.release);
  if (version) meta.version = version;
  const resource = isRecord(metadata) && isRecord(metadata.resourceAttributes) ? metadata.resourceAttributes : undefined;
  const service = asString(resource?.['service.name']);
  if (service && !service.startsWith('unknown_service')) meta.service = service;
  const input = decodeDeep(trace.input);
  const output = decodeDeep(trace.output);
  if (input !== null && input !== undefined) meta.input = input;
  if (output !== null && output !== undefined) meta.output = output;

  const m = meta.metadata!;
  if (Array.isArray(trace.scores) && trace.scores.length) {
    m.scores = trace.scores.map(score);
    meta.evaluations = trace.scores.filter(isRecord).flatMap(langfuseEvaluation);
  }
  if (Array.isArray(trace.tags) && trace.tags.length) m.tags = trace.tags;
  for (const key of ['userId', 'release', 'version', 'environment', 'projectId', 'bookmarked', 'public'] as const) {
    if (trace[key] !== null && trace[key] !== undefined) m[key] = trace[key];
  }
  if (isRecord(metadata)) {
    const { resourceAttributes: _r, scope: _s, attributes: _a, ...user } = metadata;
    if (Object.keys(user).length) m.metadata = user;
  }
  return meta;
}

/** A Langfuse score as a recorded evaluation: NUMERIC → number, BOOLEAN (stored 1/0) → boolean, CATEGORICAL → its string. */
function langfuseEvaluation(s: Record<string, unknown>): RecordedEvaluationInput[] {
  const name = asString(s.name);
  if (!name) return [];
  const dataType = asString(s.dataType);
  const num = asNumber(s.value);
  const value = dataType === 'BOOLEAN' && num !== undefined ? num !== 0 : dataType === 'CATEGORICAL' ? (asString(s.stringValue) ?? s.value) : (num ?? asString(s.stringValue) ?? null);
  const e: RecordedEvaluationInput = { name, source: `langfuse${asString(s.source) ? `:${asString(s.source)}` : ''}`, value };
  const comment = asString(s.comment);
  if (comment) e.comment = comment;
  const obs = asString(s.observationId);
  if (obs) e.spanId = obs;
  const author = asString(s.authorUserId) ?? asString(s.source);
  if (author) e.author = author;
  const t = isoToMs(s.timestamp);
  if (t !== undefined) e.timeMs = t;
  return [e];
}

function score(s: unknown): unknown {
  if (!isRecord(s)) return s;
  const out: Record<string, unknown> = {};
  for (const k of ['name', 'value', 'stringValue', 'dataType', 'source', 'comment', 'observationId', 'timestamp']) {
    if (s[k] !== null && s[k] !== undefined) out[k] = s[k];
  }
  return out;
}

function observationAttributes(o: Record<string, unknown>, metadata: unknown): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (NOT_ATTRIBUTES.has(k) || isEmpty(v)) continue;
    attrs[k] = v;
  }
  if (!isEmpty(metadata)) attrs.metadata = metadata;
  const toolCalls = Array.isArray(o.toolCalls) ? o.toolCalls.map((t) => maybeJson(t)) : [];
  if (toolCalls.length) attrs.toolCalls = toolCalls;
  return attrs;
}

/** Langfuse's own usage fields: usageDetails (free-form keys) or the legacy totals; costDetails / totalCost. */
function langfuseUsage(o: Record<string, unknown>): Usage | undefined {
  const d = isRecord(o.usageDetails) ? o.usageDetails : isRecord(o.usage) ? o.usage : {};
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const n = asNumber(d[k]);
      if (n !== undefined) return n;
    }
    return undefined;
  };
  const usage: Usage = {};
  const set = (k: keyof Usage, v: number | undefined) => {
    if (v !== undefined) usage[k] = v;
  };
  set('inputTokens', pick('input', 'promptTokens', 'prompt_tokens', 'input_tokens'));
  set('outputTokens', pick('output', 'completionTokens', 'completion_tokens', 'output_tokens'));
  set('totalTokens', pick('total', 'totalTokens', 'total_tokens'));
  set('cacheReadTokens', pick('input_cache_read', 'prompt_details.cache_read', 'cache_read_input_tokens', 'input_cached_tokens', 'cache_read'));
  set('cacheWriteTokens', pick('input_cache_creation', 'prompt_details.cache_write', 'cache_creation_input_tokens', 'input_cache_write', 'cache_write'));
  set('reasoningTokens', pick('output_reasoning', 'completion_details.reasoning', 'output_reasoning_tokens', 'reasoning'));
  if (Object.keys(usage).length === 0) {
    // Legacy exports: inputUsage/outputUsage/totalUsage, all 0 when nothing was recorded.
    const input = asNumber(o.inputUsage) ?? 0;
    const output = asNumber(o.outputUsage) ?? 0;
    const total = asNumber(o.totalUsage) ?? 0;
    if (input || output || total) Object.assign(usage, { inputTokens: input, outputTokens: output, totalTokens: total });
  }
  const costs = isRecord(o.costDetails) ? o.costDetails : {};
  const cost =
    asNumber(costs.total) ??
    (asNumber(o.totalCost) || undefined) ??
    (asNumber(o.calculatedTotalCost) || undefined) ??
    sumDefined(asNumber(o.inputCost), asNumber(o.outputCost));
  if (cost !== undefined && Object.keys(usage).length) usage.costUsd = cost;
  else if (cost !== undefined && cost > 0) usage.costUsd = cost;
  return Object.keys(usage).length ? usage : undefined;
}

function sumDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

/**
 * Serializer A lists a generation's tool calls in toolCalls[] (JSON strings {id, arguments, type,
 * index}) with names in toolCallNames[]; add the ones the output messages do not already hold.
 */
function withToolCallList(messages: Message[] | undefined, o: Record<string, unknown>): Message[] | undefined {
  if (!Array.isArray(o.toolCalls) || o.toolCalls.length === 0) return messages;
  const names = Array.isArray(o.toolCallNames) ? o.toolCallNames : [];
  const out = messages ? messages.map((m) => ({ ...m })) : [];
  const known = new Set(out.flatMap((m) => (m.toolCalls ?? []).map((t) => t.id).filter((id): id is string => !!id)));
  const extra: ToolCall[] = [];
  o.toolCalls.forEach((raw, i) => {
    const t = maybeJson(raw);
    if (!isRecord(t)) return;
    const id = asString(t.id);
    if (id && known.has(id)) return;
    const fn = isRecord(t.function) ? t.function : undefined;
    const name = asString(t.name) ?? asString(fn?.name) ?? asString(names[i]) ?? '(unnamed tool)';
    const call: ToolCall = { name, arguments: maybeJson(t.arguments ?? t.input ?? fn?.arguments) };
    if (id) call.id = id;
    extra.push(call);
  });
  if (!extra.length) return messages;
  let last = [...out].reverse().find((m) => m.role === 'assistant');
  if (!last) {
    last = { role: 'assistant', content: '' };
    out.push(last);
  }
  last.toolCalls = [...(last.toolCalls ?? []), ...extra];
  return out;
}

function toolCallOf(
  o: Record<string, unknown>,
  input: unknown,
  output: unknown,
  sem: Partial<SemanticFields>,
  langchainTool: { id?: string; content: unknown } | undefined,
  isError: boolean,
): ToolCall {
  // The OTel attributes name the tool exactly where the observation name is decorated
  // ("running tool: get_pun_suggestion" in pydantic-ai).
  const call: ToolCall = {
    name: sem.toolCall?.name ?? asString(o.name) ?? '(unnamed tool)',
    arguments: input ?? sem.toolCall?.arguments,
    result: langchainTool ? langchainTool.content : output ?? sem.toolCall?.result,
  };
  const id = langchainTool?.id ?? sem.toolCall?.id;
  if (id) call.id = id;
  if (isError || sem.toolCall?.isError) call.isError = true;
  return call;
}

/**
 * LangChain tool runs traced through the Langfuse callback arrive as plain SPANs whose output is
 * the ToolMessage ({type:'tool', tool_call_id, content}); they are tool executions.
 */
function langchainToolResult(output: unknown): { id?: string; content: unknown } | undefined {
  if (!isRecord(output)) return undefined;
  const msg = output.lc === 1 && isRecord(output.kwargs) ? output.kwargs : output;
  if (msg.type !== 'tool' || typeof msg.tool_call_id !== 'string') return undefined;
  return { id: msg.tool_call_id, content: maybeJson(msg.content) };
}

/** Serializer A encodes some values twice ("\"{\\\"prompt\\\": …}\""): decode until it is not JSON text. */
function decodeDeep(v: unknown): unknown {
  let cur = v;
  for (let i = 0; i < 3 && typeof cur === 'string'; i++) {
    const next = maybeJson(cur);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isRecord(v)) return Object.keys(v).length === 0;
  return false;
}

function unlessEmpty(v: unknown): unknown {
  return isRecord(v) && Object.keys(v).length === 0 ? undefined : v;
}
