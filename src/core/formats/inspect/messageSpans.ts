import type { Message, Span, ToolCall } from '../../model/types';
import { asString, isRecord } from '../common/json';
import { normaliseMessage } from '../common/messages';
import { errorText, type SampleContext } from './context';

/**
 * A sample logged without events (old or redacted logs) still has its conversation in
 * `sample.messages`: each assistant message becomes a reconstructed model call, each tool
 * message a tool span carrying the call's arguments (from the assistant's tool_calls) and its
 * result and error. The log has no per-step times, so every span sits at the sample's start.
 */
export function spansFromMessages(messages: unknown[], ctx: SampleContext, atMs: number): Span[] {
  const spans: Span[] = [];
  const history: Message[] = [];
  const calls = new Map<string, ToolCall>();
  const base = (id: string, name: string): Span => ({
    traceId: ctx.traceId,
    spanId: id,
    parentId: ctx.rootId,
    name,
    kind: 'other',
    status: 'ok',
    startMs: atMs,
    endMs: atMs,
    attributes: { 'tracedeck.reconstructed': 'from sample.messages (the log has no events)' },
    events: [],
  });

  for (let i = 0; i < messages.length; i++) {
    const raw = ctx.resolve(messages[i]);
    const msg = normaliseMessage(raw);
    const rec = isRecord(raw) ? raw : {};
    if (msg.role === 'assistant') {
      const model = asString(rec.model) ?? ctx.evalModel ?? 'model';
      const span = base(asString(rec.id) ?? `message-${i}`, model);
      span.kind = 'llm';
      span.sourceKind = 'assistant message';
      span.model = model;
      span.inputMessages = [...history];
      span.outputMessages = [msg];
      span.output = msg.content;
      spans.push(span);
      for (const tc of msg.toolCalls ?? []) if (tc.id) calls.set(tc.id, tc);
    } else if (msg.role === 'tool') {
      const callId = asString(rec.tool_call_id) ?? msg.toolCallId;
      const requested = callId ? calls.get(callId) : undefined;
      const name = asString(rec.function) ?? requested?.name ?? msg.name ?? 'tool';
      const span = base(callId ? `tool-${callId}` : `tool-message-${i}`, name);
      span.kind = 'tool';
      span.sourceKind = 'tool message';
      const err = errorText(rec.error);
      span.toolCall = { id: callId, name, arguments: requested?.arguments, result: msg.content };
      span.input = requested?.arguments;
      span.output = msg.content;
      if (err) {
        span.status = 'error';
        span.statusMessage = err;
        span.toolCall.isError = true;
        span.attributes.error = rec.error;
      }
      spans.push(span);
    }
    history.push(msg);
  }
  return spans;
}
