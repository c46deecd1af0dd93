// Sandboxed preload (bundled to one CommonJS file): the page gets exactly four functions and
// never ipcRenderer itself, an IpcRendererEvent, or any Node object.
import '../shared/zodNoEval';
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  IPC_DIALOG_CHANNEL,
  IPC_EVENT_CHANNEL,
  IPC_RPC_CHANNEL,
  type ApiEvent,
  type ApiMethod,
  type ImportOutcome,
} from '../shared/api';
import { PRELOAD_GLOBAL, type RpcEnvelope, type TracedeckBridge } from '../shared/preloadApi';

const bridge: TracedeckBridge = {
  rpc(method: ApiMethod, input: unknown): Promise<RpcEnvelope> {
    return ipcRenderer.invoke(IPC_RPC_CHANNEL, String(method), input);
  },

  openImportDialog(): Promise<ImportOutcome[]> {
    return ipcRenderer.invoke(IPC_DIALOG_CHANNEL);
  },

  async importFilesByPath(files: File[], opts?: { open?: boolean }): Promise<ImportOutcome[]> {
    const paths: string[] = [];
    for (const f of files) {
      const p = webUtils.getPathForFile(f);
      // Files without a path (made in the page, not picked from disk) cannot be imported by path.
      if (!p) throw new Error(`${f.name}: not a file on disk`);
      paths.push(p);
    }
    if (!paths.length) return [];
    // Only a plain boolean crosses: whatever else the page passed stays behind.
    const input = opts?.open === true ? { paths, open: true } : { paths };
    const res = (await ipcRenderer.invoke(IPC_RPC_CHANNEL, 'importPaths', input)) as RpcEnvelope;
    if (!res.ok) throw new Error(res.error.message);
    return res.value as ImportOutcome[];
  },

  onEvent(listener: (e: ApiEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, event: ApiEvent) => listener(event);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);
