import { readUsage, type UsageKeyTable } from './usage';
import type { Message, SpanKind, ToolCall, Usage } from '../../model/types';
import { asNumber, asString, isRecord, maybeJson } from './json';
import { geminiSystemInstruction, normaliseMessage, normaliseMessages, normalisePrompt, normaliseReply } from './messages';

/**
 * What a span's attributes mean, read from the semantic conventions agent SDKs write:
 *  - OTel GenAI (`gen_ai.*`, current JSON-message form and the older flattened prompt/completion form)
 *  - OpenInference (`openinference.span.kind`, `llm.*`, `tool.*`, `input.value` …), flat or nested
 *  - Vercel AI SDK (`ai.operationId`, `ai.prompt.messages`, `ai.response.*`, `ai.usage.*`)
 *  - OpenLLMetry (`traceloop.span.kind`, `traceloop.entity.*`, `llm.request.type`)
 *  - Langfuse / MLflow span-type attributes, when a span went through those SDKs
 * Field maps: tests/fixtures/FORMATS.md §1, §1b, §2.
 */
export interface SemanticFields {
  kind?: SpanKind;
  sourceKind?: string;
  model?: string;
  provider?: string;
  usage?: Usage;
  inputMessages?: Message[];
  outputMessages?: Message[];
  toolCall?: ToolCall;
  input?: unknown;
  output?: unknown;
  /** The span wraps the real model call(s) and repeats their usage (Vercel `ai.generateText`). */
  isRollup?: boolean;
}

type Attrs = Record<string, unknown>;

// ---- flat view --------------------------------------------------------------------------------

/**
 * Attributes as one flat dotted map. OTLP kvlist values and legacy Phoenix JSONL nest
 * (`{"llm": {"token_count": {…}}}`, `"llm.input_messages": [{"message.role": …}]`); the flat
 * OpenInference form puts indices in keys. Nested values are expanded next to the original key,
 * so lookups by dotted name work for both. Iterative: attribute trees can be deep.
 */
export function flattenAttributes(attrs: Attrs): Attrs {
  let nested = false;
  for (const k in attrs) {
    const v = attrs[k];
    if (typeof v === 'object' && v !== null && (!Array.isArray(v) || v.some((x) => typeof x === 'object' && x !== null))) {
      nested = true;
      break;
    }
  }
  if (!nested) return attrs;
  const out: Attrs = {};
  const stack: [string, unknown, number][] = [];
  for (const k in attrs) stack.push([k, attrs[k], 0]);
  // Pop order does not matter: every key is written once.
  while (stack.length) {
    const [key, v, depth] = stack.pop()!;
    if (!(key in out)) out[key] = v;
    // Keys grow with depth, so expanding a hostile 20k-deep value costs O(depth²) time and
    // memory (a minute-long import under fuzzing). Real attribute trees are a few levels deep;
    // deeper values stay whole under their key.
    if (depth >= MAX_FLATTEN_DEPTH) continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object' && v[i] !== null) stack.push([`${key}.${i}`, v[i], depth + 1]);
    } else if (isRecord(v)) {
      for (const sk in v) stack.push([`${key}.${sk}`, v[sk], depth + 1]);
    }
  }
  return out;
}

const MAX_FLATTEN_DEPTH = 32;

/**
 * Re-inflate indexed keys under `prefix`: `llm.input_messages.3.message.tool_calls.0.tool_call.id`
 * → element 3 = `{message: {tool_calls: [{tool_call: {id}}]}}`. Also accepts the nested form
 * (`attrs[prefix]` already an array, its elements possibly with dotted keys) and a JSON string
 * holding an array. Holes (missing indices) are dropped, order kept.
 */
export function unflattenIndexed(attrs: Record<string, unknown>, prefix: string): unknown[] {
  const direct = maybeJson(attrs[prefix]);
  if (Array.isArray(direct)) return direct.map((e) => (isRecord(e) ? inflateDotted(e) : e));
  const p = `${prefix}.`;
  const slots: unknown[] = [];
  for (const key in attrs) {
    if (!key.startsWith(p)) continue;
    const rest = key.slice(p.length);
    const dot = rest.indexOf('.');
    const idxText = dot < 0 ? rest : rest.slice(0, dot);
    if (!isIndex(idxText)) continue;
    const idx = Number(idxText);
    const value = attrs[key];
    if (dot < 0) {
      // `tag.tags.0` style: the element itself is the value (unless it is a container we also fill).
      if (slots[idx] === undefined) slots[idx] = isRecord(value) ? inflateDotted(value) : value;
      continue;
    }
    let slot = slots[idx];
    if (!isRecord(slot)) {
      slot = {};
      slots[idx] = slot;
    }
    setPath(slot as Attrs, rest.slice(dot + 1).split('.'), value);
  }
  const out: unknown[] = [];
  for (const s of slots) if (s !== undefined) out.push(arrayify(s));
  return out;
}

