import { useEffect, useState } from 'react';
import type { TrajectoryView } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { trajectoryHash } from '../compare/routes';
import { FromTraceDialog } from '../scenarios/FromTraceDialog';
import { ratioText } from './TrajectoryOverlay';

/**
 * The trace header's trajectory entry: when a scenario attaches to the trace, its step /
 * tool-call / latency ratios at a glance, linking to the full overlay; and "Use as ideal
 * trajectory…" to make a scenario of this trace.
 */
export function TrajectoryChip({ traceId, traceName }: { traceId: string; traceName: string }) {
  const client = useClient();
  const [t, setT] = useState<TrajectoryView | null>(null);
  const [dialog, setDialog] = useState(false);

  useEffect(() => {
    let live = true;
    client.call('getTrajectory', { traceId }).then(
      (r) => live && setT(r.trajectory),
      () => undefined, // the header works without it; the overlay page shows the error
    );
    return () => {
      live = false;
    };
  }, [client, traceId]);

  const m = t?.metrics;
  return (
    <>
      <a
        className="link-button tv-traj"
        href={trajectoryHash(traceId)}
        data-testid="trajectory-link"
        title={t ? `Trajectory against scenario ${t.scenario.id}` : "Compare with a scenario's ideal trajectory"}
      >
        Trajectory
        {m ? (
          <span className="dim" data-testid="trajectory-chip">
            {' '}
            {m.correct ? '✓' : '✗'} steps {ratioText(m.stepRatio)}× · calls {ratioText(m.toolCallRatio)}× · latency {ratioText(m.latencyRatio)}×
          </span>
        ) : null}
      </a>
      <button type="button" className="link-button" onClick={() => setDialog(true)} data-testid="use-as-ideal">
        Use as ideal trajectory…
      </button>
      {dialog ? <FromTraceDialog traceId={traceId} traceName={traceName} onClose={() => setDialog(false)} /> : null}
    </>
  );
}
