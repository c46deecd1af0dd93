/**
 * One very large agent trace (default 100k spans), for the trace-view benchmark: the kind of
 * trace on which Jaeger UI, Langfuse, MLflow and Phoenix freeze. Shape of a long agent session
 * as OTel GenAI instrumentations export it:
 *  - a session root → user requests (`invoke_agent Orchestrator`) → model turns (`chat <model>`)
 *    each followed by the tool calls it requested (`execute_tool <tool>`), sometimes in parallel
 *    (same start, overlapping), sometimes a retrieval, sometimes a sub-agent
 *    (`invoke_agent Researcher`) with its own turns, up to 4 agents deep;
 *  - ~3 % of tool calls fail (status 2 + exception event), and the next turn retries the tool;
 *  - messages as gen_ai.input.messages / gen_ai.output.messages JSON strings, usage, cost.
 * Deterministic for a given seed. Written to disk as OTLP/JSON, streamed in 512-span batches.
 */
import { mulberry32 } from '../../src/core/util/random';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface GenSpan {
  spanId: string;
  parentId: string | null;
  name: string;
  op: 'invoke_agent' | 'chat' | 'execute_tool' | 'retrieval';
  startMs: number;
  endMs: number;
  error?: string;
  attrs: Record<string, string | number>;
}

export interface BigTraceResult {
  traceId: string;
  spans: GenSpan[];
  llm: number;
  tools: number;
  toolErrors: number;
  maxDepth: number;
}

const rng = mulberry32;

const TOOLS = ['search_web', 'read_file', 'run_sql', 'http_get', 'write_file', 'bash', 'list_dir', 'get_weather'];
const MODELS = ['gpt-4.1', 'claude-sonnet-4-5', 'gpt-4o-mini'];

export function generateBigTrace(opts: { spans?: number; seed?: number } = {}): BigTraceResult {
  const target = opts.spans ?? 100_000;
  const r = rng(opts.seed ?? 7);
  const traceId = 'b16' + Math.floor(r() * 2 ** 52).toString(16).padStart(13, '0') + '0'.repeat(16);
  const spans: GenSpan[] = [];
  let nextId = 1;
  const newId = () => (nextId++).toString(16).padStart(16, '0');
  const res: BigTraceResult = { traceId, spans, llm: 0, tools: 0, toolErrors: 0, maxDepth: 0 };
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const left = () => target - spans.length;

  const root: GenSpan = {
    spanId: newId(),
    parentId: null,
    name: 'invoke_agent Session',
    op: 'invoke_agent',
    startMs: 1_767_225_600_000,
    endMs: 0,
    attrs: { 'gen_ai.agent.name': 'Session' },
  };
  spans.push(root);

  /** One agent run of `turns` model turns under `parent`, starting at t; returns its end. */
  const agentRun = (parent: GenSpan, t: number, depth: number, turns: number): number => {
    res.maxDepth = Math.max(res.maxDepth, depth);
    let lastFailed: string | null = null;
    for (let turn = 0; turn < turns && left() > 0; turn++) {
      const model = pick(MODELS);
      const inTok = 800 + Math.floor(r() * 6000);
      const outTok = 20 + Math.floor(r() * 400);
      const nCalls = turn === turns - 1 ? 0 : r() < 0.25 ? 2 + Math.floor(r() * 3) : 1;
      const calls = Array.from({ length: nCalls }, (_, k) => ({
        id: `call_${nextId}_${k}`,
        name: lastFailed && k === 0 ? lastFailed : pick(TOOLS),
        args: { query: `q${Math.floor(r() * 1e6)}`, limit: 1 + Math.floor(r() * 20) },
      }));
      lastFailed = null;
      const llmDur = 300 + r() * 3500;
      const llm: GenSpan = {
        spanId: newId(),
        parentId: parent.spanId,
        name: `chat ${model}`,
        op: 'chat',
        startMs: t,
        endMs: t + llmDur,
        attrs: {
          'gen_ai.request.model': model,
          'gen_ai.usage.input_tokens': inTok,
          'gen_ai.usage.output_tokens': outTok,
          'llm.cost.total': Math.round((inTok * 2.5e-6 + outTok * 1e-5) * 1e6) / 1e6,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'system', parts: [{ type: 'text', content: 'You are a careful agent. Use tools when needed.' }] },
            { role: 'user', parts: [{ type: 'text', content: `Request ${turn}: summarise findings about topic ${Math.floor(r() * 1e4)}` }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [
                { type: 'text', content: nCalls ? 'Let me look that up.' : 'Here is the summary you asked for.' },
                ...calls.map((c) => ({ type: 'tool_call', id: c.id, name: c.name, arguments: c.args })),
              ],
            },
          ]),
        },
      };
      spans.push(llm);
      res.llm++;
      t = llm.endMs + 5;
      const parallel = nCalls > 1 && r() < 0.6;
      let turnEnd = t;
      for (const c of calls) {
        if (left() <= 0) break;
        const start = parallel ? t + r() * 3 : turnEnd + 2;
        let end: number;
        const roll = r();
        if (roll < 0.06 && depth < 4 && left() > 20) {
          const sub: GenSpan = {
            spanId: newId(),
            parentId: parent.spanId,
            name: 'invoke_agent Researcher',
            op: 'invoke_agent',
            startMs: start,
            endMs: 0,
            attrs: { 'gen_ai.agent.name': 'Researcher' },
          };
          spans.push(sub);
          end = agentRun(sub, start + 1, depth + 1, 2 + Math.floor(r() * 5)) + 1;
          sub.endMs = end;
        } else if (roll < 0.14) {
          const span: GenSpan = {
            spanId: newId(),
            parentId: parent.spanId,
            name: 'retrieval vector-store',
            op: 'retrieval',
            startMs: start,
            endMs: start + 20 + r() * 300,
            attrs: { 'gen_ai.data_source.id': 'kb-main' },
          };
          spans.push(span);
          end = span.endMs;
        } else {
          const fail = r() < 0.03;
          const span: GenSpan = {
            spanId: newId(),
            parentId: parent.spanId,
            name: `execute_tool ${c.name}`,
            op: 'execute_tool',
            startMs: start,
            endMs: start + 5 + r() * (c.name === 'bash' ? 4000 : 800),
            attrs: {
              'gen_ai.tool.name': c.name,
              'gen_ai.tool.call.id': c.id,
              'gen_ai.tool.call.arguments': JSON.stringify(c.args),
              'gen_ai.tool.call.result': fail
                ? JSON.stringify({ error: 'upstream timed out' })
                : JSON.stringify({ rows: Math.floor(r() * 100), text: 'ok '.repeat(1 + Math.floor(r() * 40)) }),
            },
          };
          if (fail) {
            span.error = `${c.name}: upstream timed out after 30s`;
            lastFailed = c.name;
            res.toolErrors++;
          }
          spans.push(span);
          res.tools++;
          end = span.endMs;
        }
        turnEnd = Math.max(turnEnd, end);
      }
      t = turnEnd + 10;
    }
    return t;
  };

  let t = root.startMs + 5;
  while (left() > 0) {
    const run: GenSpan = {
      spanId: newId(),
      parentId: root.spanId,
      name: 'invoke_agent Orchestrator',
      op: 'invoke_agent',
      startMs: t,
      endMs: 0,
      attrs: { 'gen_ai.agent.name': 'Orchestrator' },
    };
    spans.push(run);
    run.endMs = agentRun(run, t + 2, 2, 5 + Math.floor(r() * 25));
    t = run.endMs + 50 + r() * 2000;
  }
  root.endMs = t;
  return res;
}

