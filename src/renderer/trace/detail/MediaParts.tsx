import { useRef, useState } from 'react';
import { closeOnEscape, useDialogFocus } from './dialogFocus';
import { imageSrc, type MediaPart } from '../../../shared/media';
import { formatBytes } from '../../util/format';
import { showControls } from '../../util/untrustedText';

/**
 * Images, audio and files of a message. Only images whose bytes were checked (PNG, JPEG, GIF,
 * WebP; see src/core/model/media.ts) are drawn, from a data: URI — the CSP allows nothing else.
 * A remote image is its address as text and is never fetched; SVG and malformed data say why they
 * are not shown. Audio and files are named with type and size. A thumbnail opens larger with
 * Enter or a click; Escape closes it.
 */
export function MediaParts({ parts }: { parts: MediaPart[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="media-parts" data-testid="media-parts">
      {parts.map((p, i) => {
        const src = imageSrc(p);
        if (src)
          return (
            <button
              key={i}
              type="button"
              className="media-thumb"
              data-testid="media-thumb"
              aria-label={`Open image ${i + 1} (${p.mimeType}, ${sizeText(p.bytes)})`}
              title={`${p.mimeType} · ${sizeText(p.bytes)} — Enter to enlarge`}
              onClick={() => setOpen(i)}
              onKeyDown={(e) => {
                // Handled here so the trace view's own Enter (open span detail) does not take it.
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  setOpen(i);
                }
              }}
            >
              <img src={src} alt={p.name ? showControls(p.name) : `image ${i + 1}`} draggable={false} />
              <span className="media-meta">
                {p.mimeType?.replace('image/', '')} · {sizeText(p.bytes)}
              </span>
            </button>
          );
        return <MediaChip key={i} part={p} />;
      })}
      {open !== null && imageSrc(parts[open]!) ? (
        <Lightbox part={parts[open]!} src={imageSrc(parts[open]!)!} onClose={() => setOpen(null)} />
      ) : null}
    </div>
  );
}

function MediaChip({ part: p }: { part: MediaPart }) {
  const facts = [p.mimeType, p.bytes !== undefined ? sizeText(p.bytes) : null].filter(Boolean).join(' · ');
  return (
    <span className={`media-chip kind-${p.kind}${p.note ? ' refused' : ''}`} data-testid="media-chip" data-kind={p.kind}>
      <span className="media-kind">{p.kind}</span>
      {p.name ? <span className="untrusted media-name">{showControls(p.name)}</span> : null}
      {facts ? <span className="dim">{facts}</span> : null}
      {p.ref ? <span className="untrusted mono media-ref">{showControls(p.ref)}</span> : null}
      {p.note ? <span className="media-note">{p.note}</span> : p.data && p.kind === 'image' ? <span className="media-note">not shown</span> : null}
    </span>
  );
}

function Lightbox({ part, src, onClose }: { part: MediaPart; src: string; onClose(): void }) {
  const box = useRef<HTMLDivElement>(null);
  useDialogFocus(box);
  return (
    <div className="media-backdrop" onClick={onClose}>
      <div
        className="media-lightbox"
        role="dialog"
        aria-modal="true"
        aria-label="Image"
        data-testid="media-lightbox"
        tabIndex={-1}
        ref={box}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={closeOnEscape(onClose)}
      >
        <img src={src} alt={part.name ? showControls(part.name) : 'image'} />
        <div className="media-lightbox-foot">
          <span className="dim">
            {part.mimeType} · {sizeText(part.bytes)}
            {part.name ? ` · ${showControls(part.name)}` : ''}
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Close (Esc)
          </button>
        </div>
      </div>
    </div>
  );
}

function sizeText(bytes: number | undefined): string {
  return bytes === undefined ? 'size unknown' : formatBytes(bytes);
}
