import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Backend } from '../backend/handlers';
import { toApiErrorBody } from '../backend/handlers';
import { listFormats } from '../backend/formats';
import { IPC_DIALOG_CHANNEL, IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL, type ImportOutcome } from '../shared/api';
import type { RpcEnvelope } from '../shared/preloadApi';
import { isTrustedSender } from './security';

/** Every import extension the importers claim, for the open dialog's filter. */
function importFilters(): Electron.FileFilter[] {
  const exts = [...new Set(listFormats().flatMap((f) => f.extensions.map((e) => e.replace(/^\./, ''))))].filter(Boolean);
  return [
    { name: 'Trace files', extensions: exts.length ? exts : ['json', 'jsonl'] },
    { name: 'All files', extensions: ['*'] },
  ];
}

export async function showImportDialog(win: BrowserWindow, backend: Backend): Promise<ImportOutcome[]> {
  const res = await dialog.showOpenDialog(win, {
    title: 'Import trace files',
    properties: ['openFile', 'multiSelections'],
    filters: importFilters(),
  });
  if (res.canceled || res.filePaths.length === 0) return [];
  // One file picked opens in the trace view as soon as it is parsed (the page follows its
  // import-staged event, useImports); several go to the library, as a drop of several does.
  return backend.importPaths(res.filePaths.map((path) => ({ path, open: res.filePaths.length === 1 })));
}

/**
 * The three channels of the preload bridge. Input validation is the backend's (dispatch); here
 * only the sender is checked. Returns the function that unregisters everything.
 */
export function registerIpc(backend: Backend, getWindow: () => BrowserWindow | null, origins: Set<string>): () => void {
  const guard = (e: IpcMainInvokeEvent) => {
    if (!isTrustedSender(e.senderFrame, getWindow(), origins)) throw new Error('IPC refused: untrusted sender');
  };

  ipcMain.handle(IPC_RPC_CHANNEL, async (e, method: unknown, input: unknown): Promise<RpcEnvelope> => {
    guard(e);
    try {
      // Not String(method): a cloned `{ toString: 'x' }` from the page makes String() throw.
      const name = typeof method === 'string' ? method : `(${typeof method})`;
      return { ok: true, value: (await backend.dispatch(name, input)) ?? null };
    } catch (err) {
      return { ok: false, ...toApiErrorBody(err) };
    }
  });

  ipcMain.handle(IPC_DIALOG_CHANNEL, async (e) => {
    guard(e);
    const win = getWindow();
    return win ? showImportDialog(win, backend) : [];
  });

  const unsubscribe = backend.events.subscribe((event) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
  });

  return () => {
    ipcMain.removeHandler(IPC_RPC_CHANNEL);
    ipcMain.removeHandler(IPC_DIALOG_CHANNEL);
    unsubscribe();
  };
}
