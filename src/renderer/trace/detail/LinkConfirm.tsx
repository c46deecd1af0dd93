import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { closeOnEscape, useDialogFocus } from './dialogFocus';
import type {} from '../../../shared/preloadApi';
import { showControls } from '../../util/untrustedText';

/**
 * Links in trace content never navigate the app. Following one takes an explicit confirmation
 * showing the whole address. In browser mode that is this dialog, and the link opens in a new tab
 * without opener or referrer. In the desktop app the window's open handler (src/main/security.ts)
 * already asks in a native dialog before handing the address to the system browser, so the link
 * is passed straight to it rather than asking twice.
 */

type Confirm = (url: string) => void;
const Ctx = createContext<Confirm>(() => undefined);

export function useLinkConfirm(): Confirm {
  return useContext(Ctx);
}

function openOutside(url: string): void {
  window.open(url, '_blank', 'noopener,noreferrer');
}

export function LinkConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<string | null>(null);
  const confirm = useCallback((url: string) => {
    if (window.tracedeck) openOutside(url);
    else setPending(url);
  }, []);
  return (
    <Ctx.Provider value={confirm}>
      {children}
      {pending ? <LinkDialog url={pending} onClose={() => setPending(null)} /> : null}
    </Ctx.Provider>
  );
}

function LinkDialog({ url, onClose }: { url: string; onClose(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  useDialogFocus(cancel);
  return (
    <div className="md-dialog-backdrop" onClick={onClose}>
      <div
        className="md-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="md-link-title"
        data-testid="link-confirm"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={closeOnEscape(onClose)}
      >
        <div id="md-link-title" className="md-dialog-title">
          Open this link in a new tab?
        </div>
        <div className="md-dialog-url untrusted mono">{showControls(url)}</div>
        <div className="dim">The address comes from the trace, not from Tracedeck.</div>
        <div className="md-dialog-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              openOutside(url);
              onClose();
            }}
          >
            Open link
          </button>
          <button type="button" className="btn" ref={cancel} onClick={onClose}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