function isIndex(s: string): boolean {
  if (s.length === 0 || s.length > 9) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function setPath(target: Attrs, segs: string[], value: unknown): void {
  let cur = target;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i]!;
    const next = cur[s];
    if (isRecord(next)) cur = next;
    else if (next === undefined) {
      const created: Attrs = {};
      cur[s] = created;
      cur = created;
    } else return; // a scalar already sits here: keep it rather than guess
  }
  const last = segs[segs.length - 1]!;
  if (cur[last] === undefined) cur[last] = isRecord(value) ? inflateDotted(value) : value;
}

/** `{"message.role": "user"}` → `{message: {role: "user"}}`; indices become arrays. */
function inflateDotted(obj: Attrs): Attrs {
  let dotted = false;
  for (const k in obj) if (k.includes('.')) dotted = true;
  if (!dotted) return obj;
  const out: Attrs = {};
  for (const k in obj) setPath(out, k.split('.'), obj[k]);
  return arrayify(out) as Attrs;
}

/** Objects whose keys are all indices become dense arrays (iterative, in place). */
function arrayify(root: unknown): unknown {
  if (!isRecord(root)) return root;
  const holder: Attrs = { v: root };
  const stack: [Attrs | unknown[], string | number][] = [[holder, 'v']];
  while (stack.length) {
    const [parent, key] = stack.pop()!;
    const v = (parent as Attrs)[key as string];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object' && v[i] !== null) stack.push([v, i]);
      continue;
    }
    if (!isRecord(v)) continue;
    const keys = Object.keys(v);
    if (keys.length > 0 && keys.every(isIndex)) {
      const arr = keys
        .map(Number)
        .sort((a, b) => a - b)
        .map((i) => v[String(i)]);
      (parent as Attrs)[key as string] = arr;
      for (let i = 0; i < arr.length; i++) if (typeof arr[i] === 'object' && arr[i] !== null) stack.push([arr, i]);
    } else {
      for (const k of keys) if (typeof v[k] === 'object' && v[k] !== null) stack.push([v, k]);
    }
  }
  return holder.v;
}

// ---- kind -------------------------------------------------------------------------------------

const OPENINFERENCE_KINDS: Record<string, SpanKind> = {
  LLM: 'llm',
  CHAIN: 'chain',
  TOOL: 'tool',
  AGENT: 'agent',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  EMBEDDING: 'embedding',
  GUARDRAIL: 'other',
  EVALUATOR: 'other',
  PROMPT: 'chain',
  UNKNOWN: 'other',
};

/** OpenInference / Phoenix `span_kind` label → kind (undefined for labels it does not define). */
export function openInferenceKind(label: unknown): SpanKind | undefined {
  const s = asString(label);
  return s === undefined ? undefined : OPENINFERENCE_KINDS[s.toUpperCase()];
}

const GENAI_OPERATIONS: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  completion: 'llm',
  embeddings: 'embedding',
  embedding: 'embedding',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  retrieval: 'retrieval',
  retrieve: 'retrieval',
};

const TRACELOOP_KINDS: Record<string, SpanKind> = {
  workflow: 'chain',
  task: 'chain',
  agent: 'agent',
  tool: 'tool',
};

const LANGFUSE_TYPES: Record<string, SpanKind> = {
  generation: 'llm',
  embedding: 'embedding',
  tool: 'tool',
  agent: 'agent',
  chain: 'chain',
  retriever: 'retrieval',
  evaluator: 'other',
  guardrail: 'other',
};

const MLFLOW_TYPES: Record<string, SpanKind> = {
  LLM: 'llm',
  CHAT_MODEL: 'llm',
  TOOL: 'tool',
  AGENT: 'agent',
  RETRIEVER: 'retrieval',
  RERANKER: 'retrieval',
  EMBEDDING: 'embedding',
  CHAIN: 'chain',
  PARSER: 'chain',
  UNKNOWN: 'other',
};

