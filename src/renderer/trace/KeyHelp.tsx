const KEYS: [string, string][] = [
  ['j / ↓', 'next span'],
  ['k / ↑', 'previous span'],
  ['→ / l', 'expand, then first child'],
  ['← / h', 'collapse, then parent'],
  ['Space', 'expand / collapse'],
  ['Enter', 'open span detail'],
  ['Home / End', 'first / last span'],
  ['e / E', 'next / previous error'],
  ['r', 'root cause of the selected span'],
  ['[ / ]', 'previous / next root-cause step'],
  ['/', 'filter spans'],
  ['n / N', 'next / previous match'],
  ['c', 'critical path on / off'],
  ['w / s', 'zoom timeline in / out'],
  ['a / d', 'pan timeline'],
  ['f', 'zoom to selected span'],
  ['v', 'zoom to the rows on screen'],
  ['0', 'reset zoom'],
  ['Ctrl + wheel', 'zoom at pointer'],
  ['Shift + wheel, drag', 'pan'],
  ['Esc', 'close panel / clear filter'],
];

export function KeyHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="tv-help-backdrop" onClick={onClose}>
      <div className="tv-help" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <div className="tv-help-title">Keyboard</div>
        <dl>
          {KEYS.map(([k, v]) => (
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
