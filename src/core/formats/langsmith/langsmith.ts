import type { RecordedEvaluationInput, Span, SpanEvent, SpanKind, ToolCall, TraceMeta, Usage } from '../../model/types';
import type { FormatImporter, ImportSink, ImportSource } from '../types';
import { asNumber, asString, isRecord, maybeJson, parseJsonText, safeString, safeStringify, utf8 } from '../common/json';
import { normalisePrompt, normaliseReply } from '../common/messages';
import { anyTimeToMs } from '../common/time';
import { demoteWrapperModelSpans } from '../common/wrapperSpans';
import { ImportError } from '../../util/errors';

/**
 * LangSmith runs (FORMATS.md §5) in the shapes clients write them:
 *  - batch ingest payload {post: [runs], patch: [runs]} (JS and Python SDKs);
 *  - run operations as JSON Lines, one create or update per line (Python SDK);
 *  - a plain list of runs, an API export {runs: [...]}, or a run tree with child_runs.
 * Each run may appear twice (create, then update with end_time/outputs/error): merged by id,
 * the update overriding non-null fields. Parents come from parent_run_id or dotted_order.
 */
export const langsmithImporter: FormatImporter = {
  id: 'langsmith',
  label: 'LangSmith runs',
  extensions: ['json', 'jsonl'],
  signature: {
    tokens: ['post', 'patch', 'runs', 'run_type', 'dotted_order', 'parent_run_id', 'child_runs', 'inputs', 'outputs'],
    requires: 'LangSmith runs with an id and dotted_order ({post, patch}, {runs}, a run list or run operations)',
  },
  sniff(_name, head) {
    const text = utf8(head);
    if (!/^\s*[[{]/.test(text)) return 0;
    if (/"dotted_order"\s*:/.test(text)) return 0.95;
    const runType = /"run_type"\s*:/.test(text);
    if (runType && /"(post|patch|trace_id|parent_run_id|child_runs)"\s*:/.test(text)) return 0.9;
    return runType ? 0.6 : 0;
  },
  async parse(source, sink) {
    const ops = readOps(source, utf8(await source.readAll()));
    const runs = mergeOps(source, ops);
    emitRuns(source, sink, runs);
  },
};

type Run = Record<string, unknown>;

/** A create or update operation, with where it came from (for error messages). */
interface Op {
  run: Run;
  create: boolean;
  where: string;
  line?: number;
}

function readOps(source: ImportSource, text: string): Op[] {
  const lines = jsonLines(text);
  if (lines) {
    const ops: Op[] = [];
    for (const { text: lineText, line } of lines) {
      const value = parseJsonText(source.name, lineText, line - 1);
      collectOps(source, value, `line ${line}`, ops, line);
    }
    return ops;
  }
  const ops: Op[] = [];
  collectOps(source, parseJsonText(source.name, text), '$', ops);
  return ops;
}

/** Non-empty lines when the text is JSON Lines (first line a whole JSON value and more follow). */
function jsonLines(text: string): { text: string; line: number }[] | null {
  const out: { text: string; line: number }[] = [];
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const t = text.slice(start, end).trim();
    if (t !== '') out.push({ text: t, line });
    if (out.length === 1 && out[0]!.line === line) {
      try {
        JSON.parse(t);
      } catch {
        return null;
      }
    }
    start = end + 1;
    line++;
  }
  return out.length > 1 ? out : null;
}

function collectOps(source: ImportSource, value: unknown, where: string, ops: Op[], line?: number): void {
  if (Array.isArray(value)) {
    value.forEach((r, i) => addRunTree(source, r, `${where}[${i}]`, ops, true, line));
    return;
  }
  if (!isRecord(value)) throw new ImportError(source.name, 'not a LangSmith run, run list or batch', { path: where, line });
  if (Array.isArray(value.post) || Array.isArray(value.patch)) {
    (Array.isArray(value.post) ? value.post : []).forEach((r, i) => addRunTree(source, r, `${where}.post[${i}]`, ops, true, line));
    (Array.isArray(value.patch) ? value.patch : []).forEach((r, i) => addRunTree(source, r, `${where}.patch[${i}]`, ops, false, line));
    return;
  }
  if (Array.isArray(value.runs)) {
    value.runs.forEach((r, i) => addRunTree(source, r, `${where}.runs[${i}]`, ops, true, line));
    return;
  }
  // One run operation: a create carries start_time (or run_type); an update only what changed.
  const create = value.start_time !== undefined || value.run_type !== undefined;
  addRunTree(source, value, where, ops, create, line);
}

/** A run and its nested child_runs (RunTree JSON), flattened without recursion. */
function addRunTree(source: ImportSource, root: unknown, where: string, ops: Op[], create: boolean, line?: number): void {
  const stack: { run: unknown; where: string; parent?: string }[] = [{ run: root, where }];
  while (stack.length) {
    const { run, where: w, parent } = stack.pop()!;
    if (!isRecord(run)) throw new ImportError(source.name, 'run is not an object', { path: w, line });
    const r: Run = parent && run.parent_run_id === undefined ? { ...run, parent_run_id: parent } : { ...run };
    const children = Array.isArray(r.child_runs) ? r.child_runs : [];
    delete r.child_runs;
    ops.push({ run: r, create, where: w, line });
    const id = runId(r);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ run: children[i], where: `${w}.child_runs[${i}]`, parent: id });
  }
}

