// Parallel coordinates on a canvas (no library offers a brushable one small enough): one vertical
// axis per param plus the objective, one polyline per COMPLETE trial, drag on an axis to brush.
import { fmtNumber, h } from './dom.js';
import { extent } from './extent.js';
import { drawLines, type LineLayout } from './pc-lines.js';
import type { PcWorkerReply, PcWorkerRequest } from './pc-worker.js';

export interface PcAxis {
  name: string;
  values: (number | null)[];
  log?: boolean;
  labels?: string[] | null;
}

interface Scale { lo: number; hi: number; log: boolean; labels: string[] | null }

const M = { top: 34, bottom: 26, side: 48 };

/**
 * Draws into `target` and calls `onSelect` with the indices of the trials inside every brush.
 * The canvas carries `data-selected` (count) and `data-axis-x` (axis positions in CSS px) for tests.
 */
export function parallelCoordinates(
  target: HTMLElement, axes: PcAxis[], color: (number | null)[], onSelect?: (indices: number[]) => void,
  /** Brushes by axis name (0..1 of the axis), kept by the caller so they survive a redraw with new data. */
  brushes: Map<string, [number, number]> = new Map(),
  /** CSS px; measured from `target` when absent. */
  measuredWidth?: number,
): void {
  const width = Math.max(400, Math.floor(measuredWidth ?? (target.getBoundingClientRect().width || 800)));
  const height = 320;
  // Two stacked canvases: the lines (drawn by a worker where the browser can, see pc-worker.ts) and
  // on top the axes, labels and brushes, which take the pointer.
  const canvas = h('canvas', { class: 'pc', role: 'img', 'aria-label': `Parallel coordinates of ${axes.map((a) => a.name).join(', ')}; drag along an axis to select a range` });
  const linesCanvas = h('canvas', { class: 'pc-lines', 'aria-hidden': 'true' });
  const dpr = window.devicePixelRatio || 1;
  for (const c of [canvas, linesCanvas]) {
    c.width = width * dpr;
    c.height = height * dpr;
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
  }
  const clear = h('button', { type: 'button', onclick: () => { brushes.clear(); redraw(); } }, 'Clear selection');
  const info = h('span', { class: 'muted', role: 'status' });
  const stack = h('div', { class: 'pc-stack' }, linesCanvas, canvas);
  target.replaceChildren(stack, h('div', { class: 'row' }, clear, info));
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const n = color.length;
  const scales = axes.map(scaleOf);
  const xs = axes.map((_, i) => M.side + (axes.length === 1 ? 0 : (i * (width - 2 * M.side)) / (axes.length - 1)));
  canvas.dataset['axisX'] = xs.map((x) => Math.round(x)).join(',');
  const span = height - M.top - M.bottom;
  // Normalized position (0 bottom .. 1 top) of every value, or NaN when missing.
  const norm = axes.map((a, j) => Float32Array.from(a.values, (v) => (v === null ? Number.NaN : toUnit(v, scales[j] as Scale))));
  const [cmin, cmax] = extent(color.filter((c): c is number => c !== null)) ?? [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  // Lines are stroked by color band, one path per band, not one stroke (and color string) per trial.
  const byBand = Array.from({ length: BANDS + 1 }, () => [] as number[]);
  for (let i = 0; i < n; i++) (byBand[bandOf(color[i] ?? null, cmin, cmax)] as number[]).push(i);
  const painter = linePainter(linesCanvas, {
    width, height, dpr, xs, top: M.top, span, norm,
    bands: byBand.map((b) => Int32Array.from(b)), colors: byBand.map((_, b) => bandColor(b)),
  });
  let drag: { axis: number; from: number; to: number } | null = null;

  const selected = (): number[] => {
    if (brushes.size === 0) return Array.from({ length: n }, (_, i) => i);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      let ok = true;
      for (const [name, [lo, hi]] of brushes) {
        const j = axes.findIndex((a) => a.name === name);
        if (j < 0) continue;
        const v = (norm[j] as Float32Array)[i] as number;
        if (!(v >= lo && v <= hi)) { ok = false; break; }
      }
      if (ok) out.push(i);
    }
    return out;
  };

  function redraw(): void {
    const sel = selected();
    const isSel = new Uint8Array(n);
    for (const i of sel) isSel[i] = 1;
    painter.draw(isSel, sel.length);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    axes.forEach((a, j) => drawAxis(ctx, a, scales[j] as Scale, xs[j] as number, span, brushes.get(a.name) ?? (drag?.axis === j ? ordered(drag.from, drag.to) : undefined)));
    canvas.dataset['selected'] = String(sel.length);
    info.textContent = brushes.size === 0 ? `${n} trials` : `${sel.length} of ${n} trials selected`;
    onSelect?.(sel);
  }

  const unitAt = (e: MouseEvent): number => {
    const r = canvas.getBoundingClientRect();
    return Math.min(1, Math.max(0, 1 - (e.clientY - r.top - M.top) / span));
  };
  canvas.addEventListener('pointerdown', (e) => {
    const r = canvas.getBoundingClientRect();
    const x = e.clientX - r.left;
    const axis = xs.findIndex((ax) => Math.abs(ax - x) < 16);
    if (axis < 0) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    drag = { axis, from: unitAt(e), to: unitAt(e) };
  });
  // One redraw per frame however many moves arrive (a redraw of thousands of lines outlasts a frame).
  let framePending = false;
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    drag.to = unitAt(e);
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      if (drag) redraw();
    });
  });
  canvas.addEventListener('pointerup', () => {
    if (!drag) return;
    const [lo, hi] = ordered(drag.from, drag.to);
    const name = (axes[drag.axis] as PcAxis).name;
    if (hi - lo < 0.01) brushes.delete(name);
    else brushes.set(name, [lo, hi]);
    drag = null;
    redraw();
  });
  redraw();
}

