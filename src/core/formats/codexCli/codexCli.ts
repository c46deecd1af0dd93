import { basename } from 'node:path';
import type { Span } from '../../model/types';
import type { FormatImporter } from '../types';
import { ImportError } from '../../util/errors';
import { asString, utf8 } from '../common/json';
import { readJsonLines } from '../common/jsonLines';
import { rolloutLayout, rolloutRecords } from './rolloutLines';
import { buildRollout } from './rolloutSpans';

/**
 * Codex CLI session rollouts (`rollout-<time>-<uuid>.jsonl`), both layouts (see rolloutLines).
 * One session = one trace: an agent span, a span per user turn, and under it the model calls
 * and tool calls in order (rolloutSpans). Field map: tests/fixtures/FORMATS.md.
 */

const CURRENT_FIRST = /^\s*\{\s*"timestamp"\s*:\s*"[^"]*"\s*,\s*"type"\s*:\s*"session_meta"\s*,\s*"payload"\s*:/;
const ENVELOPE = /"type"\s*:\s*"(session_meta|response_item|event_msg|turn_context)"\s*,\s*"payload"\s*:\s*\{/;
const LEGACY_FIRST = /^\s*\{[^\n]*"id"\s*:\s*"[^"]+"[^\n]*"instructions"\s*:/;

export const codexCliImporter: FormatImporter = {
  id: 'codex-cli',
  label: 'Codex CLI session',
  extensions: ['jsonl'],
  signature: {
    tokens: ['payload', 'session_meta', 'response_item', 'event_msg', 'turn_context', 'record_type', 'instructions', 'function_call', 'function_call_output'],
    requires: 'lines {timestamp, type, payload} with type session_meta / response_item / event_msg / turn_context, or a first line {id, timestamp, instructions} followed by response items',
  },
  sniff(name, head) {
    const text = utf8(head);
    if (!text.trimStart().startsWith('{')) return 0;
    if (CURRENT_FIRST.test(text)) return 0.95;
    const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
    if (LEGACY_FIRST.test(firstLine) && !/"type"\s*:/.test(firstLine)) {
      const rest = text.slice(firstLine.length);
      if (/\{\s*"record_type"\s*:\s*"state"\s*\}/.test(rest) || /^\s*\{\s*"type"\s*:\s*"(message|function_call|reasoning)"/m.test(rest)) return 0.9;
      return /^rollout-.*\.jsonl$/i.test(basename(name)) ? 0.7 : 0;
    }
    if (ENVELOPE.test(firstLine)) return 0.9;
    return 0;
  },
  async parse(source, sink) {
    const lines = readJsonLines(source.name, await source.readAll(), (m) => sink.warn(m));
    const layout = rolloutLayout(lines);
    if (!layout)
      throw new ImportError(
        source.name,
        'not a Codex CLI rollout: expected {timestamp, type, payload} lines or a first line {id, timestamp, instructions}',
        { line: lines[0]?.lineNo ?? 1 },
      );
    const records = rolloutRecords(lines, layout);
    const meta = records.find((r) => r.kind === 'meta')?.payload ?? {};
    const fromName = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(basename(source.name))?.[1];
    const sessionId = asString(meta.id) ?? fromName ?? basename(source.name).replace(/\.jsonl$/i, '');
    const traceId = `codex-${sessionId}`;
    const rootId = 'session';
    const b = buildRollout(traceId, rootId, records);
    if (b.spans.length === 0) throw new ImportError(source.name, 'the Codex session has no prompts, replies or tool calls');
    if (!b.hasTimes) sink.warn('this Codex rollout (legacy layout) has no per-line times: every span sits at the session start');
    const title = b.firstPrompt ? b.firstPrompt.split('\n')[0]!.slice(0, 120) : `Codex session ${sessionId}`;
    sink.trace({
      traceId,
      name: title,
      service: 'codex-cli',
      version: asString(meta.cli_version),
      sessionId,
      input: b.firstPrompt,
      output: b.lastAnswer,
      metadata: { layout, ...b.facts, models: b.models },
    });
    const start = b.startMs ?? 0;
    const root: Span = {
      traceId,
      spanId: rootId,
      parentId: null,
      name: title,
      kind: 'agent',
      sourceKind: 'session',
      status: b.endedOnError !== undefined ? 'error' : 'ok',
      startMs: start,
      endMs: b.endMs ?? start,
      attributes: { layout, ...b.facts, models: b.models },
      events: b.rootEvents,
      input: b.firstPrompt,
      output: b.lastAnswer,
    };
    if (b.endedOnError !== undefined) root.statusMessage = b.endedOnError;
    sink.span(root);
    for (const s of b.spans) sink.span(s);
  },
};