interface Classified {
  kind?: SpanKind;
  sourceKind?: string;
  isRollup?: boolean;
  vercelOp?: string;
}

/** Vercel AI SDK operation ids: the call span wraps provider requests (`.doGenerate`/`.doStream`). */
function classifyVercel(op: string): Classified {
  if (op === 'ai.toolCall') return { kind: 'tool', sourceKind: op, vercelOp: op };
  if (/\.doEmbed$/.test(op)) return { kind: 'embedding', sourceKind: op, vercelOp: op };
  if (/\.do(Generate|Stream)$/.test(op)) return { kind: 'llm', sourceKind: op, vercelOp: op };
  if (op === 'ai.embed' || op === 'ai.embedMany') return { kind: 'embedding', sourceKind: op, isRollup: true, vercelOp: op };
  if (/^ai\.(generate|stream)(Text|Object)$/.test(op)) return { kind: 'chain', sourceKind: op, isRollup: true, vercelOp: op };
  return { kind: 'other', sourceKind: op, vercelOp: op };
}

function classify(a: Attrs, spanName: string | undefined, has: Presence): Classified {
  const op = asString(a['ai.operationId']);
  if (op && op.startsWith('ai.')) return classifyVercel(op);

  const oi = asString(a['openinference.span.kind']);
  if (oi) return { kind: openInferenceKind(oi) ?? 'other', sourceKind: oi };

  const genai = asString(a['gen_ai.operation.name']);
  if (genai) {
    const kind = GENAI_OPERATIONS[genai.toLowerCase()];
    if (kind) return { kind, sourceKind: genai };
  }

  const tl = asString(a['traceloop.span.kind']);
  if (tl) return { kind: TRACELOOP_KINDS[tl.toLowerCase()] ?? 'other', sourceKind: tl };

  const reqType = asString(a['llm.request.type']);
  if (reqType) {
    const t = reqType.toLowerCase();
    const kind: SpanKind = t === 'embedding' ? 'embedding' : t === 'rerank' ? 'retrieval' : 'llm';
    return { kind, sourceKind: reqType };
  }

  const lf = asString(a['langfuse.observation.type']);
  if (lf && LANGFUSE_TYPES[lf.toLowerCase()]) return { kind: LANGFUSE_TYPES[lf.toLowerCase()], sourceKind: lf };

  const mlRaw = maybeJson(a['mlflow.spanType']);
  const ml = asString(mlRaw);
  if (ml && MLFLOW_TYPES[ml.toUpperCase()]) return { kind: MLFLOW_TYPES[ml.toUpperCase()], sourceKind: ml };

  // No (known) label: infer from what the span carries.
  const inferred = infer(a, spanName, has);
  if (genai) inferred.sourceKind = genai;
  return inferred;
}

function infer(a: Attrs, spanName: string | undefined, has: Presence): Classified {
  if (a['gen_ai.tool.name'] !== undefined || a['gen_ai.tool.call.id'] !== undefined) return { kind: 'tool' };
  // Agent-run spans (e.g. pydantic-ai) name the agent and roll usage up: not a model call.
  if (a['gen_ai.agent.name'] !== undefined) return { kind: 'agent' };
  if (has.model && (has.usage || has.messages)) return { kind: 'llm' };
  if (spanName && /^execute_tool\b/.test(spanName)) return { kind: 'tool' };
  return {};
}

// ---- presence scan ------------------------------------------------------------------------------

interface Presence {
  model: boolean;
  usage: boolean;
  messages: boolean;
  oiInput: boolean;
  oiOutput: boolean;
  genaiPrompt: boolean;
  genaiCompletion: boolean;
  documents: boolean;
  /** Google ADK's own `gcp.vertex.agent.*` request / response attributes. */
  adk: boolean;
}

const MODEL_KEYS = [
  'gen_ai.response.model',
  'gen_ai.request.model',
  'llm.model_name',
  'ai.response.model',
  'ai.model.id',
  'embedding.model_name',
  'llm.response.model',
  'llm.request.model',
];
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider'];

