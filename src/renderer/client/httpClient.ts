import type { ApiEvent, ApiInput, ApiMethod, ApiOutput, ImportOutcome, TracedeckClient } from '../../shared/api';
import { EVENTS_PATH, UPLOAD_PATH } from '../../shared/apiConstants';
import { ApiError, toApiError } from './errors';
import { failedOutcome, normaliseOutcomes } from './outcomes';
import { postRpc } from './rpcRequest';

type ProgressFn = Parameters<TracedeckClient['importFiles']>[1];

/** The answer of an RPC call sent with postRpc: its value, or the ApiError it failed with. */
export async function readAnswer<M extends ApiMethod>(method: M, request: Promise<Response>): Promise<ApiOutput<M>> {
  let res: Response;
  try {
    res = await request;
  } catch (e) {
    throw new ApiError('transport', `cannot reach the Tracedeck server: ${(e as Error).message}`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError('transport', `${method}: server answered ${res.status} with non-JSON`);
  }
  if (!res.ok) throw toApiError(body, `${method}: server answered ${res.status}`);
  return body as ApiOutput<M>;
}

/**
 * Browser mode: the same origin serves the UI and the API (src/server), so every URL here is a
 * fixed same-origin path; nothing from trace content ever becomes part of a URL except the
 * uploaded file's own name, passed as an encoded query parameter.
 */
export function createHttpClient(): TracedeckClient {
  const listeners = new Set<(e: ApiEvent) => void>();
  let source: EventSource | null = null;

  function dispatchEvent(data: string): void {
    let event: ApiEvent;
    try {
      event = JSON.parse(data) as ApiEvent;
    } catch {
      return; // keep-alive comments and junk are not events
    }
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') return;
    for (const l of [...listeners]) l(event);
  }

  function openEvents(): void {
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource(EVENTS_PATH);
    source.onmessage = (m) => dispatchEvent(String(m.data));
    // Named SSE events (`event: traces-changed`) do not reach onmessage.
    for (const type of ['import-progress', 'import-staged', 'import-published', 'import-finished', 'traces-changed', 'workspace-damaged'] satisfies ApiEvent['type'][]) {
      source.addEventListener(type, (m) => dispatchEvent(String((m as MessageEvent).data)));
    }
  }

  function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    return readAnswer(method, postRpc(method, input));
  }

  function upload(file: File, onProgress: ProgressFn, opts: { keepBoth?: boolean; open?: boolean }): Promise<ImportOutcome[]> {
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      const flags = `${opts.keepBoth ? '&keepBoth=1' : ''}${opts.open ? '&open=1' : ''}`;
      xhr.open('POST', `${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}${flags}`);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.responseType = 'text';
      xhr.upload.onprogress = (e) =>
        onProgress?.({ file: file.name, bytesDone: e.loaded, bytesTotal: e.lengthComputable ? e.total : file.size });
      xhr.onerror = () => resolve([failedOutcome(file.name, `${file.name}: upload failed (connection error)`)]);
      xhr.onabort = () => resolve([failedOutcome(file.name, `${file.name}: upload aborted`)]);
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          /* handled below */
        }
        const outcomes = normaliseOutcomes(body);
        if (outcomes) return resolve(outcomes);
        const err = toApiError(body, `${file.name}: upload answered ${xhr.status}`);
        resolve([failedOutcome(file.name, err.message)]);
      };
      onProgress?.({ file: file.name, bytesDone: 0, bytesTotal: file.size });
      xhr.send(file);
    });
  }

  return {
    call,
    async importFiles(files, onProgress, opts) {
      // One at a time: the backend serialises imports anyway, and sequential uploads give each
      // file an honest progress bar instead of N bars crawling together.
      const all: ImportOutcome[] = [];
      for (const f of files) all.push(...(await upload(f, onProgress, opts ?? {})));
      return all;
    },
    openImportDialog: null,
    onEvent(listener) {
      listeners.add(listener);
      openEvents();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}
