// Parallel coordinates on a canvas (no library offers a brushable one small enough): one vertical
// axis per param plus the objective, one polyline per COMPLETE trial, drag on an axis to brush.
import { fmtNumber, h } from './dom.js';

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
  const canvas = h('canvas', { class: 'pc', role: 'img', 'aria-label': `Parallel coordinates of ${axes.map((a) => a.name).join(', ')}; drag along an axis to select a range` });
  const dpr = window.devicePixelRatio || 1;
  canvas.width = width * dpr;
  canvas.height = height * dpr;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const clear = h('button', { type: 'button', onclick: () => { brushes.clear(); redraw(); } }, 'Clear selection');
  const info = h('span', { class: 'muted', role: 'status' });
  target.replaceChildren(canvas, h('div', { class: 'row' }, clear, info));
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const n = color.length;
  const scales = axes.map(scaleOf);
  const xs = axes.map((_, i) => M.side + (axes.length === 1 ? 0 : (i * (width - 2 * M.side)) / (axes.length - 1)));
  canvas.dataset['axisX'] = xs.map((x) => Math.round(x)).join(',');
  const span = height - M.top - M.bottom;
  // Normalized position (0 bottom .. 1 top) of every value, or NaN when missing.
  const norm = axes.map((a, j) => Float64Array.from(a.values, (v) => (v === null ? Number.NaN : toUnit(v, scales[j] as Scale))));
  const cmin = Math.min(...color.filter((c): c is number => c !== null));
  const cmax = Math.max(...color.filter((c): c is number => c !== null));
  // Lines are stroked by color band, one path per band, not one stroke (and color string) per trial.
  const bands = Array.from({ length: BANDS + 1 }, () => [] as number[]);
  for (let i = 0; i < n; i++) (bands[bandOf(color[i] ?? null, cmin, cmax)] as number[]).push(i);
  let drag: { axis: number; from: number; to: number } | null = null;

  const selected = (): number[] => {
    if (brushes.size === 0) return Array.from({ length: n }, (_, i) => i);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      let ok = true;
      for (const [name, [lo, hi]] of brushes) {
        const j = axes.findIndex((a) => a.name === name);
        if (j < 0) continue;
        const v = (norm[j] as Float64Array)[i] as number;
        if (!(v >= lo && v <= hi)) { ok = false; break; }
      }
      if (ok) out.push(i);
    }
    return out;
  };

  function redraw(): void {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const sel = selected();
    const isSel = new Uint8Array(n);
    for (const i of sel) isSel[i] = 1;
    ctx.lineWidth = 1;
    const trace = (i: number): void => {
      let started = false;
      for (let j = 0; j < axes.length; j++) {
        const v = (norm[j] as Float64Array)[i] as number;
        if (Number.isNaN(v)) { started = false; continue; }
        const y = M.top + (1 - v) * span;
        if (started) ctx.lineTo(xs[j] as number, y);
        else ctx.moveTo(xs[j] as number, y);
        started = true;
      }
    };
    ctx.strokeStyle = 'rgba(148,163,184,0.25)';
    ctx.beginPath();
    for (let i = 0; i < n; i++) if (isSel[i] !== 1) trace(i);
    ctx.stroke();
    // High objective first, so the low (blue) lines end on top.
    for (let b = BANDS; b >= 0; b--) {
      ctx.strokeStyle = bandColor(b);
      ctx.beginPath();
      for (const i of bands[b] as number[]) if (isSel[i] === 1) trace(i);
      ctx.stroke();
    }
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

// --- internal ---

function scaleOf(a: PcAxis): Scale {
  if (a.labels) return { lo: 0, hi: Math.max(1, a.labels.length - 1), log: false, labels: a.labels };
  const vs = a.values.filter((v): v is number => v !== null && Number.isFinite(v) && (!a.log || v > 0));
  const log = a.log === true;
  const t = vs.map((v) => (log ? Math.log10(v) : v));
  const lo = t.length ? Math.min(...t) : 0;
  const hi = t.length ? Math.max(...t) : 1;
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
