import { basename } from 'node:path';
import type { Message, Span, SpanEvent, ToolCall, Usage } from '../../model/types';
import type { FormatImporter } from '../types';
import { ImportError } from '../../util/errors';
import { asString, isRecord, parseJsonText, toText, utf8 } from '../common/json';
import { isoToMs } from '../common/time';
import { readUsage, type UsageKeyTable } from '../common/usage';

/**
 * Gemini CLI chat sessions (`~/.gemini/tmp/<project hash>/chats/session-*.json`):
 * {sessionId, projectHash, startTime, lastUpdated, messages[]}; a message is `user`, `gemini`
 * (content, thoughts[{subject, description}], tokens{input, output, cached, thoughts, tool,
 * total}, model, toolCalls[{id, name, args, result[{functionResponse}], status, timestamp}])
 * or `info` / `error` / `warning`. Each user prompt opens a turn; each gemini message is one
 * model call (from the previous message to its own timestamp) followed by its tool calls.
 */

type Obj = Record<string, unknown>;

const USAGE: UsageKeyTable = [
  ['inputTokens', ['input']],
  ['outputTokens', ['output']],
  ['cacheReadTokens', ['cached']],
  ['reasoningTokens', ['thoughts']],
  ['totalTokens', ['total']],
];

function thoughtsText(v: unknown): string | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const parts = v.map((t) => (isRecord(t) ? [asString(t.subject), asString(t.description)].filter(Boolean).join(': ') : toText(t)));
  return parts.filter(Boolean).join('\n\n') || undefined;
}

/** The tool's answer: functionResponse.response.output (or .error, or the whole response). */
function toolResult(call: Obj): { result: unknown; error?: string } {
  const parts = Array.isArray(call.result) ? call.result : [];
  for (const p of parts) {
    const fr = isRecord(p) && isRecord(p.functionResponse) ? p.functionResponse : undefined;
    if (!fr) continue;
    const resp = isRecord(fr.response) ? fr.response : {};
    if (resp.error !== undefined) return { result: resp.error, error: toText(resp.error) };
    return { result: resp.output !== undefined ? resp.output : resp };
  }
  return { result: call.resultDisplay };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : toText(p))).join('\n');
  return toText(content);
}

