/**
 * What the desktop preload exposes as `window.tracedeck` (src/preload/index.ts) and the renderer's
 * IPC client consumes (src/renderer/client/ipcClient.ts). Deliberately tiny: four functions, no
 * ipcRenderer, no Node objects; everything that crosses is structured-clonable JSON.
 */
import type { ApiErrorBody, ApiEvent, ApiMethod, ImportOutcome } from './api';

/**
 * IPC rejections lose everything but a message string, so the main process answers every RPC
 * with this envelope and the renderer turns `error` back into a typed error.
 */
export type RpcEnvelope = { ok: true; value: unknown } | ({ ok: false } & ApiErrorBody);

export interface TracedeckBridge {
  rpc(method: ApiMethod, input: unknown): Promise<RpcEnvelope>;
  /** Native open dialog in the main process; resolves to [] when the user cancels. */
  openImportDialog(): Promise<ImportOutcome[]>;
  /**
   * Files dropped or picked in the page: the preload resolves their paths (webUtils). open: the
   * page shows the first file's trace as soon as it is parsed (TracedeckClient.importFiles).
   */
  importFilesByPath(files: File[], opts?: { open?: boolean }): Promise<ImportOutcome[]>;
  /** Subscribe to backend events; returns the unsubscribe function. */
  onEvent(listener: (e: ApiEvent) => void): () => void;
}

export const PRELOAD_GLOBAL = 'tracedeck';

declare global {
  interface Window {
    tracedeck?: TracedeckBridge;
  }
}
