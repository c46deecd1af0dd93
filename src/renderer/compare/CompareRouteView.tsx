import { SideBySide } from './SideBySide';
import { TrajectoryRoute } from './TrajectoryRoute';
import { VerdictDiffView } from './VerdictDiffView';
import { VersionsView } from './VersionsView';
import type { CompareRoute } from './routes';

/** The compare views, one per route (see routes.ts). */
export function CompareRouteView({ route }: { route: CompareRoute }) {
  switch (route.name) {
    case 'diff':
      return <VerdictDiffView route={route} />;
    case 'versions':
      return <VersionsView route={route} />;
    case 'compare-pair':
      return <SideBySide key={`${route.a}\u0000${route.b}`} route={route} />;
    case 'trajectory':
      return <TrajectoryRoute key={route.traceId} route={route} />;
  }
}