const SEGMENT = /^(\d{8}T\d{6}\d*Z)(.+)$/;

/** dotted_order segments `YYYYMMDDTHHMMSSffffffZ<run id>`, root first. */
function dottedSegments(r: Run): { time: string; id: string }[] {
  const d = asString(r.dotted_order);
  if (!d) return [];
  return d.split('.').flatMap((seg) => {
    const m = SEGMENT.exec(seg);
    return m ? [{ time: m[1]!, id: m[2]! }] : [];
  });
}

function runId(r: Run): string | undefined {
  return asString(r.id) ?? dottedSegments(r).at(-1)?.id;
}

/** Create + updates per run id, in file order; an update overrides fields it sets (non-null). */
function mergeOps(source: ImportSource, ops: Op[]): Run[] {
  const byId = new Map<string, Run>();
  const order: string[] = [];
  for (const op of ops) {
    const id = runId(op.run);
    if (!id) throw new ImportError(source.name, 'run has neither id nor dotted_order', { path: op.where, line: op.line });
    const prev = byId.get(id);
    if (!prev) {
      byId.set(id, { ...op.run, id });
      order.push(id);
      continue;
    }
    // A create arriving after its update must not undo the update: it only fills gaps.
    byId.set(id, op.create ? overlay(op.run, prev) : overlay(prev, op.run));
  }
  return order.map((id) => byId.get(id)!);
}

function overlay(base: Run, top: Run): Run {
  const out: Run = { ...base };
  for (const [k, v] of Object.entries(top)) {
    if (v === null || v === undefined) continue;
    if (k === 'extra' && isRecord(v) && isRecord(base.extra)) {
      const bm = isRecord(base.extra.metadata) ? base.extra.metadata : {};
      const tm = isRecord(v.metadata) ? v.metadata : {};
      out.extra = { ...base.extra, ...v, metadata: { ...bm, ...tm } };
    } else out[k] = v;
  }
  return out;
}

const KIND_BY_RUN_TYPE: Record<string, SpanKind> = {
  llm: 'llm',
  chat_model: 'llm',
  chain: 'chain',
  tool: 'tool',
  retriever: 'retrieval',
  embedding: 'embedding',
  prompt: 'chain',
  parser: 'chain',
};

