/**
 * A stand-in for the `electron` module (no Electron binary exists here): just enough of
 * BrowserWindow, webContents, ipcMain, dialog, shell, protocol, net, session, contextBridge,
 * ipcRenderer and webUtils for src/main and src/preload to run, recording every call so the
 * security tests can assert what the real app would do. Use with
 *   vi.mock('electron', async () => (await import('./fakeElectron')).electron);
 * and call resetFake() in beforeEach.
 */
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, fn: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
    return this;
  }
  once(name: string, fn: Listener): this {
    return this.on(name, fn);
  }
  removeListener(name: string, fn: Listener): this {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((f) => f !== fn),
    );
    return this;
  }
  /** Fire an event the way Electron would; returns the listeners' results. */
  emit(name: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(name) ?? []).map((f) => f(...args));
  }
}

export interface FakeFrame {
  url: string;
}

export class FakeWebContents extends FakeEmitter {
  readonly mainFrame: FakeFrame = { url: 'tracedeck://app/index.html' };
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  setWindowOpenHandler(fn: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = fn;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  reload(): void {}
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances;
  }
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  show(): void {}
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
}

/** What dialog.showMessageBox answers: 0 = "Open in browser", 1 = "Cancel". */
export const state = {
  messageBoxResponse: 1,
  openDialogPaths: [] as string[],
};

export const handlers = new Map<string, Listener>();

export const ipcMain = {
  handle: vi.fn((channel: string, fn: Listener) => {
    if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    handlers.set(channel, fn);
  }),
  removeHandler: vi.fn((channel: string) => {
    handlers.delete(channel);
  }),
  on: vi.fn(),
};

export const dialog = {
  showMessageBox: vi.fn(async (_win: unknown, _opts: Record<string, unknown>) => ({
    response: state.messageBoxResponse,
    checkboxChecked: false,
  })),
  showOpenDialog: vi.fn(async () => ({ canceled: state.openDialogPaths.length === 0, filePaths: state.openDialogPaths })),
};

export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };

export const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn((scheme: string, fn: (req: Request) => Promise<Response>) => {
    protocolHandlers.set(scheme, fn);
  }),
};

/** net.fetch of file:// URLs: answered from this map (path → body), 404 otherwise. */
export const files = new Map<string, string>();
export const net = {
  fetch: vi.fn(async (url: string) => {
    const path = decodeURIComponent(new URL(url).pathname);
    const body = files.get(path);
    return body === undefined ? new Response('', { status: 404 }) : new Response(body, { status: 200 });
  }),
};

type HeadersCallback = (r: { responseHeaders: Record<string, string[]> }) => void;
export const session = {
  headersReceived: null as null | ((d: { responseHeaders: Record<string, string[]> }, cb: HeadersCallback) => void),
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | ((wc: unknown, permission: string) => boolean),
  webRequest: {
    onHeadersReceived(fn: (d: { responseHeaders: Record<string, string[]> }, cb: HeadersCallback) => void) {
      session.headersReceived = fn;
    },
  },
  setPermissionRequestHandler(fn: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void) {
    session.permissionRequest = fn;
  },
  setPermissionCheckHandler(fn: (wc: unknown, permission: string) => boolean) {
    session.permissionCheck = fn;
  },
};

export const app = Object.assign(new FakeEmitter(), {
  isPackaged: true,
  enableSandbox: vi.fn(),
  requestSingleInstanceLock: vi.fn(() => false),
  quit: vi.fn(),
  exit: vi.fn(),
  getPath: vi.fn(() => '/nonexistent'),
  getVersion: vi.fn(() => '0.0.0'),
  whenReady: vi.fn(() => new Promise<void>(() => undefined)), // never ready in tests
});

export const exposed = new Map<string, unknown>();
export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    exposed.set(key, api);
  }),
};

export const ipcRenderer = Object.assign(new FakeEmitter(), {
  invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
});

export const webUtils = { getPathForFile: vi.fn((f: { path?: string }) => f.path ?? '') };

export const Menu = {
  buildFromTemplate: vi.fn((t: unknown) => ({ template: t })),
  setApplicationMenu: vi.fn(),
};

export function resetFake(): void {
  FakeBrowserWindow.instances = [];
  handlers.clear();
  protocolHandlers.clear();
  files.clear();
  exposed.clear();
  ipcRenderer.listeners.clear();
  state.messageBoxResponse = 1;
  state.openDialogPaths = [];
  session.headersReceived = null;
  session.permissionRequest = null;
  session.permissionCheck = null;
  for (const f of [
    ipcMain.handle,
    ipcMain.removeHandler,
    dialog.showMessageBox,
    dialog.showOpenDialog,
    shell.openExternal,
    protocol.registerSchemesAsPrivileged,
    protocol.handle,
    net.fetch,
    app.enableSandbox,
    app.requestSingleInstanceLock,
    app.quit,
    contextBridge.exposeInMainWorld,
    ipcRenderer.invoke,
    webUtils.getPathForFile,
  ]) {
    f.mockClear();
  }
}

/** Let queued promise callbacks (the confirmation dialog, openExternal) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

export const electron = {
  BrowserWindow: FakeBrowserWindow,
  ipcMain,
  dialog,
  shell,
  protocol,
  net,
  session: { defaultSession: session },
  app,
  contextBridge,
  ipcRenderer,
  webUtils,
  Menu,
  default: undefined as unknown,
};
electron.default = electron;
