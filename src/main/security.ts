import { dialog, shell, type BrowserWindow, type Session, type WebFrameMain } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../server/securityHeaders';
import { isAppUrl } from './origins';

/**
 * IPC from anything but the app's own top frame is refused: an injected iframe or a page the
 * window was somehow navigated to must not reach the backend.
 */
export function isTrustedSender(frame: WebFrameMain | null, win: BrowserWindow | null, origins: Set<string>): boolean {
  if (!frame || !win || win.isDestroyed()) return false;
  if (frame !== win.webContents.mainFrame) return false;
  return isAppUrl(frame.url, origins);
}

/** CSP header on every response the app's session loads (the dev server included). */
export function installCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-security-policy') delete headers[k];
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
  // No camera, microphone, notifications, …: a trace viewer needs only to copy text.
  const allowed = new Set(['clipboard-sanitized-write']);
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(allowed.has(permission)));
  session.setPermissionCheckHandler((_wc, permission) => allowed.has(permission));
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
    if (isAppUrl(url, origins)) return; // reloads, hash routes
    event.preventDefault();
    void confirmExternal(win, url);
  });
  wc.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, origins)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    void confirmExternal(win, url);
    return { action: 'deny' };
  });
}
