import { readUsage, type UsageKeyTable } from '../common/usage';
import type { Usage } from '../../model/types';
import { asNumber, asString, isRecord, safeString, safeStringify } from '../common/json';
import { isoToMs } from '../common/time';
import type { Resolve } from './attachments';

/** What every part of a sample's conversion needs to know. */
export interface SampleContext {
  file: string;
  /** JSON path or ZIP member of the sample, for messages. */
  where: string;
  traceId: string;
  rootId: string;
  resolve: Resolve;
  /** v3 logs: model events reference `[start, end)` ranges of this pool instead of repeating messages. */
  messagePool: unknown[];
  /** eval.model, for reconstructed model calls. */
  evalModel?: string;
  warn(message: string): void;
}

export type Json = Record<string, unknown>;

export const eventTime = (ev: Json): number | undefined => isoToMs(ev.timestamp);

/** Seconds the event itself worked, as the log records it (working_time, or a model output's time). */
function workSeconds(ev: Json): number | undefined {
  return asNumber(ev.working_time) ?? (isRecord(ev.output) ? asNumber(ev.output.time) : undefined);
}

/**
 * Start of an event that spans time (model, tool). Inspect usually stamps `timestamp` when the
 * event begins, but an event written once the call returned carries `timestamp` at (or near)
 * `completed` while its own working time says the call took longer: its start is then `completed`
 * minus that working time, so a 586 ms model call does not show as 0 µs.
 */
export function eventStart(ev: Json): number | undefined {
  const ts = eventTime(ev);
  const completed = isoToMs(ev.completed);
  const secs = workSeconds(ev);
  if (ts !== undefined && completed !== undefined && secs !== undefined && secs > 0 && completed - ts < (secs * 1000) / 2) {
    return completed - secs * 1000;
  }
  return ts;
}

/** End of an event that has one: `completed`, else start + working_time (s), else undefined. */
export function eventEnd(ev: Json, start: number | undefined): number | undefined {
  const completed = isoToMs(ev.completed);
  if (completed !== undefined) return completed;
  const secs = workSeconds(ev);
  return start !== undefined && secs !== undefined ? start + secs * 1000 : undefined;
}

/**
 * Inspect ModelUsage → Usage, as the provider reported it: whether input_tokens include cache reads
 * depends on the provider (OpenAI: included; Anthropic: separate), so nothing is added up here.
 */
const INSPECT_USAGE: UsageKeyTable = [
  ['inputTokens', ['input_tokens']],
  ['outputTokens', ['output_tokens']],
  ['totalTokens', ['total_tokens']],
  ['cacheReadTokens', ['input_tokens_cache_read']],
  ['cacheWriteTokens', ['input_tokens_cache_write']],
  ['reasoningTokens', ['reasoning_tokens']],
  ['costUsd', ['total_cost']],
];

export function inspectUsage(u: unknown): Usage | undefined {
  return isRecord(u) ? readUsage(u, INSPECT_USAGE) : undefined;
}

/** "type: message" of an Inspect ToolCallError {type, message}, or of an EvalError {message}. */
export function errorText(err: unknown): string | undefined {
  if (err === undefined || err === null || err === false) return undefined;
  if (typeof err === 'string') return err;
  if (isRecord(err)) {
    const type = asString(err.type);
    const message = asString(err.message) ?? '';
    return type ? `${type}: ${message}` : message || safeStringify(err);
  }
  return safeString(err);
}

/** Strip the bookkeeping fields every event carries, leaving what is worth showing. */
export function eventBody(ev: Json, drop: readonly string[] = []): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(ev)) {
    if (k === 'event' || k === 'timestamp' || k === 'span_id' || k === 'working_start' || k === 'uuid' || k === 'pending')
      continue;
    if (drop.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

export function shorten(s: string, max = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
