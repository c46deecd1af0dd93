import type { ApiErrorBody } from './api';

/**
 * A failed call as both sides see it. `bad-input` = the caller's fault (unknown method, input the
 * schema refuses), `not-found` = nothing at that address, `failed` = the backend broke,
 * `transport` = no answer the UI could read (only the renderer's clients raise it).
 */
export type ApiErrorCode = ApiErrorBody['error']['code'] | 'transport';

export class ApiError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}
