import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes one OTLP/JSON trace whose spans each carry one very long string attribute, streamed to
 * disk (the file can be larger than is wise to hold as one string). Span 0 is the root; spans
 * 1..n-1 are its children. Attribute `payload` of span i is `valueChars` copies of letter
 * 'a' + (i % 26), so a reader can tell spans apart and count characters.
 */
export async function writeBigValueTrace(path: string, o: { spans: number; valueChars: number; traceId?: string }): Promise<string> {
  const traceId = o.traceId ?? 'b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1';
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"big-values"}}]},"scopeSpans":[{"scope":{"name":"gen"},"spans":[');
  for (let i = 0; i < o.spans; i++) {
    const spanId = (i + 1).toString(16).padStart(16, '0');
    const start = 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n;
    const span = {
      traceId,
      spanId,
      ...(i > 0 ? { parentSpanId: '0000000000000001' } : {}),
      name: i === 0 ? 'root' : `step ${i}`,
      kind: 1,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 500_000n),
      attributes: [{ key: 'payload', value: { stringValue: '\u0000' } }],
      status: { code: 1 },
    };
    // The long value is spliced in as text: the span object never holds it.
    const [head, tail] = JSON.stringify(span).split('\\u0000');
    await write((i ? ',' : '') + head);
    const letter = String.fromCharCode(97 + (i % 26));
    const chunk = letter.repeat(64 * 1024);
    let left = o.valueChars;
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      await write(n === chunk.length ? chunk : chunk.slice(0, n));
      left -= n;
    }
    await write(tail!);
  }
  await write(']}]}]}');
  out.end();
  await once(out, 'finish');
  return traceId;
}
