import { useEffect, useRef } from 'react';
import type { TimelineController } from './TimelineController';

/** Minimap (whole trace, drag to zoom a range, drag the window to pan) and the time axis. */
export function TimelineHeader({ controller, onReset }: { controller: TimelineController; onReset?: () => void }) {
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
        <span className="tv-axis-actions">
          <button type="button" onClick={() => controller.fitVisibleRows()} title="Zoom to the rows on screen (v)">
            fit rows
          </button>
          <button type="button" onClick={() => (onReset ? onReset() : controller.resetZoom())} title="Show the whole trace (0)">
            reset
          </button>
        </span>
      </div>
    </div>
  );
}