/** One pass over the keys so spans without any GenAI attribute cost almost nothing. */
function scan(a: Attrs): Presence {
  const p: Presence = {
    model: false,
    usage: false,
    messages: false,
    oiInput: false,
    oiOutput: false,
    genaiPrompt: false,
    genaiCompletion: false,
    documents: false,
    adk: false,
  };
  for (const k in a) {
    const c = k.charCodeAt(0);
    // Only keys starting with a, g, l, r matter below: skip the rest cheaply.
    if (c !== 97 && c !== 103 && c !== 108 && c !== 114) continue;
    if (k.startsWith('llm.')) {
      if (k.startsWith('llm.token_count.') || k.startsWith('llm.usage.') || k.startsWith('llm.cost.')) p.usage = true;
      else if (k.startsWith('llm.input_messages')) (p.oiInput = true), (p.messages = true);
      else if (k.startsWith('llm.output_messages')) (p.oiOutput = true), (p.messages = true);
    } else if (k.startsWith('gen_ai.')) {
      if (k.startsWith('gen_ai.usage.')) p.usage = true;
      else if (k.startsWith('gen_ai.prompt')) (p.genaiPrompt = true), (p.messages = true);
      else if (k.startsWith('gen_ai.completion')) (p.genaiCompletion = true), (p.messages = true);
      else if (k === 'gen_ai.input.messages' || k === 'gen_ai.output.messages') p.messages = true;
    } else if (k.startsWith('ai.usage.')) p.usage = true;
    else if (k === 'ai.prompt.messages') p.messages = true;
    else if (k.startsWith('retrieval.documents')) p.documents = true;
    else if (k === ADK_REQUEST || k === ADK_RESPONSE) (p.adk = true), (p.messages = true);
  }
  for (const k of MODEL_KEYS) if (a[k] !== undefined) p.model = true;
  return p;
}

// ---- usage ------------------------------------------------------------------------------------

const USAGE_KEYS: UsageKeyTable = [
  [
    'inputTokens',
    [
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.prompt_tokens',
      'llm.token_count.prompt',
      'ai.usage.inputTokens',
      'ai.usage.promptTokens',
      'ai.usage.tokens',
      'llm.usage.prompt_tokens',
    ],
  ],
  [
    'outputTokens',
    [
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.completion_tokens',
      'llm.token_count.completion',
      'ai.usage.outputTokens',
      'ai.usage.completionTokens',
      'llm.usage.completion_tokens',
    ],
  ],
  ['totalTokens', ['llm.token_count.total', 'gen_ai.usage.total_tokens', 'llm.usage.total_tokens', 'ai.usage.totalTokens']],
  [
    'cacheReadTokens',
    [
      'llm.token_count.prompt_details.cache_read',
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'ai.usage.cachedInputTokens',
    ],
  ],
  [
    'cacheWriteTokens',
    [
      'llm.token_count.prompt_details.cache_write',
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
    ],
  ],
  [
    'reasoningTokens',
    [
      'llm.token_count.completion_details.reasoning',
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.reasoning_tokens',
      'ai.usage.reasoningTokens',
    ],
  ],
];

function usageOf(a: Attrs): Usage | undefined {
  const u: Usage = readUsage(a, USAGE_KEYS) ?? {};
  const total = asNumber(a['llm.cost.total']);
  if (total !== undefined) u.costUsd = total;
  else {
    const pc = asNumber(a['llm.cost.prompt']);
    const cc = asNumber(a['llm.cost.completion']);
    if (pc !== undefined || cc !== undefined) u.costUsd = (pc ?? 0) + (cc ?? 0);
    else {
      const c = asNumber(a['gen_ai.usage.cost']);
      if (c !== undefined) u.costUsd = c;
    }
  }
  return Object.keys(u).length ? u : undefined;
}

// ---- messages ---------------------------------------------------------------------------------