export const geminiCliImporter: FormatImporter = {
  id: 'gemini-cli',
  label: 'Gemini CLI session',
  extensions: ['json'],
  signature: {
    tokens: ['sessionId', 'projectHash', 'lastUpdated', 'messages', 'gemini', 'toolCalls', 'thoughts'],
    requires: '{sessionId, projectHash, messages: [{type: user | gemini, ...}]}',
  },
  sniff(name, head) {
    const text = utf8(head);
    if (!text.trimStart().startsWith('{')) return 0;
    const keys = /"sessionId"\s*:/.test(text) && /"messages"\s*:\s*\[/.test(text);
    if (!keys) return 0;
    const gemini = /"type"\s*:\s*"gemini"/.test(text) || /"projectHash"\s*:/.test(text);
    if (gemini && /"projectHash"\s*:/.test(text)) return 0.95;
    return gemini || /^session-.*\.json$/i.test(basename(name)) ? 0.6 : 0;
  },
  async parse(source, sink) {
    const doc = parseJsonText(source.name, utf8(await source.readAll()));
    if (!isRecord(doc) || !Array.isArray(doc.messages))
      throw new ImportError(source.name, "not a Gemini CLI session: expected {sessionId, messages: [...]}", { path: '$.messages' });
    const sessionId = asString(doc.sessionId) ?? basename(source.name).replace(/\.json$/i, '');
    const traceId = `gemini-${sessionId}`;
    const rootId = 'session';
    const spans: Span[] = [];
    const rootEvents: SpanEvent[] = [];
    const models = new Set<string>();
    let turn: Span | undefined;
    let turnNo = 0;
    let prevTs = isoToMs(doc.startTime);
    let firstPrompt: string | undefined;
    let lastAnswer: string | undefined;
    let pendingInput: Message[] = [];
    let endedOnError: string | undefined;

    doc.messages.forEach((raw, i) => {
      const where = { path: `$.messages[${i}]` };
      if (!isRecord(raw)) throw new ImportError(source.name, 'message is not an object', where);
      const ts = isoToMs(raw.timestamp) ?? prevTs ?? 0;
      const type = asString(raw.type);
      if (type === 'user') {
        const text = textOf(raw.content);
        firstPrompt ??= text;
        turnNo++;
        if (turn) turn.endMs = Math.max(turn.startMs, prevTs ?? turn.startMs);
        turn = {
          traceId,
          spanId: `turn-${turnNo}`,
          parentId: rootId,
          name: `turn ${turnNo}: ${text.split('\n')[0]!.slice(0, 80)}`,
          kind: 'chain',
          sourceKind: 'turn',
          status: 'ok',
          startMs: ts,
          endMs: ts,
          attributes: { messageId: raw.id },
          events: [],
          input: text,
        };
        spans.push(turn);
        pendingInput = [{ role: 'user', content: text }];
        endedOnError = undefined;
      } else if (type === 'gemini') {
        const parent = turn?.spanId ?? rootId;
        // what the model was sent since its previous reply: the prompt, or the tool results
        const sent = pendingInput;
        pendingInput = [];
        const calls: ToolCall[] = [];
        const toolSpans: Span[] = [];
        const rawCalls = Array.isArray(raw.toolCalls) ? raw.toolCalls.filter(isRecord) : [];
        rawCalls.forEach((c, j) => {
          const { result, error } = toolResult(c);
          const status = asString(c.status);
          const failed = error !== undefined || (status !== undefined && status !== 'success');
          const call: ToolCall = { id: asString(c.id), name: asString(c.name) ?? '(unnamed tool)', arguments: c.args, result };
          if (failed) call.isError = true;
          calls.push({ id: call.id, name: call.name, arguments: call.arguments });
          const start = isoToMs(c.timestamp) ?? ts;
          const span: Span = {
            traceId,
            spanId: `${asString(raw.id) ?? `m${i}`}-tool-${j + 1}`,
            parentId: parent,
            name: call.name,
            kind: 'tool',
            status: failed ? 'error' : 'ok',
            startMs: start,
            endMs: start,
            attributes: { status, displayName: c.displayName },
            events: [],
            input: c.args,
            output: result,
            toolCall: call,
          };
          if (failed) span.statusMessage = error ?? `tool status: ${status}`;
          toolSpans.push(span);
          pendingInput.push({ role: 'tool', content: toText(result), toolCallId: call.id, name: call.name, ...(failed ? { isError: true } : {}) });
        });
        const content = textOf(raw.content);
        if (content) lastAnswer = content;
        const reply: Message = { role: 'assistant', content };
        const reasoning = thoughtsText(raw.thoughts);
        if (reasoning) reply.reasoning = reasoning;
        if (calls.length) reply.toolCalls = calls;
        const model = asString(raw.model);
        if (model) models.add(model);
        const llm: Span = {
          traceId,
          spanId: asString(raw.id) ?? `m${i}`,
          parentId: parent,
          name: model ? `gemini ${model}` : 'gemini',
          kind: 'llm',
          sourceKind: 'gemini',
          status: 'ok',
          startMs: Math.min(prevTs ?? ts, ts),
          endMs: ts,
          attributes: {},
          events: [],
          outputMessages: [reply],
        };
        if (model) llm.model = model;
        llm.provider = 'google';
        const usage: Usage | undefined = isRecord(raw.tokens) ? readUsage(raw.tokens, USAGE) : undefined;
        if (usage) llm.usage = usage;
        if (sent.length) llm.inputMessages = sent;
        spans.push(llm, ...toolSpans);
      } else {
        // info / error / warning lines: what the CLI told the user
        const ev: SpanEvent = { name: `gemini-cli.${type ?? 'message'}`, timeMs: ts, attributes: { content: textOf(raw.content) } };
        (turn?.events ?? rootEvents).push(ev);
        if (type === 'error') endedOnError = textOf(raw.content);
      }
      prevTs = ts;
    });
    if (turn) turn.endMs = Math.max(turn.startMs, prevTs ?? turn.startMs);

    const start = isoToMs(doc.startTime) ?? spans[0]?.startMs ?? 0;
    const end = Math.max(isoToMs(doc.lastUpdated) ?? start, prevTs ?? start);
    const title = firstPrompt ? firstPrompt.split('\n')[0]!.slice(0, 120) : sessionId;
    sink.trace({
      traceId,
      name: title,
      service: 'gemini-cli',
      sessionId,
      input: firstPrompt,
      output: lastAnswer,
      metadata: { projectHash: doc.projectHash, models: [...models] },
    });
    const root: Span = {
      traceId,
      spanId: rootId,
      parentId: null,
      name: title,
      kind: 'agent',
      sourceKind: 'session',
      // a session that ended on an error message ended on it
      status: endedOnError !== undefined ? 'error' : 'ok',
      startMs: start,
      endMs: end,
      attributes: { sessionId, projectHash: doc.projectHash, models: [...models] },
      events: rootEvents,
      input: firstPrompt,
      output: lastAnswer,
    };
    if (endedOnError !== undefined) root.statusMessage = endedOnError;
    sink.span(root);
    for (const s of spans) sink.span(s);
  },
};
