// The line layer of the parallel coordinates: one polyline per trial, unselected ones grey underneath,
// selected ones stroked by color band (one path per band, high objective first so the low, blue lines
// end on top). Shared by the drawing worker (pc-worker.ts) and the main-thread fallback, so it imports
// nothing from the DOM.

/** Everything the line layer needs, in a form that crosses postMessage (typed arrays are copied once). */
export interface LineLayout {
  /** CSS px of the canvas, and the device pixel ratio its backing store is scaled by. */
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  /** x of each axis and the vertical extent of the axes (CSS px). */
  readonly xs: readonly number[];
  readonly top: number;
  readonly span: number;
  /** Per axis, each trial's position on it: 0 bottom .. 1 top, NaN when missing. */
  readonly norm: readonly Float32Array[];
  /** Trial indices by color band; band b is stroked with `colors[b]`. */
  readonly bands: readonly Int32Array[];
  readonly colors: readonly string[];
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Clears the canvas and draws every line; `selected[i] === 1` marks the trials to color. */
export function drawLines(ctx: Context2D, layout: LineLayout, selected: Uint8Array): void {
  const { width, height, dpr, xs, top, span, norm, bands, colors } = layout;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.lineWidth = 1;
  const trace = (i: number): void => {
    let started = false;
    for (let j = 0; j < xs.length; j++) {
      const v = (norm[j] as Float32Array)[i] as number;
      if (v !== v) {
        started = false;
        continue;
      }
      const y = top + (1 - v) * span;
      if (started) ctx.lineTo(xs[j] as number, y);
      else ctx.moveTo(xs[j] as number, y);
      started = true;
    }
  };
  ctx.strokeStyle = 'rgba(148,163,184,0.25)';
  ctx.beginPath();
  for (const band of bands) for (const i of band) if (selected[i] !== 1) trace(i);
  ctx.stroke();
  for (let b = bands.length - 1; b >= 0; b--) {
    ctx.strokeStyle = colors[b] as string;
    ctx.beginPath();
    for (const i of bands[b] as Int32Array) if (selected[i] === 1) trace(i);
    ctx.stroke();
  }
}
