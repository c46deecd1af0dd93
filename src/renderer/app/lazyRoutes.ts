import { lazy } from 'react';

/**
 * Every view but the library, loaded when first shown: the library is what the app opens on, and
 * evaluating the other views' modules (trace view, Markdown, d3 charts, the labelling and judge
 * screens) before it could paint cost about as much as painting it. Each view is its own chunk
 * (vite splits at these dynamic imports); the library preloads the trace view's once its first
 * page is on screen, so opening a trace does not wait for the download and evaluation.
 */
type TraceViewModule = typeof import('../trace/TraceViewRoute');
let traceViewModule: TraceViewModule | null = null;
const loadTraceView = () => import('../trace/TraceViewRoute').then((m) => (traceViewModule = m));

/**
 * Once its chunk is in (preloaded by the library), the trace view renders at its first try: a
 * resolved promise still makes React.lazy suspend that render, and React then holds the revealed
 * view back by its Suspense reveal throttle (300 ms), which opening a file or a library row waited
 * for. React.lazy takes any thenable; one that calls back at once resolves without suspending.
 */
export const TraceViewRoute = lazy(() => {
  const loaded = traceViewModule;
  if (!loaded) return loadTraceView().then((m) => ({ default: m.TraceViewRoute }));
  const now = { then: (resolve: (m: { default: TraceViewModule['TraceViewRoute'] }) => void) => resolve({ default: loaded.TraceViewRoute }) };
  return now as unknown as Promise<{ default: TraceViewModule['TraceViewRoute'] }>;
});
export const LabelsRoute = lazy(() => import('../labels/LabelsRoute').then((m) => ({ default: m.LabelsRoute })));
export const JudgesRoute = lazy(() => import('../judges/JudgesRoute').then((m) => ({ default: m.JudgesRoute })));
export const ScenariosRoute = lazy(() => import('../scenarios/ScenariosRoute').then((m) => ({ default: m.ScenariosRoute })));
export const CompareRouteView = lazy(() => import('../compare/CompareRouteView').then((m) => ({ default: m.CompareRouteView })));
export const SessionsRoute = lazy(() => import('../insights/SessionsRoute').then((m) => ({ default: m.SessionsRoute })));
export const OverviewView = lazy(() => import('../insights/OverviewView').then((m) => ({ default: m.OverviewView })));
export const ReplayView = lazy(() => import('../insights/ReplayView').then((m) => ({ default: m.ReplayView })));

/** Fetch and evaluate the trace view's chunk while nothing else is going on. */
export function preloadTraceView(): void {
  const start = () => void loadTraceView().catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 200);
}
