/**
 * Generates realistic OTLP/JSON ExportTraceServiceRequest files of agent traces, streamed to disk
 * (never built as one string), for the import benchmark and the streaming-memory test.
 *
 * Shape, modelled on what OTel GenAI instrumentations export (tests/fixtures/FORMATS.md §1):
 *  - traces are agent runs: `invoke_agent <name>` → turns of `chat <model>` (LLM) followed by
 *    `execute_tool <tool>` spans; sometimes a sub-agent (`invoke_agent Researcher`) nests turns;
 *  - gen_ai.* attributes as KeyValue arrays (intValue as strings, doubleValue, arrayValue), the
 *    messages as JSON strings in gen_ai.input.messages / gen_ai.output.messages;
 *  - ~4 % of tool calls fail: status.code 2 + message + an `exception` event, and the failure
 *    propagates to the parent agent span as in real SDKs;
 *  - lowercase hex ids, times as decimal nanosecond strings;
 *  - spans are written in the order a BatchSpanProcessor exports them: a span when it ends
 *    (children before parents), 512 per resourceSpans batch, so a trace spans several batches;
 *  - files of ≥ 100k spans also hold one long session trace (10 % of the spans).
 *
 * Deterministic for a given seed, so the same options give the same bytes.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mulberry32 } from '../../src/core/util/random';
import { once } from 'node:events';

export interface GenOptions {
  path: string;
  /** Stop after this many spans (the last trace is cut short to hit it exactly)… */
  spans?: number;
  /** …or once the file has at least this many bytes (finishing the current trace). */
  bytes?: number;
  seed?: number;
  /** Spans per resourceSpans batch (BatchSpanProcessor's maxExportBatchSize). */
  batchSize?: number;
}

export interface GenResult {
  path: string;
  bytes: number;
  spans: number;
  traces: number;
  llmSpans: number;
  toolSpans: number;
  agentSpans: number;
  errorSpans: number;
  inputTokens: number;
  outputTokens: number;
}

const rng = mulberry32;

const MODELS = ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5', 'o4-mini'];
const AGENTS = ['SupportAgent', 'CodingAgent', 'TravelPlanner', 'ResearchAssistant'];
const TOOLS: { name: string; args: (r: () => number) => unknown; result: (r: () => number) => unknown }[] = [
  {
    name: 'search_docs',
    args: (r) => ({ query: pick(r, QUERIES), top_k: 3 + Math.floor(r() * 5) }),
    result: (r) => ({ hits: [pick(r, SNIPPETS), pick(r, SNIPPETS)].map((s, i) => ({ rank: i + 1, text: s })) }),
  },
  {
    name: 'get_weather',
    args: (r) => ({ location: pick(r, CITIES), unit: r() < 0.5 ? 'celsius' : 'fahrenheit' }),
    result: (r) => ({ forecast: pick(r, ['rainy', 'sunny', 'cloudy', 'windy']), temperature: Math.round(r() * 35) }),
  },
  {
    name: 'run_shell',
    args: (r) => ({ command: pick(r, ['ls -la src', 'npm test', 'git status --short', 'cat package.json']) }),
    result: (r) => ({ exit_code: 0, stdout: pick(r, SNIPPETS).slice(0, 120) }),
  },
  {
    name: 'read_file',
    args: (r) => ({ path: pick(r, ['src/index.ts', 'README.md', 'docs/api.md', 'config/app.yaml']) }),
    result: (r) => pick(r, SNIPPETS),
  },
];
const CITIES = ['Paris', 'Berlin', 'Lisbon', 'Tokyo', 'Nairobi', 'Montréal', 'São Paulo'];
const QUERIES = [
  'refund policy for annual plans',
  'how to rotate API keys',
  'error 429 rate limit retry',
  'export traces as OTLP',
  'reset two-factor authentication',
];
const SNIPPETS = [
  'Refunds for annual plans are prorated for the unused months when requested within 30 days.',
  'API keys can be rotated from Settings → Security; the old key stays valid for 24 hours.',
  'A 429 response carries a Retry-After header; back off exponentially starting at one second.',
  'Traces are exported over OTLP/HTTP to /v1/traces with protobuf or JSON bodies.',
  'Two-factor authentication can be reset by an administrator after identity verification — “Ω” ✓.',
];
const USER_ASKS = [
  'Can I get a refund for my annual plan? I upgraded by mistake.',
  'Our CI keeps failing with a rate-limit error, what should the retry policy be?',
  'Plan a three-day trip to Lisbon in March, with museums and a day at the beach.',
  'Fix the failing unit test in src/index.ts and explain the root cause.',
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function hex(r: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, chars);
}

