import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, dialog, resetFake, settle, shell, state } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electron);

const { lockDownNavigation } = await import('../../../src/main/security');
const { appOrigins } = await import('../../../src/main/origins');

/** URLs trace content could carry that must never leave the app, even after confirmation. */
const NEVER_EXTERNAL = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
  'vbscript:msgbox(1)',
  'tracedeck://evil/index.html',
  'smb://attacker/share',
  'ms-msdt:/id PCWDiagnostic',
  'about:blank',
  'not a url at all',
  'chrome://settings',
];

function lockedWindow(devUrl?: string) {
  const win = new FakeBrowserWindow({});
  lockDownNavigation(win as never, appOrigins(devUrl));
  return win;
}

function navigate(win: FakeBrowserWindow, event: string, url: string): { prevented: boolean } {
  const e = { prevented: false, preventDefault() {
    this.prevented = true;
  } };
  win.webContents.emit(event, e, url);
  return { prevented: e.prevented };
}

describe('navigation and new windows (src/main/security.ts lockDownNavigation)', () => {
  beforeEach(() => resetFake());

  it('lets the app navigate within itself (reloads, hash routes)', async () => {
    const win = lockedWindow();
    expect(navigate(win, 'will-navigate', 'tracedeck://app/index.html#/trace/abc').prevented).toBe(false);
    expect(navigate(win, 'will-redirect', 'tracedeck://app/index.html').prevented).toBe(false);
    await settle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('blocks navigation to any other URL, and never opens a non-http(s) URL externally', async () => {
    const win = lockedWindow();
    state.messageBoxResponse = 0; // even a user who clicks "Open" everywhere
    for (const url of NEVER_EXTERNAL) {
      expect(navigate(win, 'will-navigate', url).prevented, url).toBe(true);
      expect(navigate(win, 'will-redirect', url).prevented, url).toBe(true);
    }
    await settle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('offers an http(s) link to the system browser only after the user confirms', async () => {
    const win = lockedWindow();
    state.messageBoxResponse = 1; // Cancel
    expect(navigate(win, 'will-navigate', 'https://example.com/docs?q=1').prevented).toBe(true);
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const opts = dialog.showMessageBox.mock.calls[0]![1] as { detail: string; cancelId: number; defaultId: number };
    expect(opts.detail).toBe('https://example.com/docs?q=1');
    // Enter / Escape pick Cancel: opening needs a deliberate click
    expect(opts.defaultId).toBe(1);
    expect(opts.cancelId).toBe(1);
    expect(shell.openExternal).not.toHaveBeenCalled();

    state.messageBoxResponse = 0; // Open in browser
    navigate(win, 'will-navigate', 'http://example.org/');
    await settle();
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(shell.openExternal).toHaveBeenCalledWith('http://example.org/');
  });

  it('redirects away from the app are refused without asking', async () => {
    const win = lockedWindow();
    expect(navigate(win, 'will-redirect', 'https://example.com/').prevented).toBe(true);
    await settle();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('denies every new window; http(s) ones are only offered to the system browser', async () => {
    const win = lockedWindow();
    const open = win.webContents.windowOpenHandler!;
    state.messageBoxResponse = 0;
    for (const url of [...NEVER_EXTERNAL, 'tracedeck://app/index.html', 'https://example.com/x']) {
      expect(open({ url }).action, url).toBe('deny');
    }
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
    expect(shell.openExternal).toHaveBeenCalledWith('https://example.com/x');
  });

  it('refuses <webview> attachment', () => {
    const win = lockedWindow();
    expect(navigate(win, 'will-attach-webview', 'https://example.com/').prevented).toBe(true);
  });

  it('in dev, the dev server is the app and nothing else is', async () => {
    const win = lockedWindow('http://localhost:5173/');
    expect(navigate(win, 'will-navigate', 'http://localhost:5173/#/').prevented).toBe(false);
    expect(navigate(win, 'will-navigate', 'http://localhost:5174/').prevented).toBe(true);
  });

  it('shows the URL as parsed (no hidden credentials or control characters trick the dialog)', async () => {
    const win = lockedWindow();
    navigate(win, 'will-navigate', 'https://trusted.example.com\u0000@evil.example/');
    navigate(win, 'will-navigate', `https://example.com/${'a'.repeat(10_000)}`);
    await settle();
    expect(dialog.showMessageBox).toHaveBeenCalledTimes(2);
    // The NUL ends up percent-encoded in the user-info part: the real host is visible.
    expect((dialog.showMessageBox.mock.calls[0]![1] as { detail: string }).detail).toBe(
      'https://trusted.example.com%00@evil.example/',
    );
    for (const [, opts] of dialog.showMessageBox.mock.calls as unknown as [unknown, { detail: string }][]) {
      expect(opts.detail).not.toMatch(/[\u0000-\u001f]/);
      expect(opts.detail.length).toBeLessThanOrEqual(2000);
    }
  });
});
