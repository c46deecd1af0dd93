import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './appProtocol';
import { lockDownNavigation } from './security';

export interface WindowOptions {
  preloadPath: string;
  /** electron-vite dev server URL in dev; undefined = the built renderer via tracedeck:// */
  devUrl: string | undefined;
  origins: Set<string>;
  isDev: boolean;
}

export function createMainWindow(o: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Tracedeck',
    backgroundColor: '#1b1d21',
    webPreferences: {
      preload: o.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click on a link in trace content must not even request a new window.
      disableBlinkFeatures: 'Auxclick',
      devTools: o.isDev,
    },
  });
  lockDownNavigation(win, o.origins);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(o.devUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}