// ---- OTLP AnyValue / KeyValue encoding ---------------------------------------------------------

type Attr = [string, string | number | boolean | string[]];

function kv([key, v]: Attr): string {
  let value: string;
  if (typeof v === 'string') value = `{"stringValue":${JSON.stringify(v)}}`;
  else if (typeof v === 'boolean') value = `{"boolValue":${v}}`;
  else if (Array.isArray(v)) value = `{"arrayValue":{"values":[${v.map((s) => `{"stringValue":${JSON.stringify(s)}}`).join(',')}]}}`;
  else if (Number.isInteger(v)) value = `{"intValue":"${v}"}`; // int64 travels as a string in OTLP/JSON
  else value = `{"doubleValue":${v}}`;
  return `{"key":${JSON.stringify(key)},"value":${value}}`;
}

interface OpenSpan {
  spanId: string;
  parentId: string;
  name: string;
  startNs: bigint;
  attrs: Attr[];
  error: string | null;
}

function spanJson(traceId: string, s: OpenSpan, endNs: bigint, kind: number, events: string): string {
  const status = s.error ? `{"code":2,"message":${JSON.stringify(s.error)}}` : `{"code":1}`;
  return (
    `{"traceId":"${traceId}","spanId":"${s.spanId}"` +
    (s.parentId ? `,"parentSpanId":"${s.parentId}"` : '') +
    `,"name":${JSON.stringify(s.name)},"kind":${kind}` +
    `,"startTimeUnixNano":"${s.startNs}","endTimeUnixNano":"${endNs}"` +
    `,"attributes":[${s.attrs.map(kv).join(',')}]` +
    (events ? `,"events":[${events}]` : '') +
    `,"status":${status}}`
  );
}

// ---- the writer --------------------------------------------------------------------------------

const RESOURCE =
  `"resource":{"attributes":[${(
    [
      ['service.name', 'agent-fleet'],
      ['service.version', '2.4.1'],
      ['deployment.environment', 'bench'],
      ['telemetry.sdk.name', 'opentelemetry'],
      ['telemetry.sdk.language', 'python'],
      ['telemetry.sdk.version', '1.38.0'],
    ] as Attr[]
  )
    .map(kv)
    .join(',')}]}`;
const SCOPE = `"scope":{"name":"opentelemetry.instrumentation.openai_agents","version":"0.1.12"}`;

class BatchWriter {
  bytes = 0;
  private batch: string[] = [];
  private batches = 0;
  private pending = '';

  constructor(
    private readonly out: WriteStream,
    private readonly batchSize: number,
  ) {}

  async start(): Promise<void> {
    await this.write('{"resourceSpans":[');
  }

  async span(json: string): Promise<void> {
    this.batch.push(json);
    if (this.batch.length >= this.batchSize) await this.flushBatch();
  }

  async end(): Promise<void> {
    await this.flushBatch();
    await this.write(']}\n', true);
  }

  private async flushBatch(): Promise<void> {
    if (this.batch.length === 0) return;
    const sep = this.batches++ === 0 ? '' : ',';
    await this.write(`${sep}{${RESOURCE},"scopeSpans":[{${SCOPE},"spans":[${this.batch.join(',')}]}]}`);
    this.batch = [];
  }

