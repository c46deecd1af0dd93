import { dialog, shell, type BrowserWindow, type Session, type WebFrameMain } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../server/securityHeaders';
import { APP_ORIGIN } from './appProtocol';

/** Origins allowed to be the app: the custom scheme, or the electron-vite dev server in dev. */
export function appOrigins(devUrl: string | undefined): Set<string> {
  const origins = new Set([APP_ORIGIN]);
  if (devUrl) origins.add(new URL(devUrl).origin);
  return origins;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * IPC from anything but the app's own top frame is refused: an injected iframe or a page the
 * window was somehow navigated to must not reach the backend.
 */
export function isTrustedSender(frame: WebFrameMain | null, win: BrowserWindow | null, origins: Set<string>): boolean {
  if (!frame || !win || win.isDestroyed()) return false;
  if (frame !== win.webContents.mainFrame) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.has(origin);
}

/** CSP header on every response the app's session loads (the dev server included). */
export function installCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
  // No camera, microphone, notifications, …: a trace viewer needs none of them.
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** http(s) links leave the app only through the system browser, after the user agrees. */
async function confirmExternal(win: BrowserWindow, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return;
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your browser?',
    // Shown as text by the OS dialog; the URL came from trace content, so the user decides.
    detail: parsed.toString().slice(0, 2000),
  });
  if (response === 0) await shell.openExternal(parsed.toString());
}

/** The window never navigates away from the app and never opens child windows. */
export function lockDownNavigation(win: BrowserWindow, origins: Set<string>): void {
  const wc = win.webContents;
  wc.on('will-navigate', (event, url) => {
    const origin = originOf(url);
    if (origin !== null && origins.has(origin)) return; // reloads, hash routes
    event.preventDefault();
    void confirmExternal(win, url);
  });
  wc.on('will-redirect', (event, url) => {
    const origin = originOf(url);
    if (origin === null || !origins.has(origin)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    void confirmExternal(win, url);
    return { action: 'deny' };
  });
}
