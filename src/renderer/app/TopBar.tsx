import type { Route } from './router';
import { LIBRARY_HASH, navigate } from './router';

interface Props {
  route: Route;
  importing: boolean;
  onImport(): void;
  importsCount: number;
  onToggleImports(): void;
  /** null: the option is not offered (desktop). */
  keepBoth: boolean | null;
  onKeepBoth(v: boolean): void;
}

export function TopBar({ route, importing, onImport, importsCount, onToggleImports, keepBoth, onKeepBoth }: Props) {
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
          data-testid="tab-library"
        >
          Library
        </button>
        <button
          type="button"
          className={`tab${route.name === 'overview' ? ' on' : ''}`}
          aria-current={route.name === 'overview' ? 'page' : undefined}
          data-testid="tab-overview"
          onClick={() => navigate('#/overview')}
        >
          Overview
        </button>
        <button
          type="button"
          className={`tab${route.name === 'sessions' ? ' on' : ''}`}
          aria-current={route.name === 'sessions' ? 'page' : undefined}
          data-testid="tab-sessions"
          onClick={() => navigate('#/sessions')}
        >
          Sessions
        </button>
        <button
          type="button"
          className={`tab${route.name === 'labels' ? ' on' : ''}`}
          aria-current={route.name === 'labels' ? 'page' : undefined}
          data-testid="tab-labels"
          onClick={() => navigate('#/labels')}
        >
          Labels
        </button>
        <button
          type="button"
          className={`tab${route.name === 'judges' ? ' on' : ''}`}
          aria-current={route.name === 'judges' ? 'page' : undefined}
          data-testid="tab-judges"
          onClick={() => navigate('#/judges')}
        >
          Judges
        </button>
        <button
          type="button"
          className={`tab${route.name === 'scenarios' || route.name === 'trajectory' ? ' on' : ''}`}
          aria-current={route.name === 'scenarios' ? 'page' : undefined}
          data-testid="tab-scenarios"
          onClick={() => navigate('#/scenarios')}
        >
          Scenarios
        </button>
        <button
          type="button"
          className={`tab${route.name === 'versions' || route.name === 'compare-pair' ? ' on' : ''}`}
          aria-current={route.name === 'versions' ? 'page' : undefined}
          data-testid="tab-versions"
          onClick={() => navigate('#/versions')}
        >
          Versions
        </button>
        <button
          type="button"
          className={`tab${route.name === 'diff' ? ' on' : ''}`}
          aria-current={route.name === 'diff' ? 'page' : undefined}
          data-testid="tab-diff"
          onClick={() => navigate('#/diff')}
        >
          Diff
        </button>
        {route.name === 'trace' || route.name === 'replay' ? (
          <span className="tab on" aria-current="page">
            {route.name === 'replay' ? 'Replay' : 'Trace'}
          </span>
        ) : null}
      </nav>
      <span className="spacer" />
      {importsCount > 0 ? (
        <button type="button" className="button ghost" onClick={onToggleImports}>
          Imports ({importsCount})
        </button>
      ) : null}
      {keepBoth === null ? null : (
      <label
        className="import-option"
        title="When a file holds a trace id already stored from another file: keep the stored trace and store the new copy as ID#2 (otherwise it is replaced, with a warning)"
      >
        <input type="checkbox" checked={keepBoth} onChange={(e) => onKeepBoth(e.currentTarget.checked)} data-testid="keep-both" />
        keep both
      </label>
      )}
      <button type="button" className="button primary" onClick={onImport} data-testid="import-button">
        {importing ? <span className="spinner light" aria-hidden="true" /> : null}
        Import files…
      </button>
    </header>
  );
}