const kv = (key: string, v: string | number) =>
  typeof v === 'number'
    ? Number.isInteger(v)
      ? { key, value: { intValue: String(v) } }
      : { key, value: { doubleValue: v } }
    : { key, value: { stringValue: v } };

const ns = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

export function otlpSpan(traceId: string, s: GenSpan): unknown {
  return {
    traceId,
    spanId: s.spanId,
    ...(s.parentId ? { parentSpanId: s.parentId } : {}),
    name: s.name,
    kind: s.op === 'chat' ? 3 : 1,
    startTimeUnixNano: ns(s.startMs),
    endTimeUnixNano: ns(s.endMs),
    attributes: [kv('gen_ai.operation.name', s.op), ...Object.entries(s.attrs).map(([k, v]) => kv(k, v))],
    events: s.error
      ? [
          {
            timeUnixNano: ns(s.endMs - 1),
            name: 'exception',
            attributes: [kv('exception.type', 'TimeoutError'), kv('exception.message', s.error)],
          },
        ]
      : [],
    status: s.error ? { code: 2, message: s.error } : { code: 1 },
  };
}

/** Writes the trace as one OTLP/JSON ExportTraceServiceRequest, children before parents. */
export async function writeBigTraceOtlp(path: string, trace: BigTraceResult): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  // A BatchSpanProcessor exports a span when it ends: order by end time.
  const byEnd = trace.spans.slice().sort((a, b) => a.endMs - b.endMs);
  await write('{"resourceSpans":[');
  for (let i = 0; i < byEnd.length; i += 512) {
    const batch = byEnd.slice(i, i + 512).map((s) => JSON.stringify(otlpSpan(trace.traceId, s)));
    await write(
      (i > 0 ? ',' : '') +
        '{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"agent-bench"}}]},' +
        '"scopeSpans":[{"scope":{"name":"tracedeck.bench"},"spans":[' +
        batch.join(',') +
        ']}]}',
    );
  }
  await write(']}');
  out.end();
  await once(out, 'finish');
  return bytes;
}
