import type { ApiInput, ApiMethod, ApiOutput, ImportOutcome, TracedeckClient } from '../../shared/api';
import type { TracedeckBridge } from '../../shared/preloadApi';
import { ApiError } from './errors';
import { failedOutcome } from './outcomes';
import { baseName } from '../util/format';

/** Desktop mode: everything goes through the preload bridge; files are imported by path. */
export function createIpcClient(bridge: TracedeckBridge): TracedeckClient {
  async function call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    const res = await bridge.rpc(method, input ?? {});
    if (res.ok) return res.value as ApiOutput<M>;
    throw new ApiError(res.error.code, res.error.message);
  }

  return {
    call,
    async importFiles(files, onProgress, opts) {
      // The main process reads the files itself; its import-progress events are the progress.
      const names = new Map(files.map((f) => [f.name, f]));
      const off = onProgress
        ? bridge.onEvent((e) => {
            if (e.type !== 'import-progress') return;
            const name = baseName(e.source);
            if (names.has(name)) onProgress({ file: name, bytesDone: e.bytesDone, bytesTotal: e.bytesTotal });
          })
        : () => {};
      try {
        return await bridge.importFilesByPath(files, { open: opts?.open === true });
      } catch (e) {
        return files.map((f): ImportOutcome => failedOutcome(f.name, `${f.name}: ${(e as Error).message}`));
      } finally {
        off();
      }
    },
    openImportDialog: () => bridge.openImportDialog(),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