/** One OpenInference message (`{message: {role, content | contents[], tool_calls[], …}}`) → Message. */
function openInferenceMessage(el: unknown): Message {
  const outer = isRecord(el) ? el : {};
  const m = isRecord(outer.message) ? outer.message : outer;
  const parts: unknown[] = [];
  if (Array.isArray(m.contents)) {
    for (const c of m.contents) {
      const mc = isRecord(c) && isRecord(c.message_content) ? c.message_content : c;
      if (!isRecord(mc)) continue;
      const type = asString(mc.type);
      if (type === 'image' || isRecord(mc.image)) {
        // OpenInference: message_content.image.image.url (a data URI or a remote URL).
        const img = isRecord(mc.image) ? mc.image : {};
        const url = asString(isRecord(img.image) ? img.image.url : img.url);
        parts.push(url !== undefined ? { type: 'image_url', image_url: { url } } : { type: 'image' });
      }
      else parts.push({ type: 'text', text: asString(mc.text) ?? '' });
    }
  }
  const content = typeof m.content === 'string' && m.content !== '' ? m.content : parts.length ? parts : (m.content ?? '');
  const toolCalls: unknown[] = [];
  if (Array.isArray(m.tool_calls)) {
    for (const t of m.tool_calls) {
      const tc = isRecord(t) && isRecord(t.tool_call) ? t.tool_call : t;
      if (!isRecord(tc)) continue;
      const fn = isRecord(tc.function) ? tc.function : {};
      toolCalls.push({ id: tc.id, function: { name: fn.name ?? tc.name, arguments: fn.arguments ?? tc.arguments } });
    }
  }
  if (m.function_call_name !== undefined) {
    toolCalls.push({ function: { name: m.function_call_name, arguments: m.function_call_arguments_json } });
  }
  return normaliseMessage({
    role: m.role ?? 'other',
    content,
    tool_calls: toolCalls.length ? toolCalls : undefined,
    tool_call_id: m.tool_call_id,
    name: m.name,
  });
}

/** Older GenAI / OpenLLMetry flattened `gen_ai.prompt.N.*` / `gen_ai.completion.N.*` messages. */
function flatGenAiMessage(el: unknown): Message {
  if (!isRecord(el)) return normaliseMessage(el);
  const toolCalls = Array.isArray(el.tool_calls)
    ? el.tool_calls.filter(isRecord).map((t) => ({ id: t.id, name: t.name, arguments: t.arguments }))
    : undefined;
  return normaliseMessage({
    role: el.role ?? 'other',
    content: el.content ?? '',
    tool_calls: toolCalls?.length ? toolCalls : undefined,
    tool_call_id: el.tool_call_id,
    name: el.name,
  });
}

function genAiMessageList(v: unknown): Message[] | undefined {
  const parsed = maybeJson(v);
  if (Array.isArray(parsed)) return normaliseMessages(parsed) ?? parsed.map(normaliseMessage);
  if (typeof parsed === 'string' && parsed !== '') return [{ role: 'user', content: parsed }];
  return undefined;
}

function systemInstructions(v: unknown): Message | undefined {
  const parsed = maybeJson(v);
  if (parsed === undefined || parsed === null || parsed === '') return undefined;
  if (typeof parsed === 'string') return { role: 'system', content: parsed };
  return normaliseMessage({ role: 'system', parts: Array.isArray(parsed) ? parsed : [parsed] });
}

function readMessages(a: Attrs, has: Presence, vercelOp: string | undefined, out: SemanticFields): void {
  let input: Message[] | undefined;
  let output: Message[] | undefined;

  if (has.oiInput) {
    const els = unflattenIndexed(a, 'llm.input_messages');
    if (els.length) input = els.map(openInferenceMessage);
  }
  if (has.oiOutput) {
    const els = unflattenIndexed(a, 'llm.output_messages');
    if (els.length) output = els.map(openInferenceMessage);
  }

  if (!input && a['gen_ai.input.messages'] !== undefined) input = genAiMessageList(a['gen_ai.input.messages']);
  if (!output && a['gen_ai.output.messages'] !== undefined) output = genAiMessageList(a['gen_ai.output.messages']);
  if (!input && has.genaiPrompt) {
    const els = unflattenIndexed(a, 'gen_ai.prompt');
    if (els.length) input = els.map(flatGenAiMessage);
    else if (a['gen_ai.prompt'] !== undefined) input = genAiMessageList(a['gen_ai.prompt']);
  }
  if (!output && has.genaiCompletion) {
    const els = unflattenIndexed(a, 'gen_ai.completion');
    if (els.length) output = els.map(flatGenAiMessage);
    else if (a['gen_ai.completion'] !== undefined) output = genAiMessageList(a['gen_ai.completion']);
  }
  if (has.adk) {
    // ADK: the Gemini request (contents + config.system_instruction) and LlmResponse as JSON.
    if (!input) input = normalisePrompt(adkValue(a[ADK_REQUEST]));
    if (!output) output = normaliseReply(adkValue(a[ADK_RESPONSE]));
  }
  let sys = a['gen_ai.system_instructions'] !== undefined ? systemInstructions(a['gen_ai.system_instructions']) : undefined;
  // A Gemini request keeps its system instruction in `config`, apart from the contents that
  // OpenInference lists as input messages: take it from the request the span recorded.
  sys ??= geminiSystemInstruction(adkValue(a[ADK_REQUEST])) ?? geminiSystemInstruction(valueWithMime(a, 'input'));
  if (sys && !(input ?? []).some((m) => m.role === 'system')) input = [sys, ...(input ?? [])];

  // Vercel provider requests: the exact messages sent, and the reply as text + tool calls.
  if (vercelOp && /\.do(Generate|Stream)$/.test(vercelOp)) {
    if (!input && a['ai.prompt.messages'] !== undefined) input = normaliseMessages(a['ai.prompt.messages']);
    if (!output) {
      const text = asString(a['ai.response.text']) ?? asString(a['ai.response.object']) ?? '';
      const calls = maybeJson(a['ai.response.toolCalls']);
      const reasoning = asString(a['ai.response.reasoning']);
      if (text !== '' || Array.isArray(calls) || reasoning) {
        const msg = normaliseMessage({
          role: 'assistant',
          content: text,
          tool_calls: Array.isArray(calls) ? calls : undefined,
        });
        if (reasoning) msg.reasoning = reasoning;
        output = [msg];
      }
    }
  }
  if (input?.length) out.inputMessages = input;
  if (output?.length) out.outputMessages = output;
}

