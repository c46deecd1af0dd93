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