function emitRuns(source: ImportSource, sink: ImportSink, runs: Run[]): void {
  const traceOf = traceIdResolver(runs);
  const spans: Span[] = [];
  const roots = new Map<string, Run>();
  for (const r of runs) {
    const span = runSpan(source, r, traceOf(r));
    spans.push(span);
    if (span.parentId === null || span.spanId === span.traceId) roots.set(span.traceId, r);
  }
  const traceIds = [...new Set(spans.map((s) => s.traceId))];
  for (const traceId of traceIds) {
    const root = roots.get(traceId) ?? runs[spans.findIndex((s) => s.traceId === traceId)]!;
    sink.trace(traceMeta(traceId, root));
  }
  demoteWrapperModelSpans(spans);
  for (const s of spans) sink.span(s);
}

/**
 * A run's trace: its trace_id (create ops), else the root of its dotted_order, else (nested
 * child_runs, API rows without trace_id) the trace of its parent, found walking up iteratively.
 */
function traceIdResolver(runs: Run[]): (r: Run) => string {
  const byId = new Map(runs.map((r) => [String(r.id), r]));
  const memo = new Map<string, string>();
  const own = (r: Run) => asString(r.trace_id) ?? dottedSegments(r)[0]?.id;
  return (start) => {
    const path: string[] = [];
    const seen = new Set<string>();
    let r: Run | undefined = start;
    let found: string | undefined;
    while (r) {
      const id = String(r.id);
      found = memo.get(id) ?? own(r);
      if (found || seen.has(id)) break;
      seen.add(id);
      path.push(id);
      const parent = asString(r.parent_run_id);
      r = parent ? byId.get(parent) : undefined;
      if (!r) found = path.at(-1);
    }
    const traceId = found ?? String(start.id);
    for (const id of path) memo.set(id, traceId);
    return traceId;
  };
}

function runSpan(source: ImportSource, r: Run, traceId: string): Span {
  const id = String(r.id);
  const segments = dottedSegments(r);
  const parentId = asString(r.parent_run_id) ?? (segments.length >= 2 ? segments.at(-2)!.id : null);
  const startMs = anyTimeToMs(r.start_time) ?? segmentTimeMs(segments.at(-1)?.time);
  if (startMs === undefined)
    throw new ImportError(source.name, `run ${id} has no start_time`, { spanId: id });
  const endMs = r.end_time === null || r.end_time === undefined ? null : anyTimeToMs(r.end_time) ?? null;

  const runType = asString(r.run_type) ?? '';
  const kind: SpanKind = KIND_BY_RUN_TYPE[runType] ?? 'other';
  const error = errorText(r.error);
  const status = error !== undefined || r.status === 'error' ? 'error' : endMs !== null || r.status === 'success' ? 'ok' : 'unset';
  const extra = isRecord(r.extra) ? r.extra : {};
  const metadata = isRecord(extra.metadata) ? extra.metadata : {};
  const invocation = isRecord(extra.invocation_params) ? extra.invocation_params : {};

  const span: Span = {
    traceId,
    spanId: id,
    parentId: parentId === id ? null : parentId,
    name: asString(r.name) ?? (runType || 'run'),
    kind,
    sourceKind: runType || undefined,
    status,
    startMs,
    endMs,
    attributes: runAttributes(r),
    events: runEvents(r.events),
  };
  if (error !== undefined) span.statusMessage = firstLine(error);
  if (r.inputs !== undefined && r.inputs !== null) span.input = r.inputs;
  if (r.outputs !== undefined && r.outputs !== null) span.output = r.outputs;

  const outputs = isRecord(r.outputs) ? r.outputs : undefined;
  const model =
    asString(metadata.ls_model_name) ??
    asString(invocation.model) ??
    asString(invocation.model_name) ??
    (isRecord(r.inputs) ? asString(r.inputs.model) : undefined);
  if (model) span.model = model;
  const provider = asString(metadata.ls_provider);
  if (provider) span.provider = provider;

  if (kind === 'llm') {
    const usage = runUsage(r, outputs, metadata);
    if (usage) span.usage = usage;
    const inMsgs = normalisePrompt(r.inputs);
    const outMsgs = normaliseReply(outputs);
    if (inMsgs?.length) span.inputMessages = inMsgs;
    if (outMsgs?.length) span.outputMessages = outMsgs;
  }
  if (kind === 'tool') span.toolCall = toolCallOf(span.name, r.inputs, outputs, error !== undefined);
  return span;
}