const ADK_REQUEST = 'gcp.vertex.agent.llm_request';
const ADK_RESPONSE = 'gcp.vertex.agent.llm_response';

/** An ADK attribute's JSON value; ADK writes `{}` (and `<not specified>`) where it has nothing. */
function adkValue(v: unknown): unknown {
  const parsed = maybeJson(v);
  if (isRecord(parsed) && Object.keys(parsed).length === 0) return undefined;
  if (parsed === '<not specified>' || parsed === '<not serializable>' || parsed === 'N/A') return undefined;
  return parsed;
}

/** Gemini usage (`usage_metadata` of ADK's LlmResponse), for spans without GenAI usage keys. */
function adkUsage(a: Attrs): Usage | undefined {
  const r = adkValue(a[ADK_RESPONSE]);
  const m = isRecord(r) ? (r.usage_metadata ?? r.usageMetadata) : undefined;
  if (!isRecord(m)) return undefined;
  return readUsage(m, [
    ['inputTokens', ['prompt_token_count', 'promptTokenCount']],
    ['outputTokens', ['candidates_token_count', 'candidatesTokenCount']],
    ['totalTokens', ['total_token_count', 'totalTokenCount']],
    ['cacheReadTokens', ['cached_content_token_count', 'cachedContentTokenCount']],
    ['reasoningTokens', ['thoughts_token_count', 'thoughtsTokenCount']],
  ]);
}

// ---- input / output ---------------------------------------------------------------------------

