import { lazy } from 'react';

/**
 * Every view but the library, loaded when first shown: the library is what the app opens on, and
 * evaluating the other views' modules (trace view, Markdown, d3 charts, the labelling and judge
 * screens) before it could paint cost about as much as painting it. Each view is its own chunk
 * (vite splits at these dynamic imports); the library preloads the trace view's once its first
 * page is on screen, so opening a trace does not wait for the download and evaluation.
 */
const loadTraceView = () => import('../trace/TraceViewRoute');

export const TraceViewRoute = lazy(() => loadTraceView().then((m) => ({ default: m.TraceViewRoute })));
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
