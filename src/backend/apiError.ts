import type { ApiErrorBody } from '../shared/api';
import { ApiError, type ApiErrorCode } from '../shared/apiError';

export { ApiError, type ApiErrorCode } from '../shared/apiError';

export function toApiErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof ApiError && e.code !== 'transport') return { error: { code: e.code, message: e.message } };
  return { error: { code: 'failed', message: e instanceof Error ? e.message : String(e) } };
}

export function httpStatusOf(code: ApiErrorCode): number {
  return code === 'bad-input' ? 400 : code === 'not-found' ? 404 : 500;
}
