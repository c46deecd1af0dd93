import { helpRows } from './state/keymap';

const ROWS = helpRows();

export function KeyHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="tv-help-backdrop" onClick={onClose}>
      <div className="tv-help" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <div className="tv-help-title">Keyboard</div>
        <dl>
          {ROWS.map(([k, v]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
