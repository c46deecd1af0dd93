import { describe, expect, it } from 'vitest';
import { buildBenchReport, renderBenchReportMarkdown } from '../../bench/report';

// The benchmark report layer (tests/bench/report.ts): figures from every bench side by side with
// their baselines, ratios and targets. Inputs are shaped like the benches' own `data`.

const at = '2026-01-01T00:00:00.000Z';
const machine = { node: 'v22', cpus: '2 × test', memoryGiB: 8 };
const MB = 1024 * 1024;

describe('bench report', () => {
  const report = buildBenchReport(
    {
      import: {
        at,
        machine,
        ok: true,
        data: [
          {
            label: '100k',
            spans: 100_000,
            fileBytes: 120 * MB,
            parse: { ok: true, ms: 1000, maxRssBytes: 600 * MB, rssBeforeBytes: 50 * MB },
            import: { ok: true, ms: 4000, maxRssBytes: 250 * MB, rssBeforeBytes: 70 * MB },
          },
        ],
      },
      judges: { at, machine, ok: true, data: { traces: 10_000, tracesPerSec: 2500, baselineTracesPerSec: 5000, live: { spans: 10_000, warmMedianMs: 150, baselineMedianMs: 30 }, targets: { tracesPerSec: 2000, liveMs: 100 } } },
      diff: {
        at,
        machine,
        ok: true,
        figures: [
          { id: 'diff.custom', label: 'custom diff figure', unit: 'ms', ours: 300, baseline: 100, baselineLabel: 'maps', better: 'lower', target: { on: 'ratio', op: '<=', value: 3 } },
        ],
      },
    },
    new Date(at),
  );
  const row = (id: string) => report.figures.find((f) => f.id === id)!;

  it('derives import figures: throughput vs JSON.parse, peak RSS, RSS growth against the 2× bound', () => {
    expect(row('import.100k.throughput')).toMatchObject({ ours: 30, baseline: 120, unit: 'MB/s', better: 'higher' });
    expect(row('import.100k.throughput').ratio).toBeCloseTo(0.25);
    expect(row('import.100k.peakRss')).toMatchObject({ ours: 250, baseline: 600 });
    expect(row('import.100k.rssGrowth')).toMatchObject({ ours: 180, baseline: 120, met: true });
    expect(row('import.100k.rssGrowth').ratio).toBeCloseTo(1.5);
  });

  it('checks targets on the value or on the ratio', () => {
    expect(row('judges.throughput')).toMatchObject({ ours: 2500, baseline: 5000, met: true });
    expect(row('judges.live')).toMatchObject({ ours: 150, met: false });
    expect(row('diff.custom')).toMatchObject({ ratio: 3, met: true }); // given figures win over derived ones
    expect(report.figures.some((f) => f.id === 'diff.runs')).toBe(false);
  });

  it('shows benches that did not run as not measured, never as met', () => {
    const tv = report.figures.filter((f) => f.bench === 'trace-view');
    expect(tv.length).toBeGreaterThan(0);
    expect(tv.every((f) => f.ours === null && f.met === null)).toBe(true);
    expect(report.benches['trace-view']).toMatchObject({ error: 'not run', at: null });
    expect(report.summary).toMatchObject({ met: 3, missed: 2, notMeasured: tv.length });
  });

  it('renders one Markdown table row per figure with ours, baseline, ratio, target and met', () => {
    const md = renderBenchReportMarkdown(report);
    const lines = md.split('\n');
    expect(lines).toContain('| figure | ours | baseline | ratio | target | met? |');
    const tableRows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| figure') && !l.startsWith('| bench') && /\|\s*(yes|\*\*NO\*\*|–|not measured)\s*\|$/.test(l));
    expect(tableRows.length).toBe(report.figures.length);
    expect(md).toContain('| code judge throughput, 10,000 stored traces (isolated workers, verdicts stored) | 2,500 traces/s | 5,000 traces/s (same judge in-process, no isolation, nothing stored) | 0.50× | ≥ 2,000 traces/s | yes |');
    expect(md).toContain('| custom diff figure | 300 ms | 100 ms (maps) | 3.00× | ratio ≤ 3× | yes |');
    expect(md).toMatch(/live re-run in the editor.*\| \*\*NO\*\* \|/);
  });
});
