import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorBody } from '../shared/api';

/** An HTTP-level refusal a route throws; the dispatcher turns it into an ApiErrorBody. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorBody['error']['code'],
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}

/** A body already encoded as JSON, as text or UTF-8 bytes (Backend.dispatchJson). */
export function sendJsonText(res: ServerResponse, status: number, json: string | Buffer): void {
  const data = typeof json === 'string' ? Buffer.from(json) : json;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length });
  res.end(data);
}

export function sendError(res: ServerResponse, status: number, code: ApiErrorBody['error']['code'], message: string) {
  const body: ApiErrorBody = { error: { code, message } };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, body);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  const data = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': data.length, ...headers });
  res.end(data);
}

/**
 * The whole request body, refusing (413) beyond `limit` bytes — up front from Content-Length
 * when the client sent one, else as soon as the count passes it.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'bad-input', `request body larger than ${formatBytes(limit)}`);
}

function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${+(n / (1 << 30)).toFixed(1)} GiB`;
  if (n >= 1 << 20) return `${+(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1 << 10) return `${+(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
