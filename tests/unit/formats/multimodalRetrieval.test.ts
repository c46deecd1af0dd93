import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { normaliseMessage } from '../../../src/core/formats/common/messages';
import { retrievedDocuments } from '../../../src/core/formats/common/documents';
import { cleanBase64, imageSrc, inlineMedia, sniffImageType } from '../../../src/core/model/media';
import type { Span } from '../../../src/core/model/types';
import { fixture, importFixture } from '../../helpers/workspace';

// Media parts and retrieved documents, read through the importers from the two fixtures written
// for issue 15 (tests/fixtures/HANDMADE.md). Expected sizes were computed from the fixture's base64
// by hand: decoded bytes = length / 4 * 3 - padding.

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function spansOf(rel: string): Promise<Map<string, Span>> {
  const { ws, result, cleanup } = await importFixture(rel);
  cleanups.push(cleanup);
  expect(result.warnings).toEqual([]);
  return new Map(ws.getSpans(result.traceIds[0]!).map((s) => [s.name, s]));
}

/** The base64 payloads in the fixture, and their decoded sizes. */
function payloads() {
  const lf = JSON.parse(readFileSync(fixture('langfuse/handmade-langfuse-multimodal-retriever.trace.json'), 'utf8'));
  const openai = JSON.parse(lf.observations[2].input)[1].content;
  const anthropic = JSON.parse(lf.observations[3].input)[0].content;
  const gemini = JSON.parse(lf.observations[4].input)[0].parts;
  const size = (b64: string) => (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  return { openai, anthropic, gemini, size };
}

describe('multimodal message parts (Langfuse generations in OpenAI, Anthropic and Gemini shapes)', () => {
  it('OpenAI: data-URI image shown, remote URL kept as text, audio and file named with size and type', async () => {
    const spans = await spansOf('langfuse/handmade-langfuse-multimodal-retriever.trace.json');
    const { openai, size } = payloads();
    const user = spans.get('ChatOpenAI')!.inputMessages!.find((m) => m.role === 'user')!;
    expect(user.content).toBe('What does this receipt say about refunds? Also see the photo.');
    const png = (openai[1].image_url.url as string).split(',')[1]!;
    const wav = openai[3].input_audio.data as string;
    expect(user.media).toEqual([
      { kind: 'image', mimeType: 'image/png', bytes: size(png), data: png },
      { kind: 'image', ref: 'https://images.example.com/receipt-42.png', note: 'remote image: not fetched' },
      { kind: 'audio', mimeType: 'audio/wav', bytes: size(wav) },
      { kind: 'file', mimeType: 'application/pdf', name: 'policy.pdf', bytes: 136 },
    ]);
  });

  it('Anthropic: base64 JPEG shown; the SVG is refused as an image; the PDF document named', async () => {
    const spans = await spansOf('langfuse/handmade-langfuse-multimodal-retriever.trace.json');
    const { anthropic, size } = payloads();
    const media = spans.get('ChatAnthropic')!.inputMessages![0]!.media!;
    expect(media[0]).toEqual({ kind: 'image', mimeType: 'image/jpeg', bytes: size(anthropic[0].source.data), data: anthropic[0].source.data });
    expect(media[1]).toEqual({ kind: 'image', mimeType: 'image/svg+xml', bytes: size(anthropic[1].source.data), note: 'SVG is not shown from trace data' });
    expect(media[1]!.data).toBeUndefined();
    expect(media[2]).toEqual({ kind: 'file', mimeType: 'application/pdf', name: 'terms.pdf', bytes: 136 });
  });

  it('Gemini: inline WebP shown, malformed base64 refused, a gs:// video kept as a reference', async () => {
    const spans = await spansOf('langfuse/handmade-langfuse-multimodal-retriever.trace.json');
    const { gemini, size } = payloads();
    const msg = spans.get('ChatGoogleGenerativeAI')!.inputMessages![0]!;
    expect(msg.content).toBe('Compare these two pictures.');
    expect(msg.media).toEqual([
      { kind: 'image', mimeType: 'image/webp', bytes: size(gemini[1].inline_data.data), data: gemini[1].inline_data.data },
      { kind: 'image', mimeType: 'image/png', note: 'malformed base64: not shown' },
      { kind: 'video', mimeType: 'video/mp4', ref: 'gs://example-bucket/clip.mp4' },
    ]);
  });

  it('OpenInference flattened message_content images (OTLP): data URI shown, remote URL not fetched', async () => {
    const spans = await spansOf('otlp-json/handmade-multimodal-rag-openinference.json');
    const user = spans.get('ChatCompletion')!.inputMessages!.find((m) => m.role === 'user')!;
    expect(user.media!.map((p) => [p.kind, p.mimeType, p.data ? 'shown' : p.note])).toEqual([
      ['image', 'image/png', 'shown'],
      ['image', undefined, 'remote image: not fetched'],
    ]);
  });
});

describe('image checks (src/core/model/media.ts)', () => {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  it('sniffs the bytes, not the declared type', () => {
    expect(sniffImageType(png)).toBe('image/png');
    expect(sniffImageType(btoa('<svg onload="x"/>'))).toBeNull();
    // Declared PNG but the bytes are SVG: refused.
    expect(inlineMedia('image', 'image/png', btoa('<svg xmlns="http://www.w3.org/2000/svg"/>')).data).toBeUndefined();
    // Declared SVG but the bytes are PNG: still refused (the source says SVG).
    expect(inlineMedia('image', 'image/svg+xml', png).note).toBe('SVG is not shown from trace data');
  });
  it('rejects malformed and unpadded base64 and makes data URIs only of checked images', () => {
    expect(cleanBase64('abc')).toBeNull();
    expect(cleanBase64('ab!d')).toBeNull();
    expect(cleanBase64('QUJD\nREVG')).toBe('QUJDREVG');
    const ok = inlineMedia('image', 'image/png', png);
    expect(imageSrc(ok)).toBe(`data:image/png;base64,${png}`);
    expect(imageSrc({ ...ok, mimeType: 'image/svg+xml' })).toBeNull();
    expect(imageSrc({ ...ok, mimeType: 'image/jpeg' })).toBeNull();
    expect(imageSrc({ kind: 'image', ref: 'https://evil.example/x.png' })).toBeNull();
  });
  it('keeps a text part that only looks like media as text', () => {
    expect(normaliseMessage({ role: 'user', content: [{ type: 'text', text: 'data:image/png;base64,AAAA' }] }).media).toBeUndefined();
  });
});

describe('retrieved documents', () => {
  it('OpenInference retrieval.documents.*: id, content, score, metadata (parsed from its JSON string), in rank order', async () => {
    const spans = await spansOf('otlp-json/handmade-multimodal-rag-openinference.json');
    expect(spans.get('retrieve')!.documents).toEqual([
      { id: 'kb-refunds-001', content: 'Refunds: unused items may be returned within **30 days** of purchase with a receipt.', score: 0.913, metadata: { source: 'policy.md', section: 'Refunds', page: 2 } },
      { id: 'kb-giftcards-007', content: 'Gift cards cannot be refunded or exchanged for cash.', score: 0.774, metadata: { source: 'policy.md', section: 'Gift cards', page: 5 } },
      { id: 'kb-shipping-003', content: 'Return shipping is free for orders over $50.', score: 0.412, metadata: { source: 'shipping.md', section: 'Returns' } },
    ]);
  });

  it('a Langfuse RETRIEVER observation with LangChain Documents (null id left out)', async () => {
    const spans = await spansOf('langfuse/handmade-langfuse-multimodal-retriever.trace.json');
    expect(spans.get('VectorStoreRetriever')!.documents).toEqual([
      { id: 'kb-refunds-001', content: 'Refunds: unused items may be returned within 30 days of purchase with a receipt.', metadata: { source: 'policy.md', page: 2, relevance_score: 0.91 } },
      { content: 'Gift cards cannot be refunded or exchanged for cash.', metadata: { source: 'policy.md', page: 5 } },
    ]);
    expect(spans.get('ChatOpenAI')!.documents).toBeUndefined();
  });

  it('LangSmith {documents}, serialised LangChain Documents; anything else is not documents', () => {
    expect(
      retrievedDocuments({ documents: [{ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'document', 'Document'], kwargs: { page_content: 'x', metadata: {} } }] }),
    ).toEqual([{ content: 'x' }]);
    expect(retrievedDocuments([{ page_content: 'a' }, { foo: 1 }])).toBeUndefined();
    expect(retrievedDocuments('plain text')).toBeUndefined();
    expect(retrievedDocuments([])).toBeUndefined();
  });
});
