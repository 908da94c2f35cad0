// Scatter points for uPlot at thousands of points: filled dots without outlines, at most one per
// device pixel. uPlot's own points are outlined circles, one per data point; a 5,000-trial study page
// draws six such plots (30,000 circles filled and stroked), a large part of its first frame. A dot
// on the same pixel as an earlier one adds almost nothing to the picture, so it is skipped.
import uPlot from 'uplot';

/** A `series.points.paths` builder: the series' points as filled dots of `points.size` CSS px. */
export const dotPaths: uPlot.Series.Points.PathBuilder = (u, seriesIdx, idx0, idx1) =>
  uPlot.orient(u, seriesIdx, (series, dataX, dataY, scaleX, scaleY, valToPosX, valToPosY, xOff, yOff, xDim, yDim) => {
    const radius = ((series.points?.size ?? 5) / 2) * uPlot.pxRatio;
    const canvasWidth = u.ctx.canvas.width;
    const taken = new Uint8Array(canvasWidth * u.ctx.canvas.height);
    const fill = new Path2D();
    for (let i = idx0; i <= idx1; i++) {
      const x = dataX[i];
      const y = dataY[i];
      if (x === null || x === undefined || y === null || y === undefined) continue;
      const px = Math.round(valToPosX(x, scaleX, xDim, xOff));
      const py = Math.round(valToPosY(y, scaleY, yDim, yOff));
      const pixel = py * canvasWidth + px;
      if (px >= 0 && px < canvasWidth && pixel >= 0 && pixel < taken.length) {
        if (taken[pixel] === 1) continue;
        taken[pixel] = 1;
      }
      fill.moveTo(px + radius, py);
      fill.arc(px, py, radius, 0, 2 * Math.PI);
    }
    const { left, top, width, height } = u.bbox;
    const clip = new Path2D();
    clip.rect(left - 2 * radius, top - 2 * radius, width + 4 * radius, height + 4 * radius);
    return { fill, stroke: null, clip, flags: 0 };
  }) as uPlot.Series.Points.Paths;
