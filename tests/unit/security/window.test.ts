import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, app, protocol, resetFake } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electron);

const { createMainWindow } = await import('../../../src/main/window');
const { APP_ORIGIN, appOrigins } = await import('../../../src/main/origins');

function open(o: { devUrl?: string; isDev?: boolean } = {}) {
  const win = createMainWindow({
    preloadPath: '/opt/tracedeck/out/preload/index.cjs',
    devUrl: o.devUrl,
    origins: appOrigins(o.devUrl),
    isDev: o.isDev ?? false,
  }) as unknown as FakeBrowserWindow;
  return { win, prefs: win.options.webPreferences as Record<string, unknown> };
}

describe('main window options (src/main/window.ts)', () => {
  beforeEach(() => resetFake());

  it('isolates and sandboxes the renderer, without Node', () => {
    const { prefs } = open();
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames ?? false).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/opt/tracedeck/out/preload/index.cjs');
  });

  it('turns on no risky Chromium feature and disables middle-click new windows', () => {
    const { prefs } = open();
    for (const risky of ['enableBlinkFeatures', 'experimentalFeatures', 'enableRemoteModule', 'additionalArguments']) {
      expect(prefs[risky], risky).toBeFalsy();
    }
    expect(String(prefs.disableBlinkFeatures)).toContain('Auxclick');
  });

  it('has no devtools in production and loads the app origin, not file://', () => {
    const prod = open();
    expect(prod.prefs.devTools).toBe(false);
    expect(prod.win.loadedUrl).toBe(`${APP_ORIGIN}/index.html`);
    const dev = open({ devUrl: 'http://localhost:5173/', isDev: true });
    expect(dev.prefs.devTools).toBe(true);
    expect(dev.win.loadedUrl).toBe('http://localhost:5173/');
  });

  it('locks navigation down before the first page loads', () => {
    const { win } = open();
    expect(win.webContents.listeners.get('will-navigate')?.length).toBe(1);
    expect(win.webContents.listeners.get('will-redirect')?.length).toBe(1);
    expect(win.webContents.listeners.get('will-attach-webview')?.length).toBe(1);
    expect(win.webContents.windowOpenHandler).toBeTypeOf('function');
  });
});

describe('app start-up (src/main/index.ts)', () => {
  beforeEach(() => resetFake());

  it('enables the sandbox for every renderer and registers the app scheme as secure', async () => {
    // requestSingleInstanceLock() answers false in the fake, so the module quits before opening
    // a workspace or a window: only its top-level security set-up runs.
    await import('../../../src/main/index');
    expect(app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    const [schemes] = protocol.registerSchemesAsPrivileged.mock.calls[0] as unknown as [
      { scheme: string; privileges: Record<string, boolean> }[],
    ];
    expect(schemes).toHaveLength(1);
    expect(schemes[0]!.scheme).toBe('tracedeck');
    expect(schemes[0]!.privileges.secure).toBe(true);
    // bypassCSP would let pages on the scheme ignore the CSP header the handler attaches
    expect(schemes[0]!.privileges.bypassCSP ?? false).toBe(false);
    expect(app.quit).toHaveBeenCalled();
  });

  it('builds no window anywhere else with weaker options', () => {
    // Every BrowserWindow in src/main is created in window.ts: a second `new BrowserWindow`
    // elsewhere would escape the checks above.
    const mainDir = resolve(import.meta.dirname, '../../../src/main');
    const offenders = readdirSync(mainDir)
      .filter((f) => f.endsWith('.ts') && f !== 'window.ts')
      .filter((f) => /new\s+(BrowserWindow|BrowserView|WebContentsView)\s*\(/.test(readFileSync(resolve(mainDir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
