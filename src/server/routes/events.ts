import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Backend } from '../../backend/handlers';
import type { ApiEvent } from '../../shared/api';

/**
 * GET /api/events — Server-Sent Events, one unnamed `data:` message per ApiEvent (so
 * EventSource.onmessage sees them all). Comment lines keep idle proxies and the browser from
 * timing the stream out. Returns a function that ends the stream (server shutdown).
 */
export function handleEvents(
  req: IncomingMessage,
  res: ServerResponse,
  backend: Backend,
  keepAliveMs: number,
): () => void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n: connected\n\n');
  const send = (e: ApiEvent) => {
    // JSON.stringify never emits a raw newline, so one data line per event is safe.
    res.write(`data: ${JSON.stringify(e)}\n\n`);
  };
  const unsubscribe = backend.events.subscribe(send);
  // A page asks appInfo before this stream is connected: damage a background integrity check
  // found in between would reach it by neither. So a stream starts with what is known now.
  const damaged = backend.workspace.damaged;
  if (damaged) send({ type: 'workspace-damaged', reason: damaged });
  const timer = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  timer.unref();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    unsubscribe();
    res.end();
  };
  req.on('close', end);
  res.on('error', end);
  return end;
}
