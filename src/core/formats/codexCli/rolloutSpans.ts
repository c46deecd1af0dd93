import type { Message, Span, SpanEvent, ToolCall, Usage } from '../../model/types';
import { asNumber, asString, isRecord, maybeJson, toText } from '../common/json';
import { normaliseMessage } from '../common/messages';
import { readUsage, type UsageKeyTable } from '../common/usage';
import type { RolloutRecord } from './rolloutLines';

/**
 * Codex rollout records → spans. Codex does not write model requests as such: a model call is a
 * run of assistant-side items (reasoning, assistant message, tool calls) between inputs (the
 * user's prompt, tool outputs). It starts at the input it answers and ends at its last item;
 * `token_count` events give its usage (the change of `total_token_usage`). A tool call lasts
 * from its `function_call` to its output; a non-zero exit code makes it a failed call.
 */

type Obj = Record<string, unknown>;

const USAGE: UsageKeyTable = [
  ['inputTokens', ['input_tokens']],
  ['outputTokens', ['output_tokens']],
  ['cacheReadTokens', ['cached_input_tokens']],
  ['reasoningTokens', ['reasoning_output_tokens']],
  ['totalTokens', ['total_tokens']],
];

/** Messages Codex adds to the conversation itself (context, instructions), not the user's prompt. */
const CONTEXT_PREFIX = /^\s*(<environment_context>|<user_instructions>|<permissions instructions>|# AGENTS\.md instructions|<INSTRUCTIONS>|<turn_aborted>)/;

export interface SessionBuild {
  spans: Span[];
  rootEvents: SpanEvent[];
  facts: Obj;
  models: string[];
  firstPrompt?: string;
  lastAnswer?: string;
  startMs?: number;
  endMs?: number;
  /** The session's last word was an error (stream error, API error). */
  endedOnError?: string;
  hasTimes: boolean;
}

function itemText(payload: Obj): string {
  return normaliseMessage(payload).content;
}

/** exit code of a tool output: JSON `{output, metadata: {exit_code}}` (older) or "Process exited with code N". */
function exitCodeOf(output: unknown): number | undefined {
  const v = maybeJson(output);
  if (isRecord(v) && isRecord(v.metadata)) return asNumber(v.metadata.exit_code);
  if (typeof v === 'string') {
    const m = /(?:Process exited with code|Exit code:)\s*(-?\d+)/.exec(v);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function outputValue(output: unknown): unknown {
  const v = maybeJson(output);
  return isRecord(v) && v.output !== undefined && isRecord(v.metadata) ? v.output : v;
}

export function buildRollout(traceId: string, rootId: string, records: readonly RolloutRecord[]): SessionBuild {
  const b: SessionBuild = { spans: [], rootEvents: [], facts: {}, models: [], hasTimes: false };
  const models = new Set<string>();
  const tools = new Map<string, Span>();
  const usePromptEvents = records.some((r) => r.kind === 'event' && r.payload.type === 'user_message');
  let model: string | undefined;
  let turn: Span | undefined;
  let turnNo = 0;
  let step: Span | undefined;
  let stepNo = 0;
  let lastTs: number | undefined;
  let inputTs: number | undefined;
  let pending: Message[] = [];
  let lastTotal: Usage | undefined;
  let lastLlm: Span | undefined;

  const parent = () => turn?.spanId ?? rootId;
  const openTurn = (text: string, ts: number | undefined) => {
    closeTurn();
    turnNo++;
    b.firstPrompt ??= text;
    turn = {
      traceId,
      spanId: `turn-${turnNo}`,
      parentId: rootId,
      name: `turn ${turnNo}: ${text.split('\n')[0]!.slice(0, 80)}`,
      kind: 'chain',
      sourceKind: 'turn',
      status: 'ok',
      startMs: ts ?? 0,
      endMs: ts ?? 0,
      attributes: {},
      events: [],
      input: text,
    };
    b.spans.push(turn);
    step = undefined;
    pending = [{ role: 'user', content: text }];
    inputTs = ts;
    b.endedOnError = undefined;
  };
  const closeTurn = () => {
    if (turn && lastTs !== undefined) turn.endMs = Math.max(turn.startMs, lastTs);
  };
  const ensureStep = (ts: number | undefined): Span => {
    if (step) {
      if (ts !== undefined) step.endMs = Math.max(step.startMs, ts);
      return step;
    }
    stepNo++;
    const start = inputTs ?? ts ?? lastTs ?? 0;
    step = {
      traceId,
      spanId: `call-${stepNo}`,
      parentId: parent(),
      name: model ? `codex ${model}` : 'codex model call',
      kind: 'llm',
      sourceKind: 'response',
      status: 'ok',
      startMs: start,
      endMs: Math.max(start, ts ?? start),
      attributes: {},
      events: [],
      outputMessages: [{ role: 'assistant', content: '' }],
    };
    if (model) step.model = model;
    if (pending.length) step.inputMessages = pending;
    pending = [];
    b.spans.push(step);
    lastLlm = step;
    return step;
  };
  const reply = (s: Span): Message => s.outputMessages![0]!;

  for (const r of records) {
    const p = r.payload;
    const ts = r.ts ?? lastTs;
    if (r.ts !== undefined && r.kind !== 'meta') b.hasTimes = true;
    if (ts !== undefined) {
      b.startMs ??= ts;
      b.endMs = Math.max(b.endMs ?? ts, ts);
    }
    const type = asString(p.type);
    if (r.kind === 'meta') {
      for (const k of ['id', 'cwd', 'originator', 'cli_version', 'source', 'model_provider', 'git', 'instructions'])
        if (p[k] !== undefined && p[k] !== null) b.facts[k] = p[k];
    } else if (r.kind === 'context') {
      model = asString(p.model) ?? model;
      if (model) models.add(model);
    } else if (r.kind === 'compacted') {
      (turn?.events ?? b.rootEvents).push({ name: 'codex.compacted', timeMs: ts, attributes: { message: p.message } });
    } else if (r.kind === 'event') {
      if (type === 'user_message') {
        const text = asString(p.message) ?? '';
        if (!CONTEXT_PREFIX.test(text)) openTurn(text, ts);
      } else if (type === 'token_count' && isRecord(p.info) && isRecord(p.info.total_token_usage)) {
        const total = readUsage(p.info.total_token_usage, USAGE);
        if (total && lastLlm) {
          const delta: Usage = {};
          for (const [k] of USAGE) {
            const d = (total[k] ?? 0) - (lastTotal?.[k] ?? 0);
            if (d > 0) delta[k] = d;
          }
          if (Object.keys(delta).length) {
            const u = (lastLlm.usage ??= {});
            for (const [k, v] of Object.entries(delta) as [keyof Usage, number][]) u[k] = (u[k] ?? 0) + v;
          }
          lastTotal = total;
        }
      } else if (type === 'exec_command_end') {
        const span = tools.get(asString(p.call_id) ?? '');
        const code = asNumber(p.exit_code);
        if (span && code !== undefined && code !== 0) markFailed(span, `exit code ${code}`);
      } else if (type === 'turn_aborted') {
        const ev: SpanEvent = { name: 'codex.turn_aborted', timeMs: ts, attributes: { reason: p.reason } };
        (turn?.events ?? b.rootEvents).push(ev);
        if (turn) turn.attributes.aborted = asString(p.reason) ?? true;
      } else if (type === 'error' || type === 'stream_error') {
        const message = asString(p.message) ?? toText(p);
        (turn?.events ?? b.rootEvents).push({ name: `codex.${type}`, timeMs: ts, attributes: { message } });
        if (type === 'error') b.endedOnError = message;
      } else if (type === 'task_complete' && turn && ts !== undefined) {
        turn.endMs = Math.max(turn.startMs, ts);
      }
    } else if (r.kind === 'item') {
      if (type === 'message') {
        const role = asString(p.role);
        const text = itemText(p);
        if (role === 'user') {
          if (CONTEXT_PREFIX.test(text)) continue;
          if (!usePromptEvents) openTurn(text, ts);
        } else if (role === 'assistant') {
          const s = ensureStep(ts);
          const m = reply(s);
          m.content = m.content ? `${m.content}\n\n${text}` : text;
          if (text) b.lastAnswer = text;
          b.endedOnError = undefined;
        } else if (role === 'developer' || role === 'system') {
          b.facts.instructionsSeen = true;
        }
      } else if (type === 'reasoning') {
        const text = normaliseMessage(p).reasoning;
        const m = reply(ensureStep(ts));
        if (text) m.reasoning = m.reasoning ? `${m.reasoning}\n\n${text}` : text;
      } else if (type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call' || type === 'web_search_call') {
        const s = ensureStep(ts);
        const callId = asString(p.call_id) ?? asString(p.id) ?? `${s.spanId}-${type}`;
        const name =
          asString(p.name) ?? (type === 'local_shell_call' ? 'shell' : type === 'web_search_call' ? 'web_search' : '(unnamed tool)');
        const args = type === 'function_call' ? maybeJson(p.arguments) : type === 'custom_tool_call' ? p.input : p.action;
        const call: ToolCall = { id: callId, name, arguments: args };
        const m = reply(s);
        (m.toolCalls ??= []).push({ ...call });
        const start = ts ?? 0;
        const tool: Span = {
          traceId,
          spanId: `tool-${callId}`,
          parentId: parent(),
          name,
          kind: 'tool',
          sourceKind: type,
          status: 'ok',
          startMs: start,
          // web searches have no output item: done when recorded
          endMs: type === 'web_search_call' ? start : null,
          attributes: isRecord(p.status) || typeof p.status === 'string' ? { status: p.status } : {},
          events: [],
          input: args,
          toolCall: call,
        };
        tools.set(callId, tool);
        b.spans.push(tool);
      } else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
        const callId = asString(p.call_id) ?? '';
        const tool = tools.get(callId);
        const result = outputValue(p.output);
        if (tool) {
          tool.endMs = Math.max(tool.startMs, ts ?? tool.startMs);
          tool.output = result;
          tool.toolCall!.result = result;
          const code = exitCodeOf(p.output);
          if (code !== undefined) tool.attributes.exit_code = code;
          if (code !== undefined && code !== 0) markFailed(tool, `exit code ${code}`);
        }
        pending.push({ role: 'tool', content: toText(result), toolCallId: callId, ...(tool ? { name: tool.name } : {}) });
        step = undefined;
        inputTs = ts;
      }
    }
    if (ts !== undefined) lastTs = ts;
  }
  closeTurn();
  // A call never answered (session cut off) ends where the session ends.
  for (const t of tools.values()) if (t.endMs === null) t.endMs = Math.max(t.startMs, b.endMs ?? t.startMs);
  b.models = [...models];
  return b;
}

function markFailed(span: Span, message: string): void {
  span.status = 'error';
  span.statusMessage = message;
  if (span.toolCall) span.toolCall.isError = true;
}