/** OpenInference `input.value` + `input.mime_type`: JSON when the mime type says so. */
function valueWithMime(a: Attrs, key: 'input' | 'output'): unknown {
  const v = a[`${key}.value`];
  if (v === undefined) return undefined;
  const mime = asString(a[`${key}.mime_type`]);
  if (typeof v === 'string' && mime && /json/i.test(mime)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

function readInputOutput(a: Attrs, c: Classified, has: Presence, out: SemanticFields): void {
  let input = valueWithMime(a, 'input');
  let output = valueWithMime(a, 'output');
  if (has.adk) {
    input ??= adkValue(a[ADK_REQUEST]) ?? adkValue(a['gcp.vertex.agent.tool_call_args']);
    output ??= adkValue(a[ADK_RESPONSE]) ?? adkValue(a['gcp.vertex.agent.tool_response']);
  }
  if (input === undefined && a['traceloop.entity.input'] !== undefined) input = maybeJson(a['traceloop.entity.input']);
  if (output === undefined && a['traceloop.entity.output'] !== undefined) output = maybeJson(a['traceloop.entity.output']);
  if (c.vercelOp) {
    if (input === undefined) {
      const v = a['ai.prompt'] ?? a['ai.value'] ?? a['ai.values'];
      if (v !== undefined) input = Array.isArray(v) ? v.map(maybeJson) : maybeJson(v);
    }
    if (output === undefined) {
      if (a['ai.response.text'] !== undefined) output = a['ai.response.text'];
      else if (a['ai.response.object'] !== undefined) output = maybeJson(a['ai.response.object']);
    }
  }
  // Plain `input` / `output` attributes (GenAI instrumentations that predate the message attributes).
  if (input === undefined && a.input !== undefined) input = maybeJson(a.input);
  if (output === undefined && a.output !== undefined) output = maybeJson(a.output);
  if (output === undefined && has.documents) {
    const docs = unflattenIndexed(a, 'retrieval.documents').map((d) => (isRecord(d) && isRecord(d.document) ? d.document : d));
    if (docs.length) output = docs;
  }
  if (input !== undefined) out.input = input;
  if (output !== undefined) out.output = output;
}

// ---- tool call --------------------------------------------------------------------------------

function firstDefined(a: Attrs, keys: string[]): unknown {
  for (const k of keys) if (a[k] !== undefined && a[k] !== null) return a[k];
  return undefined;
}

function readToolCall(a: Attrs, spanName: string | undefined, fields: SemanticFields): ToolCall | undefined {
  let name = asString(
    firstDefined(a, ['gen_ai.tool.name', 'tool.name', 'ai.toolCall.name', 'tool_call.function.name', 'traceloop.entity.name']),
  );
  if (!name && spanName) name = /^execute_tool\s+(.+)$/.exec(spanName)?.[1] ?? spanName;
  if (!name) return undefined;
  const tc: ToolCall = { name };
  const id = asString(firstDefined(a, ['gen_ai.tool.call.id', 'tool_call.id', 'tool.id', 'ai.toolCall.id']));
  if (id) tc.id = id;
  let args = firstDefined(a, ['gen_ai.tool.call.arguments', 'ai.toolCall.args', 'ai.toolCall.input', 'tool_call.function.arguments']);
  args ??= adkValue(a['gcp.vertex.agent.tool_call_args']);
  if (args === undefined) args = fields.input;
  // `tool.parameters` is the tool's parameter definition in OpenInference; only a last resort.
  if (args === undefined) args = a['tool.parameters'];
  if (args !== undefined) tc.arguments = maybeJson(args);
  let result = firstDefined(a, ['gen_ai.tool.call.result', 'ai.toolCall.result', 'ai.toolCall.output']);
  result ??= adkValue(a['gcp.vertex.agent.tool_response']);
  if (result === undefined) result = fields.output;
  if (result !== undefined) tc.result = maybeJson(result);
  return tc;
}

// ---- entry point ------------------------------------------------------------------------------

/** Read the semantic fields of one span from its (flat or nested) attributes. Never throws on odd values. */
export function interpretAttributes(attrs: Record<string, unknown>, spanName?: string): SemanticFields {
  const a = flattenAttributes(attrs);
  const has = scan(a);
  const c = classify(a, spanName, has);
  const out: SemanticFields = {};
  if (c.kind) out.kind = c.kind;
  if (c.sourceKind) out.sourceKind = c.sourceKind;

  const model = asString(firstDefined(a, MODEL_KEYS));
  if (model) out.model = model;
  const provider = asString(firstDefined(a, PROVIDER_KEYS));
  if (provider) out.provider = provider;

  if (has.usage) {
    const usage = usageOf(a);
    // Only model calls carry usage; wrappers repeat their children's (kept in attributes).
    if (usage && (c.kind === 'llm' || c.kind === 'embedding') && !c.isRollup) out.usage = usage;
    else if (usage) out.isRollup = true;
  }
  if (c.isRollup) out.isRollup = true;
  if (!out.usage && has.adk && c.kind === 'llm') {
    const usage = adkUsage(a);
    if (usage) out.usage = usage;
  }

  if (has.messages || c.vercelOp || a['gen_ai.system_instructions'] !== undefined) readMessages(a, has, c.vercelOp, out);
  readInputOutput(a, c, has, out);
  if (c.kind === 'tool') {
    const tc = readToolCall(a, spanName, out);
    if (tc) out.toolCall = tc;
  }
  return out;
}

/** The conversation / session id a span names, if any (OpenInference `session.id`, GenAI `gen_ai.conversation.id`). */
export function sessionIdOf(attrs: Record<string, unknown>): string | undefined {
  return asString(attrs['session.id'] ?? attrs['gen_ai.conversation.id'] ?? attrs['ai.telemetry.metadata.sessionId']);
}
