import type { Span, SpanKind, TraceMeta, Usage } from '../../model/types';
import type { FormatImporter, ImportSink } from '../types';
import { ImportError } from '../../util/errors';
import { asNumber, asString, isRecord, maybeJson, parseJsonText, toText, utf8 } from '../common/json';
import { readJsonLines } from '../common/jsonLines';
import { normaliseMessages, normaliseReply } from '../common/messages';
import { isoToMs } from '../common/time';

/**
 * OpenAI Agents SDK traces as its exporters write them: `Trace.export()` = `{object: "trace", id,
 * workflow_name, group_id, metadata}` and `Span.export()` = `{object: "trace.span", id, trace_id,
 * parent_id, started_at, ended_at, span_data, error}` — one per line from a file-writing trace
 * processor, or `{"data": [items]}` as the SDK posts them to the traces ingest endpoint, or a JSON
 * array. `span_data.type`: agent, generation, response, function, handoff, guardrail, custom (turn
 * and task spans are custom with `data.sdk_span_type`), mcp_tools, transcription, speech,
 * speech_group. A span exported twice (at its start and at its end) keeps its last copy.
 *
 * The trace object becomes the root span (named by the workflow) that spans without a parent
 * hang under; the run failed when an agent span ended with an error (failed function calls are
 * tool errors, counted apart).
 */

type Obj = Record<string, unknown>;

export const openAiAgentsImporter: FormatImporter = {
  id: 'openai-agents',
  label: 'OpenAI Agents SDK trace export',
  extensions: ['jsonl', 'json'],
  signature: {
    tokens: ['object', 'trace.span', 'span_data', 'workflow_name', 'started_at', 'ended_at', 'group_id'],
    requires: 'trace / span exports `{object: "trace" | "trace.span", …, span_data}`, one per line or in `{"data": [...]}`',
  },
  sniff(_name, head) {
    const text = utf8(head).trimStart();
    if (text[0] !== '{' && text[0] !== '[') return 0;
    const span = /"object"\s*:\s*"trace\.span"/.test(text);
    const trace = /"object"\s*:\s*"trace"/.test(text) && /"workflow_name"\s*:/.test(text);
    if ((span && /"span_data"\s*:/.test(text)) || trace) return 0.95;
    return 0;
  },
  async parse(source, sink) {
    const data = await source.readAll();
    const items = readItems(source.name, data, (m) => sink.warn(m));
    const traces = new Map<string, Obj>();
    const spans = new Map<string, Obj>();
    for (const { item, where } of items) {
      const kind = asString(item.object);
      if (kind === 'trace') {
        const id = asString(item.id);
        if (!id) throw new ImportError(source.name, 'trace object without an id', where);
        traces.set(id, { ...(traces.get(id) ?? {}), ...item });
      } else if (kind === 'trace.span') {
        const id = asString(item.id) ?? asString(item.span_id);
        if (!id) throw new ImportError(source.name, 'span without an id', where);
        // The end-of-span export carries the output, usage and end time: it wins.
        const prev = spans.get(id);
        spans.set(id, prev && item.ended_at == null && prev.ended_at != null ? { ...item, ...prev } : { ...(prev ?? {}), ...item });
      }
    }
    if (spans.size === 0 && traces.size === 0) {
      throw new ImportError(source.name, 'no OpenAI Agents trace or span objects (`object: "trace" | "trace.span"`)');
    }
    const byTrace = new Map<string, Obj[]>();
    for (const s of spans.values()) {
      const t = asString(s.trace_id);
      if (!t) throw new ImportError(source.name, `span ${String(s.id)} has no trace_id`, { spanId: asString(s.id) });
      let list = byTrace.get(t);
      if (!list) byTrace.set(t, (list = []));
      list.push(s);
    }
    for (const t of traces.keys()) if (!byTrace.has(t)) sink.warn(`trace ${t} has no spans in this file: not imported`);
    for (const [traceId, list] of byTrace) emitTrace(traceId, traces.get(traceId), list, source.name, sink);
  },
};

