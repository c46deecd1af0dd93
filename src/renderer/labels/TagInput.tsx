import { useMemo, useState } from 'react';
import type { FailureModeDto } from '../../shared/api';

interface Props {
  modes: FailureModeDto[];
  applied: string[];
  /** Apply (or, for an applied mode, remove) the named mode; a new name creates the mode. */
  onPick(name: string): void;
  onClose(): void;
}

/**
 * Type-ahead over the failure modes: ↑/↓ move, Enter applies the highlighted mode (or creates
 * the typed name), Esc closes. Picking an applied mode removes it.
 */
export function TagInput({ modes, applied, onPick, onClose }: Props) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);

  const q = text.trim().toLowerCase();
  const matches = useMemo(
    () => modes.filter((m) => !q || m.name.toLowerCase().includes(q) || m.definition.toLowerCase().includes(q)).slice(0, 8),
    [modes, q],
  );
  const exact = modes.some((m) => m.name.toLowerCase() === q);
  const options = [...matches.map((m) => m.name), ...(q && !exact ? [text.trim()] : [])];
  const at = Math.min(active, Math.max(0, options.length - 1));

  return (
    <div className="lb-tag-input" data-testid="tag-input">
      <input
        // Focused as it mounts (commit phase): keys typed right after t must land here.
        autoFocus
        className="control"
        value={text}
        placeholder="Failure mode: type to find or create"
        aria-label="Failure mode"
        aria-autocomplete="list"
        aria-controls="lb-tag-options"
        onChange={(e) => {
          setText(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive(Math.min(at + 1, options.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive(Math.max(at - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const pick = options[at];
            if (pick) onPick(pick);
            onClose();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
        onBlur={onClose}
      />
      {options.length ? (
        <ul id="lb-tag-options" className="lb-tag-options" role="listbox">
          {options.map((name, i) => {
            const mode = modes.find((m) => m.name === name);
            const on = applied.includes(name);
            return (
              <li
                key={name}
                role="option"
                aria-selected={i === at}
                className={`lb-tag-option${i === at ? ' active' : ''}`}
                onMouseDown={(e) => {
                  e.preventDefault();
                  onPick(name);
                  onClose();
                }}
              >
                <span className="lb-tag-option-name">{mode ? name : `Create “${name}”`}</span>
                {on ? <span className="dim"> · applied (Enter removes)</span> : null}
                {mode?.definition ? <span className="dim lb-tag-option-def"> — {mode.definition}</span> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
