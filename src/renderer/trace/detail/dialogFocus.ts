import { useEffect, type KeyboardEvent, type RefObject } from 'react';

/**
 * The small modal dialogs of the span panel (link confirmation, image viewer): focus moves into
 * the dialog when it opens and back to where it was when it closes; Escape closes it and is
 * consumed, so the trace view does not also close the span panel.
 */
export function useDialogFocus(target: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const back = document.activeElement as HTMLElement | null;
    target.current?.focus();
    return () => back?.focus?.();
  }, [target]);
}

export function closeOnEscape(onClose: () => void) {
  return (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    onClose();
  };
}
