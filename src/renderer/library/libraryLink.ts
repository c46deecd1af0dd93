import type { TraceQuery } from '../../shared/api';
import { LIBRARY_HASH, navigate } from '../app/router';

/**
 * How other views open the library on a set of traces (an Overview bar, a session's turns) and
 * read the library's current filter. The library stays mounted while other routes show, so it
 * takes the request as an event; the chip it shows names what selected the traces.
 */

/** Extra conditions on top of (or instead of) the filter bar's. */
export interface LibraryDrill {
  /** What the user clicked, e.g. "Latency 1s – 2s" (shown on the chip). */
  label: string;
  query: TraceQuery;
  /** false: clear the filter bar first (the traces were counted over the whole library). */
  keepFilters: boolean;
}

const DRILL_EVENT = 'tracedeck:library-drill';
let pending: LibraryDrill | null = null;
let current: { query: TraceQuery; active: number } = { query: {}, active: 0 };

export function openLibraryWith(drill: LibraryDrill): void {
  pending = drill;
  window.dispatchEvent(new Event(DRILL_EVENT));
  navigate(LIBRARY_HASH);
}

/** The library takes the drill that was asked for (once). */
export function takeLibraryDrill(): LibraryDrill | null {
  const d = pending;
  pending = null;
  return d;
}

export function onLibraryDrill(listener: () => void): () => void {
  window.addEventListener(DRILL_EVENT, listener);
  return () => window.removeEventListener(DRILL_EVENT, listener);
}

/** The library reports its filter (without sort and paging) and how many filters are on. */
export function setCurrentLibraryFilter(query: TraceQuery, active: number): void {
  const { sort: _s, dir: _d, limit: _l, offset: _o, ...filter } = query;
  current = { query: filter, active };
}

export function currentLibraryFilter(): { query: TraceQuery; active: number } {
  return current;
}

/** A drill's conditions added to the filter bar's: ranges add up, other keys are the drill's. */
export function withDrill(base: TraceQuery, drill: LibraryDrill | null): TraceQuery {
  if (!drill) return base;
  const q: TraceQuery = { ...base, ...drill.query };
  if (base.ranges?.length || drill.query.ranges?.length) q.ranges = [...(base.ranges ?? []), ...(drill.query.ranges ?? [])];
  return q;
}
