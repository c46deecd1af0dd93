import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { Backend, OtlpBodyFormat } from '../../backend/handlers';
import { ImportError } from '../../backend/errors';
import { WorkspaceBusyError, WorkspaceReadOnlyError } from '../../backend/host';
import { HttpError, mediaType, readBody } from '../http';

export const OTLP_PATH = '/v1/traces';
/** Compressed request body limit; exporters batch a few hundred spans (≈ 1 MB) per request. */
const OTLP_BODY_LIMIT = 64 * 1024 * 1024;
/** Limit after Content-Encoding is undone: a small gzip bomb must not fill memory. */
const OTLP_INFLATED_LIMIT = 256 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** google.rpc.Status codes the spec asks for in a failure response. */
const STATUS_INVALID_ARGUMENT = 3;
const STATUS_INTERNAL = 13;
const STATUS_UNAVAILABLE = 14;
/** Seconds an exporter should wait before retrying a request refused as busy. */
export const BUSY_RETRY_AFTER_S = 1;

/**
 * POST /v1/traces — the OTLP/HTTP receiver (binary protobuf or JSON, optionally gzip/deflate).
 * Success answers an empty ExportTraceServiceResponse in the request's encoding; a body that
 * cannot be read answers 400 with a google.rpc.Status naming the problem, so the exporter logs
 * it instead of retrying. A workspace busy with another process's write (a CLI import
 * publishing) answers 503 with Retry-After: exporters retry 503, where a 500 would lose the spans.
 */
export async function handleOtlp(req: IncomingMessage, res: ServerResponse, backend: Backend): Promise<void> {
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('OTLP/HTTP traces are POSTed to /v1/traces');
    return;
  }
  const type = mediaType(req.headers['content-type']);
  const format: OtlpBodyFormat | null =
    type === 'application/json'
      ? 'otlp-json'
      : type === 'application/x-protobuf' || type === 'application/protobuf'
        ? 'otlp-proto'
        : null;
  if (!format) {
    res.writeHead(415, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`unsupported Content-Type '${type.slice(0, 100)}': use application/x-protobuf or application/json`);
    return;
  }
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (!['identity', '', 'gzip', 'x-gzip', 'deflate'].includes(encoding)) {
    res.writeHead(415, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`unsupported Content-Encoding '${encoding.slice(0, 100)}': use gzip or none`);
    return;
  }

  let body: Buffer;
  try {
    const raw = await readBody(req, OTLP_BODY_LIMIT);
    body = await decodeContent(raw, encoding);
  } catch (e) {
    const status = e instanceof HttpError ? e.status : 400;
    return sendStatus(res, format, status, STATUS_INVALID_ARGUMENT, (e as Error).message);
  }
  try {
    await backend.ingestOtlp(body, format);
  } catch (e) {
    if (e instanceof WorkspaceBusyError || e instanceof WorkspaceReadOnlyError) {
      res.setHeader('Retry-After', String(BUSY_RETRY_AFTER_S));
      return sendStatus(res, format, 503, STATUS_UNAVAILABLE, e.message);
    }
    const bad = e instanceof ImportError;
    return sendStatus(
      res,
      format,
      bad ? 400 : 500,
      bad ? STATUS_INVALID_ARGUMENT : STATUS_INTERNAL,
      (e as Error).message,
    );
  }
  // ExportTraceServiceResponse with no partial_success: `{}` / zero protobuf bytes.
  const ok = format === 'otlp-json' ? Buffer.from('{}') : Buffer.alloc(0);
  res.writeHead(200, { 'Content-Type': contentType(format), 'Content-Length': ok.length });
  res.end(ok);
}

async function decodeContent(raw: Buffer, encoding: string): Promise<Buffer> {
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    try {
      const opts = { maxOutputLength: OTLP_INFLATED_LIMIT };
      return encoding === 'deflate' ? await inflateAsync(raw, opts) : await gunzipAsync(raw, opts);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new HttpError(413, 'bad-input', 'request inflates beyond 256 MiB');
      throw new HttpError(400, 'bad-input', `body is not valid ${encoding}: ${(e as Error).message}`);
    }
  }
  return raw;
}

function contentType(format: OtlpBodyFormat): string {
  return format === 'otlp-json' ? 'application/json' : 'application/x-protobuf';
}

function sendStatus(res: ServerResponse, format: OtlpBodyFormat, http: number, code: number, message: string): void {
  const body = format === 'otlp-json' ? Buffer.from(JSON.stringify({ code, message })) : encodeRpcStatus(code, message);
  res.writeHead(http, { 'Content-Type': contentType(format), 'Content-Length': body.length });
  res.end(body);
}

/** google.rpc.Status { int32 code = 1; string message = 2; } in protobuf wire format. */
function encodeRpcStatus(code: number, message: string): Buffer {
  const msg = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from([0x08]), varint(code), Buffer.from([0x12]), varint(msg.length), msg]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}