  /** Buffers ~1 MiB before handing it to the stream, and respects back-pressure. */
  private async write(s: string, force = false): Promise<void> {
    this.pending += s;
    if (!force && this.pending.length < 1 << 20) return;
    const chunk = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}

export async function generateOtlpFile(opts: GenOptions): Promise<GenResult> {
  if (opts.spans === undefined && opts.bytes === undefined) throw new Error('generateOtlpFile: give spans or bytes');
  const r = rng(opts.seed ?? 42);
  const out = createWriteStream(opts.path);
  const w = new BatchWriter(out, opts.batchSize ?? 512);
  const res: GenResult = {
    path: opts.path,
    bytes: 0,
    spans: 0,
    traces: 0,
    llmSpans: 0,
    toolSpans: 0,
    agentSpans: 0,
    errorSpans: 0,
    inputTokens: 0,
    outputTokens: 0,
  };
  const budget = opts.spans ?? Infinity;
  const byteBudget = opts.bytes ?? Infinity;
  // One long session (10 % of the spans) in big files: deep/long traces are where repairs and
  // aggregates get expensive.
  const longTrace = budget >= 100_000 && budget !== Infinity ? Math.floor(budget / 10) : 0;
  let clockNs = 1_760_000_000_000_000_000n; // 2025-10-09, advances per trace

  await w.start();
  while (res.spans < budget && w.bytes < byteBudget) {
    const left = budget - res.spans;
    const size = res.traces === 0 && longTrace ? longTrace : Math.min(left, 8 + Math.floor(r() * r() * 300));
    clockNs = await writeTrace(w, r, Math.min(size, left), clockNs, res);
    res.traces++;
    clockNs += BigInt(Math.floor(r() * 5_000_000_000));
  }
  await w.end();
  out.end();
  await once(out, 'finish');
  res.bytes = w.bytes;
  return res;
}

/**
 * Writes one agent trace of exactly `size` spans; returns the clock after it. Iterative (a stack
 * of open agent spans), emitting each span when it ends.
 */
async function writeTrace(w: BatchWriter, r: () => number, size: number, startNs: bigint, res: GenResult): Promise<bigint> {
  const traceId = hex(r, 32);
  const conversation = `conv_${hex(r, 12)}`;
  const agentName = pick(r, AGENTS);
  let now = startNs;
  let written = 0;
  const tick = (maxMs: number) => (now += BigInt(Math.floor(r() * maxMs * 1e6)) + 1000n);

  const openAgent = (name: string, parentId: string): OpenSpan => ({
    spanId: hex(r, 16),
    parentId,
    name: `invoke_agent ${name}`,
    startNs: tick(2),
    attrs: [
      ['gen_ai.operation.name', 'invoke_agent'],
      ['gen_ai.agent.name', name],
      ['gen_ai.agent.id', `agent_${name.toLowerCase()}`],
      ['gen_ai.conversation.id', conversation],
    ],
    error: null,
  });
  const emit = async (s: OpenSpan, kind: number, events = '') => {
    await w.span(spanJson(traceId, s, tick(3), kind, events));
    written++;
    res.spans++;
    if (s.error) res.errorSpans++;
  };

  const stack: OpenSpan[] = [openAgent(agentName, '')];
  res.agentSpans++;
  let ask = pick(r, USER_ASKS);
  let lastToolResult = '';

  // Reserve one slot per open agent span: they are emitted when they close.
  while (written + stack.length < size) {
    const room = size - written - stack.length;
    const top = stack[stack.length - 1]!;
    // Sub-agent: open one (rarely), or close the current one after a few turns.
    if (stack.length > 1 && r() < 0.25) {
      await emit(stack.pop()!, 1);
      continue;
    }
    if (room >= 3 && stack.length < 6 && r() < 0.06) {
      stack.push(openAgent('Researcher', top.spanId));
      res.agentSpans++;
      continue;
    }

    // One model call …
    const model = pick(r, MODELS);
    const nTools = Math.min(room - 1, r() < 0.3 ? 0 : 1 + Math.floor(r() * 3));
    const calls = Array.from({ length: Math.max(0, nTools) }, () => {
      const tool = pick(r, TOOLS);
      return { id: `call_${hex(r, 24)}`, tool, args: tool.args(r) };
    });
    const input = [
      { role: 'system', parts: [{ type: 'text', content: `You are ${top.name.slice(13)}. Be concise and cite sources.` }] },
      { role: 'user', parts: [{ type: 'text', content: ask }] },
      ...(lastToolResult ? [{ role: 'tool', parts: [{ type: 'tool_call_response', id: 'prev', response: lastToolResult }] }] : []),
    ];
    const output = [
      {
        role: 'assistant',
        parts: calls.length
          ? calls.map((c) => ({ type: 'tool_call', id: c.id, name: c.tool.name, arguments: c.args }))
          : [{ type: 'text', content: pick(r, SNIPPETS) }],
        finish_reason: calls.length ? 'tool_calls' : 'stop',
      },
    ];
    const inTok = 200 + Math.floor(r() * 4000);
    const outTok = 10 + Math.floor(r() * 600);
    res.llmSpans++;
    res.inputTokens += inTok;
    res.outputTokens += outTok;
    const llmStart = tick(5);
    tick(1500); // the model thinks
    await emit(
      {
        spanId: hex(r, 16),
        parentId: top.spanId,
        name: `chat ${model}`,
        startNs: llmStart,
        attrs: [
          ['gen_ai.operation.name', 'chat'],
          ['gen_ai.provider.name', model.startsWith('claude') ? 'anthropic' : 'openai'],
          ['gen_ai.request.model', model],
          ['gen_ai.response.model', `${model}-2025-08-07`],
          ['gen_ai.request.temperature', Math.round(r() * 10) / 10 + 0.05],
          ['gen_ai.response.id', `chatcmpl-${hex(r, 24)}`],
          ['gen_ai.response.finish_reasons', [output[0]!.finish_reason]],
          ['gen_ai.usage.input_tokens', inTok],
          ['gen_ai.usage.output_tokens', outTok],
          ['gen_ai.input.messages', JSON.stringify(input)],
          ['gen_ai.output.messages', JSON.stringify(output)],
        ],
        error: null,
      },
      3,
    );

    // … then the tools it asked for.
    for (const c of calls) {
      const failed = r() < 0.04;
      const result = failed ? null : c.tool.result(r);
      lastToolResult = failed ? '' : JSON.stringify(result);
      const s: OpenSpan = {
        spanId: hex(r, 16),
        parentId: top.spanId,
        name: `execute_tool ${c.tool.name}`,
        startNs: tick(2),
        attrs: [
          ['gen_ai.operation.name', 'execute_tool'],
          ['gen_ai.tool.name', c.tool.name],
          ['gen_ai.tool.call.id', c.id],
          ['gen_ai.tool.type', 'function'],
          ['gen_ai.tool.call.arguments', JSON.stringify(c.args)],
          ...(failed ? [] : ([['gen_ai.tool.call.result', lastToolResult]] as Attr[])),
        ],
        error: failed ? `${c.tool.name} failed: upstream timed out after 30s` : null,
      };
      tick(300);
      res.toolSpans++;
      const events = failed
        ? `{"timeUnixNano":"${now}","name":"exception","attributes":[${(
            [
              ['exception.type', 'TimeoutError'],
              ['exception.message', s.error!],
              ['exception.escaped', false],
            ] as Attr[]
          )
            .map(kv)
            .join(',')}]}`
        : '';
      await emit(s, 1, events);
      if (failed) top.error ??= `tool ${c.tool.name} failed`;
    }
    if (r() < 0.2) ask = pick(r, USER_ASKS);
  }
  while (stack.length) await emit(stack.pop()!, 1);
  return now;
}

// `node --import tsx tests/bench/genOtlp.ts <out.json> <spans>`: write one file by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, spans] = process.argv.slice(2);
  if (!path || !spans) {
    console.error('usage: genOtlp.ts <out.json> <spans>');
    process.exit(2);
  }
  generateOtlpFile({ path, spans: Number(spans) }).then((res) => console.log(JSON.stringify(res)));
}
