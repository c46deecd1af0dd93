import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { SPAN_KINDS } from '../../../shared/api';
import { CRITICAL_COLOR, ERROR_COLOR, KIND_COLORS } from '../kinds';
import { STATUS_ERROR, nameOf, type TraceModel } from '../model/traceModel';
import type { CriticalRows } from '../model/traceAnalysis';
import { KEEP_CONTEXT, type VisibleRows } from '../model/visibleRows';
import { formatDuration } from '../../util/format';
import { durationTicks, formatTick } from './timeFormat';
import { coverageRuns, minimapPixels, minimapViewport, ROW_HEIGHT, rowRangeOnScreen, subtreeUnion, type SubtreeUnion } from './timelineMath';

/**
 * Imperative renderer of the timeline: span bars (canvas), time axis, minimap, zoom/pan. Kept
 * out of React so scrolling and zooming a 100k-span trace redraw one canvas and touch no
 * component: a frame draws only the rows on screen, and everything that covers many spans at
 * once (the minimap, collapsed subtrees) is reduced to per-pixel coverage with difference
 * arrays — O(spans + pixels), never one draw call per sub-pixel span.
 */

const BAR_HEIGHT = 12;
const KIND_COLOR_LIST = SPAN_KINDS.map((k) => KIND_COLORS[k]);

export interface TimelineState {
  model: TraceModel;
  visible: VisibleRows;
  collapsed: Uint8Array;
  selected: number;
  /** Highlight-mode search matches (drawn outlined); null when none. */
  highlight: Uint8Array | null;
  critical: CriticalRows | null;
  showCritical: boolean;
  /** Rows marked as the trace's first failure while labelling (a flag at the bar's start). */
  firstFailure?: Uint8Array | null;
}

interface Theme {
  bg: string;
  fg: string;
  muted: string;
  faint: string;
  border: string;
  selected: string;
  hover: string;
  font: string;
}

function readTheme(el: Element): Theme {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg', '#1b1d21'),
    fg: v('--fg', '#d6d9de'),
    muted: v('--fg-muted', '#8b929c'),
    faint: v('--fg-faint', '#5f6670'),
    border: v('--border', '#33373e'),
    selected: v('--bg-selected', '#1f3a5c'),
    hover: v('--bg-hover', '#2a2e35'),
    font: `11px ${v('--font-ui', 'system-ui, sans-serif')}`,
  };
}

function sizeCanvas(c: HTMLCanvasElement, w: number, h: number): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  const pw = Math.max(1, Math.round(w * dpr));
  const ph = Math.max(1, Math.round(h * dpr));
  if (c.width !== pw || c.height !== ph) {
    c.width = pw;
    c.height = ph;
    c.style.width = `${w}px`;
    c.style.height = `${h}px`;
  }
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

export interface TimelineCallbacks {
  onSelect(row: number): void;
  /** Hover changes (row or -1, with client position for a tooltip). */
  onHover(row: number, clientX: number, clientY: number): void;
  onDomain?(domain: [number, number]): void;
}

export class TimelineController {
  private state: TimelineState | null = null;
  private bars: HTMLCanvasElement | null = null;
  private axis: HTMLCanvasElement | null = null;
  private minimap: HTMLCanvasElement | null = null;
  private barsSel: Selection<HTMLCanvasElement, unknown, null, undefined> | null = null;
  private readonly zoomer: ZoomBehavior<HTMLCanvasElement, unknown>;
  private transform: ZoomTransform = zoomIdentity;
  private width = 600;
  private height = 400;
  private scrollTop = 0;
  private hover = -1;
  private theme: Theme | null = null;
  private frame = 0;
  private minimapCache: { key: unknown; canvas: HTMLCanvasElement } | null = null;
  private brush: { from: number; to: number } | null = null;
  /** Frame statistics for the benchmark (see window.__tracedeckTimeline). */
  readonly stats = {
    frames: 0,
    lastFrameMs: 0,
    maxFrameMs: 0,
    /** Visible row range [first, last) of the last frame, and the time domain (ms since t0). */
    lastRange: [0, 0] as [number, number],
    domain: [0, 0] as [number, number],
  };

