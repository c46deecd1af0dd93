import type OpenAIModule from 'openai';
import { lazyModule } from '../../util/lazyModule';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { LlmSettings } from '../types';

/** Loaded when the first chat client is made (see lazyModule): most CLI runs never call a model. */
const openai = lazyModule<typeof OpenAIModule>('openai');

/**
 * The one door to the model: the `openai` client pointed at any OpenAI-compatible base URL
 * (OpenAI, Azure deployments, Ollama, vLLM, llama.cpp), with our own retry policy (the client's
 * is turned off so backoff, jitter and limits are ours and testable) and with the API key kept
 * out of every message that leaves this module.
 */

export interface ChatClientOptions {
  settings: LlmSettings;
  /** null/empty for local servers that need none. */
  apiKey: string | null;
  /** Backoff base (default 500 ms) and cap (default 30 s); tests shrink them. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** For tests: replace the sleep between retries. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For tests: deterministic jitter (0..1). */
  random?: () => number;
}

export interface ChatClient {
  readonly model: string;
  complete(params: Omit<ChatCompletionCreateParamsNonStreaming, 'model'> & { model?: string }, signal?: AbortSignal): Promise<ChatCompletion>;
}

/** An LLM failure with the key redacted and a short reason the verdict can show. */
export class LlmError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

/** The `openai` client for the configured endpoint (Azure when an api-version is set). */
export function openAIClient(settings: LlmSettings, apiKey: string | null, maxRetries: number): OpenAIModule {
  const key = apiKey || '';
  const azure = !!settings.apiVersion;
  const OpenAI = openai();
  return new OpenAI({
    // Local servers accept anything; the client refuses an empty key.
    apiKey: key || 'no-key',
    baseURL: settings.baseUrl,
    timeout: settings.timeoutMs,
    maxRetries,
    logLevel: 'off',
    defaultQuery: azure ? { 'api-version': settings.apiVersion } : undefined,
    defaultHeaders: azure && key ? { 'api-key': key } : undefined,
  });
}

export function createChatClient(opts: ChatClientOptions): ChatClient {
  const { settings } = opts;
  const key = opts.apiKey || '';
  const client = openAIClient(settings, key, 0);
  const base = opts.backoffBaseMs ?? 500;
  const cap = opts.backoffMaxMs ?? 30_000;
  const sleep = opts.sleep ?? abortableSleep;
  const random = opts.random ?? Math.random;

  return {
    model: settings.model,
    async complete(params, signal) {
      const body = { ...params, model: params.model ?? settings.model } as ChatCompletionCreateParamsNonStreaming;
      let attempt = 0;
      for (;;) {
        attempt++;
        try {
          return await client.chat.completions.create(body, { signal });
        } catch (e) {
          const err = toLlmError(e, key, attempt);
          if (!err.retryable || attempt > settings.maxRetries || signal?.aborted) throw err;
          const delay = retryDelay(e, attempt, base, cap, random);
          try {
            await sleep(delay, signal);
          } catch {
            throw new LlmError('cancelled', null, false, attempt);
          }
        }
      }
    },
  };
}

const RETRY_AFTER_MAX_MS = 60_000;

/** Exponential backoff with jitter, or what the server asked for (Retry-After), capped. */
export function retryDelay(e: unknown, attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const OpenAI = openai();
  const headers = e instanceof OpenAI.APIError ? (e.headers as Headers | undefined) : undefined;
  const asked = headers ? retryAfterMs(headers) : null;
  // The server knows best how long to wait; a minute is the most we accept from it.
  if (asked !== null) return Math.min(RETRY_AFTER_MAX_MS, asked);
  const exp = Math.min(capMs, baseMs * 2 ** (attempt - 1));
  // "Equal jitter": half fixed, half random, so retries spread but never collapse to zero.
  return exp / 2 + random() * (exp / 2);
}

function retryAfterMs(h: Headers): number | null {
  const ms = h.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const s = h.get('retry-after');
  if (!s) return null;
  if (Number.isFinite(Number(s))) return Math.max(0, Number(s) * 1000);
  const date = Date.parse(s);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function toLlmError(e: unknown, key: string, attempt: number): LlmError {
  if (e instanceof LlmError) return e;
  const OpenAI = openai();
  if (e instanceof OpenAI.APIUserAbortError) return new LlmError('cancelled', null, false, attempt);
  if (e instanceof OpenAI.APIConnectionTimeoutError) return new LlmError(redact('request timed out', key), null, true, attempt);
  if (e instanceof OpenAI.APIConnectionError) {
    const cause = (e as { cause?: unknown }).cause;
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    return new LlmError(redact(`cannot reach the model endpoint${why}`, key), null, true, attempt);
  }
  if (e instanceof OpenAI.APIError) {
    const status = e.status ?? null;
    const retryable = status === 408 || status === 409 || status === 429 || (status !== null && status >= 500);
    return new LlmError(redact(`model endpoint answered ${status ?? '?'}: ${clip(e.message, 500)}`, key), status, retryable, attempt);
  }
  return new LlmError(redact(e instanceof Error ? e.message : String(e), key), null, false, attempt);
}

/** Remove the key (and anything that looks like a bearer token) from text. */
export function redact(text: string, key: string | null | undefined): string {
  let out = text;
  // Case-insensitive: servers echo keys upper- or lower-cased in error messages.
  if (key && key.length >= 4) out = out.replace(new RegExp(key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '[redacted]');
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]').replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]');
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n) + '…' : s;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
