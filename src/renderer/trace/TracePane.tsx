import { useEffect, type ReactNode } from 'react';
import { SpanTree, type SpanTreeProps } from './SpanTree';
import { TimelineHeader } from './timeline/TimelineHeader';

export interface TracePaneProps extends SpanTreeProps {
  /** Controls above the column heads (the trace view's expand / collapse tools). */
  headControls?: ReactNode;
  /** Drag handle between tree and timeline; without it the splitter is fixed. */
  onSplitterDown?(e: React.PointerEvent): void;
  /** "reset" on the time axis (side by side resets both panes). */
  onResetZoom?(): void;
  /** Rows holding the first-failure mark of open coding (a flag on their timeline bar). */
  firstFailure?: Uint8Array | null;
}

/**
 * One trace as tree + timeline: column heads, minimap and axis, the virtualised span tree with
 * its canvas, and the timeline fed with the same state. Used by the trace view and by each pane
 * of the side-by-side comparison.
 */
export function TracePane({ headControls, onSplitterDown, onResetZoom, firstFailure = null, ...tree }: TracePaneProps) {
  const { controller, model, visible, collapsed, selected, highlight, critical, showCritical } = tree;
  useEffect(() => {
    controller.setState({ model, visible, collapsed, selected, highlight, critical, showCritical, firstFailure });
  }, [controller, model, visible, collapsed, selected, highlight, critical, showCritical, firstFailure]);
  return (
    <>
      <div className="tv-head" style={{ gridTemplateColumns: `${tree.treeWidth}px 4px minmax(0,1fr)` }}>
        <div className="tv-head-tree">
          {headControls}
          <div className="tv-colheads">
            <span className="tv-colhead name" />
            <span className="tv-colhead num">Duration</span>
            <span className="tv-colhead num">Tokens</span>
            <span className="tv-colhead num">Cost</span>
          </div>
        </div>
        <div
          className="tv-splitter"
          onPointerDown={onSplitterDown}
          role={onSplitterDown ? 'separator' : undefined}
          aria-orientation={onSplitterDown ? 'vertical' : undefined}
        />
        <TimelineHeader controller={controller} onReset={onResetZoom} />
      </div>
      {visible.rows.length === 0 ? <div className="tv-empty dim">No span matches the filter.</div> : null}
      <SpanTree {...tree} />
    </>
  );
}
