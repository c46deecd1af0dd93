import type { Route } from './router';
import { LIBRARY_HASH, navigate } from './router';

interface Props {
  route: Route;
  importing: boolean;
  onImport(): void;
  importsCount: number;
  onToggleImports(): void;
}

export function TopBar({ route, importing, onImport, importsCount, onToggleImports }: Props) {
  return (
    <header className="top-bar">
      <div className="brand" aria-label="Tracedeck">
        <span className="brand-mark" aria-hidden="true" />
        Tracedeck
      </div>
      <nav className="tabs" aria-label="Views">
        <button
          type="button"
          className={`tab${route.name === 'library' ? ' on' : ''}`}
          aria-current={route.name === 'library' ? 'page' : undefined}
          onClick={() => navigate(LIBRARY_HASH)}
        >
          Library
        </button>
        {route.name === 'trace' ? (
          <span className="tab on" aria-current="page">
            Trace
          </span>
        ) : null}
      </nav>
      <span className="spacer" />
      {importsCount > 0 ? (
        <button type="button" className="button ghost" onClick={onToggleImports}>
          Imports ({importsCount})
        </button>
      ) : null}
      <button type="button" className="button primary" onClick={onImport} data-testid="import-button">
        {importing ? <span className="spinner light" aria-hidden="true" /> : null}
        Import files…
      </button>
    </header>
  );
}