/** dotted_order time `20241013T070537170001Z` (µs; the JS SDK appends a 3-digit counter) → ms. */
function segmentTimeMs(t: string | undefined): number | undefined {
  const m = t ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{0,6})/.exec(t) : null;
  if (!m) return undefined;
  const base = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return base + (m[7] ? Number(`0.${m[7]}`) * 1000 : 0);
}

function errorText(e: unknown): string | undefined {
  if (e === null || e === undefined || e === '') return undefined;
  if (typeof e === 'string') return e;
  if (isRecord(e)) return asString(e.message) ?? safeStringify(e);
  return safeString(e);
}

/**
 * The line worth showing: LangChain stores repr(error) glued to the formatted traceback
 * ("ValueError('boom')Traceback (most recent call last):…"); a bare traceback ends with it.
 */
function firstLine(error: string): string {
  const lines = error.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = (lines[0] ?? error).replace(/Traceback \(most recent call last\):$/, '').trim();
  if (first) return first;
  return lines.at(-1) ?? error;
}

/** Fields kept as attributes: everything but the skeleton and the bulky inputs/outputs. */
const NOT_ATTRIBUTES = new Set(['id', 'name', 'start_time', 'end_time', 'parent_run_id', 'inputs', 'outputs', 'events', 'run_type', 'trace_id']);

function runAttributes(r: Run): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (NOT_ATTRIBUTES.has(k) || v === null || v === undefined) continue;
    if ((Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0)) continue;
    attrs[k] = v;
  }
  return attrs;
}

function runEvents(events: unknown): SpanEvent[] {
  if (!Array.isArray(events)) return [];
  return events.filter(isRecord).map((e) => {
    const ev: SpanEvent = { name: asString(e.name) ?? 'event', attributes: isRecord(e.kwargs) ? e.kwargs : {} };
    const t = anyTimeToMs(e.time);
    if (t !== undefined) ev.timeMs = t;
    return ev;
  });
}

/**
 * Token usage of an LLM run: outputs.usage_metadata (wrapOpenAI, LangChain AIMessage roll-up),
 * llm_output.token_usage (LangChain OpenAI), the provider's own outputs.usage, the message's
 * usage_metadata inside generations, extra.metadata.usage_metadata, or API-export run totals.
 */
function runUsage(r: Run, outputs: Run | undefined, metadata: Run): Usage | undefined {
  const llmOutput = outputs && isRecord(outputs.llm_output) ? outputs.llm_output : undefined;
  const candidates: unknown[] = [
    outputs?.usage_metadata,
    llmOutput?.token_usage,
    llmOutput?.usage,
    outputs?.usage,
    generationUsage(outputs),
    metadata.usage_metadata,
  ];
  let usage: Usage | undefined;
  for (const c of candidates) {
    usage = usageFrom(c);
    if (usage) break;
  }
  if (!usage) {
    const input = asNumber(r.prompt_tokens);
    const output = asNumber(r.completion_tokens);
    if (input !== undefined || output !== undefined) {
      usage = {};
      if (input !== undefined) usage.inputTokens = input;
      if (output !== undefined) usage.outputTokens = output;
      const total = asNumber(r.total_tokens);
      if (total !== undefined) usage.totalTokens = total;
    }
  }
  const cost = asNumber(r.total_cost);
  if (cost !== undefined) usage = { ...(usage ?? {}), costUsd: cost };
  return usage;
}

function generationUsage(outputs: Run | undefined): unknown {
  if (!outputs || !Array.isArray(outputs.generations)) return undefined;
  for (const g of outputs.generations.flat()) {
    if (!isRecord(g) || !isRecord(g.message)) continue;
    const m = g.message.lc === 1 && isRecord(g.message.kwargs) ? g.message.kwargs : g.message;
    if (isRecord(m.usage_metadata)) return m.usage_metadata;
  }
  return undefined;
}

