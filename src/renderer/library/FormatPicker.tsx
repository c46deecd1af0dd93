import { useEffect, useRef, useState } from 'react';
import type { FormatId, FormatInfo } from '../../shared/api';

interface Props {
  formats: FormatInfo[];
  value: FormatId[];
  onChange(v: FormatId[]): void;
}

/** A multi-select popover of checkboxes; closes on outside click and Escape. */
export function FormatPicker({ formats, value, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('mousedown', onDown);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const label =
    value.length === 0 ? 'All formats' : value.length === 1 ? value[0] : `${value.length} formats`;
  const toggle = (id: FormatId) => onChange(value.includes(id) ? value.filter((v) => v !== id) : [...value, id]);

  return (
    <div className="format-picker" ref={root}>
      <button
        type="button"
        className={`control select-like${value.length ? ' is-set' : ''}`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label="Formats"
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        <span className="caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div className="popover" role="listbox" aria-multiselectable="true" aria-label="Formats">
          {formats.map((f) => (
            <label key={f.id} className="popover-item" role="option" aria-selected={value.includes(f.id)}>
              <input type="checkbox" checked={value.includes(f.id)} onChange={() => toggle(f.id)} />
              <span className="format-tag">{f.id}</span>
              <span className="dim">{f.label}</span>
            </label>
          ))}
          <div className="popover-footer">
            <button type="button" className="link-button" onClick={() => onChange([])} disabled={!value.length}>
              Clear
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
