import { useEffect, useRef } from 'react';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import type { SaturationView } from '../../shared/api';

const MARGIN = { top: 22, right: 16, bottom: 28, left: 34 };
const HEIGHT = 240;

/**
 * The saturation curve (d3): distinct failure modes (y) against traces reviewed in review order
 * (x), as a step line; a dot where a trace brought a new mode (its title names them); a dashed
 * line at the review target. Drawn into an SVG with d3-scale and d3-selection; mode names are set
 * as text content only.
 */
export function SaturationChart({ view }: { view: SaturationView }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = ref.current;
    if (!svg) return;
    const draw = () => {
      const width = Math.max(240, svg.clientWidth || 600);
      const root = select(svg);
      root.selectAll('*').remove();
      root.attr('viewBox', `0 0 ${width} ${HEIGHT}`);
      const xMax = Math.max(view.target, view.reviewed, 1);
      const yMax = Math.max(1, ...view.curve.map((p) => p.modes));
      const x = scaleLinear().domain([0, xMax]).range([MARGIN.left, width - MARGIN.right]);
      const y = scaleLinear().domain([0, yMax]).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top]);

      const xAxis = root.append('g').attr('class', 'axis x');
      xAxis.append('line').attr('x1', x(0)).attr('x2', x(xMax)).attr('y1', y(0)).attr('y2', y(0));
      for (const t of x.ticks(Math.min(10, Math.floor(width / 60)))) {
        xAxis.append('line').attr('x1', x(t)).attr('x2', x(t)).attr('y1', y(0)).attr('y2', y(0) + 4);
        xAxis.append('text').attr('x', x(t)).attr('y', y(0) + 15).attr('text-anchor', 'middle').text(String(t));
      }
      xAxis.append('text').attr('x', x(xMax)).attr('y', HEIGHT - 2).attr('text-anchor', 'end').text('traces reviewed');
      const yAxis = root.append('g').attr('class', 'axis y');
      yAxis.append('line').attr('x1', x(0)).attr('x2', x(0)).attr('y1', y(0)).attr('y2', MARGIN.top);
      for (const t of y.ticks(Math.min(yMax, 6)).filter(Number.isInteger)) {
        yAxis.append('line').attr('x1', x(0) - 4).attr('x2', x(0)).attr('y1', y(t)).attr('y2', y(t));
        yAxis.append('text').attr('x', x(0) - 7).attr('y', y(t) + 3).attr('text-anchor', 'end').text(String(t));
      }
      yAxis.append('text').attr('x', 2).attr('y', 10).text('failure modes');

      root
        .append('line')
        .attr('class', 'target')
        .attr('x1', x(view.target))
        .attr('x2', x(view.target))
        .attr('y1', y(0))
        .attr('y2', MARGIN.top);

      // A step line: the count holds until the next reviewed trace.
      let d = `M${x(0)},${y(0)}`;
      for (const p of view.curve) d += `H${x(p.reviewed)}V${y(p.modes)}`;
      root.append('path').attr('class', 'curve').attr('d', d).attr('data-testid', 'saturation-curve');
      root
        .append('g')
        .selectAll('circle')
        .data(view.curve.filter((p) => p.newModes.length > 0))
        .join('circle')
        .attr('class', 'new-mode')
        .attr('data-testid', 'new-mode-dot')
        .attr('cx', (p) => x(p.reviewed))
        .attr('cy', (p) => y(p.modes))
        .attr('r', 3.5)
        .append('title')
        .text((p) => `trace ${p.reviewed}: new ${p.newModes.join(', ')}`);
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(svg);
    return () => ro.disconnect();
  }, [view]);
  const modes = view.curve.at(-1)?.modes ?? 0;
  return (
    <svg
      ref={ref}
      className="ea-chart"
      role="img"
      aria-label={`Saturation: ${modes} failure mode${modes === 1 ? '' : 's'} over ${view.reviewed} reviewed trace${view.reviewed === 1 ? '' : 's'}`}
      data-testid="saturation-chart"
      data-points={view.curve.map((p) => p.modes).join(',')}
    />
  );
}