/** {input_tokens, output_tokens, …_details} (LangChain) or {prompt_tokens, completion_tokens, …} (OpenAI). */
function usageFrom(v: unknown): Usage | undefined {
  if (!isRecord(v)) return undefined;
  const inDetails = isRecord(v.input_token_details) ? v.input_token_details : isRecord(v.prompt_tokens_details) ? v.prompt_tokens_details : {};
  const outDetails = isRecord(v.output_token_details)
    ? v.output_token_details
    : isRecord(v.completion_tokens_details)
      ? v.completion_tokens_details
      : {};
  const usage: Usage = {};
  const set = (k: keyof Usage, n: number | undefined) => {
    if (n !== undefined) usage[k] = n;
  };
  set('inputTokens', asNumber(v.input_tokens) ?? asNumber(v.prompt_tokens));
  set('outputTokens', asNumber(v.output_tokens) ?? asNumber(v.completion_tokens));
  set('totalTokens', asNumber(v.total_tokens));
  set('cacheReadTokens', asNumber(inDetails.cache_read) ?? asNumber(inDetails.cached_tokens));
  set('cacheWriteTokens', asNumber(inDetails.cache_creation));
  set('reasoningTokens', asNumber(outDetails.reasoning) ?? asNumber(outDetails.reasoning_tokens));
  return usage.inputTokens !== undefined || usage.outputTokens !== undefined || usage.totalTokens !== undefined ? usage : undefined;
}

function toolCallOf(name: string, inputs: unknown, outputs: Run | undefined, isError: boolean): ToolCall {
  // LangChain tools record {input: "<args>"} and {output: <ToolMessage | value>}.
  const args = isRecord(inputs) && Object.keys(inputs).length === 1 && 'input' in inputs ? maybeJson(inputs.input) : inputs;
  let result: unknown = outputs && Object.keys(outputs).length === 1 && 'output' in outputs ? outputs.output : outputs;
  let id: string | undefined;
  if (isRecord(result)) {
    const msg = result.lc === 1 && isRecord(result.kwargs) ? result.kwargs : result;
    if (typeof msg.tool_call_id === 'string') {
      id = msg.tool_call_id;
      result = maybeJson(msg.content);
    }
  }
  const call: ToolCall = { name, arguments: args, result };
  if (id) call.id = id;
  if (isError) call.isError = true;
  return call;
}

function traceMeta(traceId: string, root: Run): TraceMeta {
  const extra = isRecord(root.extra) ? root.extra : {};
  const metadata = isRecord(extra.metadata) ? extra.metadata : {};
  const meta: TraceMeta = { traceId, metadata: {} };
  const name = asString(root.name);
  if (name) meta.name = name;
  const session = asString(metadata.thread_id) ?? asString(metadata.session_id) ?? asString(metadata.conversation_id);
  if (session) meta.sessionId = session;
  const version = asString(metadata.revision_id) ?? asString(metadata.ls_version);
  if (version) meta.version = version;
  if (root.inputs !== undefined && root.inputs !== null) meta.input = root.inputs;
  if (root.outputs !== undefined && root.outputs !== null) meta.output = root.outputs;
  const m = meta.metadata!;
  const project = asString(root.session_name) ?? asString(root.project_name) ?? asString(root.session_id);
  if (project) m.project = project;
  if (Array.isArray(root.tags) && root.tags.length) m.tags = root.tags;
  if (Object.keys(metadata).length) m.metadata = metadata;
  if (root.feedback_stats) {
    m.feedback = root.feedback_stats;
    // feedback_stats: {key: {n, avg, …}} — the run's feedback per key, averaged by LangSmith.
    if (isRecord(root.feedback_stats)) {
      const evaluations: RecordedEvaluationInput[] = [];
      for (const [key, st] of Object.entries(root.feedback_stats)) {
        const avg = isRecord(st) ? asNumber(st.avg) : undefined;
        if (avg !== undefined) evaluations.push({ name: key, source: 'langsmith:feedback', value: avg });
      }
      if (evaluations.length) meta.evaluations = evaluations;
    }
  }
  return meta;
}

