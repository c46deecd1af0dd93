import type { ApiErrorBody } from '../shared/api';

export type ApiErrorCode = ApiErrorBody['error']['code'];

/**
 * A failed call as both transports report it. `bad-input` = the caller's fault (unknown method,
 * input the schema refuses), `not-found` = nothing at that address, `failed` = the backend broke.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export function toApiErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof ApiError) return { error: { code: e.code, message: e.message } };
  return { error: { code: 'failed', message: e instanceof Error ? e.message : String(e) } };
}

export function httpStatusOf(code: ApiErrorCode): number {
  return code === 'bad-input' ? 400 : code === 'not-found' ? 404 : 500;
}
