import type { TraceMetrics, TraceSummary } from '../../shared/api';
import { formatCost, formatDuration, formatInteger, formatTokens, hasTokenUsage } from '../util/format';

/** Operational metrics of the trace; until the analysis arrives, what the trace summary knows. */
export function MetricsBar({ metrics, summary }: { metrics: TraceMetrics | null; summary: TraceSummary }) {
  const m = metrics;
  const llm = m?.llmCalls ?? summary.llmCalls;
  const tools = m?.toolCalls ?? summary.toolCalls;
  const fails = m?.toolFailures ?? summary.toolErrors;
  const ratio = tools > 0 ? fails / tools : null;
  const inTok = m?.inputTokens ?? summary.inputTokens;
  const outTok = m?.outputTokens ?? summary.outputTokens;
  const cost = m ? m.costUsd : summary.costUsd;
  const latency = m?.latencyMs ?? summary.durationMs;
  const items: { label: string; value: string; title?: string; tone?: 'error'; testId: string }[] = [
    {
      label: 'Steps',
      value: m ? formatInteger(m.steps) : '…',
      title: 'Model turns: an LLM call with the tool calls it requested (a retried failed call counts once)',
      testId: 'metric-steps',
    },
    { label: 'LLM calls', value: formatInteger(llm), testId: 'metric-llm' },
    { label: 'Tool calls', value: formatInteger(tools), testId: 'metric-tools' },
    {
      label: 'Tool failures',
      value: `${formatInteger(fails)}${ratio !== null ? ` · ${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)}%` : ''}`,
      tone: fails > 0 ? 'error' : undefined,
      title: m ? `${m.toolRetries} retried` : undefined,
      testId: 'metric-tool-failures',
    },
    {
      label: 'Tokens',
      value: formatTokens(inTok, outTok),
      title: hasTokenUsage(inTok, outTok) ? `${formatInteger(inTok)} input / ${formatInteger(outTok)} output` : 'no token usage recorded',
      testId: 'metric-tokens',
    },
    { label: 'Cost', value: formatCost(cost), testId: 'metric-cost' },
    {
      label: 'Latency',
      value: formatDuration(latency),
      title: m ? `LLM time ${formatDuration(m.llmTimeMs)} · tool time ${formatDuration(m.toolTimeMs)}` : undefined,
      testId: 'metric-latency',
    },
    { label: 'Spans', value: formatInteger(summary.spanCount), testId: 'metric-spans' },
  ];
  return (
    <div className="tv-metrics" data-testid="metrics-bar">
      {items.map((it) => (
        <div key={it.label} className={`tv-metric${it.tone ? ` ${it.tone}` : ''}`} title={it.title} data-testid={it.testId}>
          <span className="tv-metric-label">{it.label}</span>
          <span className="tv-metric-value">{it.value}</span>
        </div>
      ))}
    </div>
  );
}
