import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, httpStatusOf, toApiErrorBody, type Backend } from '../../backend/handlers';
import { WorkspaceBusyError } from '../../backend/host';
import { HttpError, readBody, sendJson, sendJsonText } from '../http';
import { BUSY_RETRY_AFTER_S } from './otlp';

/** Big enough for the largest valid input (importPaths: 1000 paths × 4096 chars), no bigger. */
const RPC_BODY_LIMIT = 8 * 1024 * 1024;

/** POST /api/rpc/:method — JSON in, JSON out; errors as ApiErrorBody (400 / 404 / 500). */
export async function handleRpc(
  req: IncomingMessage,
  res: ServerResponse,
  backend: Backend,
  rawMethod: string,
): Promise<void> {
  if (req.method !== 'POST') throw new HttpError(405, 'bad-input', 'RPC calls are POST requests');
  let method: string;
  try {
    method = decodeURIComponent(rawMethod);
  } catch {
    throw new HttpError(400, 'bad-input', 'malformed method name');
  }
  const body = await readBody(req, RPC_BODY_LIMIT);
  let input: unknown = undefined;
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new HttpError(400, 'bad-input', `request body is not valid JSON: ${(e as Error).message}`);
    }
  }
  try {
    // getTrace/getSpan answer null for an unknown id: still a successful call.
    sendJsonText(res, 200, await backend.dispatchJson(method, input));
  } catch (e) {
    // Another process holds the workspace's write lock: retryable, and the message names the file.
    if (e instanceof WorkspaceBusyError) res.setHeader('Retry-After', String(BUSY_RETRY_AFTER_S));
    const body = toApiErrorBody(e);
    if (e instanceof WorkspaceBusyError) return sendJson(res, 503, body);
    sendJson(res, e instanceof ApiError ? httpStatusOf(e.code) : 500, body);
  }
}
