import { beforeAll, describe, expect, it, vi } from 'vitest';
import { contextBridge, exposed, ipcRenderer, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electron);

const { IPC_DIALOG_CHANNEL, IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL } = await import('../../../src/shared/api');
const { PRELOAD_GLOBAL } = await import('../../../src/shared/preloadApi');

describe('preload bridge (src/preload/index.ts)', () => {
  let bridge: Record<string, unknown>;

  beforeAll(async () => {
    resetFake();
    await import('../../../src/preload/index');
    bridge = exposed.get(PRELOAD_GLOBAL) as Record<string, unknown>;
  });

  it('exposes one global with exactly four functions, and no Electron or Node object', () => {
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...exposed.keys()]).toEqual([PRELOAD_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['importFilesByPath', 'onEvent', 'openImportDialog', 'rpc']);
    for (const [k, v] of Object.entries(bridge)) expect(typeof v, k).toBe('function');
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
    expect(Object.values(bridge)).not.toContain(ipcRenderer.invoke);
  });

  it('rpc goes through the one RPC channel with a string method name', async () => {
    ipcRenderer.invoke.mockClear();
    await (bridge.rpc as (m: unknown, i: unknown) => Promise<unknown>)('listTraces', { limit: 5 });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_RPC_CHANNEL, 'listTraces', { limit: 5 });
    await (bridge.openImportDialog as () => Promise<unknown>)();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_DIALOG_CHANNEL);
    // A page cannot pick the channel: there is no generic invoke/send on the bridge.
    expect(ipcRenderer.invoke.mock.calls.map((c) => c[0]).every((ch) => ch === IPC_RPC_CHANNEL || ch === IPC_DIALOG_CHANNEL)).toBe(true);
  });

  it('event listeners get the payload only, never the IpcRendererEvent (which holds `sender`)', () => {
    const got: unknown[][] = [];
    const off = (bridge.onEvent as (l: (...a: unknown[]) => void) => () => void)((...args) => got.push(args));
    const ipcEvent = { sender: ipcRenderer, senderId: 0, ports: [] };
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { type: 'traces-changed', traceIds: ['t'], reason: 'import' });
    expect(got).toEqual([[{ type: 'traces-changed', traceIds: ['t'], reason: 'import' }]]);
    off();
    ipcRenderer.emit(IPC_EVENT_CHANNEL, ipcEvent, { type: 'traces-changed', traceIds: ['u'], reason: 'import' });
    expect(got).toHaveLength(1);
    expect(ipcRenderer.listeners.get(IPC_EVENT_CHANNEL) ?? []).toHaveLength(0);
  });

  it('imports dropped files by their on-disk path only', async () => {
    const importFiles = bridge.importFilesByPath as (f: unknown[]) => Promise<unknown>;
    await expect(importFiles([{ name: 'made-in-page.json' }])).rejects.toThrow(/made-in-page\.json: not a file on disk/);
    ipcRenderer.invoke.mockClear();
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: [] });
    await importFiles([{ name: 'a.json', path: '/home/u/a.json' }]);
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_RPC_CHANNEL, 'importPaths', { paths: ['/home/u/a.json'] });
  });

  it('asks for the dropped file to be shown as soon as it is parsed, passing a plain boolean only', async () => {
    const importFiles = bridge.importFilesByPath as (f: unknown[], o?: unknown) => Promise<unknown>;
    const file = { name: 'a.json', path: '/home/u/a.json' };
    for (const [opts, sent] of [
      [{ open: true }, { paths: ['/home/u/a.json'], open: true }],
      [{ open: 'yes', paths: ['/etc/passwd'] }, { paths: ['/home/u/a.json'] }],
      [undefined, { paths: ['/home/u/a.json'] }],
    ] as const) {
      ipcRenderer.invoke.mockClear();
      ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: [] });
      await importFiles([file], opts);
      expect(ipcRenderer.invoke).toHaveBeenCalledWith(IPC_RPC_CHANNEL, 'importPaths', sent);
    }
  });
});
