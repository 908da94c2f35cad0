// Worker drawing the parallel coordinates' lines on an OffscreenCanvas, so that rasterizing thousands
// of antialiased polylines (most of a large study page's first frame) runs beside the main thread, and
// brushing never blocks it. Messages: `layer` gives a new canvas and layout (a redraw of the page);
// `draw` asks for a selection, answered with `drawn` and the same id once the frame is drawn.
import { drawLines, type LineLayout } from './pc-lines.js';

export type PcWorkerRequest =
  | { readonly kind: 'layer'; readonly layer: number; readonly canvas: OffscreenCanvas; readonly layout: LineLayout }
  | { readonly kind: 'draw'; readonly layer: number; readonly id: number; readonly selected: Uint8Array };
export interface PcWorkerReply { readonly kind: 'drawn'; readonly layer: number; readonly id: number }

/** The canvas of the newest layer only: an older chart's canvas left the page with it. */
let current: { layer: number; ctx: OffscreenCanvasRenderingContext2D | null; layout: LineLayout } | null = null;

self.onmessage = (event: MessageEvent<PcWorkerRequest>) => {
  const message = event.data;
  if (message.kind === 'layer') {
    current = { layer: message.layer, ctx: message.canvas.getContext('2d'), layout: message.layout };
    return;
  }
  if (current?.layer !== message.layer) return;
  if (current.ctx) drawLines(current.ctx, current.layout, message.selected);
  const reply: PcWorkerReply = { kind: 'drawn', layer: message.layer, id: message.id };
  self.postMessage(reply);
};
