import { useCallback, useEffect, useRef, useState } from 'react';
import type { SessionSort, SessionThread, SessionTotals, TraceQuery } from '../../shared/api';
import { SESSION_SORTS } from '../../shared/api';
import { useApiEvents, useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { formatCost, formatDuration, formatInteger, formatTimestamp, formatTokens } from '../util/format';
import { isEditableTarget } from '../util/keys';
import { showControls } from '../util/untrustedText';
import { useDebounced } from '../util/useDebounced';
import { currentLibraryFilter, openLibraryWith } from '../library/libraryLink';
import { StatusBadge } from '../library/StatusBadge';
import { sessionHash } from './routes';
import './insights.css';

/** Sessions page: every session with its totals; a session opens as a thread of its turns. */
export function SessionsRoute({ sessionId }: { sessionId: string | null }) {
  return sessionId === null ? <SessionList /> : <ThreadView key={sessionId} sessionId={sessionId} />;
}

const SORT_LABELS: Record<SessionSort, string> = {
  recent: 'Most recent',
  turns: 'Most turns',
  duration: 'Longest',
  tokens: 'Most tokens',
  cost: 'Most cost',
  errors: 'Most errors',
};

/** The list's state survives opening a thread and coming back. */
const listState = { search: '', sort: 'recent' as SessionSort, selected: 0, useFilter: false };

function SessionList() {
  const client = useClient();
  const [search, setSearch] = useState(listState.search);
  const [sort, setSort] = useState<SessionSort>(listState.sort);
  const [rows, setRows] = useState<SessionTotals[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState(listState.selected);
  // Totals over the turns the library's current filter keeps (when it has one).
  const [libFilter] = useState(() => currentLibraryFilter());
  const [useFilter, setUseFilter] = useState(listState.useFilter && libFilter.active > 0);
  const filterKey = useFilter ? JSON.stringify(libFilter.query) : '';
  const [version, setVersion] = useState(0);
  const q = useDebounced(search, 120);
  const listRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useApiEvents((e) => {
    if (e.type === 'traces-changed') setVersion((v) => v + 1);
  });
  useEffect(() => {
    let live = true;
    const filter = filterKey ? (JSON.parse(filterKey) as TraceQuery) : undefined;
    client.call('listSessions', { search: q || undefined, sort, limit: 1000, ...(filter ? { filter } : {}) }).then(
      (r) => {
        if (!live) return;
        setRows(r.rows);
        setTotal(r.total);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, q, sort, version, filterKey]);
  useEffect(() => {
    Object.assign(listState, { search, sort, selected, useFilter });
  }, [search, sort, selected, useFilter]);

  const n = rows?.length ?? 0;
  const open = useCallback((s: SessionTotals | undefined) => s && navigate(sessionHash(s.sessionId)), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/' && !isEditableTarget(e.target)) {
        e.preventDefault();
        searchRef.current?.focus();
        return;
      }
      if (isEditableTarget(e.target)) return;
      if (e.key === 'j' || e.key === 'ArrowDown') setSelected((s) => Math.min(n - 1, s + 1));
      else if (e.key === 'k' || e.key === 'ArrowUp') setSelected((s) => Math.max(0, s - 1));
      else if (e.key === 'Enter' || e.key === 'o') {
        if ((e.target as HTMLElement | null)?.closest?.('button, a, select')) return;
        open(rows?.[selected]);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [n, rows, selected, open]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-row="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <div className="ins-page" data-testid="sessions-page">
      <header className="ins-head">
        <h1 className="ins-title">Sessions</h1>
        <span className="dim">Traces that share a session, conversation or thread id, each trace one turn.</span>
        <span className="spacer" />
        <input
          ref={searchRef}
          className="ins-input"
          placeholder="Session id contains…  (/)"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' || e.key === 'Enter') listRef.current?.focus();
          }}
          aria-label="Search sessions"
          data-testid="sessions-search"
        />
        <label className="import-option" title={libFilter.active ? 'Count only the turns the library filter keeps' : 'The library has no filter on'}>
          <input
            type="checkbox"
            checked={useFilter}
            disabled={libFilter.active === 0}
            onChange={(e) => setUseFilter(e.currentTarget.checked)}
            data-testid="sessions-use-filter"
          />
          library filter{libFilter.active ? ` (${libFilter.active})` : ''}
        </label>
        <select className="ins-input" value={sort} onChange={(e) => setSort(e.currentTarget.value as SessionSort)} aria-label="Sort sessions">
          {SESSION_SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </header>
      {error ? (
        <div className="text-error pad" role="alert">
          {error}
        </div>
      ) : null}
      {rows && rows.length === 0 ? (
        <div className="empty-state">
          <div className="empty-title">{q ? 'No session id matches' : 'No sessions'}</div>
          <p className="dim">
            A trace joins a session when its file names one: OTel <code>session.id</code> or <code>gen_ai.conversation.id</code>,
            Langfuse <code>sessionId</code>, LangSmith <code>thread_id</code> / <code>session_id</code> metadata, Claude Code,
            Codex and Gemini CLI session ids.
          </p>
        </div>
      ) : null}
      {rows && rows.length ? (
        <div className="ins-table-wrap" ref={listRef} tabIndex={-1} role="listbox" aria-label="Sessions" data-testid="sessions-list">
          <table className="ins-table">
            <thead>
              <tr>
                <th>Session</th>
                <th>First turn</th>
                <th className="num">Turns</th>
                <th>Last activity</th>
                <th className="num">Duration</th>
                <th className="num">Tokens</th>
                <th className="num">Cost</th>
                <th className="num">Tool calls</th>
                <th className="num">Tool errors</th>
                <th className="num">Failed turns</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s, i) => (
                <tr
                  key={s.sessionId}
                  data-row={i}
                  className={i === selected ? 'sel' : undefined}
                  aria-selected={i === selected}
                  onClick={() => setSelected(i)}
                  onDoubleClick={() => open(s)}
                  data-testid="session-row"
                >
                  <td className="mono ins-id">
                    <a
                      href={sessionHash(s.sessionId)}
                      className="ins-link untrusted"
                      onClick={(e) => {
                        e.preventDefault();
                        open(s);
                      }}
                    >
                      {showControls(s.sessionId)}
                    </a>
                  </td>
                  <td className="ins-clip untrusted" title={s.firstName}>
                    {showControls(s.firstName)}
                  </td>
                  <td className="num">{formatInteger(s.turns)}</td>
                  <td>{formatTimestamp(s.lastEndMs ?? s.firstStartMs)}</td>
                  <td className="num">{formatDuration(s.durationMs)}</td>
                  <td className="num">{formatTokens(s.inputTokens, s.outputTokens)}</td>
                  <td className="num">{formatCost(s.costUsd)}</td>
                  <td className="num">{formatInteger(s.toolCalls)}</td>
                  <td className={`num${s.toolErrors ? ' bad' : ''}`}>{formatInteger(s.toolErrors)}</td>
                  <td className={`num${s.failedTurns ? ' bad' : ''}`}>{formatInteger(s.failedTurns)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <footer className="ins-foot dim">
        {rows ? `${formatInteger(total)} session${total === 1 ? '' : 's'}` : 'Loading…'} · <kbd>/</kbd> search <kbd>j</kbd>
        <kbd>k</kbd> move <kbd>↵</kbd> open
      </footer>
    </div>
  );
}

function ThreadView({ sessionId }: { sessionId: string }) {
  const client = useClient();
  const [thread, setThread] = useState<SessionThread | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    client.call('getSession', { sessionId }).then(setThread, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [client, sessionId]);
  useEffect(() => {
    if (thread) first.current?.focus();
  }, [thread]);

  if (error) return <div className="text-error pad" role="alert">{error}</div>;
  if (thread === undefined) return <div className="dim pad">Loading session…</div>;
  if (thread === null)
    return (
      <div className="empty-state">
        <div className="empty-title">No trace has this session id</div>
        <div className="mono dim untrusted">{showControls(sessionId)}</div>
      </div>
    );
  const t = thread.totals;
  return (
    <div className="ins-page" data-testid="thread-view">
      <header className="ins-head">
        <button type="button" className="button ghost" onClick={() => navigate(sessionHash(null))} title="All sessions (Backspace)">
          ← Sessions
        </button>
        <h1 className="ins-title">
          Session <span className="mono untrusted">{showControls(t.sessionId)}</span>
        </h1>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          data-testid="session-in-library"
          onClick={() => openLibraryWith({ label: `Session ${t.sessionId}`, query: { sessionId: t.sessionId }, keepFilters: false })}
        >
          Show turns in library
        </button>
      </header>
      <dl className="ins-totals" data-testid="thread-totals">
        <Total label="Turns" value={formatInteger(t.turns)} />
        <Total label="Duration" value={formatDuration(t.durationMs)} title="First turn's start to the last turn's end" />
        <Total label="Tokens" value={formatTokens(t.inputTokens, t.outputTokens)} />
        <Total label="Cost" value={formatCost(t.costUsd)} />
        <Total label="Tool calls" value={formatInteger(t.toolCalls)} />
        <Total label="Tool errors" value={formatInteger(t.toolErrors)} bad={t.toolErrors > 0} />
        <Total label="Failed turns" value={formatInteger(t.failedTurns)} bad={t.failedTurns > 0} />
        <Total label="Started" value={formatTimestamp(t.firstStartMs)} />
      </dl>
      <ol className="ins-thread" aria-label="Turns">
        {thread.turns.map((u, i) => (
          <li key={u.traceId} className={`ins-turn${u.status === 'error' ? ' failed' : ''}`}>
            <button
              ref={i === 0 ? first : undefined}
              type="button"
              className="ins-turn-open"
              data-testid="turn"
              onClick={() => navigate(traceHash(u.traceId))}
              onKeyDown={(e) => {
                const items = Array.from(e.currentTarget.closest('ol')!.querySelectorAll<HTMLButtonElement>('.ins-turn-open'));
                const k = items.indexOf(e.currentTarget);
                if (e.key === 'j' || e.key === 'ArrowDown') items[Math.min(items.length - 1, k + 1)]?.focus();
                else if (e.key === 'k' || e.key === 'ArrowUp') items[Math.max(0, k - 1)]?.focus();
                else if (e.key === 'Backspace') navigate(sessionHash(null));
                else return;
                e.preventDefault();
              }}
              title="Open this turn's trace (Enter)"
            >
              <div className="ins-turn-head">
                <span className="ins-turn-n">Turn {i + 1}</span>
                <StatusBadge status={u.status} errors={u.errorSpans} />
                <span className="dim">{formatTimestamp(u.startMs)}</span>
                <span className="spacer" />
                <span className="ins-turn-facts">
                  {formatDuration(u.durationMs)} · {formatTokens(u.inputTokens, u.outputTokens)} tokens · {formatInteger(u.llmCalls)} LLM ·{' '}
                  {formatInteger(u.toolCalls)} tools
                  {u.toolErrors ? <span className="bad"> ({formatInteger(u.toolErrors)} failed)</span> : null}
                  {u.costUsd !== null ? ` · ${formatCost(u.costUsd)}` : ''}
                </span>
              </div>
              <div className="ins-turn-msg user untrusted">
                <span className="ins-role">input</span>
                {u.input !== null ? showControls(u.input) : <span className="dim">{showControls(u.name)}</span>}
              </div>
              {u.output !== null ? (
                <div className="ins-turn-msg assistant untrusted">
                  <span className="ins-role">output</span>
                  {showControls(u.output)}
                </div>
              ) : null}
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

function Total({ label, value, title, bad }: { label: string; value: string; title?: string; bad?: boolean }) {
  return (
    <div title={title}>
      <dt>{label}</dt>
      <dd className={bad ? 'bad' : undefined}>{value}</dd>
    </div>
  );
}
