// Baseline for the import, as a whole process like `tracedeck import`: Node reads the OTLP/JSON
// file, JSON.parse-s it and walks it counting spans. Plain JavaScript (no tsx), so the process
// pays only Node's own start. Prints {readMs, parseMs, spans, maxRssBytes} on stdout.
import { readFileSync } from 'node:fs';

const t0 = performance.now();
const text = readFileSync(process.argv[2], 'utf8');
const t1 = performance.now();
const doc = JSON.parse(text);
const t2 = performance.now();
let spans = 0;
for (const rs of doc.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
process.stdout.write(
  `${JSON.stringify({ readMs: t1 - t0, parseMs: t2 - t1, spans, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
);
