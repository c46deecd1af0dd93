import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, dialog, handlers, ipcMain, resetFake, state } from './fakeElectron';
import { tempWorkspace } from '../../helpers/workspace';
import { fixture } from '../../helpers/workspace';

vi.mock('electron', async () => (await import('./fakeElectron')).electron);

const { registerIpc } = await import('../../../src/main/ipc');
const { appOrigins } = await import('../../../src/main/origins');
const { createBackend } = await import('../../../src/backend/handlers');
const { ApiInputSchemas, IPC_DIALOG_CHANNEL, IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL } = await import('../../../src/shared/api');

type Envelope = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

describe('IPC handlers of the main process (src/main/ipc.ts)', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let win: FakeBrowserWindow;
  let backend: ReturnType<typeof createBackend>;
  let dispatch: ReturnType<typeof vi.spyOn>;
  let unregister: () => void;

  const rpc = (event: unknown, method: unknown, input?: unknown) =>
    handlers.get(IPC_RPC_CHANNEL)!(event, method, input) as Promise<Envelope>;
  const trusted = () => ({ senderFrame: win.webContents.mainFrame });

  beforeEach(() => {
    resetFake();
    t = tempWorkspace();
    backend = createBackend({ workspace: t.ws, mode: 'desktop', version: '1.2.3' });
    dispatch = vi.spyOn(backend, 'dispatch');
    win = new FakeBrowserWindow({});
    unregister = registerIpc(backend, () => win as never, appOrigins(undefined));
    // As the page does with a file it opens: it asks for the view, which the file's write awaits.
    backend.events.subscribe((e) => {
      if (e.type !== 'import-staged' || !e.open) return;
      const traceId = e.traceIds[0]!;
      void backend.call('getTraceColumns', { traceId }).then(() => backend.call('getTraceAnalysis', { traceId }));
    });
  });

  afterEach(() => {
    unregister();
    t.cleanup();
  });

  it('registers exactly the bridge’s two invoke channels', () => {
    expect([...handlers.keys()].sort()).toEqual([IPC_DIALOG_CHANNEL, IPC_RPC_CHANNEL].sort());
    expect(ipcMain.on).not.toHaveBeenCalled(); // no fire-and-forget channel bypassing the envelope
  });

  it('answers the app’s own top frame', async () => {
    const res = await rpc(trusted(), 'appInfo', {});
    expect(res).toEqual({ ok: true, value: expect.objectContaining({ mode: 'desktop', version: '1.2.3' }) });
  });

  it('refuses every other sender before anything reaches the backend', async () => {
    const senders: [string, unknown][] = [
      ['no frame', { senderFrame: null }],
      ['an iframe showing the app', { senderFrame: { url: 'tracedeck://app/index.html' } }],
      ['the main frame navigated to a web page', { senderFrame: { url: 'https://evil.example/' } }],
      ['the main frame on file://', { senderFrame: { url: 'file:///tmp/x.html' } }],
      ['the main frame on another tracedeck host', { senderFrame: { url: 'tracedeck://evil/index.html' } }],
      ['the main frame on about:blank', { senderFrame: { url: 'about:blank' } }],
    ];
    for (const [what, event] of senders) {
      if (what.startsWith('the main frame')) win.webContents.mainFrame.url = (event as { senderFrame: { url: string } }).senderFrame.url;
      const e = what.startsWith('the main frame') ? { senderFrame: win.webContents.mainFrame } : event;
      await expect(rpc(e, 'appInfo', {}), what).rejects.toThrow(/untrusted sender/);
      await expect(handlers.get(IPC_DIALOG_CHANNEL)!(e), what).rejects.toThrow(/untrusted sender/);
      win.webContents.mainFrame.url = 'tracedeck://app/index.html';
    }
    win.destroyed = true;
    await expect(rpc(trusted(), 'appInfo', {}), 'destroyed window').rejects.toThrow(/untrusted sender/);
    expect(dispatch).not.toHaveBeenCalled();
    expect(dialog.showOpenDialog).not.toHaveBeenCalled();
  });

  it('rejects unknown and prototype-named methods as bad input, without echoing megabytes', async () => {
    for (const method of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'x'.repeat(1_000_000), 42, null, { toString: 'appInfo' }, ['appInfo']]) {
      const res = await rpc(trusted(), method, {});
      const label = typeof method === 'string' ? method.slice(0, 40) : JSON.stringify(method);
      expect(res.ok, label).toBe(false);
      if (!res.ok) {
        expect(res.error.code, label).toBe('bad-input');
        expect(res.error.message.length, label).toBeLessThan(5000);
      }
    }
  });

  it('validates the input of every method: non-objects are refused before any handler runs', async () => {
    const methods = Object.keys(ApiInputSchemas);
    expect(methods.length).toBeGreaterThan(8);
    for (const method of methods) {
      for (const bad of [42, 'x', true, null, [], [{}], () => 1]) {
        const res = await rpc(trusted(), method, bad);
        expect(res.ok, `${method}(${JSON.stringify(bad) ?? typeof bad})`).toBe(false);
        if (!res.ok) expect(res.error.code, `${method}(${JSON.stringify(bad)})`).toBe('bad-input');
      }
    }
  });

  it('refuses wrong types, unknown keys, oversized values and prototype keys', async () => {
    const cases: [string, unknown][] = [
      ['getTrace', { traceId: 42 }],
      ['getTrace', { traceId: '' }],
      ['getTrace', { traceId: 'x'.repeat(5000) }],
      ['getTrace', { traceId: 't', extra: 1 }],
      ['getSpan', { traceId: 't' }],
      ['listTraces', { limit: 'all' }],
      ['listTraces', { limit: 1e9 }],
      ['listTraces', { limit: 1.5 }],
      ['listTraces', { since: Number.NaN }],
      ['listTraces', { text: 'a'.repeat(1_000_000) }],
      ['listTraces', { sort: 'name; DROP TABLE traces' }],
      ['listTraces', { status: ['ok', 'ok', 'ok', 'ok'] }],
      ['listTraces', JSON.parse('{"__proto__": {"polluted": true}}')],
      ['listTraces', JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')],
      ['deleteTrace', { traceId: ['t'] }],
      ['importPaths', { paths: '/etc/passwd' }],
      ['importPaths', { paths: [] }],
      ['importPaths', { paths: [''] }],
      ['importPaths', { paths: Array.from({ length: 1001 }, (_, i) => `/tmp/${i}`) }],
      ['listImports', { limit: -1 }],
    ];
    for (const [method, input] of cases) {
      const res = await rpc(trusted(), method, input);
      const label = `${method} ${JSON.stringify(input).slice(0, 80)}`;
      expect(res.ok, label).toBe(false);
      if (!res.ok) {
        expect(res.error.code, label).toBe('bad-input');
        expect(res.error.message.length, label).toBeLessThan(5000);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(t.ws.listTraces().total).toBe(0);
  });

  it('reports backend failures in the envelope, never as a thrown IPC error', async () => {
    const res = await rpc(trusted(), 'importPaths', { paths: ['/nonexistent/trace.json'] });
    expect(res.ok).toBe(true);
    if (res.ok) {
      const [outcome] = res.value as { ok: boolean; error?: string }[];
      expect(outcome!.ok).toBe(false);
      // Paths typed into the API get one message whether or not they exist (no file-system probe).
      expect(outcome!.error).toMatch(/^\/nonexistent\/trace\.json: cannot import: no readable trace file at this path/);
    }
  });

  it('the dialog channel takes no input from the page: only what the user picks is imported', async () => {
    state.openDialogPaths = []; // user cancels
    const none = await handlers.get(IPC_DIALOG_CHANNEL)!(trusted(), { paths: ['/etc/passwd'] });
    expect(none).toEqual([]);
    expect(dialog.showOpenDialog).toHaveBeenCalledTimes(1);
    expect(t.ws.listImports()).toEqual([]);

    const picked = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
    state.openDialogPaths = [picked];
    const outcomes = (await handlers.get(IPC_DIALOG_CHANNEL)!(trusted(), { paths: ['/etc/passwd'] })) as {
      source: string;
      ok: boolean;
    }[];
    expect(outcomes.map((o) => [o.source, o.ok])).toEqual([[picked, true]]);
  });

  it('one file picked in the dialog opens as soon as it is parsed; several go to the library', async () => {
    const phoenix = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
    const staged = () =>
      win.webContents.sent
        .map((s) => s.args[0] as { type: string; source?: string; open?: boolean; traceIds?: string[] })
        .filter((e) => e.type === 'import-staged');
    state.openDialogPaths = [phoenix];
    const [one] = (await handlers.get(IPC_DIALOG_CHANNEL)!(trusted())) as { ok: boolean; traceIds: string[] }[];
    expect(one!.ok).toBe(true);
    expect(staged()).toEqual([expect.objectContaining({ source: phoenix, open: true, traceIds: one!.traceIds })]);

    const langfuse = fixture('langfuse/langfuse-openai-agents-2025-09-30.trace.json');
    win.webContents.sent.length = 0;
    state.openDialogPaths = [phoenix, langfuse];
    const two = (await handlers.get(IPC_DIALOG_CHANNEL)!(trusted(), {})) as { ok: boolean }[];
    expect(two.map((o) => o.ok)).toEqual([true, true]);
    expect(staged().map((e) => e.open)).not.toContain(true);
  });

  it('forwards backend events to the window only until unregistered', () => {
    backend.events.send({ type: 'traces-changed', traceIds: ['a'], reason: 'delete' });
    expect(win.webContents.sent).toEqual([
      { channel: IPC_EVENT_CHANNEL, args: [{ type: 'traces-changed', traceIds: ['a'], reason: 'delete' }] },
    ]);
    unregister();
    unregister = () => undefined;
    backend.events.send({ type: 'traces-changed', traceIds: ['b'], reason: 'delete' });
    expect(win.webContents.sent).toHaveLength(1);
    expect(handlers.size).toBe(0);
  });
});