/** Starts the drawing worker now (a page about to draw parallel coordinates), so its start-up overlaps the data's load. */
export function warmParallelCoordinates(): void {
  drawingWorker();
}

// --- internal ---

interface LinePainter {
  /** Draws the selection; the lines canvas gets `data-lines` (the count drawn) once the frame is drawn. */
  draw(selected: Uint8Array, count: number): void;
}

let worker: Worker | null | undefined;
let nextLayer = 0;
let nextRequest = 0;
/** Removes the listener of the painter drawn before (the chart it drew has been replaced). */
let detachPrevious: (() => void) | null = null;
/** What the current painter does if the worker fails (it may fail before any painter exists). */
let onWorkerFailure: (() => void) | null = null;

/** The page's one drawing worker (null where the browser cannot draw on a canvas from a worker). */
function drawingWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined' || !('transferControlToOffscreen' in HTMLCanvasElement.prototype)) return worker;
  try {
    const created = new Worker(new URL('pc-worker.js', import.meta.url), { type: 'module', name: 'parallel coordinates' });
    created.addEventListener('error', () => {
      // A script that fails to load or throws: every later chart draws on the main thread.
      worker = null;
      created.terminate();
      onWorkerFailure?.();
    }, { once: true });
    worker = created;
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * Draws the lines in the worker: at most one request in flight, and while one is, only the newest
 * selection waits (a drag sends as many as the worker can draw, not one per pointer move). If the
 * worker fails, the canvas is replaced by one the main thread draws on.
 */
function linePainter(canvas: HTMLCanvasElement, layout: LineLayout): LinePainter {
  const w = drawingWorker();
  if (w === null) return mainThreadPainter(canvas, layout);
  const layer = ++nextLayer;
  const offscreen = canvas.transferControlToOffscreen();
  const first: PcWorkerRequest = { kind: 'layer', layer, canvas: offscreen, layout };
  w.postMessage(first, [offscreen]);
  let inFlight: { id: number; count: number } | null = null;
  let waiting: { selected: Uint8Array; count: number } | null = null;
  let fallback: LinePainter | null = null;
  const send = (selected: Uint8Array, count: number): void => {
    inFlight = { id: ++nextRequest, count };
    const request: PcWorkerRequest = { kind: 'draw', layer, id: inFlight.id, selected };
    w.postMessage(request, [selected.buffer]);
  };
  const onMessage = (event: MessageEvent<PcWorkerReply>): void => {
    if (event.data.layer !== layer || inFlight === null || event.data.id !== inFlight.id) return;
    canvas.dataset['lines'] = String(inFlight.count);
    inFlight = null;
    if (waiting) {
      const next = waiting;
      waiting = null;
      send(next.selected, next.count);
    }
  };
  // The newest selection, kept for a main-thread redraw should the worker fail (sent buffers move).
  let latest: { selected: Uint8Array; count: number } | null = null;
  const onError = (): void => {
    detachPrevious?.();
    detachPrevious = null;
    onWorkerFailure = null;
    const replacement = canvas.cloneNode(false) as HTMLCanvasElement;
    canvas.replaceWith(replacement);
    fallback = mainThreadPainter(replacement, layout);
    if (latest) fallback.draw(latest.selected, latest.count);
  };
  detachPrevious?.();
  w.addEventListener('message', onMessage);
  onWorkerFailure = onError;
  detachPrevious = () => w.removeEventListener('message', onMessage);
  return {
    draw(selected, count) {
      if (fallback) return fallback.draw(selected, count);
      latest = { selected: selected.slice(), count };
      if (inFlight) waiting = { selected, count };
      else send(selected, count);
    },
  };
}

function mainThreadPainter(canvas: HTMLCanvasElement, layout: LineLayout): LinePainter {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  return {
    draw(selected, count) {
      drawLines(ctx, layout, selected);
      canvas.dataset['lines'] = String(count);
    },
  };
}

function scaleOf(a: PcAxis): Scale {
  if (a.labels) return { lo: 0, hi: Math.max(1, a.labels.length - 1), log: false, labels: a.labels };
  const vs = a.values.filter((v): v is number => v !== null && Number.isFinite(v) && (!a.log || v > 0));
  const log = a.log === true;
  const t = vs.map((v) => (log ? Math.log10(v) : v));
  const [lo, hi] = extent(t) ?? [0, 1];
  return { lo, hi: hi === lo ? lo + 1 : hi, log, labels: null };
}

function toUnit(v: number, s: Scale): number {
  const t = s.log ? Math.log10(Math.max(v, Number.MIN_VALUE)) : v;
  return (t - s.lo) / (s.hi - s.lo);
}

function ordered(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

const BANDS = 32;

/** Color band of an objective value: 0 (lowest) .. BANDS - 1 (highest); BANDS when there is no scale. */
function bandOf(c: number | null, lo: number, hi: number): number {
  if (c === null || !(hi > lo)) return BANDS;
  return Math.min(BANDS - 1, Math.max(0, Math.floor(((c - lo) / (hi - lo)) * BANDS)));
}

function bandColor(band: number): string {
  if (band >= BANDS) return 'rgba(31,95,191,0.55)';
  const t = band / (BANDS - 1);
  const r = Math.round(31 + t * (194 - 31));
  const g = Math.round(95 + t * (65 - 95));
  const b = Math.round(191 + t * (12 - 191));
  return `rgba(${r},${g},${b},0.6)`;
}

function drawAxis(ctx: CanvasRenderingContext2D, a: PcAxis, s: Scale, x: number, span: number, brush: [number, number] | undefined): void {
  ctx.strokeStyle = '#1e293b';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(x, M.top);
  ctx.lineTo(x, M.top + span);
  ctx.stroke();
  if (brush) {
    ctx.fillStyle = 'rgba(250,204,21,0.35)';
    ctx.strokeStyle = '#a16207';
    const y0 = M.top + (1 - brush[1]) * span;
    ctx.fillRect(x - 8, y0, 16, (brush[1] - brush[0]) * span);
    ctx.strokeRect(x - 8, y0, 16, (brush[1] - brush[0]) * span);
  }
  ctx.fillStyle = '#0f172a';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(a.name, x, 14);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#334155';
  const label = (u: number): string => {
    if (s.labels) return s.labels[Math.round(s.lo + u * (s.hi - s.lo))] ?? '';
    const t = s.lo + u * (s.hi - s.lo);
    return fmtNumber(s.log ? 10 ** t : t);
  };
  if (s.labels) {
    ctx.textAlign = 'left';
    s.labels.forEach((l, i) => ctx.fillText(l, x + 5, M.top + (1 - i / Math.max(1, (s.labels as string[]).length - 1)) * span + 4));
  }
  else {
    ctx.fillText(label(1), x, M.top - 4);
    ctx.fillText(label(0), x, M.top + span + 14);
  }
}
