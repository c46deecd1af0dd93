import { useLayoutEffect, useRef, useState } from 'react';

/**
 * A one-note text box: Enter saves, Shift+Enter is a new line, Esc leaves without saving. It takes
 * the focus when it opens, so a shortcut (m, w, x) goes straight to typing — in a layout effect,
 * before the browser runs anything else, so keys typed at full speed right after land in it.
 */
export function NoteEditor({
  initial,
  placeholder,
  label,
  onSave,
  onCancel,
}: {
  initial: string;
  placeholder: string;
  label: string;
  onSave(text: string): void;
  onCancel(): void;
}) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus({ preventScroll: false });
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  return (
    <div className="lb-note-editor">
      <textarea
        ref={ref}
        className="control lb-note-input"
        value={text}
        rows={2}
        aria-label={label}
        placeholder={placeholder}
        data-testid="note-input"
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            onSave(text);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <div className="dim lb-note-hint">
        <kbd>Enter</kbd> save · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line · <kbd>Esc</kbd> cancel
      </div>
    </div>
  );
}