  constructor(private readonly cb: TimelineCallbacks) {
    this.zoomer = zoom<HTMLCanvasElement, unknown>()
      // Plain wheel scrolls the rows; ctrl/⌘ + wheel (and trackpad pinch) zooms; drag pans.
      .filter((e: Event) => {
        if (e.type === 'wheel') return (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey;
        if (e.type === 'dblclick') return false;
        return !(e as MouseEvent).button;
      })
      .clickDistance(4)
      .constrain((t, extent) => {
        // Horizontal only, and never past the trace's ends.
        const w = extent[1][0] - extent[0][0];
        const x = Math.min(0, Math.max(w - w * t.k, t.x));
        return t.x === x && t.y === 0 ? t : zoomIdentity.translate(x, 0).scale(t.k);
      })
      .on('zoom', (e: { transform: ZoomTransform }) => {
        this.transform = e.transform;
        this.cb.onDomain?.(this.domain());
        this.requestDraw();
      });
  }

  // ---- wiring ---------------------------------------------------------------------------------

  attachBars(bars: HTMLCanvasElement | null): void {
    if (bars === this.bars) return;
    if (this.bars) {
      this.barsSel?.on('.zoom', null);
      this.bars.removeEventListener('wheel', this.onWheel);
      this.bars.removeEventListener('pointermove', this.onBarsMove);
      this.bars.removeEventListener('pointerleave', this.onBarsLeave);
      this.bars.removeEventListener('click', this.onBarsClick);
    }
    this.bars = bars;
    this.barsSel = bars ? select(bars) : null;
    if (bars && this.barsSel) {
      this.barsSel.call(this.zoomer);
      this.barsSel.property('__zoom', this.transform);
      bars.addEventListener('wheel', this.onWheel, { passive: false });
      bars.addEventListener('pointermove', this.onBarsMove);
      bars.addEventListener('pointerleave', this.onBarsLeave);
      bars.addEventListener('click', this.onBarsClick);
      this.theme = readTheme(bars);
    }
    this.requestDraw();
  }

  attachHeader(axis: HTMLCanvasElement | null, minimap: HTMLCanvasElement | null): void {
    if (minimap !== this.minimap) {
      this.minimap?.removeEventListener('pointerdown', this.onMinimapDown);
      this.minimap?.removeEventListener('dblclick', this.onMinimapDbl);
      this.minimap = minimap;
      minimap?.addEventListener('pointerdown', this.onMinimapDown);
      minimap?.addEventListener('dblclick', this.onMinimapDbl);
    }
    this.axis = axis;
    this.requestDraw();
  }

  private onMinimapDbl = (): void => this.resetZoom();

  setState(s: TimelineState): void {
    this.state = s;
    this.requestDraw();
  }

  /** Called from the scroll handler: draws synchronously so bars and DOM rows move together. */
  setScroll(scrollTop: number, height: number): void {
    this.scrollTop = scrollTop;
    this.height = height;
    this.drawNow();
  }

  resize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    // Keep the visible time range across a resize: the transform is in pixels.
    const d = this.state ? this.domain() : null;
    this.width = Math.max(50, width);
    this.height = height;
    this.zoomer.extent([
      [0, 0],
      [this.width, Math.max(1, this.height)],
    ]);
    if (d) this.zoomTo(d[0], d[1]);
    this.requestDraw();
  }

  // ---- scales ---------------------------------------------------------------------------------

  private base(): ScaleLinear<number, number> {
    const m = this.state!.model;
    const pad = (m.endMs - m.startMs) * 0.01;
    return scaleLinear()
      .domain([m.startMs - pad, m.endMs + pad])
      .range([0, this.width]);
  }

  scale(): ScaleLinear<number, number> {
    return this.transform.rescaleX(this.base());
  }

  domain(): [number, number] {
    const d = this.scale().domain();
    return [d[0]!, d[1]!];
  }

  // ---- zoom API (keyboard, minimap, "focus span") ---------------------------------------------

  private apply(t: ZoomTransform): void {
    if (!this.barsSel) {
      this.transform = t;
      this.requestDraw();
      return;
    }
    this.zoomer.transform(this.barsSel, t);
  }

  zoomTo(from: number, to: number): void {
    if (!this.state) return;
    const base = this.base();
    const span = Math.max(to - from, 1e-3);
    const k = Math.max(1, (base.domain()[1]! - base.domain()[0]!) / span);
    const x = -base(from) * k;
    this.apply(zoomIdentity.translate(x, 0).scale(k));
  }

  zoomBy(factor: number, atX = this.width / 2): void {
    if (!this.barsSel) return;
    this.zoomer.scaleBy(this.barsSel, factor, [atX, 0]);
  }

  panBy(px: number): void {
    if (!this.barsSel) return;
    this.zoomer.translateBy(this.barsSel, -px / this.transform.k, 0);
  }

