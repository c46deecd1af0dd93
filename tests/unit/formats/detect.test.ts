import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FormatId } from '../../../src/core/model/types';
import { detectFormat, sniffAll } from '../../../src/core/formats/registry';
import { fixture } from '../../helpers/workspace';

/** The first 64 KiB, gunzipped when gzip: what the import pipeline hands to sniff(). */
function head(rel: string): Buffer {
  let buf = readFileSync(fixture(rel));
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  return buf.subarray(0, 64 * 1024);
}

/** [fixture path, expected format]. One row per fixture; add yours. */
const CASES: [string, FormatId][] = [
  // OpenTelemetry family
  ['otlp-json/otel-proto-example-trace.json', 'otlp-json'],
  ['otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json', 'otlp-json'],
  ['otlp-json/jaeger-apiv3-GetTrace-snapshot-result-wrapped.json', 'otlp-json'],
  // single-span attribute maps (not OTLP envelopes) are read by the OpenInference importer
  ['otlp-json/otel-genai-flat-attrs-client-span-tool-calls.json', 'openinference'],
  ['otlp-json/otel-genai-flat-attrs-execute-tool-span.json', 'openinference'],
  ['openinference/openinference-flat-attrs-llm-tool-calls.json', 'openinference'],
  ['openinference/phoenix-rest-spans-agent-turn-tools-error.json', 'openinference'],
  ['vercel-ai-sdk/vercel-ai-sdk-v6-otel-js-readablespans-all.json', 'otel-js-spans'],
  // Other formats, one row per fixture
  ['chrome-trace/hta-pytorch-profiler-backward-thread-excerpt.json', 'chrome-trace'],
  ['chrome-trace/hta-pytorch-profiler-cpu-only-rank-34.pt.trace.json.gz', 'chrome-trace'],
  ['claude-code/cc-spotter-session-with-task-subagent.jsonl', 'claude-code'],
  ['claude-code/cc-spotter-short-tool-errors.jsonl', 'claude-code'],
  ['claude-code/cc-spotter-subagents-agent-a881341.jsonl', 'claude-code'],
  ['claude-code/cc-spotter-subagents-agent-acompact-fffbd0.jsonl', 'claude-code'],
  ['inspect-ai/inspect-browser-agent-tools.json', 'inspect-ai'],
  ['inspect-ai/inspect-message-dedup-tools.eval', 'inspect-ai'],
  ['inspect-ai/inspect-popularity-10samples.eval', 'inspect-ai'],
  ['inspect-ai/inspect-security-guide-3samples.json', 'inspect-ai'],
  ['inspect-ai/inspect-tool-call-error-v2-messages-only.json', 'inspect-ai'],
  ['langfuse/langfuse-claude-agent-2025-12-22.trace.json', 'langfuse'],
  ['langfuse/langfuse-langgraph-python-2025-08-22.trace.json', 'langfuse'],
  ['langfuse/langfuse-openai-agents-2025-09-30.trace.json', 'langfuse'],
  ['langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json', 'langfuse'],
  ['langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json', 'langfuse'],
  ['langsmith/handmade-langsmith-python-run-ops.jsonl', 'langsmith'],
  ['langsmith/langsmith-js-batch-post-patch-wrap-openai-default.json', 'langsmith'],
  ['langsmith/langsmith-js-batch-post-patch-wrap-openai-reasoning.json', 'langsmith'],
  ['langsmith/langsmith-js-batch-post-patch-wrap-openai-stream.json', 'langsmith'],
  ['mlflow/handmade-mlflow2-trace.json', 'mlflow'],
  ['mlflow/handmade-mlflow3-trace.json', 'mlflow'],
  ['jaeger-json/jaeger-ui-download-2992f2a5-follows-from.json', 'jaeger-json'],
  ['jaeger-json/jaeger-ui-genai-test-trace.json', 'jaeger-json'],
  ['zipkin-json/zipkin-lens-yelp.json', 'zipkin-json'],
  ['zipkin-json/zipkin-lens-messaging-kafka.json', 'zipkin-json'],
  ['swe-agent/6e44b9__sweagenttestrepo-1c2844.traj', 'swe-agent'],
  ['swe-agent/marshmallow-code__marshmallow-1867.function-calling.traj', 'swe-agent'],
  ['gemini-cli/session-2025-12-01T21-45-5b959dae.json', 'gemini-cli'],
  ['gemini-cli/session-2026-01-16T11-01-file-ops-37b7abef.json', 'gemini-cli'],
  ['codex-cli/rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl', 'codex-cli'],
  ['codex-cli/handmade-codex-legacy-rollout-2025-08-20.jsonl', 'codex-cli'],
  ['openhands/openhands-replay-basic_gui_mode.json', 'openhands'],
  ['openhands/openhands-replay-basic.json', 'openhands'],
];

describe('format detection', () => {
  it.each(CASES)('%s → %s', (rel, format) => {
    const h = head(rel);
    const found = detectFormat(rel.split('/').pop()!, h);
    expect(found?.importer.id).toBe(format);
    // the winner is clear: no other importer claims the file as strongly
    const [first, second] = sniffAll(rel, h);
    expect(first!.confidence).toBeGreaterThan(second!.confidence);
  });

  it('detects nothing in text that is no trace', () => {
    expect(detectFormat('notes.txt', Buffer.from('hello world\n'))).toBeNull();
    expect(detectFormat('empty.json', Buffer.from('{}'))).toBeNull();
  });
});