interface Item {
  item: Obj;
  where: { line?: number; path?: string };
}

function readItems(file: string, data: Buffer, warn: (m: string) => void): Item[] {
  const text = utf8(data);
  const trimmed = text.trimStart();
  // One JSON document (an array, or the ingest body {data: […]}), else JSON Lines.
  if (trimmed.startsWith('[') || /^\{\s*"data"\s*:\s*\[/.test(trimmed)) {
    const doc = parseJsonText(file, text);
    const list = Array.isArray(doc) ? doc : isRecord(doc) && Array.isArray(doc.data) ? doc.data : [];
    const prefix = Array.isArray(doc) ? '' : 'data';
    return list.filter(isRecord).map((item, i) => ({ item, where: { path: `${prefix}[${i}]` } }));
  }
  return readJsonLines(file, data, warn).map((l) => ({ item: l.o, where: { line: l.lineNo } }));
}

function emitTrace(traceId: string, trace: Obj | undefined, raw: Obj[], file: string, sink: ImportSink): void {
  const rootId = traceId;
  const spans = raw.map((r) => toSpan(r, traceId, rootId, file));
  const starts = spans.map((s) => s.startMs);
  const ends = spans.map((s) => s.endMs ?? s.startMs);
  const start = Math.min(...starts);
  const end = Math.max(...ends);
  const workflow = asString(trace?.workflow_name);
  const failedAgent = spans.find((s) => s.kind === 'agent' && s.status === 'error');
  const firstGen = spans.filter((s) => s.kind === 'llm' && s.inputMessages?.length).sort((a, b) => a.startMs - b.startMs)[0];
  const firstUser = firstGen?.inputMessages?.find((m) => m.role === 'user')?.content;
  const meta: TraceMeta = {
    traceId,
    name: workflow ?? spans.find((s) => s.kind === 'agent')?.name ?? traceId,
    service: spans.find((s) => s.kind === 'agent')?.name,
    status: failedAgent ? 'error' : 'ok',
    ...(failedAgent ? { statusMessage: failedAgent.statusMessage } : {}),
    ...(asString(trace?.group_id) ? { sessionId: asString(trace?.group_id) } : {}),
    ...(firstUser ? { input: firstUser } : {}),
    metadata: { ...(isRecord(trace?.metadata) ? { metadata: trace.metadata } : {}), ...(trace ? {} : { note: 'no trace object in the file' }) },
  };
  sink.trace(meta);
  sink.span({
    traceId,
    spanId: rootId,
    parentId: null,
    name: workflow ?? 'trace',
    kind: 'chain',
    sourceKind: 'trace',
    status: failedAgent ? 'error' : 'ok',
    startMs: start,
    endMs: end,
    attributes: trace ? { group_id: trace.group_id, metadata: trace.metadata } : {},
    events: [],
  });
  for (const s of spans.sort((a, b) => a.startMs - b.startMs)) sink.span(s);
}

const KIND: Record<string, SpanKind> = {
  agent: 'agent',
  generation: 'llm',
  response: 'llm',
  function: 'tool',
  mcp_tools: 'tool',
  custom: 'chain',
  handoff: 'other',
  guardrail: 'other',
  transcription: 'llm',
  speech: 'llm',
  speech_group: 'chain',
};

function toSpan(r: Obj, traceId: string, rootId: string, file: string): Span {
  const id = asString(r.id) ?? asString(r.span_id)!;
  const d: Obj = isRecord(r.span_data) ? r.span_data : {};
  const type = asString(d.type) ?? 'custom';
  const startMs = isoToMs(r.started_at);
  if (startMs === undefined) throw new ImportError(file, `span ${id} has no valid started_at`, { spanId: id });
  const endMs = isoToMs(r.ended_at) ?? null;
  const err = isRecord(r.error) ? r.error : undefined;
  const span: Span = {
    traceId,
    spanId: id,
    parentId: asString(r.parent_id) ?? rootId,
    name: spanName(type, d),
    kind: KIND[type] ?? 'other',
    sourceKind: type === 'custom' && isRecord(d.data) && asString(d.data.sdk_span_type) ? asString(d.data.sdk_span_type) : type,
    status: err ? 'error' : endMs === null ? 'unset' : 'ok',
    startMs,
    endMs,
    attributes: attributesOf(d),
    events: [],
  };
  if (err) {
    // The SDK puts the generic text in `message` and the cause in `data.error`.
    const cause = isRecord(err.data) ? asString(err.data.error) : undefined;
    span.statusMessage = [asString(err.message) ?? 'error', cause].filter(Boolean).join(': ');
    if (err.data !== undefined && err.data !== null) span.attributes.error_data = err.data;
  }
  if (type === 'generation' || type === 'transcription' || type === 'speech') {
    const model = asString(d.model);
    if (model) {
      span.model = model;
      span.provider = 'openai';
    }
    const input = normaliseMessages(d.input);
    if (input?.length) span.inputMessages = input;
    const output = normaliseReply(d.output);
    if (output?.length) span.outputMessages = output;
    span.input = d.input;
    span.output = d.output;
  }
  if (type === 'generation' || type === 'response') {
    const usage = usageOf(d.usage);
    if (usage) span.usage = usage;
  }
  if (type === 'function') {
    const args = maybeJson(d.input);
    span.input = args;
    span.output = maybeJson(d.output);
    span.toolCall = {
      name: asString(d.name) ?? '(unnamed tool)',
      arguments: args,
      ...(d.output !== undefined && d.output !== null ? { result: maybeJson(d.output) } : {}),
      ...(err ? { isError: true } : {}),
    };
  }
  if (type === 'mcp_tools') span.output = d.result;
  if (type === 'agent') span.output = d.output_type;
  return span;
}

function spanName(type: string, d: Obj): string {
  const name = asString(d.name);
  if (type === 'handoff') return `handoff ${asString(d.from_agent) ?? '?'} → ${asString(d.to_agent) ?? '?'}`;
  if (type === 'generation') return asString(d.model) ?? 'generation';
  if (type === 'response') return 'response';
  if (type === 'mcp_tools') return `mcp list tools${asString(d.server) ? ` ${asString(d.server)}` : ''}`;
  if (type === 'custom' && isRecord(d.data)) {
    if (d.data.sdk_span_type === 'turn') return `turn ${toText(d.data.turn)}${asString(d.data.agent_name) ? ` ${asString(d.data.agent_name)}` : ''}`;
    if (d.data.sdk_span_type === 'task') return `task ${asString(d.data.name) ?? ''}`.trim();
  }
  return name ?? type;
}

function attributesOf(d: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(d)) if (!['input', 'output'].includes(k) && v !== null && v !== undefined) out[k] = v;
  return out;
}

/** Responses / generation usage: input_tokens (cached included), output_tokens, details. */
function usageOf(u: unknown): Usage | undefined {
  if (!isRecord(u)) return undefined;
  const out: Usage = {};
  const put = (k: keyof Usage, v: unknown) => {
    const n = asNumber(v);
    if (n !== undefined) out[k] = n;
  };
  put('inputTokens', u.input_tokens ?? u.prompt_tokens);
  put('outputTokens', u.output_tokens ?? u.completion_tokens);
  put('totalTokens', u.total_tokens);
  const inDetails = isRecord(u.input_tokens_details) ? u.input_tokens_details : {};
  const outDetails = isRecord(u.output_tokens_details) ? u.output_tokens_details : {};
  put('cacheReadTokens', inDetails.cached_tokens);
  put('reasoningTokens', outDetails.reasoning_tokens);
  return Object.keys(out).length ? out : undefined;
}