  resetZoom(): void {
    this.apply(zoomIdentity);
  }

  /** Zoom so the row's span fills most of the width (keeps tiny spans readable). */
  focusRow(row: number): void {
    const m = this.state?.model;
    if (!m || row < 0) return;
    const a = m.start[row]!;
    const b = Math.max(m.drawEnd[row]!, a + 1e-3);
    const pad = (b - a) * 0.15;
    this.zoomTo(a - pad, b + pad);
  }

  /**
   * Zoom to the time covered by the rows on screen: in a 30-hour session the first screen of
   * rows spans seconds, a sliver at full zoom.
   */
  fitVisibleRows(): void {
    const s = this.state;
    if (!s) return;
    const m = s.model;
    const [first, last] = rowRangeOnScreen(this.scrollTop, this.height, s.visible.rows.length);
    let a = Infinity;
    let b = -Infinity;
    for (let k = first; k < last; k++) {
      const r = s.visible.rows[k]!;
      // A span much longer than the rest (the root) would undo the fit: only spans that start on screen count.
      if (m.childCount[r]! > 0 && m.subtreeEnd[r]! > s.visible.rows[last - 1]! + 1) continue;
      a = Math.min(a, m.start[r]!);
      b = Math.max(b, m.drawEnd[r]!);
    }
    if (!Number.isFinite(a)) return;
    const pad = Math.max((b - a) * 0.03, 1e-3);
    this.zoomTo(a - pad, b + pad);
  }

  /** Pan (not zoom) just enough to bring a row's span into view. */
  revealRow(row: number): void {
    const m = this.state?.model;
    if (!m || row < 0) return;
    const [d0, d1] = this.domain();
    const a = m.start[row]!;
    if (a >= d0 && a <= d1) return;
    const w = d1 - d0;
    this.zoomTo(a - w * 0.1, a + w * 0.9);
  }

  // ---- events ---------------------------------------------------------------------------------

  private onWheel = (e: WheelEvent): void => {
    if (e.ctrlKey || e.metaKey) return; // d3-zoom handles it
    const horizontal = Math.abs(e.deltaX) > Math.abs(e.deltaY);
    if (e.shiftKey || horizontal) {
      e.preventDefault();
      this.panBy(horizontal ? e.deltaX : e.deltaY);
    }
  };

  private rowAt(clientY: number): number {
    if (!this.bars || !this.state) return -1;
    const y = clientY - this.bars.getBoundingClientRect().top + this.scrollTop;
    const k = Math.floor(y / ROW_HEIGHT);
    const rows = this.state.visible.rows;
    return k >= 0 && k < rows.length ? rows[k]! : -1;
  }

  private onBarsMove = (e: PointerEvent): void => {
    if (e.buttons) return;
    const row = this.rowAt(e.clientY);
    if (row !== this.hover) {
      this.hover = row;
      this.requestDraw();
    }
    this.cb.onHover(row, e.clientX, e.clientY);
  };

  private onBarsLeave = (): void => {
    this.hover = -1;
    this.cb.onHover(-1, 0, 0);
    this.requestDraw();
  };

  private onBarsClick = (e: MouseEvent): void => {
    const row = this.rowAt(e.clientY);
    if (row >= 0) this.cb.onSelect(row);
  };

  private onMinimapDown = (e: PointerEvent): void => {
    const mm = this.minimap;
    if (!mm || !this.state || e.button !== 0) return;
    e.preventDefault();
    mm.setPointerCapture(e.pointerId);
    const rect = mm.getBoundingClientRect();
    const full = this.fullScale(rect.width);
    const t0 = full.invert(e.clientX - rect.left);
    const [d0, d1] = this.domain();
    const inside = t0 >= d0 && t0 <= d1 && this.transform.k > 1.0001;
    const move = (ev: PointerEvent) => {
      const t = full.invert(ev.clientX - rect.left);
      if (inside) {
        const shift = t - t0;
        this.zoomTo(d0 + shift, d1 + shift);
      } else {
        this.brush = { from: Math.min(t0, t), to: Math.max(t0, t) };
        this.drawMinimap();
      }
    };
    const up = (ev: PointerEvent) => {
      mm.removeEventListener('pointermove', move);
      mm.removeEventListener('pointerup', up);
      const t = full.invert(ev.clientX - rect.left);
      this.brush = null;
      if (!inside) {
        if (Math.abs(full(t) - full(t0)) > 3) this.zoomTo(Math.min(t0, t), Math.max(t0, t));
        else {
          const w = d1 - d0;
          this.zoomTo(t - w / 2, t + w / 2);
        }
      }
      this.drawMinimap();
    };
    mm.addEventListener('pointermove', move);
    mm.addEventListener('pointerup', up);
  };

