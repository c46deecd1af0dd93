import { useEffect, useState } from 'react';
import { parseCompareRoute, type CompareRoute } from '../compare/routes';
import { parseLabelsPath, type LabelsView } from '../labels/routes';
import { parseJudgesPath, type JudgesView } from '../judges/routes';
import { parseScenariosPath, type ScenariosView } from '../scenarios/routes';
import { parseInsightPath, type InsightRoute } from '../insights/routes';

export type Route =
  | { name: 'library' }
  | { name: 'trace'; traceId: string; spanId: string | null }
  | { name: 'not-found'; hash: string }
  | CompareRoute
  | { name: 'labels'; view: LabelsView }
  | { name: 'judges'; view: JudgesView }
  | { name: 'scenarios'; view: ScenariosView }
  | InsightRoute;

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** `#/`, `#/trace/:traceId`, `#/trace/:traceId/span/:spanId` (ids URI-encoded). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/' || path === '') return { name: 'library' };
  const compare = parseCompareRoute(path);
  if (compare) return compare;
  const labels = parseLabelsPath(path);
  if (labels) return { name: 'labels', view: labels };
  const judges = parseJudgesPath(path);
  if (judges) return { name: 'judges', view: judges };
  const scenarios = parseScenariosPath(path);
  if (scenarios) return { name: 'scenarios', view: scenarios };
  const insight = parseInsightPath(path);
  if (insight) return insight;
  const parts = path.split('/');
  // ['', 'trace', id] or ['', 'trace', id, 'span', spanId]
  if (parts[0] === '' && parts[1] === 'trace' && parts[2]) {
    const traceId = decode(parts[2]);
    if (traceId !== null && parts.length === 3) return { name: 'trace', traceId, spanId: null };
    if (traceId !== null && parts.length === 5 && parts[3] === 'span' && parts[4]) {
      const spanId = decode(parts[4]);
      if (spanId !== null) return { name: 'trace', traceId, spanId };
    }
  }
  return { name: 'not-found', hash: path };
}

/**
 * Ids are opaque, untrusted strings: they only ever go through encodeURIComponent into the
 * fragment of our own document, never into a path, host or query.
 */
export function traceHash(traceId: string, spanId?: string | null): string {
  const base = `#/trace/${encodeURIComponent(traceId)}`;
  return spanId ? `${base}/span/${encodeURIComponent(spanId)}` : base;
}

export const LIBRARY_HASH = '#/';

/** Fired by navigate() at once; `hashchange` comes a task later, and only for changes from outside. */
const ROUTE_EVENT = 'tracedeck:route';

export function navigate(hash: string): void {
  if (window.location.hash === hash) return;
  window.location.hash = hash;
  // Views that keep state in the URL (selected span, versions A/B) render the new state in this
  // same event: waiting for `hashchange` would let React put a controlled input back first.
  window.dispatchEvent(new Event(ROUTE_EVENT));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    // navigate() reports a change at once and `hashchange` reports it again a task later: keep
    // the current route object when nothing in it changed, so views see each change once.
    const onChange = () => {
      const next = parseRoute(window.location.hash);
      setRoute((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    };
    window.addEventListener('hashchange', onChange);
    window.addEventListener(ROUTE_EVENT, onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
      window.removeEventListener(ROUTE_EVENT, onChange);
    };
  }, []);
  return route;
}
