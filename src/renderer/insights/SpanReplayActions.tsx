import { useEffect, useState, type KeyboardEvent } from 'react';
import type { Span, VariantInfo } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { showControls } from '../util/untrustedText';
import { replayHash } from './routes';

/**
 * In the span panel: "Replay…" for an LLM call with recorded messages, the variants saved from
 * it, and — on a variant trace — a link back to the call it replays.
 */
/**
 * The trace view handles Enter and Space on the window (open detail, fold) and prevents their
 * default, which would also swallow a focused button's activation: keep them on the button.
 */
const ownKeys = (e: KeyboardEvent) => {
  if (e.key === 'Enter' || e.key === ' ') e.stopPropagation();
};

export function SpanReplayActions({ span }: { span: Span }) {
  const client = useClient();
  const [variants, setVariants] = useState<VariantInfo[]>([]);
  const [variantOf, setVariantOf] = useState<VariantInfo | null>(null);
  const isLlm = span.kind === 'llm';
  useEffect(() => {
    if (!isLlm) return;
    let live = true;
    client.call('listVariants', { traceId: span.traceId, spanId: span.spanId }).then(
      (v) => live && (setVariants(v.variants), setVariantOf(v.variantOf?.sourceSpanId === span.spanId ? v.variantOf : null)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, isLlm, span.traceId, span.spanId]);
  if (!isLlm) return null;
  return (
    <span className="sd-replay" onKeyDown={ownKeys}>
      {span.inputMessages?.length ? (
        <button
          type="button"
          className="btn"
          onClick={() => navigate(replayHash(span.traceId, span.spanId))}
          title="Edit this call's request and run it again against the configured model"
          data-testid="replay-open"
        >
          Replay…
        </button>
      ) : null}
      {variants.length ? (
        <span className="sd-variants" data-testid="span-variants">
          variants:{' '}
          {variants.map((v) => (
            <button key={v.traceId} type="button" className="link-button untrusted" onClick={() => navigate(traceHash(v.traceId, span.spanId))}>
              {showControls(v.name.replace(/^.* · /, ''))}
            </button>
          ))}
        </span>
      ) : null}
      {variantOf ? (
        <button type="button" className="link-button" onClick={() => navigate(traceHash(variantOf.sourceTraceId, variantOf.sourceSpanId))} data-testid="variant-of">
          replay of the original call
        </button>
      ) : null}
    </span>
  );
}