  private fullScale(width: number): ScaleLinear<number, number> {
    const m = this.state!.model;
    return scaleLinear().domain([m.startMs, m.endMs]).range([0, width]);
  }

  // ---- drawing --------------------------------------------------------------------------------

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  drawNow(): void {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    if (!this.state) return;
    const t = performance.now();
    this.drawBars();
    this.drawAxis();
    this.drawMinimap();
    const took = performance.now() - t;
    this.stats.frames++;
    this.stats.domain = this.domain();
    this.stats.lastFrameMs = took;
    this.stats.maxFrameMs = Math.max(this.stats.maxFrameMs, took);
  }

  private drawBars(): void {
    const c = this.bars;
    const s = this.state;
    if (!c || !s) return;
    const th = (this.theme ??= readTheme(c));
    const W = this.width;
    const H = this.height;
    const ctx = sizeCanvas(c, W, H);
    ctx.clearRect(0, 0, W, H);
    const m = s.model;
    const rows = s.visible.rows;
    const x = this.scale();
    const [d0, d1] = this.domain();

    // grid
    ctx.strokeStyle = th.border;
    ctx.globalAlpha = 0.5;
    ctx.beginPath();
    for (const tk of durationTicks(d0, d1, Math.max(2, Math.floor(W / 110))).ticks) {
      const px = Math.round(x(tk)) + 0.5;
      ctx.moveTo(px, 0);
      ctx.lineTo(px, H);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;

    const [first, last] = rowRangeOnScreen(this.scrollTop, H, rows.length);
    this.stats.lastRange = [first, last];
    ctx.font = th.font;
    ctx.textBaseline = 'middle';
    const keep = s.visible.keep;

    for (let k = first; k < last; k++) {
      const r = rows[k]!;
      const y = k * ROW_HEIGHT - this.scrollTop;
      if (r === s.selected) {
        ctx.fillStyle = th.selected;
        ctx.fillRect(0, y, W, ROW_HEIGHT);
      } else if (r === this.hover) {
        ctx.fillStyle = th.hover;
        ctx.fillRect(0, y, W, ROW_HEIGHT);
      }
      const a = m.start[r]!;
      const b = m.drawEnd[r]!;
      const dim = keep !== null && keep[r] === KEEP_CONTEXT;
      ctx.globalAlpha = dim ? 0.35 : 1;
      const isError = m.status[r] === STATUS_ERROR;
      const color = isError ? ERROR_COLOR : KIND_COLOR_LIST[m.kind[r]!] ?? '#888';
      const by = y + (ROW_HEIGHT - BAR_HEIGHT) / 2;
      if (b >= d0 && a <= d1) {
        const x0 = x(a);
        const x1 = x(b);
        const bx = Math.max(-2, x0);
        const bw = Math.max(1.5, Math.min(W + 2, x1) - bx);
        ctx.fillStyle = color;
        if (Number.isNaN(m.end[r]!)) {
          // open span: fade out toward where its children end
          const g = ctx.createLinearGradient(bx, 0, bx + bw, 0);
          g.addColorStop(0, color);
          g.addColorStop(1, 'rgba(127,127,127,0.1)');
          ctx.fillStyle = g;
        }
        roundRect(ctx, bx, by, bw, BAR_HEIGHT, 2);
        if (s.highlight?.[r]) {
          ctx.strokeStyle = th.fg;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(bx - 1.5, by - 1.5, bw + 3, BAR_HEIGHT + 3);
        }
        if (s.showCritical && s.critical) {
          const c = s.critical;
          ctx.fillStyle = CRITICAL_COLOR;
          for (let q = c.first[r]!; q < c.first[r + 1]!; q++) {
            const sx0 = Math.max(0, x(c.segStart[q]!));
            const sx1 = Math.min(W, x(c.segEnd[q]!));
            if (sx1 > sx0) ctx.fillRect(sx0, by + BAR_HEIGHT / 2 - 1.5, Math.max(1, sx1 - sx0), 3);
          }
        }
        if (s.firstFailure?.[r]) drawFlag(ctx, Math.max(0, x0), y);
        this.drawLabel(ctx, th, r, bx, bw, y, W);
      } else {
        // Off-screen span: an arrow at the edge says where it is.
        ctx.fillStyle = color;
        ctx.globalAlpha = dim ? 0.2 : 0.6;
        const left = b < d0;
        const ax = left ? 2 : W - 8;
        ctx.beginPath();
        ctx.moveTo(left ? ax : ax + 6, by + BAR_HEIGHT / 2);
        ctx.lineTo(left ? ax + 6 : ax, by);
        ctx.lineTo(left ? ax + 6 : ax, by + BAR_HEIGHT);
        ctx.fill();
      }
      if (s.collapsed[r] && m.childCount[r]! > 0) this.drawSubtreeSummary(ctx, s, r, y, x, W);
      ctx.globalAlpha = 1;
    }
  }

  private drawLabel(ctx: CanvasRenderingContext2D, th: Theme, r: number, bx: number, bw: number, y: number, W: number): void {
    const m = this.state!.model;
    const dur = Number.isNaN(m.end[r]!) ? 'open' : formatDuration(m.end[r]! - m.start[r]!);
    const label = `${dur}  ${nameOf(m, r)}`;
    const tw = ctx.measureText(label).width;
    const cy = y + ROW_HEIGHT / 2;
    ctx.fillStyle = th.muted;
    if (bx + bw + 6 + tw < W) ctx.fillText(label, bx + bw + 6, cy);
    else if (bx - 6 - tw > 0) {
      ctx.textAlign = 'right';
      ctx.fillText(label, bx - 6, cy);
      ctx.textAlign = 'left';
    } else if (bw > 60) {
      ctx.fillStyle = '#10131a';
      ctx.save();
      ctx.beginPath();
      ctx.rect(Math.max(bx, 0), y, Math.min(bw, W), ROW_HEIGHT);
      ctx.clip();
      ctx.fillText(label, Math.max(bx, 0) + 4, cy);
      ctx.restore();
    }
  }

  /**
   * Level of detail for a collapsed subtree: its descendants drawn as one coverage strip under
   * the bar. The union of their intervals is computed once per collapsed row (sorted and merged,
   * zoom-independent) and each frame draws only the merged intervals in view, merged again at
   * pixel level — so a root collapsed over 100k spans costs a few hundred fillRects, not 100k.
   */
  private drawSubtreeSummary(
    ctx: CanvasRenderingContext2D,
    s: TimelineState,
    r: number,
    y: number,
    x: ScaleLinear<number, number>,
    W: number,
  ): void {
    const u = this.subtreeUnionOf(s.model, r);
    const [d0, d1] = x.domain() as [number, number];
    const sy = y + ROW_HEIGHT - 5;
    const draw = (starts: Float64Array, ends: Float64Array, color: string, alpha: number) => {
      ctx.fillStyle = color;
      ctx.globalAlpha = alpha;
      const runs = coverageRuns(starts, ends, d0, d1, W);
      for (let i = 0; i < runs.length; i += 2) ctx.fillRect(runs[i]!, sy, runs[i + 1]! - runs[i]!, 3);
    };
    draw(u.starts, u.ends, '#8b929c', 0.6);
    if (u.errStarts.length) draw(u.errStarts, u.errEnds, ERROR_COLOR, 0.95);
    ctx.globalAlpha = 1;
  }

  private unionCache = new WeakMap<TraceModel, Map<number, SubtreeUnion>>();

  private subtreeUnionOf(m: TraceModel, r: number): SubtreeUnion {
    let byRow = this.unionCache.get(m);
    if (!byRow) this.unionCache.set(m, (byRow = new Map()));
    let u = byRow.get(r);
    if (!u) byRow.set(r, (u = subtreeUnion(m, r)));
    return u;
  }

  private drawAxis(): void {
    const c = this.axis;
    const s = this.state;
    if (!c || !s) return;
    const th = (this.theme ??= readTheme(c));
    const W = this.width;
    const H = 22;
    const ctx = sizeCanvas(c, W, H);
    ctx.clearRect(0, 0, W, H);
    const x = this.scale();
    const [d0, d1] = this.domain();
    const { ticks, step } = durationTicks(d0, d1, Math.max(2, Math.floor(W / 110)));
    ctx.font = th.font;
    ctx.textBaseline = 'middle';
    ctx.strokeStyle = th.border;
    ctx.fillStyle = th.muted;
    ctx.beginPath();
    for (const tk of ticks) {
      const px = Math.round(x(tk)) + 0.5;
      ctx.moveTo(px, H - 6);
      ctx.lineTo(px, H);
      const label = formatTick(tk - this.state!.model.startMs, step);
      if (px + 3 + ctx.measureText(label).width < W - 100) ctx.fillText(label, px + 3, H / 2 - 1);
    }
    ctx.stroke();
  }

  private minimapImage(w: number, h: number): HTMLCanvasElement {
    const s = this.state!;
    const key = [s.model, s.visible, w, h];
    const hit = this.minimapCache;
    if (hit && (hit.key as unknown[]).every((v, i) => v === key[i])) return hit.canvas;
    const colours = [...KIND_COLOR_LIST, ERROR_COLOR].map(hexToRgb); // errors last: they win
    const pixels = minimapPixels(s.model, s.visible.rows, w, h, colours.length);
    const canvas = this.minimapCache?.canvas ?? document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(w, h);
    const px = new Uint32Array(img.data.buffer);
    for (let i = 0; i < pixels.length; i++) {
      const c = pixels[i]!;
      if (c < 0) continue;
      const [r0, g0, b0] = colours[c]!;
      px[i] = (255 << 24) | (b0 << 16) | (g0 << 8) | r0;
    }
    ctx.putImageData(img, 0, 0);
    this.minimapCache = { key, canvas };
    return canvas;
  }

  private drawMinimap(): void {
    const c = this.minimap;
    const s = this.state;
    if (!c || !s) return;
    const th = (this.theme ??= readTheme(c));
    const W = this.width;
    const H = 40;
    const ctx = sizeCanvas(c, W, H);
    ctx.clearRect(0, 0, W, H);
    ctx.imageSmoothingEnabled = false;
    ctx.globalAlpha = 0.85;
    ctx.drawImage(this.minimapImage(Math.max(1, Math.floor(W)), H - 4), 0, 2, W, H - 4);
    ctx.globalAlpha = 1;
    const full = this.fullScale(W);
    const vp = minimapViewport({
      traceStartMs: s.model.startMs,
      traceEndMs: s.model.endMs,
      domain: this.domain(),
      width: W,
      height: H,
      scrollTop: this.scrollTop,
      viewHeight: this.height,
      rowCount: s.visible.rows.length,
    });
    const { x0: wx0, x1: wx1, y0: r0, y1: r1 } = vp;
    ctx.fillStyle = 'rgba(0,0,0,0.5)';
    ctx.fillRect(0, 0, wx0, H);
    ctx.fillRect(wx1, 0, W - wx1, H);
    // visible rows band
    ctx.fillStyle = 'rgba(76,154,255,0.16)';
    ctx.fillRect(wx0, r0, Math.max(2, wx1 - wx0), Math.max(2, r1 - r0));
    ctx.strokeStyle = th.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(Math.round(wx0) + 0.5, 0.5, Math.max(2, Math.round(wx1 - wx0) - 1), H - 1);
    if (wx1 - wx0 < 4) {
      // Zoomed far in: the window is thinner than a pixel; mark where it is.
      const cx = Math.round((wx0 + wx1) / 2);
      ctx.fillStyle = '#4c9aff';
      ctx.fillRect(cx - 1, 0, 2, H);
      ctx.beginPath();
      ctx.moveTo(cx - 5, 0);
      ctx.lineTo(cx + 5, 0);
      ctx.lineTo(cx, 6);
      ctx.fill();
    }
    if (this.brush) {
      const bx0 = full(this.brush.from);
      const bx1 = full(this.brush.to);
      ctx.fillStyle = 'rgba(76,154,255,0.25)';
      ctx.fillRect(bx0, 0, bx1 - bx0, H);
      ctx.strokeStyle = '#4c9aff';
      ctx.strokeRect(bx0 + 0.5, 0.5, bx1 - bx0, H - 1);
    }
  }
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  if (w < 2 * r + 1) {
    ctx.fillRect(x, y, w, h);
    return;
  }
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
  ctx.fill();
}

function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** The first-failure flag: a pole and pennant left of the bar's start, in the error colour. */
function drawFlag(ctx: CanvasRenderingContext2D, x: number, rowTop: number): void {
  const px = Math.max(1, Math.round(x) - 1) + 0.5;
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.strokeStyle = ERROR_COLOR;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(px, rowTop + 2);
  ctx.lineTo(px, rowTop + ROW_HEIGHT - 2);
  ctx.stroke();
  ctx.fillStyle = ERROR_COLOR;
  ctx.beginPath();
  ctx.moveTo(px, rowTop + 2);
  ctx.lineTo(px - 8, rowTop + 5.5);
  ctx.lineTo(px, rowTop + 9);
  ctx.fill();
  ctx.restore();
}
