import { navigate, traceHash } from '../app/router';
import { TrajectoryOverlay } from '../trace/TrajectoryOverlay';
import { trajectoryHash, type CompareRoute } from './routes';
import './compare.css';

type Route = Extract<CompareRoute, { name: 'trajectory' }>;

/** #/trace/:id/trajectory — the trajectory overlay as a page, with a way back to the trace. */
export function TrajectoryRoute({ route }: { route: Route }) {
  return (
    <div className="cmp-page" data-testid="trajectory-route">
      <header className="cmp-header">
        <button type="button" className="link-button" onClick={() => navigate(traceHash(route.traceId))}>
          ← Trace
        </button>
        <h1 className="cmp-title">Trajectory</h1>
        <span className="mono dim">{route.traceId}</span>
      </header>
      <div className="cmp-scroll">
        <TrajectoryOverlay
          traceId={route.traceId}
          scenarioId={route.scenarioId}
          onScenarioChange={(id) => navigate(trajectoryHash(route.traceId, id))}
        />
      </div>
    </div>
  );
}
