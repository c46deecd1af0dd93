import type { ApiErrorBody } from '../../shared/api';

export type ApiErrorCode = ApiErrorBody['error']['code'] | 'transport';

/** A failed call, with the backend's code so the UI can tell bad input from a broken backend. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Reads an ApiErrorBody from whatever the transport handed back, tolerating junk. */
export function toApiError(body: unknown, fallback: string): ApiError {
  const err = (body as Partial<ApiErrorBody> | null)?.error;
  if (err && typeof err.message === 'string') {
    const code = err.code === 'bad-input' || err.code === 'not-found' || err.code === 'failed' ? err.code : 'failed';
    return new ApiError(code, err.message);
  }
  return new ApiError('transport', fallback);
}
