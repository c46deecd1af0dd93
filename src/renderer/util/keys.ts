/** True when a key press belongs to a text field, not to the app's shortcuts. */
export function isEditableTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    return type !== 'checkbox' && type !== 'radio' && type !== 'button';
  }
  return false;
}

export function isActivatable(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.tagName === 'BUTTON' || t.tagName === 'A' || t.tagName === 'SUMMARY');
}

/**
 * For panels inside a view with single-key shortcuts on window (the trace view takes Enter and
 * Space): a focused button, link or summary keeps Enter / Space for itself, so pressing it works.
 */
export function keepActivationKeys(e: { key: string; target: EventTarget | null; stopPropagation(): void }): void {
  if ((e.key === 'Enter' || e.key === ' ') && isActivatable(e.target)) e.stopPropagation();
}
