import { useEffect, useRef } from 'react';
import type { TimelineController } from './TimelineController';

/** Minimap (whole trace, drag to zoom a range, drag the window to pan) and the time axis. */
export function TimelineHeader({ controller, onReset }: { controller: TimelineController; onReset(): void }) {
  const axis = useRef<HTMLCanvasElement>(null);
  const minimap = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    controller.attachHeader(axis.current, minimap.current);
    return () => controller.attachHeader(null, null);
  }, [controller]);
  return (
    <div className="tv-timeline-head">
      <canvas
        ref={minimap}
        className="tv-minimap"
        data-testid="minimap"
        title="Drag to zoom into a range · drag the window to pan · double-click to reset"
      />
      <div className="tv-axis-row">
        <canvas ref={axis} className="tv-axis" />
        <button type="button" className="tv-reset" onClick={onReset} title="Reset zoom (0)">
          reset
        </button>
      </div>
    </div>
  );
}
